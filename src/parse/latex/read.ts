import { idx, len, replaceIndex } from "../../ast/build.js";
import { emptyScope, OUTPUT_INDEX, type Definition, type Scope } from "../../ast/definition.js";
import type { Expr } from "../../ast/nodes.js";
import { fail } from "../../errors.js";
import { freeIndices, freeSymbols, postorder } from "../../ast/walk.js";
import { indexNotationOf } from "../resolve.js";
import { join, type Span, type Syntax } from "../syntax.js";
import { bindSums, noNotation, notationOf, readMap, type LatexNotation, type VectorMap } from "./notation.js";
import { parseLatex } from "./parse.js";
import type { LowerContext } from "./context.js";
import { lower, resolveLowered } from "./resolve.js";
import { classifySide, equationVariable, type LatexSide } from "./sides.js";
import type { LatexDisplay, LatexNode, Quantifier } from "./syntax.js";

export type { LatexSide } from "./sides.js";
export type { LatexNotation, VectorMap } from "./notation.js";

/**
 * Reading the LaTeX of documents into actdiff's AST. The result is the same tree the formula
 * language gives: `\frac{1}{1+e^{-x}}` and `1 / (1 + exp(-x))` are the same object.
 *
 * Positions in errors are in the LaTeX given, which is the inside of one `$…$` or `$$…$$`.
 */

/** One equality chain `a = b = c`: each side as written, each step a claim to check. */
export interface LatexEquation {
  readonly sides: readonly LatexSide[];
  /** What primes and `\frac{d}{dx}` differentiate by: the head's input, or x. */
  readonly variable: string;
  /** Equation numbers: `\tag{12}`, or a trailing `\quad (13)`. */
  readonly labels: readonly string[];
  /** `\forall j \in 1 \ldots N` after the equation: the index it holds for. */
  readonly forall?: string;
  /** The vectors and lengths the equation was read with (its own sums' and those given). */
  readonly notation: LatexNotation;
  readonly span: Span;
}

export interface ReadOptions {
  /** The variable of a prime on an expression, `\left(…\right)'`; x by default. */
  readonly variable?: string;
  /** Vectors and lengths known before (a document's declarations); a display's own sums add theirs. */
  readonly notation?: LatexNotation;
}

/** Reads one expression: `\frac{1}{1+e^{-x}}`, `x \sigma(\beta x)`. Free names become symbols. */
export function readLatexExpression(source: string, scope: Scope = emptyScope, options: ReadOptions = {}): Expr {
  const { display } = parseLatex(source);
  if (display.type !== "chain" || display.sides.length !== 1) {
    const at = display.type === "chain" ? display.sides[1]!.span : display.span;
    fail("E_SYNTAX", `expected an expression, not ${display.type === "map" ? "a map's declaration" : "an equation"}`, { span: at, source, hint: "read equations with readLatexEquation" });
  }
  const node = bindSums(display.sides[0]!, source);
  const ctx = equationContext([node], { source, scope, variable: options.variable ?? "x" }, options.notation ?? noNotation);
  return resolveLowered(lower(node, ctx), ctx);
}

/** What a display says: equality chains, or the declaration of a map between vectors. */
export type LatexReading =
  | { readonly kind: "equations"; readonly equations: readonly LatexEquation[] }
  | { readonly kind: "map"; readonly map: VectorMap }
  /** An equation with a matrix or vector written out element by element (the Jacobian DS = [D_j S_i]). */
  | { readonly kind: "matrix"; readonly span: Span };

/** Reads a display: its equations, or the map `S(a) : [a_1 … a_N] \rightarrow [S_1 … S_N]` it declares. */
export function readLatexDisplay(source: string, scope: Scope = emptyScope, notation: LatexNotation = noNotation): LatexReading {
  const { display, labels } = parseLatex(source);
  if (display.type === "map") {
    const map = readMap(bindSums(display.head, source), bindSums(display.from, source), bindSums(display.to, source), source);
    return { kind: "map", map };
  }
  const matrix = chainsOf(display, source).flat().find((n) => n.type === "matrix");
  if (matrix !== undefined) return { kind: "matrix", span: matrix.span };
  const forall = display.type === "chain" && display.forall !== undefined ? quantified(display.forall, source) : undefined;
  const equations = chainsOf(display, source).map((sides) => readChain(sides.map((n) => bindSums(n, source)), labels, source, scope, notation));
  return { kind: "equations", equations: forall === undefined ? equations : equations.map((eq) => ({ ...eq, forall })) };
}

/**
 * Every equality chain of a display. An aligned block is one chain per row that has a
 * left-hand side, continued by the rows that start with `&=`.
 */
export function readLatexEquations(source: string, scope: Scope = emptyScope, notation: LatexNotation = noNotation): LatexEquation[] {
  const reading = readLatexDisplay(source, scope, notation);
  if (reading.kind === "map") {
    return fail("E_SYNTAX", "a map's declaration, not an equation", { span: reading.map.span, source, hint: "check a document that declares it with `actdiff check`" });
  }
  if (reading.kind === "matrix") {
    return fail("E_UNSUPPORTED", "a matrix or a vector written out is not a value here", { span: reading.span, source, hint: "actdiff reads equations between elements (S_i, D_j S_i)" });
  }
  return [...reading.equations];
}

