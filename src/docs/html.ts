import katex from "katex";
import type { CatalogEntry } from "../catalog/catalog.js";
import type { ExportDoc } from "./exports.js";
import { groupPages } from "./provenance.js";
import type { ActivationDoc } from "./model.js";
import type { MultiDoc } from "./model-multi.js";
import type { PageDoc } from "./page.js";
import { PLAYGROUND_CSP, PLAYGROUND_FILE, PLAYGROUND_STYLES, playgroundBody } from "./playground-page.js";
import { multiPropertyTables, propertyTables, type PropertyRow } from "./properties.js";
import { breakpointSentence, derivativesText, domainText, FORMULA_CAPTIONS, paramSentence, verificationStatus } from "./prose.js";
import { escapeXml as esc, formatNumber, symbolName } from "./text.js";

/** Where the pages find KaTeX's stylesheet (its fonts sit next to it, in `katex/fonts/`). */
export const KATEX_CSS = "katex/katex.min.css";
export const STYLE_CSS = "style.css";

export interface SiteInfo {
  readonly title: string;
  /** `actdiff 0.1.0`, for the footer. */
  readonly generator: string;
  /** Whether the site has the playground: then every page's header links to it. */
  readonly playground?: boolean;
}

/**
 * Math rendered once, at build time: KaTeX's HTML for the eye and MathML for screen readers and
 * copying, so the page needs no script. A formula KaTeX cannot typeset is a bug in our LaTeX,
 * and stops the build rather than shipping a red error box.
 */
/**
 * Strict, but for letters KaTeX has no metrics for: a name in Cyrillic, Devanagari or Han is set
 * in `\text{…}` (src/codegen/latex.ts) and shows in the page's own font.
 */
const strictness = (code: string): "ignore" | "error" => (code === "unknownSymbol" || code === "symbolNotInFont" ? "ignore" : "error");

export function renderMath(latex: string, where: string, display = true): string {
  try {
    return katex.renderToString(latex, { displayMode: display, output: "htmlAndMathml", throwOnError: true, strict: strictness });
  } catch (err) {
    // Our LaTeX printer's output, not the user's text: a failure here is actdiff's bug.
    throw new Error(`KaTeX cannot typeset the LaTeX of ${where}: ${err instanceof Error ? err.message : String(err)}\n  ${latex}`);
  }
}

export const pageFile = (doc: PageDoc): string => `${doc.slug}.html`;

/** The gallery: each activation's name, small plot, formula and summary, linking to its page. */
export function indexPage(docs: readonly PageDoc[], site: SiteInfo): string {
  const card = (doc: PageDoc, heading: "h2" | "h3"): string => [
    `<li class="card">`,
    `<${heading}><a href="${esc(pageFile(doc))}">${esc(doc.name)}</a></${heading}>`,
    `<figure class="thumbnail">${doc.thumbnail.svg}</figure>`,
    `<div class="formula">${renderMath(doc.formulas[0]!.latex, doc.name)}</div>`,
    doc.summary ? `<p class="summary">${esc(doc.summary)}</p>` : "",
    `</li>`,
  ].filter(Boolean).join("\n");
  // Catalog pages in the groups of `actdiff list`; a site of user definitions only is one gallery.
  const groups = groupPages(docs);
  const galleries = groups.length === 1 && groups[0]!.title === "Other"
    ? [`<ul class="gallery">`, ...docs.map((d) => card(d, "h2")), `</ul>`]
    : groups.flatMap((g) => [`<section class="group">`, `<h2>${esc(g.title)}</h2>`, `<ul class="gallery">`, ...g.docs.map((d) => card(d, "h3")), `</ul>`, `</section>`]);
  const body = [
    `<main id="content">`,
    `<h1>${esc(site.title)}</h1>`,
    `<p class="lead">${docs.length} activation function${docs.length === 1 ? "" : "s"}. Each page gives the definition, ${derivativesText(docs)}, plots, ` +
    `the derivative's verification and the generated JavaScript. Choose one:</p>`,
    ...galleries,
    `</main>`,
  ].join("\n");
  return document(site.title, body, site);
}

/** Where the definition and the kink convention come from, and torch's counterpart: paragraphs. */
const provenanceHtml = (doc: PageDoc): string[] => doc.provenance === undefined ? [] : [
  ...doc.provenance.sentences.map((t) => `<p>${esc(t)}</p>`),
  `<p>In PyTorch: <code>${esc(doc.provenance.torch)}</code> (F = torch.nn.functional). Differences from torch: ${esc(doc.provenance.torchDiffers ?? "")}</p>`,
];

