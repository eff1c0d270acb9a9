import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bundlePlayground } from "../../scripts/bundle.js";

/**
 * The playground as a person uses it: `actdiff docs` writes it with a freshly built bundle, and
 * Debian's chromium opens it from the file system, under the page's own Content-Security-Policy.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = join(ROOT, "test-artifacts");
const SITE = join(ARTIFACTS, "playground-site");
const CHROMIUM = "/usr/bin/chromium";
const CI = process.env["CI"] === "true";
const HAVE_BROWSER = existsSync(CHROMIUM);

const MISH = "mish(x) = x * tanh(softplus(x))";
/** What `actdiff diff "mish(x) = x * tanh(softplus(x))"` prints. */
const MISH_DERIVATIVE = "mish'(x) = tanh(softplus(x)) + x * sigmoid(x) * (1 - tanh(softplus(x))^2)";
const SWISH = "swish(x; beta = 1) = x * sigmoid(beta * x)";

const PLAYGROUND = pathToFileURL(join(SITE, "playground.html")).href;
const SITE_URL = pathToFileURL(SITE).href + "/";

/** Everything that went wrong while the page was open; every request, to check none leaves the site. */
function watch(page: Page): { problems: string[]; requests: string[] } {
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed to load ${r.url()}: ${r.failure()?.errorText}`));
  page.on("request", (r) => requests.push(r.url()));
  return { problems, requests };
}

/** The policy's refusals, as the page itself sees them (they also reach the console). */
async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __violations: string[] }).__violations);
}

const curvePaths = (page: Page): Promise<string[]> =>
  page.locator("#pg-plot path.curve").evaluateAll((paths) => paths.map((p) => p.getAttribute("d") ?? ""));

/** Types a formula as a person does, key by key, and waits for the page to settle on it. */
async function typeFormula(page: Page, formula: string): Promise<void> {
  const input = page.getByLabel("Formula", { exact: true });
  await input.fill("");
  await input.pressSequentially(formula, { delay: 5 });
  await page.waitForFunction((f) => new URLSearchParams((globalThis as unknown as { location: { hash: string } }).location.hash.slice(1)).get("f") === f, formula);
}

describe.skipIf(!HAVE_BROWSER && !CI)("the playground in chromium", { timeout: 60_000 }, () => {
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let bundleDir: string | undefined;

  beforeAll(async () => {
    expect(HAVE_BROWSER, `${CHROMIUM} is missing: install it with apt-get install chromium`).toBe(true);
    rmSync(SITE, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    bundleDir = mkdtempSync(join(tmpdir(), "actdiff-playground-"));
    const bundle = await bundlePlayground(join(bundleDir, "actdiff-playground.js"));
    const built = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "docs", "swish", "sigmoid", "--out", SITE], {
      cwd: ROOT, encoding: "utf8", env: { ...process.env, ACTDIFF_DEBUG: "1", ACTDIFF_PLAYGROUND_BUNDLE: bundle.outfile },
    });
    expect(built.stderr).toBe("");
    expect(built.status).toBe(0);
    profile = mkdtempSync(join(tmpdir(), "actdiff-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"],
      viewport: { width: 1100, height: 900 },
      acceptDownloads: true,
    });
    // Before any script of the page: record what its Content-Security-Policy refuses.
    await context.addInitScript(() => {
      const g = globalThis as unknown as { __violations: string[]; addEventListener(type: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void };
      g.__violations = [];
      g.addEventListener("securitypolicyviolation", (e) => g.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`));
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  test("the site's pages link to it, and it sets a policy without 'unsafe-eval'", async () => {
    const html = readFileSync(join(SITE, "playground.html"), "utf8");
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replaceAll("&#39;", "'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain("unsafe-eval");
    for (const file of ["index.html", "swish.html", "playground.html"]) {
      expect(readFileSync(join(SITE, file), "utf8"), file).toContain(`<a href="playground.html">Playground</a>`);
    }
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(pathToFileURL(join(SITE, "index.html")).href);
    await page.getByRole("link", { name: "Playground" }).click();
    await page.waitForURL(/playground\.html/);
    await expect.poll(() => page.locator("#pg-derivative").textContent()).toContain("swish'(x) =");
    expect(problems).toEqual([]);
    await page.close();
  });

  test("typing mish shows its derivative, typeset formulas, a plot and the module; the state is in the URL", async () => {
    const page = await context!.newPage();
    const { problems, requests } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, MISH);
    const derivative = page.getByLabel("Derivative", { exact: true });
    await expect.poll(() => derivative.textContent()).toBe(MISH_DERIVATIVE);
    expect(await page.locator("#pg-math .katex").count()).toBe(2);
    expect(await page.locator(".katex-error").count()).toBe(0);
    const paths = await curvePaths(page);
    expect(paths).toHaveLength(2);
    expect(paths.every((d) => /^M[\d.-]/.test(d) && d.length > 100)).toBe(true);
    expect(await page.locator("#pg-module").textContent()).toContain("export function");
    expect(await page.getByRole("alert").textContent()).toBe("");
    await page.screenshot({ path: join(ARTIFACTS, "playground-mish.png"), fullPage: true });

    // The URL reproduces the view.
    const url = page.url();
    expect(url).toContain("#f=mish");
    const again = await context!.newPage();
    const second = watch(again);
    await again.goto(url);
    await expect.poll(() => again.getByLabel("Derivative", { exact: true }).textContent()).toBe(MISH_DERIVATIVE);
    expect(await again.getByLabel("Formula", { exact: true }).inputValue()).toBe(MISH);
    expect(await curvePaths(again)).toEqual(paths);
    expect(second.problems).toEqual([]);
    await again.close();

    // Back undoes the edit: the page's starting formula returns.
    await page.goBack();
    await expect.poll(() => page.getByLabel("Formula", { exact: true }).inputValue()).toBe(SWISH);
    await expect.poll(() => derivative.textContent()).toMatch(/^swish'\(x\) = /);

    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(requests.filter((r) => !r.startsWith(SITE_URL))).toEqual([]);
    await page.close();
  });

  test("a slider moves the plot; the value is kept in the URL", async () => {
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, SWISH);
    const before = await curvePaths(page);
    const slider = page.getByRole("slider", { name: "beta, slider" });
    await slider.focus();
    for (let i = 0; i < 50; i++) await slider.press("ArrowRight");
    await expect.poll(() => page.getByRole("spinbutton", { name: "beta" }).inputValue()).toBe("1.5");
    const after = await curvePaths(page);
    expect(after).toHaveLength(2);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(page.url()).toContain("beta=1.5");
    await page.screenshot({ path: join(ARTIFACTS, "playground-swish-beta.png"), fullPage: true });

    await page.reload();
    await expect.poll(() => page.getByRole("spinbutton", { name: "beta" }).inputValue()).toBe("1.5");
    expect(await curvePaths(page)).toEqual(after);
    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  test("a misspelt function: the alert with the caret under it and the suggestion", async () => {
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, "sigmod(x)");
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("unknown function 'sigmod'");
    expect(await alert.locator("pre").textContent()).toBe("sigmod(x)\n^^^^^^");
    expect(await alert.textContent()).toContain("did you mean 'sigmoid'?");
    expect(await page.getByLabel("Formula", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    // The last good view stays, dimmed, until the formula reads again.
    expect(await page.locator("body.pg-stale").count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, "playground-error.png"), fullPage: true });
    await typeFormula(page, "sigmoid(x)");
    await expect.poll(() => page.getByLabel("Derivative", { exact: true }).textContent()).toMatch(/^f'\(x\) = /);
    expect(await alert.textContent()).toBe("");
    expect(await page.locator("body.pg-stale").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  test("the catalog picker fills the input; the module downloads as a file", async () => {
    const page = await context!.newPage();
    const { problems, requests } = watch(page);
    await page.goto(PLAYGROUND);
    await page.getByLabel("Start from the catalog").selectOption({ label: "sigmoid" });
    await expect.poll(() => page.getByLabel("Formula", { exact: true }).inputValue()).toBe("sigmoid(x) = 1 / (1 + exp(-x))");
    await expect.poll(() => page.getByLabel("Derivative", { exact: true }).textContent()).toMatch(/^sigmoid'\(x\) = /);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toBe("sigmoid.js");
    const saved = join(ARTIFACTS, "playground-sigmoid.js");
    await download.saveAs(saved);
    const module = await import(pathToFileURL(saved).href) as { f: (x: number) => number };
    expect(module.f(0)).toBe(0.5);
    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(requests.filter((r) => !r.startsWith(SITE_URL) && !r.startsWith("blob:"))).toEqual([]);
    await page.close();
  });

  test("the policy is in force: the page's own scripts cannot eval", async () => {
    const page = await context!.newPage();
    await page.goto(PLAYGROUND);
    await expect.poll(() => page.locator("#pg-derivative").textContent()).toContain("swish'(x) =");
    expect(await cspViolations(page)).toEqual([]);
    // A script of the page's own folder that tries eval, as the bundle would if it used new Function.
    // (Playwright's evaluate is exempt from the page's policy, so the probe must be a script of the page.)
    writeFileSync(join(SITE, "csp-probe.js"), `try { new Function("return 1")(); window.probe = "ran"; } catch (err) { window.probe = err.name; }`);
    await page.evaluate(() => new Promise((resolve) => {
      const doc = (globalThis as unknown as { document: { createElement(tag: string): { src: string; onload: unknown }; body: { append(e: unknown): void } } }).document;
      const script = doc.createElement("script");
      script.onload = resolve;
      script.src = "csp-probe.js";
      doc.body.append(script);
    }));
    const refused = await page.evaluate(() => (globalThis as unknown as { probe: string }).probe);
    expect(await cspViolations(page)).toEqual([expect.stringMatching(/^script-src blocked eval/)]);
    expect(refused).toBe("EvalError");
    await page.close();
  });

  test("every catalog activation from the picker: typeset, no alert; the time each takes is written down", async () => {
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(PLAYGROUND);
    await expect.poll(() => page.locator("#pg-derivative").textContent()).toContain("swish'(x) =");
    // Choosing an entry commits at once (no debounce): the time is the page's work, from the
    // change to the next frame with the derivative, formulas and plot in the document.
    const timings = await page.evaluate(async () => {
      const doc = (globalThis as unknown as { document: { getElementById(id: string): { value: string; options: ArrayLike<{ value: string; text: string }>; dispatchEvent(e: unknown): void; textContent: string } } }).document;
      const g = globalThis as unknown as { performance: { now(): number }; requestAnimationFrame(f: () => void): void; Event: new (type: string) => unknown };
      const select = doc.getElementById("pg-catalog");
      const out: { name: string; work: number; frame: number; alert: string }[] = [];
      for (let round = 0; round < 3; round++) {
        for (const option of Array.from(select.options).slice(1)) {
          const t0 = g.performance.now();
          select.value = option.value;
          select.dispatchEvent(new g.Event("change"));
          const t1 = g.performance.now();
          await new Promise<void>((resolve) => g.requestAnimationFrame(() => resolve()));
          out.push({ name: option.text, work: t1 - t0, frame: g.performance.now() - t0, alert: doc.getElementById("pg-error").textContent });
        }
      }
      return out;
    });
    expect(timings.filter((t) => t.alert !== "")).toEqual([]);
    expect(await page.locator(".katex-error").count()).toBe(0);
    expect(problems).toEqual([]);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const names = [...new Set(timings.map((t) => t.name))];
    const byName = names.map((name) => {
      const mine = timings.filter((t) => t.name === name);
      return { name, workMs: Number(median(mine.map((t) => t.work)).toFixed(1)), frameMs: Number(median(mine.map((t) => t.frame)).toFixed(1)) };
    });
    const summary = { medianWorkMs: median(byName.map((t) => t.workMs)), medianFrameMs: median(byName.map((t) => t.frameMs)), maxWorkMs: Math.max(...byName.map((t) => t.workMs)), activations: byName };
    writeFileSync(join(ARTIFACTS, "playground-latency.json"), JSON.stringify(summary, null, 2) + "\n");
    console.log(`playground latency: median ${summary.medianWorkMs} ms of work, ${summary.medianFrameMs} ms to the next frame, slowest ${summary.maxWorkMs} ms`);
    await page.close();
  }, 120_000);
});
