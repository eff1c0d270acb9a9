import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/api/activation.js";
import { outputLength, type VectorFunction } from "../../src/api/vector-activation.js";
import { div, len, mul, sym, TWO } from "../../src/ast/build.js";
import { groupSizeOf, OUTPUT_INDEX } from "../../src/ast/definition.js";
import * as Q from "../../src/ast/rational.js";
import { reliableValue } from "../../src/numeric/evaluate.js";
import { errorOf } from "../support/errors.js";

/**
 * Row kernels of functions of vectors, against their laws and an exact reference: softmax sums
 * to 1 and ignores a shift; the backward kernel is Jᵀg, with J taken from the symbolic Jacobian
 * and evaluated to 30 digits (an oracle independent of the derived VJP); chunks of rows give the
 * bits of the whole; no NaN or ±∞ where the true value is finite.
 */
const NAMES = ["softmax", "log_softmax", "softmin", "logsumexp", "maxout"] as const;
const fn = (f: Activation): VectorFunction => f.compile() as unknown as VectorFunction;
const outLength = (name: string, n: number): number => (name === "logsumexp" ? 1 : name === "maxout" ? n / 2 : n);

const vector = (n: number) => fc.array(fc.oneof(fc.double({ min: -30, max: 30, noNaN: true }), fc.constantFrom(0, -0, 1, -1, 745, -745)), { minLength: n, maxLength: n });
const evenLength = fc.integer({ min: 1, max: 12 }).map((k) => 2 * k);

/** The exact value of an element expression at a vector (and output index), to 30 digits. */
function exact(f: Activation, expr: Parameters<typeof reliableValue>[0], x: readonly number[], indices: Record<string, number>): number {
  const vectors = new Map([[f.definition.vectors![0]!, x.map(Q.fromNumber)]]);
  const params = new Map(f.params.map((p, i) => [p.name, Q.fromNumber(f.paramValues()[i]!)] as const));
  return reliableValue(expr, params, 30, { vectors, indices: new Map(Object.entries(indices)) })!.value.toNumber();
}

describe("laws", () => {
  test("softmax sums to 1 and is invariant to adding a constant (within a few ulps)", () => {
    const softmax = fn(define("softmax"));
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }).chain(vector), fc.double({ min: -500, max: 500, noNaN: true }), (x, c) => {
      const s = softmax(x) as number[];
      expect(Math.abs(s.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(x.length * Number.EPSILON);
      const shifted = softmax(x.map((v) => v + c)) as number[];
      // Shifting rounds x + c, which moves s by up to |x|·ε relative: compare where that is small.
      s.forEach((v, i) => expect(Math.abs(v - shifted[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c)) + 1e-300));
    }), { numRuns: 200 });
  });

  test.each(NAMES)("%s: backward is Jᵀg, with J from the symbolic Jacobian at 30 digits", (name) => {
    const f = define(name);
    const n = 6;
    const J = f.derivative(f.definition.vectors![0]!).expr;
    const backward = f.backward();
    fc.assert(fc.property(vector(n), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }), (x, gRaw) => {
      const m = outLength(name, n);
      const g = Float64Array.from(gRaw.slice(0, m));
      const gradIn = new Float64Array(n);
      backward(Float64Array.from(x), g, gradIn, n);
      for (let j = 0; j < n; j++) {
        let want = 0;
        for (let i = 0; i < m; i++) want += g[i]! * exact(f, J, x, { [OUTPUT_INDEX]: i, j });
        const scale = [...g].reduce((a, b) => a + Math.abs(b), 0);
        expect(Math.abs(gradIn[j]! - want), `${name} grad[${j}] at ${x}`).toBeLessThanOrEqual(1e-14 * Math.max(1, scale));
      }
    }), { numRuns: 6 });
  });

  test.each(NAMES)("%s: jacobian() is the Jacobian (rows = outputs), and its rows are backward of unit vectors", (name) => {
    const f = define(name);
    const x = [0.5, -1.25, 2, 0.75];
    const J = f.jacobian()(x);
    const element = f.derivative(f.definition.vectors![0]!).expr;
    J.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(exact(f, element, x, { [OUTPUT_INDEX]: i, j }), 14)));
  });
});

