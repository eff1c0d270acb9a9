import nearley from "nearley";
import { fail } from "../errors.js";
import grammar from "./generated/formula.js";
import type { ClaimSyntax, Span, Token, TopLevel } from "./syntax.js";

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

/** What the parser could have accepted next, from the Earley states of the last good column. */
function expectedAfter(parser: nearley.Parser): string[] {
  const table = (parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[]; current: number });
  const column = table.table[table.current];
  const out = new Set<string>();
  for (const state of column?.states ?? []) {
    const symbol = state.rule.symbols[state.dot] as { literal?: string; type?: string } | string | undefined;
    if (symbol === undefined || typeof symbol === "string") continue;
    if (symbol.literal !== undefined) out.add(`'${symbol.literal}'`);
    else if (symbol.type !== undefined) out.add(TOKEN_NAMES[symbol.type] ?? symbol.type);
  }
  return [...out].sort();
}

function describeToken(t: Token): string {
  if (t.type === "ident") return `name '${t.text}'`;
  if (t.type === "number") return `number ${t.text}`;
  return `'${t.text}'`;
}

function endSpan(source: string): Span {
  const lines = source.split(/\r?\n/);
  const last = lines[lines.length - 1] ?? "";
  return { offset: source.length, length: 1, line: lines.length, column: last.length + 1 };
}

const listOf = (items: string[]): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;

/** Runs the grammar and returns its one parse; any error carries the position and what was expected. */
function run<T>(source: string, start: Start): T {
  const parser = new nearley.Parser(grammarFor(start));
  try {
    parser.feed(source);
  } catch (err) {
    const token = (err as { token?: Token }).token;
    if (token === undefined) throw err;
    if (token.type === "invalid") {
      const span = { offset: token.offset, length: 1, line: token.line, column: token.col };
      const char = [...token.text][0] ?? "";
      return fail("E_CHAR", `unexpected character '${char}'`, { span, source, hint: "formulas use names, numbers, + - * / ^ ( ) , ; ? : { }, comparisons and and/or/not" });
    }
    const span = { offset: token.offset, length: token.text.length, line: token.line, column: token.col };
    const expected = expectedAfter(parser);
    return fail("E_SYNTAX", `unexpected ${describeToken(token)}`, { span, source, hint: expected.length ? `expected ${listOf(expected)}` : undefined });
  }
  const results = parser.results as T[];
  if (results.length === 0) {
    const expected = expectedAfter(parser);
    return fail("E_EOF", source.trim() === "" ? "empty formula" : "unexpected end of input", {
      span: endSpan(source), source, hint: expected.length ? `expected ${listOf(expected)}` : "write an expression such as x * sigmoid(x)",
    });
  }
  if (results.length > 1) {
    throw new Error(`internal error: the grammar is ambiguous for ${JSON.stringify(source)} (${results.length} parses)`);
  }
  return results[0]!;
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
