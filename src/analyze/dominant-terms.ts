/**
 * Limits at ±∞ from the leading terms alone: of the exp-rational form (a quotient of polynomials
 * in x and exponentials e^{c·xᵏ}: the ratio of the fastest-growing terms), and of a product of
 * powers of polynomials, (1 + x²)^(−1/2) ~ |x|^(−1). Exact where they apply (src/analyze/limits.ts
 * tries them first).
 */
import { emptyScope } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { dependsOn, postorder } from "../ast/walk.js";
import { evaluateBig, evaluateFloat } from "../numeric/evaluate.js";
import { parseTopLevel } from "../parse/parse.js";
import { resolveTopLevel } from "../parse/resolve.js";
import { PI_VARIABLE, toExpRational } from "../verify/exp-rational.js";
import type * as P from "../verify/polynomial.js";

// ---------------------------------------------------------------------------------------------
// Dominant terms of the exp-rational form.

/** What a variable of the exp-rational form is, as x → ±∞. */
type Variable =
  | { readonly kind: "x" }
  | { readonly kind: "constant"; readonly value: number }
  /** e^{p(x)} with p(x) = Σ coefficient·x^degree, degree > 0. */
  | { readonly kind: "exponential"; readonly exponent: ReadonlyMap<number, number> };

const variableCache = new Map<string, Variable | null>();

function classify(name: string, variable: string): Variable | undefined {
  if (name === variable) return { kind: "x" };
  if (name === PI_VARIABLE) return { kind: "constant", value: Math.PI };
  const key = `${variable}\u0000${name}`;
  const cached = variableCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let result: Variable | undefined;
  try {
    // Exponential variables are named by their printed form, `exp(x / 2)`: read it back.
    const body = resolveTopLevel(parseTopLevel(name), name, emptyScope).body;
    if (body.kind === "call" && body.fn === "exp") {
      const p = polynomialIn(body.args[0]!, variable);
      if (p !== undefined) {
        if (p.size === 0 || [...p.keys()].every((d) => d === 0)) result = { kind: "constant", value: Math.exp(p.get(0) ?? 0) };
        else if ([...p.keys()].every((d) => d > 0)) result = { kind: "exponential", exponent: p };
      }
    }
  } catch {
    result = undefined;
  }
  variableCache.set(key, result ?? null);
  return result;
}

/** c·xᵏ sums as degree → coefficient; undefined for anything else. */
export function polynomialIn(e: Expr, variable: string): Map<number, number> | undefined {
  if (!dependsOn(e, variable)) {
    const v = constantValue(e);
    return Number.isFinite(v) ? new Map(v === 0 ? [] : [[0, v]]) : undefined;
  }
  if (e.kind === "sym") return new Map([[1, 1]]);
  if (e.kind === "add") {
    const out = new Map<number, number>();
    for (const t of e.terms) {
      const p = polynomialIn(t, variable);
      if (p === undefined) return undefined;
      for (const [d, c] of p) out.set(d, (out.get(d) ?? 0) + c);
    }
    return out;
  }
  if (e.kind === "mul") {
    let out = new Map([[0, 1]]);
    for (const f of e.factors) {
      const p = polynomialIn(f, variable);
      if (p === undefined) return undefined;
      const next = new Map<number, number>();
      for (const [d1, c1] of out) for (const [d2, c2] of p) next.set(d1 + d2, (next.get(d1 + d2) ?? 0) + c1 * c2);
      out = next;
    }
    return out;
  }
  if (e.kind === "pow" && e.base.kind === "sym" && e.exponent.kind === "num" && Q.isInteger(e.exponent.value)) {
    return new Map([[Number(e.exponent.value.n), 1]]);
  }
  return undefined;
}

interface Growth {
  readonly coefficient: number;
  /** Power of x. */
  readonly power: number;
  /** The polynomial in the exponent, degree → coefficient (degrees > 0). */
  readonly exponent: ReadonlyMap<number, number>;
}

function growthOf(term: P.Term, variable: string): Growth | undefined {
  let coefficient = Q.toNumber(term.coefficient);
  let power = 0;
  const exponent = new Map<number, number>();
  for (const [name, k] of term.monomial) {
    const v = classify(name, variable);
    if (v === undefined) return undefined;
    if (v.kind === "x") power += k;
    else if (v.kind === "constant") coefficient *= v.value ** k;
    else for (const [d, c] of v.exponent) exponent.set(d, (exponent.get(d) ?? 0) + k * c);
  }
  return { coefficient, power, exponent };
}

/** > 0 when a grows faster than b as x → side·∞, < 0 when slower, 0 when at the same rate. */
function compareGrowth(a: Growth, b: Growth, side: 1 | -1): number {
  const degrees = [...new Set([...a.exponent.keys(), ...b.exponent.keys()])].sort((p, q) => q - p);
  for (const d of degrees) {
    const c = (a.exponent.get(d) ?? 0) - (b.exponent.get(d) ?? 0);
    if (Math.abs(c) > 1e-12) return Math.sign(c * side ** d);
  }
  return a.power - b.power;
}

