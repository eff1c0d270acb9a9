/**
 * Sampling a function of one variable for a plot: enough points that a kink shows as a sharp
 * corner and a steep stretch as a smooth curve, and breaks where the curve is not connected —
 * at a jump, at a pole, and wherever the value is not a finite number.
 */

export type Point = readonly [x: number, y: number];

/** Where a curve is not smooth, as a reader of the plot should see it. */
export interface Kink {
  readonly x: number;
  /** f(x) itself: the definition's convention at the breakpoint. */
  readonly value: number;
  /** The one-sided limits f(x−) and f(x+). */
  readonly left: number;
  readonly right: number;
  /**
   * jump: the one-sided limits differ; corner: continuous, but the one-sided slopes differ;
   * point: equal limits, with the value itself set apart from them.
   */
  readonly kind: "jump" | "corner" | "point";
}

export interface Sampled {
  /** In x order; a null separates pieces that must not be joined by a line. */
  readonly points: readonly (Point | null)[];
  readonly kinks: readonly Kink[];
}

/** Intervals of the first pass across the whole domain. */
const BASE_INTERVALS = 240;
/** Halvings of a base interval at most: 2^-12 of 1/20 is about 1e-5. */
const MAX_DEPTH = 12;
/** A midpoint this far (relative to the curve's spread) from the chord asks for more points. */
const CHORD_TOLERANCE = 2e-4;
/** A step this large (relative to the spread) that halving cannot shrink is a discontinuity. */
const JUMP_TOLERANCE = 0.02;

/**
 * Samples f over [lo, hi]. Breakpoints — where a condition of the definition flips — split the
 * domain into pieces on which f is smooth; each piece is sampled up to its ends from inside (the
 * one-sided limits), then refined where the chord strays from the curve.
 */
export function sampleCurve(f: (x: number) => number, domain: readonly [number, number], breakpoints: readonly number[] = []): Sampled {
  const [lo, hi] = domain;
  const g = safe(f);
  const cuts = [...new Set(breakpoints)].filter((b) => b > lo && b < hi).sort((a, b) => a - b);
  const spread = robustSpread(Array.from({ length: BASE_INTERVALS + 1 }, (_, i) => g(lo + ((hi - lo) * i) / BASE_INTERVALS)));
  const tolerance = { chord: spread * CHORD_TOLERANCE, jump: spread * JUMP_TOLERANCE };
  const edges = [lo, ...cuts, hi];

  const points: (Point | null)[] = [];
  const kinks: Kink[] = [];
  let previousEnd = NaN;
  for (let i = 0; i + 1 < edges.length; i++) {
    const a = edges[i]!;
    const b = edges[i + 1]!;
    // From inside: at a breakpoint the value is a convention that belongs to one piece only.
    const ya = i === 0 ? g(a) : g(a + nudge(a));
    const yb = i + 2 === edges.length ? g(b) : g(b - nudge(b));
    const piece = samplePiece(g, a, ya, b, yb, Math.max(2, Math.ceil((BASE_INTERVALS * (b - a)) / (hi - lo))), tolerance);
    if (i > 0) {
      const kink = kinkAt(g, a, edges[i - 1]!, b, previousEnd, ya, spread);
      if (kink) kinks.push(kink);
      // A continuous join keeps one line; anything else starts a new one.
      if (kink?.kind === "jump" || !Number.isFinite(ya)) points.push(null);
      else piece.shift();
    }
    points.push(...piece);
    previousEnd = yb;
  }
  return { points: tidy(points), kinks };
}

/** Points of one smooth piece, ends included, with nulls where the curve breaks. */
function samplePiece(
  g: (x: number) => number, a: number, ya: number, b: number, yb: number, intervals: number,
  tolerance: { readonly chord: number; readonly jump: number },
): (Point | null)[] {
  const out: (Point | null)[] = [finiteOrNull(a, ya)];
  const refine = (x0: number, y0: number, x1: number, y1: number, depth: number): void => {
    const xm = (x0 + x1) / 2;
    const ym = g(xm);
    const finite = [y0, ym, y1].filter(Number.isFinite).length;
    const straying = finite === 3 && Math.abs(ym - (y0 + y1) / 2) > tolerance.chord;
    // Refine across a boundary of the domain of definition too, to find where it lies.
    if (depth < MAX_DEPTH && (straying || (finite > 0 && finite < 3))) {
      refine(x0, y0, xm, ym, depth + 1);
      refine(xm, ym, x1, y1, depth + 1);
      return;
    }
    // A large step left at the finest level is a jump or a pole if it survives halving down to
    // adjacent doubles; a steep continuous stretch (log near 0) shrinks away.
    const breaks = (u: number, xu: number, v: number, xv: number): boolean =>
      depth >= MAX_DEPTH && Math.abs(v - u) > tolerance.jump && isJump(g, xu, u, xv, v, tolerance.jump);
    if (breaks(y0, x0, ym, xm)) out.push(null);
    out.push(finiteOrNull(xm, ym));
    if (breaks(ym, xm, y1, x1)) out.push(null);
    out.push(finiteOrNull(x1, y1));
  };
  let x0 = a;
  let y0 = ya;
  for (let k = 1; k <= intervals; k++) {
    const x1 = k === intervals ? b : a + ((b - a) * k) / intervals;
    const y1 = k === intervals ? yb : g(x1);
    refine(x0, y0, x1, y1, 0);
    [x0, y0] = [x1, y1];
  }
  return out;
}

