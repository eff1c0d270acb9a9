import { add, call, compare, cond, div, idx, logic, mul, neg, ONE, reduce, replaceIndex, sub, vcall, ZERO } from "../ast/build.js";
import { groupSizeOf } from "../ast/definition.js";
import { print } from "../ast/print.js";
import type { Call, Expr, Reduce } from "../ast/nodes.js";
import { compareExpr } from "../ast/order.js";
import * as Q from "../ast/rational.js";
import { freeIndices } from "../ast/walk.js";

/**
 * Rules of index calculus, toward textbook form. Derivatives of reductions come out as sums
 * over Kronecker deltas (∂/∂x_j Σ_k e^(x_k) = Σ_k e^(x_k) δ_kj); these rules sum them out
 * (= e^(x_j)), pull out of a sum what does not depend on its index, and recognise softmax and
 * logsumexp written with exp, so that a Jacobian reads softmax(x)_i * (delta(i, j) - softmax(x)_j)
 * and a vector–Jacobian product needs O(N) work, not O(N²). Each sees a node whose children are
 * simplified already and returns a replacement or undefined.
 */
type Rule = (e: Expr) => Expr | undefined;

const isFreeOf = (e: Expr, index: string): boolean => !freeIndices(e).has(index);
const isDelta = (e: Expr): e is Call => e.kind === "call" && e.fn === "delta";

/** delta(i, i) = 1, and delta's arguments in canonical order (delta(i, j), never delta(j, i)). */
const deltaForm: Rule = (e) => {
  if (!isDelta(e)) return undefined;
  const [a, b] = e.args as [Expr, Expr];
  if (a === b) return ONE;
  return compareExpr(a, b) > 0 ? call("delta", [b, a]) : undefined;
};

/** The value the bound index k must take for δ(a, b) to be 1: b where a = k + c gives b − c. */
function solveDelta(delta: Call, k: string): Expr | undefined {
  for (const [side, other] of [[delta.args[0]!, delta.args[1]!], [delta.args[1]!, delta.args[0]!]] as const) {
    if (!isFreeOf(other, k)) continue;
    if (side === idx(k)) return other;
    // k + c = other  ⇒  k = other − c
    if (side.kind === "add" && side.terms.includes(idx(k))) {
      const rest = add(...side.terms.filter((t) => t !== idx(k)));
      if (isFreeOf(rest, k)) return sub(other, rest);
    }
  }
  return undefined;
}

/**
 * body = δ(k, v)·rest(k), for the bound index k: the value v and the rest. A factor may hold the
 * delta itself (a product, or a piecewise factor whose branches are 0 or such products), and a
 * block condition 0 ≤ u − K·k < K selects k = floor(u / K) as a delta does (the group of u).
 */
function splitDelta(body: Expr, k: string): { value: Expr; rest: Expr } | undefined {
  if (isDelta(body)) {
    const value = solveDelta(body, k);
    return value === undefined ? undefined : { value, rest: ONE };
  }
  if (body.kind === "mul") {
    for (const f of body.factors) {
      const inner = splitDelta(f, k);
      if (inner !== undefined) return { value: inner.value, rest: mul(inner.rest, ...body.factors.filter((g) => g !== f)) };
    }
  }
  if (body.kind === "piecewise" && body.branches.length === 1) {
    const { when, then } = body.branches[0]!;
    const block = solveBlock(when, k);
    if (block !== undefined && body.otherwise === ZERO) return { value: block, rest: then };
    const parts = [then, body.otherwise].map((p) => (p === ZERO ? "zero" as const : splitDelta(p, k)));
    const found = parts.find((p) => p !== "zero" && p !== undefined) as { value: Expr; rest: Expr } | undefined;
    if (found === undefined || parts.some((p) => p === undefined || (p !== "zero" && p.value !== found.value))) return undefined;
    const [restThen, restOtherwise] = parts.map((p) => (p === "zero" ? ZERO : p!.rest)) as [Expr, Expr];
    return { value: found.value, rest: cond(when, restThen, restOtherwise) };
  }
  return undefined;
}

