import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { ulpDistance } from "../../src/audit/ulps.js";
import { vectorActivations } from "../../src/catalog/catalog.js";
import { torchNames } from "../../src/codegen/torch/module.js";
import { PY_DUMP, runTorch } from "../support/torch.js";
import { randomPoints, tempDir } from "./torch-cases.js";

/**
 * `actdiff emit --lang torch` of functions of vectors: row by row along the last dimension, the
 * backward pass actdiff's O(N) vector–Jacobian product. For the catalog's vector activations and
 * user definitions with reductions: gradcheck and gradgradcheck (float64) on random rows and on
 * rows shifted far out (±700, where an unshifted exp overflows); f and the VJP equal actdiff's
 * own row kernels to 4 ulps (the VJP's elements to 4 ulps of the row's largest: sums run in
 * another order); and torch's built-ins agree where there is one.
 */
const { dir, remove } = tempDir();
afterAll(remove);

const SOURCES = [
  ...vectorActivations().map((e) => e.name),
  "centered(x[]) = x - sum(x) / len(x)",
  "tsoftmax(x[]; t = 2) = softmax(x / t)",
  "l2norm(x[]) = x / sqrt(sum(x^2) + 1e-6)",
];
const BUILTIN: Record<string, string> = {
  softmax: "torch.softmax(x, -1)",
  log_softmax: "torch.log_softmax(x, -1)",
  softmin: "torch.nn.functional.softmin(x, -1)",
  logsumexp: "torch.logsumexp(x, -1)",
  maxout: "x.unflatten(-1, (x.shape[-1] // 2, 2)).amax(-1)",
};

/** The gap between a positive double and the next one. */
const ulpOf = (v: number): number => 2 ** (Math.floor(Math.log2(v)) - 52);

const N = 6;
const ROWS = 3;
const rows = (seed: number, shift = 0): number[][] =>
  Array.from({ length: ROWS }, (_, r) => randomPoints(N, seed + r, -4, 4).map((v) => v + shift));

const cases = SOURCES.map((source, i) => {
  const a = define(source);
  const path = join(dir, `v${i}.py`);
  writeFileSync(path, a.emitModule({ lang: "torch" }));
  const names = torchNames(a.name, a.inputs, a.params.map((p) => p.name));
  const m = a.definition.output === undefined ? 1 : (a.name === "maxout" ? N / 2 : N);
  return { source, a, path, names, m, x: rows(10 * i), g: rows(10 * i + 5).map((r) => r.slice(0, m)) };
});

interface Result { readonly failures: string[]; readonly f: number[][] | number[]; readonly vjp: number[][]; readonly builtin?: number }

const results = runTorch<Record<string, Result>>(`${PY_DUMP}
import importlib.util
data = json.load(sys.stdin)
out = {}
for case in data["cases"]:
    spec = importlib.util.spec_from_file_location(case["id"], case["path"])
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    f = getattr(m, case["functional"])
    failures = []
    for name, shift in (("random", 0.0), ("shifted +700", 700.0), ("shifted -700", -700.0)):
        x = (torch.tensor(case["x"]) + shift).requires_grad_()
        for what, check in (("gradcheck", torch.autograd.gradcheck), ("gradgradcheck", torch.autograd.gradgradcheck)):
            try:
                check(lambda x: f(x), (x,), eps=1e-6, atol=1e-5, rtol=1e-3)
            except Exception as e:
                failures.append(name + " " + what + ": " + str(e)[:1000])
    x = torch.tensor(case["x"], requires_grad=True)
    y = f(x)
    g = torch.tensor(case["g"]) if y.dim() == 2 else torch.tensor(case["g"]).reshape(-1)
    (vjp,) = torch.autograd.grad(y, x, g)
    result = {"failures": failures, "f": y.tolist(), "vjp": vjp.tolist()}
    if case["builtin"]:
        x2 = torch.tensor(case["x"], requires_grad=True)
        y2 = eval(case["builtin"], {"torch": torch, "x": x2})
        (vjp2,) = torch.autograd.grad(y2, x2, g)
        result["builtin"] = max(float((y - y2).abs().max()), float((vjp - vjp2).abs().max()))
    out[case["id"]] = result
dump(out)
`, { cases: cases.map((c, i) => ({ id: `v${i}`, path: c.path, functional: c.names.functional, x: c.x, g: c.g, builtin: BUILTIN[c.source] ?? "" })) });

describe.each(cases.map((c, i) => [c.source, c, i] as const))("%s", (_source, c, i) => {
  const result = results[`v${i}`]!;

  test("gradcheck and gradgradcheck pass on random rows and on rows shifted to ±700", () => {
    expect(result.failures).toEqual([]);
  });

  test("f and its vector–Jacobian product equal actdiff's row kernels to 4 ulps", () => {
    const forward = c.a.kernel();
    const backward = c.a.backward();
    const bad: string[] = [];
    c.x.forEach((row, r) => {
      const out = new Float64Array(c.m);
      forward(Float64Array.from(row), out, N);
      const grad = new Float64Array(N);
      backward(Float64Array.from(row), Float64Array.from(c.g[r]!), grad, N);
      const f = c.m === 1 && c.a.definition.output === undefined ? [(result.f as number[])[r]!] : (result.f as number[][])[r]!;
      [...out].forEach((want, k) => {
        if (!(ulpDistance(f[k]!, want, "float64") <= 4)) bad.push(`f row ${r} [${k}]: ${f[k]} vs ${want}`);
      });
      // torch sums a row in another order than the kernel's loop, and the VJP's g_i − Σ g_k s_k
      // cancels: an element is within 4 ulps, or within 4 ulps of the row's largest one.
      const scale = Math.max(...[...grad].map(Math.abs));
      [...grad].forEach((want, k) => {
        const have = result.vjp[r]![k]!;
        if (!(ulpDistance(have, want, "float64") <= 4 || Math.abs(have - want) <= 4 * ulpOf(scale))) bad.push(`vjp row ${r} [${k}]: ${have} vs ${want}`);
      });
    });
    expect(bad).toEqual([]);
  });

  test.runIf(BUILTIN[c.source] !== undefined)("agrees with torch's built-in, forward and backward", () => {
    expect(result.builtin).toBeLessThan(1e-14);
  });
});
