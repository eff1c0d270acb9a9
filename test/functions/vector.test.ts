import { describe, expect, test } from "vitest";
import { FLOAT32_LANES, FLOAT64_LANES, type LaneFormat } from "../../src/functions/vector.js";
import { bigContext } from "../../src/numeric/big.js";

/**
 * The vector builtins' polynomials, measured exactly: evaluated in 50-digit arithmetic, so that
 * what is measured is the approximation and not its rounding (the kernels' rounding is measured
 * end to end in test/codegen/simd.test.ts).
 */
describe("exp's series", () => {
  const D = bigContext(50);
  // |r| ≤ ln 2/2, and a little more: k is rounded from x·log₂e in the lanes' format.
  const h = 0.3467;

  /** max over |r| ≤ h of |r²(P(r) − Σ(r))| / eʳ: the approximation's relative error in eʳ. */
  function worstRelativeError(format: LaneFormat): number {
    let worst = 0;
    for (let i = 0; i <= 2000; i++) {
      const r = new D(-h + (2 * h * i) / 2000);
      if (r.isZero()) continue;
      const exact = r.exp().minus(1).minus(r).div(r.pow(2));
      const fitted = format.expSeries.reduceRight((acc: InstanceType<typeof D>, c) => acc.times(r).plus(c), new D(0));
      worst = Math.max(worst, fitted.minus(exact).times(r.pow(2)).div(r.exp()).abs().toNumber());
    }
    return worst;
  }

  // ulp(y)/y is at least 2⁻²⁴ for a float32 y and 2⁻⁵³ for a float64.
  test.each([
    ["float32", FLOAT32_LANES, 2 ** -24],
    ["float64", FLOAT64_LANES, 2 ** -53],
  ] as const)("%s: the polynomial is within a tenth of an ulp of eʳ", (_, format, smallestUlp) => {
    expect(worstRelativeError(format)).toBeLessThan(0.1 * smallestUlp);
  });

  test("float32's is the fit a term shorter than the series: the series cut there is 20 times worse", () => {
    const cut: LaneFormat = { ...FLOAT32_LANES, expSeries: [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720] };
    expect(FLOAT32_LANES.expSeries).toHaveLength(5);
    expect(worstRelativeError(cut)).toBeGreaterThan(20 * worstRelativeError(FLOAT32_LANES));
  });
});
