import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { availableActivations, catalogByGroup, GROUP_TITLES } from "../../src/catalog/catalog.js";
import { define } from "../../src/index.js";
import { exportsOf } from "../../src/docs/exports.js";
import { bundlePlayground } from "../../scripts/bundle.js";

/**
 * The documentation site as a person sees it: the whole catalog built by `actdiff docs`, opened
 * from the file system in Debian's chromium. Under CI a missing browser is a failure, not a skip.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = join(ROOT, "test-artifacts");
const SITE = join(ARTIFACTS, "site");
const CHROMIUM = "/usr/bin/chromium";
const CI = process.env["CI"] === "true";
const HAVE_BROWSER = existsSync(CHROMIUM);

if (!HAVE_BROWSER && !CI) {
  console.warn(`test/browser: skipped, ${CHROMIUM} is missing (apt-get install chromium); under CI=true this fails instead`);
}

const NAMES = availableActivations().map((e) => e.name);

/**
 * The plots a page shows, by their accessible names' first words: f, f′, f″ of one input; f and
 * each partial derivative against each input of several; a vector function along its slice and
 * the slope there.
 */
function expectedPlots(name: string): (string | RegExp)[] {
  const f = define(name);
  if (f.isVector) return [new RegExp(`^${name}\\(x, `), new RegExp(`^d/dx ${name}\\(x, `)];
  if (f.inputs.length > 1) {
    const all = f.inputs.join(", ");
    return f.inputs.flatMap((u) => [`${name}(${all}) against ${u}`, `∂${name}/∂${u} against ${u}`]);
  }
  // A definition that draws (rrelu) also shows f given a few draws.
  return [`${name}(x)`, `${name}′(x)`, `${name}″(x)`, ...(f.definition.stochastic ? [`${name}(x) in training mode`] : [])];
}
const fileUrl = (name: string): string => pathToFileURL(join(SITE, name)).href;

/** Everything that went wrong while a page was open: console errors, uncaught exceptions, failed loads. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed to load ${r.url()}: ${r.failure()?.errorText}`));
  return problems;
}

/** The little of the DOM the checks use (the project compiles without the DOM library). */
interface DomElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
  querySelectorAll(selector: string): Iterable<DomElement> & ArrayLike<DomElement>;
  getBoundingClientRect(): { readonly width: number };
  readonly href?: string;
}
interface DomDocument {
  querySelectorAll(selector: string): Iterable<DomElement> & ArrayLike<DomElement>;
  getElementById(id: string): DomElement | null;
  readonly fonts: { readonly ready: Promise<unknown> } & Iterable<{ readonly status: string; readonly family: string }>;
}

/** Counts a person would check by eye: formulas typeset, plots drawn, KaTeX's errors, fonts. */
async function inspect(page: Page) {
  return page.evaluate(async () => {
    const document = (globalThis as unknown as { document: DomDocument }).document;
    await document.fonts.ready;
    const plots = [...document.querySelectorAll("svg.plot")].map((svg) => {
      const labelled = (svg.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean);
      return {
        role: svg.getAttribute("role"),
        name: labelled.map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim(),
        paths: [...svg.querySelectorAll("path.curve")].map((p) => p.getAttribute("d") ?? ""),
        width: svg.getBoundingClientRect().width,
      };
    });
    return {
      h1: [...document.querySelectorAll("h1")].map((h) => h.textContent?.trim()),
      katex: document.querySelectorAll(".katex").length,
      katexErrors: document.querySelectorAll(".katex-error").length,
      mathml: document.querySelectorAll(".katex math").length,
      plots,
      fonts: [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family),
      links: [...document.querySelectorAll("a[href]")].map((a) => a.href ?? ""),
    };
  });
}

