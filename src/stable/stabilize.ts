import {
  add, call, compare, cond, div, HALF, int, MINUS_ONE, mul, neg, num, ONE, PI, pow, splitCoefficient, sub, TWO, ZERO,
} from "../ast/build.js";
import type { Call, Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { calledFunctions, children, mapChildren, postorder, transform } from "../ast/walk.js";
import type { FnName } from "../functions/names.js";
import { EXPM1_EXP_BELOW, SIGMOID_TAIL, TANH_EXP_FROM } from "../functions/table.js";
import { sqrtConjugate } from "./conjugate.js";
import { combineExponentials } from "./exp-product.js";
import { erfComplement, erfcOf } from "./erf-complement.js";
import { logOfHyperbolicSum } from "./asinh.js";
import { expOfLogs } from "./exp-log.js";
import { expm1Double, expOverExpm1 } from "./exp-over-expm1.js";
import { halfAngle } from "./half-angle.js";
import { logOfRatio } from "./log-ratio.js";
import { sqrtOfExpSum } from "./sqrt-exp.js";
import { hyperbolicPair } from "./hyperbolic.js";
import { softplusLinear } from "./softplus-linear.js";
import { sigmoidDifference } from "./sigmoid-difference.js";
import { maxShift } from "./max-shift.js";
import { seriesNearZero } from "./near-zero.js";
import { candidateMemo, splitRegimes } from "./regimes.js";
import { rewriteAlongPaths } from "./path-facts.js";

/**
 * Stable forms for generated code. `stabilize` rewrites an expression in textbook form into one
 * that computes the same mathematical function without cancellation, overflow or NaN where the
 * textbook formula has them: 1 − σ(u) → σ(−u), exp(u) − 1 → expm1(u), 1 − tanh²u → 4e/(1 + e)², …
 * and sums of several exponentials (softmax, log-softmax, log-sum-exp) shifted by their max (max-shift.ts).
 *
 * It is applied only when code is generated. The displayed formula stays textbook, and
 * derivatives are always taken of the mathematics, never of a stabilised form (whose branches
 * would otherwise leak into the derivative).
 *
 * Every rewrite is an identity, listed in STABLE_RULES with examples, and each is checked by
 * the verifier (test/stable/rules.test.ts). The rules match the textbook form top-down and build
 * their output from stabilised pieces, so an output is never rewritten again — no rule can undo
 * another; one walk over the DAG, then passes, repeated until they change nothing, that let
 * σ(v), σ(−v), σ′(v), tanh and expm1 share an exponential and that use what the tests of a
 * piecewise value say about its branches (path-facts.ts). Outputs are recorded as their own
 * stable form, so a second stabilize changes nothing, and the walk is total: random trees of
 * every construct are property-tested to end.
 * Where a cancellation cannot be removed by an identity among elementary functions (the tail of
 * xwish′), a builtin evaluates it: atan_tail, and atan_rem, the arctangent less its rational part.
 */
export { STABLE_RULES, type StableRule } from "./rules.js";

const isCall = (e: Expr, fn: FnName): e is Call => e.kind === "call" && e.fn === fn;
const fn1 = (fn: FnName, u: Expr): Expr => call(fn, [u]);

/** An expression into numerically stable form for code generation; the value is unchanged. */
export const stabilize = (e: Expr): Expr => stabilizeTogether([e])[0]!;

/**
 * Scalar code calls builtins one value at a time; vector code computes a builtin's parts in lanes
 * and shares them itself; tensor code (PyTorch) is vector code whose every operation is a pass
 * over memory, where a builtin such as σ or tanh is one kernel: sharing its exponential with a
 * derivative (four passes for one) does not pay, so σ and tanh stay builtins there.
 */
export type Lanes = "scalar" | "vector" | "tensor";

/**
 * Expressions computed together (f and f′ in one fused function) into stable form, so that they
 * share what they can: swish's σ(βx) and the e^(−βx) its derivative needs come from one exp.
 * Each output computes the same bits as what `stabilize` gives for it alone: a shared form is
 * written with the very operations of the builtin it replaces. For vector lanes two forms are
 * left out (see LowerOptions.lanes): expm1(u) is not rewritten to share e^u, and softplus(u) −
 * log 2 keeps two sides.
 */
export function stabilizeTogether(roots: readonly Expr[], lanes: Lanes = "scalar"): Expr[] {
  // Compiling f and f′ again (another closure, a kernel, the fused pair) asks for the same roots.
  const key = `${lanes}:${roots.map((r) => r.id).join(",")}`;
  const known = together.get(roots[0]!)?.get(key);
  if (known !== undefined) return [...known];
  const outer = walking;
  walking = lanes;
  let out: Expr[];
  try {
    // Calls nested a thousand deep (test/limits) are rewritten innermost first, from an iterative
    // walk, so that each level finds its argument done: the recursion stays one level deep.
    for (const root of roots) {
      const depth = new Map<Expr, number>();
      for (const n of postorder(root)) {
        let below = 0;
        for (const c of children(n)) below = Math.max(below, depth.get(c) ?? 0);
        depth.set(n, below + (n.kind === "call" ? 1 : 0));
        if (n.kind === "call" && below >= PREVISIT_DEPTH) visit(n);
      }
    }
    out = shareExponentials(roots.map(visit), lanes);
  } finally {
    walking = outer;
  }
  // An output is stable already: stabilizing it again must change nothing.
  for (const o of out) memos[lanes].set(o, o);
  let byKey = together.get(roots[0]!);
  if (byKey === undefined) together.set(roots[0]!, (byKey = new Map()));
  byKey.set(key, out);
  return [...out];
}

/** Nesting depth from which calls are rewritten bottom-up in advance: real formulas stay far below it. */
const PREVISIT_DEPTH = 64;

/** stabilizeTogether's results, by first root (held weakly) and then by all the roots' ids. */
const together = new WeakMap<Expr, Map<string, readonly Expr[]>>();

/** The lanes of the walk under way: the rules differ in one place (softplusMinusLog2), so does the memo. */
let walking: Lanes = "scalar";
const memos: Record<Lanes, WeakMap<Expr, Expr>> = { scalar: new WeakMap(), vector: new WeakMap(), tensor: new WeakMap() };
/**
 * Expressions whose rewrite is under way. A rule whose output leads back to its own input (a
 * factoring that the smart constructors undo) would recurse for ever; meeting an expression
 * again on the way down, visit leaves it as it is — its value, if not its stable form — instead.
 */
const underWay = new Set<Expr>();

function visit(e: Expr): Expr {
  const memo = candidateMemo() ?? memos[walking];
  const done = memo.get(e);
  if (done !== undefined) return done;
  if (underWay.has(e)) return e;
  underWay.add(e);
  try {
    const out = rewrite(e);
    memo.set(e, out);
    return out;
  } finally {
    underWay.delete(e);
  }
}

function rewrite(e: Expr): Expr {
  const out = rewriteByRules(e);
  // Two forms each accurate on a side of a point: a branch there (regimes.ts).
  return splitRegimes(e, out, visit) ?? out;
}

/**
 * A denominator's regimes are found with its numerator, at the product (N/S^k), not alone: split
 * alone, its branches would hide e^u/expm1(u) and expm1(2u)/expm1(u) from the product's rules.
 */
const factorOfProduct = (f: Expr): Expr =>
  f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value) ? rewriteByRules(f) : visit(f);

