import { describe, expect, test } from "vitest";
import { catalogScope } from "../../src/catalog/catalog.js";
import type { ErrorCode } from "../../src/errors.js";
import { errorOf } from "../support/errors.js";
import { readLatexEquation, readLatexExpression } from "../../src/parse/latex/read.js";

/**
 * A formula the reader cannot read is an error that says why and where, in the LaTeX as given:
 * a document checker lists it as skipped with this reason. Unsupported commands, environments
 * and text are named.
 */
const tex = String.raw;
const SUPPORTED = tex`actdiff reads fractions, powers, roots, |x|, elementary functions, \sigma, \max, \min, \text{…}, sums over vectors, cases and aligned chains`;

const expression = (latex: string) => () => readLatexExpression(latex, catalogScope);
const equation = (latex: string) => () => readLatexEquation(latex, catalogScope);

describe("the whole message: summary with position, source line, caret, hint", () => {
  test.each<[string, () => unknown, string]>([
    ["an unsupported command", expression(tex`\prod_{k=1}^{N} e^{a_k}`), [
      tex`error[E_UNSUPPORTED]: unsupported LaTeX command '\prod' (line 1, column 1)`,
      tex`  1 | \prod_{k=1}^{N} e^{a_k}`,
      tex`    | ^^^^^`,
      `hint: ${SUPPORTED}`,
    ].join("\n")],
    ["prose inside \\text (seed 003, eq. 14)", equation(tex`ELU(x) = \begin{cases} x, x \ge 0 \\ a(e^x - 1), x < 0 \ (a \text{ 为参数}, a \ge 0) \end{cases}`), [
      tex`error[E_UNSUPPORTED]: unsupported text '为参数' (line 1, column 61)`,
      tex`  1 | ELU(x) = \begin{cases} x, x \ge 0 \\ a(e^x - 1), x < 0 \ (a \text{ 为参数}, a \ge 0) \end{cases}`,
      tex`    |                                                             ^^^^^^^^^^^`,
      "hint: text in a formula must be a function name, `if` or `otherwise`",
    ].join("\n")],
    ["a function without its argument (seed 003, eq. 4)", equation(tex`\frac{d \tanh}{dx} = 1 - \tanh^2 \tag{4}`), [
      tex`error[E_TYPE]: '\tanh' needs an argument (line 1, column 26)`,
      tex`  1 | \frac{d \tanh}{dx} = 1 - \tanh^2 \tag{4}`,
      tex`    |                          ^^^^^`,
      tex`hint: write \tanh(x)`,
    ].join("\n")],
    ["a misspelt function, with a suggestion from resolve.ts", expression(tex`\text{sigmod}(x)`), [
      "error[E_UNKNOWN_NAME]: unknown function 'sigmod' (line 1, column 1)",
      tex`  1 | \text{sigmod}(x)`,
      "    | ^^^^^^^^^^^^^",
      "hint: did you mean 'sigmoid'?",
    ].join("\n")],
    ["a syntax error on the second line", expression("\\sigma(x)\n  + \\cdot 2"), [
      "error[E_SYNTAX]: unexpected '\\cdot' (line 2, column 5)",
      "  2 |   + \\cdot 2",
      "    |     ^^^^^",
      tex`hint: expected '(', '[', '\frac', '\infty', '\left|', '\partial', '\sqrt', '\sum', '\{', '{', '|', \begin{cases}, \begin{pmatrix}, \mathbb{1}, \text{…}, a Greek letter, a function such as \tanh, a letter or a number`,
    ].join("\n")],
  ])("%s", (_, run, message) => {
    expect(errorOf(run).message).toBe(message);
  });
});

interface Expected { code: ErrorCode; line: number; column: number; length: number; message: string; hint?: string }

