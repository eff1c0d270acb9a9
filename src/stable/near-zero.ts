import type { Lanes } from "./stabilize.js";
import { add, call, compare, cond, mul, num, pow, sym } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeSymbols, postorder } from "../ast/walk.js";
import { TaylorSeries } from "../diff/series.js";
import { evaluateFloat } from "../numeric/evaluate.js";

/**
 * Subtraction near a zero: a sum whose terms agree at t = 0 to more orders than any one of them
 * vanishes (x − tanh x = x³/3 − …, log(1 + x) − x = −x²/2 + …, cosh x − 1) loses, near 0, the
 * digits its terms have in common: x − tanh x is 0 at x = 1e−8 where the truth is 3.3e−25. Found
 * by the Taylor coefficients of the sum and of its terms (src/diff/series.ts), never by name:
 * the sum's leading order L exceeds the lowest order of a term. There the sum is computed from
 * its Taylor polynomial Σ_(k=L…N) c_k·t^k, below a threshold T chosen from measured errors:
 *   - the written form is evaluated in float64 at points just above each candidate T and
 *     compared with the series (far from converged only where the series is not used);
 *   - the smallest T from which the written form is within max(2, 2κ) ulps (half the audit's
 *     4κ, for the series' own rounding) is kept — the fewer terms the cheaper and the more
 *     accurate the polynomial — or, where the written form is never that good within the
 *     series' reach, the largest T at which N ≤ MAX_ORDER terms still converge and do not
 *     cancel among themselves;
 *   - N is the least order whose next terms are below 2⁻⁵⁶ of the value at T.
 * The output is |t| < T ? polynomial : the sum as written, its terms stabilised.
 */
const MAX_ORDER = 160;
/** Orders the cancellation is looked for in: a sum whose terms agree beyond is taken as identically zero. */
const DETECT_ORDER = 12;
/** Relative size below which a coefficient is taken as 0: the terms' coefficients cancel in float64 to about this. */
const ZERO = 1e-13;

/**
 * Sums this module has written in the else branch of its own output: the cancellation there is left
 * (|t| ≥ T). One set per kind of code (scalar, vector lanes, tensors): the same interned sum is
 * stabilized once for each, and each must get its series.
 */
const guarded: Record<Lanes, WeakSet<Expr>> = { scalar: new WeakSet(), vector: new WeakSet(), tensor: new WeakSet() };

export function seriesNearZero(sum: Expr, lanes: Lanes): Expr | undefined {
  if (sum.kind !== "add" || guarded[lanes].has(sum) || !postorder(sum).some((n) => n.kind === "call")) return undefined;
  const names = freeSymbols(sum);
  if (names.size !== 1) return undefined;
  const [variable] = names as ReadonlySet<string> as Set<string>;
  const series = new TaylorSeries(variable!);
  const c = series.coefficients(sum, 0);
  if (c === undefined || c[0] !== 0) return undefined;
  const leading = cancellation(series, sum);
  if (leading === undefined) return undefined;
  const coefficients = series.coefficients(sum, MAX_ORDER);
  if (coefficients === undefined) return undefined;
  const choice = threshold(coefficients, leading, sum, variable!);
  if (choice === undefined) return undefined;
  guarded[lanes].add(sum);
  const t = sym(variable!);
  return cond(compare("<", call("abs", [t]), decimal(choice.T)), polynomial(coefficients, leading, choice.N, t), sum);
}

/** The sum's leading order where it is higher than a term's: the orders below cancel. */
function cancellation(series: TaylorSeries, sum: Extract<Expr, { kind: "add" }>): number | undefined {
  const total = series.coefficients(sum, DETECT_ORDER);
  const terms = sum.terms.map((t) => series.coefficients(t, DETECT_ORDER));
  if (total === undefined || terms.some((t) => t === undefined)) return undefined;
  const size = (k: number): number => terms.reduce((acc, t) => acc + Math.abs(t![k]!), 0);
  const leading = total.findIndex((v, k) => Math.abs(v) > ZERO * size(k));
  if (leading < 0) return undefined;
  const lowestTerm = Math.min(...terms.map((t) => t!.findIndex((v) => v !== 0)).filter((k) => k >= 0));
  return lowestTerm < leading ? leading : undefined;
}

/** The sum of c_k·t^k for k from `from` to `to`, smallest terms first. */
function seriesValue(c: readonly number[], from: number, to: number, t: number): number {
  let s = 0;
  for (let k = to; k >= from; k--) s += c[k]! * t ** k;
  return s;
}

/**
 * The least order N from which every further term is below 2⁻⁵⁶ of the leading one at t, or
 * undefined where the terms up to MAX_ORDER have not fallen that far (t beyond the series' reach).
 */
