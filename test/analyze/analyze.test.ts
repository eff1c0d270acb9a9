import { describe, expect, test } from "vitest";
import { analyze, sheetToJson, sweep, sweepValues } from "../../src/analyze/index.js";
import { describeChecklist, describeSheet } from "../../src/analyze/describe.js";
import type { PropertyKey, PropertySheet } from "../../src/analyze/types.js";
import { define } from "../../src/index.js";
import { errorOf } from "../support/errors.js";

/** W(1/e) by Newton's method on w·e^w = 1/e: an oracle independent of actdiff. */
function lambertWOfInverseE(): number {
  let w = 0.3;
  for (let i = 0; i < 50; i++) w -= (w * Math.exp(w) - Math.exp(-1)) / (Math.exp(w) * (w + 1));
  return w;
}

const sheets = new Map<string, PropertySheet>();
/** Analyses are shared between tests: each takes some tens of milliseconds. */
function sheet(source: string, params?: Record<string, number>): PropertySheet {
  const key = `${source} ${JSON.stringify(params ?? {})}`;
  let s = sheets.get(key);
  if (s === undefined) sheets.set(key, (s = analyze(define(source), params ? { params } : {})));
  return s;
}

const ALL_KEYS: PropertyKey[] = [
  "f0", "df0", "range", "monotonic", "extrema", "symmetry", "zeroCentred", "saturation", "maxAbsGrad",
  "deadZone", "smoothness", "lipschitz", "asymptotes", "opCount", "universalApproximation", "meanUnderNormal",
];

describe("swish: the seed's claim that its derivative is always positive is false", () => {
  // Seed 001 lists for Swish "导数恒 > 0" (the derivative is always > 0). The sheet says otherwise.
  const w = lambertWOfInverseE();

  test("one local minimum at x* = −1 − W(1/e), value −W(1/e), to full double precision", () => {
    const s = sheet("swish");
    expect(s.monotonic).toBe(false);
    expect(s.extrema).toHaveLength(1);
    const [m] = s.extrema;
    expect(m!.kind).toBe("min");
    expect(Math.abs(m!.x - (-1 - w))).toBeLessThan(4e-16 * 1.28);
    expect(Math.abs(m!.value - -w)).toBeLessThan(1e-15);
    expect(s.range).toMatchObject({ inf: m!.value, infAttained: true, sup: Infinity, supAttained: false });
  });

  test("the derivative is negative left of the minimum", () => {
    const f = define("swish").derivative().compile();
    expect(f(-2)).toBeLessThan(0);
    expect(f(-1.3)).toBeLessThan(0);
    expect(f(-1.25)).toBeGreaterThan(0);
  });

  test("the minimum scales as 1/β", () => {
    for (const beta of [0.1, 0.5, 3]) {
      const [m] = sheet("swish", { beta }).extrema;
      expect(m!.x * beta).toBeCloseTo(-1 - w, 12);
      expect(m!.value * beta).toBeCloseTo(-w, 12);
    }
  });
});

