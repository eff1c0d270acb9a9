import { add, call, div, HALF, int, mul, neg, ONE, pow, TWO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeSymbols } from "../ast/walk.js";
import { expand } from "../simplify/expand.js";

/**
 * The inverse hyperbolic sine written as a logarithm: log(A + √(A² + c)) = ½·log c + asinh(A/√c),
 * c > 0 a number (c = 1: asinh(A) alone), and asinh(w) = sign(w)·log1p(|w| + |w|/(1/|w| + √(1 + 1/w²))).
 * Written as a logarithm it loses every digit on one side: for A < 0 the sum A + √(A² + c)
 * cancels (log(x + √(x² + 1)) is 0 at x = −1e−8… and −∞ from x ≈ −1e8 on), and near A = 0 the
 * log of a number near 1 keeps only the digits of 1 + A (log(1e−20 + √(1 + 1e−40)) is 0, not
 * 1e−20). The odd form takes |w|, where nothing cancels, and log1p of the small remainder;
 * |w|/(1/|w| + √(1 + 1/w²)) is w²/(1 + √(w² + 1)) without overflow of w² for large |w| (and it
 * is 0, as it should be, where 1/|w| overflows). Spellings of the same logarithm (√(1 + x·x) + x,
 * −log(√(x² + 1) − x)) are found by B − A² multiplied out.
 */
type Visit = (e: Expr) => Expr;

const isSqrt = (e: Expr): boolean => e.kind === "call" && e.fn === "sqrt";

/** The stable value of log(e) where e is A + √(A² + c); undefined where it is not. */
export function logOfHyperbolicSum(e: Expr, visit: Visit): Expr | undefined {
  if (e.kind !== "add") return undefined;
  const root = e.terms.find(isSqrt);
  if (root === undefined || root.kind !== "call") return undefined;
  const A = add(...e.terms.filter((t) => t !== root));
  if (freeSymbols(A).size === 0) return undefined;
  const c = expand(add(expand(root.args[0]!), neg(expand(pow(A, TWO)))));
  if (c.kind !== "num" || Q.isNegative(c.value) || Q.isZero(c.value)) return undefined;
  const a = visit(A);
  if (Q.isOne(c.value)) return asinhOf(a);
  // √c as a number of the formula language: A/√c is A·c^(−1/2), folded where c is a square.
  const w = mul(a, pow(c, neg(HALF)));
  return add(mul(HALF, call("log", [c])), asinhOf(w));
}

/** asinh(w) = sign(w)·log1p(|w| + |w|/(1/|w| + √(1 + 1/w²))), from the builtins, without cancellation. */
function asinhOf(w: Expr): Expr {
  const a = call("abs", [w]);
  const inverse = pow(a, int(-1));
  const rest = div(a, add(inverse, call("sqrt", [add(ONE, pow(inverse, TWO))])));
  return mul(call("sign", [w]), call("log1p", [add(a, rest)]));
}
