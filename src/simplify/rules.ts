import { add, call, div, int, isNum, mul, neg, num, ONE, pow, splitCoefficient, sub, TWO } from "../ast/build.js";
import type { Call, Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { fnSpec, type FnName } from "../functions/table.js";
import { branchFacts } from "./branch-facts.js";
import { cancelCommonFactors } from "./content.js";
import { togetherIfSmaller } from "./expand.js";
import { freeSymbols } from "../ast/walk.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { VECTOR_RULES } from "./vector-rules.js";

/**
 * Rewrite rules toward textbook form. Each sees a node whose children are already simplified
 * and returns a replacement, or undefined when it does not apply. They recognise the named
 * activations written out with exp (so their derivatives come out as σ(1 − σ), 1 − tanh², …)
 * and bring odd/even functions to a canonical sign, so that equal things print equally.
 */
export type Rule = (e: Expr) => Expr | undefined;

const isCall = (e: Expr, fn: FnName): e is Call => e.kind === "call" && e.fn === fn;
const exp = (u: Expr): Expr => call("exp", [u]);
const sigmoid = (u: Expr): Expr => call("sigmoid", [u]);

/** A call whose arguments are all exact numbers, folded where the value is exact: exp(0) = 1. */
const foldExact: Rule = (e) => {
  if (e.kind !== "call" || !e.args.every((a) => a.kind === "num")) return undefined;
  return fnSpec(e.fn).fold?.(e.args.map((a) => (a as { value: Q.Rational }).value));
};

/** log(exp(u)) = u, exp(log(u)) = u for u > 0, log(1 + e^u) = log1p(e^u) = softplus(u), exp(softplus(u)) = 1 + e^u. */
const inverses: Rule = (e) => {
  if (isCall(e, "log")) {
    const [u] = e.args;
    if (isCall(u!, "exp")) return u.args[0];
    if (u!.kind === "add" && u.terms.length === 2 && isNum(u.terms[0]!, 1) && isCall(u.terms[1]!, "exp")) return call("softplus", [u.terms[1].args[0]!]);
  }
  if (isCall(e, "log1p") && isCall(e.args[0]!, "exp")) return call("softplus", [e.args[0].args[0]!]);
  // exp(log(u)) is u only where log(u) is defined: for u ≤ 0 the formula is NaN, not u.
  if (isCall(e, "exp") && isCall(e.args[0]!, "log") && isPositive(e.args[0].args[0]!)) return e.args[0].args[0];
  if (isCall(e, "exp") && isCall(e.args[0]!, "softplus")) return add(ONE, exp(e.args[0].args[0]!));
  return undefined;
};

/** Builtins whose value is positive wherever it is defined. */
const POSITIVE: readonly FnName[] = ["exp", "sigmoid", "softplus", "cosh", "Phi", "phi", "logistic_pdf"];
/** Builtins whose value is never negative. */
const NON_NEGATIVE: readonly FnName[] = ["abs", "sqrt"];

/** Whether u > 0 for every value of its symbols, by its form (a sufficient test, never a guess). */
function isPositive(u: Expr): boolean {
  switch (u.kind) {
    case "num": return u.value.n > 0n;
    case "const": return true;
    case "call": return POSITIVE.includes(u.fn);
    case "add": return u.terms.every(isNonNegative) && u.terms.some(isPositive);
    case "mul": return u.factors.every(isPositive);
    case "pow": return isPositive(u.base);
    default: return false;
  }
}

function isNonNegative(u: Expr): boolean {
  if (isPositive(u)) return true;
  switch (u.kind) {
    case "num": return !Q.isNegative(u.value);
    case "call": return NON_NEGATIVE.includes(u.fn);
    case "add": return u.terms.every(isNonNegative);
    case "mul": return u.factors.every(isNonNegative);
    case "pow": return isNonNegative(u.base) || (u.exponent.kind === "num" && Q.isInteger(u.exponent.value) && u.exponent.value.n % 2n === 0n);
    default: return false;
  }
}

const negativeCoefficient = (u: Expr): boolean => Q.isNegative(splitCoefficient(u)[0]);

const ODD: readonly FnName[] = ["sin", "tan", "atan", "sinh", "tanh", "erf", "sign"];
const EVEN: readonly FnName[] = ["cos", "cosh", "abs"];

/** f(-u) for odd and even f, and σ(-u) = 1 - σ(u): the sign is taken out of the argument. */
const symmetry: Rule = (e) => {
  if (e.kind !== "call" || e.args.length !== 1 || !negativeCoefficient(e.args[0]!)) return undefined;
  const positive = neg(e.args[0]!);
  if (ODD.includes(e.fn)) return neg(call(e.fn, [positive]));
  if (EVEN.includes(e.fn)) return call(e.fn, [positive]);
  if (e.fn === "sigmoid") return sub(ONE, sigmoid(positive));
  return undefined;
};

/** 1/(1 + e^v)^k = σ(−v)^k. */
const sigmoidFromExp: Rule = (e) => {
  if (e.kind !== "pow" || e.exponent.kind !== "num" || !Q.isInteger(e.exponent.value) || !Q.isNegative(e.exponent.value)) return undefined;
  const base = e.base;
  if (base.kind !== "add" || base.terms.length !== 2 || !isNum(base.terms[0]!, 1) || !isCall(base.terms[1]!, "exp")) return undefined;
  return pow(sigmoid(neg(base.terms[1].args[0]!)), int(-Number(e.exponent.value.n)));
};

/** Products: u·sgn(u) = |u|; e^a·e^b = e^(a+b); e^v·(1 − σ(v)) = σ(v); e^(−v)·σ(v)^k = (1 − σ(v))·σ(v)^(k−1); tanh quotients. */
const products: Rule = (e) => {
  if (e.kind !== "mul") return undefined;
  const f = e.factors;
  const without = (...drop: Expr[]): Expr[] => {
    const left = [...f];
    for (const d of drop) left.splice(left.indexOf(d), 1);
    return left;
  };
  for (const s of f) {
    if (isCall(s, "sign") && f.includes(s.args[0]!)) return mul(...without(s, s.args[0]!), call("abs", [s.args[0]!]));
  }
  const exps = f.filter((x) => isCall(x, "exp"));
  if (exps.length > 1) return mul(...without(...exps), exp(add(...exps.map((x) => (x as Call).args[0]!))));
  const ex = exps[0] as Call | undefined;
  if (ex !== undefined) {
    const v = ex.args[0]!;
    const oneMinusSigmoid = sub(ONE, sigmoid(v));
    if (f.includes(oneMinusSigmoid)) return mul(...without(ex, oneMinusSigmoid), sigmoid(v));
    const w = neg(v);
    for (const g of f) {
      const [base, k] = g.kind === "pow" && g.exponent.kind === "num" ? [g.base, g.exponent.value] : [g, Q.ONE];
      if (base === sigmoid(w) && Q.isInteger(k) && !Q.isNegative(k)) {
        return mul(...without(ex, g), sub(ONE, sigmoid(w)), pow(sigmoid(w), num(Q.sub(k, Q.ONE))));
      }
    }
  }
  return tanhQuotient(f);
};

/** ((e^a − e^−a)/(e^a + e^−a))^k = tanh(a)^k and (sinh u / cosh u)^k = tanh(u)^k, k ≥ 1. */
function tanhQuotient(factors: readonly Expr[]): Expr | undefined {
  const coefficient = factors[0]!.kind === "num" ? factors[0] : ONE;
  const f = factors[0]!.kind === "num" ? factors.slice(1) : factors;
  if (f.length !== 2) return undefined;
  const powerOf = (e: Expr): [Expr, Q.Rational] => (e.kind === "pow" && e.exponent.kind === "num" ? [e.base, e.exponent.value] : [e, Q.ONE]);
  const [[n, kn], [d, kd]] = Q.isNegative(powerOf(f[0]!)[1]) ? [powerOf(f[1]!), powerOf(f[0]!)] : [powerOf(f[0]!), powerOf(f[1]!)];
  if (!Q.isInteger(kn) || !Q.equals(kn, Q.neg(kd)) || Q.isNegative(kn)) return undefined;
  const tanhTo = (u: Expr): Expr => mul(coefficient, pow(call("tanh", [u]), num(kn)));
  if (isCall(d, "cosh") && n === call("sinh", [d.args[0]!])) return tanhTo(d.args[0]!);
  if (d.kind === "add" && d.terms.length === 2 && isCall(d.terms[0]!, "exp") && isCall(d.terms[1]!, "exp")) {
    const a = d.terms[0].args[0]!;
    const b = d.terms[1].args[0]!;
    if (b !== neg(a)) return undefined;
    if (n === sub(exp(a), exp(b))) return tanhTo(a);
    if (n === sub(exp(b), exp(a))) return tanhTo(b);
  }
  return undefined;
}

/** 2σ(2u) − 1 = tanh(u) (and its negation). */
const tanhFromSigmoid: Rule = (e) => {
  if (e.kind !== "add" || e.terms.length !== 2 || !isNum(e.terms[0]!)) return undefined;
  const [c, rest] = splitCoefficient(e.terms[1]!);
  if (!isCall(rest, "sigmoid")) return undefined;
  const u = div(rest.args[0]!, TWO);
  if (isNum(e.terms[0], -1) && Q.equals(c, Q.fromInteger(2))) return call("tanh", [u]);
  if (isNum(e.terms[0], 1) && Q.equals(c, Q.fromInteger(-2))) return neg(call("tanh", [u]));
  return undefined;
};

/** |u|^(2k) = u^(2k). */
const evenPowerOfAbs: Rule = (e) => {
  if (e.kind !== "pow" || !isCall(e.base, "abs") || e.exponent.kind !== "num") return undefined;
  const k = e.exponent.value;
  return Q.isInteger(k) && k.n % 2n === 0n ? pow(e.base.args[0]!, e.exponent) : undefined;
};

/**
 * √c^(±2k) = c^(±k) and √c^(±(2k+1)) = (c^k·√c)^(±1), k ≥ 1, for a constant c > 0 (sqrt(2)^2 = 2).
 * Only constants: for a variable u, √u² = u would extend the function to u < 0, where √u is undefined.
 */
const powerOfSqrt: Rule = (e) => {
  if (e.kind !== "pow" || !isCall(e.base, "sqrt") || e.exponent.kind !== "num" || !Q.isInteger(e.exponent.value)) return undefined;
  const c = e.base.args[0]!;
  const k = e.exponent.value.n;
  const m = k < 0n ? -k : k;
  // 1/√c stays as written (2/√π is erf′'s textbook form).
  if (m < 2n || freeSymbols(c).size > 0 || !(evaluateFloat(c, new Map()) > 0)) return undefined;
  const whole = pow(c, int(Number(m / 2n)));
  const positive = m % 2n === 0n ? whole : mul(whole, e.base);
  return k > 0n ? positive : pow(positive, int(-1));
};

export const RULES: readonly Rule[] = [
  foldExact, inverses, symmetry, sigmoidFromExp, products, tanhFromSigmoid, evenPowerOfAbs, branchFacts, powerOfSqrt, cancelCommonFactors, ...VECTOR_RULES, togetherIfSmaller,
].map((r) => (e: Expr) => {
  const out = r(e);
  return out === e ? undefined : out;
});
