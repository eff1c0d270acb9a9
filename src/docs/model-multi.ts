import { Activation, defaultOf } from "../api/activation.js";
import { slugOf } from "./slug.js";
import { provenanceOf, type Provenance } from "./provenance.js";
import { checkDerivative, paramsShadowing } from "../api/derivative-check.js";
import { outputLength, rowSpec } from "../api/vector-activation.js";
import { div, int, num, ONE, sub, sym, ZERO } from "../ast/build.js";
import { OUTPUT_INDEX } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import type { MultiSheet } from "../analyze/multi-types.js";
import { bindParams } from "../analyze/params.js";
import { firstWins, unroll } from "../analyze/unroll.js";
import { toLatex } from "../codegen/latex.js";
import { rowSource } from "../codegen/rows.js";
import { diff } from "../diff/diff.js";
import { fail } from "../errors.js";
import { parseTopLevel } from "../parse/parse.js";
import { resolveTopLevel } from "../parse/resolve.js";
import { simplify } from "../simplify/simplify.js";
import { readClaim } from "../verify/claims.js";
import { breakpoints as findBreakpoints } from "../verify/points.js";
import type { VerifyResult } from "../verify/verify.js";
import { course, describePlot, kinkText, plotDomain, type ParamDoc, type PlotDoc, type Subject } from "./model.js";
import { plotSvg, type Series } from "./plot.js";
import { sampleCurve, type Sampled } from "./sample.js";
import { formatNumber, listInWords } from "./text.js";
import { exportsOf, type ExportDoc } from "./exports.js";

/**
 * The page of a function of several inputs (glu(a, b)) or of a vector (softmax(x[])): the same
 * sections as a page of one input, with what suits such a function in each. Formulas: the
 * definition, each partial derivative or the Jacobian element ∂f_i/∂x_j in index notation, and
 * the vector–Jacobian product that training computes. Plots: f against each input with the
 * others at fixed values, or f along a slice through its inputs — softmax at (x, 0), both
 * outputs; maxout at (x, 1 − x, 1/2, x/2), each output the max of its pair, drawn over its pieces.
 */
export interface MultiFormulaDoc {
  readonly caption: string;
  /** `∂glu/∂a(a, b)`, `∂softmax_i/∂x_j`: a name for the text. */
  readonly label: string;
  /** The whole equation as LaTeX. */
  readonly latex: string;
  /** The right-hand side in the formula language. */
  readonly text: string;
}

export interface MultiPlotDoc {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly svg: string;
  /** What the plot shows, for under it. */
  readonly caption: string;
}

export interface MultiVerificationDoc {
  readonly result: VerifyResult;
  readonly against: string;
  /** One per input (one for a vector): the claim checked, its verdict, the source's derivative as LaTeX. */
  readonly parts: readonly { readonly label: string; readonly claim: string; readonly result: VerifyResult; readonly statedLatex?: string }[];
}

export interface MultiDoc {
  readonly kind: "several" | "vector";
  readonly name: string;
  readonly slug: string;
  readonly summary?: string;
  readonly reference?: string;
  readonly kinkNote?: string;
  /** Where a catalog entry's definition and kink convention come from, and torch's counterpart. */
  readonly provenance?: Provenance;
  readonly definition: string;
  readonly params: readonly ParamDoc[];
  readonly formulas: readonly MultiFormulaDoc[];
  readonly plots: readonly MultiPlotDoc[];
  readonly thumbnail: PlotDoc;
  /** The interval every plot's horizontal axis covers. */
  readonly domain: readonly [number, number];
  readonly verification: MultiVerificationDoc;
  /** Generated code, each piece with a title and a sentence on what it is. */
  readonly code: readonly { readonly title: string; readonly source: string }[];
  readonly codeNote: string;
  /** The activation as a module of other frameworks (PyTorch). */
  readonly exports: readonly ExportDoc[];
  readonly properties?: MultiSheet;
  readonly propertiesError?: string;
}

export type MultiPropertyProvider = (activation: Activation, params: Readonly<Record<string, number>>) => MultiSheet;

