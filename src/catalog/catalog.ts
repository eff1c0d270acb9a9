import { isVectorDefinition, scopeOf, type Definition, type Scope } from "../ast/definition.js";
import { parseTopLevel } from "../parse/parse.js";
import { resolveTopLevel } from "../parse/resolve.js";
import { CATALOG, type CatalogEntry } from "./entries.js";

export type { CatalogEntry, StatedDerivative } from "./entries.js";
export { CATALOG } from "./entries.js";

const definitions = new Map<string, Definition>();
let scope: Scope = scopeOf([]);
// Entries are parsed in order, each in the scope of those before it (a catalog entry may call
// an earlier one). Entries documenting builtins stay out of the scope: there the builtin is meant.
for (const entry of CATALOG) {
  if (entry.status !== "available") continue;
  const d = resolveTopLevel(parseTopLevel(entry.source), entry.source, scope);
  definitions.set(entry.name, d);
  if (!entry.builtin) scope = scopeOf([d], scope);
}

/** The scope in which user formulas are resolved by default. */
export const catalogScope: Scope = scope;

export const catalogEntry = (name: string): CatalogEntry | undefined => CATALOG.find((e) => e.name === name);

/** The parsed definition of an available catalog activation. */
export const catalogDefinition = (name: string): Definition | undefined => definitions.get(name);

export const availableActivations = (): CatalogEntry[] => CATALOG.filter((e) => e.status === "available");

/** The number of inputs of an available activation's definition. */
export const inputCount = (entry: CatalogEntry): number => definitions.get(entry.name)?.inputs.length ?? 0;

/** Available activations of one number: what the audit, the SIMD kernels and the property analysis take. */
export const oneInputActivations = (): CatalogEntry[] =>
  availableActivations().filter((e) => inputCount(e) === 1 && !isVectorDefinition(definitions.get(e.name)!));

/** Available activations of vectors: softmax, log_softmax, softmin, logsumexp, maxout. */
export const vectorActivations = (): CatalogEntry[] => availableActivations().filter((e) => isVectorDefinition(definitions.get(e.name)!));
