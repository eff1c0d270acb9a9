import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import * as Q from "../../src/ast/rational.js";

// A quotient u^a / v^b (a ≥ 2) is computed as (u/v)^k · u^(a−k) / v^(b−k), k = min(a, b): the
// powers alone may leave the doubles where the quotient does not. Code generation does it for
// every product, whatever the stable rules made of the formula.

/** Relative error of a double against an exact rational, in units of 2^−52. */
function epsilons(got: number, exact: Q.Rational): number {
  const truth = Q.toNumber(exact);
  return truth === 0 ? Math.abs(got) : Math.abs((got - truth) / truth) / 2 ** -52;
}

describe("quotients of powers stay finite where the quotient is", () => {
  test("(1 − cos x)/x² is 1/2 and (1 − cos x)/sin x is x/2 down to the subnormals (both squares underflow below 1e−154)", () => {
    const cos2 = define("(1 - cos(x)) / (x * x)").compile();
    const tanhf = define("(1 - cos(x)) / sin(x)").compile();
    for (const x of [1e-155, 1e-200, 1e-300, -1e-300]) {
      expect(cos2(x)).toBe(0.5);
      expect(tanhf(x)).toBe(x / 2);
    }
  });

  test("x²/y² and x³/y² at magnitudes whose powers overflow or underflow", () => {
    const square = define("f(x; y = 1) = x^2 / y^2").compile();
    const cube = define("f(x; y = 1) = x^3 / y^2").compile();
    expect(square(1e200, { y: 1e200 })).toBe(1);
    expect(square(3e-200, { y: 1e-200 })).toBeCloseTo(9, 14);
    expect(cube(1e200, { y: 1e300 })).toBeCloseTo(1e0, 14);
  });

  test("property: x^k / y^k within a few ulps of the exact quotient wherever that is a normal double (the quotient's power is the value)", () => {
    const magnitude = fc.double({ min: 1e-300, max: 1e300, noNaN: true }).chain((m) => fc.constantFrom(m, -m));
    const compiled = [2, 3, 4].map((k) => define(`f(x; y = 1) = x^${k} / y^${k}`).compile());
    fc.assert(fc.property(magnitude, magnitude, fc.nat(2), (x, y, s) => {
      const k = s + 2;
      const exact = Q.div(Q.powInteger(Q.fromNumber(x), k), Q.powInteger(Q.fromNumber(y), k));
      const truth = Math.abs(Q.toNumber(exact));
      fc.pre(truth > 2.3e-308 && truth < 1e307);
      expect(epsilons(compiled[s]!(x, { y }), exact)).toBeLessThanOrEqual(k + 1);
    }), { numRuns: 300 });
  });

  test("property: x^a / y^b (a > b) where x and y are of one scale (as two functions of one input are), across the whole range", () => {
    const shapes = [[3, 2], [2, 1], [4, 3], [4, 1]] as const;
    const compiled = shapes.map(([a, b]) => define(`f(x; y = 1) = x^${a} / y^${b}`).compile());
    const scale = fc.integer({ min: -300, max: 300 });
    fc.assert(fc.property(scale, fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), fc.nat(shapes.length - 1), (e, mx, my, s) => {
      const [a, b] = shapes[s]!;
      const [x, y] = [mx * 10 ** e, my * 10 ** e];
      const exact = Q.div(Q.powInteger(Q.fromNumber(x), a), Q.powInteger(Q.fromNumber(y), b));
      const truth = Math.abs(Q.toNumber(exact));
      fc.pre(truth > 2.3e-308 && truth < 1e307);
      expect(epsilons(compiled[s]!(x, { y }), exact)).toBeLessThanOrEqual(a + b + 1);
    }), { numRuns: 300 });
  });
});
