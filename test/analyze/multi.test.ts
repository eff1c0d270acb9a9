import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { int, sub, sym, HALF, ONE, ZERO, div } from "../../src/ast/build.js";
import { print } from "../../src/ast/print.js";
import { evaluateFloat } from "../../src/numeric/evaluate.js";
import { analyzeSeveral } from "../../src/analyze/several.js";
import { analyzeVector, positiveByConstruction } from "../../src/analyze/vector.js";
import { KNOWN_JACOBIANS } from "../../src/analyze/known-jacobians.js";
import { spectralNorm, symmetricEigenvalues } from "../../src/analyze/spectral.js";
import { unroll } from "../../src/analyze/unroll.js";
import { describeMulti } from "../../src/analyze/describe-multi.js";
import { define } from "../../src/index.js";
import { errorOf } from "../support/errors.js";

describe("‖J‖₂ by Jacobi rotations", () => {
  test("known matrices: softmax's Jacobian at (0, 0), a triangular one, a row", () => {
    expect(spectralNorm([[0.25, -0.25], [-0.25, 0.25]])).toBeCloseTo(0.5, 15);
    // [[3, 0], [4, 5]]: singular values √45 and √5 (their product is |det| = 15).
    expect(spectralNorm([[3, 0], [4, 5]])).toBeCloseTo(Math.sqrt(45), 14);
    expect(spectralNorm([[1, 2, 3]])).toBeCloseTo(Math.sqrt(14), 14);
    expect(symmetricEigenvalues([[2, 1], [1, 2]]).sort()).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
  });

  test("between the largest row or column norm and the Frobenius norm; and ‖J‖₂ = ‖Jᵀ‖₂", () => {
    const matrix = fc.integer({ min: 1, max: 6 }).chain((m) => fc.integer({ min: 1, max: 6 }).chain((n) =>
      fc.array(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }), { minLength: m, maxLength: m })));
    fc.assert(fc.property(matrix, (rows) => {
      const norm = spectralNorm(rows);
      const frobenius = Math.hypot(...rows.flat());
      const rowNorm = Math.max(...rows.map((r) => Math.hypot(...r)));
      const colNorm = Math.max(...rows[0]!.map((_, j) => Math.hypot(...rows.map((r) => r[j]!))));
      const transposed = rows[0]!.map((_, j) => rows.map((r) => r[j]!));
      const slack = 1e-12 * (1 + frobenius);
      return norm <= frobenius + slack && norm >= Math.max(rowNorm, colNorm) - slack && Math.abs(norm - spectralNorm(transposed)) <= slack;
    }));
  });
});

describe("a function of vectors written out at scalar elements", () => {
  const x = sym("x");
  const at = (name: string, elements: ReturnType<typeof sym>[] | ReturnType<typeof sub>[], outputs?: number) => {
    const f = define(name);
    const params = new Map(f.params.map((p) => [p.name, p.defaultValue!] as const));
    return unroll(f.expr, new Map([[f.definition.vectors![0]!, elements]]), params, outputs).outputs;
  };

  test("softmax at (x, 0) is (σ(x), 1 − σ(x)); maxout at (x, 1 − x, 1/2, x/2) is the max of each pair", () => {
    expect(at("softmax", [x, ZERO], 2).map(print)).toEqual(["sigmoid(x)", "1 - sigmoid(x)"]);
    expect(at("maxout", [x, sub(ONE, x), HALF, div(x, int(2))], 2).map(print)).toEqual(["max(x, 1 - x)", "max(1/2, x / 2)"]);
    expect(at("logsumexp", [x, ZERO]).map(print)).toEqual(["softplus(x)"]);
  });

  test.each(["softmax", "log_softmax", "softmin", "logsumexp", "maxout"])("%s: the written-out slice against the row code at (t, 1 − t, 1/2, t/2)", (name) => {
    const f = define(name);
    const scalar = !f.definition.output;
    const outputs = at(name, [x, sub(ONE, x), HALF, div(x, int(2))], scalar ? undefined : name === "maxout" ? 2 : 4);
    const compiled = f.compile() as unknown as (v: number[]) => number[] | number;
    for (const t of [-30, -2.5, -0.25, 0, 0.5, 1, 3, 40]) {
      const row = compiled([t, 1 - t, 0.5, t / 2]);
      const expected = typeof row === "number" ? [row] : row;
      outputs.forEach((e, o) => expect(evaluateFloat(e, new Map([["x", t]]))).toBeCloseTo(expected[o]!, 12));
    }
  });

  test("an element past the end, or a group size that is not whole, is an error that says so", () => {
    expect(errorOf(() => at("maxout", [x, ZERO, x], 2)).message).toMatch(/reads element 3 of z, which has 3/);
    const f = define("maxout");
    expect(errorOf(() => unroll(f.expr, new Map([["z", [x, ZERO]]]), new Map([["k", HALF]]), 1)).message).toMatch(/not a whole number/);
  });
});

