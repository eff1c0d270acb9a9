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
