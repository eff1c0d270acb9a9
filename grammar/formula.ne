# The actdiff formula language. Compiled by nearleyc into src/parse/generated/formula.ts;
# never edit that file. Postprocessors only build syntax nodes; names are resolved later.
# Operators with several spellings (^ and **, * × ·, - −) are matched by token type, since
# nearley compares literals with the raw text.
# Precedence is a ladder of nonterminals, loosest first. Every construct must parse exactly
# once: test/parse/ambiguity.test.ts fails on a second parse.

@preprocessor typescript

@{%
import moo from "moo";
import { join, tokenSpan, type Syntax, type Token } from "../syntax.js";

// Unicode spellings are folded into the ASCII ones at the lexer, so the grammar sees one form.
const GREEK: Record<string, string> = { "α": "alpha", "β": "beta", "γ": "gamma", "λ": "lambda", "π": "pi" };

const lexer = moo.compile({
  ws: { match: /[ \t\r\n]+/, lineBreaks: true },
  invalid: moo.error,
  number: /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/,
  ident: {
    match: /[A-Za-z_\u0370-\u03FF][A-Za-z0-9_\u0370-\u03FF]*/,
    type: moo.keywords({ kw_and: "and", kw_or: "or", kw_not: "not", kw_if: "if", kw_otherwise: "otherwise" }),
    value: (s: string) => GREEK[s] ?? s,
  },
  pow: { match: ["**", "^"], value: () => "^" },
  times: { match: ["*", "×", "·", "⋅"], value: () => "*" },
  divide: "/",
  plus: "+",
  minus: { match: ["-", "−"], value: () => "-" },
  cmp: { match: ["<=", ">=", "==", "!=", "≤", "≥", "≠", "<", ">"], value: (s: string) => ({ "≤": "<=", "≥": ">=", "≠": "!=" } as Record<string, string>)[s] ?? s },
  andOp: { match: "&&", type: () => "kw_and" },
  orOp: { match: "||", type: () => "kw_or" },
  bang: { match: "!", type: () => "kw_not" },
  eq: "=",
  question: "?",
  colon: ":",
  lparen: "(",
  rparen: ")",
  lbrace: "{",
  rbrace: "}",
  comma: ",",
  semicolon: ";",
});

// Whitespace is a token for moo (so positions stay right) but never reaches the grammar.
const nextToken = lexer.next.bind(lexer);
lexer.next = () => {
  let t = nextToken();
  while (t !== undefined && t.type === "ws") t = nextToken();
  return t;
};

const binary = (op: string) => ([left, , right]: any[]): Syntax => ({ type: "binary", op: op as "+", left, right, span: join(left, right) });
%}

@lexer lexer

main -> definition {% id %}
      | expr {% id %}

claim -> expr "=" expr {% ([left, , right]) => ({ type: "claim", left, right, span: join(left, right) }) %}

definition -> %ident "(" inputs params ")" "=" expr
  {% ([name, , inputs, params, , , body]) => ({ type: "definition", name: name.value, nameSpan: tokenSpan(name), inputs, params, body, span: join(name, body) }) %}

inputs -> %ident ("," %ident):* {% ([first, rest]) => [first, ...rest.map((r: any[]) => r[1])].map((t: Token) => ({ name: t.value, span: tokenSpan(t) })) %}

params -> null {% () => [] %}
        | ";" paramDecl ("," paramDecl):* {% ([, first, rest]) => [first, ...rest.map((r: any[]) => r[1])] %}

paramDecl -> %ident "=" expr {% ([name, , value]) => ({ name: name.value, span: tokenSpan(name), defaultValue: value }) %}
           | %ident {% ([name]) => ({ name: name.value, span: tokenSpan(name) }) %}

expr -> ternary {% id %}

ternary -> disjunction "?" ternary ":" ternary
  {% ([when, , then, , otherwise]) => ({ type: "cases", branches: [{ when, then }], otherwise, span: join(when, otherwise) }) %}
         | disjunction {% id %}

disjunction -> disjunction %kw_or conjunction {% ([left, , right]) => ({ type: "logic", op: "or", left, right, span: join(left, right) }) %}
             | conjunction {% id %}

conjunction -> conjunction %kw_and negation {% ([left, , right]) => ({ type: "logic", op: "and", left, right, span: join(left, right) }) %}
             | negation {% id %}

negation -> %kw_not negation {% ([op, arg]) => ({ type: "not", arg, span: join(op, arg) }) %}
          | comparison {% id %}

comparison -> sum %cmp sum {% ([left, op, right]) => ({ type: "compare", op: op.value, left, right, span: join(left, right) }) %}
            | sum {% id %}

sum -> sum "+" product {% binary("+") %}
     | sum %minus product {% binary("-") %}
     | product {% id %}

product -> product %times unary {% binary("*") %}
         | product "/" unary {% binary("/") %}
         | unary {% id %}

unary -> %minus unary {% ([op, arg]) => ({ type: "negate", arg, span: join(op, arg) }) %}
       | "+" unary {% ([, arg]) => arg %}
       | power {% id %}
       | number power_after_number
  {% ([n, rest]) => ({ type: "binary", op: "*", left: n, right: rest, span: join(n, rest) }) %}

# Implicit multiplication only after a number literal: 2x, 3exp(x), 2(x + 1), 2x^2 = 2·(x²).
power_after_number -> non_number_atom %pow unary {% binary("^") %}
                    | non_number_atom {% id %}

power -> atom %pow unary {% binary("^") %}
       | atom {% id %}

atom -> number {% id %}
      | non_number_atom {% id %}

number -> %number {% ([t]) => ({ type: "number", text: t.value, span: tokenSpan(t) }) %}

non_number_atom -> %ident {% ([t]) => ({ type: "name", name: t.value, span: tokenSpan(t) }) %}
                 | call {% id %}
                 | "(" expr ")" {% ([, e]) => e %}
                 | cases {% id %}

call -> %ident "(" arguments call_params ")"
  {% ([name, , args, params, close]) => ({ type: "call", name: name.value, nameSpan: tokenSpan(name), args, params, span: join(name, close) }) %}

arguments -> expr ("," expr):* {% ([first, rest]) => [first, ...rest.map((r: any[]) => r[1])] %}

call_params -> null {% () => [] %}
             | ";" param_arg ("," param_arg):* {% ([, first, rest]) => [first, ...rest.map((r: any[]) => r[1])] %}

param_arg -> %ident "=" expr {% ([name, , value]) => ({ name: name.value, value, span: join(name, value) }) %}
           | expr {% ([value]) => ({ value, span: value.span }) %}

# One readable multi-case form: { 0 if x <= 0, 6 if x >= 6, x otherwise }
cases -> "{" (case_branch separator):* otherwise_branch separator:? "}"
  {% ([open, branches, otherwise, , close]) => ({ type: "cases", branches: branches.map((b: any[]) => b[0]), otherwise, span: join(open, close) }) %}

case_branch -> expr %kw_if disjunction {% ([then, , when]) => ({ when, then }) %}

otherwise_branch -> expr %kw_otherwise {% id %}

separator -> "," {% id %}
           | ";" {% id %}
