import * as Q from "../ast/rational.js";

/**
 * How a product c·a₁·…·aₚ/(b₁·…·b_q) is computed when its numerator or its denominator alone may
 * leave the doubles although the product does not.
 *
 * Written as one quotient, c·a₁·…·aₚ and b₁·…·b_q are each a product of many factors: the
 * derivative of tanh nested 520 deep, in stable form, is 4^520·e₁·…·e₅₂₀/((1 + e₁)²·…·(1 + e₅₂₀)²),
 * every factor 4e/(1 + e)² at most 1, yet 4^520 is no double (∞) and the denominator overflows too:
 * ∞/∞ = NaN where the truth is 0.0012. The same happens to a short product whose coefficient is
 * out of range (10^400·e^(−x) is ∞ at x = 500, where the truth is 7·10^182).
 *
 * Such a product is computed as a running product instead, numerator and denominator factors in
 * turn (a₁, b₁, a₂, b₂, …), each step bounded when the factors are, and the coefficient spread
 * over the steps as powers of two (exact multiplications): c = m·2^E with 1 ≤ |m| < 2 is m, then
 * 2^(E/n) or so at each of the n steps, and a few more steps of at most 2^1000 at the end when E is
 * larger than the factors can carry. Short products with a coefficient in range keep one quotient,
 * which rounds once fewer per factor (no product of the catalog has more than 7 factors).
 */
export const LONG_PRODUCT = 16;

/** The largest power of two one step multiplies by: 2^1000 times a factor in [1/2, 2) is a double. */
const MAX_STEP = 1000;

export interface ScaledProduct {
  /** The signed mantissa of the coefficient times the first step's scale: an exact double. */
  readonly lead: number;
  /** The power of two to multiply by before each factor after the first (1 where there is none). */
  readonly before: readonly number[];
  /** Powers of two to multiply by after the last factor. */
  readonly after: readonly number[];
}

/**
 * The running product for a coefficient and `factors` factors, or undefined where one quotient
 * is computed: a short product with a coefficient that is a normal double, or a coefficient so far
 * out of range that no factors could bring the product back (its double is then ±∞ or 0).
 */
export function scaledProduct(c: Q.Rational, factors: number): ScaledProduct | undefined {
  if (factors === 0 || Q.isZero(c)) return undefined;
  const exponent = binaryExponent(c);
  if (factors <= LONG_PRODUCT && Math.abs(exponent) <= 1021) return undefined;
  const mantissa = Q.toNumber(Q.mul(c, powerOfTwo(-exponent)));
  const pieces = Math.max(factors, Math.ceil(Math.abs(exponent) / MAX_STEP));
  // A factor is at most 2^1024 and at least 2^−1074: beyond that, no product is a finite nonzero double.
  if (pieces > 2 * factors + 2) return undefined;
  const scales = Array.from({ length: pieces }, (_, i) => 2 ** (Math.floor((exponent * (i + 1)) / pieces) - Math.floor((exponent * i) / pieces)));
  return { lead: mantissa * scales[0]!, before: scales.slice(1, factors), after: scales.slice(factors) };
}

/** E with 2^E ≤ |c| < 2^(E+1). */
function binaryExponent(c: Q.Rational): number {
  const n = c.n < 0n ? -c.n : c.n;
  let e = n.toString(2).length - c.d.toString(2).length;
  // 2^(bits(n) − 1) ≤ n and d < 2^bits(d): the estimate is E or E + 1.
  if (Q.compare(Q.rational(n, c.d), powerOfTwo(e)) < 0) e -= 1;
  return e;
}

const powerOfTwo = (e: number): Q.Rational => (e >= 0 ? Q.rational(2n ** BigInt(e)) : Q.rational(1n, 2n ** BigInt(-e)));
