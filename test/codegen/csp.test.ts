import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Activation, define } from "../../src/api/activation.js";
import { int } from "../../src/ast/build.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { expressionArbitraries } from "../support/arbitraries.js";

/**
 * `compile({ csp: true })` interprets the same Program as a tree of closures instead of printing
 * and evaluating it: results must be the same bits as the `new Function` path, and building
 * and running it must not generate code from strings at all.
 */
const SPECIAL = [
  0, -0, 1, -1, 1000, -1000, 1e-300, -1e-300, 5e-324, 1e-8, -1e-8, 20, -20, 40, -40, 710, -710, 745, -745,
  6, 1e308, -1e308, NaN, Infinity, -Infinity,
];
const at = fc.array(fc.oneof(fc.double(), fc.double({ min: -8, max: 8 }), fc.constantFrom(...SPECIAL)), { minLength: 1, maxLength: 12 });

describe.each(oneInputActivations().map((e) => e.name))("%s: csp and new Function agree bit for bit", (name) => {
  const f = define(name);
  const d = f.derivative();
  const pairs = [
    [f.compile(), f.compile({ csp: true })],
    [d.compile(), d.compile({ csp: true })],
  ] as const;
  const [both, bothCsp] = [f.compileValueAndGrad(), f.compileValueAndGrad({ csp: true })];
  const params = [undefined, ...f.params.map((p) => ({ [p.name]: -0.75 }))];

  test("f, f′ and the fused closure", () => {
    fc.assert(fc.property(at, fc.constantFrom(...params), (xs, p) => {
      for (const v of xs) {
        for (const [plain, csp] of pairs) expect(Object.is(csp(v, p), plain(v, p)), `at ${v}`).toBe(true);
        const [a, b] = [both(v, p), bothCsp(v, p)];
        expect(Object.is(a[0], b[0]) && Object.is(a[1], b[1]), `at ${v}`).toBe(true);
      }
    }), { numRuns: 60, seed: name.length });
  });

  test("kernels, float64 and float32", () => {
    const xs = [...SPECIAL, ...fc.sample(fc.double({ min: -8, max: 8 }), { numRuns: 200, seed: 1 })];
    for (const Type of [Float64Array, Float32Array]) {
      const x = Type.from(xs);
      const g = Type.from(xs.map((_, i) => (i % 7) - 3.25));
      const run = (csp: boolean) => {
        const [out, gradIn, out2, gradIn2] = [0, 0, 0, 0].map(() => new Type(xs.length));
        f.kernel({ csp })(x, out!);
        f.backward({ csp })(x, g, gradIn!);
        f.fusedKernel({ csp })(x, g, out2!, gradIn2!);
        return [out, gradIn, out2, gradIn2].map((a) => Array.from(a!));
      };
      const [plain, csp] = [run(false), run(true)];
      plain.forEach((arr, k) => arr.forEach((v, i) => {
        if (!Object.is(v, csp[k]![i])) expect.fail(`${Type.name} array ${k} element ${i} (x = ${x[i]}): ${v} vs ${csp[k]![i]}`);
      }));
    }
  });
});

describe("random expressions", () => {
  test("every builtin, piecewise values and conditions: csp equals new Function bit for bit", () => {
    const { value } = expressionArbitraries(4);
    fc.assert(fc.property(value, at, fc.double({ min: -4, max: 4 }), (body, xs, beta) => {
      const f = new Activation({ name: "f", inputs: ["x"], params: [{ name: "beta", defaultValue: int(1) }], body, source: "" }, body);
      const [plain, csp] = [f.compile(), f.compile({ csp: true })];
      for (const v of xs) expect(Object.is(csp(v, { beta }), plain(v, { beta })), `at ${v}`).toBe(true);
    }), { numRuns: 400, seed: 11 });
  });

  test("their derivatives and fused closures too", () => {
    const { value } = expressionArbitraries(3);
    fc.assert(fc.property(value, at, (body, xs) => {
      const f = new Activation({ name: "f", inputs: ["x"], params: [{ name: "beta", defaultValue: int(3) }], body, source: "" }, body);
      const [plain, csp] = [f.compileValueAndGrad(), f.compileValueAndGrad({ csp: true })];
      for (const v of xs) {
        const [a, b] = [plain(v), csp(v)];
        expect(Object.is(a[0], b[0]) && Object.is(a[1], b[1]), `at ${v}`).toBe(true);
      }
    }), { numRuns: 200, seed: 12 });
  });
});

describe("no code generation from strings", () => {
  test("compile({ csp: true }) and csp kernels run where eval and new Function throw", () => {
    // V8's own switch: with it, eval and new Function throw EvalError, as under a CSP without 'unsafe-eval'.
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const script = `
      import { define } from "./src/index.ts";
      let blocked = false;
      try { new Function("return 1"); } catch { blocked = true; }
      const f = define("swish");
      const out = new Float64Array(2);
      f.kernel({ csp: true })(Float64Array.of(-1, 2), out);
      const [v, g] = f.compileValueAndGrad({ csp: true })(2);
      let refused = "";
      try { f.compile(); } catch (e) { refused = e.constructor.name; }
      console.log(JSON.stringify({ blocked, csp: f.compile({ csp: true })(2), v, g, out: [...out], refused }));
    `;
    const r = spawnSync(process.execPath, ["--disallow-code-generation-from-strings", "--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    const result = JSON.parse(r.stdout) as { blocked: boolean; csp: number; v: number; g: number; out: number[]; refused: string };
    const f = define("swish");
    expect(result).toEqual({
      blocked: true, csp: f.compile()(2), v: f.compile()(2), g: f.derivative().compile()(2),
      out: [f.compile()(-1), f.compile()(2)], refused: "EvalError",
    });
  });
});
