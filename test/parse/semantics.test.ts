import { describe, expect, test } from "vitest";
import {
  add, call, compare, constant, div, int, logic, mul, neg, not, num, piecewise, pow, sym,
} from "../../src/ast/build.js";
import { emptyScope } from "../../src/ast/definition.js";
import type { Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { parseClaim, parseTopLevel } from "../../src/parse/parse.js";
import { resolveClaim, resolveTopLevel } from "../../src/parse/resolve.js";

/** The resolved tree of a formula; builtins only, unless a scope is given. */
const parse = (src: string, scope = emptyScope): Expr => resolveTopLevel(parseTopLevel(src), src, scope).body;

const x = sym("x");
const y = sym("y");
const z = sym("z");
const beta = sym("beta");

/**
 * What a formula means. Nodes are hash-consed, so `toBe` compares whole trees: two spellings
 * mean the same thing exactly when they resolve to the same object.
 */
describe("precedence and associativity", () => {
  test.each<[string, Expr]>([
    ["-x^2", neg(pow(x, int(2)))], // unary minus binds looser than ^
    ["x^-2", pow(x, int(-2))], // a sign in the exponent
    ["2^-x^2", pow(int(2), neg(pow(x, int(2))))], // the exponent is a whole unary: -(x^2)
    ["-2^2", int(-4)],
    ["x^y^z", pow(x, pow(y, z))], // right-associative
    ["x ** y ** z", pow(x, pow(y, z))],
    ["x / y / z", mul(x, pow(y, int(-1)), pow(z, int(-1)))], // left-associative: (x/y)/z
    ["x - y - z", add(x, neg(y), neg(z))],
    ["x - (y - z)", add(x, neg(y), z)],
    ["x + y * z", add(x, mul(y, z))],
    ["(x + y) * z", mul(add(x, y), z)],
    ["-x * y", mul(int(-1), x, y)],
    ["x * -y", mul(int(-1), x, y)],
    ["--x", x],
    ["+x", x],
  ])("%s", (src, expected) => {
    expect(parse(src)).toBe(expected);
  });

  test("-x^2 is -(x^2), not (-x)^2", () => {
    expect(parse("-x^2")).toBe(parse("-(x^2)"));
    expect(parse("-x^2")).not.toBe(parse("(-x)^2"));
  });
});

describe("implicit multiplication after a number binds like a power, tighter than * and /", () => {
  test.each<[string, string]>([
    ["2x", "2 * x"],
    ["2x^2", "2 * (x^2)"],
    ["2(x + 1)", "2 * (x + 1)"],
    ["3exp(x)", "3 * exp(x)"],
    ["2.5e3x", "2500 * x"],
    ["2 x", "2 * x"],
    ["-2x", "-(2 * x)"],
    ["x^2x", "x^(2 * x)"], // the exponent `2x` is one unary
  ])("%s means %s", (implicit, explicit) => {
    expect(parse(implicit)).toBe(parse(explicit));
  });

  test("x/2x is x/(2x) = 1/2: the implicit product is one operand of the division", () => {
    expect(parse("x/2x")).toBe(parse("x / (2 * x)"));
    expect(parse("x/2x")).toBe(num(Q.rational(1n, 2n)));
    expect(parse("x/2x")).not.toBe(parse("x / 2 * x"));
  });

  test("1/2x is 1/(2x), not x/2", () => {
    expect(parse("1/2x")).toBe(div(int(1), mul(int(2), x)));
  });
});

describe("numbers are exact", () => {
  test.each<[string, Q.Rational]>([
    ["1e-3", Q.rational(1n, 1000n)],
    [".5", Q.rational(1n, 2n)],
    ["5.", Q.rational(5n)],
    ["0.01", Q.rational(1n, 100n)],
    ["2.5E+4", Q.rational(25000n)],
    ["1/3", Q.rational(1n, 3n)],
    ["0.1 + 0.2", Q.rational(3n, 10n)],
  ])("%s", (src, value) => {
    expect(parse(src)).toBe(num(value));
  });
});

describe("conditions", () => {
  test("a ? b : c ? d : e is right-nested: a ? b : (c ? d : e)", () => {
    const a = compare(">", x, int(0));
    const c = compare("<", x, int(-1));
    const nested = piecewise([{ when: a, then: int(1) }], piecewise([{ when: c, then: int(2) }], int(3)));
    expect(parse("x > 0 ? 1 : x < -1 ? 2 : 3")).toBe(nested);
    expect(parse("x > 0 ? 1 : x < -1 ? 2 : 3")).toBe(parse("x > 0 ? 1 : (x < -1 ? 2 : 3)"));
    expect(print(nested)).toBe("x > 0 ? 1 : x < -1 ? 2 : 3");
  });

  test("a ternary in the then-branch nests to the left of the colon", () => {
    expect(parse("x > 0 ? y > 0 ? 1 : 2 : 3")).toBe(
      piecewise([{ when: compare(">", x, int(0)), then: piecewise([{ when: compare(">", y, int(0)), then: int(1) }], int(2)) }], int(3)),
    );
  });

  test("the multi-case form is the ternary chain, with either separator and a trailing one", () => {
    const chain = parse("x <= 0 ? 0 : x >= 6 ? 6 : x");
    for (const src of [
      "{ 0 if x <= 0, 6 if x >= 6, x otherwise }",
      "{ 0 if x <= 0; 6 if x >= 6; x otherwise }",
      "{ 0 if x <= 0, 6 if x >= 6, x otherwise, }",
      "{ 0 if x <= 0; 6 if x >= 6; x otherwise; }",
    ]) expect(parse(src)).toBe(chain);
  });

  test("the only value of a one-case form is its otherwise", () => {
    expect(parse("{ x otherwise }")).toBe(x);
  });

  test("not binds tighter than and, and tighter than or; && || ! are and or not", () => {
    const p = compare(">", x, int(0));
    const q = compare("<", x, int(1));
    const r = compare("==", x, int(3));
    const expected = piecewise([{ when: logic("or", [logic("and", [not(p), q]), r]), then: int(1) }], int(0));
    expect(parse("not x > 0 and x < 1 or x == 3 ? 1 : 0")).toBe(expected);
    expect(parse("!(x > 0) && x < 1 || x == 3 ? 1 : 0")).toBe(expected);
  });

  test("≤ ≥ ≠ are <= >= !=", () => {
    expect(parse("x ≤ 1 ? 1 : 0")).toBe(parse("x <= 1 ? 1 : 0"));
    expect(parse("x ≥ 1 ? 1 : 0")).toBe(parse("x >= 1 ? 1 : 0"));
    expect(parse("x ≠ 1 ? 1 : 0")).toBe(parse("x != 1 ? 1 : 0"));
  });

  test("a comparison compares sums: x + 1 < 2 * y", () => {
    expect(parse("x + 1 < 2 * y ? 1 : 0")).toBe(cond(compare("<", add(x, int(1)), mul(int(2), y)), int(1), int(0)));
  });
});

const cond = (when: Expr, then: Expr, otherwise: Expr): Expr => piecewise([{ when, then }], otherwise);

describe("spellings of the same thing", () => {
  test.each<[string, string]>([
    ["β", "beta"],
    ["α * λ * γ", "alpha * lambda * gamma"],
    ["π", "pi"],
    ["σ(x)", "sigmoid(x)"],
    ["logistic(x)", "sigmoid(x)"],
    ["ln(x)", "log(x)"],
    ["arctan(x)", "atan(x)"],
    ["x ** 2", "x^2"],
    ["x · y", "x * y"],
    ["x × y", "x * y"],
    ["x ⋅ y", "x * y"],
    ["x − y", "x - y"],
    ["−x", "-x"],
    ["e^x", "exp(x)"],
  ])("%s = %s", (a, b) => {
    expect(parse(a)).toBe(parse(b));
  });

  test("the constants are constants, not symbols", () => {
    expect(parse("pi")).toBe(constant("pi"));
    expect(parse("e")).toBe(constant("e"));
  });

  test("unicode in a definition: swish(x; β = 1) = x · σ(β x) is the catalog's swish", () => {
    const src = "swish(x; β = 1) = x · σ(β * x)";
    const d = resolveTopLevel(parseTopLevel(src), src, emptyScope);
    expect(d.params.map((p) => p.name)).toEqual(["beta"]);
    expect(d.body).toBe(mul(x, call("sigmoid", [mul(beta, x)])));
  });
});

describe("calls and definitions", () => {
  test("a catalog activation is inlined with its defaults", () => {
    expect(parse("swish(x)", catalogScope)).toBe(mul(x, call("sigmoid", [x])));
  });

  test("parameters by position, by name, and as extra arguments mean the same", () => {
    const expected = mul(x, call("sigmoid", [mul(int(2), x)]));
    for (const src of ["swish(x; 2)", "swish(x; beta = 2)", "swish(x, 2)"]) expect(parse(src, catalogScope)).toBe(expected);
  });

  test("arguments are substituted for the inputs: swish(2x; beta = y)", () => {
    expect(parse("swish(2x; beta = y)", catalogScope)).toBe(mul(int(2), x, call("sigmoid", [mul(int(2), x, y)])));
  });

  test("a definition with and without parameters", () => {
    const withParams = "f(x; a, b = 2) = a * x + b";
    const d = resolveTopLevel(parseTopLevel(withParams), withParams, emptyScope);
    expect(d.name).toBe("f");
    expect(d.inputs).toEqual(["x"]);
    expect(d.params).toEqual([{ name: "a" }, { name: "b", defaultValue: int(2) }]);
    expect(d.body).toBe(add(sym("b"), mul(sym("a"), x)));

    const plain = "g(x, y) = x * y";
    const g = resolveTopLevel(parseTopLevel(plain), plain, emptyScope);
    expect(g.inputs).toEqual(["x", "y"]);
    expect(g.params).toEqual([]);
  });

  test("a bare expression is a definition in x whose other names are parameters, sorted", () => {
    const src = "x * sigmoid(beta * x) + alpha";
    const d = resolveTopLevel(parseTopLevel(src), src, emptyScope);
    expect(d.inputs).toEqual(["x"]);
    expect(d.params).toEqual([{ name: "alpha" }, { name: "beta" }]);
  });

  test("a claim has two sides; diff(…) stays unevaluated until verification", () => {
    const src = "diff(tanh(x), x, 2) = -2 * tanh(x) * (1 - tanh(x)^2)";
    const { left, right } = resolveClaim(parseClaim(src), src, emptyScope);
    expect(left.kind).toBe("derivative");
    expect(left.kind === "derivative" && [left.wrt, left.order, left.expr]).toEqual(["x", 2, call("tanh", [x])]);
    expect(right).toBe(parse("-2 * tanh(x) * (1 - tanh(x)^2)"));
  });
});
