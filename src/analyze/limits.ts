import { BudgetExceeded, checkBudget } from "../budget.js";
import { add, call, int, mul, pow, sub, sym } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { children, dependsOn } from "../ast/walk.js";
import { print } from "../ast/print.js";
import { constantValue, dominantLimit, polynomialIn, powerLimit } from "./dominant-terms.js";
import { evaluateInterval } from "./interval.js";
import { diff } from "../diff/diff.js";
import type { FnName } from "../functions/names.js";
import { fnSpec } from "../functions/table.js";
import { evaluateBig } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";

/**
 * Limits of an analytic formula (one branch, nothing piecewise) as x → +∞ or −∞, in the order of
 * trust:
 * 1. dominant terms (dominant-terms.ts) — the formula as a quotient of polynomials in x and
 *    exponentials e^{c·xᵏ} (the exp-rational form of src/verify); the limit is that of the ratio
 *    of the fastest-growing term of numerator and denominator, which is exact;
 * 2. composition — limits of the parts combined where the combination is determinate
 *    (atan(x) → π/2, log of something → ∞ …), with L'Hôpital's rule for 0·∞ and a logarithm of
 *    a product for ∞ − ∞ between logarithms;
 * 3. numeric — the value at x = ±10, ±10², …, ±10¹² at 60 digits, accepted only when it settles
 *    (or grows geometrically, for ±∞).
 */
export type LimitHow = "dominant terms" | "composition" | "L'Hôpital" | "numeric";

export interface Limit {
  readonly value: number;
  readonly how: LimitHow;
}

const MAX_DEPTH = 4;

export function limitAtInfinity(e: Expr, variable: string, side: 1 | -1): Limit | undefined {
  checkBudget();
  const engine = new Engine(variable, side);
  return engine.limit(e, 0) ?? numericLimit(e, variable, side);
}

const weaker = (a: LimitHow, b: LimitHow): LimitHow => {
  const order: LimitHow[] = ["dominant terms", "composition", "L'Hôpital", "numeric"];
  return order[Math.max(order.indexOf(a), order.indexOf(b))]!;
};

class Engine {
  private readonly memo = new Map<number, Limit | null>();
  constructor(readonly variable: string, readonly side: 1 | -1) {}

  limit(e: Expr, depth: number): Limit | undefined {
    const done = this.memo.get(e.id);
    if (done !== undefined) return done ?? undefined;
    let result: Limit | undefined;
    try {
      result = this.compute(e, depth);
    } catch (err) {
      // A spent budget ends the search for the limit; it is not a limit that does not exist.
      if (err instanceof BudgetExceeded) throw err;
      result = undefined;
    }
    if (result !== undefined && Number.isNaN(result.value)) result = undefined;
    this.memo.set(e.id, result ?? null);
    return result;
  }

  private compute(e: Expr, depth: number): Limit | undefined {
    if (!dependsOn(e, this.variable)) {
      const v = constantValue(e);
      return Number.isNaN(v) ? undefined : { value: v, how: "composition" };
    }
    const dominant = dominantLimit(e, this.variable, this.side) ?? powerLimit(e, this.variable, this.side);
    if (dominant !== undefined) return { value: dominant, how: "dominant terms" };
    switch (e.kind) {
      case "sym": return { value: this.side * Infinity, how: "composition" };
      case "add": return this.sum(e.terms, e, depth);
      case "mul": return this.product(e.factors, depth);
      case "pow": return this.power(e.base, e.exponent, depth);
      case "call": return this.call(e.fn, e.args, depth);
      default: return undefined;
    }
  }

  private sum(terms: readonly Expr[], whole: Expr, depth: number): Limit | undefined {
    const limits = terms.map((t) => this.limit(t, depth));
    if (limits.every((l): l is Limit => l !== undefined)) {
      const values = limits.map((l) => l.value);
      const how = limits.map((l) => l.how).reduce(weaker, "composition");
      if (!(values.includes(Infinity) && values.includes(-Infinity))) return { value: values.reduce((a, b) => a + b, 0), how };
    } else {
      // ±∞ plus terms with no limit that stay bounded on the tail (x + sin(x)²): still ±∞.
      const infinite = new Set(limits.filter((l) => l !== undefined && !Number.isFinite(l.value)).map((l) => l!.value));
      const unknown = terms.filter((_, i) => limits[i] === undefined);
      if (infinite.size === 1 && unknown.every((t) => this.bounded(t))) {
        const hows = limits.filter((l): l is Limit => l !== undefined).map((l) => l.how);
        return { value: [...infinite][0]!, how: hows.reduce(weaker, "composition") };
      }
    }
    if (depth >= MAX_DEPTH) return undefined;
    // ∞ − ∞ with a square root: a + c·√u = (a² − c²·u) / (a − c·√u).
    const conjugate = this.conjugate(terms, depth);
    if (conjugate !== undefined) return conjugate;
    // ∞ − ∞ between logarithms: Σ cᵢ log uᵢ + r = log(Π uᵢ^cᵢ · e^r)
    const viaLog = this.logarithmOfProduct(terms, depth);
    if (viaLog !== undefined) return viaLog;
    // Otherwise x · (sum / x): a product, where L'Hôpital may apply.
    const x = sym(this.variable);
    const over = simplify(mul(whole, pow(x, int(-1))));
    if (over.kind === "add") return undefined; // the same problem again
    return this.product([x, over], depth + 1);
  }

