/**
 * What the playground shows for a formula, computed without the DOM: the typeset definition
 * and derivatives, the plain-text derivative, the generated module, the parameters' sliders and
 * the plot — or the error as actdiff reports it. The page (page.ts) only puts these on screen,
 * so all of this is testable in node and the same library code runs in both.
 */
import { define, defaultOf, derivativeLabel, type Activation, type ParamValues } from "../api/activation.js";
import { sym } from "../ast/build.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import type { EmitLang } from "../codegen/langs.js";
import { toLatex } from "../codegen/latex.js";
import { describePlot, plotDomain } from "../docs/model.js";
import { plotSvg, type Series } from "../docs/plot.js";
import { sampleCurve } from "../docs/sample.js";
import { ActdiffError } from "../errors.js";
import { breakpoints as findBreakpoints } from "../verify/points.js";

/** A slider: its range is set from the parameter's default, and a typed value may leave it. */
export interface ParamControl {
  readonly name: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

export interface FormulaView {
  readonly kind: "formula";
  readonly activation: Activation;
  /** `mish(x) = x tanh(…)` and its derivatives, as LaTeX equations. */
  readonly latex: readonly { readonly caption: string; readonly latex: string }[];
  /** The derivative as `actdiff diff` prints it: `mish'(x) = …`, one line per input. */
  readonly derivativeText: string;
  /** f″ as `actdiff diff --order 2` prints it, when asked for and the function takes one number. */
  readonly secondDerivativeText?: string;
  readonly params: readonly ParamControl[];
  /** Whether plot() draws this function: one scalar input only. */
  readonly plottable: boolean;
}

export interface ErrorView {
  readonly kind: "error";
  /** `error[E_UNKNOWN_NAME]: unknown function 'sigmod'`. */
  readonly message: string;
  readonly position?: { readonly line: number; readonly column: number; readonly offset: number; readonly length: number };
  /** The offending line of the input and, under it, carets under the offending text. */
  readonly excerpt?: { readonly text: string; readonly carets: string };
  readonly hint?: string;
}

export type View = FormulaView | ErrorView;

export interface ViewOptions {
  /** Also f″: typeset, as text, and plotted. */
  readonly second?: boolean;
}

/** Reads the formula as `define()` does and describes what the page shows. */
export function viewFormula(formula: string, options: ViewOptions = {}): View {
  try {
    return formulaView(define(formula), options.second ?? false);
  } catch (err) {
    if (err instanceof ActdiffError) return errorView(err, formula);
    // Not the user's fault: say so, rather than pretend it is a mistake in the formula.
    return { kind: "error", message: `actdiff failed on this formula (a bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
  }
}

function formulaView(f: Activation, second: boolean): FormulaView {
  const head = (order: number, wrt?: string): string => {
    const args = f.inputs.map((i) => toLatex(sym(i))).join(", ");
    if (order === 0) return `${toLatex(sym(f.name))}(${args})`;
    if (f.inputs.length === 1) return `${toLatex(sym(f.name))}${"'".repeat(order)}(${args})`;
    return `\\frac{\\partial ${toLatex(sym(f.name))}}{\\partial ${toLatex(sym(wrt!))}}(${args})`;
  };
  const scalar = !f.isVector;
  const gradient = scalar ? f.gradient() : [];
  const plottable = scalar && f.inputs.length === 1;
  const f2 = second && plottable ? f.derivative(f.inputs[0], 2) : undefined;
  const latex = [
    { caption: "Definition", latex: `${head(0)} = ${toLatex(f.written)}` },
    ...gradient.map((d, i) => ({ caption: f.inputs.length === 1 ? "First derivative" : `Partial derivative in ${f.inputs[i]}`, latex: `${head(1, f.inputs[i])} = ${toLatex(d.expr)}` })),
    ...(f2 ? [{ caption: "Second derivative", latex: `${head(2)} = ${toLatex(f2.expr)}` }] : []),
  ];
  const derivativeText = scalar
    ? gradient.map((d, i) => `${derivativeLabel(f, f.inputs[i]!)}(${f.inputs.join(", ")}) = ${print(d.expr)}`).join("\n")
    : `${f.derivative().label}(${f.inputs.join(", ")}) = ${f.derivative().printBody(f.derivative().expr)}`;
  return {
    kind: "formula", activation: f, latex, derivativeText,
    ...(f2 && { secondDerivativeText: `${derivativeLabel(f, f.inputs[0]!, 2)}(${f.inputs[0]}) = ${print(f2.expr)}` }),
    params: f.params.map((p) => paramControl(p.name, defaultOf(p))),
    plottable,
  };
}

/** What a download of each language's module saves: its file's ending and type. */
const MODULE_FILES: Record<EmitLang, { readonly extension: string; readonly mime: string }> = {
  js: { extension: ".js", mime: "text/javascript" },
  ts: { extension: ".ts", mime: "text/plain" },
  torch: { extension: ".py", mime: "text/x-python" },
  tfjs: { extension: ".tfjs.js", mime: "text/javascript" },
};

export type GeneratedModule =
  | { readonly kind: "module"; readonly fileName: string; readonly source: string; readonly mime: string }
  | ErrorView;

/** `actdiff emit --lang <lang>` for the function; made when its tab is shown, not on every key. */
export function generatedModule(f: Activation, lang: EmitLang): GeneratedModule {
  const file = MODULE_FILES[lang];
  try {
    return { kind: "module", fileName: `${f.name}${file.extension}`, source: f.emitModule({ lang }), mime: file.mime };
  } catch (err) {
    if (err instanceof ActdiffError) return { kind: "error", message: `error[${err.code}]: ${err.summary}`, ...(err.hint !== undefined && { hint: err.hint }) };
    throw err;
  }
}

/** Around the default: β = 1 slides over [−1, 3]; a parameter without a default starts at 1. */
export function paramControl(name: string, defaultValue: number | undefined): ParamControl {
  const value = defaultValue ?? 1;
  const scale = Math.max(1, Math.abs(value));
  return { name, value, min: value - 2 * scale, max: value + 2 * scale, step: scale / 100 };
}

export function errorView(err: ActdiffError, source: string): ErrorView {
  const span = err.span;
  const message = `error[${err.code}]: ${err.summary}` + (span ? ` (line ${span.line}, column ${span.column})` : "");
  const view: ErrorView = { kind: "error", message, ...(err.hint !== undefined && { hint: err.hint }) };
  if (!span) return view;
  const text = source.split(/\r?\n/)[span.line - 1] ?? "";
  const width = Math.max(1, Math.min(span.length, text.length - span.column + 1));
  return {
    ...view,
    position: { line: span.line, column: span.column, offset: span.offset, length: span.length },
    excerpt: { text, carets: " ".repeat(span.column - 1) + "^".repeat(width) },
  };
}

export type XRange = readonly [number, number];

/** The compiled f and f′ (and f″) of a plottable view, made once per formula: a slider only re-samples. */
export interface Plotter {
  /** The x range a plot starts with at these values: [−6, 6], widened to show the breakpoints. */
  defaultRange(values: ParamValues): XRange;
  /** The SVG of the curves at these parameter values, over the range given or the default one. */
  plot(values: ParamValues, range?: XRange): string;
}

/** Compiles with `{ csp: true }`: the page forbids eval, and no text a person typed reaches it. */
export function plotter(view: FormulaView, options: { readonly second?: boolean; readonly id?: string } = {}): Plotter {
  const f = view.activation;
  const id = options.id ?? "playground-plot";
  const input = f.inputs[0]!;
  const orders = options.second ? [0, 1, 2] : [0, 1];
  const activations = orders.map((k) => (k === 0 ? f : f.derivative(input, k)));
  const curves = activations.map((a) => a.compile({ csp: true }));
  const exprs = activations.map((a) => a.expr);
  const labels = orders.map((k) => `${f.name}${["", "′", "″"][k]}(${input})`);
  const cutsAt = (values: ParamValues): number[] =>
    findBreakpoints(exprs, input, new Map(Object.entries(values).map(([k, v]) => [k, Q.fromNumber(v)]))).map(Q.toNumber);
  return {
    defaultRange: (values) => plotDomain(cutsAt(values)),
    plot(values, range) {
      const cuts = cutsAt(values);
      const domain = range ?? plotDomain(cuts);
      const series: Series[] = curves.map((c, i) => ({ label: labels[i]!, main: i === 0, sampled: sampleCurve((x) => c(x, values), domain, cuts) }));
      const title = labels.length === 2 ? `${labels[0]} and ${labels[1]}` : `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}`;
      return plotSvg({ id, title, description: describePlot(title, input, series, series, domain), series, xDomain: domain, size: "full" });
    },
  };
}

/** Narrowest x range the zoom allows: below it the plot shows rounding, not the function. */
export const MIN_WIDTH = 1e-6;
/** Widest: the audit's range, and beyond it most activations are straight lines. */
export const MAX_WIDTH = 2e6;

/** Zooms about a point (at a fraction `at` of the width, 0 = left): factor < 1 zooms in. */
export function zoomRange([lo, hi]: XRange, factor: number, at = 0.5): XRange {
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, (hi - lo) * factor));
  const centre = lo + (hi - lo) * at;
  return [centre - width * at, centre + width * (1 - at)];
}

/** Moves the range by a fraction of its width: positive to the right. */
export function panRange([lo, hi]: XRange, fraction: number): XRange {
  const shift = (hi - lo) * fraction;
  return [lo + shift, hi + shift];
}

/** A range a person typed: both ends numbers, the left one smaller, the width within the zoom's limits. */
export function validRange(lo: number, hi: number): XRange | undefined {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi - lo >= MIN_WIDTH) || hi - lo > MAX_WIDTH) return undefined;
  return [lo, hi];
}

/** The parameter values a plot uses: each control's value, overridden by the given ones it names. */
export function paramValues(controls: readonly ParamControl[], given: ParamValues = {}): Record<string, number> {
  return Object.fromEntries(controls.map((c) => [c.name, Object.hasOwn(given, c.name) && Number.isFinite(given[c.name]) ? given[c.name]! : c.value]));
}
