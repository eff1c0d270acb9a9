import type { Activation, ParamValues } from "../api/activation.js";
import type { VectorFunction } from "../api/vector-activation.js";
import { print } from "../ast/print.js";
import { toLatex } from "../codegen/latex.js";
import { jacobianMatrixLatex } from "../codegen/latex-matrix.js";
import { fail } from "../errors.js";
import { didYouMean } from "../parse/suggest.js";
import { definitionLine, paramsJson } from "./describe.js";
import { jsonNumber, printJson, printText } from "./output.js";

/**
 * The diff and eval commands for functions of vectors: the Jacobian element ∂f_i/∂x_j in index
 * notation and the vector–Jacobian product (what backward computes), and values at vectors given
 * as `--at "[1000, 0, -1]"`.
 */
export function printVectorDiff(f: Activation, json: boolean): void {
  const vectors = f.definition.vectors ?? [];
  const jacobians = vectors.map((x) => f.derivative(x));
  const vjps = vectors.map((x) => f.vjp(x));
  if (json) {
    printJson({
      name: f.name, inputs: f.inputs, vectors, params: paramsJson(f.params),
      expr: f.printBody(f.written), simplified: f.printBody(f.expr),
      jacobian: Object.fromEntries(vectors.map((x, k) => [x, print(jacobians[k]!.expr)])),
      vjp: Object.fromEntries(vectors.map((x, k) => [x, vjps[k]!.printBody(vjps[k]!.expr)])),
      latex: {
        expr: toLatex(f.written),
        jacobian: Object.fromEntries(vectors.map((x, k) => [x, jacobians[k]!.toLatex()])),
        ...(f.definition.output && { matrix: Object.fromEntries(vectors.map((x, k) => [x, jacobianMatrixLatex(jacobians[k]!.expr)])) }),
      },
    });
    return;
  }
  const g = vjps[0]?.inputs.at(-1) ?? "g";
  printText([
    definitionLine(f),
    ...vectors.map((x, k) => `${jacobians[k]!.label} = ${print(jacobians[k]!.expr)}`),
    ...vectors.map((x, k) => `vjp ${x}: ${g} ↦ ${vjps[k]!.printBody(vjps[k]!.expr)}`),
  ].join("\n"));
}

/** `[1000, 0, -1]` (brackets optional): one vector. */
export function parseVector(text: string): number[] {
  const inner = text.trim().replace(/^\[/, "").replace(/\]$/, "");
  const items = inner.split(",");
  const start = text.indexOf(inner);
  let offset = start;
  return items.map((item) => {
    const value = Number(item);
    if (item.trim() === "" || Number.isNaN(value)) {
      fail("E_USAGE", `--at expects a vector of numbers, not '${item.trim()}'`, {
        hint: "write one vector per --at, for example --at \"[1000, 0, -1]\"",
        source: text, span: { offset, length: Math.max(1, item.length), line: 1, column: offset + 1 },
      });
    }
    offset += item.length + 1;
    return value;
  });
}

export function printVectorEval(f: Activation, at: readonly string[], params: ParamValues | undefined, json: boolean): void {
  const vectors = f.definition.vectors ?? [];
  if (vectors.length !== f.inputs.length) {
    fail("E_USAGE", `${f.name} takes numbers besides its vectors; eval takes functions of vectors only`, { hint: "make the numbers parameters, f(x[]; t = 1) = …, and give them with --param t=…" });
  }
  const points = vectorPoints(at, vectors);
  const compiled = f.compile() as unknown as VectorFunction;
  const jacobians = f.jacobians();
  const values = points.map((xs) => compiled(...xs, params));
  const matrices = points.map((xs) => jacobians(...xs, params));
  const row = (v: readonly number[]): (number | string)[] => v.map(jsonNumber);
  const vectorValued = f.definition.output !== undefined;
  // ∂f/∂x as JSON: the Jacobian's rows, or the gradient for a scalar-valued f.
  const derivative = (j: readonly number[][]): unknown => (vectorValued ? j.map(row) : row(j[0]!));
  if (json) {
    const fs = values.map((v) => (Array.isArray(v) ? row(v) : jsonNumber(v as number)));
    const key = vectorValued ? "jacobian" : "grad";
    if (vectors.length === 1) {
      printJson({ [vectors[0]!]: points.map((xs) => row(xs[0]!)), f: fs, [key]: matrices.map((m) => derivative(m[0]!)) });
    } else {
      printJson({
        inputs: Object.fromEntries(vectors.map((x, v) => [x, points.map((xs) => row(xs[v]!))])),
        f: fs,
        [key]: Object.fromEntries(vectors.map((x, v) => [x, matrices.map((m) => derivative(m[v]!))])),
      });
    }
    return;
  }
  const lines: string[] = [];
  points.forEach((xs, p) => {
    const v = values[p]!;
    lines.push(...vectors.map((x, k) => `${x} = [${xs[k]!.join(", ")}]`), `${f.name} = ${Array.isArray(v) ? `[${v.join(", ")}]` : v}`);
    vectors.forEach((x, k) => {
      const j = matrices[p]![k]!;
      const label = vectors.length === 1 ? "" : ` ${x}`;
      if (vectorValued) lines.push(`jacobian${label} =`, ...j.map((r) => `  [${r.join(", ")}]`));
      else lines.push(`grad${label} = [${j[0]!.join(", ")}]`);
    });
    if (p < points.length - 1) lines.push("");
  });
  printText(lines.join("\n"));
}

/**
 * The points of `--at`: one vector per --at for a function of one vector (`[1000, 0, -1]`, or
 * `x=[…]`); for several, each --at names its vector (`x=[1, 2]`), and the k-th of each name
 * together make the k-th point.
 */
function vectorPoints(at: readonly string[], vectors: readonly string[]): number[][][] {
  const usage = vectors.map((x, i) => `--at "${x}=[${i + 1}, ${i + 2}]"`).join(" ");
  const items = at.map((item) => {
    const named = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(item);
    return named ? { name: named[1]!, vector: parseVector(item.slice(named[0].length)) } : { name: undefined, vector: parseVector(item) };
  });
  if (vectors.length === 1) {
    const wrong = items.find((i) => i.name !== undefined && i.name !== vectors[0]);
    if (wrong) fail("E_USAGE", `--at names '${wrong.name}', which is not an input`, { hint: `the input: ${vectors[0]}` });
    return items.map((i) => [i.vector]);
  }
  if (items.some((i) => i.name === undefined)) fail("E_USAGE", `${vectors.length} vectors: name the vector of each --at`, { hint: usage });
  const unknown = items.find((i) => !vectors.includes(i.name!));
  if (unknown) fail("E_USAGE", `--at names '${unknown.name}', which is not an input`, { hint: didYouMean(unknown.name!, vectors) ?? `the inputs: ${vectors.join(", ")}` });
  const byName = vectors.map((x) => items.filter((i) => i.name === x).map((i) => i.vector));
  const counts = new Set(byName.map((v) => v.length));
  if (counts.size > 1 || byName[0]!.length === 0) {
    fail("E_USAGE", `every vector needs the same number of --at (${vectors.map((x, v) => `${x}: ${byName[v]!.length}`).join(", ")})`, { hint: usage });
  }
  return byName[0]!.map((_, p) => byName.map((list) => list[p]!));
}
