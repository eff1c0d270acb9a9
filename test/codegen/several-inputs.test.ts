import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/api/activation.js";
import * as Q from "../../src/ast/rational.js";
import { reliableValue } from "../../src/numeric/evaluate.js";
import { errorOf } from "../support/errors.js";
import { agreeTo, centralDifference } from "../support/numeric.js";

/**
 * Functions of several scalar inputs — the gated units and definitions written in other styles,
 * with parameters and pieces — go through the same closures, kernels and modules as functions of
 * one: inputs first, in order, then the parameters.
 */
const DEFINITIONS = [
  "glu",
  "swiglu",
  "geglu",
  "gate3(a, b, c; t = 0.5) = a > b ? c * exp(t * a) : b - c^2",
  "mix(u, v; w = 2) = log(1 + exp(u)) * tanh(w * v) + u / (1 + abs(v))",
];

const SPECIAL = [0, -0, 1, -1, 3.5, -7, 20, -20, 40, -40, 710, -745, 1e-8, -1e-300, 1e300, NaN, Infinity, -Infinity];
const point = (inputs: number) => fc.array(fc.oneof(fc.double({ min: -30, max: 30, noNaN: true }), fc.constantFrom(...SPECIAL)), { minLength: inputs, maxLength: inputs });

const same = (a: number, b: number): boolean => Object.is(a, b);

/** The value at double inputs, to 20 digits, from the exact BigNumber evaluation. */
function reference(a: Activation, xs: readonly number[]): number | undefined {
  const env = new Map<string, Q.Rational>(a.inputs.map((name, i) => [name, Q.fromNumber(xs[i]!)]));
  a.params.forEach((p, i) => env.set(p.name, Q.fromNumber(a.paramValues()[i]!)));
  return reliableValue(a.expr, env, 20)?.value.toNumber();
}

