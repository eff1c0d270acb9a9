import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { audit, type Region } from "../../src/audit/audit.js";
import { reportJson, reportText } from "../../src/audit/format.js";
import { findRegions, type PointStatus } from "../../src/audit/regions.js";
import { define } from "../../src/index.js";

// The formula as written (naive): the rewrite rules (src/stable) will repair the generated code of
// these, and then the stable column has no regions left; the naive column keeps them.
const naiveRegions = (source: string, dtype: "float64" | "float32" = "float64"): Region[] =>
  audit(define(source), { density: 8, orders: [0], dtypes: [dtype], variants: ["naive"] }).regions as Region[];

const containing = (regions: readonly Region[], x: number): Region | undefined => regions.find((r) => r.from <= x && x <= r.to);

describe("regions and blame: the subexpression whose rounding causes the error", () => {
  it("x − tanh(x) loses everything near 0: the subtraction is named", () => {
    const r = containing(naiveRegions("x - tanh(x)"), 1e-8);
    expect(r?.blame?.expr).toBe("x - tanh(x)");
    expect(r!.worst.ulps).toBeGreaterThan(1e10);
  });

  it("exp(x) − 1 near 0: the subtraction is named, not exp", () => {
    const regions = naiveRegions("exp(x) - 1");
    expect(containing(regions, -1e-8)?.blame?.expr).toBe("exp(x) - 1");
    expect(containing(regions, 1e-8)?.blame?.expr).toBe("exp(x) - 1");
  });

  it("log(1 + x) near 0: the rounding of 1 + x is named (log itself is accurate on its rounded argument)", () => {
    const r = containing(naiveRegions("log(1 + x)"), 1e-8);
    expect(r?.blame?.expr).toBe("1 + x");
  });

  it("gelu as erf: 1 + erf(x / sqrt(2)) below −5, where the sum cancels to 0", () => {
    const regions = naiveRegions("g(x) = x * (1 + erf(x / sqrt(2))) / 2");
    const r = containing(regions, -15);
    expect(r?.blame?.expr).toBe("1 + erf(x / sqrt(2))");
    expect(r!.to).toBeLessThan(-2);
    expect(r!.from).toBeLessThan(-30);
    // Nothing on the positive side.
    expect(regions.every((g) => g.to < 0)).toBe(true);
  });

  it("edges are bisected on the measured error, not sweep points: exp(x) − 1 meets its bound again between 1e-3 and 1", () => {
    const report = audit(define("exp(x) - 1"), { density: 8, orders: [0], dtypes: ["float64"], variants: ["naive"] });
    const r = containing(report.regions, 1e-8)!;
    // The right edge lies between 1e-3 and 1 (4 ulps are lost at |x| ≈ 2^-3 ... 2^-1 by the subtraction).
    expect(r.to).toBeGreaterThan(1e-3);
    expect(r.to).toBeLessThan(1);
    // Not a cell of the sweep: a point found by bisection between two sweep points.
    const sweep = audit(define("exp(x) - 1"), { density: 8, orders: [0], dtypes: ["float64"], variants: ["naive"], regions: false });
    expect(sweep.points.float64).toBeGreaterThan(0);
    expect(report.regions.some((g) => g.to === r.to && g.points < report.points.float64)).toBe(true);
  });

  it("code within its bound has no regions: sigmoid", () => {
    expect(audit(define("sigmoid"), { density: 8, orders: [0, 1], dtypes: ["float64"], variants: ["stable"] }).regions).toEqual([]);
  });

  it("text and JSON carry the regions: quantity, dtype, from, to, worst {x, ulps, kappa}, blame {expr, localUlps}", () => {
    const report = audit(define("log(1 + x)"), { density: 8, orders: [0], dtypes: ["float64"], variants: ["naive"] });
    const json = reportJson(report) as { regions: Record<string, unknown>[] };
    expect(json.regions.length).toBeGreaterThan(0);
    const r = json.regions[0]!;
    expect(Object.keys(r)).toEqual(expect.arrayContaining(["quantity", "dtype", "from", "to", "worst", "blame"]));
    expect(r.worst).toMatchObject({ x: expect.any(Number), ulps: expect.any(Number) });
    expect(r.blame).toMatchObject({ expr: "1 + x", localUlps: expect.any(Number) });
    expect(reportText(report)).toMatch(/regions of f over its bound[\s\S]*1 \+ x/);
  });
});

describe("findRegions", () => {
  const status = (bad: (x: number) => boolean) => (x: number): PointStatus =>
    bad(x) ? { kind: "measured", ulps: 100, bound: 4 } : { kind: "measured", ulps: 1, bound: 4 };

  it("an interval of bad inputs is found with its edges to 1e-3 of the grid spacing, whatever the grid", () => {
    fc.assert(fc.property(fc.double({ min: -50, max: 40, noNaN: true }), fc.double({ min: 1, max: 40, noNaN: true }), (a, width) => {
      const b = a + width;
      const statusAt = status((x) => x >= a && x <= b);
      const xs = Array.from({ length: 101 }, (_, i) => -100 + 2 * i);
      const found = findRegions({ dtype: "float64", xs, status: xs.map(statusAt), statusAt });
      if (!xs.some((x) => x >= a && x <= b)) return found.length === 0;
      return found.length === 1 && Math.abs(found[0]!.from - a) < 2e-3 && Math.abs(found[0]!.to - b) < 2e-3;
    }), { numRuns: 50 });
  });

  it("one good point between two bad runs does not split a region; two do", () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7];
    const bad = new Set([1, 2, 4, 7]);
    const statusAt = status((x) => bad.has(Math.round(x)) && Number.isInteger(x));
    const found = findRegions({ dtype: "float64", xs, status: xs.map(statusAt), statusAt, steps: 0 });
    expect(found.map((r) => [r.from, r.to])).toEqual([[1, 4], [7, 7]]);
  });

  it("NaN/±∞ where the truth is finite is a region of its own, worst of all", () => {
    const xs = [0, 1, 2];
    const s: PointStatus[] = [{ kind: "measured", ulps: 1, bound: 4 }, { kind: "nonFinite", got: NaN }, { kind: "unmeasured" }];
    const found = findRegions({ dtype: "float64", xs, status: s, statusAt: () => ({ kind: "unmeasured" }), steps: 0 });
    expect(found).toHaveLength(1);
    expect(found[0]!.worst.ulps).toBe(Infinity);
  });
});
