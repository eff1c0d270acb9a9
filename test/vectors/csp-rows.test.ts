import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/api/activation.js";
import type { VectorFunction } from "../../src/api/vector-activation.js";
import { rowSpec } from "../../src/api/vector-activation.js";
import { printRowPlan } from "../../src/codegen/row-plan.js";
import { rowPlan, rowSource } from "../../src/codegen/rows.js";

/**
 * Row kernels without `new Function` ({ csp: true }): the row plan run as closures gives the
 * printed code's bits, for every kind of kernel, both element types, and rows holding ties,
 * NaN, ±∞ and values that overflow exp — the cases where an order of operations would show.
 */
const DEFINITIONS = [
  "softmax", "log_softmax", "softmin", "logsumexp", "maxout",
  "l2(x[]) = x / norm(x)",
  "tempered(x[]; t = 2) = exp(x / t) / sum(exp(x / t))",
  "spread(x[]) = mean(x) - min(x)",
  "cosine(x[], y[]) = sum(x * y) / (norm(x) * norm(y))",
  "groups(z[]; k = 3) = groupmax(z, k) - logsumexp(z)",
  "gated(x[]) = sigmoid(x) / max(sigmoid(x))",
];

const element = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0, 1, 1, 1, -1, 745, -745, 1e308) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
);

/** A few rows of length n (a multiple of 6, so that groups of 2 and of 3 fit). */
const rowsOf = fc.record({ rows: fc.integer({ min: 1, max: 3 }), groups: fc.integer({ min: 1, max: 4 }) })
  .chain(({ rows, groups }) => fc.array(element, { minLength: rows * groups * 6, maxLength: rows * groups * 6 }).map((data) => ({ n: groups * 6, data })));

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

type Kernel = (...args: unknown[]) => void;
type Make = (f: Activation, options: { csp?: boolean }) => Kernel;
const KINDS: readonly { kind: string; make: Make; inputs: (f: Activation) => number; outputs: (f: Activation) => number; gradOut: boolean }[] = [
  { kind: "forward", make: (f, o) => f.kernel(o) as unknown as Kernel, inputs: (f) => f.inputs.length, outputs: () => 1, gradOut: false },
  { kind: "backward", make: (f, o) => f.backward(o) as unknown as Kernel, inputs: (f) => f.inputs.length, outputs: (f) => f.inputs.length, gradOut: true },
  { kind: "fused", make: (f, o) => f.fusedKernel(o) as unknown as Kernel, inputs: (f) => f.inputs.length, outputs: (f) => f.inputs.length + 1, gradOut: true },
];

describe("the row plan run as closures equals the generated code, bit for bit", () => {
  for (const text of DEFINITIONS) {
    const f = define(text);
    for (const { kind, make, inputs, outputs, gradOut } of KINDS) {
      for (const Type of [Float64Array, Float32Array]) {
        test(`${f.name} ${kind} ${Type.name}`, () => {
          const [plain, csp] = [make(f, {}), make(f, { csp: true })];
          const perRow = (n: number): number => (f.definition.output === undefined ? 1 : Math.round(n / (f.name === "maxout" ? 2 : f.name === "groups" ? 3 : 1)));
          fc.assert(fc.property(rowsOf, ({ n, data }) => {
            const rows = data.length / n;
            const m = perRow(n) * rows;
            const typed = (xs: number[]): Float64Array | Float32Array => (Type === Float64Array ? Float64Array.from(xs) : Float32Array.from(xs));
            const vectors = Array.from({ length: inputs(f) }, (_, v) => typed(data.map((x, i) => (v === 0 ? x : data[(i * 7 + 3) % data.length]!))));
            const grad = gradOut ? [typed(Array.from({ length: m }, (_, i) => data[(i * 5 + 1) % data.length]! / 3))] : [];
            const lengths = kind === "forward" ? [m] : kind === "backward" ? vectors.map(() => data.length) : [m, ...vectors.map(() => data.length)];
            const run = (kernel: Kernel): (Float64Array | Float32Array)[] => {
              const outs = Array.from({ length: outputs(f) }, (_, o) => typed(new Array<number>(lengths[o]!).fill(0)));
              kernel(...vectors, ...grad, ...outs, n);
              return outs;
            };
            const [a, b] = [run(plain), run(csp)];
            a.forEach((out, o) => expect(sameBits(out, b[o]!), `output ${o}`).toBe(true));
          }), { numRuns: 40, seed: 7 });
        });
      }
    }
  }
});

describe("the plan is what the printer prints", () => {
  test("printRowPlan(rowPlan(spec)) is rowSource's code", () => {
    const f = define("maxout");
    const spec = rowSpec(f, "fused");
    expect(printRowPlan("F", rowPlan(spec))).toBe(rowSource("F", spec).source);
  });
});

describe("closures and Jacobians of vectors under { csp: true }", () => {
  test("compile and jacobian give the generated code's values", () => {
    for (const name of ["softmax", "log_softmax", "logsumexp", "maxout"]) {
      const f = define(name);
      const x = [3, -1, 745, 745, 0.5, -2];
      const [plain, csp] = [f.compile() as unknown as VectorFunction, f.compile({ csp: true }) as unknown as VectorFunction];
      expect(csp(x)).toEqual(plain(x));
      expect(f.jacobian({ csp: true })(x)).toEqual(f.jacobian()(x));
    }
  });

  test("they run where eval and new Function throw", () => {
    // V8's own switch: with it, eval and new Function throw EvalError, as under a CSP without 'unsafe-eval'.
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const script = `
      import { define } from "./src/index.ts";
      const softmax = define("softmax"), maxout = define("maxout");
      const s = softmax.compile({ csp: true })([1, 2, 3]);
      const j = maxout.jacobian({ csp: true })([1, 4, 3, 2]);
      const out = new Float32Array(4), grad = new Float32Array(4);
      softmax.fusedKernel({ csp: true })(Float32Array.of(0, 1, 2, 3), Float32Array.of(1, 0, 0, 0), out, grad, 4);
      let refused = "";
      try { softmax.compile()([1, 2]); } catch (e) { refused = e.constructor.name; }
      console.log(JSON.stringify({ s, j, out: [...out], grad: [...grad], refused }));
    `;
    const r = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", "--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    const result = JSON.parse(r.stdout) as { s: number[]; j: number[][]; out: number[]; grad: number[]; refused: string };
    const softmax = define("softmax");
    const [out, grad] = [new Float32Array(4), new Float32Array(4)];
    softmax.fusedKernel()(Float32Array.of(0, 1, 2, 3), Float32Array.of(1, 0, 0, 0), out, grad, 4);
    expect(result).toEqual({
      s: (softmax.compile() as unknown as VectorFunction)([1, 2, 3]),
      j: [[0, 1, 0, 0], [0, 0, 1, 0]],
      out: [...out], grad: [...grad], refused: "EvalError",
    });
  });

  test("SIMD row kernels do not combine with the CSP path (test/vectors/simd-rows.test.ts tests them)", () => {
    expect(() => define("softmax").kernel({ simd: true, csp: true })).toThrow(/do not combine/);
  });
});
