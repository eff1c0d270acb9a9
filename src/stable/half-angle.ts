import { call, mul, num, pow, splitCoefficient, TWO, HALF } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * A constant less its multiple of a cosine, by the half angle:
 *   k − k·cos(u) = 2k·sin(u/2)²,   k + k·cos(u) = 2k·cos(u/2)²
 * 1 − cos(x) cancels wherever cos x ≈ 1: near 0 (0 at x = 1e−8, whose value is 5e−17) and near
 * every 2πn (at x = 710, 29 bits are lost: cos 710 ≈ 1 − 1.8e−9); sin(x/2)² has nothing to cancel,
 * x/2 is exact, and sin is accurate to the last bit after its argument reduction. The same
 * for 1 + cos near odd multiples of π.
 */
export interface HalfAngleHit {
  readonly used: readonly Expr[];
  readonly result: Expr;
}

export function halfAngle(terms: readonly Expr[], visit: (e: Expr) => Expr): HalfAngleHit | undefined {
  const constant = terms.find((t) => t.kind === "num");
  if (constant?.kind !== "num") return undefined;
  const k = constant.value;
  for (const t of terms) {
    const [m, rest] = splitCoefficient(t);
    if (rest.kind !== "call" || rest.fn !== "cos") continue;
    const half = mul(HALF, visit(rest.args[0]!));
    const twoK = num(Q.mul(Q.fromInteger(2), k));
    if (Q.equals(m, Q.neg(k))) return { used: [constant, t], result: mul(twoK, pow(call("sin", [half]), TWO)) };
    if (Q.equals(m, k)) return { used: [constant, t], result: mul(twoK, pow(call("cos", [half]), TWO)) };
  }
  return undefined;
}
