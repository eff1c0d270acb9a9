import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { errorOf } from "../support/errors.js";
import { agreeTo, centralDifference } from "../support/numeric.js";

/**
 * Training mode: each random variable is drawn per element from the seeded generator, the
 * forward kernel writes the draws it used, and backward takes them back and differentiates
 * given them. The laws: the same state gives the same draws; chunks with their offsets give
 * the draws of the whole array; every path (closures, kernels, fused, CSP, float32) computes
 * the same function of the same draws; and backward is the derivative of f given the draws.
 */
const RRELU = "r(x; lower = 1/8, upper = 1/3) = x > 0 ? x : a * x where a ~ uniform(lower, upper)";
const NOISY = "n(x; sigma = 1) = x >= 0 ? x + y : 0 where y ~ normal(0, sigma)";
/** Smooth in x, two random variables, a parameter in a distribution: a finite difference sees all of it. */
const SMOOTH = "s(x; spread = 0.5) = x * sigmoid(b * x) + z * x^2 / 10 where b ~ uniform(1 - spread, 1 + spread), z ~ normal(0, spread)";
/** Two inputs and a draw. */
const GATE = "g(u, v) = u * sigmoid(m * v) where m ~ uniform(0.5, 1.5)";

const bits = (a: Float64Array | Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
const grid = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => -6 + (12 * i) / (n - 1) + (i % 3 === 0 ? 1e-3 : 0));

describe("what training mode is", () => {
  test("f given the draws, its derivative given the draws, and the definition line", () => {
    const t = define(RRELU).train();
    expect(print(t.expr)).toBe("x > 0 ? x : a * x");
    expect(print(t.derivative())).toBe("x > 0 ? 1 : a");
    expect(print(t.derivative("lower"))).toBe("0"); // the draw is held fixed, its distribution too
    expect(t.toString()).toBe(RRELU);
    expect(print(define(NOISY).train().derivative())).toBe("x >= 0 ? 1 : 0");
    expect(define(GATE).train().gradient().map(print)).toEqual(["sigmoid(m * v)", "m * u * sigmoid(m * v) * (1 - sigmoid(m * v))"]);
  });

  test("evaluation mode is the activation itself: each random variable replaced by its mean", () => {
    expect(print(define(RRELU).expr)).toBe("x > 0 ? x : x * (lower / 2 + upper / 2)");
    expect(define(RRELU).derivative().compile()(-1)).toBe(11 / 48);
    expect(print(define(SMOOTH).expr)).toBe("x * sigmoid(x)");
  });

  test("a definition that draws nothing has no training mode", () => {
    const err = errorOf(() => define("relu").train());
    expect([err.code, err.summary]).toEqual(["E_USAGE", "relu draws no random variables: its training mode would be its evaluation mode"]);
  });
});

describe("reproducible draws", () => {
  const t = define(RRELU).train();
  const x = grid(1000);
  const forward = (seed: number, xs = x, offset = 0) => {
    const a = new Float64Array(xs.length);
    const out = new Float64Array(xs.length);
    t.kernel()(xs, a, out, { seed, offset });
    return { a, out };
  };

  test("the same seed gives the same draws and outputs, bit for bit; the draws are those of draw()", () => {
    const one = forward(7);
    const two = forward(7);
    expect(bits(one.a)).toBe(bits(two.a));
    expect(bits(one.out)).toBe(bits(two.out));
    expect(bits(one.a)).toBe(bits(t.draw({ seed: 7 }, x.length)[0]!));
  });

  test("different seeds draw differently", () => {
    const one = forward(7).a;
    const other = forward(8).a;
    expect(one.filter((a, i) => a === other[i])).toHaveLength(0);
  });

  test("chunks [0, n/2) and [n/2, n) with their offsets equal the whole array, bit for bit", () => {
    const whole = forward(7);
    const first = forward(7, x.subarray(0, 500), 0);
    const second = forward(7, x.subarray(500), 500);
    expect(bits(first.a) + bits(second.a)).toBe(bits(whole.a));
    expect(bits(first.out) + bits(second.out)).toBe(bits(whole.out));
  });

  test("the same for a fused kernel, a CSP kernel and two random variables", () => {
    const s = define(SMOOTH).train();
    const n = 64;
    const xs = grid(n);
    const gradOut = Float64Array.from({ length: n }, (_, i) => 1 + i / n);
    const run = (csp: boolean, from: number, to: number) => {
      const [b, z, out, gradIn] = [0, 0, 0, 0].map(() => new Float64Array(to - from));
      s.fusedKernel({ csp })(xs.subarray(from, to), b!, z!, gradOut.subarray(from, to), out!, gradIn!, { seed: 3, offset: from });
      return [b!, z!, out!, gradIn!].map(bits);
    };
    const whole = run(false, 0, n);
    const halves = [run(false, 0, n / 2), run(false, n / 2, n)];
    expect(halves[0]!.map((h, k) => h + halves[1]![k])).toEqual(whole);
    expect(run(true, 0, n)).toEqual(whole);
    // two variables, two streams: b and z do not come from the same uniforms
    expect(whole[0]).not.toBe(whole[1]);
  });
});