describe.each(DEFINITIONS)("%s", (source) => {
  const f = define(source);
  const gradient = f.gradient();
  const n = f.inputs.length;
  const compiled = f.compile();
  const partials = gradient.map((d) => d.compile());

  test("the gradient has one partial derivative per input", () => {
    expect(n).toBeGreaterThan(1);
    expect(gradient).toHaveLength(n);
    gradient.forEach((d, i) => expect(d.expr).toBe(f.derivative(f.inputs[i]!).expr));
  });

  test("compiled f and each partial derivative agree with a 20-digit reference", () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: n, maxLength: n }), (xs) => {
      const pairs = [[f, compiled], ...gradient.map((d, i) => [d, partials[i]!] as const)] as const;
      for (const [a, run] of pairs) {
        const want = reference(a, xs);
        if (want === undefined) continue;
        const got = run(...xs);
        expect(Math.abs(got - want), `${a.label}(${xs}) = ${got}, reference ${want}`).toBeLessThanOrEqual(1e-13 * Math.abs(want) + 1e-15);
      }
    }), { numRuns: 40 });
  });

  test("each partial derivative is the central difference of f in that input (80-digit BigNumber)", () => {
    for (const xs of [[0.3, -1.2, 0.7], [-2.5, 0.4, 1.5], [1.7, 2.9, -0.6]].map((p) => p.slice(0, n))) {
      const env = new Map<string, Q.Rational>(f.inputs.map((name, i) => [name, Q.fromNumber(xs[i]!)]));
      f.params.forEach((p, i) => env.set(p.name, Q.fromNumber(f.paramValues()[i]!)));
      gradient.forEach((d, i) => {
        const exact = reliableValue(d.expr, env, 40)!.value;
        expect(agreeTo(exact, centralDifference(f.expr, f.inputs[i]!, env), 30, 1e-35), `${d.label} at ${xs}`).toBe(true);
      });
    }
  });

  test("valueAndGrad is [f, ∂f/∂x₀, …] bit for bit, and csp closures equal new Function ones", () => {
    const both = f.compileValueAndGrad();
    const csp = f.compile({ csp: true });
    const bothCsp = f.compileValueAndGrad({ csp: true });
    fc.assert(fc.property(point(n), (xs) => {
      const v = both(...xs);
      expect(v).toHaveLength(n + 1);
      expect(same(v[0]!, compiled(...xs)), `f(${xs})`).toBe(true);
      partials.forEach((df, i) => expect(same(v[i + 1]!, df(...xs)), `${gradient[i]!.label}(${xs})`).toBe(true));
      expect(same(csp(...xs), v[0]!)).toBe(true);
      bothCsp(...xs).forEach((w, i) => expect(same(w, v[i]!), `csp result ${i} at ${xs}`).toBe(true));
    }), { numRuns: 80 });
  });

  test("parameters come after the inputs, by name, and are checked", () => {
    if (f.params.length === 0) {
      expect(errorOf(() => compiled(...f.inputs.map(() => 1), { nope: 1 }))).toMatchObject({ code: "E_PARAM" });
      return;
    }
    const p = f.params[0]!.name;
    const xs = f.inputs.map((_, i) => 2.5 - i);
    const other = f.evaluate(...xs, { [p]: 1.25 });
    expect(compiled(...xs, { [p]: 1.25 })).toBeCloseTo(other, 14);
    expect(compiled(...xs, { [p]: 1.25 })).not.toBe(compiled(...xs));
  });

  describe.each([[Float64Array], [Float32Array]] as const)("kernels over %o", (Type) => {
    const count = 300;
    const columns = Array.from({ length: n }, (_, k) => Type.from([
      // Each column pairs the special values differently, so that specials meet specials.
      ...SPECIAL.map((_, i) => SPECIAL[(i + 5 * k) % SPECIAL.length]! * (k % 2 === 0 ? 1 : -0.5)),
      ...fc.sample(fc.double({ min: -8, max: 8, noNaN: true }), { numRuns: count - SPECIAL.length, seed: 7 + k }),
    ]));
    const gradOut = Type.from(Array.from({ length: count }, (_, i) => (i % 7) - 3.25));
    const round = Type === Float32Array ? Math.fround : (x: number) => x;
    const at = (i: number): number[] => columns.map((c) => c[i]!);

    test.each([[false], [true]])("forward, backward and fused equal the closures element by element (csp: %s)", (csp) => {
      const out = new Type(count);
      const grads = columns.map(() => new Type(count));
      const out2 = new Type(count);
      const grads2 = columns.map(() => new Type(count));
      f.kernel({ csp })(...columns, out);
      f.backward({ csp })(...columns, gradOut, ...grads);
      f.fusedKernel({ csp })(...columns, gradOut, out2, ...grads2);
      for (let i = 0; i < count; i++) {
        const want = round(compiled(...at(i)));
        if (!same(out[i]!, want) || !same(out2[i]!, want)) expect.fail(`out[${i}] at ${at(i)}: ${out[i]}, ${out2[i]} vs ${want}`);
        partials.forEach((df, k) => {
          const g = round(gradOut[i]! * df(...at(i)));
          if (!same(grads[k]![i]!, g) || !same(grads2[k]![i]!, g)) expect.fail(`grad ${f.inputs[k]}[${i}] at ${at(i)}: ${grads[k]![i]}, ${grads2[k]![i]} vs ${g}`);
        });
      }
    });

    test("in place: the output may be an input, and a gradient may be gradOut", () => {
      const inputs = columns.map((c) => Type.from(c));
      const expected = new Type(count);
      f.kernel()(...columns, expected);
      f.kernel()(...inputs, inputs[0]!);
      expect(Array.from(inputs[0]!)).toEqual(Array.from(expected));

      const grads = columns.map(() => new Type(count));
      f.backward()(...columns, gradOut, ...grads);
      const g = Type.from(gradOut);
      const rest = columns.slice(1).map(() => new Type(count));
      f.backward()(...columns, g, g, ...rest);
      expect(Array.from(g)).toEqual(Array.from(grads[0]!));
      rest.forEach((r, k) => expect(Array.from(r)).toEqual(Array.from(grads[k + 1]!)));
    });
  });

  test("the emitted module computes the same bits (JavaScript and TypeScript source)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "actdiff-several-"));
    const file = join(dir, "module.mjs");
    writeFileSync(file, f.emitModule());
    const m = await import(pathToFileURL(file).href);
    const ts = f.emitModule({ lang: "ts" });
    expect(ts).toContain(`export function grad(${f.inputs.map((x) => `${x}: number`).join(", ")}`);
    const both = f.compileValueAndGrad();
    for (const xs of fc.sample(point(n), { numRuns: 60, seed: 3 })) {
      expect(same(m.f(...xs), compiled(...xs)), `f(${xs})`).toBe(true);
      const [g, vg, want] = [m.grad(...xs), m.valueAndGrad(...xs), both(...xs)];
      want.forEach((w: number, i: number) => {
        expect(same(vg[i], w), `valueAndGrad[${i}] at ${xs}`).toBe(true);
        if (i > 0) expect(same(g[i - 1], w), `grad[${i - 1}] at ${xs}`).toBe(true);
      });
    }
    const columns = Array.from({ length: n }, (_, k) => Float64Array.from([-3, -0.5, 0, 0.25, 2, 9].map((x) => x * (k + 1))));
    const gradOut = Float64Array.from([1, -2, 0.5, 3, 1, 1]);
    const [out, mine] = [new Float64Array(6), new Float64Array(6)];
    const [grads, mineGrads] = [columns.map(() => new Float64Array(6)), columns.map(() => new Float64Array(6))];
    m.fused(...columns, gradOut, out, ...grads);
    f.fusedKernel()(...columns, gradOut, mine, ...mineGrads);
    expect(Array.from(out)).toEqual(Array.from(mine));
    grads.forEach((g, k) => expect(Array.from(g)).toEqual(Array.from(mineGrads[k]!)));
  });
});

