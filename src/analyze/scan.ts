/**
 * Numeric scans: where a function of one variable changes sign on an open region, found on a
 * grid and refined by bisection to adjacent doubles. Used on f′ (extrema, monotonicity) and f″
 * (the maximum of |f′|), always on one analytic branch, so that a sign change is a zero and not
 * a jump.
 */

/** The scan: spacing 1/32 on [−100, 100], then geometric steps (×1.25) out to ±10⁶. */
export const SCAN = { step: 1 / 32, window: 100, far: 1e6, growth: 1.25 } as const;

export const scanDescription = (): string =>
  `grid of spacing 1/${1 / SCAN.step} on [-${SCAN.window}, ${SCAN.window}], geometric (×${SCAN.growth}) beyond to ±10^${Math.log10(SCAN.far)}, each sign change confirmed at 40 digits and its zero refined by bisection to adjacent doubles`;

/** The scan's points strictly inside (lo, hi). */
export function gridPoints(lo: number, hi: number): number[] {
  const out: number[] = [];
  const { step, window, far, growth } = SCAN;
  for (let x = -far; x < -window; x /= growth) if (x > lo && x < hi) out.push(x);
  const first = Math.ceil(Math.max(lo, -window) / step);
  const last = Math.floor(Math.min(hi, window) / step);
  for (let k = first; k <= last; k++) {
    const x = k * step;
    if (x > lo && x < hi) out.push(x);
  }
  const beyond: number[] = [];
  for (let x = far; x > window; x /= growth) if (x > lo && x < hi) beyond.push(x);
  // Next to a finite end too: a sign change between the last grid point and a breakpoint (a
  // minimum 0.025 left of a kink at 0) is otherwise stepped over.
  const edges = [lo, hi].filter(Number.isFinite).flatMap((e) => {
    const inward = e === lo ? 1 : -1;
    return [step / 64, 1e-9 * Math.max(1, Math.abs(e))].map((d) => e + inward * d);
  }).filter((x) => x > lo && x < hi);
  return [...new Set([...out, ...beyond.reverse(), ...edges])].sort((a, b) => a - b);
}

export interface SignChange {
  /** The zero, to adjacent doubles. */
  readonly x: number;
  readonly from: 1 | -1;
  readonly to: 1 | -1;
}

export interface SignScan {
  readonly changes: readonly SignChange[];
  /** Signs seen on the grid (exact zeros ignored). */
  readonly signs: ReadonlySet<1 | -1>;
  readonly max: number;
}

/**
 * Sign changes of g on (lo, hi). A value that is exactly 0 (or not finite) carries no sign. Where
 * the float64 sign flips, `precise` (a high-precision sign of g) confirms it at both ends first:
 * a difference of nearly equal terms can flip sign in float64 by rounding alone.
 */
export function signChanges(g: (x: number) => number, lo: number, hi: number, precise?: (x: number) => number): SignScan {
  const xs = gridPoints(lo, hi);
  const ys = xs.map(g);
  const max = ys.reduce((m, y) => (Number.isFinite(y) ? Math.max(m, Math.abs(y)) : m), 0);
  const sign = (y: number): 0 | 1 | -1 => (!Number.isFinite(y) || y === 0 ? 0 : y > 0 ? 1 : -1);
  const changes: SignChange[] = [];
  const signs = new Set<1 | -1>();
  let last: { x: number; s: 1 | -1; checked: boolean } | undefined;
  for (let i = 0; i < xs.length; i++) {
    let s = sign(ys[i]!);
    if (s === 0) continue;
    let checked = false;
    if (last === undefined && precise !== undefined) {
      // The first sign seen sets the baseline for every later comparison: make sure of it.
      const confirmed = sign(precise(xs[i]!));
      if (confirmed !== 0) s = confirmed;
      checked = true;
    } else if (last !== undefined && last.s !== s && precise !== undefined) {
      const before = last.checked ? last.s : sign(precise(last.x));
      s = sign(precise(xs[i]!));
      checked = true;
      if (before !== 0) last = { ...last, s: before, checked: true };
      if (s === 0) continue;
    }
    signs.add(s);
    if (last !== undefined && last.s !== s) changes.push({ x: bisect(g, last.x, xs[i]!, last.s), from: last.s, to: s });
    last = { x: xs[i]!, s, checked };
  }
  return { changes, signs, max };
}

/** A zero of g in [a, b] where sign(g(a)) = sa ≠ sign(g(b)), to adjacent doubles. */
export function bisect(g: (x: number) => number, a: number, b: number, sa: 1 | -1): number {
  let lo = a;
  let hi = b;
  for (let i = 0; i < 2000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    const v = g(mid);
    if (v === 0) return mid;
    if (Math.sign(v) === sa) lo = mid;
    else hi = mid;
  }
  return Math.abs(g(lo)) <= Math.abs(g(hi)) ? lo : hi;
}

/** ∫ₐᵇ g by Simpson's rule with at most `h` spacing (an even number of intervals). */
export function simpson(g: (x: number) => number, a: number, b: number, h: number): number {
  if (!(b > a)) return 0;
  const n = 2 * Math.max(1, Math.ceil((b - a) / (2 * h)));
  const step = (b - a) / n;
  let sum = g(a) + g(b);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * g(a + i * step);
  return (sum * step) / 3;
}
