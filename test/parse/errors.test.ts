import { describe, expect, test } from "vitest";
import { catalogScope } from "../../src/catalog/catalog.js";
import type { ErrorCode } from "../../src/errors.js";
import { parseClaim, parseTopLevel } from "../../src/parse/parse.js";
import { errorOf } from "../support/errors.js";
import { resolveClaim, resolveTopLevel } from "../../src/parse/resolve.js";

/** Parses and resolves a formula in the catalog's scope, as `define` does. */
const resolve = (src: string) => resolveTopLevel(parseTopLevel(src), src, catalogScope);

interface Expected {
  code: ErrorCode;
  line: number;
  column: number;
  /** The whole message: summary with position, the source line, the caret line, the hint. */
  message: string;
}

/**
 * Every error names its code, points at the exact line and column, shows the source line with
 * a caret under the offending text, and says what would have been right.
 */
const CASES: readonly [string, string, Expected][] = [
  ["unexpected character", "x $ 2", {
    code: "E_CHAR", line: 1, column: 3, message: [
      "error[E_CHAR]: unexpected character '$' (line 1, column 3)",
      "  1 | x $ 2",
      "    |   ^",
      "hint: formulas use names, numbers, + - * / ^ ( ) , ; ? : { }, comparisons and and/or/not",
    ].join("\n"),
  }],
  ["unexpected token", "x + * 2", {
    code: "E_SYNTAX", line: 1, column: 5, message: [
      "error[E_SYNTAX]: unexpected '*' (line 1, column 5)",
      "  1 | x + * 2",
      "    |     ^",
      "hint: expected '(', '+', '-', '{', a name or a number",
    ].join("\n"),
  }],
  ["unexpected name after a complete expression", "2x y", {
    code: "E_SYNTAX", line: 1, column: 4, message: [
      "error[E_SYNTAX]: unexpected name 'y' (line 1, column 4)",
      "  1 | 2x y",
      "    |    ^",
      "hint: expected '(', '*', '+', '-', '/', '?', '[', '^', 'and', 'or' or a comparison", // '(' would make x a call
    ].join("\n"),
  }],
  ["unexpected end", "2 +", {
    code: "E_EOF", line: 1, column: 4, message: [
      "error[E_EOF]: unexpected end of input (line 1, column 4)",
      "  1 | 2 +",
      "    |    ^",
      "hint: expected '(', '+', '-', '{', a name or a number",
    ].join("\n"),
  }],
  ["an empty formula", "", {
    code: "E_EOF", line: 1, column: 1, message: [
      "error[E_EOF]: empty formula (line 1, column 1)",
      "  1 | ",
      "    | ^",
      "hint: expected '(', '+', '-', 'not', '{', a name or a number",
    ].join("\n"),
  }],
  ["unknown function, with did-you-mean", "sigmod(x)", {
    code: "E_UNKNOWN_NAME", line: 1, column: 1, message: [
      "error[E_UNKNOWN_NAME]: unknown function 'sigmod' (line 1, column 1)",
      "  1 | sigmod(x)",
      "    | ^^^^^^",
      "hint: did you mean 'sigmoid'?",
    ].join("\n"),
  }],
  ["unknown catalog activation, with did-you-mean", "x * swsh(x)", {
    code: "E_UNKNOWN_NAME", line: 1, column: 5, message: [
      "error[E_UNKNOWN_NAME]: unknown function 'swsh' (line 1, column 5)",
      "  1 | x * swsh(x)",
      "    |     ^^^^",
      "hint: did you mean 'swish'?",
    ].join("\n"),
  }],
  ["unknown name in a definition", "f(x) = x + y", {
    code: "E_UNKNOWN_NAME", line: 1, column: 12, message: [
      "error[E_UNKNOWN_NAME]: unknown name 'y' (line 1, column 12)",
      "  1 | f(x) = x + y",
      "    |            ^",
      "hint: declare it as an input or a parameter: f(x; y = 1) = …",
    ].join("\n"),
  }],
  ["misspelt parameter in a definition", "f(x; alpha = 1) = alpa * x", {
    code: "E_UNKNOWN_NAME", line: 1, column: 19, message: [
      "error[E_UNKNOWN_NAME]: unknown name 'alpa' (line 1, column 19)",
      "  1 | f(x; alpha = 1) = alpa * x",
      "    |                   ^^^^",
      "hint: did you mean 'alpha'?",
    ].join("\n"),
  }],
  ["wrong arity of a builtin", "exp(x, 2)", {
    code: "E_ARITY", line: 1, column: 1, message: [
      "error[E_ARITY]: exp takes 1 argument, not 2 (line 1, column 1)",
      "  1 | exp(x, 2)",
      "    | ^^^",
      "hint: exp: e^u",
    ].join("\n"),
  }],
  ["unknown parameter at a call site", "swish(x; betta = 2)", {
    code: "E_PARAM", line: 1, column: 10, message: [
      "error[E_PARAM]: swish has no parameter 'betta' (line 1, column 10)",
      "  1 | swish(x; betta = 2)",
      "    |          ^^^^^^^^^",
      "hint: did you mean 'beta'?",
    ].join("\n"),
  }],
  ["a condition used as a number", "(x > 0) + 1", {
    code: "E_TYPE", line: 1, column: 2, message: [
      "error[E_TYPE]: a condition is used where a number is needed (line 1, column 2)",
      "  1 | (x > 0) + 1",
      "    |  ^^^^^",
      "hint: write a piecewise value as `cond ? a : b` or `{ a if cond, b otherwise }`",
    ].join("\n"),
  }],
  ["a number used as a condition", "x ? 1 : 0", {
    code: "E_TYPE", line: 1, column: 1, message: [
      "error[E_TYPE]: a number is used where a condition is needed (line 1, column 1)",
      "  1 | x ? 1 : 0",
      "    | ^",
      "hint: compare it, for example `x >= 0`",
    ].join("\n"),
  }],
  ["a number used as a condition inside and", "x > 0 and 1 ? 1 : 0", {
    code: "E_TYPE", line: 1, column: 11, message: [
      "error[E_TYPE]: a number is used where a condition is needed (line 1, column 11)",
      "  1 | x > 0 and 1 ? 1 : 0",
      "    |           ^",
      "hint: compare it, for example `x >= 0`",
    ].join("\n"),
  }],
  ["a multi-line source: the error is on line 2", "f(x) =\n  sigmod(x)", {
    code: "E_UNKNOWN_NAME", line: 2, column: 3, message: [
      "error[E_UNKNOWN_NAME]: unknown function 'sigmod' (line 2, column 3)",
      "  2 |   sigmod(x)",
      "    |   ^^^^^^",
      "hint: did you mean 'sigmoid'?",
    ].join("\n"),
  }],
  ["a multi-line source: a stray character on line 2", "f(x) = x +\n  y $ 2", {
    code: "E_CHAR", line: 2, column: 5, message: [
      "error[E_CHAR]: unexpected character '$' (line 2, column 5)",
      "  2 |   y $ 2",
      "    |     ^",
      "hint: formulas use names, numbers, + - * / ^ ( ) , ; ? : { }, comparisons and and/or/not",
    ].join("\n"),
  }],
];

