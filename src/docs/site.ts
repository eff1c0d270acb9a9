import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { analyze, analyzeMulti } from "../analyze/index.js";
import { checkNames } from "../api/activation.js";
import { availableActivations } from "../catalog/catalog.js";
import { fail } from "../errors.js";
import { indexPage, KATEX_CSS, page, playgroundPage, STYLE_CSS, STYLESHEET, pageFile, type SiteInfo } from "./html.js";
import { markdownAny, markdownFile, markdownIndex, plotFile } from "./markdown.js";
import type { PropertyProvider, Subject } from "./model.js";
import type { MultiPropertyProvider } from "./model-multi.js";
import { prepareOutputFolder, writeSiteFile } from "./output-folder.js";
import { describePage, type PageDoc } from "./page.js";
import { PLAYGROUND_ENGINE, PLAYGROUND_FILE, PLAYGROUND_SCRIPT } from "./playground-page.js";

export type DocsFormat = "html" | "md";

export interface BuildOptions {
  readonly subjects: readonly Subject[];
  /** The directory to write into; created if missing. Files of earlier builds are overwritten, others left alone. */
  readonly out: string;
  readonly format: DocsFormat;
  /** The property analysis: src/analyze's by default; `false` leaves the property sheets out (of every page). */
  readonly properties?: PropertyProvider | false;
  /** The analysis of functions of several inputs and of vectors: src/analyze's analyzeMulti by default. */
  readonly multiProperties?: MultiPropertyProvider;
  readonly title?: string;
  /**
   * The playground's browser bundle (scripts/bundle.ts's output): when given, an HTML site gets
   * playground.html, the bundle beside it and a link to it in every page's header.
   */
  readonly playgroundBundle?: string;
  /** Called after each activation is described: for a progress bar. */
  readonly onProgress?: (done: number, total: number, name: string) => void;
}

export interface BuildResult {
  /** The index page, as an absolute path. */
  readonly index: string;
  /** Every file written, relative to `out`, sorted. */
  readonly files: readonly string[];
  readonly pages: number;
  /** Things a reader of the site should know were left out (a failed property analysis). */
  readonly warnings: readonly string[];
}

/** The property sheet at the page's parameter values. */
const analyzeAt: PropertyProvider = (activation, params) => analyze(activation, { params });
const analyzeMultiAt: MultiPropertyProvider = (activation, params) => analyzeMulti(activation, { params });

const DEFAULT_TITLE = "Activation functions";
const GENERATOR = "actdiff";

/** Describes every subject and writes the site: same input, same bytes. */
export function buildSite(options: BuildOptions): BuildResult {
  // Before the pages are described (which takes a while): a bad --out fails at once.
  // Names become file names and attribute values: each checked again here, where they enter the site.
  for (const subject of options.subjects) checkNames(subject.activation.definition);
  const out = prepareOutputFolder(options.out);
  const docs: PageDoc[] = [];
  const providers = options.properties === false ? {} : { one: options.properties ?? analyzeAt, multi: options.multiProperties ?? analyzeMultiAt };
  options.subjects.forEach((subject, i) => {
    docs.push(describePage(subject, providers));
    options.onProgress?.(i + 1, options.subjects.length, subject.activation.name);
  });
  const playground = options.format === "html" && options.playgroundBundle !== undefined;
  const files = renderSite(docs, options.format, options.title ?? DEFAULT_TITLE, playground);
  for (const [path, content] of files) writeSiteFile(join(out, path), content);
  const written = [...files.keys()];
  if (options.format === "html") {
    try {
      written.push(...copyKatexAssets(out));
      if (playground) {
        cpSync(options.playgroundBundle!, join(out, PLAYGROUND_SCRIPT));
        // The worker's code, which scripts/bundle.ts writes beside the bundle.
        cpSync(join(dirname(options.playgroundBundle!), PLAYGROUND_ENGINE), join(out, PLAYGROUND_ENGINE));
        written.push(PLAYGROUND_SCRIPT, PLAYGROUND_ENGINE);
      }
    } catch (err) {
      fail("E_USAGE", `cannot copy KaTeX's stylesheet and fonts${playground ? " and the playground" : ""} into ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  return {
    index: join(out, options.format === "html" ? "index.html" : "index.md"),
    files: written.sort(), pages: docs.length,
    warnings: docs.filter((d) => d.propertiesError !== undefined).map((d) => `${d.name}: the property analysis failed: ${d.propertiesError}`),
  };
}

/** Every generated file of the site by its path relative to the site's root; KaTeX's assets aside. */
export function renderSite(docs: readonly PageDoc[], format: DocsFormat, title = DEFAULT_TITLE, playground = false): Map<string, string> {
  distinctFileNames(docs);
  const files = new Map<string, string>();
  const neighbours = (i: number) => ({
    ...(i > 0 && { previous: docs[i - 1]! }),
    ...(i + 1 < docs.length && { next: docs[i + 1]! }),
  });
  if (format === "html") {
    const site: SiteInfo = { title, generator: GENERATOR, playground };
    files.set("index.html", indexPage(docs, site));
    docs.forEach((doc, i) => files.set(pageFile(doc), page(doc, site, neighbours(i))));
    files.set(STYLE_CSS, STYLESHEET);
    if (playground) files.set(PLAYGROUND_FILE, playgroundPage(availableActivations(), site));
  } else {
    files.set("index.md", markdownIndex(docs, title));
    docs.forEach((doc, i) => {
      files.set(markdownFile(doc), markdownAny(doc, neighbours(i)));
      for (const plot of [doc.thumbnail, ...doc.plots]) files.set(plotFile(plot.id), plot.svg + "\n");
    });
  }
  return files;
}

/**
 * Two pages may not share a file: names that differ only in case (Swish, swish) would on a file
 * system that ignores case, as macOS's and Windows's do.
 */
function distinctFileNames(docs: readonly PageDoc[]): void {
  const seen = new Map<string, string>();
  for (const doc of docs) {
    const key = doc.slug.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      fail("E_USAGE", `'${other}' and '${doc.name}' would be written to one file (${doc.slug}), on a file system that ignores case`, { hint: "rename one of them" });
    }
    seen.set(key, doc.name);
  }
}

/** KaTeX's stylesheet and fonts, next to the pages, so that the site works offline from the file system. */
function copyKatexAssets(out: string): string[] {
  const css = createRequire(import.meta.url).resolve("katex/dist/katex.min.css");
  const target = join(out, KATEX_CSS);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(css, target);
  const fonts = join(dirname(css), "fonts");
  cpSync(fonts, join(dirname(target), "fonts"), { recursive: true });
  return [KATEX_CSS, ...readdirSync(fonts).map((f) => `${dirname(KATEX_CSS)}/fonts/${f}`)];
}

/**
 * Where `actdiff docs` finds the playground's bundle: ACTDIFF_PLAYGROUND_BUNDLE if set (tests
 * build a fresh one), else the package's dist/playground/, which `npm run build` writes.
 * Undefined when there is none — run from a source checkout before a build — and the site is
 * written without the playground.
 */
export function findPlaygroundBundle(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const given = env["ACTDIFF_PLAYGROUND_BUNDLE"];
  if (given) return resolve(given);
  // src/docs/site.ts or dist/docs/site.js: the package's root is two folders up either way.
  const bundle = fileURLToPath(new URL(`../../dist/playground/${PLAYGROUND_SCRIPT}`, import.meta.url));
  return existsSync(bundle) ? bundle : undefined;
}
