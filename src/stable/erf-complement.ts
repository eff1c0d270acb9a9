import { call, int, mul, neg, num, TWO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { postorder } from "../ast/walk.js";

/**
 * The complements of the error function and the normal cdf, which cancel where the function
 * approaches its limit: 1 + erf(u) is 0 for u < −5.9 (erf rounds to −1) where the truth is
 * ≈ e^(−u²)/(|u|√π), so gelu written x·(1 + erf(x/√2))/2 is 0 from x ≈ −8.3 on.
 *   k + k·erf(u) = k·erfc(−u)     k − k·erf(u) = k·erfc(u)
 *   k − k·Φ(u)   = k·Φ(−u)        2k − k·erfc(u) = k·erfc(−u)     k − k·erfc(u) = k·erf(u)
 * and erfc(w) = 2Φ(−√2·w) where √2·w has no √2 left (w = −x/√2: gelu's 1 + erf(x/√2) = 2Φ(x)),
 * so that Φ, which takes x itself, computes it without rounding x/√2 first.
 * `term` is c·f(u) with c the coefficient; `k` the constant of the same sum. The result is the
 * two terms' sum, its argument stabilised by `visit`; undefined where no identity applies.
 */
export function erfComplement(k: Q.Rational, c: Q.Rational, f: Expr, visit: (e: Expr) => Expr): Expr | undefined {
  if (f.kind !== "call" || f.args.length !== 1) return undefined;
  const u = f.args[0]!;
  const scaled = (q: Q.Rational, e: Expr): Expr => mul(num(q), e);
  switch (f.fn) {
    case "erf":
      if (Q.equals(c, k)) return scaled(k, erfcOf(neg(visit(u))));
      if (Q.equals(c, Q.neg(k))) return scaled(k, erfcOf(visit(u)));
      return undefined;
    case "Phi":
      return Q.equals(c, Q.neg(k)) ? scaled(k, call("Phi", [neg(visit(u))])) : undefined;
    case "erfc":
      if (Q.equals(k, Q.mul(Q.fromInteger(-2), c))) return scaled(Q.neg(c), erfcOf(neg(visit(u))));
      if (Q.equals(c, Q.neg(k))) return scaled(k, call("erf", [visit(u)]));
      return undefined;
    default:
      return undefined;
  }
}

const SQRT2 = call("sqrt", [TWO]);

/** erfc(w), as 2Φ(−√2·w) where the √2 cancels against one in w. */
export function erfcOf(w: Expr): Expr {
  const v = mul(int(-1), SQRT2, w);
  if (!postorder(v).includes(SQRT2)) return mul(TWO, call("Phi", [v]));
  return call("erfc", [w]);
}
