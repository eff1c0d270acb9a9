import type { DistributionName } from "../random/distributions.js";
import { MINUS_ONE } from "./build.js";
import type { Expr } from "./nodes.js";

/** A parameter with its default (a constant expression), if it has one. */
export interface ParamSpec {
  readonly name: string;
  readonly defaultValue?: Expr;
}

/** `a ~ uniform(lower, upper)`: a random variable, drawn afresh for every element. */
export interface RandomVariable {
  readonly name: string;
  readonly distribution: DistributionName;
  /** The distribution's arguments: constants and parameters, fixed for a whole call. */
  readonly args: readonly Expr[];
}

/**
 * A named activation: `swish(x; beta = 1) = x * sigmoid(beta * x)`. Bare expressions become
 * definitions too, with input `x` and every other free name as a parameter without default.
 */
export interface Definition {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly params: readonly ParamSpec[];
  /**
   * The inputs that are vectors (`x[]`); the body reads them as elements x_k. A vector-valued
   * function's body is its element at the output index OUTPUT_INDEX, and `output` its length.
   */
  readonly vectors?: readonly string[];
  readonly output?: { readonly length: Expr };
  /**
   * The body. A definition that draws random variables has here its evaluation form, each
   * variable replaced by its mean (rrelu's slope a by (lower + upper)/2): an ordinary
   * definition, which every stage (diff, verify, analyze, codegen, docs) takes as it is.
   */
  readonly body: Expr;
  /** The text it was parsed from, for messages and docs. */
  readonly source: string;
  /**
   * Present when the definition draws random variables (`… where a ~ uniform(lower, upper)`):
   * the body as written, in which they are plain symbols, and their declarations in order.
   * Training mode (src/api/training.ts) fills each with draws; the derivative given the draws
   * treats them as constants, so diff needs nothing of its own for them.
   */
  readonly stochastic?: Stochastic;
}

export interface Stochastic {
  readonly body: Expr;
  readonly randoms: readonly RandomVariable[];
}

/** Where calls to user and catalog activations are resolved; earlier definitions only. */
export interface Scope {
  lookup(name: string): Definition | undefined;
  names(): Iterable<string>;
}

export const emptyScope: Scope = { lookup: () => undefined, names: () => [] };

/** A scope of the given definitions in front of a parent scope. */
export function scopeOf(definitions: Iterable<Definition>, parent: Scope = emptyScope): Scope {
  // A parent made here is copied in, not chained: a scope grown one definition at a time (the
  // catalog's, a document's) stays one table, and a lookup one step, however many it holds.
  const inherited = parent === emptyScope ? EMPTY_TABLE : flatScopes.get(parent);
  const own = new Map<string, Definition>();
  for (const d of definitions) own.set(d.name, d);
  if (inherited === undefined) {
    return { lookup: (name) => own.get(name) ?? parent.lookup(name), names: () => new Set([...own.keys(), ...parent.names()]) };
  }
  const table = { byName: new Map([...inherited.byName, ...own]), names: [...new Set([...own.keys(), ...inherited.names])] };
  const scope: Scope = { lookup: (name) => table.byName.get(name), names: () => table.names };
  flatScopes.set(scope, table);
  return scope;
}

/** The table of each scope scopeOf made from flat scopes: its definitions, and its names newest first. */
interface Table { readonly byName: ReadonlyMap<string, Definition>; readonly names: readonly string[] }
const EMPTY_TABLE: Table = { byName: new Map(), names: [] };
const flatScopes = new WeakMap<Scope, Table>();

/** The index at which a vector-valued definition's body is written: softmax's body is exp(x_i) / Σ_k exp(x_k). */
export const OUTPUT_INDEX = "i";

/** Whether the definition takes or returns a vector. */
export const isVectorDefinition = (d: Definition): boolean => (d.vectors?.length ?? 0) > 0 || d.output !== undefined;

/**
 * K, when a vector's length is len(x) / K: one element per group of K (maxout's output). `exact`
 * asks for that product and nothing else (a row computed group by group, an index range);
 * without it any product holding both a len(…) and a K⁻¹ qualifies (a length K must divide).
 * Else undefined.
 */
export function groupSizeOf(length: Expr | undefined, { exact }: { readonly exact: boolean }): Expr | undefined {
  if (length?.kind !== "mul" || (exact && length.factors.length !== 2) || !length.factors.some((f) => f.kind === "len")) return undefined;
  const inverse = length.factors.find((f) => f.kind === "pow" && f.exponent === MINUS_ONE);
  return inverse?.kind === "pow" ? inverse.base : undefined;
}