function rewriteByRules(e: Expr): Expr {
  // Sums of several exponentials under a log or in a denominator: max-shift.ts.
  let out: Expr | undefined = maxShift(e, visit);
  if (out !== undefined) return out;
  if (e.kind === "add") {
    out = stableSum(e.terms);
    // A cancellation at 0 that no identity removed: the Taylor polynomial near 0 (near-zero.ts).
    out = seriesNearZero(out, walking) ?? out;
  }
  else if (e.kind === "call") out = stableCall(e);
  else if (e.kind === "mul") out = stableProduct(e.factors.map(factorOfProduct));
  else if (e.kind === "pow") out = stablePower(e.base, e.exponent);
  else out = mapChildren(e, visit);
  return out;
}

function stableCall(e: Call): Expr {
  const [u] = e.args;
  if (e.fn === "log") {
    // log(A + √(A² + c)): asinh.ts
    const asinh = logOfHyperbolicSum(u!, visit);
    if (asinh !== undefined) return asinh;
    // log(σ(w)) = −softplus(−w); the argument is stabilised first, so log(1 − σ(w)) = log(σ(−w)) is caught too.
    const a = visit(u!);
    if (isCall(a, "sigmoid")) return neg(fn1("softplus", neg(a.args[0]!)));
    const rest = onePlus(u!);
    if (rest !== undefined) return log1pOf(rest);
    // log(P/Q) near 1: log-ratio.ts
    return logOfRatio(u!, visit) ?? fn1("log", a);
  }
  // e^(c·log u + …): exp-log.ts
  if (e.fn === "exp") return expOfLogs(u!, visit) ?? fn1("exp", visit(u!));
  // √(k + m·e^u): sqrt-exp.ts
  if (e.fn === "sqrt") {
    const a = visit(u!);
    return sqrtOfExpSum(a) ?? fn1("sqrt", a);
  }
  if (e.fn === "log1p") return log1pOf(u!);
  if (e.fn === "erfc") return erfcOf(visit(u!));
  return mapChildren(e, visit);
}

/**
 * (1 + e^v)^(−k) = σ(−v)^k: 1/(1 + e^v) is 0 for v > 709.78, and e^x/(1 + e^x)² then ∞/∞.
 * Where v ≤ 0 is evident (v = −c·|w|, as in the stable 1 − tanh²), e^v cannot overflow and the
 * power is kept: so stabilize is idempotent.
 */
function stablePower(base: Expr, exponent: Expr): Expr {
  const v = onePlus(base);
  if (v !== undefined && isCall(v, "exp") && !evidentlyNonPositive(v.args[0]!) && exponent.kind === "num" && Q.isInteger(exponent.value) && Q.isNegative(exponent.value)) {
    return pow(fn1("sigmoid", neg(visit(v.args[0]!))), num(Q.neg(exponent.value)));
  }
  return pow(visit(base), visit(exponent));
}

/** −c·|w| or −c·w^(2k) with c > 0, or a number ≤ 0. */
function evidentlyNonPositive(v: Expr): boolean {
  const [c, rest] = splitCoefficient(v);
  if (rest.kind === "num") return !Q.isNegative(Q.neg(Q.mul(c, rest.value)));
  const even = isCall(rest, "abs") || (rest.kind === "pow" && rest.exponent.kind === "num" && Q.isInteger(rest.exponent.value) && rest.exponent.value.n % 2n === 0n);
  return even && Q.isNegative(c);
}

