import { add, call, compare, cond, idx, int, logic, mul, ONE, piecewise, pow, reduce, ZERO } from "../ast/build.js";
import { assertNever, type Expr } from "../ast/nodes.js";
import { dependsOn, transform } from "../ast/walk.js";
import * as Q from "../ast/rational.js";
import { fail } from "../errors.js";
import { checkOrder } from "../limits.js";
import { fnSpec } from "../functions/table.js";
import { vectorFnSpec } from "../functions/vector-functions.js";

/**
 * Symbolic differentiation. Each builtin supplies only its outer derivative (in the function
 * table); the chain rule is applied here, once. Results are memoised per node and variable, so a
 * shared subexpression is differentiated once and higher derivatives stay a DAG.
 */
const memo = new Map<string, WeakMap<Expr, Expr>>();

function memoFor(wrt: string): WeakMap<Expr, Expr> {
  let m = memo.get(wrt);
  if (m === undefined) memo.set(wrt, (m = new WeakMap()));
  return m;
}

/**
 * What a derivative is taken with respect to: a symbol (`x`, `beta`), or an element of a vector
 * input written `x[j]` — ∂/∂x_j, j an index name. A name with a bracket cannot be a symbol.
 */
export const elementVariable = (vector: string, index: string): string => `${vector}[${index}]`;
const ELEMENT = /^([^[\]]+)\[([^[\]]+)\]$/;
/** Whether a name is an element variable, `x[j]`, and not a symbol. */
export const isElementVariable = (name: string): boolean => ELEMENT.test(name);
const parseVariable = (wrt: string): { readonly name: string; readonly index?: string } => {
  const m = ELEMENT.exec(wrt);
  return m ? { name: m[1]!, index: m[2]! } : { name: wrt };
};

/** d/d(wrt) of e, `order` times (wrt a symbol, or `x[j]` for ∂/∂x_j). Not simplified: see `simplify`. */
export function diff(e: Expr, wrt: string, order = 1): Expr {
  if (!Number.isInteger(order) || order < 0) fail("E_ORDER", `the order of a derivative must be a non-negative integer, not ${order}`);
  checkOrder(order);
  let result = e;
  for (let k = 0; k < order; k++) result = diffOnce(result, wrt);
  return result;
}

function diffOnce(e: Expr, wrt: string): Expr {
  if (!dependsOn(e, parseVariable(wrt).name)) return ZERO;
  const m = memoFor(wrt);
  const cached = m.get(e);
  if (cached !== undefined) return cached;
  const result = rule(e, wrt);
  m.set(e, result);
  return result;
}