/** The values the other inputs are held at, the first drawn solid. */
export const HELD_AT = [1, -1, 2] as const;

export function describeMulti(subject: Subject, properties?: MultiPropertyProvider): MultiDoc {
  const f = subject.activation;
  const params = f.params.map((p): ParamDoc => {
    const d = defaultOf(p);
    return { name: p.name, value: d ?? 1, hasDefault: d !== undefined, variants: [] };
  });
  const values = Object.fromEntries(params.map((p) => [p.name, p.value]));
  const body = f.isVector ? vectorBody(f, values) : severalBody(f, values);

  let sheet: MultiSheet | undefined;
  let propertiesError: string | undefined;
  if (properties) {
    try {
      sheet = properties(f, values);
    } catch (err) {
      propertiesError = err instanceof Error ? err.message : String(err);
    }
  }
  const entry = subject.entry;
  return {
    kind: f.isVector ? "vector" : "several",
    name: f.name, slug: slugOf(f.name),
    ...(entry && { summary: entry.summary, reference: entry.reference }),
    ...(entry?.kink !== undefined && { kinkNote: entry.kink }),
    ...(entry && { provenance: provenanceOf(entry) }),
    definition: definitionText(f),
    params,
    ...body,
    exports: exportsOf(f, entry?.name),
    verification: verificationOf(subject),
    ...(sheet && { properties: sheet }),
    ...(propertiesError !== undefined && { propertiesError }),
  };
}

type Body = Pick<MultiDoc, "formulas" | "plots" | "thumbnail" | "domain" | "code" | "codeNote">;

// --- several inputs ------------------------------------------------------------------------------

function severalBody(f: Activation, values: Readonly<Record<string, number>>): Body {
  const head = `${toLatex(sym(f.name))}(${f.inputs.map((u) => toLatex(sym(u))).join(", ")})`;
  const partials = f.gradient();
  const formulas: MultiFormulaDoc[] = [
    { caption: "The function", label: `${f.name}(${f.inputs.join(", ")})`, latex: `${head} = ${toLatex(f.written)}`, text: print(f.written) },
    ...partials.map((d, k) => {
      const u = f.inputs[k]!;
      return {
        caption: `Its partial derivative in ${u}`, label: `∂${f.name}/∂${u}`,
        latex: `\\frac{\\partial}{\\partial ${toLatex(sym(u))}} ${head} = ${toLatex(d.expr)}`, text: print(d.expr),
      };
    }),
  ];
  const exact = new Map(Object.entries(values).map(([k, v]) => [k, Q.fromNumber(v)] as const));
  const plots: MultiPlotDoc[] = [];
  let domain: [number, number] = plotDomain([]);
  const mains = new Map<string, Series>();
  for (const [k, u] of f.inputs.entries()) {
    const others = f.inputs.filter((v) => v !== u);
    const held = (c: number): Map<string, Q.Rational> => new Map([...exact, ...others.map((v) => [v, Q.fromNumber(c)] as const)]);
    const bps = (c: number): number[] => findBreakpoints([f.expr, partials[k]!.expr], u, held(c)).map(Q.toNumber);
    domain = plotDomain(HELD_AT.flatMap(bps));
    for (const [which, g] of [["f", f], ["d", partials[k]!]] as const) {
      const compiled = g.compile();
      const series = HELD_AT.map((c, i): Series => ({
        label: others.map((v) => `${v} = ${formatNumber(c)}`).join(", "),
        main: i === 0,
        sampled: sampleCurve((t) => compiled(...f.inputs.map((v) => (v === u ? t : c)), values), domain, bps(c)),
      }));
      if (which === "f") mains.set(u, series[0]!);
      const title = which === "f" ? `${f.name}(${f.inputs.join(", ")}) against ${u}` : `∂${f.name}/∂${u} against ${u}`;
      const id = `${slugOf(f.name)}-${which === "f" ? "f" : "d"}-${u}`;
      const description = describePlot(title, u, series, series, domain);
      plots.push({
        id, title, description, svg: plotSvg({ id, title, description, series, xDomain: domain, size: "full" }),
        caption: `${title}, for ${u} in ${interval(domain)}, ${others.join(" and ")} held at ${HELD_AT.map((c) => formatNumber(c)).join(", ")}`,
      });
    }
  }
  // The small plot: f against the first input it is not affine in (the gate), the others at 1.
  const gate = f.inputs.find((u) => simplify(diff(simplify(diff(f.expr, u)), u)) !== ZERO) ?? f.inputs[0]!;
  const thumbTitle = `${f.name}(${f.inputs.map((v) => (v === gate ? v : formatNumber(HELD_AT[0]))).join(", ")})`;
  const thumbSeries = [{ ...mains.get(gate)!, label: thumbTitle }];
  const thumbDescription = describePlot(thumbTitle, gate, thumbSeries, thumbSeries, domain);
  const thumbId = `${slugOf(f.name)}-thumb`;
  return {
    formulas, plots, domain,
    thumbnail: { order: 0, id: thumbId, title: thumbTitle, description: thumbDescription, svg: plotSvg({ id: thumbId, title: thumbTitle, description: thumbDescription, series: thumbSeries, xDomain: domain, size: "thumbnail" }) },
    code: [
      { title: "f", source: f.source() },
      ...partials.map((d, k) => ({ title: `∂f/∂${f.inputs[k]}`, source: d.source() })),
    ],
    codeNote: `What define(…).compile() runs: ${f.inputs.map((_, k) => `x${k}`).join(", ")} are the inputs ${f.inputs.join(", ")}` +
      `${f.params.length ? ", p0, p1, … the parameters in order" : ""}; h_… are actdiff's numerically stable helpers. ` +
      "compileValueAndGrad() and the kernels compute f and every partial derivative together, sharing what they have in common.",
  };
}

