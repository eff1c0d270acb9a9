import { add, call, int, mul, num, ONE, pow, sym } from "../ast/build.js";
import { assertNever, type Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { freeSymbols, postorder, treeSize } from "../ast/walk.js";
import { expandDerivatives } from "../diff/diff.js";
import type { FnName } from "../functions/names.js";
import { fnSpec } from "../functions/table.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import * as P from "./polynomial.js";
import { nameRecord } from "../ast/records.js";

/**
 * A decision procedure for the class most activations live in: rational functions of the
 * symbols and of exponentials of polynomials in them (exp, expm1, sigmoid, tanh, sinh, cosh,
 * +, −, ×, ÷, integer powers, and log of a product of exponentials).
 *
 * Every exponential e^{c·m} (c rational, m a monomial in the symbols such as x, β·x, x/β) is
 * written T_m^{c·L_m} with T_m = e^{m/L_m}, L_m the lcm of the denominators of all the c seen
 * for m, so that exponents are integers. A constant exponent c uses T = e^{1/L} the same way,
 * and `pi` is a variable of its own. Each side is then a quotient of (Laurent) polynomials with
 * rational coefficients in the symbols and the T's, and lhs = rhs is decided by cross-multiplying.
 *
 * Why a polynomial identity decides the claim: the symbols and the T_m (for distinct non-constant
 * monomials m) are algebraically independent over ℂ as functions. By the Ostrowski–Kolchin
 * theorem, exponentials e^{f₁}, …, e^{fₙ} of elements of the differential field ℂ(symbols) are
 * algebraically dependent over it only if some Π e^{kᵢfᵢ} (integers kᵢ, not all 0) lies in it,
 * i.e. Σ kᵢfᵢ is constant; distinct non-constant monomials are ℚ-linearly independent, so that
 * never happens. The constants are transcendental (π by Lindemann, e^{1/L} by
 * Lindemann–Weierstrass), so a nonzero polynomial in one of them is a nonzero number. Whether e
 * and π are algebraically independent is an open problem: a nonzero difference that involves
 * both is therefore reported as outside. (A zero difference proves equality whatever the
 * constants are: a formal identity holds at every value.)
 *
 * "Equal" means equal as functions wherever both sides are defined: x/x = 1 is proved equal.
 */

/** Bounds on the work done before giving up with "too large". */
export const LIMITS = {
  /** Terms in any intermediate polynomial. */
  maxTerms: 20_000,
  /** Term-by-term products in one polynomial multiplication (about a microsecond each). */
  maxProducts: 500_000,
  /** Term-by-term products in all multiplications of one decision. */
  maxWork: 5_000_000,
  /** |exponent| of any variable, e.g. the k in exp(k·x) = t^k. */
  maxDegree: 100_000,
} as const;

export interface ExpRational {
  /** Polynomials (no negative exponents) in the variables listed. */
  readonly num: P.Poly;
  readonly den: P.Poly;
  /** Symbol names, `exp(x / 2)`-style names of the exponential variables, and `π`. */
  readonly variables: readonly string[];
}

export interface Outside {
  /** Why the procedure cannot decide, naming the subexpression responsible. */
  readonly outside: string;
}

/** Where two sides that were proved different differ in float64 (when such a point was found). */
export interface Witness {
  readonly at: Readonly<Record<string, number>>;
  readonly lhs: number;
  readonly rhs: number;
}

export type Decision =
  | { readonly verdict: "proved-equal"; readonly variables: readonly string[]; readonly detail: string }
  | { readonly verdict: "proved-different"; readonly variables: readonly string[]; readonly detail: string; readonly witness?: Witness }
  | { readonly verdict: "outside"; readonly reason: string };

/** The name of the variable for π; the parser maps `π` to the constant, so no symbol has it. */
export const PI_VARIABLE = "π";

/** f(u) as a rational function of the single exponential t = e^{scale·u}. */
interface ExpRule { readonly kind: "exp"; readonly scale: Q.Rational; readonly form: (t: RatFn, ops: RatOps) => RatFn }
/** log(argument(u)): inside when the argument is a product of exponentials. */
interface LogRule { readonly kind: "log"; readonly argument: (u: Expr) => Expr }
interface OutsideRule { readonly kind: "outside"; readonly why: string }

const switching = (fn: FnName): OutsideRule => ({ kind: "outside", why: `${fn} is piecewise (it switches on a sign), not a rational function of exponentials` });
const trigonometric = (fn: FnName): OutsideRule => ({ kind: "outside", why: `${fn} is trigonometric: an exponential of i·u, not of a real exponent` });

/** How each builtin enters the class; typed by FnName, so a new builtin must be placed here. */
const RULES: Record<FnName, ExpRule | LogRule | OutsideRule> = {
  // e^u = t
  exp: { kind: "exp", scale: Q.ONE, form: (t) => t },
  // expm1(u) = e^u − 1 = t − 1
  expm1: { kind: "exp", scale: Q.ONE, form: (t, o) => o.add(t, o.constant(-1)) },
  // σ(u) = 1/(1 + e^{−u}) = 1/(1 + t), t = e^{−u}
  sigmoid: { kind: "exp", scale: Q.rational(-1n), form: (t, o) => o.inverse(o.add(o.constant(1), t)) },
  // tanh(u) = (e^{2u} − 1)/(e^{2u} + 1) = (t − 1)/(t + 1), t = e^{2u}
  tanh: { kind: "exp", scale: Q.rational(2n), form: (t, o) => o.mul(o.add(t, o.constant(-1)), o.inverse(o.add(t, o.constant(1)))) },
  // sinh(u) = (e^u − e^{−u})/2 = (t − 1/t)/2
  sinh: { kind: "exp", scale: Q.ONE, form: (t, o) => o.mul(o.add(t, o.mul(o.constant(-1), o.inverse(t))), o.constant(Q.rational(1n, 2n))) },
  // cosh(u) = (e^u + e^{−u})/2 = (t + 1/t)/2
  cosh: { kind: "exp", scale: Q.ONE, form: (t, o) => o.mul(o.add(t, o.inverse(t)), o.constant(Q.rational(1n, 2n))) },
  // log(e^v) = v
  log: { kind: "log", argument: (u) => u },
  // log1p(u) = log(1 + u), so log1p(e^v − 1) = v
  log1p: { kind: "log", argument: (u) => (u.kind === "call" && u.fn === "expm1" ? call("exp", u.args) : add(ONE, u)) },
  softplus: { kind: "outside", why: "softplus(u) = log(1 + e^u) is the logarithm of a sum, not a rational function of exponentials" },
  sqrt: { kind: "outside", why: "a square root is not a rational function" },
  abs: switching("abs"),
  sign: switching("sign"),
  min: switching("min"),
  max: switching("max"),
  clip: switching("clip"),
  sin: trigonometric("sin"),
  cos: trigonometric("cos"),
  tan: trigonometric("tan"),
  atan: { kind: "outside", why: "atan is not a rational function of exponentials" },
  erf: { kind: "outside", why: "erf is not elementary, not a rational function of exponentials" },
  erfc: { kind: "outside", why: "erfc is not elementary, not a rational function of exponentials" },
  atan_tail: { kind: "outside", why: "atan_tail contains atan, which is not a rational function of exponentials" },
  atan_rem: { kind: "outside", why: "atan_rem contains atan, which is not a rational function of exponentials" },
  // Claims with indices are split into the cases i = j and i ≠ j first (src/verify/vectors.ts).
  delta: { kind: "outside", why: "delta(i, j) is 1 or 0 by case, not a rational function of exponentials" },
  floor: { kind: "outside", why: "floor is a step function, not a rational function of exponentials" },
  // σ(u)(1 − σ(u)) = e^{−u}/(1 + e^{−u})² = t/(1 + t)², t = e^{−u}
  logistic_pdf: { kind: "exp", scale: Q.rational(-1n), form: (t, o) => o.mul(t, o.inverse(o.mul(o.add(o.constant(1), t), o.add(o.constant(1), t)))) },
  tanhshrink: { kind: "outside", why: "tanhshrink(u) = u − tanh(u) has u itself as a term, not only exponentials of it" },
  Phi: { kind: "outside", why: "Phi, the normal cdf, is not elementary, not a rational function of exponentials" },
  phi: { kind: "outside", why: "phi(u) = e^(−u²/2)/√(2π) has a square root of π as its constant" },
};

/** Converts one expression; unevaluated derivatives are evaluated first. */
export function toExpRational(e: Expr): ExpRational | Outside {
  const root = expandDerivatives(e);
  const converter = new Converter([root]);
  try {
    const r = converter.convert(root);
    // Negative powers go back into the denominator: multiply both by the monomial that clears them.
    const clear = clearingMonomial(r.num);
    const den = P.mul(converter.ops.expandDenominator(r.den, NO_FACTORS), clear);
    return { num: P.mul(r.num, clear), den, variables: variablesOf([r.num, den]) };
  } catch (err) {
    if (err instanceof LeavesClass) return { outside: err.reason };
    throw err;
  }
}

/**
 * Decides lhs = rhs for claims inside the exp-rational class, and says why when a claim is not.
 * Unevaluated derivatives are evaluated first. `proved-equal` and `proved-different` are proofs,
 * not samples (see the module comment); the witness of a difference is only an illustration.
 */
export function decideEquality(lhs: Expr, rhs: Expr): Decision {
  const l = expandDerivatives(lhs);
  const r = expandDerivatives(rhs);
  const converter = new Converter([l, r]);
  let difference: P.Poly;
  try {
    const a = converter.convert(l);
    const b = converter.convert(r);
    // a.num/a.den − b.num/b.den over the common denominator D = lcm(a.den, b.den)
    const common = lcm(a.den, b.den);
    const o = converter.ops;
    difference = o.sub(o.mulPoly(a.num, o.expandDenominator(common, a.den)), o.mulPoly(b.num, o.expandDenominator(common, b.den)));
  } catch (err) {
    if (err instanceof LeavesClass) return { verdict: "outside", reason: err.reason };
    throw err;
  }
  const variables = variablesOf([difference]);
  const usedVariables = converter.variablesUsed();
  if (P.isZero(difference)) {
    return { verdict: "proved-equal", variables: usedVariables, detail: `lhs − rhs is 0 as a rational function of ${listOrNone(usedVariables)}` };
  }
  if (converter.opaque.size > 0) {
    return { verdict: "outside", reason: `${[...converter.opaque].join(", ")} ${converter.opaque.size === 1 ? "is a constant" : "are constants"} outside the class, read as free; the difference is not 0 as a function of ${converter.opaque.size === 1 ? "it" : "them"}, which decides nothing` };
  }
  if (variables.includes(PI_VARIABLE) && variables.some((v) => converter.isConstantExponential(v))) {
    return {
      verdict: "outside",
      reason: "the difference is a nonzero polynomial in both pi and a power of e; whether e and pi are algebraically independent is unproven",
    };
  }
  const shown = P.toString(P.mul(difference, clearingMonomial(difference)));
  const detail = `the numerator of lhs − rhs over a common denominator is ${shown.length > 200 ? `${shown.slice(0, 199)}… (${difference.size} terms)` : shown}, not 0`;
  const witness = findWitness(l, r);
  return { verdict: "proved-different", variables: usedVariables, detail, ...(witness ? { witness } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Rational functions with a factored denominator: num / Π fᵢ^{mᵢ}. Keeping the factors apart lets
// a sum of terms over (1 + t) share that denominator instead of squaring it, which is what keeps
// σ(1 − σ)-style expressions small without polynomial division.

interface Factor { readonly poly: P.Poly; readonly multiplicity: number }
type Denominator = ReadonlyMap<string, Factor>;
interface RatFn { readonly num: P.Poly; readonly den: Denominator }

/** Internal early exit; turned into an `outside` verdict at the public boundary. */
class LeavesClass extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
const outside = (reason: string): never => {
  throw new LeavesClass(reason);
};

interface RatOps {
  constant(c: number | Q.Rational): RatFn;
  add(a: RatFn, b: RatFn): RatFn;
  mul(a: RatFn, b: RatFn): RatFn;
  inverse(a: RatFn, what?: Expr): RatFn;
}

const NO_FACTORS: Denominator = new Map();
const fromPoly = (p: P.Poly): RatFn => ({ num: p, den: NO_FACTORS });

/** The lcm of two factored denominators: the larger multiplicity of each factor. */
function lcm(a: Denominator, b: Denominator): Denominator {
  if (a === b || b.size === 0) return a;
  if (a.size === 0) return b;
  const out = new Map(a);
  for (const [k, f] of b) {
    const m = out.get(k)?.multiplicity ?? 0;
    if (f.multiplicity > m) out.set(k, f);
  }
  return out;
}

function sameDenominator(a: Denominator, b: Denominator): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [k, f] of a) if (b.get(k)?.multiplicity !== f.multiplicity) return false;
  return true;
}

/**
 * p = scalar · shift · primitive, with `shift` a monic monomial (possibly with negative
 * exponents) and `primitive` a polynomial in which every variable has smallest exponent 0 and
 * whose first term has coefficient 1. Two polynomials that differ by a nonzero constant or
 * monomial factor have the same primitive part, which is what makes factors comparable by key.
 */
function normalise(p: P.Poly): { scalar: Q.Rational; shift: P.Poly; primitive: P.Poly } {
  const shift = P.monomial(P.minimalExponents(p));
  const shifted = P.mul(p, P.invertTerm(shift));
  const scalar = P.terms(shifted)[0]!.coefficient;
  return { scalar, shift, primitive: P.scale(shifted, Q.div(Q.ONE, scalar)) };
}

class Ops implements RatOps {
  /** Term products so far, against LIMITS.maxWork. */
  private work = 0;

  constant(c: number | Q.Rational): RatFn {
    return fromPoly(P.constant(typeof c === "number" ? Q.fromInteger(c) : c));
  }

  checked(p: P.Poly): P.Poly {
    if (p.size > LIMITS.maxTerms) outside(`too large: an intermediate polynomial has more than ${LIMITS.maxTerms} terms`);
    if (P.degree(p) > LIMITS.maxDegree) outside(`too large: an exponent exceeds ${LIMITS.maxDegree}`);
    return p;
  }

  mulPoly(a: P.Poly, b: P.Poly): P.Poly {
    if (a.size * b.size > LIMITS.maxProducts) outside(`too large: multiplying polynomials of ${a.size} and ${b.size} terms`);
    this.work += a.size * b.size;
    if (this.work > LIMITS.maxWork) outside(`too large: more than ${LIMITS.maxWork} term products in all`);
    return this.checked(P.mul(a, b));
  }

  sub(a: P.Poly, b: P.Poly): P.Poly {
    return this.checked(P.sub(a, b));
  }

  powPoly(p: P.Poly, n: number): P.Poly {
    if (p.size === 1) return this.checked(P.pow(p, n)); // a monomial stays one term
    let result = P.ONE;
    let base = p;
    for (let k = n; k > 0; k = Math.floor(k / 2)) {
      if (k % 2 === 1) result = this.mulPoly(result, base);
      if (k > 1) base = this.mulPoly(base, base);
    }
    return result;
  }

  /** Π fᵢ^{mᵢ − omitᵢ}: the factors of `den` not already in `omit`. */
  expandDenominator(den: Denominator, omit: Denominator): P.Poly {
    let out = P.ONE;
    for (const [k, f] of den) {
      const m = f.multiplicity - (omit.get(k)?.multiplicity ?? 0);
      if (m > 0) out = this.mulPoly(out, this.powPoly(f.poly, m));
    }
    return out;
  }

  /** Cancels the numerator against an equal denominator factor, the one cheap gcd that pays. */
  private make(numerator: P.Poly, den: Denominator): RatFn {
    if (den.size === 0 || P.isZero(numerator)) return { num: numerator, den: P.isZero(numerator) ? NO_FACTORS : den };
    const { scalar, shift, primitive } = normalise(numerator);
    const k = P.key(primitive);
    const f = den.get(k);
    if (f === undefined) return { num: numerator, den };
    const rest = new Map(den);
    if (f.multiplicity > 1) rest.set(k, { poly: f.poly, multiplicity: f.multiplicity - 1 });
    else rest.delete(k);
    return { num: P.scale(shift, scalar), den: rest };
  }

  add(a: RatFn, b: RatFn): RatFn {
    if (P.isZero(a.num)) return b;
    if (P.isZero(b.num)) return a;
    if (sameDenominator(a.den, b.den)) return this.make(this.checked(P.add(a.num, b.num)), a.den);
    const common = lcm(a.den, b.den);
    const left = this.mulPoly(a.num, this.expandDenominator(common, a.den));
    const right = this.mulPoly(b.num, this.expandDenominator(common, b.den));
    return this.make(this.checked(P.add(left, right)), common);
  }

  mul(a: RatFn, b: RatFn): RatFn {
    if (P.isZero(a.num) || P.isZero(b.num)) return fromPoly(P.ZERO);
    const den = new Map(a.den);
    for (const [k, f] of b.den) den.set(k, { poly: f.poly, multiplicity: (den.get(k)?.multiplicity ?? 0) + f.multiplicity });
    // Cancel each numerator before multiplying, while it is still small enough to recognise.
    const left = this.make(a.num, den);
    const right = this.make(b.num, left.den);
    return { num: this.mulPoly(left.num, right.num), den: right.den };
  }

  /** 1/a; `what` names the expression for the message when a is identically zero. */
  inverse(a: RatFn, what?: Expr): RatFn {
    if (P.isZero(a.num)) {
      return outside(`undefined: ${what ? describe(what) : "a denominator"} is identically zero, so its reciprocal is defined nowhere`);
    }
    const { scalar, shift, primitive } = normalise(a.num);
    const num = P.scale(this.mulPoly(this.expandDenominator(a.den, NO_FACTORS), P.invertTerm(shift)), Q.div(Q.ONE, scalar));
    if (P.asConstant(primitive) !== undefined) return fromPoly(num);
    return { num, den: new Map([[P.key(primitive), { poly: primitive, multiplicity: 1 }]]) };
  }

  power(a: RatFn, n: number, what?: Expr): RatFn {
    if (n < 0) return this.power(this.inverse(a, what), -n);
    if (n === 0) return this.constant(1);
    const den = new Map<string, Factor>();
    for (const [k, f] of a.den) den.set(k, { poly: f.poly, multiplicity: f.multiplicity * n });
    return { num: this.powPoly(a.num, n), den };
  }
}

// ---------------------------------------------------------------------------------------------

/** An exponential variable T = e^{m/L}. */
interface ExpVariable { readonly monomial: P.Monomial; scale: bigint; name?: string }

const gcdBig = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcdBig(b, a % b));
const lcmBig = (a: bigint, b: bigint): bigint => (a / gcdBig(a, b)) * b;

class Converter {
  readonly ops = new Ops();
  /** Keyed by the monomial key of m (the empty key for a constant exponent). */
  private readonly exponentials = new Map<string, ExpVariable>();
  /** Symbol-level Laurent polynomial of an exponent, or why it is not one. */
  private readonly laurentMemo = new Map<number, P.Poly | { why: string }>();
  private readonly memo = new Map<number, RatFn>();
  private readonly used = new Set<string>();
  /**
   * Constant subexpressions outside the class (sqrt(2 / pi), log(2)), each read as a variable of
   * its own. That is sound for equality: an identity of rational functions holds whatever value
   * the variable takes. It is not for a difference, since the constant's own relations are lost.
   */
  readonly opaque = new Set<string>();

  /** A variable for a constant the class cannot express, or undefined if `e` is not one. */
  opaqueConstant(e: Expr): P.Poly | undefined {
    if (e.kind !== "call" || freeSymbols(e).size > 0 || postorder(e).some((n) => n.kind !== "num" && n.kind !== "const" && n.kind !== "call" && n.kind !== "mul" && n.kind !== "add" && n.kind !== "pow")) return undefined;
    const name = print(e);
    this.opaque.add(name);
    this.used.add(name);
    return P.variable(name);
  }

  /** First pass: every exponent in the DAG, so that each T's L is known before any is used. */
  constructor(roots: readonly Expr[]) {
    for (const root of roots) {
      for (const n of postorder(root)) {
        if (n.kind === "const" && n.name === "e") this.collect(P.ONE);
        if (n.kind !== "call") continue;
        const rule = RULES[n.fn];
        if (rule.kind !== "exp") continue;
        // Exponents that are not polynomials are reported in the second pass, where it is clear
        // which subexpression is responsible; here they are only skipped.
        const u = this.laurent(n.args[0]!);
        if (!("why" in u)) this.collect(P.scale(u, rule.scale));
      }
    }
  }

  private collect(exponent: P.Poly): void {
    for (const [k, t] of exponent) {
      const existing = this.exponentials.get(k);
      if (existing) existing.scale = lcmBig(existing.scale, t.coefficient.d);
      else this.exponentials.set(k, { monomial: t.monomial, scale: t.coefficient.d });
    }
  }

  variablesUsed(): string[] {
    return [...this.used].sort();
  }

  isConstantExponential(name: string): boolean {
    return this.exponentials.get("")?.name === name;
  }

  /** e^{exponent} as a monomial in the T's: e^{c·m} = T_m^{c·L_m}. */
  private exponential(exponent: P.Poly): P.Poly {
    const pairs: [string, number][] = [];
    for (const [k, t] of exponent) {
      const v = this.exponentials.get(k);
      if (v === undefined) throw new Error(`internal error: exponent monomial ${k} was not collected`);
      const power = t.coefficient.n * (v.scale / t.coefficient.d);
      if (power > BigInt(LIMITS.maxDegree) || -power > BigInt(LIMITS.maxDegree)) outside(`too large: e^(${P.toString(exponent)}) needs a power above ${LIMITS.maxDegree}`);
      v.name ??= print(call("exp", [mul(num(Q.rational(1n, v.scale)), monomialExpr(v.monomial))]));
      this.used.add(v.name);
      pairs.push([v.name, Number(power)]);
    }
    return P.monomial(pairs);
  }

  convert(e: Expr): RatFn {
    const done = this.memo.get(e.id);
    if (done !== undefined) return done;
    const result = this.rule(e);
    this.memo.set(e.id, result);
    return result;
  }

  private rule(e: Expr): RatFn {
    const o = this.ops;
    switch (e.kind) {
      case "num": return o.constant(e.value);
      case "sym":
        this.used.add(e.name);
        return fromPoly(P.variable(e.name));
      case "const":
        if (e.name === "e") return fromPoly(this.exponential(P.ONE));
        this.used.add(PI_VARIABLE);
        return fromPoly(P.variable(PI_VARIABLE));
      case "add": return e.terms.map((t) => this.convert(t)).reduce((a, b) => o.add(a, b));
      case "mul": return e.factors.map((f) => this.convert(f)).reduce((a, b) => o.mul(a, b));
      case "pow": {
        const n = integerExponent(e);
        return o.power(this.convert(e.base), n, e.base);
      }
      case "call": return this.callRule(e);
      case "piecewise": return outside(`${describe(e)} is piecewise, not a rational function of exponentials`);
      case "compare": case "logic": case "not": return outside(`${describe(e)} is a condition, not a number`);
      case "derivative": return this.convert(expandDerivatives(e));
      case "idx": case "elem": case "len": case "reduce": case "vcall":
        return outside(`${describe(e)} involves a vector; vector claims are decided element by element (src/verify/vectors.ts)`);
      default: return assertNever(e);
    }
  }

  private callRule(e: Extract<Expr, { kind: "call" }>): RatFn {
    const folded = foldNumeric(e);
    if (folded !== undefined) return this.convert(folded);
    const rule = RULES[e.fn];
    if (rule.kind === "outside") {
      const c = this.opaqueConstant(e);
      if (c !== undefined) return fromPoly(c);
    }
    switch (rule.kind) {
      case "exp": {
        const u = this.laurent(e.args[0]!);
        if ("why" in u) return outside(u.why.startsWith("too large") ? u.why : `${describe(e)}: its argument ${u.why}`);
        return rule.form(fromPoly(this.exponential(P.scale(u, rule.scale))), this.ops);
      }
      case "log": {
        const v = this.logarithm(rule.argument(e.args[0]!));
        if ("why" in v) return outside(`${describe(e)}: ${v.why}`);
        return fromPoly(v);
      }
      case "outside": return outside(`${describe(e)}: ${rule.why}`);
      default: return assertNever(rule, "rule");
    }
  }

  /**
   * An exponent as a Laurent polynomial in the symbols with rational coefficients — the only
   * exponents whose exponentials are known to be independent (see the module comment).
   */
  private laurent(u: Expr): P.Poly | { why: string } {
    const done = this.laurentMemo.get(u.id);
    if (done !== undefined) return done;
    let result: P.Poly | { why: string };
    try {
      result = this.laurentRule(u);
    } catch (err) {
      if (!(err instanceof LeavesClass)) throw err;
      result = { why: err.reason };
    }
    this.laurentMemo.set(u.id, result);
    return result;
  }

  private laurentRule(u: Expr): P.Poly {
    const notPolynomial = (): never => outside(`contains ${describe(u)}, which is not a polynomial in the symbols`);
    const sub = (v: Expr): P.Poly => {
      const r = this.laurent(v);
      return "why" in r ? outside(r.why) : r;
    };
    switch (u.kind) {
      case "num": return P.constant(u.value);
      case "sym": return P.variable(u.name);
      case "add": return u.terms.map(sub).reduce((a, b) => this.ops.checked(P.add(a, b)));
      case "mul": return u.factors.map(sub).reduce((a, b) => this.ops.mulPoly(a, b));
      case "pow": {
        if (u.exponent.kind !== "num" || !Q.isInteger(u.exponent.value)) return notPolynomial();
        const n = Number(u.exponent.value.n);
        const base = sub(u.base);
        if (n >= 0) return this.ops.powPoly(base, n);
        // x^(−n) is a Laurent monomial; (1 + x)^(−1) is not a polynomial
        if (base.size !== 1) return notPolynomial();
        return this.ops.powPoly(P.invertTerm(base), -n);
      }
      case "call": {
        const folded = foldNumeric(u);
        if (folded !== undefined) return sub(folded);
        const rule = RULES[u.fn];
        const c = rule.kind === "log" ? undefined : this.opaqueConstant(u);
        if (c !== undefined) return c;
        if (rule.kind !== "log") return notPolynomial();
        const v = this.logarithm(rule.argument(u.args[0]!));
        return "why" in v ? outside(v.why) : v;
      }
      case "const": return outside(`contains the constant ${u.name}; only rational coefficients are inside`);
      case "piecewise": case "compare": case "logic": case "not": case "derivative":
      case "idx": case "elem": case "len": case "reduce": case "vcall":
        return notPolynomial();
      default: return assertNever(u);
    }
  }

  /** log(a) when a is a product of powers of exponentials (and of e): the sum of their exponents. */
  private logarithm(a: Expr): P.Poly | { why: string } {
    const go = (f: Expr): P.Poly => {
      // log(e^v) = v
      if (f.kind === "call" && f.fn === "exp") {
        const v = this.laurent(f.args[0]!);
        return "why" in v ? outside(`the exponent of ${describe(f)} ${v.why}`) : v;
      }
      // log(e) = 1, log(1) = 0
      if (f.kind === "const" && f.name === "e") return P.ONE;
      if (f.kind === "num" && Q.isOne(f.value)) return P.ZERO;
      // log(Π fᵢ) = Σ log(fᵢ), each fᵢ positive here
      if (f.kind === "mul") return f.factors.map(go).reduce((p, q) => this.ops.checked(P.add(p, q)));
      // log(f^c) = c·log(f), f > 0
      if (f.kind === "pow" && f.exponent.kind === "num") return P.scale(go(f.base), f.exponent.value);
      return outside(f === a
        ? `${describe(a)} is not a product of exponentials, the only logarithms inside the class`
        : `${describe(a)} has the factor ${describe(f)}, which is not an exponential; only logarithms of products of exponentials are inside the class`);
    };
    try {
      return go(a);
    } catch (err) {
      if (err instanceof LeavesClass) return { why: err.reason };
      throw err;
    }
  }
}

/** A builtin applied to numbers, folded where the table knows an exact value (abs(−2) = 2). */
function foldNumeric(e: Extract<Expr, { kind: "call" }>): Expr | undefined {
  if (!e.args.every((a) => a.kind === "num")) return undefined;
  const folded = fnSpec(e.fn).fold?.(e.args.map((a) => (a as Extract<Expr, { kind: "num" }>).value));
  return folded === e ? undefined : folded;
}

function integerExponent(e: Extract<Expr, { kind: "pow" }>): number {
  const k = e.exponent;
  if (k.kind !== "num") return outside(`${describe(e)}: the exponent ${describe(k)} is not a number`);
  if (!Q.isInteger(k.value)) return outside(`${describe(e)}: the exponent ${Q.toString(k.value)} is not an integer`);
  if (k.value.n > BigInt(LIMITS.maxDegree) || -k.value.n > BigInt(LIMITS.maxDegree)) return outside(`too large: ${describe(e)} has an exponent above ${LIMITS.maxDegree}`);
  return Number(k.value.n);
}

/** The monic monomial that turns a Laurent polynomial into a polynomial (x⁻² + 1 → x²). */
const clearingMonomial = (p: P.Poly): P.Poly =>
  P.monomial([...P.minimalExponents(p)].filter(([, k]) => k < 0).map(([v, k]) => [v, -k] as const));

const monomialExpr = (m: P.Monomial): Expr => mul(...m.map(([v, k]) => pow(sym(v), int(k))));

function variablesOf(polys: readonly P.Poly[]): string[] {
  const out = new Set<string>();
  for (const p of polys) for (const v of P.variables(p)) out.add(v);
  return [...out].sort();
}

const listOrNone = (names: readonly string[]): string => (names.length ? names.join(", ") : "no variables");

/** A subexpression for a message: printed, but never a huge tree written out. */
function describe(e: Expr): string {
  if (treeSize(e) > 200) return e.kind === "call" ? `${e.fn}(…)` : `a ${e.kind} of ${treeSize(e)} nodes`;
  const text = print(e);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

const WITNESS_VALUES = [0.5, 1, -1, 2, -1.5, 0.25, 3, -2.5];

/** A point where float64 sees the difference, to show a reader; the verdict does not depend on it. */
function findWitness(l: Expr, r: Expr): Witness | undefined {
  const names = [...new Set([...freeSymbols(l), ...freeSymbols(r)])].sort();
  for (let i = 0; i < WITNESS_VALUES.length; i++) {
    const at: Record<string, number> = nameRecord();
    names.forEach((n, j) => (at[n] = WITNESS_VALUES[(i + 3 * j) % WITNESS_VALUES.length]!));
    const env = new Map(Object.entries(at));
    let lhs: number;
    let rhs: number;
    try {
      lhs = evaluateFloat(l, env);
      rhs = evaluateFloat(r, env);
    } catch {
      continue;
    }
    if (!Number.isFinite(lhs) || !Number.isFinite(rhs)) continue;
    if (Math.abs(lhs - rhs) > 1e-9 * Math.max(1, Math.abs(lhs), Math.abs(rhs))) return { at, lhs, rhs };
  }
  return undefined;
}
