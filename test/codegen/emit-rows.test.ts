import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { errorOf } from "../support/errors.js";

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

test("TypeScript modules of vector functions are declined, not emitted half-typed", () => {
  expect(errorOf(() => define("softmax").emitModule({ lang: "ts" })).code).toBe("E_UNSUPPORTED");
});