/** k = floor(u / K) when the condition is 0 ≤ u − K·k < K (in either order, K free of k). */
function solveBlock(when: Expr, k: string): Expr | undefined {
  if (when.kind !== "logic" || when.op !== "and" || when.args.length !== 2) return undefined;
  const [a, b] = when.args as [Expr, Expr];
  if (a.kind !== "compare" || b.kind !== "compare" || a.left !== b.left) return undefined;
  const ops = new Set([`${a.op} ${print(a.right)}`, `${b.op} ${print(b.right)}`]);
  const lhs = a.left;
  if (lhs.kind !== "add") return undefined;
  const term = lhs.terms.find((t) => !isFreeOf(t, k));
  if (term === undefined) return undefined;
  const size = div(term, neg(idx(k)));
  const u = add(...lhs.terms.filter((t) => t !== term));
  if (!isFreeOf(size, k) || !isFreeOf(u, k) || !ops.has(">= 0") || !ops.has(`< ${print(size)}`)) return undefined;
  return call("floor", [div(u, size)]);
}

/**
 * Σ_k δ(k, v)·a(k) = a(v) when v is in the sum's range. Over a whole vector (0 … len(x)) an index
 * v of that vector is in range; elsewhere the range is kept as a condition.
 */
const sumOverDelta: Rule = (e) => {
  if (e.kind !== "reduce" || e.op !== "sum") return undefined;
  const split = splitDelta(e.body, e.index);
  if (split === undefined) return undefined;
  const value = replaceIndex(split.rest, e.index, split.value);
  if (e.from === ZERO && inWholeRange(split.value, e.to)) return value;
  return cond(logic("and", [compare(">=", split.value, e.from), compare("<", split.value, e.to)]), value, ZERO);
};

/**
 * Whether v lies in 0 … to for every element index: an index i in 0 … len(x) (every vector of a
 * definition has one length), or its group floor(i / K) in 0 … len(x) / K — group sizes are
 * positive, and kernels refuse a K that does not divide the row (maxout's gradient sums over the
 * groups, and the group of i always exists).
 */
function inWholeRange(v: Expr, to: Expr): boolean {
  if (v.kind === "idx") return to.kind === "len";
  if (v.kind !== "call" || v.fn !== "floor") return false;
  const size = groupSizeOf(to, { exact: true });
  const [inner] = v.args as [Expr];
  const i = indexOf(inner);
  return size !== undefined && i !== undefined && inner === div(idx(i), size);
}

/** The index i of i / K (i · K⁻¹). */
function indexOf(e: Expr): string | undefined {
  if (e.kind !== "mul") return undefined;
  const i = e.factors.find((f) => f.kind === "idx");
  return i?.kind === "idx" ? i.name : undefined;
}

/**
 * Σ_k (a + b) = Σ_k a + Σ_k b, and Σ_k c·(a + b) = Σ_k c·a + Σ_k c·b, when a term can then be
 * summed out or taken out of the sum.
 */
const sumOfSum: Rule = (e) => {
  if (e.kind !== "reduce" || e.op !== "sum") return undefined;
  const sums = factorsOf(e.body).filter((f) => f.kind === "add");
  if (sums.length !== 1) return undefined;
  const outside = factorsOf(e.body).filter((f) => f !== sums[0]);
  const terms = (sums[0] as { terms: readonly Expr[] }).terms.map((t) => mul(...outside, t));
  const helps = terms.some((t) => isFreeOf(t, e.index) || splitDelta(t, e.index) !== undefined || freeFactors(t, e.index).length > 0);
  if (!helps) return undefined;
  return add(...terms.map((t) => reduce("sum", e.index, e.from, e.to, t)));
};

const factorsOf = (e: Expr): readonly Expr[] => (e.kind === "mul" ? e.factors : [e]);
const freeFactors = (e: Expr, k: string): Expr[] => factorsOf(e).filter((f) => isFreeOf(f, k));

/** Σ_k c·a(k) = c·Σ_k a(k), and Σ_k c = (to − from)·c, for c free of k. */
const constantOutOfSum: Rule = (e) => {
  if (e.kind !== "reduce" || e.op !== "sum") return undefined;
  if (isFreeOf(e.body, e.index)) return mul(sub(e.to, e.from), e.body);
  const outside = freeFactors(e.body, e.index);
  if (outside.length === 0) return undefined;
  const inside = factorsOf(e.body).filter((f) => !outside.includes(f));
  return mul(...outside, reduce("sum", e.index, e.from, e.to, mul(...inside)));
};