type Neighbours = { previous?: PageDoc; next?: PageDoc };

/** A page of the site, of whichever kind. */
export function page(doc: PageDoc, site: SiteInfo, neighbours: Neighbours = {}): string {
  return doc.kind === "one" ? activationPage(doc, site, neighbours) : multiPage(doc, site, neighbours);
}

const section = (id: string, title: string, content: readonly string[]): string =>
  [`<section aria-labelledby="${esc(id)}">`, `<h2 id="${esc(id)}">${esc(title)}</h2>`, ...content, `</section>`].join("\n");

/** One activation's page. */
export function activationPage(doc: ActivationDoc, site: SiteInfo, neighbours: Neighbours = {}): string {
  const definition = [
    `<pre class="definition"><code>${esc(doc.definition)}</code></pre>`,
    ...(doc.params.length ? [`<p>${doc.params.length === 1 ? "Parameter" : "Parameters"}:</p>`, `<ul>${doc.params.map((p) => `<li>${esc(paramSentence(p))}</li>`).join("")}</ul>`] : []),
    ...(doc.reference && !doc.provenance ? [`<p>Source: ${esc(doc.reference)}.</p>`] : []),
    ...provenanceHtml(doc),
  ];
  const formulas = doc.formulas.map((f) =>
    `<figure class="formula">` +
    `<figcaption>${esc(FORMULA_CAPTIONS[f.order])}</figcaption>${renderMath(f.latex, `${f.label}`)}</figure>`);
  const bp = breakpointSentence(doc);
  const plots = [
    ...doc.plots.map((p) => `<figure class="plot">\n${p.svg}\n<figcaption>${esc(p.title)} for x in ${esc(domainText(doc))}</figcaption>\n</figure>`),
    ...(bp ? [`<p>${esc(bp)}</p>`] : []),
    ...(doc.kinkNote ? [`<p>Convention: ${esc(doc.kinkNote)}</p>`] : []),
  ];
  const status = verificationStatus(doc.verification.result);
  const verification = [
    `<p class="status ${status.ok ? "holds" : "refuted"}"><strong>${esc(status.headline)}.</strong> ${esc(status.detail)}.</p>`,
    `<p>Compared with ${esc(doc.verification.against)}${doc.verification.statedLatex ? ":" : "."}</p>`,
    ...(doc.verification.statedLatex ? [`<div class="formula">${renderMath(`${doc.formulas[1]!.lhs} = ${doc.verification.statedLatex}`, `the stated derivative of ${doc.name}`)}</div>`] : []),
    `<p>The claim checked:</p>`,
    `<pre><code>${esc(doc.verification.claim)}</code></pre>`,
  ];
  const code = [
    `<p>What <code>define(…).compile()</code> runs: <code>x0</code> is the input${doc.params.length ? `, <code>p0</code>, <code>p1</code>, … the parameters in order` : ""}; ` +
    `<code>h_…</code> are actdiff's numerically stable helpers.</p>`,
    `<h3>f</h3>`, `<pre><code class="language-js">${esc(doc.code.f)}</code></pre>`,
    `<h3>f′</h3>`, `<pre><code class="language-js">${esc(doc.code.df)}</code></pre>`,
  ];

  const sections = [
    section("definition", "Definition", definition),
    section("formulas", "Formulas", formulas),
    section("plots", "Plots", plots),
    ...(doc.properties ? [section("properties", "Properties", propertiesHtml(doc))] : []),
    ...(doc.propertiesError !== undefined ? [section("properties", "Properties", [`<p class="error">The property analysis failed: ${esc(doc.propertiesError)}</p>`])] : []),
    section("verification", "Derivative verification", verification),
    section("code", "Generated JavaScript", code),
    ...doc.exports.map(exportSection),
  ];
  return pageDocument(doc, sections, site, neighbours);
}

/** A module of another framework: what it is, the command that writes it, and the module (folded: it is long). */
function exportSection(e: ExportDoc): string {
  const lines = e.source.split("\n").length - 1;
  return section(e.id, e.title, [
    `<p>${esc(e.note)} Written by <code>${esc(e.command)}</code>.</p>`,
    `<details><summary>The module (${lines} lines)</summary><pre><code class="language-${esc(e.language)}">${esc(e.source)}</code></pre></details>`,
  ]);
}

