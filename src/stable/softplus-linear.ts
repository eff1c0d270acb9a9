import { add, call, compare, cond, mul, neg, num, ONE, splitCoefficient, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * softplus(u) less a multiple of u, as the other side's softplus:
 *   m·softplus(u) + m·j·u = m·(softplus(−u) + (1 + j)·u)   (u ≥ 0; as written for u < 0)
 * from softplus(u) = softplus(−u) + u. For large u, softplus(u) ≈ u, and softplus(u) − u·y
 * (Herbie's "Logistic regression 2", log(1 + e^x) − x·y) loses every digit at y = 1 from x ≈ 37
 * on, where the truth is ≈ e^(−x): there softplus(−u) is that small number itself, and (1 + j)·u
 * is 0 or a term of the same sign as −j·u. For u < 0 the form as written adds softplus(u) ≈ e^u to
 * j·u, and the other form would cancel (at j = 0, softplus(−u) + u). Where j = −1 exactly the
 * linear term is gone and softplus(−u) holds on both sides, with no test. j is any factor (a
 * parameter y, a number): the rewrite is taken unless j is a number ≥ 0, where both terms have
 * u's sign and nothing cancels.
 */
export interface SoftplusLinearHit {
  readonly used: readonly Expr[];
  readonly result: Expr;
}

type Visit = (e: Expr) => Expr;

/** j where term = m·j·u: the factors of the term other than u, over m; undefined if u is not one of them. */
function multipleOf(term: Expr, u: Expr, m: Q.Rational): Expr | undefined {
  const [c, rest] = splitCoefficient(term);
  const scale = num(Q.div(c, m));
  if (rest === u) return scale;
  if (rest.kind !== "mul") return undefined;
  const at = rest.factors.indexOf(u);
  if (at < 0) return undefined;
  return mul(scale, ...rest.factors.filter((_, i) => i !== at));
}

export function softplusLinear(terms: readonly Expr[], visit: Visit, softplusArgument: (e: Expr) => Expr | undefined): SoftplusLinearHit | undefined {
  for (const t of terms) {
    const [m, rest] = splitCoefficient(t);
    const u = softplusArgument(rest);
    if (u === undefined || Q.isZero(m)) continue;
    for (const other of terms) {
      if (other === t) continue;
      const j = multipleOf(other, u, m);
      if (j === undefined || (j.kind === "num" && !Q.isNegative(j.value))) continue;
      const v = visit(u);
      const opposite = call("softplus", [neg(v)]);
      if (j.kind === "num" && Q.equals(j.value, Q.fromInteger(-1))) return { used: [t, other], result: mul(num(m), opposite) };
      const jv = visit(j);
      const large = add(opposite, mul(add(ONE, jv), v));
      const asWritten = add(call("softplus", [v]), mul(jv, v));
      return { used: [t, other], result: mul(num(m), cond(compare(">=", v, ZERO), large, asWritten)) };
    }
  }
  return undefined;
}
