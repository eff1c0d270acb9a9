/**
 * What the parts of lowering LaTeX share (resolve.ts lowers): the context, errors at a span of
 * the source, and the Syntax nodes every part builds.
 */
import type { Scope } from "../../ast/definition.js";
import { fail, type ErrorCode } from "../../errors.js";
import type { IndexNotation } from "../resolve.js";
import { join, type Span, type Syntax } from "../syntax.js";
import type { LatexNotation } from "./notation.js";

/** Where a LaTeX value is lowered: its source, the scope, and what the equation around it says. */
export interface LowerContext {
  readonly source: string;
  readonly scope: Scope;
  /** The variable of primes and of `\frac{d}{dx}` written without one: the equation's input. */
  readonly variable: string;
  /** Which letters are vectors (a_j an element) and which names lengths (N), in this display. */
  readonly notation?: LatexNotation;
  /** The vectors and indices of the whole equation, for resolving each side (src/parse/resolve.ts). */
  readonly names?: IndexNotation;
  /**
   * The inputs and declared parameters of a definition being read (src/parse/latex/definition.ts).
   * There a name written as a function, `\mathrm{Foo}(x)`, is a call unless it is one of these.
   */
  readonly variables?: ReadonlySet<string>;
}

export const raise = (code: ErrorCode, summary: string, span: Span, ctx: LowerContext, hint?: string): never =>
  fail(code, summary, { span, source: ctx.source, hint });

export const written = (span: Span, ctx: LowerContext): string => ctx.source.slice(span.offset, span.offset + span.length);
export const spanBetween = (first: { span: Span }, last: { span: Span }): Span => join(first, last);

export const numberSyntax = (text: string, span: Span): Syntax => ({ type: "number", text, span });
export const nameSyntax = (name: string, span: Span): Syntax => ({ type: "name", name, span });

/** diff(expr, variable, order): resolve.ts turns it into a Derivative node. */
export function diffSyntax(expr: Syntax, variable: string, order: number, span: Span): Syntax {
  const args = [expr, nameSyntax(variable, span), ...(order === 1 ? [] : [numberSyntax(String(order), span)])];
  return { type: "call", name: "diff", nameSpan: span, args, params: [], span };
}
