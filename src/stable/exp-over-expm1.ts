import { add, call, compare, cond, int, mul, neg, num, ONE, pow, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * An exponential over the same exponential less one, turned around where u ≥ 0:
 *   e^u·expm1(u)^(−k) = −expm1(−u)^(−1)·expm1(u)^(−(k−1))   (k ≥ 1 an integer)
 * from e^u/(e^u − 1) = 1/(1 − e^(−u)). e^x/(e^x − 1) (Hamming's expq2) is ∞/∞ = NaN from x =
 * 709.78 on, where the truth is ≈ 1: −1/expm1(−x) is then 1/(1 − e^(−x)) with e^(−x) tiny. For
 * u → −∞ it is −1/expm1(|u|) ≈ −e^u, computed as such until e^u is subnormal (from u ≈ −709.78
 * on it would be −0 where the truth is a subnormal number, so there it stays). Near u = 0 both forms are expm1's and as
 * accurate. Matched on the stabilised factors, where e^u − 1 has already become expm1(u).
 */
export function expOverExpm1(factors: readonly Expr[]): Expr[] | undefined {
  for (const f of factors) {
    if (f.kind !== "call" || f.fn !== "exp") continue;
    const u = f.args[0]!;
    const denominator = factors.find((g) => g.kind === "pow" && g.base === call("expm1", [u]) && g.exponent.kind === "num" &&
      Q.isInteger(g.exponent.value) && Q.isNegative(g.exponent.value));
    if (denominator === undefined || denominator.kind !== "pow" || denominator.exponent.kind !== "num") continue;
    const k = Q.neg(denominator.exponent.value);
    const rest = factors.filter((h) => h !== f && h !== denominator);
    // Turned only for u ≥ 0: below, e^u/expm1(u) is ≈ −e^u down to the subnormals, where
    // −1/expm1(−u) would be −1/∞ = −0 (from u ≈ −709.78).
    const turned = cond(compare("<", u, ZERO), mul(f, pow(call("expm1", [u]), int(-1))), neg(pow(call("expm1", [neg(u)]), int(-1))));
    return [...rest, turned, pow(call("expm1", [u]), num(Q.neg(Q.sub(k, Q.ONE))))];
  }
  return undefined;
}


/**
 * The quotient of expm1 at twice the argument by expm1 at it:
 *   expm1(2u)·expm1(u)^(−1) = e^u + 1
 * from e^(2u) − 1 = (e^u − 1)(e^u + 1). (e^(2x) − 1)/(e^x − 1) (Hamming's sqrtexp) is ∞/∞ = NaN
 * from x = 354.9 on, where the truth e^x + 1 is finite up to 709.78; and e^u + 1 rounds once.
 */
export function expm1Double(factors: readonly Expr[]): Expr[] | undefined {
  for (const f of factors) {
    if (f.kind !== "call" || f.fn !== "expm1") continue;
    const u = mul(num(Q.rational(1n, 2n)), f.args[0]!);
    const denominator = factors.find((g) => g.kind === "pow" && g.base === call("expm1", [u]) && g.exponent === int(-1));
    if (denominator === undefined) continue;
    return [...factors.filter((h) => h !== f && h !== denominator), add(call("exp", [u]), ONE)];
  }
  return undefined;
}
