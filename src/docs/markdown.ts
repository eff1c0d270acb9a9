import type { ExportDoc } from "./exports.js";
import type { ActivationDoc } from "./model.js";
import { groupPages } from "./provenance.js";
import type { MultiDoc } from "./model-multi.js";
import type { PageDoc } from "./page.js";
import { multiPropertyTables, propertyTables, type PropertyRow } from "./properties.js";
import { breakpointSentence, derivativesText, domainText, FORMULA_CAPTIONS, paramSentence, verificationStatus } from "./prose.js";
import { formatNumber, symbolName } from "./text.js";

/**
 * Markdown for a repository's docs: math as `$$…$$` blocks (GitHub, GitLab and most static-site
 * generators render them), plots as SVG files under `plots/`. Every derivative is written as a
 * claim — `\mathrm{swish}'(x) = …` — that a document checker can read back and verify.
 */

export const PLOTS_DIR = "plots";
export const markdownFile = (doc: PageDoc): string => `${doc.slug}.md`;
export const plotFile = (id: string): string => `${PLOTS_DIR}/${id}.svg`;

export function markdownIndex(docs: readonly PageDoc[], title: string): string {
  const out = [
    `# ${text(title)}`, "",
    `${docs.length} activation function${docs.length === 1 ? "" : "s"}. Each page gives the definition, ${derivativesText(docs)}, plots, ` +
    "the derivative's verification and the generated JavaScript.", "",
  ];
  // Catalog pages in the groups of `actdiff list`; a site of user definitions only is one list.
  const groups = groupPages(docs);
  const grouped = !(groups.length === 1 && groups[0]!.title === "Other");
  for (const g of grouped ? groups : [{ title: "", docs: [...docs] }]) {
    if (grouped) out.push(`## ${text(g.title)}`, "");
    for (const doc of g.docs) {
      out.push(`${grouped ? "###" : "##"} [${text(doc.name)}](${markdownFile(doc)})`, "");
      if (doc.summary) out.push(text(doc.summary), "");
      out.push(image(doc.thumbnail.description, plotFile(doc.thumbnail.id)), "", ...math(doc.formulas[0]!.latex), "");
    }
  }
  return out.join("\n");
}

/** Where the definition and the kink convention come from, and torch's counterpart. */
const provenanceMarkdown = (doc: PageDoc): string[] => doc.provenance === undefined ? [] : [
  ...doc.provenance.sentences.map((t) => text(t)), "",
  `In PyTorch: \`${doc.provenance.torch}\` (F = torch.nn.functional). Differences from torch: ${text(doc.provenance.torchDiffers ?? "")}`, "",
];

type Neighbours = { previous?: PageDoc; next?: PageDoc };

/** A page of the site in Markdown, of whichever kind. */
export function markdownAny(doc: PageDoc, neighbours: Neighbours = {}): string {
  return doc.kind === "one" ? markdownPage(doc, neighbours) : markdownMultiPage(doc, neighbours);
}

export function markdownPage(doc: ActivationDoc, neighbours: Neighbours = {}): string {
  const out: string[] = [`# ${text(doc.name)}`, ""];
  if (doc.summary) out.push(text(doc.summary), "");
  out.push(pager(neighbours), "");

  out.push("## Definition", "", "```text", doc.definition, "```", "");
  if (doc.params.length) {
    out.push(doc.params.length === 1 ? "Parameter:" : "Parameters:", "", ...doc.params.map((p) => `- ${text(paramSentence(p))}`), "");
  }
  if (doc.reference && !doc.provenance) out.push(`Source: ${text(doc.reference)}.`, "");
  out.push(...provenanceMarkdown(doc));

  out.push("## Formulas", "");
  for (const f of doc.formulas) out.push(`${FORMULA_CAPTIONS[f.order]}:`, "", ...math(f.latex), "");

  out.push("## Plots", "");
  for (const p of doc.plots) out.push(image(p.description, plotFile(p.id)), "", `*${text(p.title)} for x in ${domainText(doc)}*`, "");
  const bp = breakpointSentence(doc);
  if (bp) out.push(text(bp), "");
  if (doc.kinkNote) out.push(`Convention: ${text(doc.kinkNote)}`, "");

  if (doc.properties) {
    const tables = propertyTables(doc.properties);
    const values = Object.entries(doc.properties.params);
    out.push("## Properties", "");
    if (values.length) out.push(`Stated for ${text(values.map(([k, v]) => `${symbolName(k)} = ${formatNumber(v)}`).join(", "))}.`, "");
    out.push(...table(["Property", "Value", "How it was established"], tables.properties), "");
    out.push("### The survey's checklist", "", ...table(["Criterion", "Met", "How it was established"], tables.checklist), "");
    if (tables.notes.length) out.push("### Notes", "", ...tables.notes.map((note) => `- ${text(note)}`), "");
  } else if (doc.propertiesError !== undefined) {
    out.push("## Properties", "", `The property analysis failed: ${text(doc.propertiesError)}`, "");
  }

  const v = doc.verification;
  const status = verificationStatus(v.result);
  out.push("## Derivative verification", "", `**${status.headline}.** ${text(status.detail)}.`, "");
  out.push(`Compared with ${text(v.against)}${v.statedLatex ? ":" : "."}`, "");
  // Written as a claim about f′, so that a checker reading this page verifies it too.
  if (v.statedLatex) out.push(...math(`${doc.formulas[1]!.lhs} = ${v.statedLatex}`), "");
  out.push("The claim checked:", "", "```text", v.claim, "```", "");

  out.push("## Generated JavaScript", "");
  out.push("What `define(…).compile()` runs: `x0` is the input" + (doc.params.length ? ", `p0`, `p1`, … the parameters in order" : "") +
    "; `h_…` are actdiff's numerically stable helpers.", "");
  out.push("### f", "", "```js", doc.code.f, "```", "", "### f′", "", "```js", doc.code.df, "```", "");
  out.push(...exportsMarkdown(doc.exports));
  return out.join("\n");
}

