/**
 * playground.html: the markup of the page on which a person types a formula and sees what
 * actdiff makes of it. The page is static; the bundle (src/playground, built by
 * scripts/bundle.ts) finds its parts by the ids below and fills them in.
 */
import type { CatalogEntry } from "../catalog/catalog.js";
import type { EmitLang } from "../codegen/langs.js";
import { escapeXml as esc } from "./text.js";

export const PLAYGROUND_FILE = "playground.html";
/** The bundle, next to the page: a classic script, since Chromium loads no module script from file://. */
export const PLAYGROUND_SCRIPT = "actdiff-playground.js";

/** The worker's code as a string (scripts/bundle.ts), beside the bundle; the page loads it on first use. */
export const PLAYGROUND_ENGINE = "actdiff-engine.js";
/** The global PLAYGROUND_ENGINE sets to the worker's code. */
export const ENGINE_GLOBAL = "actdiffEngineSource";

/** The elements the script fills in, by id. */
export const PLAYGROUND_IDS = {
  formula: "pg-formula",
  catalog: "pg-catalog",
  error: "pg-error",
  math: "pg-math",
  second: "pg-second",
  derivative: "pg-derivative",
  secondText: "pg-second-text",
  secondBlock: "pg-second-block",
  params: "pg-params",
  plot: "pg-plot",
  xmin: "pg-xmin",
  xmax: "pg-xmax",
  zoomIn: "pg-zoom-in",
  zoomOut: "pg-zoom-out",
  panLeft: "pg-pan-left",
  panRight: "pg-pan-right",
  resetRange: "pg-reset-range",
  claimForm: "pg-claim-form",
  claim: "pg-claim",
  verdict: "pg-verdict",
  props: "pg-props",
  propsBody: "pg-props-body",
  tabs: "pg-tabs",
  codeStatus: "pg-status",
  auditDensity: "pg-audit-density",
  auditRun: "pg-audit-run",
  auditCancel: "pg-audit-cancel",
  auditProgress: "pg-audit-progress",
  auditStatus: "pg-audit-status",
  auditReport: "pg-audit-report",
} as const;

/** The code tabs' ids: the tab `pg-tab-js`, its panel `pg-panel-js`, the code `pg-code-js`, its buttons. */
export const codeIds = (lang: string) => ({
  tab: `pg-tab-${lang}`, panel: `pg-panel-${lang}`, code: `pg-code-${lang}`, copy: `pg-copy-${lang}`, download: `pg-download-${lang}`,
});

/** The code tabs, in order: `actdiff emit --lang`'s targets (src/codegen/langs.ts). */
export const PLAYGROUND_CODE_TABS: readonly { readonly lang: EmitLang; readonly title: string; readonly what: string }[] = [
  { lang: "js", title: "JavaScript", what: "A standalone ES module exporting f, its gradient and batch kernels" },
  { lang: "ts", title: "TypeScript", what: "The same module, typed" },
  { lang: "torch", title: "PyTorch", what: "A Python module: the functional form, a torch.autograd.Function with actdiff's derivative, an nn.Module" },
  { lang: "tfjs", title: "TensorFlow.js", what: "A tf.customGrad op with actdiff's derivative and a serializable layer" },
];

/** Sweep densities the page offers for the audit: the reduced one is the default, the full one is the CLI's. */
export const AUDIT_DENSITIES = { reduced: 50, full: 200 } as const;

/** The formula the page starts with when its URL names none. */
export const PLAYGROUND_START = "swish(x; beta = 1) = x * sigmoid(beta * x)";

