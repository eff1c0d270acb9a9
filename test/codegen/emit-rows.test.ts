import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { strictlyTyped, stripTypes } from "../support/typescript.js";

/** The standalone module of a function of vectors computes the row kernels' bits. */
describe.each(["softmax", "log_softmax", "logsumexp", "maxout"])("%s module", (name) => {
  test("kernel, backward and fused equal the library's row kernels bit for bit", async () => {
    const f = define(name);
    const dir = mkdtempSync(join(tmpdir(), "actdiff-rows-"));
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, f.emitModule());
    const m = await import(pathToFileURL(file).href);
    const n = 6;
    const rows = 3;
    const outLength = name === "logsumexp" ? 1 : name === "maxout" ? 3 : 6;
    const x = Float64Array.from({ length: n * rows }, (_, i) => Math.sin(i * 1.7) * 40 + (i === 4 ? 800 : 0));
    const g = Float64Array.from({ length: outLength * rows }, (_, i) => Math.cos(i));
    const run = (kernel: (...a: unknown[]) => void, fused: (...a: unknown[]) => void) => {
      const [out, gx] = [new Float64Array(outLength * rows), new Float64Array(n * rows)];
      fused(x, g, out, gx, n);
      const out2 = new Float64Array(outLength * rows);
      kernel(x, out2, n);
      return [...out, ...gx, ...out2];
    };
    expect(run(m.kernel, m.fused)).toEqual(run(f.kernel() as never, f.fusedKernel() as never));
    expect(() => m.kernel(x, new Float32Array(outLength * rows), n)).toThrow(TypeError);
  });
});

describe("--lang ts", () => {
  const sources = ["softmax", "log_softmax", "logsumexp", "maxout", "tanhnorm(x[]; t = 2) = tanh(x / t) / sum(tanh(x / t)^2)"];

  test("type-checks under strict settings, and runs with the library's bits once its types are stripped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "actdiff-rows-ts-"));
    const { messages, javascript } = strictlyTyped(dir, sources.map((s) => define(s).emitModule({ lang: "ts" })));
    expect(messages).toEqual([]);
    for (const [i, s] of sources.entries()) {
      const file = join(dir, `rows${i}.mjs`);
      writeFileSync(file, javascript[i]!);
      const m = await import(pathToFileURL(file).href);
      const f = define(s);
      const n = 6;
      const outLength = s === "logsumexp" ? 1 : s === "maxout" ? 3 : 6;
      const x = Float32Array.from({ length: 2 * n }, (_, k) => Math.sin(k * 2.3) * 30);
      const g = Float32Array.from({ length: 2 * outLength }, (_, k) => Math.cos(k));
      const [o1, d1, o2, d2] = [new Float32Array(2 * outLength), new Float32Array(2 * n), new Float32Array(2 * outLength), new Float32Array(2 * n)];
      m.fused(x, g, o1, d1, n);
      (f.fusedKernel() as unknown as (...a: unknown[]) => void)(x, g, o2, d2, n);
      expect([...o1, ...d1]).toEqual([...o2, ...d2]);
    }
  });

  test("the TypeScript module is the JavaScript one with types: the same statements", () => {
    const strip = (text: string): string => stripTypes(text, { removeComments: true });
    const f = define("softmax");
    expect(strip(f.emitModule({ lang: "ts" }))).toBe(strip(f.emitModule()));
  });
});

describe("maxout's module checks its group size as the library does", () => {
  test("k = 0.5, −2 and 0 are refused (n / k would be whole), k = 3 runs; with --simd too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "actdiff-rows-k-"));
    const f = define("maxout");
    for (const [i, simd] of [false, true].entries()) {
      const file = join(dir, `maxout${i}.mjs`);
      writeFileSync(file, f.emitModule({ simd }));
      const m = await import(pathToFileURL(file).href);
      const kernels = simd ? [m.kernel, m.simdKernels().kernel] : [m.kernel];
      const x = Float64Array.from({ length: 12 }, (_, k) => Math.sin(k));
      for (const kernel of kernels) {
        for (const k of [0.5, -2, 0]) {
          expect(() => kernel(x, new Float64Array(24), 6, k), `k = ${k}`).toThrow(/the group size k is .*; groups take a positive whole number of elements/);
          expect(() => f.kernel()(x, new Float64Array(24), 6, { k })).toThrow(/groups take a positive whole number of elements/);
        }
        const [mine, library] = [new Float64Array(4), new Float64Array(4)];
        kernel(x, mine, 6, 3);
        f.kernel()(x, library, 6, { k: 3 });
        expect([...mine]).toEqual([...library]);
      }
    }
  });
});
