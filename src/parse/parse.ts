import nearley from "nearley";
import { fail } from "../errors.js";
import grammar from "./generated/formula.js";
import { expectedHint, onlyParse, type GrammarInfo } from "./earley.js";
import { codePointLabel, lookalikeOf } from "./identifiers.js";
import { tokenSpan, type ClaimSyntax, type Token, type TopLevel } from "./syntax.js";

type Start = "main" | "claim";

const compiled = new Map<Start, nearley.Grammar>();
function grammarFor(start: Start): nearley.Grammar {
  let g = compiled.get(start);
  if (g === undefined) {
    g = nearley.Grammar.fromCompiled({ ...grammar, ParserStart: start } as nearley.CompiledRules);
    compiled.set(start, g);
  }
  return g;
}

const TOKEN_NAMES: Record<string, string> = {
  ident: "a name", number: "a number", cmp: "a comparison", kw_if: "'if'", kw_otherwise: "'otherwise'",
  kw_and: "'and'", kw_or: "'or'", kw_not: "'not'", minus: "'-'", pow: "'^'", times: "'*'",
};

function describeToken(t: Token): string {
  if (t.type === "ident") return `name '${t.text}'`;
  if (t.type === "number") return `number ${t.text}`;
  return `'${t.text}'`;
}

const FORMULA: GrammarInfo = { name: "the grammar", tokenNames: TOKEN_NAMES, example: "write an expression such as x * sigmoid(x)" };

/** Runs the grammar and returns its one parse; any error carries the position and what was expected. */
function run<T>(source: string, start: Start): T {
  const parser = new nearley.Parser(grammarFor(start));
  try {
    parser.feed(source);
  } catch (err) {
    const token = (err as { token?: Token }).token;
    if (token === undefined) throw err;
    if (token.type === "invalid") {
      const char = [...token.text][0] ?? "";
      const span = { offset: token.offset, length: char.length, line: token.line, column: token.col };
      const lookalike = lookalikeOf(char);
      if (lookalike !== undefined) {
        return fail("E_CHAR", `unexpected character '${char}' (${codePointLabel(char)}), which looks like "${lookalike}" but is not`, { span, source, hint: lookalike === "·" ? "write * for a product" : `type "${lookalike}" itself` });
      }
      // A character that may not show (or may pass for another) is named by its code point too.
      const label = /^[\x21-\x7e]$/.test(char) ? "" : ` (${codePointLabel(char)})`;
      return fail("E_CHAR", `unexpected character '${char}'${label}`, { span, source, hint: "formulas use names, numbers, + - * / ^ ( ) , ; ? : { }, comparisons and and/or/not" });
    }
    return fail("E_SYNTAX", `unexpected ${describeToken(token)}`, { span: tokenSpan(token), source, hint: expectedHint(parser, TOKEN_NAMES) });
  }
  return onlyParse<T>(parser, source, FORMULA);
}

/** Exposed for the ambiguity tests: every parse nearley finds. */
export function allParses(source: string, start: Start = "main"): unknown[] {
  const parser = new nearley.Parser(grammarFor(start));
  parser.feed(source);
  return parser.results;
}

/** Parses a definition `name(x; p = 1) = expr` or a bare expression. */
export const parseTopLevel = (source: string): TopLevel => run<TopLevel>(source, "main");

/** Parses a claim `lhs = rhs`. */
export const parseClaim = (source: string): ClaimSyntax => run<ClaimSyntax>(source, "claim");
