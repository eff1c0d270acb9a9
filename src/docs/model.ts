import { defaultOf, type Activation, type ParamValues } from "../api/activation.js";
import { slugOf } from "./slug.js";
import { provenanceOf, type Provenance } from "./provenance.js";
import { checkDerivative, paramsShadowing } from "../api/derivative-check.js";
import { sym } from "../ast/build.js";
import type { Scope } from "../ast/definition.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import type { CatalogEntry } from "../catalog/catalog.js";
import type { PropertySheet } from "../analyze/types.js";
import { toLatex } from "../codegen/latex.js";
import { fail } from "../errors.js";
import { parseTopLevel } from "../parse/parse.js";
import { resolveTopLevel } from "../parse/resolve.js";
import { breakpoints as findBreakpoints } from "../verify/points.js";
import type { VerifyResult } from "../verify/verify.js";
import { plotSvg, type Series } from "./plot.js";
import { sampleCurve, type Kink, type Sampled } from "./sample.js";
import { trainingPlot } from "./training-plot.js";
import { exportsOf, type ExportDoc } from "./exports.js";
import { formatNumber, listInWords, symbolName } from "./text.js";

/** What the site documents: an activation, with its catalog record when it is the catalog's own. */
export interface Subject {
  readonly activation: Activation;
  readonly entry?: CatalogEntry;
  /** Where the names of its definition resolve; the verification claim is read in it. */
  readonly scope: Scope;
}

/** The property analysis (section 1 of the issue), injected so that the site builds without it. */
export type PropertyProvider = (activation: Activation, params: ParamValues) => PropertySheet;

/** The interval every plot covers at least. */
export const X_DOMAIN = [-6, 6] as const;
/** Breakpoints this far out still widen the plotted interval, so that relu6's cap at 6 shows. */
const MAX_WIDENING = 20;

/** X_DOMAIN, widened to show each breakpoint with room on both sides. */
export function plotDomain(breakpoints: readonly number[]): [number, number] {
  let lo: number = X_DOMAIN[0];
  let hi: number = X_DOMAIN[1];
  for (const b of breakpoints) {
    if (Math.abs(b) > MAX_WIDENING) continue;
    if (b >= hi - 0.5) hi = Math.ceil(b + 1);
    if (b <= lo + 0.5) lo = Math.floor(b - 1);
  }
  return [lo, hi];
}

/** Derivatives shown: f, f′, f″. */
export type Order = 0 | 1 | 2;
export const ORDERS: readonly Order[] = [0, 1, 2];
const PRIMES = ["", "′", "″"] as const;
const FILE_SUFFIX = ["f", "d1", "d2"] as const;

export interface ParamDoc {
  readonly name: string;
  /** The value the main curve, the formulas' numbers and the property sheet are stated for. */
  readonly value: number;
  readonly hasDefault: boolean;
  /** Other values overlaid on the plots (empty for parameters beyond the second). */
  readonly variants: readonly number[];
}

export interface FormulaDoc {
  readonly order: Order;
  /** `swish′(x)`. */
  readonly label: string;
  /** The left-hand side, `\mathrm{swish}'(x)`. */
  readonly lhs: string;
  /** The whole equation, `\mathrm{swish}'(x) = …`. */
  readonly latex: string;
  /** The right-hand side in the formula language. */
  readonly text: string;
}

export interface PlotDoc {
  readonly order: Order;
  /** File-name stem and id prefix: `swish-d1`. */
  readonly id: string;
  readonly title: string;
  /** The text alternative. */
  readonly description: string;
  readonly svg: string;
}

export interface VerificationDoc {
  readonly result: VerifyResult;
  /** The claim checked, in the formula language. */
  readonly claim: string;
  /** What our derivative was compared with, in words. */
  readonly against: string;
  /** The outside source's derivative as LaTeX, when there is one. */
  readonly statedLatex?: string;
}

/** Everything a page of a function of one input shows, independent of the output format. */
export interface ActivationDoc {
  readonly kind: "one";
  readonly name: string;
  /** Stem of its page's file name. */
  readonly slug: string;
  readonly summary?: string;
  readonly reference?: string;
  /** The convention at the kinks, in words. */
  readonly kinkNote?: string;
  /** Where a catalog entry's definition and kink convention come from, and torch's counterpart. */
  readonly provenance?: Provenance;
  /** The one-line definition as written. */
  readonly definition: string;
  readonly params: readonly ParamDoc[];
  readonly formulas: readonly FormulaDoc[];
  /** Where f, f′ or f″ switch, at the main parameter values, inside the plotted interval or not. */
  readonly breakpoints: readonly number[];
  /** The plotted interval: X_DOMAIN, widened to show every breakpoint near it. */
  readonly domain: readonly [number, number];
  readonly plots: readonly PlotDoc[];
  readonly thumbnail: PlotDoc;
  readonly verification: VerificationDoc;
  readonly code: { readonly f: string; readonly df: string };
  /** The activation as a module of other frameworks (PyTorch). */
  readonly exports: readonly ExportDoc[];
  readonly properties?: PropertySheet;
  /** Why the property sheet is missing although an analysis was given. */
  readonly propertiesError?: string;
}

