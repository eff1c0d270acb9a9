import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Activation, define } from "../../src/api/activation.js";
import { int } from "../../src/ast/build.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { loopSource } from "../../src/codegen/kernels.js";
import { lower } from "../../src/codegen/program.js";
import { ActdiffError } from "../../src/errors.js";
import { expressionArbitraries, x } from "../support/arbitraries.js";
import { errorOf } from "../support/errors.js";

/**
 * Kernels against the scalar closures, bit for bit: out[i] === f(x[i]) for Float64Array,
 * out[i] === fround(f(x[i])) for Float32Array (compute in float64, round once on the store),
 * gradIn[i] === gradOut[i] * f′(x[i]); and the fused closure against the separate ones.
 */
const SPECIAL = [
  0, -0, 1, -1, 1000, -1000, 1e-300, -1e-300, 5e-324, -5e-324, 1e-8, -1e-8, 20, -20, 40, -40, 710, -710, 745, -745,
  6, 1e308, -1e308, NaN, Infinity, -Infinity, 0.5, -1.2784645427610738,
];

/** The special points, then `count` random doubles: half uniform in [-8, 8], half anywhere. */
function points(count: number, seed: number): number[] {
  const rng = fc.sample(fc.oneof(fc.double({ min: -8, max: 8, noNaN: true }), fc.double()), { numRuns: count, seed });
  return [...SPECIAL, ...rng];
}

const CATALOG = oneInputActivations().map((e) => e.name);

/** Parameter sets to try: the defaults, and each parameter set to a few other values. */
function paramSets(f: Activation): (Record<string, number> | undefined)[] {
  const sets: (Record<string, number> | undefined)[] = [undefined];
  for (const p of f.params) for (const v of [0.3, -2, 1.5]) sets.push({ [p.name]: v });
  return sets;
}

/** Each element type, and how its kernels round: float32 kernels compute in float64 and round once, on the store. */
const DTYPES = [
  { dtype: "float64", Type: Float64Array, round: (v: number): number => v },
  { dtype: "float32", Type: Float32Array, round: Math.fround },
] as const;

const same = (a: ArrayLike<number>, b: ArrayLike<number>): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`element ${i}: ${a[i]} !== ${b[i]}`);
  }
};

describe.each(CATALOG)("%s: kernels equal the scalar closures bit for bit", (name) => {
  const f = define(name);
  const [fn, dfn] = [f.compile(), f.derivative().compile()];
  const [kernel, backward, fused] = [f.kernel(), f.backward(), f.fusedKernel()];
  const xs = points(400, name.length);
  const gs = points(400, 7).reverse();

  for (const { dtype, Type, round } of DTYPES) {
    test.each(paramSets(f).map((p) => [JSON.stringify(p ?? "defaults"), p] as const))(`${dtype}, params %s`, (_, params) => {
      const x = Type.from(xs);
      const g = Type.from(gs);
      const [out, gradIn, out2, gradIn2] = [0, 0, 0, 0].map(() => new Type(xs.length));
      kernel(x, out!, params);
      backward(x, g, gradIn!, params);
      fused(x, g, out2!, gradIn2!, params);
      const want = Array.from(x, (v) => round(fn(v, params)));
      const wantGrad = Array.from(x, (v, i) => round(g[i]! * dfn(v, params)));
      same(out!, want);
      same(gradIn!, wantGrad);
      same(out2!, want);
      same(gradIn2!, wantGrad);
    });
  }

  test("in place: outputs may alias inputs", () => {
    const x64 = Float64Array.from(xs);
    const g64 = Float64Array.from(gs);
    const out = new Float64Array(xs.length);
    const gradIn = new Float64Array(xs.length);
    fused(x64, g64, out, gradIn);
    const inPlace = Float64Array.from(xs);
    kernel(inPlace, inPlace);
    same(inPlace, out);
    // fused with out = x and gradIn = gradOut: every input of an element is read before it is written.
    const [xa, ga] = [Float64Array.from(xs), Float64Array.from(gs)];
    fused(xa, ga, xa, ga);
    same(xa, out);
    same(ga, gradIn);
  });
});

describe("fused and separate closures agree bit for bit", () => {
  test.each(CATALOG)("%s", (name) => {
    const f = define(name);
    const [fn, dfn, both] = [f.compile(), f.derivative().compile(), f.compileValueAndGrad()];
    for (const params of paramSets(f)) {
      for (const v of points(300, 3)) {
        const [value, grad] = both(v, params);
        if (!Object.is(value, fn(v, params)) || !Object.is(grad, dfn(v, params))) {
          expect.fail(`${name}(${v}, ${JSON.stringify(params)}): fused [${value}, ${grad}], separate [${fn(v, params)}, ${dfn(v, params)}]`);
        }
      }
    }
  });

  test("random expressions over every builtin, with piecewise values, conditions and a parameter", () => {
    const { value } = expressionArbitraries(3);
    fc.assert(fc.property(value, fc.array(fc.oneof(fc.double(), fc.constantFrom(...SPECIAL)), { minLength: 1, maxLength: 8 }), fc.double({ min: -3, max: 3 }), (body, at, beta) => {
      const f = new Activation({ name: "f", inputs: ["x"], params: [{ name: "beta", defaultValue: int(2) }], body, source: "" }, body);
      const [fn, dfn, both] = [f.compile(), f.derivative().compile(), f.compileValueAndGrad()];
      for (const v of at) {
        const [value, grad] = both(v, { beta });
        expect(Object.is(value, fn(v, { beta })) && Object.is(grad, dfn(v, { beta })), `at ${v}`).toBe(true);
      }
    }), { numRuns: 300, seed: 4 });
  });

  test("kernels of random expressions equal their closures", () => {
    const { value } = expressionArbitraries(3);
    fc.assert(fc.property(value, fc.array(fc.oneof(fc.double(), fc.constantFrom(...SPECIAL)), { minLength: 1, maxLength: 16 }), (body, at) => {
      const f = new Activation({ name: "f", inputs: ["x"], params: [{ name: "beta", defaultValue: int(2) }], body, source: "" }, body);
      const [fn, dfn] = [f.compile(), f.derivative().compile()];
      const xs = Float64Array.from(at);
      const gs = xs.map((_, i) => i - 3.5);
      const [out, gradIn] = [new Float64Array(xs.length), new Float64Array(xs.length)];
      f.fusedKernel()(xs, gs, out, gradIn);
      same(out, Array.from(xs, (v) => fn(v)));
      same(gradIn, Array.from(xs, (v, i) => gs[i]! * dfn(v)));
    }), { numRuns: 150, seed: 5 });
  });
});

