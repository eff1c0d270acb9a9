import nearley from "nearley";
import { fail } from "../errors.js";
import { checkSourceSize, LIMITS, tooDeep } from "../limits.js";
import grammar from "./generated/formula.js";
import { expectedHint, onlyParse, type GrammarInfo } from "./earley.js";
import { codePointLabel, lookalikeOf } from "./identifiers.js";
import { syntaxChildren, tokenSpan, type ClaimSyntax, type Syntax, type Token, type TopLevel } from "./syntax.js";

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
  checkSourceSize(source);
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
export function parseTopLevel(source: string): TopLevel {
  const top = run<TopLevel>(source, "main");
  if (top.type === "definition") {
    checkSyntaxDepth([top.body, ...top.params.flatMap((p) => (p.defaultValue ? [p.defaultValue] : [])), ...(top.randoms ?? []).flatMap((r) => r.args)], source);
  } else checkSyntaxDepth([top], source);
  return top;
}

/** Parses a claim `lhs = rhs`. */
export function parseClaim(source: string): ClaimSyntax {
  const claim = run<ClaimSyntax>(source, "claim");
  checkSyntaxDepth([claim.left, claim.right, ...claim.where.map((b) => b.value), ...claim.conditions], source);
  return claim;
}

const isChain = (parent: Syntax, child: Syntax): boolean =>
  parent.type === "binary" && child.type === "binary" && parent.left === child &&
  (parent.op === "+" || parent.op === "-" ? child.op === "+" || child.op === "-" : (parent.op === "*" || parent.op === "/") && (child.op === "*" || child.op === "/"));

/**
 * The nesting the brackets do not show (- - - x, x^x^x, a ? b : c ? d : e) within the limit.
 * A chain of one operator (a + b + c …, the grammar's left-leaning binary nodes) is one level:
 * every stage reads it as one n-ary sum or product.
 */
function checkSyntaxDepth(roots: readonly Syntax[], source: string): void {
  // The outermost node is level 0: exp(…(x)) with 1,000 calls is 1,000 levels, x inside them all.
  const stack: [Syntax, number][] = roots.map((r) => [r, 0]);
  while (stack.length > 0) {
    const [s, depth] = stack.pop()!;
    if (depth > LIMITS.depth) tooDeep(source, s.span.offset, Math.max(1, Math.min(s.span.length, 1)));
    for (const child of syntaxChildren(s)) stack.push([child, isChain(s, child) ? depth : depth + 1]);
  }
}
