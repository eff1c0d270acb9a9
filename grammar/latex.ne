# The LaTeX that people write for activation functions. Compiled by nearleyc into
# src/parse/generated/latex.ts; never edit that file. Postprocessors only build syntax nodes
# (src/parse/latex/syntax.ts); src/parse/latex/resolve.ts gives them meaning. Every token is
# matched by type, since one type has several spellings (`(` and `\left(`, `\le` and `\leq`).
# Precedence is a ladder of nonterminals, loosest first. Every construct must parse exactly
# once: test/parse/latex-ambiguity.test.ts fails on a second parse.

@preprocessor typescript

@{%
import { latexLexer as lexer, tokenSpan, type LatexToken } from "../latex/lexer.js";
import type { CaseRow, IndexName, LatexNode } from "../latex/syntax.js";
import { join } from "../syntax.js";

type Spanned = LatexNode | LatexToken;
const spanned = (p: Spanned) => ("span" in p ? p : { span: tokenSpan(p) });
const spanOf = (first: Spanned, last: Spanned = first) => join(spanned(first), spanned(last));

const binary = (op: "+" | "-" | "*" | "/") => ([left, , right]: any[]): LatexNode => ({ type: "binary", op, left, right, span: spanOf(left, right) });
const leaf = (make: (t: LatexToken) => LatexNode) => ([t]: LatexToken[]): LatexNode => make(t);
const grouped = (delimiter: "(" | "[" | "{" | "\\{") => ([open, items, close]: any[]): LatexNode =>
  ({ type: "group", delimiter, items: Array.isArray(items) ? items : [items], span: spanOf(open, close) });
const row = (value: LatexNode, when: LatexNode | undefined, last: Spanned): CaseRow =>
  (when === undefined ? { value, span: spanOf(value, last) } : { value, when, span: spanOf(value, last) });
type Limit = { index?: IndexName; from?: LatexNode; node?: LatexNode; last: Spanned };
const sumOperator = (t: LatexToken, last: Spanned, lower?: Limit, upper?: Limit): LatexNode => {
  const limits = spanOf(t, last);
  return { type: "sum", ...(lower?.index && { index: lower.index }), ...(lower?.from && { from: lower.from }), ...(upper?.node && { to: upper.node }), limits, span: limits };
};
const chainOf = (sides: LatexNode[]) => ({ type: "chain", sides, span: spanOf(sides[0]!, sides[sides.length - 1]!) });
%}

@lexer lexer

main -> display {% id %}

display -> chain {% ([sides]) => chainOf(sides) %}
         | chain quantifier {% ([sides, forall]) => ({ ...chainOf(sides), forall, span: spanOf(sides[0], forall) }) %}
         | chain %comma quantifier {% ([sides, , forall]) => ({ ...chainOf(sides), forall, span: spanOf(sides[0], forall) }) %}
         | %begin_aligned align_rows %end_aligned {% ([open, rows, close]) => ({ type: "aligned", rows, span: spanOf(open, close) }) %}
         | side %colon side %to side {% ([head, , from, , to]) => ({ type: "map", head, from, to, span: spanOf(head, to) }) %}

# `\forall j \in 1 \ldots N`, `\forall j \in \{1, \dots, N\}`: the range of an equation's index.
quantifier -> %forall index_name %member index_range {% ([q, index, , range]) => ({ index, from: range.from, to: range.to, span: spanOf(q, range.last) }) %}

index_range -> sum %dots sum {% ([from, , to]) => ({ from, to, last: to }) %}
             | sum %comma %dots %comma sum {% ([from, , , , to]) => ({ from, to, last: to }) %}
             | %lset sum %comma %dots %comma sum %rset {% ([, from, , , , to, close]) => ({ from, to, last: close }) %}

index_name -> %word {% ([t]) => ({ name: t.value, span: tokenSpan(t) }) %}

chain -> side {% ([s]) => [s] %}
       | chain %eq side {% ([sides, , s]) => [...sides, s] %}

side -> sum {% id %}

# Rows of an aligned block: `lhs &= a \\ &= b`; `&` sits on either side of `=`.
align_rows -> align_row {% ([r]) => [r] %}
            | align_rows %rowsep align_row {% ([rows, , r]) => [...rows, r] %}