// --- vectors -------------------------------------------------------------------------------------

/**
 * The slice a vector function is plotted along: (x, 0) shows softmax as a function of the gap
 * between two elements; a function that pools groups (fewer outputs than elements) is shown at
 * (x, 1 − x, 1/2, x/2), where each output is the max of two lines and its pieces show.
 */
function sliceOf(f: Activation, values: Readonly<Record<string, number>>): { elements: Expr[]; outputs: number | undefined; pieces: boolean } {
  const x = sym("x");
  // The outputs at n elements: undefined for a scalar-valued f, null where n gives no whole number.
  const count = (n: number): number | undefined | null => {
    if (f.definition.output === undefined) return undefined;
    try {
      const m = outputLength(f, n, f.paramValues(values));
      return m >= 1 ? m : null;
    } catch {
      return null;
    }
  };
  const pooled = count(4);
  if (typeof pooled === "number" && pooled < 4) {
    return { elements: [x, sub(ONE, x), num(Q.rational(1n, 2n)), div(x, int(2))], outputs: pooled, pieces: true };
  }
  for (const n of [2, 3, 4, 6, 8]) {
    const m = count(n);
    if (m !== null) return { elements: [x, ...new Array<Expr>(n - 1).fill(ZERO)], outputs: m, pieces: false };
  }
  return fail("E_USAGE", `${f.name} gives a whole number of outputs for no vector of 2 to 8 elements: there is no slice to plot`);
}

