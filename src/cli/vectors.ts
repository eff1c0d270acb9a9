import type { Activation, ParamValues } from "../api/activation.js";
import type { VectorFunction } from "../api/vector-activation.js";
import { print } from "../ast/print.js";
import { toLatex } from "../codegen/latex.js";
import { jacobianMatrixLatex } from "../codegen/latex-matrix.js";
import { fail } from "../errors.js";
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
  if (vectors.length !== 1 || f.inputs.length !== 1) fail("E_USAGE", `${f.name} takes ${f.inputs.length} inputs; eval takes functions of one vector`);
  const xs = at.map(parseVector);
  const compiled = f.compile() as unknown as VectorFunction;
  const jacobian = f.jacobian();
  const values = xs.map((x) => compiled(x, params));
  const jacobians = xs.map((x) => jacobian(x, params));
  const row = (v: readonly number[]): (number | string)[] => v.map(jsonNumber);
  if (json) {
    const vectorValued = f.definition.output !== undefined;
    printJson({
      [vectors[0]!]: xs.map(row),
      f: values.map((v) => (Array.isArray(v) ? row(v) : jsonNumber(v as number))),
      ...(vectorValued ? { jacobian: jacobians.map((j) => j.map(row)) } : { grad: jacobians.map((j) => row(j[0]!)) }),
    });
    return;
  }
  const lines: string[] = [];
  xs.forEach((x, p) => {
    const v = values[p]!;
    lines.push(`${vectors[0]} = [${x.join(", ")}]`, `${f.name} = ${Array.isArray(v) ? `[${v.join(", ")}]` : v}`);
    if (f.definition.output) lines.push("jacobian =", ...jacobians[p]!.map((r) => `  [${r.join(", ")}]`));
    else lines.push(`grad = [${jacobians[p]![0]!.join(", ")}]`);
    if (p < xs.length - 1) lines.push("");
  });
  printText(lines.join("\n"));
}
