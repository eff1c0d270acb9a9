import { idx, mul, num, renameIndex, splitCoefficient, sym, vcall } from "../ast/build.js";
import { OUTPUT_INDEX } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeIndices, transform } from "../ast/walk.js";
import { expand } from "../simplify/expand.js";
import { toLatex } from "./latex.js";

/**
 * A Jacobian in matrix form, as textbooks print it: softmax's s_i(δ_ij − s_j) is diag(s) − s sᵀ,
 * log_softmax's δ_ij − s_j is I − 𝟙 sᵀ. Each term of the multiplied-out element ∂f_i/∂x_j is a
 * diagonal (a delta times factors of i), an outer product (factors of i times factors of j) or a
 * multiple of 𝟙𝟙ᵀ; undefined when a term is none of these (the element form is then the answer).
 */
export function jacobianMatrixLatex(element: Expr, column = "j"): string | undefined {
  const terms = (e: Expr): readonly Expr[] => (e.kind === "add" ? e.terms : [e]);
  const i = idx(OUTPUT_INDEX);
  const j = idx(column);
  const parts: { negative: boolean; text: string }[] = [];
  for (const term of terms(expand(element))) {
    const [c, rest] = splitCoefficient(term);
    const factors = rest.kind === "mul" ? rest.factors : rest.kind === "num" ? [] : [rest];
    const delta = factors.find((f) => f.kind === "call" && f.fn === "delta" && ((f.args[0] === i && f.args[1] === j) || (f.args[0] === j && f.args[1] === i)));
    const rows: Expr[] = [];
    const columns: Expr[] = [];
    const scalars: Expr[] = [];
    for (const f of factors) {
      if (f === delta) continue;
      const free = freeIndices(f);
      if (free.has(OUTPUT_INDEX) && free.has(column)) return undefined;
      if (free.has(OUTPUT_INDEX)) rows.push(f);
      else if (free.has(column)) columns.push(f);
      else scalars.push(f);
    }
    const magnitude = Q.isNegative(c) ? Q.neg(c) : c;
    const scale = [...(Q.isOne(magnitude) ? [] : [toLatex(num(magnitude))]), ...scalars.map((s) => toLatex(s))];
    let matrix: string;
    if (delta !== undefined) {
      const diagonal = [...rows, ...columns.map((f) => renameIndex(f, column, OUTPUT_INDEX))];
      matrix = diagonal.length === 0 ? "I" : `\\operatorname{diag}\\left(${wholeVector(mul(...diagonal))}\\right)`;
    } else {
      const left = rows.length === 0 ? "\\mathbb{1}" : wrapVector(wholeVector(mul(...rows)));
      const right = columns.length === 0 ? "\\mathbb{1}" : wrapVector(wholeVector(renameIndex(mul(...columns), column, OUTPUT_INDEX)));
      matrix = `${left} ${right}^{\\top}`;
    }
    parts.push({ negative: Q.isNegative(c), text: [...scale, matrix].join(" ") });
  }
  return parts.map((p, k) => (k === 0 ? (p.negative ? `-${p.text}` : p.text) : `${p.negative ? " - " : " + "}${p.text}`)).join("");
}

/** The element at i written as the whole vector: softmax(x)_i → softmax(x), x_i → x. */
function wholeVector(e: Expr): string {
  const i = idx(OUTPUT_INDEX);
  return toLatex(transform(e, (n) => {
    if (n.kind === "elem" && n.index === i) return sym(n.vector);
    if (n.kind === "vcall" && n.at === i) return vcall(n.fn, n.index, n.length, n.body, undefined);
    return n;
  }));
}

/** A product of vectors is elementwise; a lone vector needs no parentheses. */
const wrapVector = (text: string): string => (/^\\operatorname\{[a-z_]+\}\\left\(.*\\right\)$|^[A-Za-z]$/.test(text) ? text : `\\left(${text}\\right)`);