describe("every path computes the same function of the same draws", () => {
  test.each([RRELU, NOISY, SMOOTH])("%s: kernel, backward and fused against the closures given the draws", (source) => {
    const t = define(source).train();
    const n = 257;
    const x = grid(n);
    const gradOut = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    const m = t.randoms.length;
    const draws = Array.from({ length: m }, () => new Float64Array(n));
    const out = new Float64Array(n);
    t.kernel()(x, ...draws, out, { seed: 11 });
    const gradIn = new Float64Array(n);
    t.backward()(x, ...draws, gradOut, gradIn);
    const fusedDraws = Array.from({ length: m }, () => new Float64Array(n));
    const [fusedOut, fusedGrad] = [new Float64Array(n), new Float64Array(n)];
    t.fusedKernel()(x, ...fusedDraws, gradOut, fusedOut, fusedGrad, { seed: 11 });
    const f = t.compile();
    const valueAndGrad = t.compileValueAndGrad();
    for (let i = 0; i < n; i++) {
      const at = [x[i]!, ...draws.map((d) => d[i]!)];
      expect(Object.is(out[i], f(...at)), `f(${at})`).toBe(true);
      const [v, g] = valueAndGrad(...at);
      expect(Object.is(out[i], v)).toBe(true);
      expect(Object.is(gradIn[i], gradOut[i]! * g!), `f'(${at})`).toBe(true);
    }
    expect(fusedDraws.map(bits)).toEqual(draws.map(bits));
    expect(bits(fusedOut)).toBe(bits(out));
    expect(bits(fusedGrad)).toBe(bits(gradIn));
  });

  test("Float32Array kernels store each draw rounded once and compute with the stored value", () => {
    const t = define(NOISY).train();
    const x = Float32Array.from(grid(101));
    const [y, out] = [new Float32Array(101), new Float32Array(101)];
    t.kernel()(x, y, out, { seed: 5 }, { sigma: 0.3 });
    const y64 = t.draw({ seed: 5 }, 101, { sigma: 0.3 })[0]!;
    expect([...y]).toEqual([...y64].map(Math.fround));
    const f = t.compile();
    x.forEach((xi, i) => expect(out[i]).toBe(Math.fround(f(xi, y[i]!, { sigma: 0.3 }))));
  });

  test("functions of several inputs: (u, v, draws, …) with one gradient per input", () => {
    const t = define(GATE).train();
    const n = 50;
    const u = grid(n);
    const v = Float64Array.from(u, (a) => 0.7 - a / 3);
    const [m, gradOut, out, gu, gv] = [0, 0, 0, 0, 0].map(() => new Float64Array(n));
    gradOut!.fill(1);
    t.fusedKernel()(u, v, m!, gradOut!, out!, gu!, gv!, { seed: 1 });
    const vg = t.compileValueAndGrad();
    for (let i = 0; i < n; i++) {
      const [f, du, dv] = vg(u[i]!, v[i]!, m![i]!);
      expect([out![i], gu![i], gv![i]]).toEqual([f, du, dv]);
      expect(m![i]).toBeGreaterThanOrEqual(0.5);
      expect(m![i]).toBeLessThan(1.5);
    }
  });
});