describe.each(NAMES)("%s kernels", (name) => {
  const f = define(name);
  const compiled = fn(f);
  const n = 8;
  const rows = 5;
  const x = Float64Array.from(fc.sample(fc.double({ min: -20, max: 20, noNaN: true }), { numRuns: n * rows, seed: 11 }));
  const m = outLength(name, n);
  const g = Float64Array.from(fc.sample(fc.double({ min: -1, max: 1, noNaN: true }), { numRuns: m * rows, seed: 12 }));

  test("forward equals compile() row by row, bit for bit; float32 is the float64 result rounded once", () => {
    const out = new Float64Array(m * rows);
    f.kernel()(x, out, n);
    const out32 = new Float32Array(m * rows);
    f.kernel()(Float32Array.from(x), out32, n);
    const x32 = Float32Array.from(x);
    for (let r = 0; r < rows; r++) {
      const want = [compiled(Array.from(x.subarray(r * n, (r + 1) * n)))].flat();
      const want32 = [compiled(Array.from(x32.subarray(r * n, (r + 1) * n)))].flat();
      want.forEach((v, i) => expect(Object.is(out[r * m + i], v), `row ${r} element ${i}`).toBe(true));
      want32.forEach((v, i) => expect(Object.is(out32[r * m + i], Math.fround(v)), `float32 row ${r} element ${i}`).toBe(true));
    }
  });

  test("fused computes forward and backward's bits; chunks of rows give the bits of the whole", () => {
    const [out, gradIn, out2, gradIn2] = [new Float64Array(m * rows), new Float64Array(n * rows), new Float64Array(m * rows), new Float64Array(n * rows)];
    f.kernel()(x, out, n);
    f.backward()(x, g, gradIn, n);
    f.fusedKernel()(x, g, out2, gradIn2, n);
    expect(Array.from(out2)).toEqual(Array.from(out));
    expect(Array.from(gradIn2)).toEqual(Array.from(gradIn));
    const [a, b] = [new Float64Array(n * rows), new Float64Array(n * rows)];
    f.backward()(x.subarray(0, 2 * n), g.subarray(0, 2 * m), a.subarray(0, 2 * n), n);
    f.backward()(x.subarray(2 * n), g.subarray(2 * m), a.subarray(2 * n), n);
    f.backward()(x, g, b, n);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  test("wrong calls are usage errors: lengths, element types, overlap", () => {
    expect(errorOf(() => f.kernel()(x, new Float64Array(3), n)).code).toBe("E_USAGE");
    expect(errorOf(() => f.kernel()(x, new Float32Array(m * rows), n)).code).toBe("E_USAGE");
    expect(errorOf(() => f.kernel()(x, x.subarray(0, m * rows), n)).message).toMatch(/shares memory/);
    expect(errorOf(() => f.kernel()(x, new Float64Array(m * rows), 7)).code).toBe("E_USAGE");
  });
});

describe("numerics: max-shifted, finite wherever the truth is", () => {
  test("log_softmax at (1000, 0) is (0, −1000) exactly; softmax there is (1, 0); logsumexp at (1000, 1000) is 1000 + log 2", () => {
    expect(fn(define("log_softmax"))([1000, 0])).toEqual([0, -1000]);
    expect(fn(define("softmax"))([1000, 0])).toEqual([1, 0]);
    expect(fn(define("logsumexp"))([1000, 1000])).toBe(1000 + Math.LN2);
  });

  test("a user's exp(x) / sum(exp(x)) gets the same code as the catalog's softmax", () => {
    const mine = fn(define("mine(x[]) = exp(x) / sum(exp(x))"));
    const theirs = fn(define("softmax"));
    for (const x of [[745, 0, -1], [1e308, -1e308, 0], [-1e308, -1e308], [3]]) expect(mine(x)).toEqual(theirs(x));
  });

  test.each(NAMES)("%s: no NaN or ±∞ for finite inputs whose outputs are finite, across [−1e308, 1e308]", (name) => {
    const f = fn(define(name));
    const big = fc.oneof(fc.double({ min: -1e308, max: 1e308, noNaN: true }), fc.constantFrom(1e308, -1e308, 745, -745, 0, 709.8, -709.8));
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }).map((k) => 2 * k).chain((k) => fc.array(big, { minLength: k, maxLength: k })), (x) => {
      const out = [f(x)].flat();
      const spread = Math.max(...x) - Math.min(...x);
      for (const v of out) {
        // log_softmax's x_i − logsumexp(x) is below −1.8e308 where the spread is: −∞ is then the rounded truth.
        if (name === "log_softmax" && !Number.isFinite(spread)) continue;
        expect(Number.isFinite(v), `${name}(${x}) = ${out}`).toBe(true);
      }
    }), { numRuns: 300 });
  });

  test.each(["softmax", "log_softmax", "logsumexp"] as const)("%s: within 4κ ulps of a 40-digit reference on vectors of length 1, 2, 3, 10 and 1000", (name) => {
    const f = define(name);
    const run = fn(f);
    const backward = f.backward();
    const J = f.derivative("x").expr;
    for (const n of [1, 2, 3, 10, 1000]) {
      const x = fc.sample(fc.double({ min: -50, max: 50, noNaN: true }), { numRuns: n, seed: n });
      const got = [run(x)].flat();
      const outputs = n > 10 ? [0, 1, n - 1] : got.map((_, i) => i);
      for (const i of outputs.slice(0, got.length)) {
        const want = exact(f, f.expr, x, { [OUTPUT_INDEX]: i });
        if (want === 0) {
          expect(got[i], `${name} n=${n} i=${i}`).toBe(0);
          continue;
        }
        // κ = Σ_j |x_j ∂f_i/∂x_j| / |f_i|: how much the inputs' own rounding moves the value. Row
        // i of J is backward of the unit vector e_i; κ is a scale, float64 is enough for it.
        // For short vectors the row is exact (30 digits); the float row of the backward kernel
        // would itself cancel where f does (1 − s_a with s_a ≈ 1).
        const unit = new Float64Array(got.length);
        unit[i] = 1;
        const row = new Float64Array(n);
        backward(Float64Array.from(x), unit, row, n);
        if (n <= 10) x.forEach((_, j) => { row[j] = exact(f, J, x, { [OUTPUT_INDEX]: i, j }); });
        const kappa = x.reduce((acc, xj, j) => acc + Math.abs(xj * row[j]!), 0) / Math.abs(want);
        const ulp = Math.max(Number.MIN_VALUE, Math.abs(want) * Number.EPSILON);
        expect(Math.abs(got[i]! - want) / ulp, `${name} n=${n} i=${i}: κ = ${kappa}`).toBeLessThanOrEqual(4 * Math.max(1, kappa));
      }
    }
  });
});