align_row -> side relations {% ([lhs, rhs]) => ({ lhs, rhs, span: spanOf(lhs, rhs[rhs.length - 1]) }) %}
           | relations {% ([rhs]) => ({ rhs, span: spanOf(rhs[0], rhs[rhs.length - 1]) }) %}

relations -> relation {% ([r]) => [r] %}
           | relations relation {% ([rs, r]) => [...rs, r] %}

relation -> %eq side {% ([, s]) => s %}
          | %amp %eq side {% ([, , s]) => s %}
          | %eq %amp side {% ([, , s]) => s %}

# Conditions: `=` compares here (toLatex prints == as =), and comparisons chain: 0 < x < 6.
cond -> disjunction {% id %}

disjunction -> disjunction %lor conjunction {% ([left, , right]) => ({ type: "logic", op: "or", left, right, span: spanOf(left, right) }) %}
             | conjunction {% id %}

conjunction -> conjunction %land negation {% ([left, , right]) => ({ type: "logic", op: "and", left, right, span: spanOf(left, right) }) %}
             | negation {% id %}

negation -> %lnot negation {% ([op, arg]) => ({ type: "not", arg, span: spanOf(op, arg) }) %}
          | comparison {% id %}

comparison -> sum {% id %}
            | sum comparisons {% ([first, rest]) => ({ type: "compare", operands: [first, ...rest.map((r: any[]) => r[1])], ops: rest.map((r: any[]) => r[0]), span: spanOf(first, rest[rest.length - 1][1]) }) %}

# `x \in [0, 6)`, `x \in (-\infty, 0]`: an interval, a chain of two comparisons.
comparison -> sum %member interval_open sum %comma sum interval_close {% ([x, , lo, a, , b, hi]) => ({ type: "compare", operands: [a, x, b], ops: [lo, hi.op], span: spanOf(x, hi.token) }) %}

interval_open -> %lbrack {% () => "<=" %}
               | %lparen {% () => "<" %}

interval_close -> %rbrack {% ([t]) => ({ op: "<=", token: t }) %}
                | %rparen {% ([t]) => ({ op: "<", token: t }) %}

comparisons -> compare_op sum {% ([op, s]) => [[op, s]] %}
             | comparisons compare_op sum {% ([rest, op, s]) => [...rest, [op, s]] %}

compare_op -> %cmp {% ([t]) => t.value %}
            | %eq {% () => "==" %}

# A sign only starts a sum: `a \cdot -b` is not LaTeX anyone writes, and toLatex parenthesises it.
sum -> sum %plus product {% binary("+") %}
     | sum %minus product {% binary("-") %}
     | %minus product {% ([op, arg]) => ({ type: "negate", arg, span: spanOf(op, arg) }) %}
     | %plus product {% ([, arg]) => arg %}
     | product {% id %}

product -> product %times juxtaposition {% binary("*") %}
         | product %divide juxtaposition {% binary("/") %}
         | juxtaposition {% id %}

# Factors side by side, kept as a flat list: whether `f (x)` is a call or a product, and how far
# `\frac{d}{dx}` reaches, is decided by resolve.ts.
juxtaposition -> factors {% ([items]) => (items.length === 1 ? items[0] : { type: "juxt", items, span: spanOf(items[0], items[items.length - 1]) }) %}

factors -> postfix {% ([f]) => [f] %}
         | sum_operator {% ([f]) => [f] %}
         | factors postfix {% ([fs, f]) => [...fs, f] %}
         | factors sum_operator {% ([fs, f]) => [...fs, f] %}

# `\sum`, `\sum_{k}`, `\sum_{k=1}^{N}` (limits in either order): the operator alone, a factor
# of the product it starts. It is not a postfix, so its `_` and `^` are its limits and nothing else.
sum_operator -> %sum {% ([t]) => sumOperator(t, t) %}
              | %sum %sub sum_lower {% ([t, , lower]) => sumOperator(t, lower.last, lower) %}
              | %sum %pow sum_upper {% ([t, , upper]) => sumOperator(t, upper.last, undefined, upper) %}
              | %sum %sub sum_lower %pow sum_upper {% ([t, , lower, , upper]) => sumOperator(t, upper.last, lower, upper) %}
              | %sum %pow sum_upper %sub sum_lower {% ([t, , upper, , lower]) => sumOperator(t, lower.last, lower, upper) %}