/** Follows the larger half of a step until the interval cannot shrink: is a step of more than `tolerance` left? */
function isJump(g: (x: number) => number, x0: number, y0: number, x1: number, y1: number, tolerance: number): boolean {
  for (let k = 0; k < 64; k++) {
    const xm = (x0 + x1) / 2;
    if (xm === x0 || xm === x1) break;
    const ym = g(xm);
    if (!Number.isFinite(ym)) return true;
    if (Math.abs(ym - y0) >= Math.abs(y1 - ym)) [x1, y1] = [xm, ym];
    else [x0, y0] = [xm, ym];
  }
  return Math.abs(y1 - y0) > tolerance;
}

/**
 * What happens at a breakpoint: the one-sided limits (taken a hair inside each piece), the
 * value there, and the one-sided slopes.
 */
function kinkAt(g: (x: number) => number, x: number, previous: number, next: number, left: number, right: number, spread: number): Kink | undefined {
  const value = g(x);
  if (![left, right].every(Number.isFinite)) return undefined;
  const same = (u: number, v: number): boolean => Math.abs(u - v) <= 1e-6 * Math.max(spread, Math.abs(u), Math.abs(v), 1e-12);
  if (!same(left, right)) return { x, value, left, right, kind: "jump" };
  if (Number.isFinite(value) && !same(value, left)) return { x, value, left, right, kind: "point" };
  // One-sided difference quotients from the limits; h stays inside the neighbouring pieces.
  const h = Math.min(1e-4 * Math.max(1, Math.abs(x)), (x - previous) / 4, (next - x) / 4);
  const slopeLeft = (left - g(x - h)) / h;
  const slopeRight = (g(x + h) - right) / h;
  if (![slopeLeft, slopeRight].every(Number.isFinite)) return undefined;
  const corner = Math.abs(slopeLeft - slopeRight) > 1e-3 * (1 + Math.abs(slopeLeft) + Math.abs(slopeRight));
  return corner ? { x, value: Number.isFinite(value) ? value : left, left, right, kind: "corner" } : undefined;
}

/** Finite values only; a thrown error or a non-number is NaN. */
const safe = (f: (x: number) => number) => (x: number): number => {
  try {
    const y = f(x);
    return typeof y === "number" ? y : NaN;
  } catch {
    return NaN;
  }
};

/** A step inside a piece small enough to read a one-sided limit and large enough to move off x. */
const nudge = (x: number): number => 1e-9 * Math.max(1, Math.abs(x));

const finiteOrNull = (x: number, y: number): Point | null => (Number.isFinite(y) ? [x, y] : null);

/** No leading, trailing or doubled nulls; no repeated points. */
function tidy(points: readonly (Point | null)[]): (Point | null)[] {
  const out: (Point | null)[] = [];
  for (const p of points) {
    const last = out.at(-1);
    if (p === null) {
      if (last !== undefined && last !== null) out.push(null);
    } else if (last === undefined || last === null || last[0] !== p[0] || last[1] !== p[1]) {
      out.push(p);
    }
  }
  if (out.at(-1) === null) out.pop();
  return out;
}

/**
 * The spread of the bulk of the values (5th to 95th percentile), so that a pole does not set
 * the scale; the full range when the bulk is flat, and 1 for a constant.
 */
export function robustSpread(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return 1;
  const at = (q: number): number => finite[Math.min(finite.length - 1, Math.floor(q * (finite.length - 1)))]!;
  const bulk = at(0.95) - at(0.05);
  const full = finite.at(-1)! - finite[0]!;
  return bulk > 0 ? bulk : full > 0 ? full : Math.max(1, Math.abs(finite[0]!));
}