  /** Bounded on the tail beyond ±10⁶: a finite interval enclosure there proves it. */
  private bounded(e: Expr): boolean {
    const [lo, hi] = evaluateInterval(e, this.variable, this.side > 0 ? [1e6, Infinity] : [-Infinity, -1e6]);
    return Number.isFinite(lo) && Number.isFinite(hi);
  }

  private conjugate(terms: readonly Expr[], depth: number): Limit | undefined {
    const radicand = (f: Expr): Expr | undefined => {
      if (f.kind === "call" && f.fn === "sqrt") return f.args[0];
      if (f.kind === "pow" && f.exponent.kind === "num" && Q.equals(f.exponent.value, Q.rational(1n, 2n))) return f.base;
      return undefined;
    };
    // Each term k·√u with k free of x, one u for all: then r = K·√u and r² = K²·u exactly.
    const split = (t: Expr): { root: Expr; u: Expr; k: Expr } | undefined => {
      const factors = t.kind === "mul" ? t.factors : [t];
      const roots = factors.filter((f) => radicand(f) !== undefined && dependsOn(f, this.variable));
      if (roots.length !== 1 || factors.some((f) => f !== roots[0] && dependsOn(f, this.variable))) return undefined;
      return { root: roots[0]!, u: radicand(roots[0]!)!, k: mul(...factors.filter((f) => f !== roots[0])) };
    };
    const parts = terms.map(split);
    const rooted = parts.filter((p): p is NonNullable<typeof p> => p !== undefined);
    if (rooted.length === 0 || rooted.some((p) => p.root.id !== rooted[0]!.root.id)) return undefined;
    const rest = terms.filter((_, i) => parts[i] === undefined);
    if (rest.length === 0) return undefined;
    const a = simplify(add(...rest));
    const k = simplify(add(...rooted.map((p) => p.k)));
    const numerator = simplify(sub(mul(a, a), mul(k, k, rooted[0]!.u)));
    const denominator = simplify(sub(a, mul(k, rooted[0]!.root)));
    return this.product([numerator, simplify(pow(denominator, int(-1)))], depth + 1);
  }

  private logarithmOfProduct(terms: readonly Expr[], depth: number): Limit | undefined {
    const factors: Expr[] = [];
    const rest: Expr[] = [];
    for (const t of terms) {
      const [c, body] = t.kind === "mul" && t.factors[0]!.kind === "num" ? [t.factors[0].value, mul(...t.factors.slice(1))] : [Q.ONE, t];
      const argument = body.kind === "call" ? logArgument(body.fn, body.args[0]!) : undefined;
      if (argument !== undefined && Q.isInteger(c)) factors.push(pow(argument, int(Number(c.n))));
      else rest.push(t);
    }
    if (factors.length === 0) return undefined;
    const inner = simplify(mul(...factors, call("exp", [add(...rest)])));
    const l = this.limit(inner, depth + 1);
    if (l === undefined || l.value < 0) return undefined;
    return { value: l.value === Infinity ? Infinity : l.value === 0 ? -Infinity : Math.log(l.value), how: weaker(l.how, "composition") };
  }

  private product(factors: readonly Expr[], depth: number): Limit | undefined {
    const limits = factors.map((f) => this.limit(f, depth));
    if (limits.some((l) => l === undefined)) {
      // Squeeze: a factor → 0 times factors that are bounded on the tail (e^−x·sin x) → 0.
      const known = limits.filter((l): l is Limit => l !== undefined);
      const unknown = factors.filter((_, i) => limits[i] === undefined);
      if (known.some((l) => l.value === 0) && known.every((l) => Number.isFinite(l.value)) && unknown.every((f) => this.bounded(f))) {
        return { value: 0, how: known.map((l) => l.how).reduce(weaker, "composition") };
      }
      return undefined;
    }
    const ls = limits as Limit[];
    const how = ls.map((l) => l.how).reduce(weaker, "composition");
    const zeros = factors.filter((_, i) => ls[i]!.value === 0);
    const infinite = factors.filter((_, i) => !Number.isFinite(ls[i]!.value));
    const finite = ls.filter((l) => l.value !== 0 && Number.isFinite(l.value)).reduce((a, l) => a * l.value, 1);
    if (zeros.length === 0 || infinite.length === 0) {
      return { value: ls.reduce((a, l) => a * l.value, 1), how };
    }
    if (depth >= MAX_DEPTH) return undefined;
    // 0 · ∞ = u / (1/v) with u → 0 and 1/v → 0: L'Hôpital, lim u′ / (1/v)′.
    const u = simplify(mul(...zeros));
    const v = simplify(mul(...infinite));
    const ratio = (n: Expr, d: Expr): Limit | undefined => {
      const q = simplify(mul(simplify(diff(n, this.variable)), pow(simplify(diff(d, this.variable)), int(-1))));
      return this.limit(q, depth + 1);
    };
    const l = ratio(u, simplify(pow(v, int(-1)))) ?? ratio(v, simplify(pow(u, int(-1))));
    if (l === undefined) return undefined;
    return { value: finite * l.value, how: weaker(how, "L'Hôpital") };
  }