function vectorBody(f: Activation, values: Readonly<Record<string, number>>): Body {
  const v = f.definition.vectors![0]!;
  const vectorValued = f.definition.output !== undefined;
  const name = toLatex(sym(f.name));
  const lhs = vectorValued ? `${name}(${toLatex(sym(v))})_{${OUTPUT_INDEX}}` : `${name}(${toLatex(sym(v))})`;
  const jacobian = f.derivative(v);
  const vjp = f.vjp(v);
  const g = vjp.inputs.at(-1)!;
  const at = (index: string): string => (vectorValued ? `${name}(${toLatex(sym(v))})_{${index}}` : `${name}(${toLatex(sym(v))})`);
  const formulas: MultiFormulaDoc[] = [
    { caption: vectorValued ? "The function, element by element" : "The function", label: vectorValued ? `${f.name}(${v})_i` : `${f.name}(${v})`, latex: `${lhs} = ${toLatex(f.written)}`, text: f.printBody(f.written) },
    {
      caption: vectorValued ? "Its Jacobian, element by element (δ_ij is 1 where i = j, else 0)" : "Its gradient, element by element",
      label: vectorValued ? `∂${f.name}_i/∂${v}_j` : `∂${f.name}/∂${v}_j`,
      latex: `\\frac{\\partial\\, ${at("i")}}{\\partial ${toLatex(sym(v))}_{j}} = ${toLatex(jacobian.expr)}`, text: print(jacobian.expr),
    },
    {
      caption: `The vector–Jacobian product: the gradient in ${v} given the gradient ${g} of the output, what backward() computes`,
      label: `vjp ${f.name}`,
      latex: vectorValued
        ? `\\sum_{o} ${toLatex(sym(g))}_{o} \\frac{\\partial\\, ${at("o")}}{\\partial ${toLatex(sym(v))}_{i}} = ${toLatex(vjp.expr)}`
        : `${toLatex(sym(g))} \\frac{\\partial\\, ${at("")}}{\\partial ${toLatex(sym(v))}_{i}} = ${toLatex(vjp.expr)}`,
      text: vjp.printBody(vjp.expr),
    },
  ];

  const slice = sliceOf(f, values);
  const bound = bindParams(f, values);
  const outputs = unroll(f.expr, new Map([[v, slice.elements]]), bound.exprs, vectorValued ? slice.outputs : undefined).outputs;
  // Differentiated with groupmax's convention at a tie (the first element takes the gradient), as backward() does.
  const slopes = outputs.map((e) => simplify(diff(firstWins(e), "x")));
  const bps = findBreakpoints([...outputs, ...slopes], "x", new Map()).map(Q.toNumber);
  const domain = plotDomain(bps);
  const curve = (e: Expr): Sampled => {
    const compiled = new Activation({ name: "slice", inputs: ["x"], params: [], body: e, source: "" }, e).compile();
    return sampleCurve((t) => compiled(t), domain, bps);
  };
  const title = `${f.name}(${slice.elements.map(print).join(", ")})`;
  const label = (o: number, e: Expr): string => `${vectorValued ? `${f.name}_${o}` : f.name} = ${print(e)}`;
  const valueSeries: Series[] = outputs.map((e, o) => ({ label: label(o, e), main: o === 0, sampled: curve(e) }));
  const pieceSeries: Series[] = slice.pieces ? slice.elements.map((e) => ({ label: `piece ${print(e)}`, main: false, faint: true, sampled: curve(e) })) : [];
  const slopeSeries: Series[] = slopes.map((e, o) => ({ label: `d/dx ${vectorValued ? `${f.name}_${o}` : f.name} = ${print(e)}`, main: o === 0, sampled: curve(e) }));
  const along = `along ${v} = (${slice.elements.map(print).join(", ")}), for x in ${interval(domain)}`;
  const plotOf = (id: string, plotTitle: string, series: Series[], caption: string): MultiPlotDoc => {
    const description = describeSlice(plotTitle, series, domain);
    return { id, title: plotTitle, description, svg: plotSvg({ id, title: plotTitle, description, series, xDomain: domain, size: "full" }), caption };
  };
  const plots = [
    plotOf(`${f.name}-slice`, title, [...valueSeries, ...pieceSeries],
      `${vectorValued ? "Each output" : "The value"} ${along}${slice.pieces ? "; in grey, the pieces each output is the max (or min) of" : ""}`),
    plotOf(`${f.name}-slice-d1`, `d/dx ${title}`, slopeSeries, `The slope of ${vectorValued ? "each output" : "the value"} ${along}: Σ_j ∂f_i/∂${v}_j · d${v}_j/dx`),
  ];
  const thumbId = `${slugOf(f.name)}-thumb`;
  const thumbDescription = describeSlice(title, valueSeries, domain);
  const lengths = vectorValued ? "the output rows" : "one number per row";
  const code = [
    { title: "forward", source: rowSource(`${f.name}_forward`, rowSpec(f, "forward")).source },
    { title: "backward (the vector–Jacobian product)", source: rowSource(`${f.name}_backward`, rowSpec(f, "backward")).source },
  ];
  return {
    formulas, plots, domain,
    thumbnail: { order: 0, id: thumbId, title, description: thumbDescription, svg: plotSvg({ id: thumbId, title, description: thumbDescription, series: valueSeries, xDomain: domain, size: "thumbnail" }) },
    code,
    codeNote: `What define(…).kernel() and backward() run on a [rows × n] array, row by row: v0 is the input, out0 ${lengths}` +
      `${f.params.length ? ", p0, p1, … the parameters in order" : ""}; backward reads the incoming gradient as v1 and writes the gradient in ${v} to out0.` +
      (code[0]!.source.includes("Math.exp(") ? " Each row is shifted by its largest element before exponentiating, so that no exponential overflows." : ""),
  };
}

