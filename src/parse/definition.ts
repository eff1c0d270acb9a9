import type { Definition, Scope } from "../ast/definition.js";
import { ActdiffError } from "../errors.js";
import { readLatexDefinition } from "./latex/definition.js";
import { parseTopLevel } from "./parse.js";
import { resolveTopLevel } from "./resolve.js";
import type { TopLevel } from "./syntax.js";

/**
 * A definition as a user gives it: in the formula language (`swish(x; beta = 1) = x * sigmoid(beta * x)`)
 * or in LaTeX pasted from a paper (`\mathrm{Swish}(x) = x \sigma(\beta x)`). Every command and
 * `define()` read definitions here.
 */

/**
 * Whether the text is LaTeX: a command or escape (`\frac`, `\,`), math delimiters, or a braced
 * superscript or subscript (`e^{-x}`, `t_{min}`), none of which the formula language has.
 */
export const looksLikeLatex = (source: string): boolean => /\\|\$|[\^_]\s*\{/.test(source);

/** What the formula grammar rejects as text; a resolution error (an unknown name) is not retried. */
const SYNTAX_ERRORS = new Set(["E_CHAR", "E_SYNTAX", "E_EOF"]);

/**
 * Reads a definition or a bare expression. LaTeX goes to the LaTeX reader. Text without LaTeX's
 * marks is read as a formula; if the formula grammar rejects it and the LaTeX reader takes it
 * (`f(x) = x e^x`), that reading stands; otherwise the formula's error is the one reported.
 */
export function readDefinition(source: string, scope: Scope): Definition {
  return readNamedDefinition(source, scope).definition;
}

/** The definition, and whether the text named its function (`f(x) = …`) rather than giving a bare expression. */
export function readNamedDefinition(source: string, scope: Scope): { readonly definition: Definition; readonly named: boolean } {
  if (looksLikeLatex(source)) return readLatexDefinition(source, scope);
  let syntax: TopLevel;
  try {
    syntax = parseTopLevel(source);
  } catch (err) {
    if (!(err instanceof ActdiffError) || !SYNTAX_ERRORS.has(err.code)) throw err;
    try {
      return readLatexDefinition(source, scope);
    } catch {
      throw err;
    }
  }
  return { definition: resolveTopLevel(syntax, source, scope), named: syntax.type === "definition" };
}