function ordersNeeded(c: readonly number[], leading: number, t: number): number | undefined {
  const lead = Math.abs(c[leading]! * t ** leading);
  const small = (k: number): boolean => Math.abs(c[k]! * t ** k) <= 2 ** -56 * lead;
  let N = MAX_ORDER;
  while (N > leading && small(N)) N--;
  return N <= MAX_ORDER - 8 ? N : undefined;
}

/** |t·S′(t)/S(t)| from the series. */
function conditionAt(c: readonly number[], leading: number, N: number, t: number): number {
  let s = 0;
  let ds = 0;
  for (let k = N; k >= leading; k--) {
    s += c[k]! * t ** k;
    ds += k * c[k]! * t ** k;
  }
  return Math.abs(ds / s);
}

/** Candidate thresholds: 2^(j/4) from 16 down, largest first. */
const CANDIDATES = Array.from({ length: 60 }, (_, i) => 2 ** ((16 - i) / 4));

function threshold(c: readonly number[], leading: number, sum: Expr, variable: string): { T: number; N: number } | undefined {
  const reachable = CANDIDATES.filter((T) => ordersNeeded(c, leading, T) !== undefined && wellConditioned(c, leading, T));
  if (reachable.length === 0) return undefined;
  let chosen = roundDown(reachable[0]!);
  for (const T of reachable) {
    if (!writtenFormGoodFrom(c, leading, sum, variable, T)) break;
    chosen = roundDown(T);
  }
  const N = ordersNeeded(c, leading, chosen);
  return N === undefined ? undefined : { T: chosen, N };
}

/**
 * Whether the terms of the series at ±t add up to at least half their magnitudes: beyond, the
 * polynomial itself cancels (1 + x + x² − e^x at x = −16: terms of 1e6 for a sum of 241), and
 * neither it nor the comparison with it is accurate.
 */
function wellConditioned(c: readonly number[], leading: number, t: number): boolean {
  return [t, -t].every((x) => {
    let sum = 0;
    let magnitude = 0;
    for (let k = MAX_ORDER; k >= leading; k--) {
      sum += c[k]! * x ** k;
      magnitude += Math.abs(c[k]! * x ** k);
    }
    return magnitude <= 2 * Math.abs(sum);
  });
}

/** Two significant digits, rounded down: a threshold a reader can scan, where the series converges at least as well. */
function roundDown(T: number): number {
  const exponent = Math.floor(Math.log10(T)) - 1;
  const rounded = Number(`${Math.floor(T / 10 ** exponent)}e${exponent}`);
  return rounded <= T ? rounded : Number(`${Math.floor(T / 10 ** exponent) - 1}e${exponent}`);
}

/** Whether the sum as written is within max(2, 2κ) ulps at points just above ±T (against the series). */
function writtenFormGoodFrom(c: readonly number[], leading: number, sum: Expr, variable: string, T: number): boolean {
  const N = ordersNeeded(c, leading, T * 2 ** (3 / 16));
  if (N === undefined) return false;
  for (let i = 0; i < 4; i++) {
    for (const sign of [1, -1]) {
      const t = sign * T * 2 ** (i / 16);
      const truth = seriesValue(c, leading, N + 4, t);
      const got = evaluateFloat(sum, new Map([[variable, t]]));
      const bound = Math.max(2, 2 * conditionAt(c, leading, N, t));
      if (!(Math.abs(got - truth) <= bound * ulp(truth))) return false;
    }
  }
  return true;
}

/** A double as the rational of its shortest decimal, which prints as a reader writes it and rounds back to the double. */
function decimal(x: number): Expr {
  const r = Q.fromDecimalString(String(Math.abs(x)));
  return num(x < 0 ? Q.neg(r) : r);
}

/** The spacing of doubles at x (the least subnormal's at 0). */
const ulp = (x: number): number => Math.max(2 ** -1074, 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52));

/**
 * t^L·(c_L + t^s·(c_(L+s) + …)) by Horner's rule, s = 2 where the series is even or odd beyond
 * its leading term (every other coefficient 0), else 1.
 */
function polynomial(c: readonly number[], leading: number, N: number, t: Expr): Expr {
  // Float64 coefficients of an even or odd part are 0 to about 1e−16 of their neighbours.
  const isZero = (k: number): boolean => Math.abs(c[k]!) <= 1e-12 * Math.max(Math.abs(c[k - 1]!), Math.abs(c[k + 1] ?? 0));
  let step = 2;
  for (let k = leading + 1; k <= N; k += 2) if (!isZero(k)) step = 1;
  const ts = step === 2 ? pow(t, num(Q.fromInteger(2))) : t;
  let acc: Expr = decimal(c[N - ((N - leading) % step)]!);
  for (let k = N - ((N - leading) % step) - step; k >= leading; k -= step) acc = add(decimal(c[k]!), mul(ts, acc));
  return mul(pow(t, num(Q.fromInteger(leading))), acc);
}