describe("what the vector sheet proves", () => {
  test("positive by construction: softmax and softmin, not log_softmax or maxout", () => {
    expect(positiveByConstruction(define("softmax").expr)).toBe(true);
    expect(positiveByConstruction(define("softmin").expr)).toBe(true);
    expect(positiveByConstruction(define("log_softmax").expr)).toBe(false);
    expect(positiveByConstruction(define("maxout").expr)).toBe(false);
    expect(positiveByConstruction(define("f(x[]) = exp(x) - 1").expr)).toBe(false);
  });

  test.each(["softmax", "log_softmax", "softmin", "logsumexp", "maxout"])("%s: no observed ‖J‖₂ exceeds the proved bound", (name) => {
    const s = analyzeVector(define(name));
    const bound = s.lipschitz.bound!;
    expect(bound).not.toBeNull();
    for (const { n, max } of s.lipschitz.observed.byLength) {
      const limit = bound.value ?? Math.sqrt(n);
      expect(max, `N = ${n}`).toBeLessThanOrEqual(limit * (1 + 1e-12));
      // An attained bound is reached by the samples, up to rounding, where it is attained (N = 2).
      if (bound.attained && n === 2) expect(max).toBeCloseTo(limit, 12);
    }
  });

  test("every known Jacobian form names the argument it rests on and whether it is attained", () => {
    for (const k of KNOWN_JACOBIANS) {
      expect(k.argument.length, k.name).toBeGreaterThan(80);
      expect(k.value === null ? k.text : String(k.value), k.name).not.toBe("");
    }
  });

  test("the observations are the same on every run: seeded samples", () => {
    const a = analyzeVector(define("log_softmax"));
    const b = analyzeVector(define("log_softmax"));
    expect(a.range.observed).toEqual(b.range.observed);
    expect(a.lipschitz.observed).toEqual(b.lipschitz.observed);
    expect(a.range.observed.samples).toBe(1005);
  });

  test("a function nothing is proved of is described by what the slice and the samples show, and says so", () => {
    // h(t, 0) = t / (1 + |t|) → ±1: values approach ±1, but that no output passes them is not proved.
    const s = analyzeVector(define("h(x[]) = x / (1 + sum(abs(x)))"));
    expect([s.range.inf, s.range.sup]).toEqual([{ value: -1, status: "approached", attained: false }, { value: 1, status: "approached", attained: false }]);
    expect(s.method.range.kind).toBe("numeric");
    expect(describeMulti(s).find((r) => r.key === "range")!.value)
      .toMatch(/^\(-1, 1\); -1 approached, no lower bound proved \(smallest observed -0\.\d+\); 1 approached, no upper bound proved \(largest observed 0\.\d+\)$/);
    expect(s.lipschitz.bound).toBeNull();
    expect(s.method.lipschitz.kind).toBe("numeric");
    expect(s.method.lipschitz.detail).toContain("a lower bound on the Lipschitz constant, not an upper one");
    expect(s.shift).toBe("neither");
  });

  test("a scalar input besides the vector is refused with a reason", () => {
    expect(errorOf(() => analyzeVector(define("f(x[], t) = t * sum(x)"))).message).toMatch(/properties of vector functions are computed for functions of one vector/);
  });
});

describe("what the sheet of several inputs proves", () => {
  test("three factors: the range is the product of theirs, monotone in c with the sign of a·σ(b)", () => {
    const s = analyzeSeveral(define("h(a, b, c) = a * sigmoid(b) * tanh(c)"));
    expect(s.separation!.factors.map((f) => f.formula)).toEqual(["a", "sigmoid(b)", "tanh(c)"]);
    expect([s.range.inf.value, s.range.sup.value]).toEqual([-Infinity, Infinity]);
    expect(s.monotonic).toEqual({
      a: { kind: "sign of", coefficient: "sigmoid(b) · tanh(c)", direction: "increasing" },
      b: { kind: "sign of", coefficient: "a · tanh(c)", direction: "increasing" },
      c: { kind: "sign of", coefficient: "a · sigmoid(b)", direction: "increasing" },
    });
    expect(s.saturation["c"]!.right.text).toBe("∂f/∂c → 0; f → a · sigmoid(b), the gradient passes to a, b unchanged");
  });

  test("bounded factors: a bounded range and a Lipschitz constant between the largest partial bound and their root sum of squares", () => {
    const s = analyzeSeveral(define("h(a, b) = sigmoid(a) * tanh(b)"));
    expect([s.range.inf.value, s.range.sup.value, s.range.inf.attained, s.range.sup.attained]).toEqual([-1, 1, false, false]);
    // sup |∂h/∂a| = 1/4 · 1, sup |∂h/∂b| = 1 · 1.
    expect(s.lipschitz.partials).toEqual({ a: 0.25, b: 1 });
    expect(s.lipschitz.lower).toBe(1);
    expect(s.lipschitz.upper).toBeCloseTo(Math.sqrt(1 + 1 / 16), 14);
  });

  test("a gate that closes exactly: relu(a) · b is 0, with its whole gradient, for a ≤ 0", () => {
    const s = analyzeSeveral(define("h(a, b) = relu(a) * b"));
    expect(s.saturation["a"]!.left.saturation).toEqual({ kind: "hard", c: 0 });
    expect(s.saturation["a"]!.left.text).toBe("the gate closes: f = 0 and every partial derivative is exactly 0 for a ≤ 0 (the factor a > 0 ? a : 0 multiplies ∂f/∂b too)");
  });
});