describe.skipIf(!HAVE_BROWSER && !CI)("the documentation site in chromium", () => {
  let context: BrowserContext | undefined;
  let profile: string | undefined;

  beforeAll(async () => {
    expect(HAVE_BROWSER, `${CHROMIUM} is missing: install it with apt-get install chromium`).toBe(true);
    rmSync(SITE, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    // A fresh bundle, so that the site has its playground whether or not `npm run build` ran.
    profile = mkdtempSync(join(tmpdir(), "actdiff-chromium-"));
    const bundle = await bundlePlayground(join(profile, "bundle", "actdiff-playground.js"));
    const built = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "docs", "--out", SITE], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, ACTDIFF_DEBUG: "1", ACTDIFF_PLAYGROUND_BUNDLE: bundle.outfile },
    });
    expect(built.stderr).toBe("");
    expect(built.status).toBe(0);
    expect(built.stdout).toMatch(/the site is at test-artifacts\/site\/index\.html\n$/);
    context = await chromium.launchPersistentContext(join(profile, "chromium"), {
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"],
      viewport: { width: 1100, height: 900 },
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test("the index: a card per activation with its plot and typeset formula, KaTeX's fonts loaded offline", async () => {
    const page = await context!.newPage();
    const problems = watch(page);
    await page.goto(fileUrl("index.html"));
    const seen = await inspect(page);
    expect(problems).toEqual([]);
    expect(seen.h1).toEqual(["Activation functions"]);
    expect(seen.katexErrors).toBe(0);
    expect(seen.katex).toBeGreaterThanOrEqual(NAMES.length);
    expect(seen.mathml).toBe(seen.katex); // selectable, readable math behind every formula
    expect(seen.plots).toHaveLength(NAMES.length);
    for (const plot of seen.plots) {
      expect(plot.role).toBe("img");
      // The title, then the text alternative.
      expect(plot.name).toMatch(/^\S+\([^)]*\) Plot of /);
      expect(plot.paths.length).toBeGreaterThan(0);
      expect(plot.paths.every((d) => /^M[\d.-]/.test(d))).toBe(true);
    }
    expect(seen.fonts).toContain("KaTeX_Main");
    const cards = await page.locator(".card h3 a").allTextContents();
    expect(cards).toEqual(catalogByGroup().flatMap((g) => g.entries.filter((e) => e.status === "available").map((e) => e.name)));
    expect(await page.locator("main h2").allTextContents()).toEqual(catalogByGroup().map((g) => GROUP_TITLES[g.group]));
    await page.screenshot({ path: join(ARTIFACTS, "docs-index.png"), fullPage: true });
    await page.close();
  });

  test("every page, reached by its link from the index: right heading, formulas, plots, working links", async () => {
    const page = await context!.newPage();
    const problems = watch(page);
    await page.goto(fileUrl("index.html"));
    for (const name of NAMES) {
      if (page.url() !== fileUrl("index.html")) await page.goBack();
      await page.getByRole("link", { name, exact: true }).click();
      await page.waitForURL(fileUrl(`${name}.html`));
      const seen = await inspect(page);
      expect(seen.h1, name).toEqual([name]);
      expect(seen.katexErrors, name).toBe(0);
      // f, f′ and f″, and the stated derivative where the catalog records one.
      expect(seen.katex, name).toBeGreaterThanOrEqual(3);
      const titles = seen.plots.map((p) => p.name.slice(0, p.name.indexOf(" Plot of ")));
      expect(titles.length, name).toBe(expectedPlots(name).length);
      expectedPlots(name).forEach((t, i) => (typeof t === "string" ? expect(titles[i], name).toBe(t) : expect(titles[i], name).toMatch(t)));
      for (const plot of seen.plots) {
        expect(plot.role).toBe("img");
        expect(plot.paths.length, `${name}: ${plot.name}`).toBeGreaterThan(0);
        expect(plot.paths.some((d) => d.length > 20), `${name}: ${plot.name}`).toBe(true);
        expect(plot.width).toBeGreaterThan(300);
      }
      for (const href of seen.links) {
        expect(href.startsWith("file://"), `${name} links to ${href}`).toBe(true);
        expect(existsSync(fileURLToPath(href.replace(/#.*$/, ""))), `${name} links to ${href}`).toBe(true);
      }
      expect(seen.links, name).toContain(fileUrl("playground.html"));
      const sections = await page.locator("main h2").allTextContents();
      // Every page has the PyTorch module; the TensorFlow.js one where tfjs can take it (every catalog activation today).
      const tfjs = exportsOf(define(name), name).some((e) => e.title === "TensorFlow.js") ? ["TensorFlow.js"] : [];
      expect(sections, name).toEqual(expect.arrayContaining(["Definition", "Formulas", "Plots", "Derivative verification", "Generated JavaScript", "PyTorch", ...tfjs]));
      expect(await page.locator(".status.holds").count(), `${name}: derivative verified`).toBe(1);
    }
    // The pager works both ways.
    await page.goto(fileUrl(`${NAMES[1]}.html`));
    await page.getByRole("link", { name: `← ${NAMES[0]}` }).click();
    expect(await page.locator("h1").textContent()).toBe(NAMES[0]);
    expect(problems).toEqual([]);

    await page.goto(fileUrl("swish.html"));
    await page.screenshot({ path: join(ARTIFACTS, "docs-swish.png"), fullPage: true });
    await page.close();
  }, Math.max(90_000, NAMES.length * 4_000)); // grows with the catalog: 4 s a page on a loaded machine

  test("the site is self-contained: KaTeX's stylesheet and fonts sit next to the pages", () => {
    expect(existsSync(join(SITE, "katex", "katex.min.css"))).toBe(true);
    expect(readdirSync(join(SITE, "katex", "fonts")).filter((f) => f.endsWith(".woff2")).length).toBeGreaterThan(10);
  });
});
