/**
 * The playground's benchmark: `npm run bench -- --playground [--json] [--quick]`.
 *
 * Builds the bundles (scripts/bundle.ts) and a site with `actdiff docs`, opens playground.html
 * from the file system in Debian's Chromium, and for every catalog activation in the picker types
 * its definition but the last character, waits for the page to settle, then presses the last key
 * and measures, in the page, from the keydown event to
 *   - the derivative's text in the document (the "Derivative" element changes; the plot's SVG
 *     follows in the same task), and
 *   - the next frame after the plot (requestAnimationFrame, then a task: the frame is drawn),
 * both including the page's 150 ms typing pause (the debounce); and the page's work, from the
 * mark it sets when the pause ends (COMMIT_MARK in src/playground/ui/page.ts) to that frame.
 * Median of 3 rounds per activation (1 with --quick), after a warm-up round. Also saves the
 * README's screenshot, docs/playground.png. The machine's load (uptime) is printed with the figures: on a shared
 * machine they vary from run to run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import { bundlePlayground } from "../scripts/bundle.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const DEBOUNCE_MS = 150;
export const SCREENSHOT = join(ROOT, "docs/playground.png");

/** From the keydown: to the derivative in the document, and to the next frame drawn; and the page's work, from the end of the typing pause to that frame. */
interface Timing { readonly derivative: number; readonly frame: number; readonly work: number }

export interface PlaygroundBench {
  readonly uptimeBefore: string;
  readonly uptimeAfter: string;
  readonly bundle: { readonly bytes: number; readonly gzipBytes: number };
  readonly worker: { readonly bytes: number; readonly gzipBytes: number };
  readonly rounds: number;
  readonly activations: readonly ({ readonly name: string } & Timing)[];
  readonly median: Timing;
  readonly slowest: { readonly name: string } & Timing;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round1 = (x: number): number => Number(x.toFixed(1));
const uptime = (): string => execFileSync("uptime", { encoding: "utf8" }).trim();

/**
 * Installed in the page before the keystroke (a string: this file is type-checked without the
 * DOM library): resolves `__timing` once the plot after the next keydown is drawn.
 */
const WATCH_NEXT_KEY = `window.__timing = new Promise((resolve) => {
  let t0 = NaN, derivative = NaN;
  document.addEventListener("keydown", (e) => { t0 = e.timeStamp; }, { capture: true, once: true });
  const onDerivative = new MutationObserver(() => { derivative = performance.now(); onDerivative.disconnect(); });
  onDerivative.observe(document.getElementById("pg-derivative"), { childList: true, characterData: true, subtree: true });
  const onPlot = new MutationObserver(() => {
    onPlot.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      const now = performance.now();
      const commit = performance.getEntriesByName("actdiff-playground-commit").at(-1).startTime;
      resolve({ derivative: derivative - t0, frame: now - t0, work: now - commit });
    }));
  });
  onPlot.observe(document.getElementById("pg-plot"), { childList: true });
}); undefined`;

/** The page's DOM, as far as these functions (run in the page, not here) use it. */
interface InPage {
  location: { hash: string };
  document: { getElementById(id: string): { textContent: string | null } | null; querySelectorAll(s: string): { length: number }; activeElement: { blur?(): void } | null };
}

/** Waits until the page has committed this formula (it is in the URL). */
const formulaShown = (page: Page, formula: string) =>
  page.waitForFunction((f) => new URLSearchParams((globalThis as unknown as InPage).location.hash.slice(1)).get("f") === f, formula);

/** One keystroke, timed in the page: the formula but its last character is on screen (an error, mostly). */
async function timeLastKey(page: Page, formula: string): Promise<Timing> {
  const input = page.getByLabel("Formula", { exact: true });
  await input.fill(formula.slice(0, -1));
  await formulaShown(page, formula.slice(0, -1));
  await page.evaluate(WATCH_NEXT_KEY);
  await input.press(formula.at(-1)!);
  return page.evaluate("window.__timing") as Promise<Timing>;
}

export async function runPlaygroundBench(options: { quick?: boolean; screenshot?: boolean } = {}): Promise<PlaygroundBench> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const uptimeBefore = uptime();
  const work = mkdtempSync(join(tmpdir(), "actdiff-playground-bench-"));
  try {
    const bundle = await bundlePlayground(join(work, "bundle/actdiff-playground.js"));
    const site = join(work, "site");
    const built = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "docs", "swish", "--out", site], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, ACTDIFF_PLAYGROUND_BUNDLE: bundle.outfile },
    });
    if (built.status !== 0) throw new Error(`actdiff docs failed: ${built.stderr}`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(pathToFileURL(join(site, "playground.html")).href);
      await page.waitForFunction(() => (globalThis as unknown as InPage).document.getElementById("pg-derivative")?.textContent !== "");
      const entries = await page.locator("#pg-catalog option").evaluateAll((options) =>
        options.slice(1).map((o) => ({ name: o.textContent ?? "", formula: o.getAttribute("value") ?? "" })));
      // A warm-up round, not counted: the first formulas otherwise pay for the JIT and the worker's start.
      for (const e of entries.slice(0, 10)) await timeLastKey(page, e.formula);
      const rounds = options.quick ? 1 : 3;
      const byName = new Map<string, Timing[]>();
      for (let r = 0; r < rounds; r++) {
        for (const e of entries) byName.set(e.name, [...(byName.get(e.name) ?? []), await timeLastKey(page, e.formula)]);
      }
      const activations = [...byName].map(([name, ts]) => ({
        name, derivative: round1(median(ts.map((t) => t.derivative))), frame: round1(median(ts.map((t) => t.frame))), work: round1(median(ts.map((t) => t.work))),
      }));
      const slowest = activations.reduce((a, b) => (b.frame > a.frame ? b : a));
      if (options.screenshot !== false) await screenshot(page);
      return {
        uptimeBefore, uptimeAfter: uptime(),
        bundle: { bytes: bundle.bytes, gzipBytes: bundle.gzipBytes }, worker: { bytes: bundle.engine.bytes, gzipBytes: bundle.engine.gzipBytes },
        rounds, activations, slowest,
        median: { derivative: round1(median(activations.map((a) => a.derivative))), frame: round1(median(activations.map((a) => a.frame))), work: round1(median(activations.map((a) => a.work))) },
      };
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The README's picture: swish with its slider moved, f and f′ typeset and plotted, down to the plot's bottom edge. */
async function screenshot(page: Page): Promise<void> {
  const swish = "swish(x; beta = 1) = x * sigmoid(beta * x)";
  await page.setViewportSize({ width: 1000, height: 2000 });
  await page.getByLabel("Formula", { exact: true }).fill(swish);
  await formulaShown(page, swish);
  await page.getByRole("spinbutton", { name: "beta" }).fill("1.5");
  await page.waitForFunction(() => (globalThis as unknown as InPage).location.hash.includes("beta=1.5"));
  await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.blur?.());
  const plot = (await page.locator("#pg-plot svg").boundingBox())!;
  await page.screenshot({ path: SCREENSHOT, clip: { x: 0, y: 0, width: 1000, height: Math.ceil(plot.y + plot.height + 16) } });
}

