import { Activation, define } from "../api/activation.js";
import { scopeOf, type Scope } from "../ast/definition.js";
import { availableActivations, catalogEntry, catalogScope, CATALOG } from "../catalog/catalog.js";
import { ActdiffError, fail } from "../errors.js";
import { readNamedDefinition } from "../parse/definition.js";
import { isName } from "../parse/identifiers.js";
import { didYouMean } from "../parse/suggest.js";
import type { Subject } from "./model.js";

/** Every available catalog activation, in catalog order: of one input, of several, of vectors. */
export const catalogSubjects = (): Subject[] =>
  availableActivations().map((e) => ({ activation: define(e.name), entry: e, scope: catalogScope }));

/**
 * Activations named on the command line: a catalog name documents the catalog's entry (with its
 * summary, reference and stated derivative); anything else is read as a definition of its own.
 */
export function subjectsFromArguments(items: readonly string[]): Subject[] {
  return unique(items.map((item): Subject => {
    const name = item.trim();
    if (isName(name)) {
      const entry = catalogEntry(name);
      if (entry?.status === "planned") fail("E_USAGE", `${name} is planned, not yet available: ${entry.summary}`);
      if (entry === undefined) {
        fail("E_UNKNOWN_NAME", `no catalog activation is called '${name}'`, {
          hint: didYouMean(name, CATALOG.filter((e) => e.status === "available").map((e) => e.name)) ?? "run `actdiff list`, or give a definition such as \"mish(x) = x * tanh(softplus(x))\"",
        });
      }
      return { activation: define(name), entry, scope: catalogScope };
    }
    return { activation: define(item), scope: catalogScope };
  }));
}

/**
 * A file of definitions, one a line; `#` starts a comment. Each line is read in the scope of the
 * catalog and of the lines before it, so `mish2(x) = 2 * mish(x)` may follow mish. An error
 * points at its line and column in the file.
 */
export function subjectsFromFile(text: string, file: string): Subject[] {
  let scope: Scope = catalogScope;
  const subjects: Subject[] = [];
  const lines = text.split(/\r?\n/);
  let offset = 0;
  lines.forEach((raw, i) => {
    const lineStart = offset;
    offset += raw.length + 1;
    const hash = raw.indexOf("#");
    const source = (hash < 0 ? raw : raw.slice(0, hash)).trimEnd();
    if (source.trim() === "") return;
    try {
      // A line is a formula or LaTeX (`\mathrm{CoLU}(x) = …`), named either way.
      const { definition, named } = readNamedDefinition(source, scope);
      if (!named) {
        fail("E_DEFINITION", "each line of a definitions file must name its function", {
          span: { offset: 0, length: source.length, line: 1, column: 1 }, source, hint: `write it as f${i + 1}(x) = ${source.trim()}`,
        });
      }
      const earlier = subjects.find((s) => s.activation.name === definition.name);
      if (earlier) {
        fail("E_DEFINITION", `'${definition.name}' is defined twice`, {
          span: { offset: 0, length: source.length, line: 1, column: 1 }, source, hint: "give each definition its own name",
        });
      }
      subjects.push({ activation: new Activation(definition), scope });
      scope = scopeOf([definition], scope);
    } catch (err) {
      throw err instanceof ActdiffError ? inFile(err, file, text, i + 1, lineStart) : err;
    }
  });
  if (subjects.length === 0) fail("E_USAGE", `${file} defines no activation`, { hint: "one definition a line, e.g. mish(x) = x * tanh(softplus(x))" });
  return unique(subjects);
}

/** The same error, placed in the file: its line, and the column within that line. */
function inFile(err: ActdiffError, file: string, text: string, line: number, lineStart: number): ActdiffError {
  const span = err.span
    ? { offset: lineStart + err.span.offset, length: err.span.length, line, column: err.span.column }
    : { offset: lineStart, length: 1, line, column: 1 };
  return new ActdiffError(err.code, `${file}: ${err.summary}`, span, text, err.hint);
}

/** Each activation once; two with one name would write the same page. */
function unique(subjects: Subject[]): Subject[] {
  const seen = new Map<string, Subject>();
  for (const s of subjects) {
    // Case-insensitive: on macOS and Windows Relu.html and relu.html are one file.
    const key = s.activation.name.toLowerCase();
    const other = seen.get(key);
    if (other && other.activation.toString() !== s.activation.toString()) {
      fail("E_DEFINITION", `two activations are called '${s.activation.name}'${other.activation.name !== s.activation.name ? ` and '${other.activation.name}'` : ""}; each needs its own page`, { hint: "rename one of them" });
    }
    if (!other) seen.set(key, s);
  }
  return [...seen.values()];
}