sum_lower -> %lbrace index_name %eq sum %rbrace {% ([, index, , from, last]) => ({ index, from, last }) %}
           | %lbrace index_name %rbrace {% ([, index, last]) => ({ index, last }) %}
           | index_name {% ([index]) => ({ index, last: index }) %}

sum_upper -> %lbrace sum %rbrace {% ([, node, last]) => ({ node, last }) %}
           | single {% ([node]) => ({ node, last: node }) %}

postfix -> primary {% id %}
         | postfix %pow script {% ([base, , s]) => (s.primes !== undefined
             ? { type: "prime", base, count: s.primes, span: spanOf(base, s.last) }
             : { type: "power", base, exponent: s.node, span: spanOf(base, s.last) }) %}
         | postfix %sub subscript {% ([base, , s]) => ({ type: "subscript", base, index: s.index, span: spanOf(base, s.last) }) %}
         # `x^+`, `x^{+}`: the positive part, as `(x)_+`.
         | postfix %pow %plus {% ([base, , last]) => ({ type: "subscript", base, index: "+", span: spanOf(base, last) }) %}
         | postfix %pow %lbrace %plus %rbrace {% ([base, , , , last]) => ({ type: "subscript", base, index: "+", span: spanOf(base, last) }) %}
         | postfix %prime {% ([base, p]) => (base.type === "prime"
             ? { ...base, count: base.count + 1, span: spanOf(base, p) }
             : { type: "prime", base, count: 1, span: spanOf(base, p) }) %}

# A superscript: a braced expression, primes (`^{\prime}`) or one token (the lexer has split
# `e^x2` into `e^x 2`).
script -> %lbrace cond %rbrace {% ([, node, last]) => ({ node, last }) %}
        | %lbrace primes %rbrace {% ([, primes, last]) => ({ primes, last }) %}
        | %prime {% ([last]) => ({ primes: 1, last }) %}
        | single {% ([node]) => ({ node, last: node }) %}
        | frac {% ([node]) => ({ node, last: node }) %}

primes -> %prime {% () => 1 %}
        | primes %prime {% ([n]) => n + 1 %}

subscript -> %lbrace index_parts %rbrace {% ([, parts, last]) => ({ index: parts.join(""), last }) %}
           | index_part {% ([part, ]) => ({ index: part.value, last: part }) %}
           | %plus {% ([t]) => ({ index: "+", last: t }) %}
           | %lbrace %plus %rbrace {% ([, , last]) => ({ index: "+", last }) %}

index_parts -> index_part {% ([t]) => [t.value] %}
             | index_parts index_part {% ([ts, t]) => [...ts, t.value] %}

index_part -> %word {% id %}
            | %number {% id %}
            | %greek {% id %}
            | %text {% id %}

single -> %number {% leaf((t) => ({ type: "number", text: t.value, span: tokenSpan(t) })) %}
        | %word {% leaf((t) => ({ type: "word", text: t.value, span: tokenSpan(t) })) %}
        | %greek {% leaf((t) => ({ type: "greek", name: t.value, span: tokenSpan(t) })) %}
        | %infty {% leaf((t) => ({ type: "infinity", span: tokenSpan(t) })) %}

