/**
 * playground.html: the markup of the page on which a person types a formula and sees what
 * actdiff makes of it. The page is static; the bundle (src/playground, built by
 * scripts/bundle.ts) finds its parts by the ids below and fills them in.
 */
import type { CatalogEntry } from "../catalog/catalog.js";
import { escapeXml as esc } from "./text.js";

export const PLAYGROUND_FILE = "playground.html";
/** The bundle, next to the page: a classic script, since Chromium loads no module script from file://. */
export const PLAYGROUND_SCRIPT = "actdiff-playground.js";

/** The elements the script fills in, by id. */
export const PLAYGROUND_IDS = {
  formula: "pg-formula",
  catalog: "pg-catalog",
  error: "pg-error",
  math: "pg-math",
  derivative: "pg-derivative",
  params: "pg-params",
  plot: "pg-plot",
  module: "pg-module",
  copy: "pg-copy",
  download: "pg-download",
  status: "pg-status",
} as const;

/** The formula the page starts with when its URL names none. */
export const PLAYGROUND_START = "swish(x; beta = 1) = x * sigmoid(beta * x)";

/**
 * The policy the page sets itself: scripts from its folder only and no eval — the bundle
 * compiles with `{ csp: true }` — and no connection anywhere. KaTeX's markup sizes its boxes
 * with style attributes, hence the inline styles.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "font-src 'self'", "img-src 'self' data:",
  "connect-src 'none'", "base-uri 'none'", "form-action 'none'",
].join("; ");

/** The page's body, inside the site's common frame (html.ts's document()). */
export function playgroundBody(catalog: readonly CatalogEntry[]): string {
  const id = PLAYGROUND_IDS;
  const options = catalog.map((e) => `<option value="${esc(e.source)}">${esc(e.name)}</option>`);
  return [
    `<main id="content" class="playground">`,
    `<h1>Playground</h1>`,
    `<p class="lead">Type an activation function in one line — <code>f(x; beta = 1) = x * sigmoid(beta * x)</code> — and see its derivative, its plot and the JavaScript actdiff generates for it. Everything runs in this page; nothing is sent anywhere.</p>`,
    `<div class="pg-inputs">`,
    `<p class="pg-field"><label for="${id.formula}">Formula</label>`,
    `<input id="${id.formula}" type="text" value="${esc(PLAYGROUND_START)}" spellcheck="false" autocomplete="off" autocapitalize="off" aria-describedby="${id.error}"></p>`,
    `<p class="pg-field"><label for="${id.catalog}">Start from the catalog</label>`,
    `<select id="${id.catalog}"><option value="">Choose an activation…</option>${options.join("")}</select></p>`,
    `</div>`,
    `<div id="${id.error}" class="pg-error" role="alert"></div>`,
    `<section aria-labelledby="pg-formulas-heading">`,
    `<h2 id="pg-formulas-heading">Formulas</h2>`,
    `<div id="${id.math}" class="pg-math"></div>`,
    `<h3 id="pg-derivative-heading">Derivative</h3>`,
    `<pre id="${id.derivative}" aria-labelledby="pg-derivative-heading"></pre>`,
    `</section>`,
    `<section aria-labelledby="pg-plot-heading">`,
    `<h2 id="pg-plot-heading">Plot</h2>`,
    `<div id="${id.params}" class="pg-params"></div>`,
    `<figure id="${id.plot}" class="plot"></figure>`,
    `</section>`,
    `<section aria-labelledby="pg-code-heading">`,
    `<h2 id="pg-code-heading">Generated JavaScript</h2>`,
    `<p>A standalone ES module exporting f, its gradient and batch kernels: <button type="button" id="${id.copy}">Copy</button> <button type="button" id="${id.download}">Download</button> <span id="${id.status}" role="status"></span></p>`,
    `<pre class="pg-module" tabindex="0" aria-label="The generated module"><code id="${id.module}" class="language-js"></code></pre>`,
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
.pg-stale .playground section { opacity: .45; }
.pg-params { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; }
.pg-params label { display: flex; align-items: center; gap: .5rem; font-family: ui-monospace, monospace; }
.pg-params input[type="number"] { width: 6rem; }
pre.pg-module { max-height: 30rem; overflow: auto; }
.playground svg.plot-full { max-width: 100%; }
button { font: inherit; padding: .2rem .7rem; }
@media (max-width: 40rem) { .pg-inputs { grid-template-columns: 1fr; } }
`;
