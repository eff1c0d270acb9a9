import { call, compare, cond, mul, neg, num, splitCoefficient, sub, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeSymbols } from "../ast/walk.js";
import { expand } from "../simplify/expand.js";
import { simplify } from "../simplify/simplify.js";

/**
 * A difference of two logistic functions whose arguments differ by less than either is:
 *   σ(a) − σ(b) = σ(a)·σ(−b)·(1 − e^(b − a))  = −σ(a)·σ(−b)·expm1(−d)   (d = a − b ≥ 0)
 *               = σ(b)·σ(−a)·(e^(a − b) − 1)  =  σ(b)·σ(−a)·expm1(d)    (d < 0)
 * from σ(a)σ(−b) − σ(b)σ(−a) = σ(a) − σ(b) and σ(b)σ(−a) = e^(b − a)·σ(a)σ(−b). softclip′ =
 * σ(px) − σ(p(x − 1)) near 0 is 0.5 − 0.27: each σ's rounding, scaled up by the cancellation,
 * gave 5 ulps; a product of three factors, none above 1 and none cancelling, is within 3. Taken
 * only where a name cancels out of d (px − p(x − 1) = p: the input), so that the branch and the
 * exponential depend on parameters alone and cost little.
 */
export function sigmoidDifference(terms: readonly Expr[], visit: (e: Expr) => Expr): { used: Expr[]; result: Expr } | undefined {
  const parts = terms.map((t) => {
    const [coefficient, rest] = splitCoefficient(t);
    return { t, coefficient, rest };
  });
  for (const p of parts) {
    if (!isSigmoid(p.rest) || Q.isNegative(p.coefficient) || Q.isZero(p.coefficient)) continue;
    for (const q of parts) {
      if (q === p || !isSigmoid(q.rest) || !Q.equals(q.coefficient, Q.neg(p.coefficient))) continue;
      const [a, b] = [p.rest.args[0]!, q.rest.args[0]!];
      const d = simplify(expand(sub(a, b)));
      const names = new Set([...freeSymbols(a), ...freeSymbols(b)]);
      if (freeSymbols(d).size >= names.size) continue;
      const sigma = (u: Expr): Expr => call("sigmoid", [u]);
      const ahead = mul(num(p.coefficient), sigma(a), sigma(neg(b)), neg(call("expm1", [neg(d)])));
      const behind = mul(num(p.coefficient), sigma(b), sigma(neg(a)), call("expm1", [d]));
      const result = d.kind === "num" ? (Q.isNegative(d.value) ? behind : ahead) : cond(compare(">=", d, ZERO), ahead, behind);
      return { used: [p.t, q.t], result: visit(result) };
    }
  }
  return undefined;
}

const isSigmoid = (e: Expr): e is Expr & { kind: "call"; args: readonly Expr[] } => e.kind === "call" && e.fn === "sigmoid";
