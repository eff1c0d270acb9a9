import nearley from "nearley";
import { checkSourceSize } from "../../limits.js";
import { fail } from "../../errors.js";
import grammar from "../generated/latex.js";
import { expectedHint, onlyParse, type GrammarInfo } from "../earley.js";
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
  begin_aligned: "\\begin{aligned}", end_aligned: "\\end{aligned}", begin_matrix: "\\begin{pmatrix}", end_matrix: "\\end{pmatrix}",
  infty: "'\\infty'", indicator: "\\mathbb{1}", sum: "'\\sum'", dots: "'\\dots'", forall: "'\\forall'", member: "'\\in'", to: "'\\to'", colon: "':'",
};

const LATEX: GrammarInfo = { name: "the LaTeX grammar", tokenNames: TOKEN_NAMES, example: "write a formula such as \\frac{1}{1 + e^{-x}}" };

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
  checkSourceSize(source);
  const parser = new nearley.Parser(compiled);
  try {
    parser.feed(source);
  } catch (err) {
    // The lexer raises ActdiffError itself for what it does not support; nearley adds `token`.
    const token = (err as { token?: LatexToken }).token;
    if (token === undefined) throw err;
    return fail("E_SYNTAX", `unexpected ${describeToken(token)}`, { span: tokenSpan(token), source, hint: expectedHint(parser, TOKEN_NAMES) });
  }
  return { display: onlyParse<LatexDisplay>(parser, source, LATEX), labels: latexLexer.labels };
}

/** Exposed for the ambiguity tests: every parse nearley finds. */
export function allLatexParses(source: string): unknown[] {
  const parser = new nearley.Parser(compiled);
  parser.feed(source);
  return parser.results;
}