describe("group sizes", () => {
  test("a group size that is not a positive whole number is refused, not read as fractional indices", () => {
    const maxout = define("maxout");
    expect(errorOf(() => (maxout.compile() as unknown as VectorFunction)([1, 5, 2, 4], { k: 0.5 }))).toMatchObject({ code: "E_USAGE", message: expect.stringContaining("group size k is 0.5") });
    expect(errorOf(() => maxout.backward()(new Float64Array(4), new Float64Array(8), new Float64Array(4), 4, { k: 0.5 }))).toMatchObject({ code: "E_USAGE" });
  });

  test("groups of 3 give each group's first maximal element the gradient", () => {
    const jacobian = define("maxout").jacobian()([1, 5, 5, 4, 3, 0], { k: 3 });
    expect(jacobian).toEqual([[0, 1, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0]]);
  });

  test("the number of outputs is worked out from n at each call, not read off a vector of n elements", () => {
    // A row of 2³² elements is beyond any array: the count of its groups is arithmetic on n.
    // (A vector of n zeros made at each call cost maxout's kernels 1.5 ms at n = 32768.)
    const maxout = define("maxout");
    expect(outputLength(maxout, 2 ** 32, [2])).toBe(2 ** 31);
    expect(outputLength(maxout, 9, [3])).toBe(3);
    expect(outputLength(define("softmax"), 2 ** 32, [])).toBe(2 ** 32);
    expect(errorOf(() => outputLength(maxout, 7, [2]))).toMatchObject({ code: "E_USAGE", message: expect.stringContaining("3.5 outputs") });
  });

  test("a length is one element per group of K when it is len(x) / K; exactly that, or any product holding both", () => {
    const k = sym("k");
    expect(groupSizeOf(div(len("x"), k), { exact: true })).toBe(k);
    expect(groupSizeOf(div(len("x"), k), { exact: false })).toBe(k);
    // 2·len(x)/k: a length k must divide, but not a row computed group by group.
    expect(groupSizeOf(mul(TWO, div(len("x"), k)), { exact: true })).toBeUndefined();
    expect(groupSizeOf(mul(TWO, div(len("x"), k)), { exact: false })).toBe(k);
    for (const exact of [true, false]) {
      expect(groupSizeOf(len("x"), { exact })).toBeUndefined();
      expect(groupSizeOf(div(sym("n"), k), { exact })).toBeUndefined();
      expect(groupSizeOf(mul(len("x"), k), { exact })).toBeUndefined();
      expect(groupSizeOf(undefined, { exact })).toBeUndefined();
    }
  });
});