/** A display that holds exactly one chain (a definition, a claim, an aligned derivation). */
export function readLatexEquation(source: string, scope: Scope = emptyScope, notation: LatexNotation = noNotation): LatexEquation {
  const equations = readLatexEquations(source, scope, notation);
  if (equations.length !== 1) {
    fail("E_SYNTAX", `expected one equation, found ${equations.length}`, { span: equations[1]!.span, source, hint: "read several with readLatexEquations" });
  }
  return equations[0]!;
}

/**
 * The definition an equation makes, if its left side is a head `f(x)` and its next side has a
 * value (an expression, or a known function applied, as in `g(x) = \sin(x)`): the inputs from
 * the head, and every other free name as a parameter.
 */
export function definitionOf(equation: LatexEquation, source: string): Definition | undefined {
  const [head, body] = equation.sides;
  if (head?.form !== "definition" || head.name === undefined || body?.value === undefined) return undefined;
  const value = body.value;
  const params = [...freeSymbols(value)].filter((n) => !head.inputs.includes(n)).sort().map((name) => ({ name }));
  return { name: head.name, inputs: head.inputs, params, body: value, source };
}

/** `\forall j \in 1 \ldots N`: the index, over the elements counted from 1. */
function quantified(q: Quantifier, source: string): string {
  const name = q.index.name;
  const from = q.from.type === "number" ? q.from.text : undefined;
  const to = q.to;
  const length = (to.type === "word" && to.text.length === 1) || to.type === "greek" || (to.type === "number" && /^\d+$/.test(to.text));
  if (!/^[A-Za-z]$/.test(name)) fail("E_SYNTAX", `the index of \\forall is one letter, not '${name}'`, { span: q.index.span, source });
  if (from !== "1" || !length) {
    fail("E_UNSUPPORTED", `'${source.slice(q.span.offset, q.span.offset + q.span.length)}': an index runs over the elements, 1 … N`, { span: q.span, source, hint: "write \\forall j \\in 1 \\ldots N" });
  }
  return name;
}

/**
 * The context an equation's sides are read in: the vectors and lengths of the display (its sums
 * and what was known), and the vectors and indices its sides use, found in all of them at once
 * (so that the i = j of a cases form compares the indices of the other side).
 */
export function equationContext(nodes: readonly LatexNode[], base: LowerContext, known: LatexNotation): LowerContext {
  const notation = notationOf(nodes, known);
  const ctx: LowerContext = { ...base, notation };
  const lowered: Syntax[] = [];
  for (const n of nodes) {
    try {
      lowered.push(lower(n, ctx));
    } catch {
      // a side that only classifySide reads (the head of a definition); it says nothing about indices
    }
  }
  return { ...ctx, names: indexNotationOf(lowered, base.scope, notation.vectors, { builtins: false }) };
}

/**
 * The vector function an equation defines element by element, `S_j = e^{a_j} / \sum_{k=1}^{N} e^{a_k}`:
 * its left side an element S_j of a name it does not know yet, its right side an expression of
 * the index j and of the vectors it reads. Its inputs are those vectors (the one `input` a map
 * declared, when there is one); every other free name is a parameter.
 */
export function elementDefinitionOf(equation: LatexEquation, source: string, input?: string): Definition | undefined {
  const [head, body] = equation.sides;
  if (head?.form !== "expression" || head.value.kind !== "sym" || body?.form !== "expression") return undefined;
  const m = /^(.+)_([A-Za-z])$/.exec(head.value.name);
  if (m === null) return undefined;
  const [, name, index] = m as unknown as [string, string, string];
  const indices = freeIndices(body.value);
  const vectors = [...new Set(postorder(body.value).flatMap((n) => (n.kind === "elem" || n.kind === "len" ? [n.vector] : [])))].sort();
  if (indices.size !== 1 || !indices.has(index) || vectors.length === 0 || (input !== undefined && vectors.some((v) => v !== input))) return undefined;
  const params = [...freeSymbols(body.value)].filter((n) => !vectors.includes(n)).sort().map((n) => ({ name: n }));
  return {
    name, inputs: vectors, params, vectors, output: { length: len(vectors[0]!) },
    body: replaceIndex(body.value, index, idx(OUTPUT_INDEX)), source,
  };
}

function chainsOf(display: LatexDisplay, source: string): LatexNode[][] {
  if (display.type === "chain") return [[...display.sides]];
  if (display.type === "map") return [];
  const chains: LatexNode[][] = [];
  for (const row of display.rows) {
    if (row.lhs !== undefined) chains.push([row.lhs, ...row.rhs]);
    else if (chains.length > 0) chains[chains.length - 1]!.push(...row.rhs);
    else fail("E_SYNTAX", "an aligned block must start with a left-hand side", { span: row.span, source, hint: "f(x) &= … \\\\ &= …" });
  }
  return chains;
}

function readChain(nodes: readonly LatexNode[], labels: readonly string[], source: string, scope: Scope, known: LatexNotation): LatexEquation {
  // The head decides the variable, and the head's own reading may depend on it: `tanh(z)'`.
  let ctx: LowerContext = equationContext(nodes, { source, scope, variable: "x" }, known);
  let first = classifySide(nodes[0]!, true, ctx);
  const variable = equationVariable(nodes[0]!, first, ctx);
  if (variable !== ctx.variable) {
    ctx = { ...ctx, variable };
    first = classifySide(nodes[0]!, true, ctx);
  }
  const sides = [first, ...nodes.slice(1).map((n) => classifySide(n, false, ctx))];
  return { sides, variable, labels, notation: ctx.notation ?? noNotation, span: join(nodes[0]!, nodes[nodes.length - 1]!) };
}