/**
 * The policy the page sets itself: scripts from its folder only and no eval — the bundle
 * compiles with `{ csp: true }` — and no connection anywhere. The worker starts from a Blob URL
 * the page makes of PLAYGROUND_ENGINE's text (and runs under this same policy). KaTeX's markup sizes its boxes
 * with style attributes, hence the inline styles.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "font-src 'self'", "img-src 'self' data:",
  "connect-src 'none'", "worker-src blob:", "base-uri 'none'", "form-action 'none'",
].join("; ");

/** The page's body, inside the site's common frame (html.ts's document()). */
export function playgroundBody(catalog: readonly CatalogEntry[]): string {
  const id = PLAYGROUND_IDS;
  const options = catalog.map((e) => `<option value="${esc(e.source)}">${esc(e.name)}</option>`);
  const tabs = PLAYGROUND_CODE_TABS.map((t, i) => {
    const c = codeIds(t.lang);
    return `<button type="button" role="tab" id="${c.tab}" aria-controls="${c.panel}" aria-selected="${i === 0}" tabindex="${i === 0 ? 0 : -1}">${esc(t.title)}</button>`;
  });
  const panels = PLAYGROUND_CODE_TABS.map((t, i) => {
    const c = codeIds(t.lang);
    return [
      `<div role="tabpanel" id="${c.panel}" aria-labelledby="${c.tab}"${i === 0 ? "" : " hidden"}>`,
      `<p>${esc(t.what)}: <button type="button" id="${c.copy}">Copy</button> <button type="button" id="${c.download}">Download</button></p>`,
      `<pre class="pg-module" tabindex="0" aria-label="The generated ${esc(t.title)} code"><code id="${c.code}"></code></pre>`,
      `</div>`,
    ].join("\n");
  });
  return [
    `<main id="content" class="playground">`,
    `<h1>Playground</h1>`,
    `<p class="lead">Type an activation function in one line — <code>f(x; beta = 1) = x * sigmoid(beta * x)</code> — and see its derivative, its plot, its properties and the code actdiff generates for it. Everything runs in this page; nothing is sent anywhere.</p>`,
    `<div class="pg-inputs">`,
    `<p class="pg-field"><label for="${id.formula}">Formula</label>`,
    `<input id="${id.formula}" type="text" value="${esc(PLAYGROUND_START)}" spellcheck="false" autocomplete="off" autocapitalize="off" aria-describedby="${id.error}"></p>`,
    `<p class="pg-field"><label for="${id.catalog}">Start from the catalog</label>`,
    `<select id="${id.catalog}"><option value="">Choose an activation…</option>${options.join("")}</select></p>`,
    `</div>`,
    `<div id="${id.error}" class="pg-error" role="alert"></div>`,
    `<section aria-labelledby="pg-formulas-heading">`,
    `<h2 id="pg-formulas-heading">Formulas</h2>`,
    `<p><label><input type="checkbox" id="${id.second}"> Second derivative</label></p>`,
    `<div id="${id.math}" class="pg-math"></div>`,
    `<h3 id="pg-derivative-heading">Derivative</h3>`,
    `<pre id="${id.derivative}" aria-labelledby="pg-derivative-heading"></pre>`,
    `<div id="${id.secondBlock}" hidden>`,
    `<h3 id="pg-second-heading">Second derivative</h3>`,
    `<pre id="${id.secondText}" aria-labelledby="pg-second-heading"></pre>`,
    `</div>`,
    `</section>`,
    `<section aria-labelledby="pg-plot-heading">`,
    `<h2 id="pg-plot-heading">Plot</h2>`,
    `<div id="${id.params}" class="pg-params"></div>`,
    `<div class="pg-range" role="group" aria-labelledby="pg-range-label">`,
    `<span id="pg-range-label">x range</span>`,
    `<label>from <input id="${id.xmin}" type="number" step="any"></label>`,
    `<label>to <input id="${id.xmax}" type="number" step="any"></label>`,
    `<button type="button" id="${id.zoomIn}">Zoom in</button>`,
    `<button type="button" id="${id.zoomOut}">Zoom out</button>`,
    `<button type="button" id="${id.panLeft}">Pan left</button>`,
    `<button type="button" id="${id.panRight}">Pan right</button>`,
    `<button type="button" id="${id.resetRange}">Reset view</button>`,
    `</div>`,
    `<p class="pg-note">On the plot: the wheel zooms, dragging pans.</p>`,
    `<figure id="${id.plot}" class="plot"></figure>`,
    `</section>`,
    `<section aria-labelledby="pg-verify-heading">`,
    `<h2 id="pg-verify-heading">Check a claim</h2>`,
    `<form id="${id.claimForm}" class="pg-claim">`,
    `<label for="${id.claim}">Claim</label>`,
    `<input id="${id.claim}" type="text" spellcheck="false" autocomplete="off" autocapitalize="off" aria-describedby="pg-claim-help">`,
    `<button type="submit">Verify</button>`,
    `</form>`,
    `<p id="pg-claim-help" class="pg-note">An identity in the current function's names or the catalog's, e.g. <code>swish'(x) = sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))</code> — decided as <code>actdiff verify</code> decides it: proved, verified, refuted or undecided.</p>`,
    `<h3 id="pg-verdict-heading">Verdict</h3>`,
    `<div id="${id.verdict}" class="pg-verdict" role="status" aria-live="polite" aria-labelledby="pg-verdict-heading"></div>`,
    `</section>`,
    `<section aria-labelledby="pg-props-heading">`,
    `<h2 id="pg-props-heading">Properties</h2>`,
    `<details id="${id.props}"><summary>Property sheet: range, monotonicity, saturation, smoothness … and how each was established</summary>`,
    `<div id="${id.propsBody}" aria-live="polite"></div>`,
    `</details>`,
    `</section>`,
    `<section aria-labelledby="pg-code-heading">`,
    `<h2 id="pg-code-heading">Generated code</h2>`,
    `<div id="${id.tabs}" role="tablist" aria-label="Language of the generated code">${tabs.join("")}</div>`,
    ...panels,
    `<p><span id="${id.codeStatus}" role="status"></span></p>`,
    `</section>`,
    `<section aria-labelledby="pg-audit-heading">`,
    `<h2 id="pg-audit-heading">Accuracy audit</h2>`,
    `<p>f, f′ and f″ as generated (and as written) in float64 and float32, measured in ulps against a BigNumber reference of at least 40 digits, as <code>actdiff audit</code> does — in a background worker, so the page stays responsive. The reduced sweep takes a fraction of the points of the command line's; the SIMD kernels and the PyTorch module are audited by the command line only.</p>`,
    `<p class="pg-audit-controls"><label for="${id.auditDensity}">Sweep</label> <select id="${id.auditDensity}">`,
    `<option value="${AUDIT_DENSITIES.reduced}">reduced (density ${AUDIT_DENSITIES.reduced})</option>`,
    `<option value="${AUDIT_DENSITIES.full}">full (density ${AUDIT_DENSITIES.full}, as the command line)</option>`,
    `</select> <button type="button" id="${id.auditRun}">Run the audit</button> <button type="button" id="${id.auditCancel}" disabled>Cancel</button></p>`,
    `<p class="pg-audit-progress"><label for="${id.auditProgress}">Audit progress</label> <progress id="${id.auditProgress}" max="1" value="0"></progress></p>`,
    `<p id="${id.auditStatus}" role="status"></p>`,
    `<pre id="${id.auditReport}" class="pg-audit-report" tabindex="0" aria-label="Audit report" hidden></pre>`,
    `</section>`,
    `<noscript><p class="error">The playground runs actdiff in this page and needs JavaScript.</p></noscript>`,
    `</main>`,
    `<script src="${PLAYGROUND_SCRIPT}"></script>`,
  ].join("\n");
}