primary -> single {% id %}
         | %fn {% leaf((t) => ({ type: "function", name: t.value as any, span: tokenSpan(t) })) %}
         | %text {% leaf((t) => ({ type: "text", command: t.text.replace(/\s*\{[\s\S]*$/, ""), content: t.value, span: tokenSpan(t) })) %}
         | %partial {% leaf((t) => ({ type: "partial", span: tokenSpan(t) })) %}
         | %lparen arguments %rparen {% grouped("(") %}
         | %lbrack cond %rbrack {% grouped("[") %}
         | %lbrace cond %rbrace {% grouped("{") %}
         | %lset arguments %rset {% grouped("\\{") %}
         | %lbar cond %rbar {% ([open, arg, close]) => ({ type: "abs", arg, span: spanOf(open, close) }) %}
         | %leftbar cond %rightbar {% ([open, arg, close]) => ({ type: "abs", arg, span: spanOf(open, close) }) %}
         | frac {% id %}
         | %sqrt argument {% ([root, arg]) => ({ type: "sqrt", arg: arg.node, span: spanOf(root, arg.last) }) %}
         | %sqrt %lbrack cond %rbrack argument {% ([root, , index, , arg]) => ({ type: "sqrt", arg: arg.node, index, span: spanOf(root, arg.last) }) %}
         | cases {% id %}
         | matrix {% id %}
         | indicator {% id %}

# `\mathbb{1}(x > 0)`, `\mathbb{1}_{x > 0}`, `\mathbf{1}_{\{x > 0\}}`, `\mathbb{I}[x > 0]`: 1 where the condition holds, else 0.
indicator -> %indicator %lparen cond %rparen {% ([t, , when, last]) => ({ type: "indicator", when, span: spanOf(t, last) }) %}
           | %indicator %lbrack cond %rbrack {% ([t, , when, last]) => ({ type: "indicator", when, span: spanOf(t, last) }) %}
           | %indicator %lset cond %rset {% ([t, , when, last]) => ({ type: "indicator", when, span: spanOf(t, last) }) %}
           # `_{\{x > 0\}}` is this rule with the set's braces as a group
           | %indicator %sub %lbrace cond %rbrace {% ([t, , , when, last]) => ({ type: "indicator", when, span: spanOf(t, last) }) %}

# A column vector or a matrix, its cells values or ellipses: `\left[\begin{array}{c} a_1 \\ \dots \\ a_N \end{array}\right]`.
matrix -> %lbrack %begin_array matrix_rows %end_array %rbrack {% ([open, , rows, , close]) => ({ type: "matrix", rows, span: spanOf(open, close) }) %}
        | %lparen %begin_array matrix_rows %end_array %rparen {% ([open, , rows, , close]) => ({ type: "matrix", rows, span: spanOf(open, close) }) %}
        | %begin_matrix matrix_rows %end_matrix {% ([open, rows, close]) => ({ type: "matrix", rows, span: spanOf(open, close) }) %}

matrix_rows -> matrix_row {% ([r]) => [r] %}
             | matrix_rows %rowsep matrix_row {% ([rs, , r]) => [...rs, r] %}

matrix_row -> matrix_cell {% ([c]) => [c] %}
            | matrix_row %amp matrix_cell {% ([cs, , c]) => [...cs, c] %}

matrix_cell -> sum {% id %}
             | %dots {% leaf((t) => ({ type: "dots", span: tokenSpan(t) })) %}
             | %lbrace %dots %rbrace {% ([open, , close]) => ({ type: "dots", span: spanOf(open, close) }) %}

# Parentheses hold an argument list; the resolver rejects a list used as a value.
arguments -> cond {% ([c]) => [c] %}
           | arguments %comma cond {% ([cs, , c]) => [...cs, c] %}

frac -> %frac argument argument {% ([f, numerator, denominator]) => ({ type: "frac", numerator: numerator.node, denominator: denominator.node, span: spanOf(f, denominator.last) }) %}

argument -> %lbrace cond %rbrace {% ([, node, last]) => ({ node, last }) %}
          | single {% ([node]) => ({ node, last: node }) %}

cases -> %begin_cases case_rows %end_cases {% ([open, rows, close]) => ({ type: "cases", rows, span: spanOf(open, close) }) %}
       | %lset case_environment %rightdot {% ([open, rows, close]) => ({ type: "cases", rows, span: spanOf(open, close) }) %}

# `\left\{ … \right.` around array or aligned is how cases are written without amsmath's cases.
case_environment -> %begin_cases case_rows %end_cases {% ([, rows]) => rows %}
                  | %begin_matrix case_rows %end_matrix {% ([, rows]) => rows %}
                  | %begin_array case_rows %end_array {% ([, rows]) => rows %}
                  | %begin_aligned case_rows %end_aligned {% ([, rows]) => rows %}

case_rows -> case_row {% ([r]) => [r] %}
           | case_rows %rowsep case_row {% ([rs, , r]) => [...rs, r] %}

# `x & \text{if } x \ge 0`, `x, & x>0`, `x & , x>=0`, `x, x \ge 0`, `{0,} & {x \leqslant 0}`.
case_row -> case_value case_separator case_condition {% ([value, , when]) => row(value, when, when) %}
          | case_value case_separator %kw_otherwise {% ([value, , last]) => row(value, undefined, last) %}

case_value -> sum {% id %}
            | %lbrace sum %comma %rbrace {% ([, value]) => value %}

case_separator -> %comma | %amp | %comma %amp | %amp %comma

case_condition -> %kw_if cond {% ([, c]) => c %}
                | cond {% id %}
