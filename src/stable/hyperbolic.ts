import { call, mul, neg, num, splitCoefficient } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * A pair of exponentials e^u and e^(−u) in a sum, as the hyperbolic builtins:
 *   m·e^u − m·e^(−u) = 2m·sinh(u),   m·e^u + m·e^(−u) = 2m·cosh(u).
 * (e^x − e^(−x))/2 cancels near 0 (0 at x = 1e−300, whose sinh is 1e−300), and e^x overflows
 * from x = 709.78 on, where sinh and cosh are finite up to 710.48. Math.sinh and Math.cosh
 * (fdlibm) compute through expm1 near 0 and through e^(|x|/2)·e^(|x|/2)/2 beyond the overflow of
 * e^x: neither problem is left. e^(−u) is also matched as (e^u)^(−1), as 1/exp(x) is written.
 */
export interface HyperbolicHit {
  readonly used: readonly Expr[];
  readonly result: Expr;
}

type Visit = (e: Expr) => Expr;

/** The exponent of an exponential term: a for e^a, −a for (e^a)^(−1). */
function exponentOf(e: Expr): Expr | undefined {
  if (e.kind === "call" && e.fn === "exp") return e.args[0];
  if (e.kind === "pow" && e.base.kind === "call" && e.base.fn === "exp" && e.exponent.kind === "num" && Q.equals(e.exponent.value, Q.fromInteger(-1))) {
    return neg(e.base.args[0]!);
  }
  return undefined;
}

export function hyperbolicPair(terms: readonly Expr[], visit: Visit): HyperbolicHit | undefined {
  const parts = terms.map((t) => {
    const [m, rest] = splitCoefficient(t);
    return { term: t, m, exponent: exponentOf(rest) };
  });
  for (const p of parts) {
    if (p.exponent === undefined || Q.isNegative(splitCoefficient(p.exponent)[0])) continue;
    const u = p.exponent;
    const partner = parts.find((q) => q !== p && q.exponent !== undefined && q.exponent === neg(u));
    if (partner === undefined) continue;
    const two = Q.mul(Q.fromInteger(2), p.m);
    if (Q.equals(partner.m, Q.neg(p.m))) return { used: [p.term, partner.term], result: mul(num(two), call("sinh", [visit(u)])) };
    if (Q.equals(partner.m, p.m)) return { used: [p.term, partner.term], result: mul(num(two), call("cosh", [visit(u)])) };
  }
  return undefined;
}
