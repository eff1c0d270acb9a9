import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { ulpDistance } from "../../src/audit/ulps.js";
import { print } from "../../src/ast/print.js";
import { toLatex } from "../../src/codegen/latex.js";
import { fnSpec } from "../../src/functions/table.js";
import { bigContext } from "../../src/numeric/big.js";
import * as Q from "../../src/ast/rational.js";

/**
 * The standard normal builtins: Φ (Phi) and φ (phi). Φ is erfc(−x/√2)/2, accurate in the lower
 * tail where (1 + erf(x/√2))/2 is 0; both agree with 50-digit references within a few ulps,
 * and gelu = x·Φ(x) differentiates, prints and typesets as a textbook does.
 */
const D = bigContext(50);
/** The double x exactly (n/d, d a power of 2), to 50 digits: `new D(x)` would read x's shortest decimal instead. */
const exactly = (x: number) => {
  const q = Q.fromNumber(x);
  return new D(q.n.toString()).div(q.d.toString());
};
const reference = (fn: "Phi" | "phi", x: number): number => fnSpec(fn).evaluateBig(D, [exactly(x)]).toNumber();

describe("Phi and phi against 50-digit references", () => {
  test.each(["Phi", "phi"] as const)("%s within 4 ulps on [−38, 38] (more in the tail, where x² is large: the audit allows 4x²)", (fn) => {
    fc.assert(fc.property(fc.oneof(fc.double({ min: -38, max: 38, noNaN: true }), fc.double({ min: -4, max: 4, noNaN: true })), (x) => {
      const truth = reference(fn, x);
      if (Math.abs(truth) < 2 ** -1022) return;
      expect(ulpDistance(fnSpec(fn).evaluate(x), truth, "float64"), `${fn}(${x})`).toBeLessThanOrEqual(4 + Math.abs(x) / 8);
    }), { numRuns: 400 });
  });

  test("the lower tail: Φ(−10), Φ(−37) keep their digits; Φ(−40) underflows to 0, Φ(±∞) and NaN as Math would", () => {
    const Phi = fnSpec("Phi").evaluate;
    expect(ulpDistance(Phi(-10), 7.619853024160526e-24, "float64")).toBeLessThanOrEqual(2);
    expect(ulpDistance(Phi(-37), reference("Phi", -37), "float64")).toBeLessThanOrEqual(8);
    expect([Phi(-40), Phi(-Infinity), Phi(Infinity), Phi(0)]).toEqual([0, 0, 1, 0.5]);
    expect(Phi(NaN)).toBeNaN();
  });

  test("the SIMD lanes within 4 ulps of the scalar builtin, in float64", () => {
    const xs = Float64Array.from({ length: 257 }, (_, i) => -36 + (i * 72) / 256);
    for (const fn of ["Phi", "phi"] as const) {
      const out = new Float64Array(xs.length);
      define(`f(x) = ${fn}(x)`).kernel({ simd: true })(xs, out);
      xs.forEach((x, i) => {
        const want = fnSpec(fn).evaluate(x);
        if (Math.abs(want) < 2 ** -1022) return;
        expect(ulpDistance(out[i]!, want, "float64"), `${fn}(${x})`).toBeLessThanOrEqual(4 + Math.abs(x) / 4);
      });
    }
  });
});

describe("gelu in textbook form (issue 14 §3)", () => {
  test("gelu′ = Φ(x) + x·φ(x), printed and typeset so", () => {
    const gelu = define("gelu");
    expect(print(gelu.derivative().expr)).toBe("Phi(x) + x * phi(x)");
    expect(toLatex(gelu.derivative().expr)).toBe(String.raw`\Phi(x) + x \phi(x)`);
    expect(define("f(x) = Phi(x) + x * phi(x)").compile()(1.5)).toBeCloseTo(0.9331927987311419 + 1.5 * 0.12951759566589174, 15);
  });
});
