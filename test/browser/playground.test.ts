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
  page.on("requestfailed", (r) => {
    // Leaving the page (a reload) while the worker's code loads from its Blob URL aborts that load: not a fault.
    if (r.url().startsWith("blob:") && r.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`failed to load ${r.url()}: ${r.failure()?.errorText}`);
  });
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
    await expect.poll(() => page.locator("#pg-code-js").textContent()).toContain("export function");
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
    // blob: URLs are made by the page itself (the worker's code, read from the folder): no network.
    expect(requests.filter((r) => !r.startsWith(SITE_URL) && !r.startsWith("blob:"))).toEqual([]);
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

  test("claims are checked with the CLI's verdicts, in a labelled live region", async () => {
    const page = await context!.newPage();
    const { problems, requests } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, MISH);
    const claim = page.getByLabel("Claim", { exact: true });
    const verdict = page.getByRole("status", { name: "Verdict" });
    expect(await verdict.getAttribute("aria-live")).toBe("polite");
    await claim.fill(MISH_DERIVATIVE);
    await claim.press("Enter");
    await expect.poll(() => verdict.locator("dd.holds").textContent(), { timeout: 30_000 }).toMatch(/^(proved|verified)$/);
    expect(await verdict.textContent()).toContain("method");
    await claim.fill("mish'(x) = tanh(softplus(x))");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => verdict.locator("dd.refuted").textContent(), { timeout: 30_000 }).toBe("refuted");
    expect(await verdict.textContent()).toContain("lhs there");
    await page.screenshot({ path: join(ARTIFACTS, "playground-verify.png"), fullPage: true });
    // A misspelt name in the claim: actdiff's error, caret and suggestion.
    await claim.fill("mihs'(x) = 1");
    await claim.press("Enter");
    await expect.poll(() => verdict.textContent(), { timeout: 30_000 }).toContain("unknown function 'mihs'");
    expect(await verdict.locator("pre").textContent()).toBe("mihs'(x) = 1\n^^^^");
    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    // The worker starts from a Blob URL of the page's own script: nothing else is requested.
    expect(requests.filter((r) => !r.startsWith(SITE_URL) && !r.startsWith("blob:"))).toEqual([]);
    expect(requests).toContain(SITE_URL + "actdiff-engine.js");
    await page.close();
  });

  test("the property sheet opens on request, each fact with how it was established, and follows the sliders", async () => {
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, SWISH);
    const summary = page.locator("#pg-props summary");
    await summary.focus();
    await summary.press("Enter");
    const range = page.getByRole("row", { name: /^Range / });
    await expect.poll(() => range.textContent(), { timeout: 30_000 }).toContain("[−0.2785, ∞)");
    expect(await page.getByRole("row", { name: /^f\(0\) / }).textContent()).toContain("symbolic");
    expect(await page.getByRole("columnheader", { name: "How it was established" }).count()).toBe(2);
    const slider = page.getByRole("spinbutton", { name: "beta" });
    await slider.fill("2");
    await expect.poll(() => range.textContent(), { timeout: 30_000 }).toContain("[−0.1392, ∞)");
    expect(problems).toEqual([]);
    await page.close();
  });

  test("f″ on request: typeset, as text, a third curve; kept in the URL", async () => {
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, "tanh");
    expect(await curvePaths(page)).toHaveLength(2);
    await page.getByRole("checkbox", { name: "Second derivative" }).check();
    await expect.poll(() => page.locator("#pg-second-text").textContent()).toBe("d^2/dx^2 tanh(x) = -2 * tanh(x) * (1 - tanh(x)^2)");
    expect(await curvePaths(page)).toHaveLength(3);
    expect(await page.locator("#pg-math .katex").count()).toBe(3);
    expect(page.url()).toContain("view.f2=1");
    await page.reload();
    await expect.poll(() => curvePaths(page).then((p) => p.length)).toBe(3);
    expect(await page.getByRole("checkbox", { name: "Second derivative" }).isChecked()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  test("zoom and pan: buttons, fields, the wheel and a drag; the range is kept in the URL", async () => {
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, SWISH);
    const from = page.getByRole("spinbutton", { name: "from" });
    const to = page.getByRole("spinbutton", { name: "to" });
    expect([await from.inputValue(), await to.inputValue()]).toEqual(["-6", "6"]);
    const before = await curvePaths(page);
    // By keyboard: the buttons are reachable and work with Enter.
    await page.getByRole("button", { name: "Zoom in" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => Promise.all([from.inputValue(), to.inputValue()])).toEqual(["-3", "3"]);
    expect(await curvePaths(page)).not.toEqual(before);
    await page.getByRole("button", { name: "Pan right" }).press("Enter");
    await expect.poll(() => Promise.all([from.inputValue(), to.inputValue()])).toEqual(["-1.5", "4.5"]);
    expect(page.url()).toContain("view.xmin=-1.5&view.xmax=4.5");
    await from.fill("-10");
    await to.fill("10");
    await to.press("Enter");
    await expect.poll(() => page.url()).toContain("view.xmin=-10&view.xmax=10");
    // A drag pans, keeping the width.
    const plot = page.locator("#pg-plot svg");
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 4, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Number(await from.inputValue())).toBeGreaterThan(-10);
    expect(Number(await to.inputValue()) - Number(await from.inputValue())).toBeCloseTo(20, 6);
    const panned = await curvePaths(page);
    await page.reload();
    await expect.poll(() => curvePaths(page)).toEqual(panned);
    // The wheel zooms about the pointer (Chromium may deliver one turn as several events).
    const width = async () => Number(await to.inputValue()) - Number(await from.inputValue());
    await plot.scrollIntoViewIfNeeded();
    const again = (await plot.boundingBox())!;
    await page.mouse.move(again.x + again.width / 2, again.y + again.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(width).toBeLessThan(19);
    await page.getByRole("button", { name: "Reset view" }).click();
    await expect.poll(() => Promise.all([from.inputValue(), to.inputValue()])).toEqual(["-6", "6"]);
    expect(page.url()).not.toContain("view.xmin");
    expect(problems).toEqual([]);
    await page.close();
  });

  test("code tabs: JavaScript, TypeScript, PyTorch, TensorFlow.js, with arrow keys; each downloads", async () => {
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, MISH);
    const tablist = page.getByRole("tablist", { name: "Language of the generated code" });
    expect(await tablist.getByRole("tab").allTextContents()).toEqual(["JavaScript", "TypeScript", "PyTorch", "TensorFlow.js"]);
    await page.getByRole("tab", { name: "JavaScript" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "TypeScript" }).getAttribute("aria-selected")).toBe("true");
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe("pg-tab-ts");
    const panel = page.getByRole("tabpanel");
    expect(await panel.count()).toBe(1);
    expect(await panel.getAttribute("aria-labelledby")).toBe("pg-tab-ts");
    await expect.poll(() => panel.locator("code").textContent()).toContain("export type FloatArray");
    expect(page.url()).toContain("view.code=ts");
    await page.keyboard.press("End");
    expect(await page.getByRole("tab", { name: "TensorFlow.js" }).getAttribute("aria-selected")).toBe("true");
    await expect.poll(() => page.getByRole("tabpanel").locator("code").textContent()).toContain("customGrad");
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "JavaScript" }).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    expect(await page.getByRole("tab", { name: "PyTorch" }).getAttribute("aria-selected")).toBe("true");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("tabpanel").getByRole("button", { name: "Download" }).click()]);
    expect(download.suggestedFilename()).toBe("mish.py");
    const saved = join(ARTIFACTS, "playground-mish.py");
    await download.saveAs(saved);
    expect(readFileSync(saved, "utf8")).toContain("torch.autograd.Function");
    await page.screenshot({ path: join(ARTIFACTS, "playground-code-tabs.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test("the audit runs in a worker: a progress bar, the page responsive meanwhile, a cancel button; then a report", async () => {
    const page = await context!.newPage();
    const { problems, requests } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, SWISH);
    const progress = page.getByRole("progressbar", { name: "Audit progress" });
    const run = page.getByRole("button", { name: "Run the audit" });
    const cancel = page.getByRole("button", { name: "Cancel" });
    expect(await cancel.isDisabled()).toBe(true);
    await run.click();
    await expect.poll(() => progress.evaluate((p) => (p as unknown as { value: number }).value), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await run.isDisabled()).toBe(true);
    // While the worker computes, the page still reads formulas as they are typed.
    await typeFormula(page, MISH);
    await expect.poll(() => page.getByLabel("Derivative", { exact: true }).textContent()).toBe(MISH_DERIVATIVE);
    await cancel.click();
    await expect.poll(() => page.locator("#pg-audit-status").textContent()).toBe("Audit cancelled.");
    expect(await run.isDisabled()).toBe(false);

    // A function whose audit is quick, to the end: PASS and `actdiff audit`'s report.
    await typeFormula(page, "relu");
    await run.click();
    await expect.poll(() => page.locator("#pg-audit-status").textContent(), { timeout: 150_000, interval: 1000 }).toMatch(/^relu: PASS — reduced sweep, density 50/);
    expect(await progress.evaluate((p) => { const e = p as unknown as { value: number; max: number }; return e.value === e.max && e.max > 1; })).toBe(true);
    expect(await page.getByLabel("Audit report").textContent()).toMatch(/^relu: PASS\nsweep: \d+ float64 and \d+ float32 inputs/);
    expect(problems).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    expect(requests.filter((r) => !r.startsWith(SITE_URL) && !r.startsWith("blob:"))).toEqual([]);
    await page.close();
  }, 200_000);

  test("keyboard and screen reader: every control labelled and reachable; axe-core finds nothing serious", async () => {
    const page = await context!.newPage();
    const { problems } = watch(page);
    await page.goto(PLAYGROUND);
    await typeFormula(page, SWISH);
    await page.getByRole("checkbox", { name: "Second derivative" }).check();
    await page.locator("#pg-props summary").click();
    await expect.poll(() => page.locator("#pg-props-body table").count(), { timeout: 30_000 }).toBe(2);
    const claim = page.getByLabel("Claim", { exact: true });
    await claim.fill("swish'(x) = sigmoid(x)");
    await claim.press("Enter");
    await expect.poll(() => page.locator("#pg-verdict dd.refuted").count(), { timeout: 30_000 }).toBe(1);
    // Tab through the page: every control is reached, and each has a name.
    const reached = new Set<string>();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const e = (globalThis as unknown as { document: { activeElement: { id: string; tagName: string } | null } }).document.activeElement;
        return e ? e.id || e.tagName : "";
      });
      reached.add(focused);
    }
    for (const id of ["pg-formula", "pg-catalog", "pg-second", "pg-xmin", "pg-xmax", "pg-zoom-in", "pg-reset-range", "pg-claim", "pg-tab-js", "pg-copy-js", "pg-download-js", "pg-audit-density", "pg-audit-run"]) {
      expect(reached, id).toContain(id);
    }
    expect(reached).toContain("SUMMARY");
    // axe-core, from the test's node_modules (the page does not ship it), with its defaults and the page's policy in force.
    await page.addScriptTag({ url: pathToFileURL(join(ROOT, "node_modules/axe-core/axe.min.js")).href });
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ["violations"], preload: false });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
    });
    writeFileSync(join(ARTIFACTS, "playground-axe.json"), JSON.stringify(violations, null, 2) + "\n");
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

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
