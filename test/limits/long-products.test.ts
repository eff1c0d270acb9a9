import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mul, num, pow, sym } from "../../src/ast/build.js";
import type { Expr } from "../../src/ast/nodes.js";
import * as Q from "../../src/ast/rational.js";
import { compileExpr } from "../../src/codegen/compile.js";
import { define } from "../../src/index.js";

// Issue 17 §1: the derivative of tanh nested 520 deep compiled to ∞ (600 deep: NaN) where the truth
// is 0.0012. Its stable form is one product 4^520·e₁·…·e₅₂₀/((1 + e₁)²·…): the coefficient and the
// denominator each overflow although every factor 4e/(1 + e)² is at most 1. The class: a product
// whose numerator or denominator alone leaves the doubles while the product does not. Such a
// product is computed as a running product with its coefficient spread over the steps
// (src/codegen/long-product.ts).

const FNS = {
  tanh: { value: Math.tanh, slope: (u: number) => 1 - Math.tanh(u) ** 2 },
  sigmoid: { value: (u: number) => 1 / (1 + Math.exp(-u)), slope: (u: number) => Math.exp(-u) / (1 + Math.exp(-u)) ** 2 },
  softsign: { value: (u: number) => u / (1 + Math.abs(u)), slope: (u: number) => 1 / (1 + Math.abs(u)) ** 2 },
  "2*tanh": { value: (u: number) => 2 * Math.tanh(u), slope: (u: number) => 2 * (1 - Math.tanh(u) ** 2) },
  sin: { value: Math.sin, slope: Math.cos },
} as const;
type Fn = keyof typeof FNS;

/** fₙ(…f₁(x)…) written out, f₁ innermost. */
const nesting = (fns: readonly Fn[]): string => fns.reduce<string>((inner, fn) => `${fn}(${inner})`, "x");

/** The chain rule one step at a time in float64: every factor is computed on its own, so nothing overflows that the truth does not. */
function chainRule(fns: readonly Fn[], x: number): number {
  let u = x;
  let slope = 1;
  for (const fn of fns) {
    slope *= FNS[fn].slope(u);
    u = FNS[fn].value(u);
  }
  return slope;
}

/** The compiled f′ is finite and within `tolerance` (relative) of the chain rule; below the normal doubles, it is tiny too. */
function expectDerivative(fns: readonly Fn[], points: readonly number[], tolerance = 1e-10): void {
  const d = define(nesting(fns)).derivative().compile();
  for (const x of points) {
    const want = chainRule(fns, x);
    const got = d(x);
    expect(Number.isFinite(got), `${fns.length} deep at ${x}: ${got}`).toBe(true);
    if (Math.abs(want) < 1e-290) expect(Math.abs(got)).toBeLessThan(1e-280);
    else expect(Math.abs(got - want) / Math.abs(want), `${fns.length} deep at ${x}: ${got}, want ${want}`).toBeLessThan(tolerance);
  }
}

const POINTS = [-3, -0.5, 0, 0.5, 2];

describe("derivatives of deep compositions are finite where the truth is", () => {
  it("tanh nested 450, 520, 600 and 1,000 deep (520 was ∞, 600 NaN)", () => {
    for (const n of [450, 520, 600, 1000]) expectDerivative(Array(n).fill("tanh"), POINTS);
  }, 120_000);

  it("2·tanh nested 400 deep (800 levels): a coefficient of 8^400 = 2^1200 spread over the product", () => {
    expectDerivative(Array(400).fill("2*tanh"), POINTS);
  }, 60_000);

  it("sigmoid nested 600 deep underflows with the truth, never NaN", () => {
    expectDerivative(Array(600).fill("sigmoid"), [-2, 0.5]);
  }, 60_000);

  it("softsign nested (its written-out form doubles with each level, so only a few)", () => {
    for (const n of [2, 5, 9]) expectDerivative(Array(n).fill("softsign"), POINTS);
  }, 60_000);

  it("mixed compositions of tanh, 2·tanh, sigmoid and sin, hundreds deep (2·tanh is two levels of the 1,000)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Fn>("tanh", "tanh", "2*tanh", "sigmoid", "sin"), { minLength: 300, maxLength: 480 }), fc.double({ min: -3, max: 3, noNaN: true }), (fns, x) => {
        expectDerivative(fns, [x]);
      }),
      { seed: 17, numRuns: 4 },
    );
  }, 240_000);
});

describe("a product whose value is a double is computed, whatever its numerator and denominator alone", () => {
  // c·a₁·…·aₚ/(b₁·…·b_q) over inputs, c = 3·2^E with E up to ±1,200 (beyond the doubles), compared
  // with the sum of the logarithms. The running product's steps stay within the doubles when its
  // factors are bounded: here each within 2^±4 and at most 80, so a step is at most 2^320 away
  // from the straight line from 1 to the value, and the value is kept within 2^±690.
  it("within an ulp or so per factor, wherever the product is a normal double", () => {
    const factor = fc.double({ min: 1 / 16, max: 16, noNaN: true });
    fc.assert(
      fc.property(fc.integer({ min: -1200, max: 1200 }), fc.array(factor, { minLength: 1, maxLength: 40 }), fc.array(factor, { maxLength: 40 }), (e2, tops, bottoms) => {
        const log2 = Math.log2(3) + e2 + tops.reduce((s, t) => s + Math.log2(t), 0) - bottoms.reduce((s, b) => s + Math.log2(b), 0);
        fc.pre(Math.abs(log2) < 690);
        const c = e2 >= 0 ? Q.rational(3n * 2n ** BigInt(e2)) : Q.rational(3n, 2n ** BigInt(-e2));
        const inputs = [...tops.map((_, i) => `a${i}`), ...bottoms.map((_, i) => `b${i}`)];
        const expr: Expr = mul(num(c), ...tops.map((_, i) => sym(`a${i}`)), ...bottoms.map((_, i) => pow(sym(`b${i}`), num(Q.fromInteger(-1)))));
        const got = compileExpr(expr, { inputs, params: [] })(...tops, ...bottoms);
        expect(got).toBeGreaterThan(0);
        expect(Number.isFinite(got)).toBe(true);
        expect(Math.abs(Math.log2(got) - log2)).toBeLessThan(1e-11 * Math.max(1, Math.abs(log2)) + 1e-13 * (tops.length + bottoms.length));
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it("a short product with a coefficient beyond the doubles: 10^400·e^(−x) at x = 500 is 7.1e182, not ∞", () => {
    const f = define("1e400 * exp(-x)").compile();
    expect(f(500) / 7.124576406741285e182).toBeCloseTo(1, 12);
    expect(f(0)).toBe(Infinity);
    expect(f(2000)).toBe(0);
  });
});
