import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gcd } from "../../src/ast/rational.js";

/** Euclid's algorithm as written in every textbook: the reference. */
function euclid(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

// Numbers of up to a few thousand bits, often with a large common factor (as the contents of
// polynomials and the terms of rationals have), and signs either way.
const big = fc.bigInt({ min: -(2n ** 3000n), max: 2n ** 3000n });
const factor = fc.oneof(fc.constant(1n), fc.bigInt({ min: 1n, max: 2n ** 64n }), fc.bigInt({ min: 1n, max: 2n ** 2000n }));

describe("gcd (Lehmer's algorithm)", () => {
  it("agrees with Euclid's on large numbers with and without common factors", () => {
    fc.assert(fc.property(big, big, factor, (a, b, c) => {
      expect(gcd(a * c, b * c)).toBe(euclid(a * c, b * c));
      expect(gcd(a, b)).toBe(euclid(a, b));
    }), { numRuns: 500 });
  });

  it("Fibonacci neighbours (the longest chain of quotients 1), zeros, equal and unbalanced arguments", () => {
    let [f, g] = [1n, 1n];
    for (let i = 0; i < 3000; i++) [f, g] = [g, f + g];
    expect(gcd(f, g)).toBe(1n);
    expect(gcd(f * 12n, g * 18n)).toBe(6n);
    expect(gcd(0n, 0n)).toBe(0n);
    expect(gcd(0n, -f)).toBe(f);
    expect(gcd(f, f)).toBe(f);
    expect(gcd(2n ** 5000n, 2n ** 70n * 3n)).toBe(2n ** 70n);
  });
});