/**
 * A product of stable factors: e^u·σ(−u)^k = σ(u)·σ(−u)^(k−1). exp(x)·(1 − σ(x))², as simplify
 * leaves e^x/(1 + e^x)², is ∞·0 = NaN at x = 710 however σ(−x) is computed.
 */
function stableProduct(factors: readonly Expr[]): Expr {
  // σ(u)·σ(−u) = e/(1 + e)² with e = e^(−|u|): one exponential instead of two, and no cancellation.
  // Tensor code keeps the two σ kernels (each accurate, and σ(u) often shared with f): the
  // quotient form is seven passes over memory where they are three.
  for (const f of walking === "tensor" ? [] : factors) {
    if (!isCall(f, "sigmoid")) continue;
    // σ(0) is its own partner: a lone σ(0) factor is not the pair σ(0)·σ(−0).
    const partner = factors.find((g) => g !== f && g === fn1("sigmoid", neg(f.args[0]!)));
    if (partner === undefined) continue;
    const rest = factors.filter((h) => h !== f && h !== partner);
    return stableProduct([...rest, sigmoidPair(f.args[0]!)]);
  }
  for (const f of factors) {
    if (!isCall(f, "exp")) continue;
    const u = f.args[0]!;
    const partner = fn1("sigmoid", neg(u));
    for (const g of factors) {
      const [base, k] = g.kind === "pow" && g.exponent.kind === "num" ? [g.base, g.exponent.value] : [g, Q.ONE];
      if (base !== partner || !Q.isInteger(k) || Q.isNegative(k) || Q.isZero(k)) continue;
      const rest = factors.filter((h) => h !== f && h !== g);
      return stableProduct([...rest, fn1("sigmoid", u), pow(partner, num(Q.sub(k, Q.ONE)))]);
    }
  }
  // e^u/expm1(u)^k: exp-over-expm1.ts
  const turned = expOverExpm1(factors) ?? expm1Double(factors);
  if (turned !== undefined) return stableProduct(turned);
  // e^a·e^b = e^(a + b): exp-product.ts
  const combined = combineExponentials(factors);
  if (combined !== undefined) return stableProduct(combined);
  return mul(...factors);
}

/**
 * σ(v), σ(−v) and σ(v)·σ(−v) = σ′(v) from one exponential E = e^(−v), switching to e^v below
 * SIGMOID_TAIL (where E would overflow) exactly as the sigmoid builtin does:
 *   σ(v) = 1/(1 + E),  σ(−v) = E/(1 + E),  σ(v)σ(−v) = E/(1 + E)²   (v ≥ −40)
 *   σ(v) = e/(1 + e),  σ(−v) = 1/(1 + e),  σ(v)σ(−v) = e/(1 + e)²   (v < −40, e = e^v)
 * so the σ(v) here is the builtin's σ(v) bit for bit, and everything that shares E (swish and
 * swish′, σ and σ′) costs one exp. v is the one of ±v whose coefficient is not negative.
 */
interface SigmoidFamily {
  readonly own: Expr;
  readonly other: Expr;
  readonly pair: Expr;
}

function sigmoidFamily(v: Expr): SigmoidFamily {
  const tail = compare("<", v, num(Q.fromInteger(SIGMOID_TAIL)));
  const big = fn1("exp", neg(v));
  const small = fn1("exp", v);
  const over = (e: Expr, k: number): Expr => pow(add(ONE, e), int(-k));
  return {
    own: cond(tail, sigmoidBelowZero(v), over(big, 1)),
    other: cond(tail, over(small, 1), mul(big, over(big, 1))),
    pair: cond(tail, mul(small, over(small, 2)), mul(big, over(big, 2))),
  };
}

/** The argument among ±u whose coefficient is not negative. */
const nonNegativeSide = (u: Expr): Expr => (negativeCoefficient(u) ? neg(u) : u);

/** σ(u)·σ(−u) = σ′(u), even in u. */
const sigmoidPair = (u: Expr): Expr => sigmoidFamily(nonNegativeSide(u)).pair;

/**
 * The sharing rewrites, repeated until they change nothing. One round can uncover work for the
 * next: in σ(σ(x)) + σ(−σ(x)) + σ(x)·σ(−x) the outer σ's argument holds a σ, so it is shared
 * only once the inner σ has become its family; without the second round, stabilizing the
 * output again would rewrite it. Each round replaces the calls of one more level of nesting,
 * so the rounds are at most the depth of the expression; without nesting (every activation of
 * the catalog) one round is all, and a rewrite whose function is absent is not tried.
 * Each round walks the whole DAG, so the rounds are capped: a nesting deeper than MAX_ROUNDS
 * (sigmoid of sigmoid … 1,000 deep) keeps its innermost calls as the builtins, which compute the
 * same values, instead of taking time quadratic in its depth.
 */
const MAX_ROUNDS = 12;

