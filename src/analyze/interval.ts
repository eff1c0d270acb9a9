import { assertNever, type Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import type { FnName } from "../functions/names.js";
import { fnSpec } from "../functions/table.js";
import type { Region } from "./regions.js";
import { bisect } from "./scan.js";
import { BudgetExceeded, budgetReason, checkBudget } from "../budget.js";
import { derivative, exactForm, rationalSigns } from "./real-roots.js";

/**
 * Interval arithmetic on one analytic branch: an enclosure of g(x) for all x in [a, b], ends
 * possibly infinite. Every bound is rounded outward (a few ulps for each operation and builtin,
 * whose float64 results are accurate to about one ulp), and builtins with a known range are
 * clamped to it, so that σ(x)·(1 − σ(x)) is provably ≥ 0 even where σ rounds to 1.
 */
export type Interval = readonly [number, number];

const WHOLE: Interval = [-Infinity, Infinity];
const RELATIVE = 8 * Number.EPSILON;

const down = (v: number): number => (Number.isFinite(v) ? v - Math.abs(v) * RELATIVE - Number.MIN_VALUE : v);
const up = (v: number): number => (Number.isFinite(v) ? v + Math.abs(v) * RELATIVE + Number.MIN_VALUE : v);
const widen = ([a, b]: Interval): Interval => [down(a), up(b)];
const valid = (i: Interval): Interval => (Number.isNaN(i[0]) || Number.isNaN(i[1]) ? WHOLE : i);

function addI(a: Interval, b: Interval): Interval {
  // A float sum that is exactly 0 is exact (x + (−x)); keep it, so that 1 − 1 stays [0, …].
  const lo = a[0] + b[0];
  const hi = a[1] + b[1];
  return valid([lo === 0 ? 0 : down(lo), hi === 0 ? 0 : up(hi)]);
}

/** ±2ᵏ: multiplying by it is exact in float64 (barring overflow). */
const exactScale = (i: Interval): boolean => i[0] === i[1] && i[0] !== 0 && Number.isFinite(i[0]) && Math.log2(Math.abs(i[0])) % 1 === 0;

function mulI(a: Interval, b: Interval): Interval {
  if (exactScale(a) || exactScale(b)) {
    const [c, other] = exactScale(a) ? [a[0], b] : [b[0], a];
    const ends: Interval = c > 0 ? [c * other[0], c * other[1]] : [c * other[1], c * other[0]];
    // Exact unless an end underflowed to 0 (−e^−x / 64 far out): then the general rule below.
    const underflow = (v: number, from: number): boolean => v === 0 && from !== 0;
    if (!underflow(ends[0], c > 0 ? other[0] : other[1]) && !underflow(ends[1], c > 0 ? other[1] : other[0])) return ends;
  }
  // A product with an exact 0 factor is exactly 0; any other may have rounded, and a product of
  // two tiny non-zero ends that underflows to 0 is not exact: it is widened like the others.
  // Such an underflow still has a known sign, so the bound on the other side of 0 stays 0.
  const ends: [number, number][] = [[a[0], b[0]], [a[0], b[1]], [a[1], b[0]], [a[1], b[1]]];
  const bound = (u: number, v: number, side: 1 | -1): number => {
    if (u === 0 || v === 0) return 0;
    const p = u * v;
    if (p !== 0) return side < 0 ? down(p) : up(p);
    return Math.sign(u) * Math.sign(v) === side ? side * Number.MIN_VALUE : 0;
  };
  const lows = ends.map(([u, v]) => bound(u, v, -1));
  const highs = ends.map(([u, v]) => bound(u, v, 1));
  return valid([Math.min(...lows), Math.max(...highs)]);
}

function reciprocal(a: Interval): Interval {
  // The sign of 1/a is that of a: a bound that rounds across 0 is clamped back to it.
  if (a[0] > 0) return [Math.max(0, down(1 / a[1])), up(1 / a[0])];
  if (a[1] < 0) return [down(1 / a[1]), Math.min(0, up(1 / a[0]))];
  if (a[0] === 0 && a[1] > 0) return [Math.max(0, down(1 / a[1])), Infinity];
  if (a[1] === 0 && a[0] < 0) return [-Infinity, Math.min(0, up(1 / a[0]))];
  return WHOLE;
}

/** mᵏ computed exactly in float64: m is 0 or ±2ʲ and nothing under- or overflows. */
const exactPower = (m: number, k: number): boolean =>
  m === 0 || (Math.log2(Math.abs(m)) % 1 === 0 && Number.isFinite(m ** k) && Math.abs(m ** k) >= 2 ** -1000);

function powI(base: Interval, exponent: Q.Rational): Interval {
  if (Q.isInteger(exponent)) {
    const k = Number(exponent.n);
    if (k < 0) return reciprocal(powI(base, Q.fromInteger(-k)));
    if (k === 0) return [1, 1];
    const [a, b] = base;
    const lowEnd = (m: number): number => (exactPower(m, k) ? m ** k : down(m ** k));
    const highEnd = (m: number): number => (exactPower(m, k) ? m ** k : up(m ** k));
    if (k % 2 === 1) return [lowEnd(a), highEnd(b)];
    const small = a <= 0 && b >= 0 ? 0 : Math.min(Math.abs(a), Math.abs(b));
    return [Math.max(0, lowEnd(small)), highEnd(Math.max(Math.abs(a), Math.abs(b)))];
  }
  const k = Q.toNumber(exponent);
  if (base[0] < 0) return WHOLE;
  const ends = [base[0] ** k, base[1] ** k];
  return widen([Math.min(...ends), Math.max(...ends)]);
}

/** Builtins that are monotone (increasing) on their domain, with their range. */
const INCREASING: Partial<Record<FnName, Interval>> = {
  exp: [0, Infinity], log: WHOLE, log1p: WHOLE, expm1: [-1, Infinity], sqrt: [0, Infinity],
  atan: [-Math.PI / 2 - 1e-15, Math.PI / 2 + 1e-15], sinh: WHOLE, tanh: [-1, 1], erf: [-1, 1],
  sigmoid: [0, 1], softplus: [0, Infinity], sign: [-1, 1],
};
const DOMAIN_FLOOR: Partial<Record<FnName, number>> = { log: 0, log1p: -1, sqrt: 0 };

function callI(fn: FnName, args: readonly Interval[]): Interval {
  const [a, b, c] = args;
  const f = fnSpec(fn).evaluate;
  const clamp = (i: Interval, r: Interval): Interval => [Math.max(i[0], r[0]), Math.min(i[1], r[1])];
  const range = INCREASING[fn];
  if (range !== undefined) {
    const floor = DOMAIN_FLOOR[fn];
    if (floor !== undefined && a![0] < floor) return WHOLE;
    const out: Interval = fn === "sign" ? [f(a![0]), f(a![1])] : widen([f(a![0]), f(a![1])]);
    return valid(clamp(out, range));
  }
  switch (fn) {
    case "abs": {
      if (a![0] >= 0) return a!;
      if (a![1] <= 0) return [-a![1], -a![0]];
      return [0, Math.max(-a![0], a![1])];
    }
    case "cosh": {
      const lo = a![0] <= 0 && a![1] >= 0 ? 1 : Math.min(Math.cosh(a![0]), Math.cosh(a![1]));
      return valid([Math.max(1, down(lo)), up(Math.max(Math.cosh(a![0]), Math.cosh(a![1])))]);
    }
    case "min": return [Math.min(a![0], b![0]), Math.min(a![1], b![1])];
    case "max": return [Math.max(a![0], b![0]), Math.max(a![1], b![1])];
    // clip(u, lo, hi) = min(max(u, lo), hi) is non-decreasing in each argument.
    case "clip": return [Math.min(Math.max(a![0], b![0]), c![0]), Math.min(Math.max(a![1], b![1]), c![1])];
    case "sin": case "cos": return [-1, 1];
    default: return WHOLE;
  }
}

/** An enclosure of e over x ∈ [lo, hi]. */
export function evaluateInterval(e: Expr, variable: string, x: Interval): Interval {
  const memo = new Map<number, Interval>();
  const value = (n: Expr): Interval => {
    const done = memo.get(n.id);
    if (done !== undefined) return done;
    let v: Interval;
    switch (n.kind) {
      case "num": {
        const f = Q.toNumber(n.value);
        v = Q.equals(Q.fromNumber(f), n.value) ? [f, f] : widen([f, f]);
        break;
      }
      case "const": v = widen(n.name === "pi" ? [Math.PI, Math.PI] : [Math.E, Math.E]); break;
      case "sym": v = n.name === variable ? x : WHOLE; break;
      case "add": v = n.terms.map(value).reduce(addI); break;
      case "mul": v = n.factors.map(value).reduce(mulI); break;
      case "pow": v = n.exponent.kind === "num" ? powI(value(n.base), n.exponent.value) : WHOLE; break;
      case "call": v = callI(n.fn, n.args.map(value)); break;
      case "piecewise": case "compare": case "logic": case "not": case "derivative": v = WHOLE; break;
      // Vectors are not analysed here: their enclosure is the whole line, which is always true.
      case "idx": case "elem": case "len": case "reduce": case "vcall": v = WHOLE; break;
      default: return assertNever(n);
    }
    memo.set(n.id, v);
    return v;
  };
  return value(e);
}

// ---------------------------------------------------------------------------------------------

/** Where the line is cut into pieces: unit steps on [−100, 100], decades beyond to 10⁶, then ∞. */
const CUTS: readonly number[] = (() => {
  const inner = Array.from({ length: 201 }, (_, i) => i - 100);
  const outer = [1e3, 1e4, 1e5, 1e6];
  return [-Infinity, ...outer.map((v) => -v).reverse(), ...inner, ...outer, Infinity];
})();
const MAX_DEPTH = 12;

export const intervalDescription = (): string =>
  "interval arithmetic with outward rounding on pieces (unit steps on [−100, 100], decades beyond, then the tails, where the limit of g at ±∞ and a one-signed g′ bound g), bisected up to 12 times; a piece where g changes sign must have g′ of one sign (one zero) and proved signs at its ends";

const EXACT_DESCRIPTION =
  "exact: Sturm sequence on the polynomial (on the numerator and denominator of a quotient of polynomials), rational coefficients in integer arithmetic: its real roots isolated, the sign between them by exact evaluation, each sign change placed by exact bisection";

/** How a certificate was obtained, for the method of the facts built on it. */
export function certificateDescription(c: Certificate): string {
  const exact = c.exact.filter((e) => e).length;
  const certified = c.regions.filter((r) => r !== undefined).length;
  if (exact === 0) return intervalDescription();
  if (exact === certified) return EXACT_DESCRIPTION;
  return `${EXACT_DESCRIPTION}, on the ${exact} region${exact > 1 ? "s" : ""} where g is a polynomial or a quotient of polynomials; elsewhere ${intervalDescription()}`;
}

/** "symbolic" when every certified region was decided exactly, else "interval". */
export const certificateKind = (c: Certificate): "symbolic" | "interval" =>
  c.regions.every((r, i) => r === undefined || c.exact[i]) && c.exact.some((e) => e) ? "symbolic" : "interval";

export interface RegionSigns {
  /** 1 or −1 when g has that sign (or is 0) on the whole region; 0 when it changes sign. */
  readonly sign: 1 | -1 | 0;
  /** Every sign change of g on the region, refined by bisection. */
  readonly zeros: readonly { readonly x: number; readonly from: 1 | -1; readonly to: 1 | -1 }[];
  /** The sign of g just inside the region's left end and just inside its right end (proved). */
  readonly ends: readonly [1 | -1 | 0, 1 | -1 | 0];
}

export interface Certificate {
  /** True when every region not skipped was resolved: its sign changes are exactly `zeros`. */
  readonly complete: boolean;
  /** Why it is not complete when the budget ran out (the regions left are unresolved). */
  readonly cut?: string;
  /** Per region; undefined when skipped or unresolved. */
  readonly regions: readonly (RegionSigns | undefined)[];
  /** Per region: whether it was decided exactly (g a polynomial or a quotient of polynomials there). */
  readonly exact: readonly boolean[];
}

/**
 * The limit of the order-th derivative of a region's branch as x → side·∞, when it was found by a
 * method that cannot be wrong (not a numeric guess); undefined otherwise.
 */
export type TailLimit = (g: Expr, variable: string, side: 1 | -1) => number | undefined;

/**
 * Proves the sign pattern of g = the order-th derivative on each region: every piece of the
 * region is shown ≥ 0 or ≤ 0, or to hold exactly one simple sign change (g′ of one sign there).
 */
export function certifySigns(regions: readonly Region[], order: number, skip: readonly boolean[], tailLimit?: TailLimit): Certificate {
  let cut: string | undefined;
  const exact = regions.map(() => false);
  const out = regions.map((r, i) => {
    if (skip[i] || cut !== undefined) return undefined;
    try {
      const decided = exactRegion(r, order);
      if (decided !== undefined) exact[i] = true;
      return decided ?? certifyRegion(r, order, tailLimit);
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
      cut = budgetReason(err.budget);
      return undefined;
    }
  });
  return { complete: out.every((c, i) => skip[i] || c !== undefined), regions: out, exact, ...(cut !== undefined && { cut }) };
}

/**
 * The signs of g on a region where g is a polynomial, or a quotient of polynomials without a pole
 * there, with rational coefficients: decided exactly (src/analyze/real-roots.ts), no enclosure
 * to widen and no depth to run out of, however clustered its roots. Undefined elsewhere.
 */
function exactRegion(r: Region, order: number): RegionSigns | undefined {
  // A polynomial branch is differentiated on its coefficients: expanding the symbolic f″ of a
  // product of 80 factors (80·79 products of 78) is what would be large.
  const branch = exactForm(r.branch, r.variable);
  const form = branch?.polynomial ? branch : exactForm(r.derivative(order), r.variable);
  if (form === undefined) return undefined;
  let num = form.num;
  if (form === branch) for (let k = 0; k < order; k++) num = derivative(num);
  const den = form.den;
  if (num.length === 0) return undefined;
  const pattern = rationalSigns(num, den, r.lo, r.hi);
  if (pattern === undefined) return undefined;
  const { gaps, changes } = pattern;
  return { sign: gaps.every((s) => s === gaps[0]) ? gaps[0]! : 0, zeros: changes, ends: [gaps[0]!, gaps.at(-1)!] };
}

type Piece = { readonly a: number; readonly b: number; readonly sign: 1 | -1 } | { readonly a: number; readonly b: number; readonly crossing: 1 | -1 };

/** The sign an enclosure proves: 1 for [≥ 0, > 0], −1 for [< 0, ≤ 0], 0 for none (or [0, 0]). */
const provedSign = ([lo, hi]: Interval): 1 | -1 | 0 => (lo >= 0 && hi > 0 ? 1 : hi <= 0 && lo < 0 ? -1 : 0);

function certifyRegion(r: Region, order: number, tailLimit?: TailLimit): RegionSigns | undefined {
  const variable = r.variable;
  const pieces: Piece[] = [];
  const cuts = [r.lo, ...CUTS.filter((c) => c > r.lo && c < r.hi), r.hi];
  const limits = new Map<string, number | undefined>();
  const limitAt = (k: number, side: 1 | -1): number | undefined => {
    const key = `${k} ${side}`;
    if (!limits.has(key)) limits.set(key, tailLimit?.(r.derivative(k), variable, side));
    return limits.get(key);
  };
  /**
   * The sign of the k-th derivative at a finite point, proved: an enclosure at the point, else
   * (an underflow or a true zero) its 40-digit sign; 0 when it is 0 there.
   */
  const pointSign = (k: number, v: number): 1 | -1 | 0 | undefined => {
    const proved = provedSign(evaluateInterval(r.derivative(k), variable, [v, v]));
    if (proved !== 0) return proved;
    const precise = r.preciseSign(k)(v);
    return Number.isNaN(precise) ? undefined : (Math.sign(precise) as 1 | -1 | 0);
  };
  /** At an end of a piece: the point's sign, or at ±∞ the sign of the limit (proved symbolically). */
  const endSign = (k: number, v: number): 1 | -1 | 0 | undefined => {
    if (Number.isFinite(v)) return pointSign(k, v);
    const limit = limitAt(k, v > 0 ? 1 : -1);
    return limit === undefined || Number.isNaN(limit) ? undefined : (Math.sign(limit) as 1 | -1 | 0);
  };
  /**
   * The sign of the k-th derivative on all of [a, b] (weak: it may touch 0 at isolated points), or
   * 0 when not proved: by its enclosure, or — where the enclosure is too wide (cancellation, a
   * tail) — because the next derivative has one sign, so that the k-th runs monotonically between
   * its values at the ends (at ±∞ its limit), and those have one sign.
   */
  const signOn = (k: number, a: number, b: number, levels: number): 1 | -1 | 0 => {
    const direct = provedSign(evaluateInterval(r.derivative(k), variable, [a, b]));
    if (direct !== 0 || levels === 0) return direct;
    if (signOn(k + 1, a, b, levels - 1) === 0) return 0;
    const sa = endSign(k, a);
    const sb = endSign(k, b);
    if (sa === undefined || sb === undefined) return 0;
    if (sa === 0 || sb === 0 || sa === sb) return (sa || sb) as 1 | -1 | 0;
    return 0;
  };
  const resolve = (a: number, b: number, depth: number): boolean => {
    // Up to 2¹² pieces for each of 200 cuts: the budget bounds what the bisection may cost.
    checkBudget();
    const sign = signOn(order, a, b, 2);
    if (sign !== 0) return pieces.push({ a, b, sign }), true;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      // g monotone on the piece (g′ of one sign; g analytic and not constant there, else the
      // ends would agree): at most one zero, placed by the signs at the ends.
      const slope = signOn(order + 1, a, b, 1);
      if (slope !== 0) return pieces.push({ a, b, crossing: slope }), true;
    }
    if (depth >= MAX_DEPTH || !Number.isFinite(a) || !Number.isFinite(b)) return false;
    const m = a + (b - a) / 2;
    return resolve(a, m, depth + 1) && resolve(m, b, depth + 1);
  };
  for (let i = 0; i + 1 < cuts.length; i++) if (!resolve(cuts[i]!, cuts[i + 1]!, 0)) return undefined;

  // The sign sequence along the region, from which the sign changes follow.
  const gNumber = r.numeric(order);
  const zeros: { x: number; from: 1 | -1; to: 1 | -1 }[] = [];
  const sequence: (1 | -1)[] = [];
  let current: 1 | -1 | undefined;
  const note = (s: 1 | -1, at: number): void => {
    if (current !== undefined && s !== current) zeros.push({ x: at, from: current, to: s });
    current = s;
    sequence.push(s);
  };
  for (const p of pieces) {
    if ("sign" in p) {
      // An enclosure ≥ 0 says nothing about where g is exactly 0; only a definite sign counts.
      note(p.sign, p.a);
      continue;
    }
    // g is strictly monotone here, so it has at most one zero: its end signs, proved, place it.
    const ga = pointSign(order, p.a);
    const gb = pointSign(order, p.b);
    if (ga === undefined || gb === undefined) return undefined;
    if (ga !== 0 && gb !== 0 && ga !== gb) {
      note(ga, p.a);
      zeros.push({ x: bisect(gNumber, p.a, p.b, ga), from: ga, to: gb });
      current = gb;
      sequence.push(gb);
    } else if (ga !== 0 || gb !== 0) {
      // One end is a zero (or both ends agree): g has the other end's sign inside the piece.
      note((ga !== 0 && gb !== 0 ? ga : ga === 0 ? gb : ga) as 1 | -1, p.a);
    } else return undefined;
  }
  // A switch between two signed pieces happens at their shared end, where g = 0.
  const signs = new Set(sequence);
  return { sign: signs.size === 1 ? sequence[0]! : 0, zeros, ends: [sequence[0] ?? 0, sequence.at(-1) ?? 0] };
}
