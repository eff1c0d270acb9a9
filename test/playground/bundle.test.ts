import { builtinModules } from "node:module";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, test } from "vitest";
import { bundlePlayground, type BundleResult } from "../../scripts/bundle.js";

/** The browser bundle is the library itself, with nothing of node in it. */
const dir = mkdtempSync(join(tmpdir(), "actdiff-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe("the playground's browser bundle", () => {
  let bundle: BundleResult;

  test("builds for platform browser, one classic script", async () => {
    bundle = await bundlePlayground(join(dir, "actdiff-playground.js"));
    const code = readFileSync(bundle.outfile, "utf8");
    // An IIFE: Chromium runs no module script from file://.
    expect(/^("use strict";)?\(\(\)=>\{/.test(code), code.slice(0, 40)).toBe(true);
    expect(bundle.bytes).toBeGreaterThan(100_000);
    console.log(`playground bundle: ${bundle.bytes} bytes minified, ${bundle.gzipBytes} gzipped`);
  }, 60_000);

  test("the worker's code beside it: a classic script that holds it as a string, with all of mathjs", () => {
    const engine = readFileSync(bundle.engine.outfile, "utf8");
    expect(bundle.engine.outfile).toBe(join(dir, "actdiff-engine.js"));
    const source = /^globalThis\.actdiffEngineSource=("(?:[^"\\]|\\.)*");\n$/s.exec(engine)?.[1];
    expect(source).toBeDefined();
    expect(JSON.parse(source!)).toMatch(/^("use strict";)?\(\(\)=>\{/);
    expect(bundle.engine.inputs).toEqual(expect.arrayContaining(["src/playground/worker.ts", "src/numeric/mathjs-loader.worker.ts", "src/audit/audit.ts", "src/verify/verify.ts"]));
    expect(bundle.engine.inputs.filter((i) => i.startsWith("src/cli/") || i.startsWith("node:") || NODE_BUILTINS.has(i) || i === "src/numeric/mathjs-loader.ts")).toEqual([]);
    // The page's own bundle stays without the BigNumber reference, the audit and the worker.
    expect(bundle.inputs.filter((i) => i === "src/numeric/mathjs-loader.worker.ts" || i.startsWith("src/audit/") || i === "src/playground/engine.ts")).toEqual([]);
    console.log(`playground worker: ${bundle.engine.bytes} bytes minified, ${bundle.engine.gzipBytes} gzipped`);
  });

  test("holds the library's own modules, and no node builtin nor the CLI", () => {
    const inputs = bundle.inputs;
    expect(inputs).toEqual(expect.arrayContaining(["src/api/activation.ts", "src/playground/model.ts", "src/numeric/mathjs-loader.browser.ts"]));
    expect(inputs.filter((i) => NODE_BUILTINS.has(i) || i.startsWith("node:"))).toEqual([]);
    expect(inputs.filter((i) => i.startsWith("src/cli/") || i === "src/docs/site.ts" || i === "src/numeric/mathjs-loader.ts")).toEqual([]);
    // Modules a dependency's package.json "browser" field maps to nothing (decimal.js's optional crypto) are empty stubs.
    for (const stub of inputs.filter((i) => i.startsWith("(disabled):"))) expect(NODE_BUILTINS.has(stub.slice("(disabled):".length)), stub).toBe(true);
  });

  test("a node: import in browser code is a build error, not a broken page", async () => {
    const entry = join(dir, "uses-fs.ts");
    writeFileSync(entry, `import { readFileSync } from "node:fs";\nconsole.log(readFileSync);\n`);
    await expect(build({ entryPoints: [entry], bundle: true, write: false, platform: "browser", logLevel: "silent" })).rejects.toThrow(/node:fs/);
  });
});
