import { add, call, compare, cond, HALF, mul, neg, num, splitCoefficient, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * The square root of an exponential plus a constant, with the exponential's half taken out:
 *   √(k + m·e^u) = e^(u/2)·√(m + k·e^(−u))   (u > 0; as written for u ≤ 0)     (k ≥ 0, m > 0 numbers)
 * e^u overflows from u = 709.78 on, where √(k + m·e^u) is finite up to u ≈ 1419 (Hamming's sqrtexp,
 * √(e^x + 1) once its quotient is simplified, is ∞ on (709.78, 1419)). For u > 0 the root is of a
 * number in [m, m + k] and e^(u/2) cannot overflow before the value does. Applied to the
 * stabilised argument.
 */
export function sqrtOfExpSum(argument: Expr): Expr | undefined {
  const terms = argument.kind === "add" ? argument.terms : [argument];
  if (terms.length !== 2) return undefined;
  const constant = terms.find((t) => t.kind === "num");
  const other = terms.find((t) => t !== constant);
  if (constant?.kind !== "num" || other === undefined || Q.isNegative(constant.value)) return undefined;
  const [m, e] = splitCoefficient(other);
  if (e.kind !== "call" || e.fn !== "exp" || Q.isNegative(m) || Q.isZero(m)) return undefined;
  const u = e.args[0]!;
  const k = constant.value;
  const large = mul(call("exp", [mul(HALF, u)]), call("sqrt", [add(num(m), mul(num(k), call("exp", [neg(u)])))]));
  return cond(compare(">", u, ZERO), large, call("sqrt", [argument]));
}