describe("facts the issue names", () => {
  test("sigmoid: max |f′| = 1/4 at 0, range (0, 1) not attained, point-symmetric about (0, ½), soft saturation", () => {
    const s = sheet("sigmoid");
    expect(s.maxAbsGrad).toEqual({ value: 0.25, at: 0, attained: true });
    expect(s.range).toMatchObject({ inf: 0, sup: 1, infAttained: false, supAttained: false });
    expect(s.symmetry).toEqual({ point: [0, 0.5] });
    expect(s.method.symmetry.kind).toBe("symbolic"); // proved by the exp-rational procedure
    expect(s.saturation).toEqual({ left: { kind: "soft" }, right: { kind: "soft" } });
    expect(s.universalApproximation).toMatchObject({ cybenko: true, leshno: true });
  });

  test("tanh: max |f′| = 1, odd, zero-centred", () => {
    const s = sheet("tanh");
    expect(s.maxAbsGrad.value).toBe(1);
    expect(s.symmetry).toBe("odd");
    expect(s.zeroCentred).toBe(true);
  });

  test("relu: dead zone (−∞, 0], hard left saturation at c = 0, C⁰, unbounded above; Leshno but not Cybenko", () => {
    const s = sheet("relu");
    expect(s.deadZone).toEqual([-Infinity, 0]);
    expect(s.saturation.left).toEqual({ kind: "hard", c: 0 });
    expect(s.smoothness.class).toBe("C0");
    expect(s.range.boundedAbove).toBe(false);
    expect(s.universalApproximation).toMatchObject({ cybenko: false, leshno: true });
    expect(s.universalApproximation.conditions.bounded).toBe(false);
    expect(s.checklist.sparse.value).toBe(true);
    expect(s.checklist.avoidsDeadNeurons.value).toBe(false);
  });

  test("relu6: hard saturation at 0 and 6, range [0, 6] attained", () => {
    const s = sheet("relu6");
    expect(s.saturation).toEqual({ left: { kind: "hard", c: 0 }, right: { kind: "hard", c: 6 } });
    expect(s.range).toMatchObject({ inf: 0, sup: 6, infAttained: true, supAttained: true });
    expect(s.deadZones).toEqual([[-Infinity, 0], [6, Infinity]]);
  });

  test("softplus ~ x on the right, soft saturation on the left", () => {
    const s = sheet("softplus");
    expect(s.asymptotes.right).toMatchObject({ kind: "linear", slope: 1, intercept: 0 });
    expect(s.asymptotes.left).toMatchObject({ kind: "horizontal", value: 0 });
    expect(s.saturation.left).toEqual({ kind: "soft" });
  });

  test("smoothness at the breakpoint: relu_softplus C⁰ with f′ 1/2 → 1, relu_softsign C¹, elu C¹ at α = 1 and C⁰ at α = 2", () => {
    expect(sheet("relu_softplus").smoothness.breakpoints).toEqual([
      { x: 0, value: 0, leftValue: 0, rightValue: 0, continuous: true, leftDerivative: 0.5, rightDerivative: 1, class: "C0" },
    ]);
    expect(sheet("relu_softsign").smoothness.class).toBe("C1");
    expect(sheet("elu").smoothness.class).toBe("C1");
    expect(sheet("elu", { alpha: 2 }).smoothness).toMatchObject({ class: "C0", breakpoints: [{ leftDerivative: 2, rightDerivative: 1 }] });
  });

  test("softsign: range (−1, 1), odd; leaky_relu: no dead zone", () => {
    expect(sheet("softsign").range).toMatchObject({ inf: -1, sup: 1, infAttained: false, supAttained: false });
    expect(sheet("softsign").symmetry).toBe("odd");
    expect(sheet("leaky_relu").deadZone).toBeNull();
    expect(sheet("leaky_relu").checklist.avoidsDeadNeurons.value).toBe(true);
  });
});

