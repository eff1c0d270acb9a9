import { describe, expect, test } from "vitest";
import { allParses } from "../../src/parse/parse.js";

/**
 * The grammar must give every input exactly one parse: nearley returns all of them, and a second
 * parse means two trees for one formula (nearley issues #53, #325). Each line below covers a
 * construct; together they touch every rule of grammar/formula.ne.
 */
const EXPRESSIONS: readonly string[] = [
  // numbers
  "0", "12", "0.5", ".5", "5.", "1e-3", "2.5E+4", "1e3", "0.01",
  // names, constants, unicode letters
  "x", "beta", "negative_slope", "pi", "e", "α", "β", "γ", "λ", "π", "σ(x)",
  // the arithmetic operators and their spellings
  "x + 1", "x - 1", "x * 2", "x / 2", "x ^ 2", "x ** 2", "x · y", "x × y", "x ⋅ y", "x − y",
  "x + y - z + w", "x / y / z", "x * y / z * w", "x^y^z", "x ** y ** z", "2^3^2",
  // unary minus and plus
  "-x", "+x", "--x", "-+x", "-x^2", "x^-2", "-2^2", "2^-x^2", "-x * y", "x * -y", "x - -y", "−x",
  // implicit multiplication after a number
  "2x", "2x^2", "2(x + 1)", "3exp(x)", "2.5e3x", "2 x", "2 (x)", "x/2x", "1/2x", "-2x", "2x * 3y", "2{1 if x > 0, 2 otherwise}",
  // calls
  "exp(x)", "max(x, 0)", "clip(x, -1, 1)", "exp(exp(x))", "max(x, min(y, 0))",
  "swish(x; 2)", "swish(x; beta = 2)", "swish(x, 2)", "f(x; a = 1, 2)", "g(x; 1, b = 2, c = x + 1)", "diff(tanh(x), x, 3)",
  // comparisons, every spelling
  "x < 1 ? 1 : 0", "x <= 1 ? 1 : 0", "x > 1 ? 1 : 0", "x >= 1 ? 1 : 0", "x == 1 ? 1 : 0", "x != 1 ? 1 : 0",
  "x ≤ 1 ? 1 : 0", "x ≥ 1 ? 1 : 0", "x ≠ 1 ? 1 : 0", "x + 1 < 2 * y ? 1 : 0",
  // logic, every spelling, and its precedence (not > and > or)
  "x > 0 and x < 1 ? 1 : 0", "x > 0 or x < -1 ? 1 : 0", "not x > 0 ? 1 : 0",
  "x > 0 && x < 1 ? 1 : 0", "x > 0 || x < -1 ? 1 : 0", "!(x > 0) ? 1 : 0", "! x > 0 ? 1 : 0",
  "x > 0 and x < 1 or x > 2 ? 1 : 0", "x > 0 or x < 1 and x > 2 ? 1 : 0", "not not x > 0 ? 1 : 0",
  "not x > 0 and x < 1 || x == 3 ? 1 : 0", "(x > 0 or x < -1) and x != 5 ? 1 : 0",
  // ternary chains and nesting
  "x > 0 ? x : 0", "x > 0 ? 1 : x < -1 ? 2 : 3", "x > 0 ? y > 0 ? 1 : 2 : 3", "(x > 0 ? 1 : 2) * 3", "x > 0 ? 1 : 2 + 3",
  // the multi-case form: `,` or `;`, optional trailing separator, nested values
  "{ 0 if x <= 0, 6 if x >= 6, x otherwise }", "{ 0 if x <= 0; 6 if x >= 6; x otherwise }",
  "{ 0 if x <= 0, 6 if x >= 6, x otherwise, }", "{ 0 if x <= 0; 6 if x >= 6; x otherwise; }",
  "{ x otherwise }", "{ 1 if x < 0, 2 otherwise }", "{ x > 0 ? 1 : 2 if x < 1, 3 otherwise }",
  "{ 1 if x > 0 and x < 1, 2 if not x > 5, 3 otherwise } + 1", "-{ 1 if x < 0, 2 otherwise }",
  // whitespace and line breaks are not tokens
  "  x  +  1  ", "x\n+\n1", "\tx",
];

const DEFINITIONS: readonly string[] = [
  "f(x) = x", "f(x, y) = x + y", "f(x; a) = a * x", "f(x; a = 1) = a * x", "f(x; a = 1, b = 2) = a * x + b",
  "f(x; a, b = -1/2) = a * x + b", "swish(x; β = 1) = x * σ(β * x)", "relu6(x) = { 0 if x <= 0, 6 if x >= 6, x otherwise }",
  "elu(x; alpha = 1) = x > 0 ? x : alpha * (exp(x) - 1)", "g(x) = f(x; 2)", "f(x; constructor = 2, __proto__ = 3) = constructor * x + __proto__",
];

const CLAIMS: readonly string[] = [
  "diff(sigmoid(x), x) = sigmoid(x) * (1 - sigmoid(x))", "sigmoid(-x) = 1 - sigmoid(x)", "tanh(x) = 2*sigmoid(2x) - 1",
  "diff(elu(x), x) = x >= 0 ? 1 : exp(x)", "diff(relu6(x), x) = { 1 if x > 0 and x < 6, 0 otherwise }",
  "diff(tanh(x), x, 2) = -2 * tanh(x) * (1 - tanh(x)^2)", "x ** 2 = x^2", "-x^2 = -(x^2)", "σ(x) ≠ 1 ? 1 : 0 = 1",
];

describe("every construct has exactly one parse", () => {
  test.each(EXPRESSIONS)("expression %j", (src) => {
    expect(allParses(src)).toHaveLength(1);
  });
  test.each(DEFINITIONS)("definition %j", (src) => {
    expect(allParses(src)).toHaveLength(1);
  });
  test.each([...CLAIMS, ...EXPRESSIONS.filter((s) => !s.includes("\n")).slice(0, 40).map((s) => `${s} = ${s}`)])("claim %j", (src) => {
    expect(allParses(src, "claim")).toHaveLength(1);
  });
});

/** Parses found, 0 when nearley rejects the input outright. */
function parseCount(src: string, start: "main" | "claim" = "main"): number {
  try {
    return allParses(src, start).length;
  } catch {
    return 0;
  }
}

describe("the start symbols accept what they should and nothing else", () => {
  test("a bare `=` belongs to claims and definitions only", () => {
    expect(parseCount("x = 1")).toBe(0);
    expect(parseCount("x + 1", "claim")).toBe(0);
    expect(parseCount("x = 1 = 2", "claim")).toBe(0);
  });
  test("a definition head with a default is not an expression", () => {
    expect(parseCount("f(x; a = 1)")).toBe(1); // a call with a named parameter
    expect(parseCount("f(x; a = 1) = x")).toBe(1); // a definition
    expect(parseCount("f(x + 1) = x")).toBe(0); // inputs are names
  });
  test("juxtaposition is implicit multiplication only after a number literal", () => {
    expect(parseCount("x y")).toBe(0);
    expect(parseCount("(x)(y)")).toBe(0);
    expect(parseCount("2 x y")).toBe(0);
    expect(parseCount("x 2")).toBe(0);
  });
  test("a multi-case form needs its otherwise branch", () => {
    expect(parseCount("{ 1 if x > 0 }")).toBe(0);
    expect(parseCount("{ 1 if x > 0, }")).toBe(0);
    expect(parseCount("{ }")).toBe(0);
  });
});
