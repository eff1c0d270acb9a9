/**
 * The browser bundle of the playground (src/playground/main.ts): the library itself, with
 * KaTeX, d3 and the part of mathjs it needs, in one minified classic script — Chromium loads
 * no module script from file://. Platform "browser" makes a node: import (or fs, path …)
 * a build error rather than a broken page. Run by `npm run build`; `actdiff docs` copies the
 * result next to playground.html.
 *
 *   node --import tsx scripts/bundle.ts [outfile]
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ENTRY = join(ROOT, "src/playground/main.ts");
export const DEFAULT_OUTFILE = join(ROOT, "dist/playground/actdiff-playground.js");

/**
 * A module with a `.browser.ts` sibling (src/numeric/mathjs-loader.ts) is replaced by it: the
 * one place where the library does something node-only, chosen per platform like package.json's
 * "browser" field.
 */
const browserSiblings: Plugin = {
  name: "browser-siblings",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      const sibling = resolve(args.resolveDir, args.path.replace(/\.js$/, ".browser.ts"));
      return existsSync(sibling) ? { path: sibling } : undefined;
    });
  },
};

export interface BundleResult {
  readonly outfile: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Every file that went into the bundle, relative to the project. */
  readonly inputs: readonly string[];
}

export async function bundlePlayground(outfile = DEFAULT_OUTFILE): Promise<BundleResult> {
  const result = await build({
    entryPoints: [ENTRY], outfile, bundle: true, minify: true, format: "iife", platform: "browser", target: "es2022",
    plugins: [browserSiblings], metafile: true, legalComments: "eof", logLevel: "silent", absWorkingDir: ROOT,
  });
  const code = readFileSync(outfile);
  return { outfile, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, inputs: Object.keys(result.metafile.inputs).sort() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? DEFAULT_OUTFILE);
  const r = await bundlePlayground(out);
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`playground bundle: ${kb(r.bytes)} minified, ${kb(r.gzipBytes)} gzipped, ${r.inputs.length} modules -> ${dirname(out) === dirname(DEFAULT_OUTFILE) ? "dist/playground/" : dirname(out) + "/"}`);
}
