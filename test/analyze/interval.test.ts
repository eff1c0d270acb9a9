import { describe, expect, test } from "vitest";
import { evaluateInterval } from "../../src/analyze/interval.js";
import { define } from "../../src/index.js";

describe("interval enclosures stay true where float64 underflows", () => {
  test("a product of a tiny negative and a positive number that underflows keeps its sign: the upper end is 0, not +5e-324", () => {
    const [lo, hi] = evaluateInterval(define("-exp(-x) / 64").expr, "x", [1e6, Infinity]);
    expect(hi).toBeLessThanOrEqual(0);
    expect(lo).toBeLessThan(0);
    const [lo2, hi2] = evaluateInterval(define("-exp(-x) * 0.3").expr, "x", [1e6, Infinity]);
    expect(hi2).toBeLessThanOrEqual(0);
    expect(lo2).toBeLessThan(0);
  });
});
