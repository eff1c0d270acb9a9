import { isVectorDefinition, scopeOf, type Definition, type Scope } from "../ast/definition.js";
import { parseTopLevel } from "../parse/parse.js";
import { resolveTopLevel } from "../parse/resolve.js";
import { CATALOG, CATALOG_GROUPS, type CatalogEntry, type CatalogGroup, type Origin } from "./entries.js";

export type { CatalogEntry, CatalogGroup, Origin, StatedDerivative } from "./entries.js";
export { CATALOG, CATALOG_GROUPS, GROUP_TITLES } from "./entries.js";

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

/**
 * Every other spelling of every entry's name (torch's module class `Hardtanh`, the paper's `GELU`),
 * with the entry's own name: for readers of other notations (the LaTeX reader) and for lookups.
 */
export const catalogAliases: ReadonlyMap<string, string> = new Map(CATALOG.flatMap((e) => (e.aliases ?? []).map((a) => [a, e.name] as const)));

/** The entry a name or alias spells, exactly or ignoring case and underscores (`HardSwish`, `hard_swish`). */
export function catalogEntryBySpelling(spelling: string): CatalogEntry | undefined {
  const exact = catalogEntry(spelling) ?? catalogEntry(catalogAliases.get(spelling) ?? "");
  if (exact !== undefined) return exact;
  const fold = (s: string): string => s.toLowerCase().replace(/[_\s-]/g, "");
  const key = fold(spelling);
  return CATALOG.find((e) => fold(e.name) === key || (e.aliases ?? []).some((a) => fold(a) === key));
}

/** The entries in the order `actdiff list` and the docs site show them: by group, then as listed. */
export const catalogByGroup = (): { group: CatalogGroup; entries: CatalogEntry[] }[] =>
  CATALOG_GROUPS.map((group) => ({ group, entries: CATALOG.filter((e) => e.group === group) })).filter((g) => g.entries.length > 0);

/** Origin in words, for tables: seed, PyTorch, paper. */
export const originName = (o: Origin | undefined): string => (o === undefined ? "—" : o === "pytorch" ? "PyTorch" : o);

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
