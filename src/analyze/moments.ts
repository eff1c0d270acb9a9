/** E f(Z) and √E f(Z)² for Z ~ N(0, 1), by Simpson's rule. */
import type { Bound, Region } from "./regions.js";
import { simpson } from "./scan.js";

/** Simpson's spacing for the moments. */
export const MOMENT_STEP = 1 / 256;

export function momentsOf(bound: Bound): { mean: number; rms: number } {
  const phi = (t: number): number => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
  const edges = [-12, ...bound.breakpoints.filter((p) => p > -12 && p < 12), 12];
  let mean = 0;
  let square = 0;
  for (let i = 0; i + 1 < edges.length; i++) {
    const [a, b] = [edges[i]!, edges[i + 1]!];
    if (!(b > a)) continue;
    const m = (a + b) / 2;
    // The region holding the interval. Breakpoints are rounded to doubles, and two that round
    // near each other (3.072 from x < 3.072 and from where the clip begins) leave an interval
    // between two regions' bounds as rounded: the region nearest its midpoint is the one.
    const distance = (r: Region): number => (m < r.lo ? r.lo - m : m > r.hi ? m - r.hi : 0);
    const region = bound.regions.reduce((best, r) => (distance(r) < distance(best) ? r : best));
    const g = region.numeric(0);
    mean += simpson((t) => g(t) * phi(t), a, b, MOMENT_STEP);
    square += simpson((t) => g(t) ** 2 * phi(t), a, b, MOMENT_STEP);
  }
  // Simpson's error here is below 1e-12 of the scale: digits beyond are noise (clip's mean came
  // out as −1.9e-16), so both are rounded to that absolute resolution.
  const rms = Math.sqrt(square);
  const resolution = 1e-12 * Math.max(1, rms);
  const snap = (v: number): number => round(Math.round(v / resolution) * resolution, 12) + 0;
  return { mean: snap(mean), rms: snap(rms) };
}

const round = (v: number, digits: number): number => Number(v.toPrecision(digits));
