import { emptyScope, type Definition, type Scope } from "../../ast/definition.js";
import type { Expr } from "../../ast/nodes.js";
import { fail } from "../../errors.js";
import { freeSymbols } from "../../ast/walk.js";
import { join, type Span } from "../syntax.js";
import { parseLatex } from "./parse.js";
import { classifySide, equationVariable, lower, resolveLowered, type LatexSide, type LowerContext } from "./resolve.js";
import type { LatexDisplay, LatexNode } from "./syntax.js";

export type { LatexSide } from "./resolve.js";

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
  readonly span: Span;
}

export interface ReadOptions {
  /** The variable of a prime on an expression, `\left(…\right)'`; x by default. */
  readonly variable?: string;
}

/** Reads one expression: `\frac{1}{1+e^{-x}}`, `x \sigma(\beta x)`. Free names become symbols. */
export function readLatexExpression(source: string, scope: Scope = emptyScope, options: ReadOptions = {}): Expr {
  const { display } = parseLatex(source);
  if (display.type === "aligned" || display.sides.length !== 1) {
    const at = display.type === "aligned" ? display.span : display.sides[1]!.span;
    fail("E_SYNTAX", "expected an expression, not an equation", { span: at, source, hint: "read equations with readLatexEquation" });
  }
  const ctx: LowerContext = { source, scope, variable: options.variable ?? "x" };
  return resolveLowered(lower(display.sides[0]!, ctx), ctx);
}

/**
 * Every equality chain of a display. An aligned block is one chain per row that has a
 * left-hand side, continued by the rows that start with `&=`.
 */
export function readLatexEquations(source: string, scope: Scope = emptyScope): LatexEquation[] {
  const { display, labels } = parseLatex(source);
  return chainsOf(display, source).map((sides) => readChain(sides, labels, source, scope));
}

/** A display that holds exactly one chain (a definition, a claim, an aligned derivation). */
export function readLatexEquation(source: string, scope: Scope = emptyScope): LatexEquation {
  const equations = readLatexEquations(source, scope);
  if (equations.length !== 1) {
    fail("E_SYNTAX", `expected one equation, found ${equations.length}`, { span: equations[1]!.span, source, hint: "read several with readLatexEquations" });
  }
  return equations[0]!;
}

/**
 * The definition an equation makes, if its left side is a head `f(x)` and its next side an
 * expression: the inputs from the head, and every other free name as a parameter.
 */
export function definitionOf(equation: LatexEquation, source: string): Definition | undefined {
  const [head, body] = equation.sides;
  if (head?.form !== "definition" || head.name === undefined || body?.form !== "expression") return undefined;
  const params = [...freeSymbols(body.value)].filter((n) => !head.inputs.includes(n)).sort().map((name) => ({ name }));
  return { name: head.name, inputs: head.inputs, params, body: body.value, source };
}

function chainsOf(display: LatexDisplay, source: string): LatexNode[][] {
  if (display.type === "chain") return [[...display.sides]];
  const chains: LatexNode[][] = [];
  for (const row of display.rows) {
    if (row.lhs !== undefined) chains.push([row.lhs, ...row.rhs]);
    else if (chains.length > 0) chains[chains.length - 1]!.push(...row.rhs);
    else fail("E_SYNTAX", "an aligned block must start with a left-hand side", { span: row.span, source, hint: "f(x) &= … \\\\ &= …" });
  }
  return chains;
}

function readChain(nodes: readonly LatexNode[], labels: readonly string[], source: string, scope: Scope): LatexEquation {
  // The head decides the variable, and the head's own reading may depend on it: `tanh(z)'`.
  let ctx: LowerContext = { source, scope, variable: "x" };
  let first = classifySide(nodes[0]!, true, ctx);
  const variable = equationVariable(nodes[0]!, first, ctx);
  if (variable !== ctx.variable) {
    ctx = { ...ctx, variable };
    first = classifySide(nodes[0]!, true, ctx);
  }
  const sides = [first, ...nodes.slice(1).map((n) => classifySide(n, false, ctx))];
  return { sides, variable, labels, span: join(nodes[0]!, nodes[nodes.length - 1]!) };
}
