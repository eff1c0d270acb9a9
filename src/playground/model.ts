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
  readonly module: { readonly fileName: string; readonly source: string };
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

/** Reads the formula as `define()` does and describes what the page shows. */
export function viewFormula(formula: string): View {
  try {
    return formulaView(define(formula));
  } catch (err) {
    if (err instanceof ActdiffError) return errorView(err, formula);
    // Not the user's fault: say so, rather than pretend it is a mistake in the formula.
    return { kind: "error", message: `actdiff failed on this formula (a bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
  }
}

function formulaView(f: Activation): FormulaView {
  const head = (order: number, wrt?: string): string => {
    const args = f.inputs.map((i) => toLatex(sym(i))).join(", ");
    if (order === 0) return `${toLatex(sym(f.name))}(${args})`;
    if (f.inputs.length === 1) return `${toLatex(sym(f.name))}${"'".repeat(order)}(${args})`;
    return `\\frac{\\partial ${toLatex(sym(f.name))}}{\\partial ${toLatex(sym(wrt!))}}(${args})`;
  };
  const scalar = !f.isVector;
  const gradient = scalar ? f.gradient() : [];
  const latex = [
    { caption: "Definition", latex: `${head(0)} = ${toLatex(f.written)}` },
    ...gradient.map((d, i) => ({ caption: f.inputs.length === 1 ? "First derivative" : `Partial derivative in ${f.inputs[i]}`, latex: `${head(1, f.inputs[i])} = ${toLatex(d.expr)}` })),
  ];
  const derivativeText = scalar
    ? gradient.map((d, i) => `${derivativeLabel(f, f.inputs[i]!)}(${f.inputs.join(", ")}) = ${print(d.expr)}`).join("\n")
    : `${f.derivative().label}(${f.inputs.join(", ")}) = ${f.derivative().printBody(f.derivative().expr)}`;
  return {
    kind: "formula", activation: f, latex, derivativeText,
    module: { fileName: `${f.name}.js`, source: f.emitModule() },
    params: f.params.map((p) => paramControl(p.name, defaultOf(p))),
    plottable: scalar && f.inputs.length === 1,
  };
}

/** Around the default: β = 1 slides over [−1, 3]; a parameter without a default starts at 1. */
export function paramControl(name: string, defaultValue: number | undefined): ParamControl {
  const value = defaultValue ?? 1;
  const scale = Math.max(1, Math.abs(value));
  return { name, value, min: value - 2 * scale, max: value + 2 * scale, step: scale / 100 };
}

function errorView(err: ActdiffError, source: string): ErrorView {
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

/** The compiled f and f′ of a plottable view, made once per formula: a slider only re-samples. */
export interface Plotter {
  /** The SVG of f and f′ at these parameter values. */
  plot(values: ParamValues): string;
}

/** Compiles with `{ csp: true }`: the page forbids eval, and no text a person typed reaches it. */
export function plotter(view: FormulaView, id = "playground-plot"): Plotter {
  const f = view.activation;
  const input = f.inputs[0]!;
  const derivative = f.derivative(input);
  const curves = [f, derivative].map((a) => a.compile({ csp: true }));
  const exprs = [f.expr, derivative.expr];
  return {
    plot(values) {
      const exact = new Map(Object.entries(values).map(([k, v]) => [k, Q.fromNumber(v)]));
      const cuts = findBreakpoints(exprs, input, exact).map(Q.toNumber);
      const domain = plotDomain(cuts);
      const labels = [`${f.name}(${input})`, `${f.name}′(${input})`];
      const series: Series[] = curves.map((c, i) => ({ label: labels[i]!, main: i === 0, sampled: sampleCurve((x) => c(x, values), domain, cuts) }));
      const title = `${labels[0]} and ${labels[1]}`;
      return plotSvg({ id, title, description: describePlot(title, input, series, series, domain), series, xDomain: domain, size: "full" });
    },
  };
}

/** The parameter values a plot uses: each control's value, overridden by the given ones it names. */
export function paramValues(controls: readonly ParamControl[], given: ParamValues = {}): Record<string, number> {
  return Object.fromEntries(controls.map((c) => [c.name, Object.hasOwn(given, c.name) && Number.isFinite(given[c.name]) ? given[c.name]! : c.value]));
}