/** Σ_k softmax(v)_k = 1 over the whole argument. */
const softmaxSumsToOne: Rule = (e) => {
  if (e.kind !== "reduce" || e.op !== "sum" || e.from !== ZERO) return undefined;
  const s = e.body;
  return s.kind === "vcall" && s.fn === "softmax" && s.at === idx(e.index) && s.length === e.to && isFreeOf(s.body, e.index) ? ONE : undefined;
};

/** Σ_k exp(w_k) over a whole range: the sum under softmax and logsumexp. */
function sumOfExp(e: Expr): (Reduce & { body: Call }) | undefined {
  return e.kind === "reduce" && e.op === "sum" && e.from === ZERO && e.body.kind === "call" && e.body.fn === "exp" ? e as Reduce & { body: Call } : undefined;
}

/** The index a with w(k := a) = target, looked for among the indices of target's elements. */
function unify(w: Expr, k: string, target: Expr): Expr | undefined {
  const candidates = new Set<Expr>();
  const collect = (n: Expr): void => {
    if (n.kind === "elem") candidates.add(n.index);
    if (n.kind === "idx") candidates.add(n);
    if ("args" in n) n.args.forEach(collect);
    else if (n.kind === "add") n.terms.forEach(collect);
    else if (n.kind === "mul") n.factors.forEach(collect);
    else if (n.kind === "pow") [n.base, n.exponent].forEach(collect);
  };
  collect(target);
  for (const a of candidates) if (replaceIndex(w, k, a) === target) return a;
  return undefined;
}

/**
 * exp(w_a)·(Σ_k exp(w_k))⁻¹ = softmax(w)_a, and exp(w_a + w_b)·(Σ_k exp(w_k))⁻² = softmax(w)_a·softmax(w)_b
 * (the product rule has already merged e^(w_a)·e^(w_b)): the textbook softmax, as written or derived.
 */
const softmaxFromExp: Rule = (e) => {
  if (e.kind !== "mul") return undefined;
  for (const f of e.factors) {
    if (f.kind !== "pow" || f.exponent.kind !== "num" || !Q.isInteger(f.exponent.value) || !Q.isNegative(f.exponent.value)) continue;
    const sum = sumOfExp(f.base);
    if (sum === undefined) continue;
    const p = -Number(f.exponent.value.n);
    const w = sum.body.args[0]!;
    for (const g of e.factors) {
      if (g.kind !== "call" || g.fn !== "exp") continue;
      const exponent = g.args[0]!;
      const parts = p === 1 ? [exponent] : exponent.kind === "add" && exponent.terms.length === p ? exponent.terms : undefined;
      if (parts === undefined) continue;
      const at = parts.map((t) => unify(w, sum.index, t));
      if (at.some((a) => a === undefined)) continue;
      const rest = e.factors.filter((h) => h !== f && h !== g);
      return mul(...rest, ...at.map((a) => vcall("softmax", sum.index, sum.to, w, a)));
    }
  }
  return undefined;
};

/** log Σ_k exp(w_k) = logsumexp(w). */
const logsumexpFromExp: Rule = (e) => {
  if (e.kind !== "call" || e.fn !== "log") return undefined;
  const sum = sumOfExp(e.args[0]!);
  return sum === undefined ? undefined : vcall("logsumexp", sum.index, sum.to, sum.body.args[0]!, undefined);
};

/** s·a + s·b = s·(a + b) for a factor s = softmax(·)_i shared by every term: s_i δ_ij − s_i s_j = s_i(δ_ij − s_j). */
const commonSoftmax: Rule = (e) => {
  if (e.kind !== "add") return undefined;
  const first = factorsOf(e.terms[0]!).filter((f) => f.kind === "vcall");
  const shared = first.find((s) => e.terms.every((t) => factorsOf(t).includes(s)));
  if (shared === undefined) return undefined;
  return mul(shared, add(...e.terms.map((t) => mul(...factorsOf(t).filter((f) => f !== shared)))));
};

export const VECTOR_RULES: readonly Rule[] = [
  deltaForm, softmaxSumsToOne, sumOverDelta, constantOutOfSum, sumOfSum, softmaxFromExp, logsumexpFromExp, commonSoftmax,
];

