import { add, call, compare, cond, HALF, int, mul, neg, pow, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import { dagSize } from "../ast/walk.js";
import { expand } from "../simplify/expand.js";

/**
 * The logarithm of a ratio near 1, as log1p of the difference:
 *   log(P/Q) = log1p(D/Q), D = P − Q multiplied out   (|D| < |Q|/2; as written elsewhere)
 * taken where D is no larger than P (1 − x − (1 + x) = −2x; x − (1 + x) = −1): the cancellation P/Q − 1 is then done
 * symbolically. log((1 − x)/(1 + x)) (Hamming's logq, and 2·artanh) is 0 at x = 1e−20, whose
 * value is −2e−20: P/Q rounds to 1. Away from 1 (|D| ≥ |Q|/2) the ratio is far from 1, log has
 * no cancellation, and log1p of an argument near −1 would amplify its rounding: the written form.
 */
export function logOfRatio(argument: Expr, visit: (e: Expr) => Expr): Expr | undefined {
  if (argument.kind !== "mul") return undefined;
  const inverse = argument.factors.find((f) => f.kind === "pow" && f.exponent === int(-1) && f.base.kind === "add");
  if (inverse === undefined || inverse.kind !== "pow") return undefined;
  const P = mul(...argument.factors.filter((f) => f !== inverse));
  const Q = inverse.base;
  const D = expand(add(expand(P), neg(expand(Q))));
  if (D === ZERO || dagSize(D) > dagSize(expand(P))) return undefined;
  const [d, q] = [visit(D), visit(Q)];
  const near = compare("<", call("abs", [d]), mul(HALF, call("abs", [q])));
  return cond(near, call("log1p", [mul(d, pow(q, int(-1)))]), call("log", [visit(argument)]));
}