/** The page around its sections: breadcrumb, title, lead, the sections, the pager. */
function pageDocument(doc: PageDoc, sections: readonly string[], site: SiteInfo, neighbours: Neighbours): string {
  const pager = [
    `<nav class="pager" aria-label="Other activations">`,
    neighbours.previous ? `<a rel="prev" href="${esc(pageFile(neighbours.previous))}">← ${esc(neighbours.previous.name)}</a>` : `<span></span>`,
    `<a href="index.html">All activations</a>`,
    neighbours.next ? `<a rel="next" href="${esc(pageFile(neighbours.next))}">${esc(neighbours.next.name)} →</a>` : `<span></span>`,
    `</nav>`,
  ];
  const body = [
    `<nav class="breadcrumb" aria-label="Breadcrumb"><a href="index.html">${esc(site.title)}</a></nav>`,
    `<main id="content">`,
    `<h1>${esc(doc.name)}</h1>`,
    doc.summary ? `<p class="lead">${esc(doc.summary)}</p>` : "",
    ...sections,
    ...pager,
    `</main>`,
  ].filter(Boolean).join("\n");
  return document(`${doc.name} — ${site.title}`, body, site);
}

const table = (caption: string, head: readonly string[], rows: readonly PropertyRow[]): string => [
  `<table>`, `<caption>${esc(caption)}</caption>`,
  `<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead>`,
  `<tbody>`, ...rows.map((r) => `<tr><th scope="row">${esc(r.property)}</th><td>${esc(r.value)}</td><td class="method">${esc(r.method)}</td></tr>`), `</tbody>`,
  `</table>`,
].join("\n");

/**
 * The page of a function of several inputs or of a vector: the same sections as a page of one
 * input, each with what suits such a function (see model-multi.ts).
 */
export function multiPage(doc: MultiDoc, site: SiteInfo, neighbours: Neighbours = {}): string {
  const definition = [
    `<pre class="definition"><code>${esc(doc.definition)}</code></pre>`,
    ...(doc.params.length ? [`<p>${doc.params.length === 1 ? "Parameter" : "Parameters"}:</p>`, `<ul>${doc.params.map((p) => `<li>${esc(paramSentence(p))}</li>`).join("")}</ul>`] : []),
    ...(doc.reference && !doc.provenance ? [`<p>Source: ${esc(doc.reference)}.</p>`] : []),
    ...provenanceHtml(doc),
  ];
  const formulas = doc.formulas.map((f) =>
    `<figure class="formula"><figcaption>${esc(f.caption)}</figcaption>${renderMath(f.latex, f.label)}</figure>`);
  const plots = [
    ...doc.plots.map((p) => `<figure class="plot">\n${p.svg}\n<figcaption>${esc(p.caption)}</figcaption>\n</figure>`),
    ...(doc.kinkNote ? [`<p>Convention: ${esc(doc.kinkNote)}</p>`] : []),
  ];
  const v = doc.verification;
  const status = verificationStatus(v.result);
  const stated = v.parts.filter((p) => p.statedLatex !== undefined);
  const verification = [
    `<p class="status ${status.ok ? "holds" : "refuted"}"><strong>${esc(status.headline)}.</strong> ${esc(status.detail)}.</p>`,
    `<p>Compared with ${esc(v.against)}${stated.length ? ":" : "."}</p>`,
    ...stated.map((p) => `<div class="formula">${renderMath(p.statedLatex!, `the stated ${p.label} of ${doc.name}`)}</div>`),
    `<p>The claim${v.parts.length > 1 ? "s" : ""} checked:</p>`,
    ...v.parts.flatMap((p) => [
      ...(v.parts.length > 1 ? [`<p>${esc(p.label)}: ${esc(verificationStatus(p.result).headline)}.</p>`] : []),
      `<pre><code>${esc(p.claim)}</code></pre>`,
    ]),
  ];
  const code = [
    `<p>${esc(doc.codeNote)}</p>`,
    ...doc.code.flatMap((c) => [`<h3>${esc(c.title)}</h3>`, `<pre><code class="language-js">${esc(c.source)}</code></pre>`]),
  ];
  const sections = [
    section("definition", "Definition", definition),
    section("formulas", "Formulas", formulas),
    section("plots", "Plots", plots),
    ...(doc.properties ? [section("properties", "Properties", multiPropertiesHtml(doc))] : []),
    ...(doc.propertiesError !== undefined ? [section("properties", "Properties", [`<p class="error">The property analysis failed: ${esc(doc.propertiesError)}</p>`])] : []),
    section("verification", "Derivative verification", verification),
    section("code", "Generated JavaScript", code),
    ...doc.exports.map(exportSection),
  ];
  return pageDocument(doc, sections, site, neighbours);
}

