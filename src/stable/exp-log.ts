import { add, call, mul, num, pow, splitCoefficient } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";

/**
 * An exponential of logarithms as the product they stand for:
 *   e^(Σ c_i·log u_i + w) = (Π u_i^(c_i))·e^w        (c_i numbers; where every u_i > 0, as the logs require)
 * e^(log a + log b) rounds log a and log b, and e^s turns their absolute error into a relative one
 * of |s|·2⁻⁵³: Herbie's "Exp of sum of logs" is 657 ulps off at a = 1.4e−245 (s ≈ −563), where a·b
 * is 1 ulp. Where some u_i ≤ 0 the written form is not a real number and the product is not
 * asked for. Undefined where the exponent has no logarithm.
 */
export function expOfLogs(exponent: Expr, visit: (e: Expr) => Expr): Expr | undefined {
  const terms = exponent.kind === "add" ? exponent.terms : [exponent];
  const powers: Expr[] = [];
  const rest: Expr[] = [];
  for (const t of terms) {
    const [c, r] = splitCoefficient(t);
    if (r.kind === "call" && r.fn === "log") powers.push(pow(visit(r.args[0]!), num(c)));
    else rest.push(t);
  }
  if (powers.length === 0) return undefined;
  return rest.length === 0 ? mul(...powers) : mul(...powers, call("exp", [visit(add(...rest))]));
}

