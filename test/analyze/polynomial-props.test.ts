import { beforeAll, describe, expect, it } from "vitest";
import { ActdiffError, analyze, define, type PropertySheet } from "../../src/index.js";
import { cost, SLACK_MS } from "../support/budget.js";
import { actdiff } from "../support/cli.js";

// props on polynomials (and quotients of polynomials) decides the sign of f′ and f″ exactly, by
// Sturm sequences on their coefficients: a product with clustered roots, whose interval
// enclosures are too wide to settle (n = 14 took 12 s and then ran out of budget), is decided in
// a fraction of a second, and every fact comes with an exact method.

beforeAll(() => {
  // The high-precision arithmetic loads on first use (seconds on a busy machine): not a sheet's cost.
  analyze(define("tanh(x)"));
}, 120_000);

/** (x+1)*(x+2)*…*(x+n) */
const product = (n: number): string => Array.from({ length: n }, (_, i) => `(x+${i + 1})`).join("*");

/** The same product in float64: a handful of roundings, relative error about n ulps. */
const productValue = (n: number, x: number): number => {
  let v = 1;
  for (let k = 1; k <= n; k++) v *= x + k;
  return v;
};

function expectNothingLeftOpen(s: PropertySheet): void {
  expect(s.notes.join("\n")).not.toMatch(/not established|not finished|budget/);
  expect(Object.values(s.method).filter((m) => m?.undecided !== undefined)).toEqual([]);
}

describe("(x+1)(x+2)…(x+n): a product with clustered roots", () => {
  it("n = 22: 21 extrema found exactly are counted, not taken for an oscillation", () => {
    const s = analyze(define(product(22)));
    expect(s.notes).toContain("f has 21 local extrema in the scanned range; the 20 nearest to 0 are listed");
    expect(s.notes.join("\n")).not.toMatch(/oscillating/);
  });

  for (const n of [6, 10, 14, 20]) {
    it(`n = ${n}: decided within a few seconds, the signs of f′ and f″ exactly, the minimum the true one`, () => {
      const { value: s, cpu } = cost(() => analyze(define(product(n))));
      expect(cpu).toBeLessThan(4_000);
      expectNothingLeftOpen(s);
      for (const key of ["monotonic", "extrema", "range", "maxAbsGrad"] as const) {
        expect(s.method[key].kind).toBe("symbolic");
        expect(s.method[key].detail).toContain("exact: Sturm sequence on the polynomial");
      }
      // An even number of linear factors: f → +∞ at both ends, so bounded below and not above,
      // with n − 1 extrema alternating min, max, …, min, one between each two adjacent roots.
      expect(s.monotonic).toBe(false);
      expect(s.extrema.map((e) => e.kind)).toEqual(Array.from({ length: n - 1 }, (_, i) => (i % 2 === 0 ? "min" : "max")));
      s.extrema.forEach((e, i) => {
        expect(e.x).toBeGreaterThan(-n + i);
        expect(e.x).toBeLessThan(-n + i + 1);
      });
      expect(s.range).toMatchObject({ boundedBelow: true, boundedAbove: false, infAttained: true, sup: Infinity });
      expect(s.range.inf).toBe(Math.min(...s.extrema.map((e) => e.value)));
      expect(s.maxAbsGrad.value).toBe(Infinity);
      // Against a dense sampling (step 1/4096 over every root and extremum): nothing below the
      // stated minimum, and the smallest sample within the sampling's resolution of it.
      let sampled = Infinity;
      for (let k = -(n + 1) * 4096; k <= 0; k++) sampled = Math.min(sampled, productValue(n, k / 4096));
      const scale = Math.abs(s.range.inf);
      expect(sampled).toBeGreaterThanOrEqual(s.range.inf - 1e-12 * scale);
      expect(sampled).toBeLessThanOrEqual(s.range.inf + 1e-6 * scale);
    }, 60_000);
  }

  it("an odd number of factors: unbounded both ways, the extrema start with a max", () => {
    const s = analyze(define(product(7)));
    expectNothingLeftOpen(s);
    expect(s.range).toMatchObject({ inf: -Infinity, sup: Infinity, boundedBelow: false, boundedAbove: false });
    expect(s.extrema.map((e) => e.kind)).toEqual(["max", "min", "max", "min", "max", "min"]);
    expect(s.method.monotonic.detail).toContain("exact: Sturm sequence on the polynomial");
  });
});

