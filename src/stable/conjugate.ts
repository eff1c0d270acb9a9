import { add, call, compare, cond, div, mul, neg, num, pow, ZERO } from "../ast/build.js";
import type { Call, Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { dagSize, freeSymbols } from "../ast/walk.js";
import { expand } from "../simplify/expand.js";
import { splitCoefficient } from "../ast/build.js";

/**
 * Square-root cancellation: A + √B cancels where A < 0 and A² ≈ B (squareplus
 * (x + √(x² + b))/2 at x = −1000 keeps 5 digits), and the conjugate has none there:
 *   A + √B = (B − A²)/(√B − A)          (A < 0; as written for A ≥ 0, where nothing cancels)
 * taken where B − A² multiplied out is smaller than B (x² + b − x² = b): the cancellation is
 * then exact, symbolically. In a sum the A may be all the other terms or one of them (scaled
 * like the root: m·A + m·√B), or the derivative's form k + m·A/√B = (k/√B)·(√B + (m/k)·A).
 */
export interface ConjugateHit {
  readonly used: readonly Expr[];
  readonly result: Expr;
}

type Visit = (e: Expr) => Expr;

const isSqrt = (e: Expr): e is Call => e.kind === "call" && e.fn === "sqrt";

/** A + √B without cancellation for A < 0, where B − A² is simpler than B; undefined elsewhere. */
function conjugate(A: Expr, B: Expr, visit: Visit): Expr | undefined {
  if (freeSymbols(A).size === 0) return undefined;
  const b = expand(B);
  const D = add(b, neg(expand(pow(A, num(Q.fromInteger(2))))));
  if (D === ZERO || dagSize(D) >= dagSize(b)) return undefined;
  const a = visit(A);
  const root = call("sqrt", [visit(B)]);
  // A < 0, written −A > 0 where A has a negative coefficient (sqrt(1 + x²) − x: x > 0).
  const [ca] = splitCoefficient(a);
  const test = Q.isNegative(ca) ? compare(">", neg(a), ZERO) : compare("<", a, ZERO);
  return cond(test, div(visit(D), add(root, neg(a))), add(a, root));
}

export function sqrtConjugate(terms: readonly Expr[], visit: Visit): ConjugateHit | undefined {
  for (const t of terms) {
    const [m, rest] = splitCoefficient(t);
    // m·√B with the other terms (all, or one) as m·A.
    if (isSqrt(rest)) {
      const others = terms.filter((o) => o !== t);
      for (const group of [others, ...(others.length > 1 ? others.map((o) => [o]) : [])]) {
        if (group.length === 0) continue;
        const A = mul(num(Q.div(Q.ONE, m)), add(...group));
        const c = conjugate(A, rest.args[0]!, visit);
        if (c !== undefined) return { used: [t, ...group], result: mul(num(m), c) };
      }
    }
    // k + m·A/√B
    const constant = terms.find((o) => o.kind === "num");
    if (constant?.kind !== "num" || rest.kind !== "mul") continue;
    const inverseRoot = rest.factors.find((f) => f.kind === "pow" && isSqrt(f.base) && f.exponent.kind === "num" && Q.equals(f.exponent.value, Q.fromInteger(-1)));
    if (inverseRoot === undefined || inverseRoot.kind !== "pow") continue;
    const k = constant.value;
    const A = mul(num(Q.div(m, k)), div(rest, inverseRoot));
    const c = conjugate(A, (inverseRoot.base as Call).args[0]!, visit);
    if (c !== undefined) return { used: [constant, t], result: mul(num(k), c, pow(visit(inverseRoot.base), num(Q.fromInteger(-1)))) };
  }
  return undefined;
}
