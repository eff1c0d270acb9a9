import type { Expr } from "../ast/nodes.js";
import { fnSpec, type FnName } from "../functions/table.js";
import { compileCsp } from "./csp.js";
import { functionArgs, functionBody, helperName, helpersOf } from "./js.js";
import { lower, type LowerOptions, type Program, type Signature } from "./program.js";

/** A compiled function of positional arguments: inputs first, then parameters. */
export type NumericFunction = (...args: number[]) => number;
export type NumericTuple = (...args: number[]) => number[];

export interface CompileOptions extends LowerOptions {
  /**
   * Build the function without `new Function` or `eval` (a tree of closures interpreting the
   * same Program), for pages whose Content-Security-Policy forbids them. Same results, bit for
   * bit; slower.
   */
  readonly csp?: boolean;
}

/**
 * Evaluates generated source. `new Function` only ever sees code printed from a Program: fixed
 * identifiers, numeric literals and operators — never user text. The helpers a Program calls
 * are passed in as h_<name>, bound to their table `evaluate`.
 */
export function instantiate<T>(helpers: readonly FnName[], source: string): T {
  const factory = new Function(...helpers.map(helperName), `"use strict";\nreturn ${source};`);
  return factory(...helpers.map((h) => fnSpec(h).evaluate)) as T;
}

function instantiateProgram(program: Program): (...args: number[]) => unknown {
  return instantiate(helpersOf(program), `function actdiff_compiled(${functionArgs(program).join(", ")}) {\n${functionBody(program)}\n}`);
}

function compileProgram(program: Program, options: CompileOptions): (...args: number[]) => unknown {
  return options.csp ? compileCsp(program) : instantiateProgram(program);
}

export const compileExpr = (root: Expr, signature: Signature, options: CompileOptions = {}): NumericFunction =>
  compileProgram(lower([root], signature, options), options) as NumericFunction;

/** Several expressions in one function, sharing their common subexpressions. */
export const compileTuple = (roots: readonly Expr[], signature: Signature, options: CompileOptions = {}): NumericTuple =>
  compileProgram(lower(roots, signature, options), options) as NumericTuple;

/** The generated source, for display and tests. */
export function generatedSource(roots: readonly Expr[], signature: Signature): string {
  const program = lower(roots, signature);
  return `function (${functionArgs(program).join(", ")}) {\n${functionBody(program)}\n}`;
}