describe("errors carry code, position, the source line with a caret, and a hint", () => {
  test.each(CASES)("%s: %j", (_what, src, expected) => {
    const err = errorOf(() => resolve(src));
    expect({ code: err.code, line: err.line, column: err.column, message: err.message }).toEqual(expected);
  });
});

describe("more resolution errors (code, position and summary)", () => {
  test.each<[string, ErrorCode, number, number, string]>([
    ["f(x, x) = x", "E_DEFINITION", 1, 6, "'x' is declared twice"],
    ["f(x; exp = 1) = x", "E_DEFINITION", 1, 6, "'exp' is a builtin name and cannot be an input or parameter"],
    ["f(pi) = pi", "E_DEFINITION", 1, 3, "'pi' is a builtin name and cannot be an input or parameter"],
    ["swish(x; beta = 1, beta = 2)", "E_PARAM", 1, 20, "parameter 'beta' is given twice"],
    ["swish(x; 1, 2)", "E_PARAM", 1, 13, "swish has only 1 parameter"],
    ["relu(x; a = 1)", "E_PARAM", 1, 9, "relu has no parameter 'a'"],
    ["sin(x; a = 1)", "E_PARAM", 1, 8, "sin takes no parameters"],
    ["f(x; a = x) = a", "E_PARAM", 1, 10, "the default of 'a' must be a constant"],
    ["max(x)", "E_ARITY", 1, 1, "max takes 2 arguments, not 1"],
    ["swish()", "E_SYNTAX", 1, 7, "unexpected ')'"],
    ["relu(x, y)", "E_ARITY", 1, 1, "relu takes 1 input, not 2"],
    ["swish(x, 2, 3)", "E_ARITY", 1, 1, "swish takes 1 input, not 3"],
    ["sigmoid", "E_TYPE", 1, 1, "'sigmoid' is a function; call it with an argument"],
    ["x * swish", "E_TYPE", 1, 5, "'swish' is a function; call it with an argument"],
    ["diff(x, 2)", "E_TYPE", 1, 9, "the second argument of diff must be a variable name"],
    ["diff(x^2, x, -1)", "E_ORDER", 1, 14, "the order of a derivative must be an integer from 0 to 64"],
    ["diff(x^2, x, 1.5)", "E_ORDER", 1, 14, "the order of a derivative must be an integer from 0 to 64"],
    ["diff(x^2)", "E_ARITY", 1, 1, "diff takes an expression, a variable and an optional order"],
    ["{ 1 if x, 2 otherwise }", "E_TYPE", 1, 8, "a number is used where a condition is needed"],
    ["{ x > 0 if x > 0, 2 otherwise }", "E_TYPE", 1, 3, "a condition is used where a number is needed"],
  ])("%j → %s at %i:%i", (src, code, line, column, summary) => {
    const err = errorOf(() => resolve(src));
    expect([err.code, err.line, err.column, err.summary]).toEqual([code, line, column, summary]);
  });

  test("a transposition is two edits: no suggestion for a short name, the declaration hint instead", () => {
    const err = errorOf(() => resolve("f(x; alpha = 1) = alpah * x"));
    expect(err.hint).toBe("declare it as an input or a parameter: f(x; alpah = 1) = …");
  });

  test("a one-letter name gets no suggestion: every one-letter name is one edit away", () => {
    expect(errorOf(() => resolve("f(x; a = 1) = a * x + b")).hint).toBe("declare it as an input or a parameter: f(x; b = 1) = …");
  });

  test("a claim with an error in its right side points into the right side", () => {
    const src = "diff(sigmoid(x), x) = sigmod(x)";
    const err = errorOf(() => resolveClaim(parseClaim(src), src, catalogScope));
    expect([err.code, err.line, err.column, err.hint]).toEqual(["E_UNKNOWN_NAME", 1, 23, "did you mean 'sigmoid'?"]);
  });

  test("errors serialise to JSON with their position", () => {
    const err = errorOf(() => resolve("x $ 2"));
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      code: "E_CHAR", message: "unexpected character '$'", line: 1, column: 3, offset: 2, length: 1,
      hint: "formulas use names, numbers, + - * / ^ ( ) , ; ? : { }, comparisons and and/or/not",
    });
  });
});
