import type nearley from "nearley";
import { fail } from "../errors.js";
import type { Span } from "./syntax.js";

/**
 * What both grammars (the formula language and the LaTeX reader) need around nearley: the
 * tokens it could have accepted next, for a hint, and the one parse it must end with.
 */

/** What the parser could have accepted next, from the Earley states of the last good column. */
export function expectedAfter(parser: nearley.Parser, tokenNames: Readonly<Record<string, string>>): string[] {
  const table = parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[]; current: number };
  const out = new Set<string>();
  for (const state of table.table[table.current]?.states ?? []) {
    const symbol = state.rule.symbols[state.dot] as { literal?: string; type?: string } | string | undefined;
    if (symbol === undefined || typeof symbol === "string") continue;
    if (symbol.literal !== undefined) out.add(`'${symbol.literal}'`);
    else if (symbol.type !== undefined) out.add(tokenNames[symbol.type] ?? symbol.type);
  }
  return [...out].sort();
}

const listOf = (items: readonly string[]): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;

/** "expected 'a', 'b' or 'c'", or nothing when the parser could not have gone on at all. */
export function expectedHint(parser: nearley.Parser, tokenNames: Readonly<Record<string, string>>): string | undefined {
  const expected = expectedAfter(parser, tokenNames);
  return expected.length ? `expected ${listOf(expected)}` : undefined;
}

function endSpan(source: string): Span {
  const lines = source.split(/\r?\n/);
  const last = lines[lines.length - 1] ?? "";
  return { offset: source.length, length: 1, line: lines.length, column: last.length + 1 };
}

export interface GrammarInfo {
  /** For internal errors: "the grammar", "the LaTeX grammar". */
  readonly name: string;
  readonly tokenNames: Readonly<Record<string, string>>;
  /** The hint when nothing at all could follow: "write an expression such as x * sigmoid(x)". */
  readonly example: string;
}

/**
 * The one parse of the whole input: E_EOF (with what could have followed) where the input
 * stopped short; two or more parses are a bug in the grammar, not in the input.
 */
export function onlyParse<T>(parser: nearley.Parser, source: string, grammar: GrammarInfo): T {
  const results = parser.results as T[];
  if (results.length === 0) {
    return fail("E_EOF", source.trim() === "" ? "empty formula" : "unexpected end of input", {
      span: endSpan(source), source, hint: expectedHint(parser, grammar.tokenNames) ?? grammar.example,
    });
  }
  if (results.length > 1) {
    throw new Error(`internal error: ${grammar.name} is ambiguous for ${JSON.stringify(source)} (${results.length} parses)`);
  }
  return results[0]!;
}