export async function playgroundBench(options: { json?: boolean; quick?: boolean }): Promise<void> {
  const r = await runPlaygroundBench(options);
  if (options.json) {
    process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    return;
  }
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
  const row = (t: Timing): string => `${t.derivative} | ${t.frame} | ${t.work}`;
  process.stdout.write([
    `# actdiff benchmarks: playground`,
    `Chromium (${CHROMIUM}), headless; ${r.rounds} round(s) per activation, median. Load: \`${r.uptimeBefore}\` before, \`${r.uptimeAfter}\` after.`,
    `Bundle: ${kb(r.bundle.bytes)} minified, ${kb(r.bundle.gzipBytes)} gzipped; worker (loaded on first use): ${kb(r.worker.bytes)}, ${kb(r.worker.gzipBytes)} gzipped.`,
    `Milliseconds from the keydown of the last character, including the ${DEBOUNCE_MS} ms typing pause: to the derivative (and the plot, put in the document in the same task) | to the next frame drawn; and the page's work, from the end of the pause to that frame.`,
    `| activation | keydown → derivative and plot | keydown → frame | work → frame |\n|---|---:|---:|---:|\n` + r.activations.map((a) => `| ${a.name} | ${row(a)} |`).join("\n"),
    `Median over activations: ${row(r.median)}; slowest ${r.slowest.name}: ${row(r.slowest)}.`,
    `Screenshot: ${SCREENSHOT.slice(ROOT.length)}`,
  ].join("\n\n") + "\n");
}