/** The page of a function of several inputs or of a vector, with the sections of the HTML page. */
export function markdownMultiPage(doc: MultiDoc, neighbours: Neighbours = {}): string {
  const out: string[] = [`# ${text(doc.name)}`, ""];
  if (doc.summary) out.push(text(doc.summary), "");
  out.push(pager(neighbours), "");

  out.push("## Definition", "", "```text", doc.definition, "```", "");
  if (doc.params.length) {
    out.push(doc.params.length === 1 ? "Parameter:" : "Parameters:", "", ...doc.params.map((p) => `- ${text(paramSentence(p))}`), "");
  }
  if (doc.reference && !doc.provenance) out.push(`Source: ${text(doc.reference)}.`, "");
  out.push(...provenanceMarkdown(doc));

  out.push("## Formulas", "");
  for (const f of doc.formulas) out.push(`${text(f.caption)}:`, "", ...math(f.latex), "");

  out.push("## Plots", "");
  for (const p of doc.plots) out.push(image(p.description, plotFile(p.id)), "", `*${text(p.caption)}*`, "");
  if (doc.kinkNote) out.push(`Convention: ${text(doc.kinkNote)}`, "");

  if (doc.properties) {
    const tables = multiPropertyTables(doc.properties);
    const values = Object.entries(doc.properties.params);
    out.push("## Properties", "");
    if (values.length) out.push(`Stated for ${text(values.map(([k, v]) => `${symbolName(k)} = ${formatNumber(v)}`).join(", "))}.`, "");
    out.push(...table(["Property", "Value", "How it was established"], tables.properties), "");
    if (tables.factors.length) out.push("### The factors", "", ...table(["Factor", "What it does", "How it was established"], tables.factors), "");
    if (tables.notes.length) out.push("### Notes", "", ...tables.notes.map((note) => `- ${text(note)}`), "");
  } else if (doc.propertiesError !== undefined) {
    out.push("## Properties", "", `The property analysis failed: ${text(doc.propertiesError)}`, "");
  }

  const v = doc.verification;
  const status = verificationStatus(v.result);
  const stated = v.parts.filter((p) => p.statedLatex !== undefined);
  out.push("## Derivative verification", "", `**${status.headline}.** ${text(status.detail)}.`, "");
  out.push(`Compared with ${text(v.against)}${stated.length ? ":" : "."}`, "");
  for (const p of stated) out.push(...math(p.statedLatex!), "");
  out.push(`The claim${v.parts.length > 1 ? "s" : ""} checked:`, "");
  for (const p of v.parts) {
    if (v.parts.length > 1) out.push(`${text(p.label)}: ${verificationStatus(p.result).headline}.`, "");
    out.push("```text", p.claim, "```", "");
  }

  out.push("## Generated JavaScript", "", text(doc.codeNote), "");
  for (const c of doc.code) out.push(`### ${text(c.title)}`, "", "```js", c.source, "```", "");
  out.push(...exportsMarkdown(doc.exports));
  return out.join("\n");
}

/** Each module of another framework: what it is, the command that writes it, the module. */
function exportsMarkdown(exports: readonly ExportDoc[]): string[] {
  return exports.flatMap((e) => [`## ${text(e.title)}`, "", `${text(e.note)} Written by \`${e.command}\`.`, "", "```" + e.language, e.source.trimEnd(), "```", ""]);
}

function pager(neighbours: Neighbours): string {
  const links = [
    ...(neighbours.previous ? [`← [${text(neighbours.previous.name)}](${markdownFile(neighbours.previous)})`] : []),
    "[All activations](index.md)",
    ...(neighbours.next ? [`[${text(neighbours.next.name)}](${markdownFile(neighbours.next)}) →`] : []),
  ];
  return links.join(" · ");
}

/** A display-math block on lines of its own. */
const math = (latex: string): string[] => ["$$", latex, "$$"];

/** Alt text on one line, with the brackets that would end it escaped. */
const image = (alt: string, path: string): string => `![${alt.replace(/\s+/g, " ").replace(/([[\]\\])/g, "\\$1")}](${path})`;

/**
 * Prose: characters Markdown would read as markup are escaped. `_` inside a word and a `[`
 * not followed by `](` are plain text in CommonMark, so `leaky_relu` and `[0, ∞)` stay as they are.
 */
const text = (s: string): string =>
  s.replace(/[\\`*<|$]/g, "\\$&")
    // An underscore that could open or close emphasis: any not between two letters or digits
    // (`__proto__` has four); `negative_slope` keeps its own.
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_")
    .replace(/\](?=\()/g, "\\]");

function table(head: readonly string[], rows: readonly PropertyRow[]): string[] {
  const cell = (s: string): string => text(s).replace(/\n/g, " ");
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${cell(r.property)} | ${cell(r.value)} | ${cell(r.method)} |`),
  ];
}
