/**
 * The browser bundle of the playground (src/playground/main.ts): the library itself, with
 * KaTeX, d3 and the part of mathjs it needs, in one minified classic script — Chromium loads
 * no module script from file://. Platform "browser" makes a node: import (or fs, path …)
 * a build error rather than a broken page. Run by `npm run build`; `actdiff docs` copies the
 * result next to playground.html.
 *
 *   node --import tsx scripts/bundle.ts [outfile]
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { ENGINE_GLOBAL, PLAYGROUND_ENGINE } from "../src/docs/playground-page.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ENTRY = join(ROOT, "src/playground/main.ts");
export const DEFAULT_OUTFILE = join(ROOT, "dist/playground/actdiff-playground.js");

export const ENGINE_ENTRY = join(ROOT, "src/playground/worker.ts");

/**
 * A module with a `.browser.ts` sibling (src/numeric/mathjs-loader.ts) is replaced by it: the
 * one place where the library does something node-only, chosen per platform like package.json's
 * "browser" field. The worker's bundle prefers a `.worker.ts` sibling: all of mathjs.
 */
const siblings = (suffixes: readonly string[]): Plugin => ({
  name: "browser-siblings",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      for (const suffix of suffixes) {
        const sibling = resolve(args.resolveDir, args.path.replace(/\.js$/, suffix));
        if (existsSync(sibling)) return { path: sibling };
      }
      return undefined;
    });
  },
});

export interface BundleFile {
  readonly outfile: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Every file that went into the bundle, relative to the project. */
  readonly inputs: readonly string[];
}

export interface BundleResult extends BundleFile {
  /**
   * The worker's code (src/playground/worker.ts), beside the page's bundle as PLAYGROUND_ENGINE:
   * a classic script that holds it as a string. The page loads it on first need and starts the
   * worker from a Blob URL — Chromium starts no worker from a file:// URL, and the page may
   * make no request (connect-src 'none') to read the file any other way.
   */
  readonly engine: BundleFile;
}

const COMMON = { bundle: true, minify: true, format: "iife", platform: "browser", target: "es2022", metafile: true, legalComments: "eof", logLevel: "silent", absWorkingDir: ROOT } as const;

const measured = (outfile: string, code: Buffer, inputs: Record<string, unknown>): BundleFile =>
  ({ outfile, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, inputs: Object.keys(inputs).sort() });

export async function bundlePlayground(outfile = DEFAULT_OUTFILE): Promise<BundleResult> {
  const page = await build({ ...COMMON, entryPoints: [ENTRY], outfile, plugins: [siblings([".browser.ts"])] });
  const worker = await build({ ...COMMON, entryPoints: [ENGINE_ENTRY], write: false, outdir: dirname(outfile), plugins: [siblings([".worker.ts", ".browser.ts"])] });
  const workerCode = worker.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
  const engineFile = join(dirname(outfile), PLAYGROUND_ENGINE);
  writeFileSync(engineFile, `globalThis.${ENGINE_GLOBAL}=${JSON.stringify(workerCode)};\n`);
  return {
    ...measured(outfile, readFileSync(outfile), page.metafile.inputs),
    engine: measured(engineFile, readFileSync(engineFile), worker.metafile.inputs),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? DEFAULT_OUTFILE);
  const r = await bundlePlayground(out);
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`playground bundle: ${kb(r.bytes)} minified, ${kb(r.gzipBytes)} gzipped, ${r.inputs.length} modules -> ${dirname(out) === dirname(DEFAULT_OUTFILE) ? "dist/playground/" : dirname(out) + "/"}`);
  console.log(`playground worker (loaded on first use): ${kb(r.engine.bytes)} minified, ${kb(r.engine.gzipBytes)} gzipped, ${r.engine.inputs.length} modules`);
}
