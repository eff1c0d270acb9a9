import { add, call, compare, cond, div, idx, mul, num, reduce, replaceIndex, sub, vcall, ZERO } from "../ast/build.js";
import type { Expr, ReduceOp, VCall, VectorFnName } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * Functions of a whole vector with rules of their own: softmax and logsumexp. Like sigmoid among
 * scalar functions they earn a record because they print and compute better than what they
 * stand for: `softmax(x)_i * (delta(i, j) - softmax(x)_j)` is the textbook Jacobian, and the
 * max-shifted form is the one that neither overflows nor cancels. Everything actdiff knows about
 * each is here; the rules are verified against the definitions in test/vectors.
 */
export interface VectorFnSpec {
  readonly summary: string;
  /** A vector of the argument's length (softmax), or a scalar (logsumexp). */
  readonly vectorValued: boolean;
  /** The definition in reductions, as a textbook writes it: exp(v_i) / Σ_k exp(v_k). */
  readonly definition: (f: VCall) => Expr;
  /**
   * The same function with every exponential shifted by m = max_k v_k, so that none overflows
   * and the largest is exactly 1: what generated code computes and evaluation uses.
   */
  readonly stable: (f: VCall) => Expr;
  /**
   * Forward-mode rule: the derivative of f(v) (at its element) given the derivative dv of the
   * argument, written in the argument's bound index. `diff` applies it; the chain rule is there.
   */
  readonly jvp: (f: VCall, dv: Expr) => Expr;
}

/** v_k: the argument's element at index k (its body with the bound index replaced). */
export const argumentAt = (f: VCall, k: Expr): Expr => replaceIndex(f.body, f.index, k);

/** Σ_k g(k) over the argument's indices, g given as a function of the index expression. */
const overArgument = (f: VCall, op: ReduceOp, g: (k: Expr) => Expr): Expr => {
  const k = `${f.index}'`;
  return reduce(op, k, ZERO, f.length, g(idx(k)));
};

/** The largest finite double: a shift by an infinite maximum would give ∞ − ∞. */
const LARGEST = num(Q.fromNumber(Number.MAX_VALUE));

/** m = max_k v_k, or 0 where that is infinite (all −∞, or some +∞): then no shift is right. */
function shift(f: VCall): Expr {
  const m = overArgument(f, "max", (k) => argumentAt(f, k));
  return cond(compare("<=", call("abs", [m]), LARGEST), m, ZERO);
}

const softmaxAt = (f: VCall, k: Expr): Expr => vcall("softmax", f.index, f.length, f.body, k);

/**
 * log Σ_k e^(v_k) = m + log(1 + R) with m = max_k v_k and R = Σ_(k ≠ a) e^(v_k − m), a the first
 * index of the max: log1p(R) keeps R where R is far below an ulp of 1 (logsumexp(50, 0) − 50 =
 * 1.9e−22; log of the whole shifted sum gives 0), and x_a − logsumexp(x) is −log1p(R) without
 * cancelling. Where the max is ±∞ (or NaN), the max itself is the value.
 */
function restOfSum(f: VCall): { m: Expr; a: Expr; c: Expr; rest: Expr } {
  const m = overArgument(f, "max", (k) => argumentAt(f, k));
  const a = overArgument(f, "argmax", (k) => argumentAt(f, k));
  // The terms are shifted by c = shift(f), which is m wherever R is used (m finite): they are then
  // softmax's own e^(v_k − c), which code computing both (log_softmax and its VJP) computes once.
  const c = shift(f);
  const rest = overArgument(f, "sum", (k) => cond(compare("==", k, a), ZERO, call("exp", [sub(argumentAt(f, k), c)])));
  return { m, a, c, rest };
}

/**
 * v_at − logsumexp(v) (log_softmax, as users write it): (v_at − m) − log1p(R), two terms of one
 * sign, so nothing cancels at the max (log_softmax(50, 0)_0 = −1.9e−22, not 0). The difference
 * v_at − m is one term of its own — 0 at the max's index, exactly what v_a − m is — because a sum
 * of three terms would be added in the canonical order of its terms, which need not subtract the
 * shift first; a sum of two rounds once whatever its order.
 */
export function stableLogSoftmax(at: Expr, lse: VCall): Expr {
  const { m, a, c, rest } = restOfSum(lse);
  const u = argumentAt(lse, at);
  const shifted = cond(compare("==", at, a), ZERO, sub(u, c));
  return cond(compare("<=", call("abs", [m]), LARGEST), sub(shifted, call("log1p", [rest])), sub(u, m));
}

export const VECTOR_FUNCTIONS: Record<VectorFnName, VectorFnSpec> = {
  softmax: {
    summary: "normalised exponential: softmax(v)_i = exp(v_i) / Σ_k exp(v_k)",
    vectorValued: true,
    definition: (f) => div(call("exp", [argumentAt(f, f.at!)]), overArgument(f, "sum", (k) => call("exp", [argumentAt(f, k)]))),
    stable: (f) => {
      const m = shift(f);
      return div(call("exp", [sub(argumentAt(f, f.at!), m)]), overArgument(f, "sum", (k) => call("exp", [sub(argumentAt(f, k), m)])));
    },
    // d softmax(v)_i = softmax(v)_i · (dv_i − Σ_k softmax(v)_k dv_k)
    jvp: (f, dv) => mul(f, sub(replaceIndex(dv, f.index, f.at!), overArgument(f, "sum", (k) => mul(softmaxAt(f, k), replaceIndex(dv, f.index, k))))),
  },
  logsumexp: {
    summary: "log Σ_k exp(v_k), the smooth maximum",
    vectorValued: false,
    definition: (f) => call("log", [overArgument(f, "sum", (k) => call("exp", [argumentAt(f, k)]))]),
    // m + log1p(R), R the sum of the other terms: see restOfSum.
    stable: (f) => {
      const { m, c, rest } = restOfSum(f);
      return cond(compare("<=", call("abs", [m]), LARGEST), add(c, call("log1p", [rest])), m);
    },
    // d logsumexp(v) = Σ_k softmax(v)_k dv_k
    jvp: (f, dv) => overArgument(f, "sum", (k) => mul(softmaxAt(f, k), replaceIndex(dv, f.index, k))),
  },
};

export const vectorFnSpec = (name: VectorFnName): VectorFnSpec => VECTOR_FUNCTIONS[name];

export const isVectorFunction = (name: string): name is VectorFnName => Object.hasOwn(VECTOR_FUNCTIONS, name);

