/**
 * The one error type of actdiff. Bad input of any kind — a stray character, an unknown name, a
 * wrong number of arguments — becomes an ActdiffError with a code, the position and a hint, and
 * its message shows the source line with a caret under the offending text.
 */
import { escapeControls, escapeLine } from "./controls.js";

export type ErrorCode =
  | "E_CHAR" // a character the language does not use
  | "E_SYNTAX" // an unexpected token
  | "E_UNSUPPORTED" // notation actdiff does not read (a LaTeX command such as \sum)
  | "E_EOF" // the input ended too early
  | "E_UNKNOWN_NAME" // a name that is not defined
  | "E_ARITY" // wrong number of arguments
  | "E_PARAM" // a parameter that does not exist, is given twice, or has no value
  | "E_TYPE" // a condition where a number is needed, or the reverse
  | "E_DEFINITION" // a malformed definition (duplicate input, redefining a builtin …)
  | "E_ORDER" // a derivative order that is not a positive integer
  | "E_USAGE" // a command-line or API call that does not make sense
  | "E_TOO_LARGE" // an input beyond actdiff's documented limits (src/limits.ts): too long, too deep, a number too big
  | "E_BUDGET"; // a command's CPU-time budget ran out before it had anything true to say (src/budget.ts)

export interface SourceSpan {
  /** 0-based character offset and length in `source`. */
  readonly offset: number;
  readonly length: number;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

export class ActdiffError extends Error {
  override readonly name = "ActdiffError";
  constructor(
    readonly code: ErrorCode,
    /** One sentence, without position. */
    readonly summary: string,
    readonly span?: SourceSpan,
    readonly source?: string,
    readonly hint?: string,
  ) {
    super(formatError(code, summary, span, source, hint));
  }
  get line(): number | undefined { return this.span?.line; }
  get column(): number | undefined { return this.span?.column; }

  toJSON(): object {
    return { code: this.code, message: this.summary, line: this.line, column: this.column, offset: this.span?.offset, length: this.span?.length, hint: this.hint };
  }
}

/** Raises an ActdiffError; typed `never` so control flow knows it does not return. */
export function fail(code: ErrorCode, summary: string, where?: { span?: SourceSpan; source?: string; hint?: string }): never {
  throw new ActdiffError(code, summary, where?.span, where?.source, where?.hint);
}

/**
 * The message as a terminal shows it. The input's text in it (the summary quotes names and
 * characters, the source line is shown whole) has its control characters escaped, and the caret
 * is placed under the escaped text.
 */
function formatError(code: ErrorCode, summary: string, span?: SourceSpan, source?: string, hint?: string): string {
  const lines = [`error[${code}]: ${escapeLine(summary)}` + (span ? ` (line ${span.line}, column ${span.column})` : "")];
  if (span && source !== undefined) {
    const { text, start, width } = shownLine(source, span);
    const gutter = String(span.line);
    const before = escapeLine(text.slice(0, start));
    const marked = escapeLine(text.slice(start, start + width));
    lines.push(`  ${gutter} | ${escapeLine(text)}`);
    lines.push(`  ${" ".repeat(gutter.length)} | ${" ".repeat(columns(before))}${"^".repeat(Math.max(1, columns(marked)))}`);
  }
  if (hint) lines.push(`hint: ${escapeControls(hint)}`);
  return lines.join("\n");
}

/** Longest source line shown whole; a longer one (a generated formula of a megabyte) is cut to a window around the span. */
const SHOWN_LINE = 120;
const CONTEXT = 40;

function shownLine(source: string, span: SourceSpan): { text: string; start: number; width: number } {
  // The span's line, found from its offset: splitting a megabyte of text to show 80 characters of it is wasted work.
  const lineStart = source.lastIndexOf("\n", Math.max(0, span.offset - 1)) + 1;
  const newline = source.indexOf("\n", span.offset);
  let text = source.slice(span.offset >= 0 && span.offset <= source.length ? lineStart : 0, newline < 0 ? source.length : newline).replace(/\r$/, "");
  if (!(span.offset >= 0 && span.offset <= source.length)) text = source.split(/\r?\n/)[span.line - 1] ?? "";
  let start = Math.min(span.column - 1, text.length);
  let width = Math.max(1, Math.min(span.length, text.length - start));
  if (text.length <= SHOWN_LINE) return { text, start, width };
  width = Math.min(width, SHOWN_LINE - 2 * CONTEXT);
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(text.length, start + width + CONTEXT);
  const cut = (from > 0 ? "…" : "") + text.slice(from, to) + (to < text.length ? "…" : "");
  start = start - from + (from > 0 ? 1 : 0);
  return { text: cut, start, width };
}

// Code points, so that a Greek letter or an astral character takes one column under the caret.
const columns = (s: string): number => [...s].length;