function shareExponentials(roots: readonly Expr[], lanes: Lanes): Expr[] {
  const shared = new Set<FnName>([...(lanes === "tensor" ? [] : ["sigmoid" as const, "tanh" as const]), ...(lanes === "scalar" ? ["expm1" as const] : [])]);
  let current = [...roots];
  for (let round = 1; ; round++) {
    const calls = current.flatMap((r) => postorder(r)).filter((n): n is Call => n.kind === "call" && shared.has(n.fn));
    if (calls.length === 0) return current;
    const present = (fn: FnName): boolean => calls.some((c) => c.fn === fn);
    let next = current;
    if (present("sigmoid")) next = shareSigmoidExponentials(sigmoidsOfKnownSign(sech2BesideSigmoid(next)));
    if (present("tanh")) next = shareTanhExponentials(next);
    if (present("expm1")) next = shareExpm1Exponentials(next);
    const nested = calls.some((c) => [...calledFunctions(c.args[0]!)].some((fn) => shared.has(fn as FnName)));
    if (!nested || round >= MAX_ROUNDS || next.every((n, i) => n === current[i])) return next;
    current = next;
  }
}

/**
 * sech²u = 4e/(1 + e)², e = e^(−2|u|), beside σ(±2u) (gelu_tanh′ = σ(2u) + x·u′·sech²u·…, from
 * 1 + tanh u = 2σ(2u)): written 4σ(2u)σ(−2u), the same value, it shares σ(2u)'s exponential
 * (shareSigmoidExponentials) instead of computing one of its own.
 */
function sech2BesideSigmoid(roots: readonly Expr[]): Expr[] {
  const present = new Set<Expr>(roots.flatMap((r) => postorder(r)));
  const doubled = new Map<Expr, Expr>();
  for (const n of present) {
    if (!isCall(n, "exp")) continue;
    const [c, rest] = splitCoefficient(n.args[0]!);
    if (!Q.equals(c, Q.fromInteger(-2)) || !isCall(rest, "abs")) continue;
    const v = mul(TWO, rest.args[0]!);
    if (present.has(fn1("sigmoid", v)) || present.has(fn1("sigmoid", neg(v)))) doubled.set(n, v);
  }
  if (doubled.size === 0) return [...roots];
  return roots.map((r) => transform(r, (m) => {
    if (m.kind !== "mul") return m;
    for (const [e, v] of doubled) {
      const square = pow(add(ONE, e), int(-2));
      if (m.factors.includes(e) && m.factors.includes(square)) {
        return mul(...m.factors.filter((f) => f !== e && f !== square), fn1("sigmoid", v), fn1("sigmoid", neg(v)));
      }
    }
    return m;
  }));
}

/**
 * σ(v) where the tests on the way to it say v ≤ 0 (relu_softplus′ = x ≥ 0 ? 1 : σ(x)):
 * e^v/(1 + e^v), the form the builtin takes below −40, which on that side cannot overflow and
 * needs no test. Its e^v is then the one f computes there (relu_softplus's log1p(e^x)), so f
 * and f′ computed together cost one exponential. It is within 2 ulps, as the builtin's
 * 1/(1 + e^(−v)) is, but not the same bits: every closure and kernel computes this form alike.
 * shareExponentials calls it only where a σ is present.
 */
function sigmoidsOfKnownSign(roots: readonly Expr[]): Expr[] {
  if (!roots.some((r) => postorder(r).some((n) => n.kind === "piecewise"))) return [...roots];
  return rewriteAlongPaths(roots, (n, facts) => (isCall(n, "sigmoid") && facts.nonPositive(n.args[0]!) ? sigmoidBelowZero(n.args[0]!) : n));
}

/** σ(v) = e^v/(1 + e^v): what the builtin computes below −40. */
function sigmoidBelowZero(v: Expr): Expr {
  const e = fn1("exp", v);
  return mul(e, pow(add(ONE, e), int(-1)));
}

/**
 * Where σ(v) and σ(−v) both remain (swish′ = σ(v)·(1 + v·σ(−v))), or σ(v) and the E = e^(−v) of
 * a σ′(v) (σ and σ′ computed together), they are rewritten into the family of σ(v), so that E and
 * 1 + E are computed once. A lone σ(v) stays a call of the builtin, which computes the same bits.
 */
function shareSigmoidExponentials(roots: readonly Expr[]): Expr[] {
  const present = new Set<Expr>(roots.flatMap((r) => postorder(r)));
  const calls = [...present].filter((n): n is Call => isCall(n, "sigmoid"));
  const replace = new Map<Expr, Expr>();
  for (const c of calls) {
    if (replace.has(c)) continue;
    const v = nonNegativeSide(c.args[0]!);
    const own = fn1("sigmoid", v);
    const other = fn1("sigmoid", neg(v));
    if (!(present.has(own) && present.has(other)) && !present.has(fn1("exp", neg(v)))) continue;
    if (calledFunctions(v).has("sigmoid")) continue;
    const family = sigmoidFamily(v);
    replace.set(own, family.own);
    replace.set(other, family.other);
  }
  if (replace.size === 0) return [...roots];
  return roots.map((r) => transform(r, (n) => replace.get(n) ?? n));
}

/**
 * tanh(u) next to the e = e^(−2|u|) of its stable derivative 4e/(1 + e)² (tanh and tanh′ computed
 * together): tanh(u) = sign(u)·(1 − e)/(1 + e) from |u| = TANH_EXP_FROM on — what the tanh builtin
 * computes there, bit for bit — so the two share one exponential; Math.tanh below.
 */