describe("the generated loop", () => {
  const f = define("f(x; a = 2) = a * x^2 + x / (1 + abs(x))");
  const signature = { inputs: ["x"], params: ["a"] };

  test("has the formula inlined in the loop body, parameters read once before it", () => {
    expect(loopSource(lower([f.expr], signature), "forward", { name: "k" })).toBe([
      "function k(x, out, n, ps) {",
      "  const p0 = ps[0];",
      "  for (let i = 0; i < n; i++) {",
      "    const x0 = x[i];",
      "    out[i] = p0 * (x0 * x0) + x0 / (1 + Math.abs(x0));",
      "  }",
      "}",
    ].join("\n"));
  });

  test("backward multiplies gradOut by the whole derivative: parentheses where a sum needs them", () => {
    const d = lower([define("f(x; a = 2) = a * x^2 + x").derivative().expr], signature);
    expect(loopSource(d, "backward", { name: "k" })).toContain("gradIn[i] = gradOut[i] * (1 + 2 * p0 * x0);");
  });

  test("a piecewise derivative is multiplied by gradOut in each branch, as hand-written loops do", () => {
    const elu = define("elu");
    const eluSignature = { inputs: ["x"], params: ["alpha"] };
    const both = lower([elu.expr, elu.derivative().expr], eluSignature);
    const source = loopSource(both, "fused", { name: "k" });
    expect(source).toContain("t1 = g;");
    expect(source).toMatch(/t1 = g \* [^;]+;/);
    expect(source).toContain("gradIn[i] = t1;");
    const backward = loopSource(lower([elu.derivative().expr], eluSignature), "backward", { name: "k" });
    expect(backward).toContain("const g = gradOut[i];");
    expect(backward).toMatch(/gradIn\[i\] = t\d+;/);
  });

  test("a gradient temp that f reads too is multiplied after the branches", () => {
    // f = x·p with p = (x >= 0 ? 1 : 2) and f′ = p: f reads p's temp, so it cannot hold g·p.
    const f = define("f(x) = x * (x >= 0 ? 1 : 2)");
    const roots = [f.expr, f.derivative().expr];
    const source = loopSource(lower(roots, { inputs: ["x"], params: [] }), "fused", { name: "k" });
    expect(source).toContain("out[i] = x0 * t0;");
    expect(source).toContain("gradIn[i] = g * t0;");
  });
});

describe("kernel arguments", () => {
  const f = define("elu");
  const kernel = f.kernel();


  test("arrays of two element types are refused, with the types named", () => {
    const e = errorOf(() => kernel(new Float64Array(3), new Float32Array(3)));
    expect(e.code).toBe("E_USAGE");
    expect(e.summary).toBe("kernel takes x, out all Float64Array or all Float32Array, not Float64Array, Float32Array");
  });

  test("plain arrays are refused", () => {
    const e = errorOf(() => f.backward()([1, 2] as unknown as Float64Array, new Float64Array(2), new Float64Array(2)));
    expect(e.summary).toBe("backward takes x, gradOut, gradIn all Float64Array or all Float32Array, not Array, Float64Array, Float64Array");
  });

  test("lengths must match", () => {
    const e = errorOf(() => f.fusedKernel()(new Float32Array(4), new Float32Array(4), new Float32Array(3), new Float32Array(4)));
    expect(e.summary).toBe("fusedKernel: out has 3 elements and x has 4; they must have the same length");
  });

  test("parameters are checked by name, as for compile()", () => {
    const e = errorOf(() => kernel(new Float64Array(1), new Float64Array(1), { alpah: 2 }));
    expect(e.code).toBe("E_PARAM");
    expect(e.summary).toBe("elu has no parameter 'alpah'");
  });

  test("a parameter without a default must be given", () => {
    const g = define("f(x; a) = a * x");
    expect(() => g.kernel()(new Float64Array(1), new Float64Array(1))).toThrow(ActdiffError);
    const out = new Float64Array(2);
    g.kernel()(Float64Array.of(2, 3), out, { a: 4 });
    expect([...out]).toEqual([8, 12]);
  });

  test("empty arrays are fine", () => {
    expect(() => kernel(new Float64Array(0), new Float64Array(0))).not.toThrow();
  });
});
