import type { Expr } from "../ast/nodes.js";
import { FN_NAMES } from "../functions/names.js";
import { fnSpec, type FnName } from "../functions/table.js";
import { compileCsp } from "./csp.js";
import { helperSource } from "./helpers.js";
import { functionArgs, functionBody, helperName, helpersOf, positionalNaming, printValue } from "./js.js";
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
export function instantiate<T>(helpers: readonly FnName[], source: string, bound: ReadonlyMap<string, unknown> = new Map()): T {
  const shared = helpers.filter(isLongHelper);
  const own = helpers.filter((h) => !isLongHelper(h)).map((h) => helperSource(h, false));
  const factory = new Function(...shared.map(helperName), ...bound.keys(), `"use strict";\n${[...own, `return ${source};`].join("\n")}`);
  return factory(...shared.map((h) => fnSpec(h).evaluate), ...bound.values()) as T;
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

/**
 * How a closure of one input takes its parameters: `(x, params?)`, the record optional. The
 * defaults are written into the generated function as literals, and a record given is handed to
 * `resolve` (which checks its names and fills in defaults), so that compile() can return the
 * generated function itself: a wrapper around it costs 1.2–2× in a loop that calls many
 * different closures from one place, as user code, Array.prototype.map and plotting libraries do.
 */
export interface ParamBinding {
  /** Each parameter's default value, undefined where it has none. */
  readonly defaults: readonly (number | undefined)[];
  /** The record's values in parameter order; throws (an ActdiffError) for a name that is not a parameter. */
  readonly resolve: (given: unknown) => readonly number[];
}

/**
 * The prologue of a generated closure of (x, params?): the parameters at their defaults, or at
 * the values of a record when one is passed. The record is read as `arguments[1]`, not as a
 * second formal parameter: called with x alone, a function of two formal parameters costs
 * 2–3 ns more per call through a megamorphic call site (the missing argument is filled in),
 * which is the whole of the formula for relu; `arguments.length` and `arguments[1]` in a strict
 * function are read without an arguments object.
 */
function paramPrologue(program: Program, binding: ParamBinding): string[] {
  const names = Array.from({ length: program.params }, (_, i) => positionalNaming.param(i));
  if (names.length === 0) return ["  if (arguments.length > 1) h_params(arguments[1]);"];
  const defaults = binding.defaults;
  if (defaults.length !== names.length || defaults.some((d) => d === undefined)) {
    // A parameter without a default: the record is required, and h_params says so when it is missing.
    return ["  const v = h_params(arguments.length > 1 ? arguments[1] : undefined);", `  const ${names.map((n, i) => `${n} = v[${i}]`).join(", ")};`];
  }
  return [
    `  let ${names.map((n, i) => `${n} = ${printValue({ op: "num", value: defaults[i]! })}`).join(", ")};`,
    `  if (arguments.length > 1) {`,
    `    const v = h_params(arguments[1]);`,
    ...names.map((n, i) => `    ${n} = v[${i}];`),
    `  }`,
  ];
}

/**
 * One function of (x, params?) computing `roots` (one value, or an array of them), with the
 * parameters handled inside it: see ParamBinding. For one input and the `new Function` path.
 */
export function compileWithParams(roots: readonly Expr[], signature: Signature, binding: ParamBinding, options: LowerOptions = {}): (x: number, params?: unknown) => unknown {
  const program = lower(roots, signature, options);
  if (program.inputs !== 1) throw new Error("internal error: compileWithParams takes functions of one input");
  const source = [
    `function actdiff_compiled(${positionalNaming.input(0)}) {`,
    ...paramPrologue(program, binding),
    functionBody(program),
    "}",
  ].join("\n");
  return instantiate(helpersOf(program), source, new Map([["h_params", binding.resolve]]));
}

/** The generated source, for display and tests. */
export function generatedSource(roots: readonly Expr[], signature: Signature): string {
  const program = lower(roots, signature);
  return `function (${functionArgs(program).join(", ")}) {\n${functionBody(program)}\n}`;
}