function shareTanhExponentials(roots: readonly Expr[]): Expr[] {
  const nodes = new Set(roots.flatMap((r) => postorder(r)));
  const shielded = [...nodes].flatMap((n) => (n.kind === "piecewise" ? n.branches : []));
  const replace = new Map<Expr, Expr>();
  for (const n of nodes) {
    if (!isCall(n, "tanh") || !nodes.has(fn1("abs", n.args[0]!))) continue;
    const u = n.args[0]!;
    const e = fn1("exp", mul(int(-2), fn1("abs", u)));
    if (!nodes.has(e)) continue;
    const near = compare("<", fn1("abs", u), num(Q.fromDecimalString(String(TANH_EXP_FROM))));
    // The tanh(u) inside a shared form stays (a second stabilize changes nothing), also where the
    // form's branch has been merged into an enclosing piecewise value.
    if (shielded.some((b) => b.when === near && b.then === n)) continue;
    replace.set(n, cond(near, n, mul(fn1("sign", u), sub(ONE, e), pow(add(ONE, e), int(-1)))));
  }
  if (replace.size === 0) return [...roots];
  return roots.map((r) => transform(r, (n) => replace.get(n) ?? n));
}

/**
 * expm1(u) next to e^u (elu and elu′ computed together): below EXPM1_EXP_BELOW the expm1 builtin
 * computes e^u − 1, bit for bit what is written here, so the two share one exponential there —
 * where both are computed on one path: e^u in one branch of a piecewise value and expm1(u) in
 * another (relu_softplus) share nothing. Called where an expm1 is present (shareExponentials).
 */
function shareExpm1Exponentials(roots: readonly Expr[]): Expr[] {
  const paths = branchPaths(roots);
  const shared = new Set([...paths.keys()].flatMap((n) => (n.kind === "piecewise" ? n.branches.map((b) => b.then) : [])));
  const replace = new Map<Expr, Expr>();
  for (const n of paths.keys()) {
    if (!isCall(n, "expm1")) continue;
    const u = n.args[0]!;
    const e = fn1("exp", u);
    const fromExp = add(e, MINUS_ONE);
    // The expm1(u) inside a shared form stays (a second stabilize changes nothing), also where
    // the form has been merged into an enclosing piecewise value.
    if (!onOnePath(paths.get(e), paths.get(n)!) || shared.has(fromExp)) continue;
    replace.set(n, cond(compare("<", u, num(Q.neg(Q.fromDecimalString(String(-EXPM1_EXP_BELOW))))), fromExp, n));
  }
  if (replace.size === 0) return [...roots];
  return roots.map((r) => transform(r, (n) => replace.get(n) ?? n));
}

/** Beyond this many paths to one node, it is taken as computed everywhere. */
const MAX_PATHS = 8;

/**
 * For each node, the branches taken on the way to it from the roots: `id:then` or `id:else` per
 * test of a piecewise value (its chain's tests, nested as code generation nests them). Values
 * whose first tests are the same (f and f′ of elu) are computed in one if, so the same path.
 */
function branchPaths(roots: readonly Expr[]): Map<Expr, string[][]> {
  const paths = new Map<Expr, string[][]>();
  const visit = (e: Expr, reached: readonly string[]): void => {
    const known = paths.get(e) ?? [];
    if (known.length > MAX_PATHS || known.some((p) => p.join(" ") === reached.join(" "))) return;
    const path = known.length === MAX_PATHS ? [] : reached;
    paths.set(e, [...known, [...path]]);
    if (e.kind !== "piecewise") return children(e).forEach((c) => visit(c, path));
    let rest = [...path];
    for (const b of e.branches) {
      visit(b.when, rest);
      visit(b.then, [...rest, `${b.when.id}:then`]);
      rest = [...rest, `${b.when.id}:else`];
    }
    visit(e.otherwise, rest);
  };
  roots.forEach((r) => visit(r, []));
  return paths;
}

/** Whether some path to a node of the first list leads on to one of the second's, or the other way. */
function onOnePath(a: readonly string[][] | undefined, b: readonly string[][]): boolean {
  const prefix = (p: readonly string[], q: readonly string[]): boolean => p.length <= q.length && p.every((s, i) => s === q[i]);
  return a !== undefined && a.some((p) => b.some((q) => prefix(p, q) || prefix(q, p)));
}

const negativeCoefficient = (u: Expr): boolean => Q.isNegative(splitCoefficient(u)[0]);

/** log1p(u), with log1p(exp(v)) = softplus(v) (which never overflows). */
function log1pOf(u: Expr): Expr {
  if (isCall(u, "exp")) return fn1("softplus", visit(u.args[0]!));
  return fn1("log1p", visit(u));
}

/** u when e is 1 + u. */
function onePlus(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.terms[0]!.kind !== "num" || !Q.isOne(e.terms[0].value)) return undefined;
  return add(...e.terms.slice(1));
}

/**
 * A sum: first the patterns that consume several terms at once (c − c·σ(u) and friends), then
 * common factors, then each remaining term on its own.
 */
function stableSum(terms: readonly Expr[]): Expr {
  let pending = [...terms];
  const done: Expr[] = [];
  for (;;) {
    const hit = matchPattern(pending) ?? sqrtConjugate(pending, visit) ?? hyperbolicPair(pending, visit) ?? halfAngle(pending, visit) ??
      softplusLinear(pending, visit, softplusArgument) ?? factorOut(pending);
    if (hit === undefined) break;
    pending = pending.filter((t) => !hit.used.includes(t));
    done.push(hit.result);
  }
  const stable = [...done, ...pending.map(visit)];
  // σ(a) − σ(b), once the identities above have made their σ's (1 − σ(u) is σ(−u)): sigmoid-difference.ts
  const difference = sigmoidDifference(stable, visit);
  return difference === undefined ? add(...stable) : add(difference.result, ...stable.filter((t) => !difference.used.includes(t)));
}

