import type { Definition } from "../ast/definition.js";
import type { LatexEquation } from "../parse/latex/read.js";
import type { Normalised } from "./normalise.js";
import type { DocumentFormat, MathSegment } from "./scan.js";

/**
 * Paragraphs, and the definitions a paragraph makes. People define a function where it suits the
 * sentence: before the claim, in the same line, or after it ("…, where $g(x) = …$"). Within a
 * paragraph every definition of a name not yet defined counts for the whole paragraph; across
 * paragraphs a definition counts from where it stands.
 */

/**
 * The formulas of a document grouped by paragraph. A paragraph ends at a blank line, a heading
 * (`#`, `\section`) or `\par`, except that prose after a blank line which begins in lower case
 * ("where $g(x) = …$" below a display) continues the sentence the display stands in.
 */
export function paragraphsOf(text: string, segments: readonly MathSegment[], format: DocumentFormat): MathSegment[][] {
  const paragraphs: MathSegment[][] = [];
  let previousEnd = -1;
  for (const seg of segments) {
    const between = previousEnd < 0 ? "" : text.slice(previousEnd, seg.offset);
    if (previousEnd < 0 || breaksParagraph(between, format)) paragraphs.push([]);
    paragraphs[paragraphs.length - 1]!.push(seg);
    previousEnd = seg.offset + seg.content.length;
  }
  return paragraphs;
}

function breaksParagraph(between: string, format: DocumentFormat): boolean {
  if (format === "markdown" ? /^\s{0,3}#{1,6}\s/m.test(between) : /\\(?:sub)*section\*?\s*\{|\\par(?![A-Za-z])|\\chapter\*?\s*\{/.test(between)) return true;
  const parts = between.split(/\n[ \t]*\n/);
  if (parts.length === 1) return false;
  // The prose right before the formula, without the delimiters around it.
  const last = parts[parts.length - 1]!.replace(/^\s*(?:\$\$?|\\\]|\\\)|\\end\{[^}]*\})?\s*/, "");
  return !/^[a-z]/.test(last);
}

/** A definition found by reading a paragraph ahead: the function, the formula it is in, its line. */
export interface LaterDefinition {
  readonly definition: Definition;
  /** The index of its formula in the paragraph. */
  readonly segment: number;
  readonly line: number;
}

/** The first definition of each name, in order. */
export function firstOfEachName(found: readonly LaterDefinition[]): LaterDefinition[] {
  const seen = new Set<string>();
  return found.filter((f) => !seen.has(f.definition.name) && seen.add(f.definition.name) !== undefined);
}

/** Whether the sign between an equation's first two sides is one that defines (`:=`, `\coloneqq`). */
export function markedAsDefinition(eq: LatexEquation, n: Normalised): boolean {
  const [head, body] = eq.sides;
  if (head === undefined || body === undefined) return false;
  const from = head.span.offset + head.span.length;
  return n.definitionMarks.some((at) => at >= from && at < body.span.offset);
}

/**
 * Whether an equation defines its head: a head `name(x)` followed by a side, where the name is
 * new (nothing in scope), the document's own (a redefinition, or one found ahead in the
 * paragraph), or the sign says so (`:=`). A catalog name restated with `=` is a claim.
 */
export function definesHead(eq: LatexEquation, n: Normalised, own: ReadonlySet<string>): boolean {
  const first = eq.sides[0];
  if (first?.form !== "definition" || eq.sides.length < 2) return false;
  if (first.value === undefined) return true;
  return first.name !== undefined && (own.has(first.name) || markedAsDefinition(eq, n));
}