/** Builds the page of one activation: formulas, plots, the derivative check, code and properties. */
export function describeActivation(subject: Subject, properties?: PropertyProvider): ActivationDoc {
  const f = subject.activation;
  if (f.inputs.length !== 1 || f.isVector) {
    fail("E_USAGE", `${f.name} ${f.isVector ? "takes a vector" : `has ${f.inputs.length} inputs`}: its page is describeMulti()'s (describePage() chooses)`);
  }
  const input = f.inputs[0]!;
  const derivatives = [f, f.derivative(input, 1), f.derivative(input, 2)] as const;
  const params = paramDocs(f);
  const main = Object.fromEntries(params.map((p) => [p.name, p.value]));
  const mainBreakpoints = breakpointsAt(derivatives, input, main);
  const domain = plotDomain(mainBreakpoints);

  const formulas = ORDERS.map((order): FormulaDoc => {
    const head = `${toLatex(sym(f.name))}${"'".repeat(order)}(${toLatex(sym(input))})`;
    const body = order === 0 ? f.written : derivatives[order].expr;
    return { order, label: `${f.name}${PRIMES[order]}(${input})`, lhs: head, latex: `${head} = ${toLatex(body)}`, text: print(body) };
  });

  const curves = curveSets(params);
  let mainF: Series | undefined;
  const plots = ORDERS.map((order): PlotDoc => {
    const compiled = derivatives[order].compile();
    const series = curves.map((c): Series => {
      const values = { ...main, ...c.values };
      const bps = c.main ? mainBreakpoints : breakpointsAt(derivatives, input, values);
      return { label: c.label, main: c.main, sampled: sampleCurve((x) => compiled(x, values), domain, bps) };
    });
    if (order === 0) mainF = series[0];
    const title = formulas[order]!.label;
    const description = describePlot(title, input, series, curves, domain);
    const id = `${slugOf(f.name)}-${FILE_SUFFIX[order]}`;
    return { order, id, title, description, svg: plotSvg({ id, title, description, series, xDomain: domain, size: "full" }) };
  });
  // A definition that draws (rrelu): f given a few draws around the evaluation-mode curve.
  const training = trainingPlot(f, main, domain, mainF!);
  if (training) plots.push({ order: 0, ...training });
  // The gallery's small plot: f alone at the stated parameter values.
  const thumbSeries = [mainF!];
  const title = plots[0]!.title;
  const thumbDescription = describePlot(title, input, thumbSeries, curves.slice(0, 1), domain);
  const thumbId = `${slugOf(f.name)}-thumb`;
  const thumbnail: PlotDoc = {
    order: 0, id: thumbId, title, description: thumbDescription,
    svg: plotSvg({ id: thumbId, title, description: thumbDescription, series: thumbSeries, xDomain: domain, size: "thumbnail" }),
  };

  let sheet: PropertySheet | undefined;
  let propertiesError: string | undefined;
  if (properties) {
    try {
      sheet = properties(f, main);
    } catch (err) {
      propertiesError = err instanceof Error ? err.message : String(err);
    }
  }

  const entry = subject.entry;
  return {
    kind: "one", name: f.name, slug: slugOf(f.name),
    ...(entry && { summary: entry.summary, reference: entry.reference }),
    ...(entry?.kink !== undefined && { kinkNote: entry.kink }),
    ...(entry && { provenance: provenanceOf(entry) }),
    definition: definitionText(f),
    params, formulas, breakpoints: mainBreakpoints, domain, plots, thumbnail,
    verification: verificationOf(subject),
    code: { f: f.source(), df: derivatives[1].source() },
    exports: exportsOf(f, entry?.name),
    ...(sheet && { properties: sheet }),
    ...(propertiesError !== undefined && { propertiesError }),
  };
}

function verificationOf(subject: Subject): VerificationDoc {
  const check = checkDerivative(subject.activation, subject.entry, subject.scope);
  const stated = subject.entry?.stated;
  const statedLatex = stated && "derivative" in stated ? toLatex(resolveTopLevel(parseTopLevel(stated.derivative), stated.derivative, paramsShadowing(subject.activation, subject.scope)).body) : undefined;
  return { result: check.result, claim: check.claim, against: check.against, ...(statedLatex !== undefined && { statedLatex }) };
}