describe("code, position and reason", () => {
  test.each<[string, () => unknown, Expected]>([
    // not LaTeX that actdiff reads
    ["a character", expression("x @ 2"), { code: "E_CHAR", line: 1, column: 3, length: 1, message: "unexpected character '@'" }],
    ["\\infty as a value", expression("\\sigma(x)\n   + \\infty"), { code: "E_UNSUPPORTED", line: 2, column: 6, length: 6, message: tex`'\infty' is read only as the bound of a condition, as in 1 < x < \infty` }],
    ["a condition that never holds", expression(tex`\begin{cases} 1 & x > \infty \\ 0 & \text{otherwise} \end{cases}`), { code: "E_SYNTAX", line: 1, column: 19, length: 10, message: tex`'x > \infty' never holds for a number` }],
    ["an environment", expression(tex`\begin{tabular} a \end{tabular}`), { code: "E_UNSUPPORTED", line: 1, column: 1, length: 15, message: "unsupported environment 'tabular'", hint: "actdiff reads cases, dcases, array and matrix (as cases or a vector), pmatrix, bmatrix, aligned, align and split" }],
    ["an evaluation bar", expression(tex`\left. x \right|_{0}`), { code: "E_UNSUPPORTED", line: 1, column: 1, length: 6, message: tex`unsupported LaTeX command '\left.'` }],
    ["a layer index written as a superscript", expression(tex`g^{[j]}(z)`), { code: "E_SYNTAX", line: 1, column: 4, length: 3, message: "a superscript in brackets such as ^{[j]} is an index, not a power" }],
    ["a negative power of a function", expression(tex`\sin^{-2}(x)`), { code: "E_SYNTAX", line: 1, column: 7, length: 2, message: tex`a superscript on '\sin' must be a positive integer power, as in \sin^{2}(x)`, hint: tex`^{-1} is the inverse function; write another power of a value as (\sin(x))^{-2}` }],
    ["an inverse actdiff does not know", expression(tex`\sigma^{-1}(x)`), { code: "E_UNSUPPORTED", line: 1, column: 9, length: 2, message: tex`'\sigma^{-1}': actdiff knows no inverse of sigmoid` }],
    ["an unknown function applied", expression(tex`x + g(a x)`), { code: "E_UNKNOWN_NAME", line: 1, column: 5, length: 1, message: "unknown function 'g'" }],
    ["a derivative at an expression", expression(tex`\sigma'(2x)`), { code: "E_SYNTAX", line: 1, column: 1, length: 11, message: tex`the derivative \sigma' is read only at a variable, as in \sigma'(x)` }],
    ["\\partial alone", expression(tex`\partial x`), { code: "E_SYNTAX", line: 1, column: 1, length: 8, message: tex`'\partial' outside a derivative` }],
    ["an index that is an expression", expression(tex`x_{i-1}`), { code: "E_SYNTAX", line: 1, column: 5, length: 1, message: "unexpected '-'", hint: "expected '}', \\text{…}, a Greek letter, a letter or a number" }],
    // syntax
    ["the end of input", expression(tex`\frac{1}{`), { code: "E_EOF", line: 1, column: 10, length: 1, message: "unexpected end of input" }],
    ["nothing at all", expression("  "), { code: "E_EOF", line: 1, column: 3, length: 1, message: "empty formula" }],
    ["a comparison as a value", expression("x > 0"), { code: "E_SYNTAX", line: 1, column: 3, length: 1, message: "unexpected '>'" }],
    ["an equation where an expression is asked for", expression("x = 1"), { code: "E_SYNTAX", line: 1, column: 5, length: 1, message: "expected an expression, not an equation" }],
    // meaning
    ["a function name alone", expression(tex`\text{sigmoid}`), { code: "E_TYPE", line: 1, column: 1, length: 14, message: tex`'\text{sigmoid}' needs an argument`, hint: tex`write \text{sigmoid}(x)` }],
    ["a long unknown word", expression(tex`Leaky ReLU(x)`), { code: "E_UNKNOWN_NAME", line: 1, column: 1, length: 5, message: "unknown name 'Leaky'" }],
    ["an arity", expression(tex`\max(x)`), { code: "E_ARITY", line: 1, column: 1, length: 4, message: "max takes 2 arguments, not 1", hint: "max: the larger of two values" }],
    ["a list", expression("(a, b)"), { code: "E_TYPE", line: 1, column: 1, length: 6, message: "a list in parentheses is not a value" }],
    ["a condition as a value", expression(tex`\begin{cases} x & x > 0 \\ (x > 0) & \text{otherwise} \end{cases}`), { code: "E_TYPE", line: 1, column: 29, length: 5, message: "a condition is used where a number is needed" }],
    ["otherwise before the last row", expression(tex`\begin{cases} 1 & \text{otherwise} \\ 0 & x > 0 \end{cases}`), { code: "E_SYNTAX", line: 1, column: 15, length: 20, message: "only the last row of cases can be 'otherwise'" }],
    ["an operator with nothing after it", expression(tex`\frac{d}{dx}`), { code: "E_SYNTAX", line: 1, column: 1, length: 12, message: tex`'\frac{d}{dx}' has nothing to differentiate` }],
    ["mismatched orders", expression(tex`\frac{d^2}{dx} f`), { code: "E_ORDER", line: 1, column: 1, length: 14, message: "the numerator is of order 2 but the denominator of order 1" }],
    ["a symbolic order", expression(tex`\frac{d^n}{dx^n} f`), { code: "E_ORDER", line: 1, column: 15, length: 1, message: "the order of a derivative must be an integer from 1 to 64" }],
    // equations
    ["an aligned block without a left side", equation(tex`\begin{aligned} &= x \end{aligned}`), { code: "E_SYNTAX", line: 1, column: 20, length: 1, message: "an aligned block must start with a left-hand side" }],
    ["two equations where one is asked for", equation(tex`\begin{aligned} f(x) &= x \\ g(x) &= x \end{aligned}`), { code: "E_SYNTAX", line: 1, column: 30, length: 9, message: "expected one equation, found 2" }],
  ])("%s", (_, run, expected) => {
    const err = errorOf(run);
    expect({ code: err.code, line: err.line, column: err.column, length: err.span?.length, message: err.summary })
      .toEqual({ code: expected.code, line: expected.line, column: expected.column, length: expected.length, message: expected.message });
    if (expected.hint !== undefined) expect(err.hint).toBe(expected.hint);
  });
});