describe("definitions outside the catalog", () => {
  test("mish: one minimum, near −0.30884 at −1.19243", () => {
    const s = sheet("x * tanh(softplus(x))");
    expect(s.extrema).toHaveLength(1);
    expect(s.extrema[0]!.x).toBeCloseTo(-1.1924312, 6);
    expect(s.extrema[0]!.value).toBeCloseTo(-0.3088434, 6);
  });

  test("a step is discontinuous: no Lipschitz constant, outside Cybenko's and Leshno's conditions as stated", () => {
    const s = sheet("x > 0 ? 1 : 0");
    expect(s.smoothness.class).toBe("discontinuous");
    expect(s.smoothness.breakpoints[0]).toMatchObject({ x: 0, continuous: false, leftValue: 0, rightValue: 1 });
    expect(s.lipschitz).toBe(Infinity);
    expect(s.universalApproximation.conditions.continuous).toBe(false);
  });

  test("polynomials fail Leshno's condition; x³ − x has a maximum and a minimum at ∓1/√3", () => {
    expect(sheet("x^2").universalApproximation.leshno).toBe(false);
    const cubic = sheet("x^3 - x");
    expect(cubic.universalApproximation.conditions.nonPolynomial).toBe(false);
    expect(cubic.extrema.map((e) => e.kind)).toEqual(["max", "min"]);
    expect(cubic.extrema[0]!.x).toBeCloseTo(-1 / Math.sqrt(3), 15);
    expect(cubic.extrema[1]!.x).toBeCloseTo(1 / Math.sqrt(3), 15);
  });

  test("a Gaussian bump is even, with its maximum at 0, and saturates softly on both sides", () => {
    const s = sheet("exp(-x^2)");
    expect(s.symmetry).toBe("even");
    expect(s.extrema).toEqual([{ x: 0, value: 1, kind: "max" }]);
    expect(s.maxAbsGrad.value).toBeCloseTo(Math.sqrt(2 / Math.E), 14);
    expect(s.saturation).toEqual({ left: { kind: "soft" }, right: { kind: "soft" } });
  });

  test("clip(x, −1, 1) is hard-saturating, bounded and monotone: it meets Cybenko's conditions", () => {
    const s = sheet("clip(x, -1, 1)");
    expect(s.saturation).toEqual({ left: { kind: "hard", c: -1 }, right: { kind: "hard", c: 1 } });
    expect(s.universalApproximation.cybenko).toBe(true);
  });

  test("an oscillating function lists at most 20 extrema and says so", () => {
    const s = sheet("sin(x)");
    expect(s.extrema.length).toBe(20);
    expect(s.notes.join(" ")).toMatch(/local extrema/);
    expect(s.asymptotes.right.kind).toBe("none");
  });
});

