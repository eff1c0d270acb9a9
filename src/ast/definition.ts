import type { Expr } from "./nodes.js";

/** A parameter with its default (a constant expression), if it has one. */
export interface ParamSpec {
  readonly name: string;
  readonly defaultValue?: Expr;
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
  readonly body: Expr;
  /** The text it was parsed from, for messages and docs. */
  readonly source: string;
}

/** Where calls to user and catalog activations are resolved; earlier definitions only. */
export interface Scope {
  lookup(name: string): Definition | undefined;
  names(): Iterable<string>;
}

export const emptyScope: Scope = { lookup: () => undefined, names: () => [] };

/** A scope of the given definitions in front of a parent scope. */
export function scopeOf(definitions: Iterable<Definition>, parent: Scope = emptyScope): Scope {
  const own = new Map<string, Definition>();
  for (const d of definitions) own.set(d.name, d);
  return {
    lookup: (name) => own.get(name) ?? parent.lookup(name),
    names: () => new Set([...own.keys(), ...parent.names()]),
  };
}

/** The index at which a vector-valued definition's body is written: softmax's body is exp(x_i) / Σ_k exp(x_k). */
export const OUTPUT_INDEX = "i";

/** Whether the definition takes or returns a vector. */
export const isVectorDefinition = (d: Definition): boolean => (d.vectors?.length ?? 0) > 0 || d.output !== undefined;
