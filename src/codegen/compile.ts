import type { Expr } from "../ast/nodes.js";
import { FN_NAMES } from "../functions/names.js";
import { fnSpec, type FnName } from "../functions/table.js";
import { compileCsp } from "./csp.js";
import { helperSource } from "./helpers.js";
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
 * identifiers, numeric literals and operators — never user text.
 *
 * The helpers a Program calls are h_<name>. Small ones are declared inside, from the function
 * table's standalone source (bit for bit its `evaluate`): a copy per generated function, because
 * one shared small helper, inlined into every kernel that calls it, made trelu's float32 fused
 * kernel 1.18× slower than hand-written code whenever its float64 or backward kernels had run
 * too (0.92× alone; 0.83× with its own copy). Long ones (atan_tail, erf) are passed in, one
 * function for all: a copy of atan_tail per kernel made xwish's backward and fused kernels
 * 1.15–1.19× slower.
 */
export function instantiate<T>(helpers: readonly FnName[], source: string): T {
  const shared = helpers.filter(isLongHelper);
  const own = helpers.filter((h) => !isLongHelper(h)).map((h) => helperSource(h, false));
  const factory = new Function(...shared.map(helperName), `"use strict";\n${[...own, `return ${source};`].join("\n")}`);
  return factory(...shared.map((h) => fnSpec(h).evaluate)) as T;
}

const LONG_HELPER_CHARS = 1000;
const LONG_HELPERS: ReadonlySet<FnName> = new Set(FN_NAMES.filter((fn) => (fnSpec(fn).source?.body.join("\n").length ?? 0) > LONG_HELPER_CHARS));
const isLongHelper = (fn: FnName): boolean => LONG_HELPERS.has(fn);

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
