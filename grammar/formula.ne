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
import { foldName, NAME_PATTERN, startsName } from "../identifiers.js";

// Unicode spellings are folded into the ASCII ones at the lexer, so the grammar sees one form.
const GREEK: Record<string, string> = { "α": "alpha", "β": "beta", "γ": "gamma", "λ": "lambda", "π": "pi" };

const greek = (s: string): string => (Object.hasOwn(GREEK, s) ? GREEK[s]! : s);

// Every rule is a /u regular expression (moo requires all or none): names are letters by
// Unicode's properties (src/parse/identifiers.ts), not by a range of code points.
const lexer = moo.compile({
  ws: { match: /[ \t\r\n]+/u, lineBreaks: true },
  invalid: moo.error,
  number: /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/u,
  ident: {
    match: new RegExp(NAME_PATTERN, "u"),
    type: moo.keywords({ kw_and: "and", kw_or: "or", kw_not: "not", kw_if: "if", kw_otherwise: "otherwise" }),
    // Own keys only: an identifier such as `constructor` or `__proto__` must stay a plain name.
    // Compatibility forms fold (𝑥 is x), then the Greek letters to their names (α is alpha).
    value: (s: string) => greek(foldName(s)),
  },
  pow: { match: ["**", "^"], value: () => "^" },
  times: { match: ["*", "×", "·", "⋅"], value: () => "*" },
  divide: "/",
  plus: "+",
  // A regular expression, not literals: moo escapes "-" as \-, which /u does not allow.
  minus: { match: /[-−]/u, value: () => "-" },
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
  lbracket: "[",
  rbracket: "]",
  comma: ",",
  semicolon: ";",
  // `a ~ uniform(lower, upper)` in a definition's `where` clause only.
  tilde: "~",
  // Primes mark derivatives in claims only (`f'(x)`, `f''(x)`); `main` has no rule that takes them.
  prime: /(?:['′″])+/u,
});

// Whitespace is a token for moo (so positions stay right) but never reaches the grammar.
const nextToken = lexer.next.bind(lexer);
lexer.next = () => {
  let t = nextToken();
  while (t !== undefined && t.type === "ws") t = nextToken();
  return t;
};

/** `d`/`dx` with orders n and m: the variable (`dbeta` → beta, `dβ` → beta), or undefined if it is not a derivative. */
function differential(d: Token, dx: Token, n: number, m: number): { variable: string; order: number; first: Token } | undefined {
  if (d.value !== "d" || !dx.text.startsWith("d") || !startsName(dx.text.slice(1)) || n !== m || !Number.isInteger(n) || n < 1) return undefined;
  return { variable: greek(foldName(dx.text.slice(1))), order: n, first: d };
}

/** diff(operand, variable, order) as the formula language writes it; resolution checks the variable. */
function diffSyntax(operand: Syntax, variable: Syntax | string, order: number, span: ReturnType<typeof join>): Syntax {
  const wrt: Syntax = typeof variable === "string" ? { type: "name", name: variable, span } : variable;
  const args = [operand, wrt, ...(order === 1 ? [] : [{ type: "number", text: String(order), span } as Syntax])];
  return { type: "call", name: "diff", nameSpan: span, args, params: [], span };
}

/** d^n / dX^(n·call): the expression reading of `d^n/dX^n f(x)`. */
function isOperatorMisread(e: any): boolean {
  if (e.type !== "binary" || e.op !== "/" || e.left.type !== "binary" || e.left.op !== "^" || e.left.left.type !== "name" || e.left.left.name !== "d") return false;
  const r = e.right;
  return r.type === "binary" && r.op === "^" && r.left.type === "name" && /^d./.test(r.left.name) &&
    r.right.type === "binary" && r.right.op === "*" && r.right.left.type === "number" && r.right.right.type === "call";
}

const binary = (op: string) => ([left, , right]: any[]): Syntax => ({ type: "binary", op: op as "+", left, right, span: join(left, right) });
%}

@lexer lexer

main -> definition {% id %}
      | expr {% id %}

# Claims: `lhs = rhs`, each side an expression or a derivative notation, then optional clauses.
# A derivative notation never parses as an expression (an expression has no primes and no
# juxtaposition of names), so each claim has one parse. `d/dx(u)` parses as the expression
# d / dx(u); src/verify/claims.ts reads that as the derivative too.
claim -> claim_side "=" claim_side claim_clause:*
  {% ([left, , right, clauses]) => ({
    type: "claim", left, right,
    where: clauses.flatMap((c: any) => c.where ?? []), conditions: clauses.flatMap((c: any) => c.conditions ?? []),
    span: join(left, clauses.length ? clauses[clauses.length - 1] : right),
  }) %}

# `d^2/dx^2 tanh(x)` also reads as d² / dx^(2·tanh(x)) (a number multiplies what follows it);
# that reading is dropped, so the derivative notation is the one parse.
claim_side -> expr {% ([e], _, reject) => (isOperatorMisread(e) ? reject : e) %}
            | derivative_notation {% id %}

# f'(x), f''(x), tanh′(x): the derivative of a named function at its first argument.
derivative_notation -> %ident %prime "(" arguments call_params ")"
  {% ([name, prime, , args, params, close]) => {
    const operand: Syntax = { type: "call", name: name.value, nameSpan: tokenSpan(name), args, params, span: join(name, close) };
    const order = [...prime.text].reduce((n: number, c: string) => n + (c === "″" ? 2 : 1), 0);
    return diffSyntax(operand, args[0], order, join(name, close));
  } %}
  # d/dx f(x), d/dbeta swish(x; beta), d^2/dx^2 f(x)
                     | derivative_operator call
  {% ([op, operand]) => diffSyntax(operand, op.variable, op.order, join(op.first, operand)) %}

derivative_operator -> %ident "/" %ident
  {% ([d, , dx], _, reject) => differential(d, dx, 1, 1) ?? reject %}
                     | %ident %pow %number "/" %ident %pow %number
  {% ([d, , n, , dx, , m], _, reject) => differential(d, dx, Number(n.value), Number(m.value)) ?? reject %}

# where y = tanh(x), s = sigmoid(x)      for beta > 0, 0 < gamma < 2
claim_clause -> "where" binding ("," binding):*
  {% ([word, first, rest]) => { const where = [first, ...rest.map((r: any[]) => r[1])]; return { where, span: join(word, where[where.length - 1]) }; } %}
              | "for" range ("," range):*
  {% ([word, first, rest]) => { const conditions = [first, ...rest.map((r: any[]) => r[1])]; return { conditions, span: join(word, conditions[conditions.length - 1]) }; } %}

binding -> %ident "=" expr {% ([name, , value]) => ({ name: name.value, value, span: join(name, value) }) %}

range -> sum %cmp sum {% ([left, op, right]) => ({ type: "compare", op: op.value, left, right, span: join(left, right) }) %}
       | sum %cmp sum %cmp sum
  {% ([a, op1, b, op2, c]) => ({
    type: "logic", op: "and", span: join(a, c),
    left: { type: "compare", op: op1.value, left: a, right: b, span: join(a, b) },
    right: { type: "compare", op: op2.value, left: b, right: c, span: join(b, c) },
  }) %}

definition -> %ident "(" inputs params ")" "=" expr random_clause:?
  {% ([name, , inputs, params, , , body, randoms]) => ({
    type: "definition", name: name.value, nameSpan: tokenSpan(name), inputs, params, body,
    ...(randoms && { randoms: randoms.randoms }), span: join(name, randoms ?? body),
  }) %}

# Random variables of a definition: where a ~ uniform(lower, upper), b ~ normal(0, 1) and c ~ …
# (a claim's `where y = tanh(x)` binds names instead; it is the rule claim_clause, not this one).
random_clause -> "where" random (random_separator random):*
  {% ([word, first, rest]) => { const randoms = [first, ...rest.map((r: any[]) => r[1])]; return { randoms, span: join(word, randoms[randoms.length - 1]) }; } %}

random_separator -> "," {% id %}
                  | %kw_and {% id %}

random -> %ident "~" %ident "(" arguments ")"
  {% ([name, , dist, , args, close]) => ({ name: name.value, nameSpan: tokenSpan(name), distribution: dist.value, distributionSpan: tokenSpan(dist), args, span: join(name, close) }) %}

inputs -> input ("," input):* {% ([first, rest]) => [first, ...rest.map((r: any[]) => r[1])] %}

# `x` is a number, `x[]` a vector: softmax(x[]) = exp(x) / sum(exp(x)).
input -> %ident {% ([t]) => ({ name: t.value, span: tokenSpan(t) }) %}
       | %ident "[" "]" {% ([t, , close]) => ({ name: t.value, span: join(t, close), vector: true }) %}

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
                 | indexed {% id %}

# An element of a vector: softmax(x)_i (a subscript after a call), x[i + 1], softmax(-x)[j].
# `x_i` alone is one name; resolution reads it as an element where x is a vector.
indexed -> call %ident
  {% ([target, sub], _, reject) => (sub.value.startsWith("_") && sub.value.length > 1 ? { type: "index", target, index: { type: "name", name: sub.value.slice(1), span: tokenSpan(sub) }, span: join(target, sub) } : reject) %}
         | %ident "[" expr "]"
  {% ([t, , index, close]) => ({ type: "index", target: { type: "name", name: t.value, span: tokenSpan(t) }, index, span: join(t, close) }) %}
         | call "[" expr "]"
  {% ([target, , index, close]) => ({ type: "index", target, index, span: join(target, close) }) %}

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