describe("the sheet as data", () => {
  test("every property has a method, and every numeric method states its resolution or its digits", () => {
    for (const name of ["sigmoid", "relu", "swish", "xwish"]) {
      const s = sheet(name);
      expect(Object.keys(s.method).sort()).toEqual([...ALL_KEYS].sort());
      for (const m of Object.values(s.method)) {
        expect(["symbolic", "interval", "numeric", "derived"]).toContain(m.kind);
        expect(m.detail.length).toBeGreaterThan(10);
        if (m.kind === "numeric" && m.resolution === undefined) expect(m.detail).toMatch(/digits/);
        if (m.resolution !== undefined) expect(m.resolution).toBeGreaterThan(0);
      }
    }
  });

  test("how each fact was established: limits symbolic, monotonicity by intervals where they suffice, else the scan", () => {
    expect(sheet("sigmoid").method.monotonic.kind).toBe("interval");
    expect(sheet("swish").method.extrema).toMatchObject({ kind: "numeric", resolution: 1 / 32 });
    expect(sheet("relu").method.deadZone.kind).toBe("symbolic");
    expect(sheet("relu").method.maxAbsGrad.kind).toBe("symbolic");
    expect(sheet("sigmoid").method.asymptotes.detail).toMatch(/dominant terms/);
  });

  test("JSON: numbers as numbers, ±Infinity as strings, the keys the issue lists", () => {
    const json = sheetToJson(sheet("relu")) as Record<string, any>;
    for (const key of ALL_KEYS) expect(json).toHaveProperty(key);
    expect(json["deadZone"]).toEqual(["-Infinity", 0]);
    expect(json["range"]).toEqual({ inf: 0, sup: "Infinity", infAttained: true, supAttained: false, boundedBelow: true, boundedAbove: false });
    expect(json["maxAbsGrad"]).toEqual({ value: 1, at: [0, "Infinity"], attained: true });
    expect(json["saturation"]).toEqual({ left: { kind: "hard", c: 0 }, right: { kind: "none" } });
    expect(json["smoothness"].breakpoints[0]).toMatchObject({ x: 0, continuous: true, leftDerivative: 0, rightDerivative: 1 });
    expect(json["universalApproximation"]).toMatchObject({ cybenko: false, leshno: true });
    expect(typeof json["opCount"].f).toBe("number");
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test("rows for display: one per property and per checklist item", () => {
    const s = sheet("relu");
    expect(describeSheet(s).map((r) => r.key)).toEqual(ALL_KEYS);
    expect(describeSheet(s).find((r) => r.key === "range")!.value).toBe("[0, +∞), bounded below");
    expect(describeChecklist(s).map((r) => r.key)).toEqual(Object.keys(s.checklist));
  });

  test("E f(Z) and √E f(Z)² against closed forms", () => {
    expect(sheet("relu").meanUnderNormal.mean).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 9);
    expect(sheet("relu").meanUnderNormal.rms).toBeCloseTo(Math.SQRT1_2, 9);
    expect(sheet("absval").meanUnderNormal.mean).toBeCloseTo(Math.sqrt(2 / Math.PI), 9);
    expect(sheet("tanh").meanUnderNormal.mean).toBeCloseTo(0, 12);
  });
});

describe("operation counts", () => {
  // One operation per +, ×, ÷, power, call, comparison and select, each shared node once.
  test.each([
    ["x * sigmoid(x)", 2, "a product and a call"],
    ["x / (1 + abs(x))", 3, "a division, a sum, abs"],
    ["x > 0 ? x : 0", 2, "a comparison and a select"],
    ["exp(x) * exp(x) + exp(x)", 3, "exp(x) once (e^2x is exp(x)^2: one power), the product, the sum"],
  ])("%s: %i", (source, expected) => {
    const s = analyze(define(source));
    expect(s.opCount.f).toBe(expected);
  });

  test("f and f′ together share what they have in common", () => {
    const { f, df, both } = sheet("sigmoid").opCount;
    expect(both).toBeLessThan(f + df);
  });
});

describe("sweeps and parameters", () => {
  test("geometric values for a range spanning factors of ten, even ones otherwise", () => {
    expect(sweepValues(0.1, 10, 3)).toEqual([0.1, 1, 10]);
    expect(sweepValues(0, 2, 5)).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  test("swish over β: the extremum moves, the shape class does not", () => {
    const r = sweep(define("swish"), { param: "beta", from: 0.1, to: 10, steps: 3 });
    expect(r.values).toEqual([0.1, 1, 10]);
    expect(r.sheets.map((s) => s.params["beta"])).toEqual([0.1, 1, 10]);
    expect(r.changing).toContain("extrema");
    expect(r.changing).toContain("range");
    expect(r.changing).not.toContain("smoothness");
    expect(r.changing).not.toContain("saturation");
  });

  test("elu over α: smooth (C¹) only at α = 1", () => {
    const r = sweep(define("elu"), { param: "alpha", from: 0.5, to: 1.5, steps: 3 });
    expect(r.sheets.map((s) => s.smoothness.class)).toEqual(["C0", "C1", "C0"]);
  });

  test("errors are ActdiffErrors with codes", () => {
    expect(errorOf(() => analyze(define("relu"), { params: { beta: 1 } })).code).toBe("E_PARAM");
    expect(errorOf(() => sweep(define("relu"), { param: "beta", from: 0, to: 1 })).code).toBe("E_PARAM");
    expect(errorOf(() => sweepValues(2, 1, 3)).code).toBe("E_USAGE");
    expect(errorOf(() => analyze(define("f(x, y) = x * y"))).code).toBe("E_USAGE");
    expect(errorOf(() => analyze(define("elu"), { params: { alpha: Infinity } })).code).toBe("E_PARAM");
  });
});

describe("the sheet states only what is true (issue 17 §2)", () => {
  test("pau: a kink where both one-sided slopes are positive is no extremum (f(0.01) > f(0))", () => {
    const s = sheet("(1 + x + x^2/2)/(1 + abs(x))");
    expect(s.extrema.map((e) => e.kind)).toEqual(["min"]);
    expect(s.extrema[0]!.x).toBeCloseTo(1 - Math.sqrt(5), 12);
    expect(s.smoothness.breakpoints[0]!.leftDerivative).toBe(2);
    expect(s.smoothness.breakpoints[0]!.rightDerivative).toBe(0);
  });

  test("softmin against constants: strictly decreasing onto (0, 1), proved by intervals (exp(−x) underflowing far out)", () => {
    const s = sheet("softmin(x; y = 0.5, z = -1) = exp(-x) / (exp(-x) + exp(-y) + exp(-z))");
    expect([s.monotonic, s.monotonicDirection, s.extrema]).toEqual([true, "decreasing", []]);
    expect(s.range).toMatchObject({ inf: 0, sup: 1, infAttained: false, supAttained: false });
    expect(s.method.monotonic.kind).toBe("interval");
  });

  test("squareplus: range (0, +∞) and f ~ x, both limits found symbolically (no 1e-12 left over)", () => {
    const s = sheet("f(x; b = 1) = (x + sqrt(x^2 + b)) / 2");
    expect(s.range).toMatchObject({ inf: 0, infAttained: false, sup: Infinity });
    expect(s.range.infApproximate).toBeUndefined();
    expect(s.asymptotes.left).toMatchObject({ kind: "horizontal", value: 0, text: "f → 0" });
    expect(s.asymptotes.right).toMatchObject({ kind: "linear", slope: 1, intercept: 0, text: "f ~ x" });
    expect(s.method.asymptotes.kind).toBe("symbolic");
    expect(s.saturation.left.kind).toBe("soft");
  });

  test("snake: f′ = 1 + sin 2x has no limit at ±∞, and the checklist says so instead of a limit below 1", () => {
    const s = sheet("f(x; a = 1) = x + sin(a*x)^2 / a");
    const reason = s.checklist.mitigatesVanishingGradient.reason;
    expect(reason).toContain("f′ has no limit as x → −∞");
    expect(reason).toContain("f′ has no limit as x → +∞");
    expect(reason).not.toContain("below 1");
    expect(s.notes.some((n) => n.includes("proved") && n.includes("periodic"))).toBe(true);
  });

  test("dead zones end where the definition's own f′ stops being 0", () => {
    // clip's derivative takes the inner branch at ±1 (f′(±1) = 1); relu's takes 0 at 0.
    expect(sheet("clip(x, -1, 1)").deadZoneClosed).toEqual([[false, false], [false, false]]);
    expect(describeSheet(sheet("clip(x, -1, 1)")).find((r) => r.key === "deadZone")!.value).toBe("f′ = 0 on (-∞, -1), f′ = 0 on (1, +∞)");
    expect(sheet("relu").deadZoneClosed).toEqual([[false, true]]);
    for (const [source, x] of [["clip(x, -1, 1)", -1], ["relu", 0]] as const) {
      const closed = sheet(source).deadZoneClosed[0]![1];
      expect(define(source).derivative().compile()(x) === 0).toBe(closed);
    }
  });

  test("a crossing of two branches at an irrational point is continuous: max(x/4, σ(x)) is increasing", () => {
    const s = sheet("max(0.25 * x, sigmoid(x))");
    expect(s.smoothness.breakpoints[0]!.continuous).toBe(true);
    expect([s.monotonic, s.monotonicDirection]).toEqual([true, "increasing"]);
  });

  test("a minimum between the last grid point and a kink is found (it lowers the range)", () => {
    const s = sheet("(-1 + 0.25 * x + 2 * x^2) / (1 + abs(0.1 * x) + 1 * x^2)");
    const min = s.extrema.find((e) => e.kind === "min")!;
    expect(min.x).toBeGreaterThan(-0.03125);
    expect(min.x).toBeLessThan(0);
    expect(s.range.inf).toBe(min.value);
    expect(min.value).toBeLessThan(-1);
  });

  test("a numeric observation is labelled as one and never prints noise as a value", () => {
    // mish's intercept on the right is a numeric limit: "≈ x", the method numeric.
    const s = sheet("mish");
    expect(s.asymptotes.right.text).toMatch(/^f ~ ≈ x \(numeric/);
    expect(s.method.asymptotes.kind).toBe("numeric");
    expect(describeSheet(sheet("swish")).find((r) => r.key === "extrema")!.value).toMatch(/numerically observed|^min/);
    // clip's mean is 0, not the −1.9e-16 Simpson's rule leaves.
    expect(sheet("clip(x, -1, 1)").meanUnderNormal.mean).toBe(0);
  });
});