function leading(p: P.Poly, variable: string, side: 1 | -1): Growth | undefined {
  let best: Growth | undefined;
  for (const term of p.values()) {
    const g = growthOf(term, variable);
    if (g === undefined) return undefined;
    if (best === undefined) best = g;
    else {
      const c = compareGrowth(g, best, side);
      if (c > 0) best = g;
      else if (c === 0) best = { ...best, coefficient: best.coefficient + g.coefficient };
    }
  }
  if (best !== undefined && best.coefficient === 0) return undefined; // cancellation between constants
  return best;
}

/** The limit of an exp-rational formula from the leading terms of numerator and denominator. */
export function dominantLimit(e: Expr, variable: string, side: 1 | -1): number | undefined {
  const form = toExpRational(e);
  if ("outside" in form) return undefined;
  if (form.num.size === 0) return 0;
  const n = leading(form.num, variable, side);
  const d = leading(form.den, variable, side);
  if (n === undefined || d === undefined) return undefined;
  const c = n.coefficient / d.coefficient;
  const power = n.power - d.power;
  const sign = Math.sign(c) * (side < 0 && power % 2 !== 0 ? -1 : 1);
  const exponential = compareGrowth({ ...n, power: 0, coefficient: 1 }, { ...d, power: 0, coefficient: 1 }, side);
  if (exponential > 0) return sign * Infinity;
  if (exponential < 0) return 0;
  if (power > 0) return sign * Infinity;
  if (power < 0) return 0;
  return c;
}

// ---------------------------------------------------------------------------------------------
// Products of powers of polynomials: (1 + x²)^(−1/2) ~ |x|^(−1).

/** e ~ c·|x|^p as x → side·∞, from a product of powers of sums whose leading terms do not cancel. */
interface Monomial {
  readonly c: number;
  readonly p: number;
}

function asymptoticMonomial(e: Expr, variable: string, side: 1 | -1): Monomial | undefined {
  if (!dependsOn(e, variable)) {
    const v = constantValue(e);
    return Number.isFinite(v) && v !== 0 ? { c: v, p: 0 } : undefined;
  }
  switch (e.kind) {
    case "sym": return { c: side, p: 1 };
    case "mul": {
      let out: Monomial = { c: 1, p: 0 };
      for (const f of e.factors) {
        const m = asymptoticMonomial(f, variable, side);
        if (m === undefined) return undefined;
        out = { c: out.c * m.c, p: out.p + m.p };
      }
      return out;
    }
    case "add": {
      const ms = e.terms.map((t) => asymptoticMonomial(t, variable, side));
      if (ms.some((m) => m === undefined)) return undefined;
      const top = Math.max(...ms.map((m) => m!.p));
      const leading = ms.filter((m) => m!.p === top);
      const c = leading.reduce((sum, m) => sum + m!.c, 0);
      // Cancellation of the leading terms (x − √(x² + 1)) is for the conjugate rule, not for this one.
      const scale = Math.max(...leading.map((m) => Math.abs(m!.c)));
      return Math.abs(c) > 1e-9 * scale ? { c, p: top } : undefined;
    }
    case "call": {
      if (e.fn !== "sqrt") return undefined;
      const base = asymptoticMonomial(e.args[0]!, variable, side);
      return base === undefined || base.c < 0 ? undefined : { c: Math.sqrt(base.c), p: base.p / 2 };
    }
    case "pow": {
      if (e.exponent.kind !== "num") return undefined;
      const base = asymptoticMonomial(e.base, variable, side);
      if (base === undefined) return undefined;
      const k = Q.toNumber(e.exponent.value);
      if (base.c < 0 && !Q.isInteger(e.exponent.value)) return undefined;
      return { c: base.c ** k, p: base.p * k };
    }
    default: return undefined;
  }
}

/** The limit of a product of powers of polynomials, when one of its powers is not an integer. */
export function powerLimit(e: Expr, variable: string, side: 1 | -1): number | undefined {
  const fractional = postorder(e).some((n) => ((n.kind === "pow" && n.exponent.kind === "num" && !Q.isInteger(n.exponent.value)) || (n.kind === "call" && n.fn === "sqrt")) && dependsOn(n, variable));
  if (!fractional) return undefined;
  const m = asymptoticMonomial(e, variable, side);
  if (m === undefined) return undefined;
  return Math.abs(m.p) < 1e-12 ? m.c : m.p > 0 ? Math.sign(m.c) * Infinity : 0;
}

/**
 * A constant (no x in it, the parameters bound) as the double nearest its 60-digit value, and 0
 * below 1e-45: tan(π) is −1.2e-16 in float64 and ~1e-60 at 60 digits, and is 0. A number folds
 * exactly; NaN where it is undefined.
 */
export function constantValue(e: Expr): number {
  if (e.kind === "num") return Q.toNumber(e.value);
  try {
    const v = evaluateBig(e, new Map(), 60);
    if (v.isNaN()) return NaN;
    return v.isFinite() && v.abs().lt(1e-45) ? 0 : v.toNumber();
  } catch {
    return evaluateFloat(e, new Map());
  }
}