describe("calls with the wrong arguments are usage errors naming the signature", () => {
  const glu = define("glu");
  const a = new Float64Array(3);
  const b = new Float64Array(3);

  test.each([
    ["one input of two", () => glu.compile()(1), "glu takes a, b; it was given 1 argument"],
    ["three numbers", () => glu.compile()(1, 2, 3), "glu takes a, b; the last argument is not a record of parameters"],
    ["a string input", () => glu.compile()(1, "2" as unknown as number), "glu takes a, b; b is not a number"],
    ["a kernel without its output", () => glu.kernel()(a, b), "glu's kernel takes a, b, out; it was given 2 arguments"],
    ["mixed element types", () => glu.kernel()(a, new Float32Array(3), new Float64Array(3)), "glu's kernel takes a, b, out all Float64Array or all Float32Array, not Float64Array, Float32Array, Float64Array"],
    ["different lengths", () => glu.backward()(a, b, new Float64Array(2), a, b), "glu's backward kernel: gradOut has 2 elements and a has 3"],
    ["a non-array", () => glu.fusedKernel()(a, b, [1, 2, 3] as unknown as Float64Array, a, a, b), "glu's fused kernel takes a, b, gradOut, out, grad_a, grad_b"],
  ])("%s", (_what, run, message) => {
    const err = errorOf(run);
    expect(err.code).toBe("E_USAGE");
    expect(err.message).toContain(message);
  });

  test("SIMD kernels take one input: asked for several, the error says so and what to use instead", () => {
    const err = errorOf(() => glu.kernel({ simd: true }));
    expect(err.code).toBe("E_UNSUPPORTED");
    expect(err.message).toContain("SIMD kernels take functions of one input; this one has 2");
    expect(err.hint).toContain("JavaScript kernels");
  });
});