/** The definition line as its author wrote it; a bare expression gets its name and input. */
function definitionText(f: Activation): string {
  const source = f.definition.source.trim();
  try {
    if (parseTopLevel(source).type === "definition") return source;
  } catch {
    // Not text of its own (built in code): print it.
  }
  return `${f.name}(${f.signature()}) = ${print(f.written)}`;
}

/** Parameters beyond the second keep their value on every curve: more would crowd the plot. */
const MAX_VARIED = 2;

function paramDocs(f: Activation): ParamDoc[] {
  return f.params.map((p, i) => {
    const d = defaultOf(p);
    const value = d ?? 1;
    // Halve and double the default: β ∈ {0.5, 1, 2} for swish.
    const variants = i >= MAX_VARIED ? [] : value === 0 ? [0.5, 1] : [value / 2, value * 2];
    return { name: p.name, value, hasDefault: d !== undefined, variants };
  });
}

interface CurveSet { readonly label: string; readonly main: boolean; readonly values: ParamValues }

/** The main curve at the stated values, then each varied parameter at each of its variants. */
function curveSets(params: readonly ParamDoc[]): CurveSet[] {
  const label = (values: ParamValues): string =>
    Object.entries(values).map(([k, v]) => `${symbolName(k)} = ${formatNumber(v)}`).join(", ");
  const main = Object.fromEntries(params.map((p) => [p.name, p.value]));
  const sets: CurveSet[] = [{ label: params.length ? label(main) : "f", main: true, values: main }];
  for (const p of params) {
    for (const v of p.variants) sets.push({ label: label({ [p.name]: v }), main: false, values: { [p.name]: v } });
  }
  return sets;
}

function breakpointsAt(derivatives: readonly Activation[], input: string, values: ParamValues): number[] {
  const exact = new Map(Object.entries(values).map(([k, v]) => [k, Q.fromNumber(v)]));
  return findBreakpoints(derivatives.map((d) => d.expr), input, exact).map(Q.toNumber);
}

/** The text alternative of a plot: what is drawn, the main curve's course, and its kinks. */
export function describePlot(title: string, input: string, series: readonly Series[], curves: readonly { readonly label: string }[], [lo, hi]: readonly [number, number]): string {
  const main = series.find((s) => s.main) ?? series[0]!;
  const parts = [`Plot of ${title} for ${input} from ${formatNumber(lo)} to ${formatNumber(hi)}`];
  if (curves.length > 1) {
    parts[0] += ` at ${main.label} (solid line), with ${listInWords(series.filter((s) => !s.main).map((s) => s.label))} overlaid (dashed lines)`;
  } else if (main.label !== "f") {
    parts[0] += ` at ${main.label}`;
  }
  parts.push(course(main.sampled, input));
  if (main.sampled.kinks.length) parts.push(`Marked: ${main.sampled.kinks.map((k) => kinkText(k, input)).join("; ")}`);
  return parts.join(". ") + ".";
}

/** How the curve runs, in words: from where to where, between which values, in how many pieces. */
export function course(s: Sampled, input: string): string {
  const points = s.points.filter((p) => p !== null);
  if (points.length === 0) return "It is undefined on the whole interval";
  const ys = points.map((p) => p[1]);
  const [first, last] = [points[0]!, points.at(-1)!];
  const min = Math.min(...ys);
  const max = Math.max(...ys);
  if (max - min <= 1e-12 * Math.max(1, Math.abs(max))) return `It is constant, ${formatNumber(min)}`;
  const gaps = s.points.filter((p) => p === null).length;
  return `It goes from ${formatNumber(first[1])} at ${input} = ${formatNumber(first[0])} to ${formatNumber(last[1])} at ${input} = ${formatNumber(last[0])}, ` +
    `with values from ${formatNumber(min)} to ${formatNumber(max)}` + (gaps ? `, in ${gaps + 1} separate pieces` : "");
}

/** A marked point of a plot, in words. */
export function kinkText(k: Kink, input: string): string {
  const at = `${input} = ${formatNumber(k.x)}`;
  switch (k.kind) {
    case "corner": return `a corner at ${at}, value ${formatNumber(k.value)}`;
    case "jump": return `a jump at ${at} from ${formatNumber(k.left)} to ${formatNumber(k.right)}, value ${formatNumber(k.value)} there (filled dot)`;
    case "point": return `at ${at} the value ${formatNumber(k.value)} (filled dot) differs from the limit ${formatNumber(k.left)} (open circle)`;
  }
}