interface Hit {
  /** The terms of the sum the pattern consumed. */
  readonly used: readonly Expr[];
  /** Their sum, in stable form. */
  readonly result: Expr;
}

interface Term {
  readonly term: Expr;
  readonly coefficient: Q.Rational;
  readonly rest: Expr;
}

const split = (t: Expr): Term => {
  const [coefficient, rest] = splitCoefficient(t);
  return { term: t, coefficient, rest };
};

/** The multi-term identities, tried in order; each names the terms it consumes. */
function matchPattern(terms: readonly Expr[]): Hit | undefined {
  const parts = terms.map(split);
  const constant = terms.find((t) => t.kind === "num");
  const k = constant?.kind === "num" ? constant.value : undefined;
  const scaled = (c: Q.Rational, e: Expr): Expr => mul(num(c), e);

  for (const p of parts) {
    const { coefficient: m, rest } = p;
    // k ± k·erf(u), k − k·Φ(u), 2k − k·erfc(u): erf-complement.ts
    const complement = k === undefined ? undefined : erfComplement(k, m, rest, visit);
    if (complement !== undefined) return { used: [constant!, p.term], result: complement };
    if (k !== undefined && rest.kind === "call" && rest.args.length === 1) {
      const u = rest.args[0]!;
      // k + m·exp(u) with m = −k: m·(exp(u) − 1) = m·expm1(u)
      if (rest.fn === "exp" && Q.equals(m, Q.neg(k))) return { used: [constant!, p.term], result: scaled(m, fn1("expm1", visit(u))) };
      if (rest.fn === "sigmoid") {
        // k − k·σ(u) = k·σ(−u)
        if (Q.equals(m, Q.neg(k))) return { used: [constant!, p.term], result: scaled(k, fn1("sigmoid", neg(visit(u)))) };
        // k − 2k·σ(u) = −k·tanh(u/2)
        if (Q.equals(m, Q.mul(Q.fromInteger(-2), k))) return { used: [constant!, p.term], result: scaled(Q.neg(k), fn1("tanh", div(visit(u), TWO))) };
      }
    }
    // c·u − c·tanh(u) = c·tanhshrink(u): an identity, where the Taylor polynomial of near-zero.ts
    // would only approximate it; the builtin has no cancellation near 0 (src/functions/tanhshrink.ts).
    if (isCall(rest, "tanh") && !Q.isZero(m)) {
      const u = rest.args[0]!;
      const linear = terms.find((t) => t !== p.term && t === mul(num(Q.neg(m)), u));
      if (linear !== undefined) return { used: [linear, p.term], result: scaled(Q.neg(m), fn1("tanhshrink", visit(u))) };
    }
    // k ± k·tanh(u) = 2k·σ(±2u)
    if (k !== undefined && isCall(rest, "tanh") && (Q.equals(m, k) || Q.equals(m, Q.neg(k)))) {
      const u = visit(rest.args[0]!);
      return { used: [constant!, p.term], result: scaled(Q.mul(Q.fromInteger(2), k), fn1("sigmoid", mul(num(Q.fromInteger(Q.equals(m, k) ? 2 : -2)), u))) };
    }
    // k − k·tanh(u)² = k/cosh(u)²
    if (k !== undefined && rest.kind === "pow" && rest.exponent === TWO && isCall(rest.base, "tanh") && Q.equals(m, Q.neg(k))) {
      return { used: [constant!, p.term], result: scaled(k, sech2(visit(rest.base.args[0]!))) };
    }
    // m·softplus(u) − m·log 2
    const sp = softplusArgument(rest);
    if (sp !== undefined) {
      const log2 = terms.find((t) => t === mul(num(Q.neg(m)), fn1("log", TWO)));
      if (log2 !== undefined) return { used: [p.term, log2], result: scaled(m, softplusMinusLog2(visit(sp))) };
    }
    if (isCall(rest, "atan")) {
      const hit = halfPiAndAtan(terms, p);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/** u when e is softplus(u), written as such or as log(1 + exp(u)) or log1p(exp(u)). */
function softplusArgument(e: Expr): Expr | undefined {
  if (e.kind !== "call") return undefined;
  if (e.fn === "softplus") return e.args[0];
  const inner = e.fn === "log" ? onePlus(e.args[0]!) : e.fn === "log1p" ? e.args[0] : undefined;
  return inner !== undefined && isCall(inner, "exp") ? inner.args[0] : undefined;
}

/**
 * 1 − tanh²u = 1/cosh²u = 4e/(1 + e)² with e = e^(−2|u|): no cancellation, and no overflow —
 * 1/cosh(u)² would flush to 0 from |u| = 355.6 on, where cosh² overflows but the truth is still
 * a subnormal 5.6e-309; here e underflows gradually, with the truth. (Measured on [0, 372]: at
 * most 3 ulps, against 4 for 1/cosh², and 1 ulp past |u| = 20.)
 */
function sech2(u: Expr): Expr {
  const e = fn1("exp", mul(int(-2), fn1("abs", u)));
  return mul(int(4), e, pow(add(ONE, e), int(-2)));
}

/**
 * softplus(u) − log 2 without cancellation at u ≈ 0 and without overflow of expm1 for large u.
 * In scalar code, below u = −1, as written: log1p(e^u) − log 2 is within 1.7 ulps there
 * (measured against 60 digits on [−40, −1]; the expm1 form, 1.8), and Math.log1p of e^u ≤ 0.37
 * is faster than of expm1(u)/2 ≈ −0.4 (relu_softplus forward 1.18×, fused 1.09× faster, measured
 * side by side). Vector lanes compute every side a vector's lanes need, so a third one only costs there.
 */
function softplusMinusLog2(u: Expr): Expr {
  const small = fn1("log1p", mul(HALF, fn1("expm1", u)));
  const large = add(u, fn1("log1p", mul(HALF, fn1("expm1", neg(u)))));
  const nearZero = cond(compare("<", u, ONE), small, large);
  if (walking !== "scalar") return nearZero;
  return cond(compare("<", u, MINUS_ONE), add(fn1("log1p", fn1("exp", u)), neg(fn1("log", TWO))), nearZero);
}

/**
 * c·π + 2c·atan(u) (= 2c·(π/2 + atan u)) and c·π − 2c·atan(u) (= 2c·(π/2 − atan u)), and the
 * xwish′ tail c·π + 2c·atan(u) + 2c·u/(1 + u²) = 2c·atan_tail(u).
 */
function halfPiAndAtan(terms: readonly Expr[], atanTerm: Term): Hit | undefined {
  const piTerm = terms.map(split).find((t) => t.rest === PI);
  if (piTerm === undefined) return undefined;
  const c = piTerm.coefficient;
  const m = atanTerm.coefficient;
  const u = (atanTerm.rest as Call).args[0]!;
  const twoC = Q.mul(Q.fromInteger(2), c);
  if (Q.equals(m, twoC)) {
    const rational = terms.find((t) => t === mul(num(twoC), u, pow(add(ONE, pow(u, TWO)), int(-1))));
    if (rational !== undefined) return { used: [piTerm.term, atanTerm.term, rational], result: mul(num(twoC), atanTail(visit(u))) };
    return { used: [piTerm.term, atanTerm.term], result: mul(num(twoC), halfPiPlusAtan(visit(u))) };
  }
  if (Q.equals(m, Q.neg(twoC))) return { used: [piTerm.term, atanTerm.term], result: mul(num(twoC), halfPiMinusAtan(visit(u))) };
  return undefined;
}

const halfPi = (): Expr => mul(HALF, PI);

/**
 * π/2 + atan(u), which cancels as u → −∞: there π/2 + atan(u) = atan(1/|u|), and π − atan(1/|u|)
 * for u ≥ 0, where nothing cancels either.
 *
 * In scalar code, from the reduced arctangent (below): π/2 ± (T + q) for |u| < 1, π − (T + q)
 * for u ≥ 1 and T + q for u ≤ −1, all one expression c + (1 − 2N)(1 − 2B)·(T + q). Nothing
 * cancels (T + q = atan(r) ≤ π/4 is added to π/2 or π, or stands alone), every product is by 0,
 * ±1, ±2 and exact, and there is no branch — inputs of both signs mispredict one — and no call
 * of Math.atan, so xwish and xwish′ computed together share T and q.
 *
 * Vector lanes compute π·b + (1 − 2b)·atan(1/|u|) with b = [u ≥ 0]: one vector arctangent, which
 * reduces its argument itself.
 */
function halfPiPlusAtan(u: Expr): Expr {
  if (walking === "scalar") {
    const { c, T, q, B, N } = reducedArctangent(u);
    return add(c, mul(add(ONE, mul(int(-2), N)), add(ONE, mul(int(-2), B)), add(T, q)));
  }
  const b = cond(compare(">=", u, ZERO), ONE, ZERO);
  return add(mul(PI, b), mul(add(ONE, mul(int(-2), b)), fn1("atan", pow(fn1("abs", u), int(-1)))));
}

/**
 * atan_tail(u) = π/2 + atan(u) + u/(1 + u²), which cancels as u → −∞. In scalar code, from the
 * reduced arctangent: π/2 + T + 2q for 0 ≤ u < 1, π − T for u ≥ 1 and T itself for u ≤ −1 (where
 * T = atan_rem(r) is the cancellation-free tail), one expression c + (1 − 2B(1 − N))·T + 2(1 − B)·q.
 * On −1 < u < 0, π/2 − T − 2q would cancel (up to 5.5 times at u = −1), so the builtin computes
 * −atan(1/u) + u/(1 + u²) there: a branch that inputs spread over a few units rarely take.
 * Vector lanes call the builtin, which computes both of its sides and selects.
 */
function atanTail(u: Expr): Expr {
  if (walking !== "scalar") return fn1("atan_tail", u);
  const { c, T, q, B, N } = reducedArctangent(u);
  const reduced = add(c, mul(add(ONE, mul(int(-2), B, add(ONE, neg(N)))), T), mul(TWO, add(ONE, neg(B)), q));
  return cond(compare("<", mul(u, add(u, ONE)), ZERO), fn1("atan_tail", u), reduced);
}

/**
 * The arctangent of u reduced to r = min(|u|, 1/|u|) ∈ [0, 1], as the pieces that
 * π/2 + atan(u) and atan_tail(u) are made of: T = atan_rem(r) = atan(r) − q, q = r/(1 + r²),
 * the indicators B = [|u| ≥ 1] and N = [u < 0], and c = (π/2)(1 + B − 2BN) (π/2 inside, π for
 * u ≥ 1, 0 for u ≤ −1).
 */
function reducedArctangent(u: Expr): { c: Expr; T: Expr; q: Expr; B: Expr; N: Expr } {
  const a = fn1("abs", u);
  // min(|u|, 1/|u|) is min(|u|, 1)/max(|u|, 1) with one rounding, and a single node: a quotient
  // would be squared factor by factor into min²/max², a second division.
  const r = call("min", [a, pow(a, int(-1))]);
  const B = cond(compare(">=", a, ONE), ONE, ZERO);
  const N = cond(compare("<", u, ZERO), ONE, ZERO);
  return {
    c: mul(halfPi(), add(ONE, B, mul(int(-2), B, N))),
    T: fn1("atan_rem", r),
    q: mul(r, pow(add(ONE, pow(r, TWO)), int(-1))),
    B, N,
  };
}

/** π/2 − atan(u), which cancels as u → +∞: there π/2 − atan(u) = atan(1/u). */
const halfPiMinusAtan = (u: Expr): Expr =>
  cond(compare(">", u, ZERO), fn1("atan", pow(u, int(-1))), sub(halfPi(), fn1("atan", u)));

/** A term as its numeric coefficient and its factors, each a base with an integer exponent. */
interface Factored {
  readonly term: Expr;
  readonly powers: ReadonlyMap<number, { readonly base: Expr; readonly exponent: Q.Rational }>;
}

function factorsOf(t: Expr): Factored {
  const [, rest] = splitCoefficient(t);
  const powers = new Map<number, { base: Expr; exponent: Q.Rational }>();
  if (rest.kind === "num") return { term: t, powers };
  for (const f of rest.kind === "mul" ? rest.factors : [rest]) {
    if (f.kind === "pow" && f.exponent.kind === "num" && Q.isInteger(f.exponent.value)) powers.set(f.base.id, { base: f.base, exponent: f.exponent.value });
    else powers.set(f.id, { base: f, exponent: Q.ONE });
  }
  return { term: t, powers };
}

/**
 * The factor shared by the most terms (at least two), with every other factor those terms share:
 * a·b·c + a·b·d + e = a·b·(c + d) + e. Exponents of one sign only; the smallest power is taken.
 */
function factorOut(terms: readonly Expr[]): Hit | undefined {
  if (terms.length < 2) return undefined;
  // A sum of products of powers with integer exponents (a polynomial, a rational function) has no
  // pattern for a factoring to uncover; trying every shared factor would recurse once per term
  // (a polynomial of degree 5,000 overflowed the stack) in time quadratic in its length.
  if (terms.every(isRationalTerm)) return undefined;
  const factored = terms.map(factorsOf);
  const counts = new Map<number, number>();
  for (const f of factored) {
    for (const [id, { base }] of f.powers) if (factorable(base)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  // Most shared first; a factoring is kept only where it lets a rule fire in the cofactor
  // (1 − σ, 1 − tanh² …). Elsewhere it would only reorder the user's arithmetic.
  const candidates = [...counts].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]);
  for (const [best] of candidates) {
    const hit = factorBy(factored, best);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Whether a term is built of numbers, names and integer powers alone (no call, root, piecewise value or constant). */
function isRationalTerm(t: Expr): boolean {
  return postorder(t).every((n) => n.kind === "num" || n.kind === "sym" || n.kind === "add" || n.kind === "mul"
    || (n.kind === "pow" && n.exponent.kind === "num" && Q.isInteger(n.exponent.value)));
}

// e is never factored out: e^-1 is built as exp(-1), a different base, so e·x/e would not fold
// back to x and the factoring would never end.
const factorable = (base: Expr): boolean => base.kind !== "num" && !(base.kind === "const" && base.name === "e");

function factorBy(factored: readonly Factored[], best: number): Hit | undefined {
  const group = factored.filter((f) => f.powers.has(best));
  const common: Expr[] = [];
  for (const [id, { base }] of group[0]!.powers) {
    if (!factorable(base)) continue;
    const exponents = group.map((f) => f.powers.get(id)?.exponent);
    if (exponents.some((x) => x === undefined)) continue;
    const es = exponents as Q.Rational[];
    const positive = es.every((x) => !Q.isNegative(x));
    const negative = es.every((x) => Q.isNegative(x));
    if (!positive && !negative) continue;
    const e = es.reduce((a, b) => ((positive ? Q.compare(a, b) < 0 : Q.compare(a, b) > 0) ? a : b));
    common.push(pow(base, num(e)));
  }
  if (common.length === 0) return undefined;
  const c = mul(...common);
  // The cofactor sum is rebuilt through the smart constructor, so a sum among the cofactors
  // (c·(π/2 + atan u) + c·u/(1 + u²)) is flattened into the terms the patterns look at.
  const cofactor = add(...group.map((f) => div(f.term, c)));
  const stable = visit(cofactor);
  if (stable === cofactor) return undefined;
  return { used: group.map((f) => f.term), result: mul(visit(c), stable) };
}