  private power(base: Expr, exponent: Expr, depth: number): Limit | undefined {
    if (exponent.kind !== "num") return undefined;
    const b = this.limit(base, depth);
    if (b === undefined) return undefined;
    const k = Q.toNumber(exponent.value);
    const integer = Q.isInteger(exponent.value);
    const odd = integer && exponent.value.n % 2n !== 0n;
    if (Number.isFinite(b.value) && b.value !== 0) {
      const v = b.value ** k;
      return Number.isNaN(v) ? undefined : { value: v, how: b.how };
    }
    if (b.value === 0) {
      if (k > 0) return { value: 0, how: b.how };
      // 1/u with u → 0: the sign of the approach decides; even powers are positive anyway.
      return integer && !odd ? { value: Infinity, how: b.how } : undefined;
    }
    if (k < 0) return { value: 0, how: b.how };
    if (b.value === Infinity) return { value: Infinity, how: b.how };
    return integer ? { value: odd ? -Infinity : Infinity, how: b.how } : undefined;
  }

  private call(fn: FnName, args: readonly Expr[], depth: number): Limit | undefined {
    const ls = args.map((a) => this.limit(a, depth));
    if (ls.some((l) => l === undefined)) return undefined;
    const values = (ls as Limit[]).map((l) => l.value);
    const how = (ls as Limit[]).map((l) => l.how).reduce(weaker, "composition");
    if (values.every(Number.isFinite)) {
      const v = fnSpec(fn).evaluate(...values);
      // At a finite limit the builtins are continuous except where they are undefined or switch.
      if (!Number.isFinite(v) || (fn === "sign" && values[0] === 0)) return undefined;
      return { value: v, how };
    }
    if (args.length !== 1) {
      if (fn === "min" || fn === "max") return { value: (fn === "min" ? Math.min : Math.max)(...values), how };
      return undefined;
    }
    const at = AT_INFINITY[fn];
    const v = values[0]! > 0 ? at?.[1] : at?.[0];
    return v === undefined || Number.isNaN(v) ? undefined : { value: v, how };
  }
}

/** The argument of a logarithm in disguise: log(u), log1p(u) = log(1 + u), softplus(u) = log(1 + e^u). */
function logArgument(fn: FnName, u: Expr): Expr | undefined {
  switch (fn) {
    case "log": return u;
    case "log1p": return add(int(1), u);
    case "softplus": return add(int(1), call("exp", [u]));
    default: return undefined;
  }
}

/** [limit at −∞, limit at +∞] of each builtin of one argument; undefined where it has none. */
const AT_INFINITY: Partial<Record<FnName, readonly [number | undefined, number | undefined]>> = {
  exp: [0, Infinity], log: [undefined, Infinity], log1p: [undefined, Infinity], expm1: [-1, Infinity],
  sqrt: [undefined, Infinity], abs: [Infinity, Infinity], sign: [-1, 1], atan: [-Math.PI / 2, Math.PI / 2],
  sinh: [-Infinity, Infinity], cosh: [Infinity, Infinity], tanh: [-1, 1], erf: [-1, 1], erfc: [2, 0], sigmoid: [0, 1],
  softplus: [0, Infinity],
};

// ---------------------------------------------------------------------------------------------
// Limits that do not exist.

const PERIODIC: ReadonlySet<FnName> = new Set(["sin", "cos"]);

/**
 * Why e has no limit as x → side·∞, when that is proved: e = r(x) + P(x) where r has a limit
 * (found symbolically) and P, made of sin and cos of a·x + b with one coefficient a, is periodic
 * and not constant (its values at two points differ at 60 digits). Undefined when not proved.
 */
