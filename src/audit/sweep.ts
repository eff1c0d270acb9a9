import { nextDown, nextDown32, nextUp, nextUp32 } from "./ulps.js";

/**
 * Where the audit looks: a jittered grid over [−1000, 1000] and a denser one over the region
 * where activations bend, magnitudes on a log scale down to 1e-300, fixed points named by the
 * issue (±1e-300, ±1e-8, ±20, ±40, ±710, ±745, ±1000) and both sides of every kink.
 *
 * Grid points are jittered (a seeded generator, so a sweep is reproducible): points such as k/8
 * have short mantissas and often round better than typical inputs, which would flatter the code.
 */
export const RANGE = 1000;

export interface SweepOptions {
  /** Points on the jittered grid over [−RANGE, RANGE]; the finer grids scale with it. */
  readonly density: number;
  /** Kinks of the function (where a branch switches), as doubles. */
  readonly kinks?: readonly number[];
  readonly seed?: number;
}

export const FIXED_POINTS: readonly number[] = [
  0, 5e-324, 1e-300, 1e-8, 1, 20, 40, 710, 745, RANGE,
].flatMap((p) => (p === 0 ? [0] : [p, -p]));

/** A small deterministic generator (mulberry32): the same seed gives the same sweep. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sorted, distinct float64 points in [−RANGE, RANGE]. */
export function sweepPoints(options: SweepOptions): number[] {
  const rand = random(options.seed ?? 20240601);
  const points = new Set<number>(FIXED_POINTS);
  const grid = (lo: number, hi: number, n: number): void => {
    const h = (hi - lo) / n;
    for (let i = 0; i < n; i++) points.add(lo + (i + rand()) * h);
  };
  const n = Math.max(8, Math.round(options.density));
  grid(-RANGE, RANGE, n);
  grid(-40, 40, n);
  grid(-4, 4, Math.ceil(n / 2));
  // Magnitudes 10^-300 … 10^3 on a log scale, about n of them on each side (at most a few per
  // decade), each with a random mantissa.
  const decades = 303;
  const count = Math.min(decades * Math.max(1, Math.round(n / 500)), Math.max(n, 40));
  for (let k = 0; k < count; k++) {
    const m = 10 ** (-300 + ((k + rand()) * decades) / count);
    if (m <= RANGE) points.add(m).add(-m);
  }
  for (const b of options.kinks ?? []) {
    for (const p of [b, nextUp(b), nextDown(b), b + 1e-8 * Math.max(1, Math.abs(b)), b - 1e-8 * Math.max(1, Math.abs(b)), b + 1e-3, b - 1e-3]) points.add(p);
  }
  return [...points].filter((p) => Math.abs(p) <= RANGE).map((p) => (p === 0 ? 0 : p)).sort((a, b) => a - b);
}

/** The same sweep as float32 inputs: each point rounded, with the float32 neighbours of each kink. */
export function sweepPoints32(points64: readonly number[], kinks: readonly number[] = []): number[] {
  const points = new Set<number>(points64.map(Math.fround));
  for (const b of kinks) {
    const b32 = Math.fround(b);
    points.add(b32).add(nextUp32(b32)).add(nextDown32(b32));
  }
  return [...points].filter((p) => Math.abs(p) <= RANGE).map((p) => (p === 0 ? 0 : p)).sort((a, b) => a - b);
}