describe("backward is the derivative given the draws", () => {
  test.each([RRELU, NOISY, SMOOTH])("%s: against an 80-digit central difference of the formula as written, with the same draws", (source) => {
    const t = define(source).train();
    const written = t.activation.definition.stochastic!.body;
    const params = t.activation.params.map((p) => p.name);
    fc.assert(fc.property(fc.double({ min: -8, max: 8, noNaN: true }).filter((x) => Math.abs(x) > 1e-12), fc.nat(1000), fc.double({ min: 0.2, max: 2, noNaN: true }), (x0, seed, p) => {
      const x = Float64Array.of(x0);
      const draws = t.randoms.map(() => new Float64Array(1));
      const [out, gradIn] = [new Float64Array(1), new Float64Array(1)];
      const given = Object.fromEntries(params.map((name) => [name, name === "lower" ? p / 4 : name === "upper" ? p / 2 : p]));
      t.kernel()(x, ...draws, out, { seed }, given);
      t.backward()(x, ...draws, Float64Array.of(1), gradIn, given);
      const env = new Map<string, Q.Rational>([
        ["x", Q.fromNumber(x0)],
        ...t.randoms.map((r, k): [string, Q.Rational] => [r.name, Q.fromNumber(draws[k]![0]!)]),
        ...Object.entries(given).map(([k, v]): [string, Q.Rational] => [k, Q.fromNumber(v)]),
      ]);
      const reference = centralDifference(written, "x", env);
      const D = reference.constructor as new (v: number) => typeof reference;
      // The backward is a sum (σ(bx) + x·b·σ′(bx) + z·x/5 for s): where its terms cancel, float64
      // keeps digits relative to the terms, not to their sum, so the floor scales with them.
      const termScale = 1 + Math.abs(x0) * (1 + draws.reduce((s, d) => s + Math.abs(d[0]!), 0));
      expect(agreeTo(new D(gradIn[0]!), reference, 14, 1e-14 * termScale), `${source} at x = ${x0}, draws ${draws.map((d) => d[0])}: ${gradIn[0]} vs ${reference.toString()}`).toBe(true);
    }), { numRuns: 60 });
  });
});

describe("usage errors", () => {
  const t = define(RRELU).train();
  const a = new Float64Array(4);
  const x = Float64Array.of(-1, 0, 1, 2);
  const out = new Float64Array(4);

  test.each<[string, () => unknown, string, string]>([
    ["no state", () => (t.kernel() as (...args: unknown[]) => void)(x, a, out), "E_USAGE",
      "r's kernel in training mode takes x, draws of a, out, the generator's state { seed, offset? }, then optionally the parameters { lower, upper }; it was given 3 arguments"],
    ["a state that is not one", () => t.kernel()(x, a, out, 7 as never), "E_USAGE", "a training kernel takes its generator's state { seed, offset? } after the arrays"],
    ["the draws in the input's array", () => t.kernel()(x, x, out, { seed: 1 }), "E_USAGE", "r's kernel in training mode: the draws of a must have an array of their own"],
    ["arrays of two types", () => t.kernel()(x, new Float32Array(4), out, { seed: 1 }), "E_USAGE",
      "r's kernel in training mode takes x, draws of a, out all Float64Array or all Float32Array, not Float64Array, Float32Array, Float64Array"],
    ["parameters that define no distribution", () => t.kernel()(x, a, out, { seed: 1 }, { lower: 0.5, upper: 0.25 }), "E_PARAM",
      "r's 'a' cannot be drawn: its lower bound 0.5 exceeds its upper bound 0.25"],
    ["a parameter that does not exist", () => t.backward()(x, a, out, out, { alpha: 1 }), "E_PARAM", "r has no parameter 'alpha'"],
    ["SIMD", () => t.kernel({ simd: true }), "E_UNSUPPORTED", "training kernels are JavaScript loops; SIMD kernels do not draw"],
    ["a derivative by a random variable", () => t.derivative("a"), "E_USAGE", "r has no input or parameter 'a'"],
  ])("%s", (_what, run, code, summary) => {
    const err = errorOf(run);
    expect([err.code, err.summary]).toEqual([code, summary]);
  });

  test("a failed call draws nothing: the draws array is untouched", () => {
    const fresh = new Float64Array(4).fill(-9);
    errorOf(() => t.kernel()(x, fresh, out, { seed: 1 }, { lower: 1, upper: 0 }));
    expect([...fresh]).toEqual([-9, -9, -9, -9]);
  });
});