export function noLimitReason(e: Expr, variable: string, side: 1 | -1): string | undefined {
  const terms = e.kind === "add" ? e.terms : [e];
  const periodicTerms = terms.filter((t) => periodicIn(t, variable) !== undefined);
  if (periodicTerms.length === 0) return undefined;
  const coefficients = new Set(periodicTerms.map((t) => periodicIn(t, variable)!));
  if (coefficients.size !== 1) return undefined;
  const rest = terms.filter((t) => !periodicTerms.includes(t));
  const engine = new Engine(variable, side);
  const restLimit = rest.length === 0 ? { value: 0, how: "composition" as const } : engine.limit(simplify(add(...rest)), 0);
  if (restLimit === undefined || !Number.isFinite(restLimit.value)) return undefined;
  const periodic = simplify(add(...periodicTerms));
  const a = [...coefficients][0]!;
  const period = Q.div(Q.fromInteger(2), a); // in units of π
  const at = (t: Q.Rational): number => evaluateBig(periodic, new Map([[variable, t]]), 60).toNumber();
  const values = [Q.ZERO, Q.rational(1n, 3n), Q.rational(1n, 2n), Q.rational(7n, 10n)].map(at);
  if (values.some(Number.isNaN) || Math.max(...values) - Math.min(...values) < 1e-20) return undefined;
  return `${print(periodic)} is periodic in ${variable} (period ${Q.toString(period)}·π) and not constant`;
}

/** The coefficient a when every occurrence of the variable in t is inside sin/cos(a·x + b), one a. */
function periodicIn(t: Expr, variable: string): Q.Rational | undefined {
  if (!dependsOn(t, variable)) return undefined;
  const found = new Set<string>();
  let coefficient: Q.Rational | undefined;
  let outside = false;
  const visit = (n: Expr): void => {
    if (!dependsOn(n, variable)) return;
    if (n.kind === "call" && PERIODIC.has(n.fn)) {
      const p = polynomialIn(n.args[0]!, variable);
      const linear = p !== undefined && [...p.keys()].every((d) => d <= 1) && (p.get(1) ?? 0) !== 0 ? linearCoefficient(n.args[0]!, variable) : undefined;
      if (linear === undefined) outside = true;
      else {
        found.add(Q.toString(linear));
        coefficient = linear;
      }
      return;
    }
    if (n.kind === "sym") { outside = true; return; }
    for (const c of children(n)) visit(c);
  };
  visit(t);
  return !outside && found.size === 1 ? coefficient : undefined;
}

/** a in a·x + b, exactly (a rational number). */
function linearCoefficient(e: Expr, variable: string): Q.Rational | undefined {
  const d = simplify(diff(e, variable));
  return d.kind === "num" && !Q.isZero(d.value) ? d.value : undefined;
}

// ---------------------------------------------------------------------------------------------

export const NUMERIC_LIMIT = "a numeric limit is the value at x = ±10^12 once the values at ±10^10, ±10^11, ±10^12 (60 significant digits) agree to 1e-9";

/** The last resort: the values at x = ±10ᵏ, k = 1…12, at 60 digits. */
function numericLimit(e: Expr, variable: string, side: 1 | -1): Limit | undefined {
  const values: number[] = [];
  for (let k = 1; k <= 12; k++) {
    checkBudget();
    try {
      const v = evaluateBig(e, new Map([[variable, Q.rational(BigInt(side) * 10n ** BigInt(k))]]), 60);
      values.push(v.isNaN() ? NaN : v.toNumber());
    } catch {
      return undefined;
    }
  }
  if (values.some(Number.isNaN)) return undefined;
  const [a, b, c] = values.slice(-3) as [number, number, number];
  if (!Number.isFinite(c)) return { value: c, how: "numeric" };
  const scale = Math.max(1, Math.abs(c));
  if (Math.abs(c - b) <= 1e-9 * scale && Math.abs(b - a) <= 1e-7 * scale) return { value: c, how: "numeric" };
  // Growing at least like a power: |v| multiplies by ≥ 5 per factor 10 of x, with one sign.
  if (Math.abs(c) > 5 * Math.abs(b) && Math.abs(b) > 5 * Math.abs(a) && Math.sign(a) === Math.sign(c) && Math.sign(b) === Math.sign(c)) {
    return { value: Math.sign(c) * Infinity, how: "numeric" };
  }
  return undefined;
}

/**
 * The intercept b of a linear asymptote f(x) = m·x + b + o(1), as the limit of the tangent's
 * intercept f(x) − x·f′(x). That needs no exact m (0.01 stays 1/100 only in f itself), and when
 * both limits exist they agree: if x·(f′ − m) tended to c ≠ 0, f − m·x would grow like c·log x.
 */
export function interceptLimit(f: Expr, df: Expr, variable: string, side: 1 | -1): Limit | undefined {
  return limitAtInfinity(simplify(sub(f, mul(sym(variable), df))), variable, side);
}