describe("small polynomials whose facts are known in closed form", () => {
  it("x³ − x: max 2/(3√3) at −1/√3 and min at 1/√3, odd, the inflection at 0", () => {
    const s = analyze(define("x^3 - x"));
    expectNothingLeftOpen(s);
    const [max, min] = s.extrema;
    expect(max).toMatchObject({ kind: "max" });
    expect(min).toMatchObject({ kind: "min" });
    expect(max!.x).toBeCloseTo(-1 / Math.sqrt(3), 15);
    expect(min!.x).toBeCloseTo(1 / Math.sqrt(3), 15);
    expect(max!.value).toBeCloseTo(2 / (3 * Math.sqrt(3)), 15);
    expect(s.symmetry).toBe("odd");
    expect(s.method.extrema.kind).toBe("symbolic");
    expect(s.maxAbsGrad).toMatchObject({ value: Infinity, attained: false });
  });

  it("(x − 1)²(x + 1), a double root: max 32/27 at −1/3, min exactly 0 at the double root 1", () => {
    const s = analyze(define("(x-1)^2*(x+1)"));
    expectNothingLeftOpen(s);
    expect(s.extrema).toEqual([
      { x: -1 / 3, value: 32 / 27, kind: "max" },
      { x: 1, value: 0, kind: "min" },
    ]);
    expect(s.method.extrema.kind).toBe("symbolic");
  });

  it("roots 10⁻⁶ apart: the shallow minimum between them is found, and its value is negative", () => {
    // (x − 1)(x − 1.000001)(x + 2): a max left of 1 and a min of about −7.5e-13 inside (1, 1.000001)
    const s = analyze(define("(x - 1)*(x - 1.000001)*(x + 2)"));
    expectNothingLeftOpen(s);
    const [max, min] = s.extrema;
    expect(max!.kind).toBe("max");
    expect(max!.x).toBeLessThan(1);
    expect(min!.kind).toBe("min");
    expect(min!.x).toBeGreaterThan(1);
    expect(min!.x).toBeLessThan(1.000001);
    expect(min!.value).toBeLessThan(0);
    expect(min!.value).toBeGreaterThan(-1e-12);
    expect(s.method.extrema.kind).toBe("symbolic");
  });

  it("a quotient of polynomials without a real pole: x/(1 + x²) from −1/2 to 1/2, exactly", () => {
    const s = analyze(define("x / (1 + x^2)"));
    expectNothingLeftOpen(s);
    expect(s.extrema).toEqual([{ x: -1, value: -0.5, kind: "min" }, { x: 1, value: 0.5, kind: "max" }]);
    expect(s.range).toMatchObject({ inf: -0.5, sup: 0.5, infAttained: true, supAttained: true });
    expect(s.method.monotonic.kind).toBe("symbolic");
  });

  it("a piecewise function mixes the methods: exact on its polynomial branch, intervals on the other", () => {
    const s = analyze(define("x > 0 ? x^2 - x : exp(x) - 1"));
    expect(s.method.monotonic.kind).toBe("interval");
    expect(s.method.monotonic.detail).toMatch(/exact: Sturm sequence .*, on the 1 region where g is a polynomial or a quotient of polynomials; elsewhere interval arithmetic/);
    // f′ jumps from 1 to −1 at the kink 0: a max there, then the parabola's min at 1/2.
    expect(s.extrema).toEqual([{ x: 0, value: 0, kind: "max" }, { x: 0.5, value: -0.25, kind: "min" }]);
  });
});

describe("large degrees", () => {
  // ((x² − 2)/10)¹⁰⁰·(x − 1/3)³ − x: degree 203, coefficients of hundreds of digits.
  const high = "((x^2 - 2)/10)^100 * (x - 1/3)^3 - x";

  it("degree 203 is decided exactly within seconds, and each extremum is one", () => {
    const { value: s, cpu } = cost(() => analyze(define(high)));
    expect(cpu).toBeLessThan(10_000);
    expectNothingLeftOpen(s);
    expect(s.method.extrema.kind).toBe("symbolic");
    expect(s.extrema.length).toBeGreaterThan(0);
    const f = define(high).compile();
    for (const e of s.extrema) {
      const h = 1e-6 * Math.max(1, Math.abs(e.x));
      const sides = [f(e.x - h), f(e.x + h)];
      for (const v of sides) expect(e.kind === "min" ? v >= e.value : v <= e.value).toBe(true);
    }
  }, 60_000);

  it("on a budget too short for it, what is not finished says so (or the sheet is refused with E_BUDGET): no hang", () => {
    const { value: outcome, cpu } = cost(() => {
      try {
        return analyze(define(high), { budgetMs: 200 });
      } catch (err) {
        return err;
      }
    });
    expect(cpu).toBeLessThan(200 + SLACK_MS);
    if (outcome instanceof ActdiffError) expect(outcome.code).toBe("E_BUDGET");
    else expect((outcome as PropertySheet).notes.join("\n")).toMatch(/budget of 200 ms of CPU time exceeded/);
  }, 60_000);
});

describe("the CLI", () => {
  it("props of (x+1)…(x+14) states how its facts were decided", () => {
    const r = actdiff("props", product(14));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}monotonic: +symbolic: sign of f′ on every region by exact: Sturm sequence on the polynomial/m);
    expect(r.stdout).toMatch(/^range: +\[-666302600, \+∞\), bounded below$/m);
    expect(r.stdout).not.toMatch(/not established|not finished/);
  }, 120_000);
});
