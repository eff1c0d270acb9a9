import nearley from "nearley";
import { fail } from "../../errors.js";
import grammar from "../generated/latex.js";
import type { Span } from "../syntax.js";
import { latexLexer, tokenSpan, type LatexToken } from "./lexer.js";
import type { LatexDisplay } from "./syntax.js";

const compiled = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);

const TOKEN_NAMES: Record<string, string> = {
  number: "a number", word: "a letter", greek: "a Greek letter", fn: "a function such as \\tanh", text: "\\text{…}",
  cmp: "a comparison", eq: "'='", plus: "'+'", minus: "'-'", times: "'\\cdot'", divide: "'/'", pow: "'^'", sub: "'_'",
  prime: "a prime", lparen: "'('", rparen: "')'", lbrack: "'['", rbrack: "']'", lbrace: "'{'", rbrace: "'}'",
  lset: "'\\{'", rset: "'\\}'", lbar: "'|'", rbar: "'|'", leftbar: "'\\left|'", rightbar: "'\\right|'", rightdot: "'\\right.'",
  frac: "'\\frac'", sqrt: "'\\sqrt'", partial: "'\\partial'", comma: "','", amp: "'&'", rowsep: "'\\\\'",
  kw_if: "\\text{if}", kw_otherwise: "\\text{otherwise}", land: "'\\land'", lor: "'\\lor'", lnot: "'\\lnot'",
  begin_cases: "\\begin{cases}", end_cases: "\\end{cases}", begin_array: "\\begin{array}", end_array: "\\end{array}",
  begin_aligned: "\\begin{aligned}", end_aligned: "\\end{aligned}",
};

/** What the parser could have accepted next, from the Earley states of the last good column. */
function expectedAfter(parser: nearley.Parser): string[] {
  const table = parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[]; current: number };
  const out = new Set<string>();
  for (const state of table.table[table.current]?.states ?? []) {
    const symbol = state.rule.symbols[state.dot] as { type?: string } | string | undefined;
    if (symbol !== undefined && typeof symbol !== "string" && symbol.type !== undefined) out.add(TOKEN_NAMES[symbol.type] ?? symbol.type);
  }
  return [...out].sort();
}

const listOf = (items: string[]): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;

function endSpan(source: string): Span {
  const lines = source.split(/\r?\n/);
  const last = lines[lines.length - 1] ?? "";
  return { offset: source.length, length: 1, line: lines.length, column: last.length + 1 };
}

function describeToken(t: LatexToken): string {
  if (t.type === "number") return `number ${t.text}`;
  if (t.type === "rowsep") return "row break '\\\\'";
  return `'${t.text}'`;
}

export interface ParsedLatex {
  readonly display: LatexDisplay;
  readonly labels: readonly string[];
}

/** Parses one display (the inside of `$…$` or `$$…$$`); errors carry the position in `source`. */
export function parseLatex(source: string): ParsedLatex {
  const parser = new nearley.Parser(compiled);
  try {
    parser.feed(source);
  } catch (err) {
    // The lexer raises ActdiffError itself for what it does not support; nearley adds `token`.
    const token = (err as { token?: LatexToken }).token;
    if (token === undefined) throw err;
    const expected = expectedAfter(parser);
    return fail("E_SYNTAX", `unexpected ${describeToken(token)}`, { span: tokenSpan(token), source, hint: expected.length ? `expected ${listOf(expected)}` : undefined });
  }
  const results = parser.results as LatexDisplay[];
  if (results.length === 0) {
    const expected = expectedAfter(parser);
    return fail("E_EOF", source.trim() === "" ? "empty formula" : "unexpected end of input", {
      span: endSpan(source), source, hint: expected.length ? `expected ${listOf(expected)}` : "write a formula such as \\frac{1}{1 + e^{-x}}",
    });
  }
  if (results.length > 1) {
    throw new Error(`internal error: the LaTeX grammar is ambiguous for ${JSON.stringify(source)} (${results.length} parses)`);
  }
  return { display: results[0]!, labels: latexLexer.labels };
}

/** Exposed for the ambiguity tests: every parse nearley finds. */
export function allLatexParses(source: string): unknown[] {
  const parser = new nearley.Parser(compiled);
  parser.feed(source);
  return parser.results;
}
