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