function multiPropertiesHtml(doc: MultiDoc): string[] {
  const tables = multiPropertyTables(doc.properties!);
  const values = Object.entries(doc.properties!.params);
  return [
    ...(values.length ? [`<p>Stated for ${esc(values.map(([k, v]) => `${symbolName(k)} = ${formatNumber(v)}`).join(", "))}.</p>`] : []),
    table("Properties, and how each was established", ["Property", "Value", "How it was established"], tables.properties),
    ...(tables.factors.length ? [table("The factors, each a function of one input with a property sheet of its own", ["Factor", "What it does", "How it was established"], tables.factors)] : []),
    ...(tables.notes.length ? [`<h3>Notes</h3>`, `<ul>${tables.notes.map((note) => `<li>${esc(note)}</li>`).join("")}</ul>`] : []),
  ];
}

function propertiesHtml(doc: ActivationDoc): string[] {
  const tables = propertyTables(doc.properties!);
  const values = Object.entries(doc.properties!.params);
  return [
    ...(values.length ? [`<p>Stated for ${esc(values.map(([k, v]) => `${symbolName(k)} = ${formatNumber(v)}`).join(", "))}.</p>`] : []),
    table("Properties, and how each was established", ["Property", "Value", "How it was established"], tables.properties),
    table("The survey's checklist", ["Criterion", "Met", "How it was established"], tables.checklist),
    ...(tables.notes.length ? [`<h3>Notes</h3>`, `<ul>${tables.notes.map((note) => `<li>${esc(note)}</li>`).join("")}</ul>`] : []),
  ];
}

/** The playground: its static markup, filled in by the bundle; under a policy that forbids eval. */
export function playgroundPage(catalog: readonly CatalogEntry[], site: SiteInfo): string {
  return document(`Playground — ${site.title}`, playgroundBody(catalog), site, [`<meta http-equiv="Content-Security-Policy" content="${esc(PLAYGROUND_CSP)}">`]);
}

/** The site's header: the gallery and the playground, on every page of a site that has one. */
const siteNav = (site: SiteInfo): string =>
  `<header><nav class="site-nav" aria-label="Site"><a href="index.html">${esc(site.title)}</a><a href="${PLAYGROUND_FILE}">Playground</a></nav></header>`;

function document(title: string, body: string, site: SiteInfo, head: readonly string[] = []): string {
  return [
    `<!DOCTYPE html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8">`,
    ...head,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="generator" content="${esc(site.generator)}">`,
    `<title>${esc(title)}</title>`,
    `<link rel="stylesheet" href="${KATEX_CSS}">`,
    `<link rel="stylesheet" href="${STYLE_CSS}">`,
    `</head>`,
    `<body>`,
    `<a class="skip" href="#content">Skip to content</a>`,
    ...(site.playground ? [siteNav(site)] : []),
    body,
    `<footer><p>Generated by ${esc(site.generator)} from the definitions alone.</p></footer>`,
    `</body>`,
    `</html>`,
    "",
  ].join("\n");
}

/** The site's own stylesheet: readable measure, responsive plots, visible focus. */
export const STYLESHEET = `:root { color-scheme: light; --ink: #1d1d1f; --muted: #555; --rule: #ddd; --accent: #0a5ca8; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 1rem 1.25rem 3rem; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .25rem .5rem; }
h1 { font-size: 2rem; margin: .5rem 0 .25rem; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
.lead { color: var(--muted); font-size: 1.1rem; }
pre { background: #f6f8fa; padding: .75rem 1rem; overflow-x: auto; border-radius: 4px; font-size: .9rem; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
figure { margin: 1rem 0; }
figure.formula { overflow-x: auto; }
figure.formula figcaption, figure.plot figcaption { color: var(--muted); font-size: .9rem; }
svg.plot { max-width: 100%; height: auto; display: block; }
svg.plot-full { width: 100%; max-width: 44rem; }
.gallery { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem .9rem .9rem; }
.card h2 { margin: .25rem 0 .5rem; font-size: 1.2rem; border: 0; }
.card .thumbnail { margin: 0; }
.card .formula { overflow-x: auto; font-size: .8rem; }
.card .formula .katex { font-size: 1em; }
.card svg.plot-thumbnail { width: 100%; }
.card .summary { color: var(--muted); margin: .25rem 0 0; font-size: .95rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top; }
td.method { color: var(--muted); font-size: .85rem; }
.status.holds strong { color: #1a7f37; }
.status.refuted strong, .error { color: #b42318; }
.pager { display: flex; justify-content: space-between; margin-top: 2.5rem; padding-top: 1rem; border-top: 1px solid var(--rule); }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
` + PLAYGROUND_STYLES;
