import type { Blame } from "./blame.js";
import { FORMATS, type Dtype } from "./ulps.js";

/**
 * Regions of inaccuracy: the intervals of the sweep where the code's error exceeds its bound
 * (max(base, 4κ) ulps) or its output is NaN/±∞ while the truth is finite. Runs of bad sweep
 * points make a region (runs a single good point apart are one region: the error of a formula
 * that loses digits oscillates around the bound), and each edge is refined by bisection on the
 * measured error between the last good and the first bad point, so that a region ends where
 * the code stops meeting its bound, not at a cell of the sweep grid.
 */

/** How the code fares at one input. */
export type PointStatus =
  | { readonly kind: "unmeasured" } // the truth undecided, or truth and output both below the normal range
  | { readonly kind: "nonFinite"; readonly got: number }
  | { readonly kind: "measured"; readonly ulps: number; readonly bound: number; readonly kappa?: number };

export const isBad = (s: PointStatus): boolean => s.kind === "nonFinite" || (s.kind === "measured" && s.ulps > s.bound);

export interface RegionPoint {
  readonly x: number;
  /** Ulps (Infinity for NaN/±∞ where the truth is finite). */
  readonly ulps: number;
  readonly kappa?: number;
  readonly bound: number;
}

export interface Region {
  /** f, f′ or f″. */
  readonly quantity: string;
  readonly order: number;
  readonly dtype: Dtype;
  readonly variant: string;
  readonly from: number;
  readonly to: number;
  /** Sweep points in the region over the bound. */
  readonly points: number;
  /** The point furthest over its bound. */
  readonly worst: RegionPoint;
  readonly blame?: Blame;
}

export interface RegionSearch {
  readonly dtype: Dtype;
  /** Sorted inputs and the status of the code at each. */
  readonly xs: readonly number[];
  readonly status: readonly PointStatus[];
  /** The status at any input (for bisection). */
  readonly statusAt: (x: number) => PointStatus;
  /** Bisection steps per edge (default 14: an edge to about 1e-4 of the sweep's spacing). */
  readonly steps?: number;
}

export interface RawRegion {
  readonly from: number;
  readonly to: number;
  readonly points: number;
  readonly worst: RegionPoint;
  /** Bad sweep points in the region (for the blame to sample). */
  readonly bad: readonly number[];
}

const pointOf = (x: number, s: PointStatus): RegionPoint | undefined =>
  s.kind === "nonFinite" ? { x, ulps: Infinity, bound: 0 } : s.kind === "measured" ? { x, ulps: s.ulps, bound: s.bound, ...(s.kappa !== undefined && { kappa: s.kappa }) } : undefined;

const severity = (p: RegionPoint): number => (p.bound === 0 ? Infinity : p.ulps / p.bound);

/** The regions of one measurement. */
export function findRegions(search: RegionSearch): RawRegion[] {
  const { xs, status } = search;
  const runs: { first: number; last: number }[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (!isBad(status[i]!)) continue;
    const previous = runs[runs.length - 1];
    // One good point between two bad runs does not split them.
    if (previous !== undefined && i - previous.last <= 2) previous.last = i;
    else runs.push({ first: i, last: i });
  }
  return runs.map(({ first, last }) => {
    let worst: RegionPoint | undefined;
    const bad: number[] = [];
    const consider = (x: number, s: PointStatus): void => {
      const p = pointOf(x, s);
      if (p !== undefined && isBad(s) && (worst === undefined || severity(p) > severity(worst))) worst = p;
    };
    for (let i = first; i <= last; i++) {
      consider(xs[i]!, status[i]!);
      if (isBad(status[i]!)) bad.push(xs[i]!);
    }
    const edge = (good: number, badX: number): number => bisectEdge(good, badX, search, consider);
    const from = first > 0 ? edge(xs[first - 1]!, xs[first]!) : xs[first]!;
    const to = last < xs.length - 1 ? edge(xs[last + 1]!, xs[last]!) : xs[last]!;
    return { from, to, points: bad.length, worst: worst!, bad };
  });
}

/**
 * The bad input nearest `good` between `good` and `bad`: bisection on the measured error
 * (geometric where both ends have one sign and differ by more than a factor 4, so that the log
 * scale of the sweep near 0 is bisected in its own terms).
 */
function bisectEdge(good: number, bad: number, search: RegionSearch, consider: (x: number, s: PointStatus) => void): number {
  const round = FORMATS[search.dtype].round;
  let [g, b] = [good, bad];
  const steps = search.steps ?? 14;
  for (let k = 0; k < steps; k++) {
    const sameSign = Math.sign(g) === Math.sign(b) && g !== 0;
    const ratio = sameSign ? Math.abs(b / g) : 1;
    const mid = round(sameSign && (ratio > 4 || ratio < 0.25) ? Math.sign(g) * Math.sqrt(Math.abs(g)) * Math.sqrt(Math.abs(b)) : g / 2 + b / 2);
    if (mid === g || mid === b) break;
    const s = search.statusAt(mid);
    consider(mid, s);
    if (isBad(s)) b = mid;
    else g = mid;
  }
  return b;
}
