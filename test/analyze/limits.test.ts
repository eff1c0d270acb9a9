import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { evaluateInterval } from "../../src/analyze/interval.js";
import { interceptLimit, limitAtInfinity } from "../../src/analyze/limits.js";
import { bind } from "../../src/analyze/regions.js";
import { gridPoints, signChanges } from "../../src/analyze/scan.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { define, parse } from "../../src/index.js";
import { evaluateFloat } from "../../src/numeric/evaluate.js";
import { simplify } from "../../src/simplify/simplify.js";

const expr = (source: string) => simplify(parse(source).body);

describe("limits at ±∞", () => {
  test.each([
    // formula, side, limit, how
    ["sigmoid(x)", 1, 1, "dominant terms"],
    ["sigmoid(x)", -1, 0, "dominant terms"],
    ["x * sigmoid(x)", -1, 0, "dominant terms"], // −∞ · 0: x·e^x → 0
    ["x * sigmoid(x)", 1, Infinity, "dominant terms"],
    ["1 - tanh(x)^2", 1, 0, "dominant terms"], // 1 − 1: cancels exactly in the exp-rational form
    ["(exp(x) - exp(-x)) / (exp(x) + exp(-x))", -1, -1, "dominant terms"],
    ["x^3 * exp(-x^2)", 1, 0, "dominant terms"],
    ["x^2 - 3*x^5", -1, Infinity, "dominant terms"],
    ["x / (1 + x)", 1, 1, "dominant terms"],
    ["atan(x)", 1, Math.PI / 2, "composition"],
    ["erf(x)", -1, -1, "composition"],
    ["softplus(x)", -1, 0, "composition"],
    ["softplus(x) - x", 1, 0, "L'Hôpital"], // ∞ − ∞ as log((1 + e^x)·e^{−x}); the inner limit needs L'Hôpital-free dominant terms
    ["x * (atan(x) + pi / 2)", -1, -1, "L'Hôpital"], // −∞ · 0
    ["log(x^2 + 1) - 2 * log(x)", 1, 0, "composition"],
  ] as const)("%s as x → %i·∞ is %d (%s)", (source, side, value, how) => {
    const l = limitAtInfinity(expr(source), "x", side);
    expect(l).toBeDefined();
    expect(l!.value).toBeCloseTo(value, 12);
    if (how !== "L'Hôpital") expect(l!.how).toBe(how);
  });

  test("no limit: sin(x) oscillates", () => {
    expect(limitAtInfinity(expr("sin(x)"), "x", 1)).toBeUndefined();
  });

  test("the intercept of a linear asymptote needs no exact slope: 0.01·x has intercept 0, not ±∞", () => {
    const l = interceptLimit(expr("0.01 * x"), expr("0.01"), "x", -1);
    expect(l?.value).toBe(0);
    // xwish: x(atan x + π/2)/π − x → −1/π
    const right = bind(define("xwish")).regions[0]!;
    expect(interceptLimit(right.branch, right.derivative(1), "x", 1)?.value).toBeCloseTo(-1 / Math.PI, 14);
  });
});

describe("interval enclosures contain every value", () => {
  // Every branch of every catalog activation and its first two derivatives, on random intervals.
  const branches = oneInputActivations().flatMap((e) => bind(define(e.name)).regions.flatMap((r) => [0, 1, 2].map((k) => ({
    label: `${e.name} (${r.lo}, ${r.hi}) order ${k}`, e: r.derivative(k), lo: r.lo, hi: r.hi,
  }))));

  test("at random points of random intervals", () => {
    const clampTo = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
    fc.assert(fc.property(
      fc.constantFrom(...branches),
      fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      (b, p, q, t) => {
        const a = clampTo(Math.min(p, q), b.lo, b.hi);
        const c = clampTo(Math.max(p, q), b.lo, b.hi);
        const x = clampTo(a + (c - a) * t, a, c);
        const v = evaluateFloat(b.e, new Map([["x", x]]));
        if (!Number.isFinite(v)) return true;
        const [lo, hi] = evaluateInterval(b.e, "x", [a, c]);
        const slack = 1e-14 * Math.abs(v) + 1e-300;
        return lo - slack <= v && v <= hi + slack;
      },
    ), { numRuns: 3000 });
  });

  test("on tails out to infinity", () => {
    for (const b of branches) {
      for (const [a, c] of [[-Infinity, -50], [50, Infinity]] as const) {
        if (a < b.lo || c > b.hi) continue;
        const [lo, hi] = evaluateInterval(b.e, "x", [a, c]);
        for (const x of [a === -Infinity ? -1e3 : 60, a === -Infinity ? -60 : 1e3, a === -Infinity ? -50 : 50]) {
          const v = evaluateFloat(b.e, new Map([["x", x]]));
          if (Number.isFinite(v)) expect([b.label, lo <= v && v <= hi]).toEqual([b.label, true]);
        }
      }
    }
  });

  test("σ(x)(1 − σ(x)) is provably ≥ 0 even where σ rounds to 1", () => {
    expect(evaluateInterval(expr("sigmoid(x) * (1 - sigmoid(x))"), "x", [40, Infinity])[0]).toBeGreaterThanOrEqual(0);
  });
});

describe("the scan", () => {
  test("its grid: spacing 1/32 inside [−100, 100], geometric beyond, strictly inside the region, and next to its finite ends", () => {
    const xs = gridPoints(0, Infinity);
    expect(xs[0]).toBe(1e-9);
    expect(xs).toContain(1 / 2048);
    expect(xs).toContain(1 / 32);
    expect(xs).not.toContain(0);
    expect(xs.at(-1)).toBe(1e6);
    expect(xs.every((x, i) => i === 0 || x > xs[i - 1]!)).toBe(true);
  });

  test("float64 sign flips that 40 digits do not confirm are not sign changes", () => {
    // xwish′ far left: two terms of about 1/(π|x|) that cancel to −2/(3π x³) > 0 …
    const r = bind(define("xwish")).regions[0]!;
    const scan = signChanges(r.numeric(1), r.lo, r.hi, r.preciseSign(1));
    expect(scan.changes).toEqual([]);
    expect([...scan.signs]).toEqual([1]);
  });
});
