import type { Expr } from "../ast/nodes.js";
import { fnSpec } from "../functions/table.js";
import { emitFunction, type Signature } from "./js.js";

/** A compiled function of positional arguments: inputs first, then parameters. */
export type NumericFunction = (...args: number[]) => number;
export type NumericTuple = (...args: number[]) => number[];

/**
 * Builds a closure from generated source. `new Function` only ever sees code that `emitFunction`
 * produced from the AST: fixed identifiers, numeric literals and operators — never user text.
 */
function instantiate(roots: readonly Expr[], signature: Signature): (...args: number[]) => unknown {
  const { args, body, helpers } = emitFunction(roots, signature);
  const helperNames = helpers.map((h) => `h_${h}`);
  const factory = new Function(...helperNames, `"use strict";\nreturn function actdiff_compiled(${args.join(", ")}) {\n${body}\n};`);
  return factory(...helpers.map((h) => fnSpec(h).evaluate)) as (...a: number[]) => unknown;
}

export const compileExpr = (root: Expr, signature: Signature): NumericFunction => instantiate([root], signature) as NumericFunction;

/** Several expressions in one function, sharing their common subexpressions. */
export const compileTuple = (roots: readonly Expr[], signature: Signature): NumericTuple => instantiate(roots, signature) as NumericTuple;

/** The generated source, for display and tests. */
export function generatedSource(roots: readonly Expr[], signature: Signature): string {
  const { args, body } = emitFunction(roots, signature);
  return `function (${args.join(", ")}) {\n${body}\n}`;
}
