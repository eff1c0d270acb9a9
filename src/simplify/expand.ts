import { add, int, mul, ONE, pow } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { treeSize } from "../ast/walk.js";

/** Products of sums multiplied out; small positive integer powers of sums too. */
export function expand(e: Expr): Expr {
  if (e.kind === "add") return add(...e.terms.map(expand));
  if (e.kind === "pow" && e.base.kind === "add" && e.exponent.kind === "num" && Q.isInteger(e.exponent.value)) {
    const k = Number(e.exponent.value.n);
    if (k < 2 || k > 4) return e;
    // Multiplied out term by term: mul() of the whole sums would just collect them back into a power.
    const terms = expand(e.base).kind === "add" ? (expand(e.base) as { terms: readonly Expr[] }).terms : [e.base];
    let acc: Expr[] = [ONE];
    for (let i = 0; i < k; i++) acc = acc.flatMap((t) => terms.map((p) => mul(t, p)));
    return add(...acc);
  }
  if (e.kind !== "mul") return e;
  let terms: Expr[] = [ONE];
  for (const f of e.factors) {
    const ef = expand(f);
    const parts = ef.kind === "add" ? ef.terms : [ef];
    terms = terms.flatMap((t) => parts.map((p) => mul(t, p)));
    if (terms.length > 64) return e; // not worth it
  }
  return add(...terms);
}

/** Splits a term into (numerator factors, denominator base → exponent) for negative integer powers. */
function splitDenominator(term: Expr): { numerator: Expr[]; denominator: Map<number, { base: Expr; k: number }> } {
  const factors = term.kind === "mul" ? term.factors : [term];
  const numerator: Expr[] = [];
  const denominator = new Map<number, { base: Expr; k: number }>();
  for (const f of factors) {
    if (f.kind === "pow" && f.exponent.kind === "num" && Q.isInteger(f.exponent.value) && Q.isNegative(f.exponent.value)) {
      denominator.set(f.base.id, { base: f.base, k: -Number(f.exponent.value.n) });
    } else numerator.push(f);
  }
  return { numerator, denominator };
}

/**
 * Writes a sum over its common denominator and multiplies the numerator out, keeping the result
 * only when it is smaller: 1/(1+|x|) - |x|/(1+|x|)² becomes 1/(1+|x|)².
 */
export function togetherIfSmaller(e: Expr): Expr {
  if (e.kind !== "add") return e;
  const parts = e.terms.map(splitDenominator);
  const common = new Map<number, { base: Expr; k: number }>();
  for (const p of parts) {
    for (const [id, d] of p.denominator) {
      const seen = common.get(id);
      if (seen === undefined || seen.k < d.k) common.set(id, d);
    }
  }
  if (common.size === 0) return e;
  const numerators = parts.map((p) => {
    const extra = [...common.values()].map(({ base, k }) => pow(base, int(k - (p.denominator.get(base.id)?.k ?? 0))));
    return mul(...p.numerator, ...extra);
  });
  const numerator = expand(add(...numerators));
  const candidate = mul(numerator, ...[...common.values()].map(({ base, k }) => pow(base, int(-k))));
  return treeSize(candidate) < treeSize(e) ? candidate : e;
}
