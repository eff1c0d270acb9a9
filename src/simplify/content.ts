import { add, mul, num, pow, splitCoefficient } from "../ast/build.js";
import type { Add, Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * Common factors cancel in quotients, as a person would cancel them: the content of a sum — the
 * gcd of its terms' numeric coefficients, and the powers of a factor every term has — comes out
 * of the sum into the product around it, where it meets the rest of the quotient:
 *   (2β + 2x)/(4β) = (β + x)/(2β),   (p·σ(px) − p·σ(p(x − 1)))/p = σ(px) − σ(p(x − 1)),
 *   β/(xβ + x²β) = 1/(x + x²).
 * Only inside a product that is not a lone number times a sum (which distributes again, so that
 * −(a − b) stays b − a): there the content has somewhere to go. The value is unchanged, and
 * nothing is divided by a factor that could be 0: a symbolic factor leaves the sum only to meet a
 * negative power of itself already in the product, which the function had divided by anyway.
 */
export function cancelCommonFactors(e: Expr): Expr | undefined {
  if (e.kind !== "mul") return undefined;
  const others = e.factors.filter((f) => f.kind !== "num");
  if (others.length < 2) return undefined;
  for (const f of e.factors) {
    const [sum, exponent] = f.kind === "add" ? [f, 1n] : f.kind === "pow" && f.base.kind === "add" && f.exponent.kind === "num" && Q.isInteger(f.exponent.value) ? [f.base, f.exponent.value.n] : [undefined, 0n];
    if (sum === undefined || exponent === 0n) continue;
    const rest = e.factors.filter((g) => g !== f);
    // A number taken out of a denominator would print as 1/2 * (x / (…)): only numerators give theirs.
    const numeric = exponent > 0n ? numericContent(sum) : undefined;
    if (numeric !== undefined) {
      return mul(...rest, num(Q.powInteger(numeric, Number(exponent))), pow(scaleTerms(sum, Q.div(Q.ONE, numeric)), num(Q.rational(exponent))));
    }
    const common = symbolicContent(sum, rest, exponent);
    if (common !== undefined) {
      const divided = add(...sum.terms.map((t) => mul(t, pow(common, num(Q.rational(-1n))))));
      return mul(...rest, pow(common, num(Q.rational(exponent))), pow(divided, num(Q.rational(exponent))));
    }
  }
  return undefined;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));

/**
 * The gcd of the terms' coefficients when they are all integers and it is above 1. Fractions
 * stay: (π/2 + atan u)/π is the textbook's, not (π + 2 atan u)/(2π).
 */
function numericContent(sum: Add): Q.Rational | undefined {
  let n = 0n;
  for (const t of sum.terms) {
    const [c] = splitCoefficient(t);
    if (!Q.isInteger(c)) return undefined;
    n = gcd(n, c.n);
  }
  return n > 1n ? Q.rational(n) : undefined;
}

const scaleTerms = (sum: Add, by: Q.Rational): Expr => add(...sum.terms.map((t) => mul(num(by), t)));

/** The factors of a term with their integer exponents (x³ → x: 3); a number contributes none. */
function factorsOf(t: Expr): Map<number, { base: Expr; k: bigint }> {
  const out = new Map<number, { base: Expr; k: bigint }>();
  const [, rest] = splitCoefficient(t);
  for (const f of rest.kind === "mul" ? rest.factors : [rest]) {
    if (f.kind === "num") continue;
    const [base, k] = f.kind === "pow" && f.exponent.kind === "num" && Q.isInteger(f.exponent.value) ? [f.base, f.exponent.value.n] : [f, 1n];
    out.set(base.id, { base, k });
  }
  return out;
}

/**
 * A factor s that every term of the sum has to a positive power and that the product divides
 * by (s^−k among `rest`, or the sum is itself a denominator, exponent < 0, and s is a factor of
 * the numerator): s to the least power in the sum, at most what it can cancel.
 */
function symbolicContent(sum: Add, rest: readonly Expr[], exponent: bigint): Expr | undefined {
  const termFactors = sum.terms.map(factorsOf);
  const outside = new Map<number, bigint>();
  for (const g of rest) {
    const [base, k] = g.kind === "pow" && g.exponent.kind === "num" && Q.isInteger(g.exponent.value) ? [g.base, g.exponent.value.n] : [g, 1n];
    outside.set(base.id, k);
  }
  for (const { base, k } of termFactors[0]!.values()) {
    if (k <= 0n) continue;
    let least = k;
    for (const other of termFactors.slice(1)) {
      const there = other.get(base.id);
      if (there === undefined || there.k <= 0n) {
        least = 0n;
        break;
      }
      if (there.k < least) least = there.k;
    }
    const k0 = outside.get(base.id);
    // It cancels when the sum and the factor outside carry opposite signs of exponent.
    if (least > 0n && k0 !== undefined && (k0 < 0n) !== (exponent < 0n)) return least === 1n ? base : pow(base, num(Q.rational(least)));
  }
  return undefined;
}