/** The text alternative of a slice plot: each series named, the first one's course, the kinks. */
function describeSlice(title: string, series: readonly Series[], [lo, hi]: readonly [number, number]): string {
  const main = series.find((s) => s.main) ?? series[0]!;
  const others = series.filter((s) => s !== main);
  const parts = [
    `Plot of ${title} for x from ${formatNumber(lo)} to ${formatNumber(hi)}: ${main.label}` +
    (others.length ? ` (solid line), with ${listInWords(others.map((s) => s.label))} (dashed lines)` : ""),
    course(main.sampled, "x"),
  ];
  if (main.sampled.kinks.length) parts.push(`Marked: ${main.sampled.kinks.map((k) => kinkText(k, "x")).join("; ")}`);
  return parts.join(". ") + ".";
}

// --- shared --------------------------------------------------------------------------------------

const interval = ([lo, hi]: readonly [number, number]): string => `[${formatNumber(lo)}, ${formatNumber(hi)}]`;

function verificationOf(subject: Subject): MultiVerificationDoc {
  const f = subject.activation;
  const check = checkDerivative(f, subject.entry, subject.scope);
  const stated = subject.entry?.stated;
  const parts = (check.parts ?? [{ input: f.inputs[0]!, claim: check.claim, result: check.result }]).map((p) => {
    let statedLatex: string | undefined;
    try {
      if (stated !== undefined && "gradient" in stated && stated.gradient[p.input] !== undefined) {
        const text = stated.gradient[p.input]!;
        statedLatex = `\\frac{\\partial}{\\partial ${toLatex(sym(p.input))}} ${toLatex(sym(f.name))}(${f.inputs.map((u) => toLatex(sym(u))).join(", ")}) = ${toLatex(resolveTopLevel(parseTopLevel(text), text, paramsShadowing(f, subject.scope)).body)}`;
      } else if (stated !== undefined && "derivative" in stated && f.isVector) {
        // Read as the right side of the claim checked, so that its vectors read as vectors.
        const at = f.definition.output ? `${toLatex(sym(f.name))}(${toLatex(sym(p.input))})_{i}` : `${toLatex(sym(f.name))}(${toLatex(sym(p.input))})`;
        statedLatex = `\\frac{\\partial\\, ${at}}{\\partial ${toLatex(sym(p.input))}_{j}} = ${toLatex(readClaim(p.claim, subject.scope).right)}`;
      }
    } catch {
      statedLatex = undefined;
    }
    const label = f.isVector ? `∂${f.name}${f.definition.output ? "_i" : ""}/∂${p.input}_j` : `∂${f.name}/∂${p.input}`;
    return { label, claim: p.claim, result: p.result, ...(statedLatex !== undefined && { statedLatex }) };
  });
  return { result: check.result, against: check.against, parts };
}

function definitionText(f: Activation): string {
  const source = f.definition.source.trim();
  try {
    if (parseTopLevel(source).type === "definition") return source;
  } catch {
    // Not text of its own: print it.
  }
  return f.toString();
}