function rule(e: Expr, wrt: string): Expr {
  const d = (u: Expr): Expr => diffOnce(u, wrt);
  const variable = parseVariable(wrt);
  switch (e.kind) {
    case "num": case "const": case "idx": case "len": return ZERO;
    case "sym": return variable.index === undefined && e.name === variable.name ? ONE : ZERO;
    // ∂x_k/∂x_j = δ_kj
    case "elem": return variable.index !== undefined && e.vector === variable.name ? call("delta", [e.index, idx(variable.index)]) : ZERO;
    case "reduce": switch (e.op) {
      // (Σ_k b_k)' = Σ_k b_k'
      case "sum": return reduce("sum", e.index, e.from, e.to, d(e.body));
      // (max_k b_k)' = b'_k at the first k where the max is reached (torch.max(dim)'s backward)
      case "max": case "min": {
        const arg = reduce(e.op === "max" ? "argmax" : "argmin", e.index, e.from, e.to, e.body);
        return reduce("sum", e.index, e.from, e.to, cond(compare("==", idx(e.index), arg), d(e.body), ZERO));
      }
      case "argmax": case "argmin": return ZERO; // an index
    }
    // falls through: the inner switch is exhaustive
    // f(v)' from the function's own rule, given v' element by element
    case "vcall": return vectorFnSpec(e.fn).jvp(e, d(e.body));
    // (a + b)' = a' + b'
    case "add": return add(...e.terms.map(d));
    // (Π fᵢ)' = Σᵢ fᵢ' Π_{j≠i} fⱼ
    case "mul": return add(...e.factors.map((f, i) => mul(d(f), ...e.factors.filter((_, j) => j !== i))));
    case "pow": {
      const { base, exponent } = e;
      // (uⁿ)' = n uⁿ⁻¹ u' when the exponent is constant
      if (!dependsOn(exponent, variable.name)) return chain([exponent, pow(base, add(exponent, int(-1)))], d(base));
      if (!dependsOn(base, variable.name)) return constantBase(e, base, exponent, d(exponent));
      // (uᵛ)' = uᵛ (v' ln u + v u'/u)
      return mul(e, add(mul(d(exponent), call("log", [base])), mul(exponent, d(base), pow(base, int(-1)))));
    }
    case "call": {
      // The chain rule: f(u₁, …)' = Σᵢ ∂f/∂uᵢ · uᵢ'
      const spec = fnSpec(e.fn);
      return add(...e.args.map((a, i) => (dependsOn(a, variable.name) ? chain([spec.derivative(e.args, i)], d(a)) : ZERO)));
    }
    case "piecewise":
      // Each piece differentiates on its own; the conditions decide which derivative applies,
      // so at a breakpoint the derivative is the one of the piece the condition selects.
      return piecewise(e.branches.map((b) => ({ when: b.when, then: d(b.then) })), d(e.otherwise));
    case "derivative": return d(diff(expandDerivatives(e.expr), e.wrt, e.order));
    case "compare": case "logic": case "not":
      return fail("E_TYPE", "a condition has no derivative; only numeric expressions can be differentiated");
    default: return assertNever(e);
  }
}

/**
 * f′(u) · u′, the chain rule's product (f′(u) given as its factors). Where u′ is 0 on a piece (u = relu(x) for x ≤ 0), u is
 * constant there and so is f(u): the product is 0 on that piece whatever f′(u) is, and is built
 * as a piecewise value that says so. Multiplied out, f′(u) could be infinite there (√u at u = 0)
 * and 0 · ∞ would make the derivative NaN where the function is flat.
 */
function chain(outer: readonly Expr[], inner: Expr): Expr {
  const factors = inner.kind === "mul" ? inner.factors : [inner];
  const k = factors.findIndex((f) => f.kind === "piecewise" && (f.otherwise === ZERO || f.branches.some((b) => b.then === ZERO)));
  // One product of every factor, as the rule reads: n·uⁿ⁻¹·u′ (mul(2, 1 − σ) alone would distribute).
  if (k < 0) return mul(...outer, inner);
  const p = factors[k] as Extract<Expr, { kind: "piecewise" }>;
  const others = factors.filter((_, j) => j !== k);
  const on = (branch: Expr): Expr => (branch === ZERO ? ZERO : chain(outer, mul(...others, branch)));
  return piecewise(p.branches.map((b) => ({ when: b.when, then: on(b.then) })), on(p.otherwise));
}

/**
 * (cᵛ)' for a base c that does not depend on the variable. (cᵛ)' = cᵛ ln(c) v' holds for c > 0
 * only. 0ᵛ is 0 for v > 0 (so its derivative is 0 there, not 0·ln 0 = NaN), 1 at v = 0 and
 * infinite below; for c < 0, cᵛ is real only at isolated v and has no derivative, which ln(c)
 * (NaN) already says. A base that is a name may be 0, so it gets the case of 0 as a branch.
 */
function constantBase(e: Expr, base: Expr, exponent: Expr, dExponent: Expr): Expr {
  const general = mul(e, call("log", [base]), dExponent);
  const ofZero = cond(compare(">", exponent, ZERO), ZERO, general);
  if (base.kind === "num") return Q.isZero(base.value) ? ofZero : general;
  if (base.kind === "const") return general; // π
  return cond(logic("and", [compare("==", base, ZERO), compare(">", exponent, ZERO)]), ZERO, general);
}

/** Replaces every unevaluated `diff(f, x, n)` node by the derivative itself. */
export function expandDerivatives(e: Expr): Expr {
  return transform(e, (node) => (node.kind === "derivative" ? diff(node.expr, node.wrt, node.order) : node));
}
