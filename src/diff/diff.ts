import { add, call, int, mul, ONE, piecewise, pow, ZERO } from "../ast/build.js";
import { assertNever, type Expr } from "../ast/nodes.js";
import { dependsOn, transform } from "../ast/walk.js";
import { fail } from "../errors.js";
import { fnSpec } from "../functions/table.js";

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

/** d/d(wrt) of e, `order` times. Not simplified: see `simplify`. */
export function diff(e: Expr, wrt: string, order = 1): Expr {
  if (!Number.isInteger(order) || order < 0) fail("E_ORDER", `the order of a derivative must be a non-negative integer, not ${order}`);
  let result = e;
  for (let k = 0; k < order; k++) result = diffOnce(result, wrt);
  return result;
}

function diffOnce(e: Expr, wrt: string): Expr {
  if (!dependsOn(e, wrt)) return ZERO;
  const m = memoFor(wrt);
  const cached = m.get(e);
  if (cached !== undefined) return cached;
  const result = rule(e, wrt);
  m.set(e, result);
  return result;
}

function rule(e: Expr, wrt: string): Expr {
  const d = (u: Expr): Expr => diffOnce(u, wrt);
  switch (e.kind) {
    case "num": case "const": return ZERO;
    case "sym": return e.name === wrt ? ONE : ZERO;
    // (a + b)' = a' + b'
    case "add": return add(...e.terms.map(d));
    // (Π fᵢ)' = Σᵢ fᵢ' Π_{j≠i} fⱼ
    case "mul": return add(...e.factors.map((f, i) => mul(d(f), ...e.factors.filter((_, j) => j !== i))));
    case "pow": {
      const { base, exponent } = e;
      // (uⁿ)' = n uⁿ⁻¹ u' when the exponent is constant
      if (!dependsOn(exponent, wrt)) return mul(exponent, pow(base, add(exponent, int(-1))), d(base));
      // (aᵛ)' = aᵛ ln(a) v' when the base is constant
      if (!dependsOn(base, wrt)) return mul(e, call("log", [base]), d(exponent));
      // (uᵛ)' = uᵛ (v' ln u + v u'/u)
      return mul(e, add(mul(d(exponent), call("log", [base])), mul(exponent, d(base), pow(base, int(-1)))));
    }
    case "call": {
      // The chain rule: f(u₁, …)' = Σᵢ ∂f/∂uᵢ · uᵢ'
      const spec = fnSpec(e.fn);
      return add(...e.args.map((a, i) => (dependsOn(a, wrt) ? mul(spec.derivative(e.args, i), d(a)) : ZERO)));
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

/** Replaces every unevaluated `diff(f, x, n)` node by the derivative itself. */
export function expandDerivatives(e: Expr): Expr {
  return transform(e, (node) => (node.kind === "derivative" ? diff(node.expr, node.wrt, node.order) : node));
}