/** The playground's additions to the site's stylesheet. */
export const PLAYGROUND_STYLES = `.site-nav { display: flex; gap: 1.25rem; font-size: .95rem; padding-bottom: .5rem; border-bottom: 1px solid var(--rule); }
.pg-inputs { display: grid; grid-template-columns: 1fr auto; gap: .5rem 1.5rem; align-items: end; }
.pg-field { margin: .5rem 0; display: flex; flex-direction: column; gap: .25rem; }
.pg-field label { font-weight: 600; }
#pg-formula { font: 1.05rem ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; padding: .45rem .6rem; border: 1px solid #888; border-radius: 4px; width: 100%; }
#pg-formula[aria-invalid="true"] { border-color: #b42318; }
#pg-formula:focus-visible, select:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
.pg-error:not(:empty) { border-left: 4px solid #b42318; background: #fff4f2; padding: .5rem .9rem; margin: .5rem 0; }
.pg-error pre { background: transparent; padding: 0; margin: .25rem 0; }
.pg-error .message { color: #b42318; font-weight: 600; margin: 0; }
.pg-math { overflow-x: auto; }
#pg-derivative, #pg-second-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.pg-math figure:focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
.pg-stale .playground section { opacity: .45; }
.pg-params { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; }
.pg-params label { display: flex; align-items: center; gap: .5rem; font-family: ui-monospace, monospace; }
.pg-params input[type="number"] { width: 6rem; }
.pg-range { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem .8rem; margin: .75rem 0 .25rem; }
.pg-range input[type="number"] { width: 6.5rem; }
.pg-note { color: #555; font-size: .9rem; margin: .25rem 0; }
#pg-plot { cursor: grab; touch-action: none; }
#pg-plot.dragging { cursor: grabbing; }
.pg-claim { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
#pg-claim { flex: 1; min-width: 16rem; font: 1rem ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; padding: .35rem .5rem; }
.pg-verdict dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .25rem 0; }
.pg-verdict dt { font-weight: 600; }
.pg-verdict dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.pg-verdict .holds { color: #1a7f37; font-weight: 700; }
.pg-verdict .refuted { color: #b42318; font-weight: 700; }
details summary { cursor: pointer; font-weight: 600; }
.pg-props-table { border-collapse: collapse; width: 100%; font-size: .92rem; margin: .5rem 0 1rem; }
.pg-props-table th, .pg-props-table td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--rule); }
[role="tablist"] { display: flex; gap: .25rem; border-bottom: 1px solid #888; margin-top: .5rem; }
[role="tab"] { border: 1px solid #888; border-bottom: none; background: #f3f3f3; border-radius: 4px 4px 0 0; }
[role="tab"][aria-selected="true"] { background: #fff; font-weight: 600; position: relative; top: 1px; }
[role="tab"]:focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
pre:focus-visible, summary:focus-visible { outline: 3px solid #f0a500; outline-offset: 1px; }
.pg-audit-progress { display: flex; gap: .75rem; align-items: center; }
.pg-audit-progress progress { width: 20rem; max-width: 60%; }
pre.pg-audit-report { max-height: 30rem; overflow: auto; font-size: .85rem; }
pre.pg-module { max-height: 30rem; overflow: auto; }
.playground svg.plot-full { max-width: 100%; }
button { font: inherit; padding: .2rem .7rem; }
@media (max-width: 40rem) { .pg-inputs { grid-template-columns: 1fr; } }
`;
