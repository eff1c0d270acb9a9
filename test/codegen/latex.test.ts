import fc from "fast-check";
import katex from "katex";
import { describe, expect, test } from "vitest";
import {
  add, call, compare, constant, derivative, div, int, logic, mul, not, num, piecewise, pow, sym,
} from "../../src/ast/build.js";
import { emptyScope } from "../../src/ast/definition.js";
import type { CompareOp, Expr } from "../../src/ast/nodes.js";
import * as Q from "../../src/ast/rational.js";
import { toLatex } from "../../src/codegen/latex.js";
import { functions, type FnName } from "../../src/functions/table.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";

const parse = (source: string): Expr => resolveTopLevel(parseTopLevel(source), source, emptyScope).body;
const tex = String.raw;

/** Throws on anything KaTeX would not typeset cleanly, including lax constructs it only warns about. */
const typeset = (latex: string): string => katex.renderToString(latex, { throwOnError: true, strict: "error", displayMode: true });

describe("toLatex golden cases", () => {
  test.each([
    // activations as written in the catalog
    ["x * sigmoid(beta * x)", tex`x \sigma(\beta x)`],
    ["1 - tanh(x)^2", tex`1 - \tanh^{2}(x)`],
    ["x >= 0 ? x : alpha * (exp(x) - 1)", tex`\begin{cases} x & \text{if } x \ge 0 \\ \alpha (e^{x} - 1) & \text{otherwise} \end{cases}`],
    ["x / (1 + abs(x))", tex`\frac{x}{1 + \left|x\right|}`],
    ["(atan(beta*x) + pi/2)/pi", tex`\frac{\frac{\pi}{2} + \arctan(\beta x)}{\pi}`],
    ["0.5 * x * (1 + erf(x / sqrt(2)))", tex`\frac{x \left(1 + \operatorname{erf}\left(\frac{x}{\sqrt{2}}\right)\right)}{2}`],
    ["x >= 0 ? x : negative_slope * x", tex`\begin{cases} x & \text{if } x \ge 0 \\ \mathrm{negative\_slope}\, x & \text{otherwise} \end{cases}`],
    ["{ 0 if x <= -3, x if x >= 3, x * (x + 3) / 6 otherwise }",
      tex`\begin{cases} 0 & \text{if } x \le -3 \\ x & \text{if } x \ge 3 \\ \frac{x (3 + x)}{6} & \text{otherwise} \end{cases}`],
    ["lambda * (x > 0 ? x : 1.6732 * expm1(x))", tex`\lambda \left(\begin{cases} x & \text{if } x > 0 \\ 1.6732 (e^{x} - 1) & \text{otherwise} \end{cases}\right)`],
    ["sigmoid(x) * (1 - sigmoid(x))", tex`\sigma(x) (1 - \sigma(x))`],
    ["x * tanh(softplus(x))", tex`x \tanh(\operatorname{softplus}(x))`],

    // numbers: integers, fractions, decimals (the shorter exact spelling), signs
    ["-1/2", tex`-\frac{1}{2}`],
    ["x / 2", tex`\frac{x}{2}`],
    ["3 * x / 2", tex`\frac{3 x}{2}`],
    ["0.01 * x", tex`0.01 x`],
    ["1.0507009873554804934193349852946", tex`1.0507009873554804934193349852946`],
    ["1e-300 * x", tex`1 \times 10^{-300} x`],
    ["-x", tex`-x`],

    // products: juxtaposition, \cdot only between digits, fractions from negative powers
    ["beta * x", tex`\beta x`],
    ["2 * 3^x", tex`2 \cdot 3^{x}`],
    ["x / (2 * y)", tex`\frac{x}{2 y}`],
    ["x / y^2", tex`\frac{x}{y^{2}}`],
    ["1 / (x * (1 + x))", tex`\frac{1}{x (1 + x)}`],
    ["2 / sqrt(pi) * exp(-x^2)", tex`\frac{2 e^{-x^{2}}}{\sqrt{\pi}}`],
    ["-x * y / z", tex`-\frac{x y}{z}`],

    // sums: subtraction for negative terms, a positive term first
    ["exp(x) - 1", tex`e^{x} - 1`],
    ["-x - y", tex`-x - y`],
    ["x - 1/3", tex`x - \frac{1}{3}`],
    ["1 - expm1(x)", tex`1 - (e^{x} - 1)`],

    // powers
    ["x^(1/2)", tex`\sqrt{x}`],
    ["x^(-1/2)", tex`\frac{1}{\sqrt{x}}`],
    ["x^(3/2)", tex`x^{\frac{3}{2}}`],
    ["(x * y)^(1/3)", tex`(x y)^{\frac{1}{3}}`],
    ["(1/2)^x", tex`\left(\frac{1}{2}\right)^{x}`],
    ["(-2)^x", tex`(-2)^{x}`],
    ["(x^y)^z", tex`(x^{y})^{z}`],

    // function calls: the table's LaTeX, tall arguments in \left( \right), function powers
    ["sigmoid(x + 1)", tex`\sigma(1 + x)`],
    ["sigmoid(x / (1 + x))", tex`\sigma\left(\frac{x}{1 + x}\right)`],
    ["sigmoid(x)^2", tex`\sigma^{2}(x)`],
    ["1 / cosh(x)^2", tex`\frac{1}{\cosh^{2}(x)}`],
    ["log1p(x)^2", tex`\ln^{2}(1 + x)`],
    ["exp(x)^2", tex`(e^{x})^{2}`],
    ["abs(x)^2", tex`\left|x\right|^{2}`],
    ["max(x, y)^2", tex`\max(x, y)^{2}`],
    ["x * expm1(x)", tex`x (e^{x} - 1)`],
    ["clip(x / 6 + 1/2, 0, 1)", tex`\operatorname{clip}\left(\frac{1}{2} + \frac{x}{6}, 0, 1\right)`],

    // conditions
    ["x > 0 and x < 1 ? x : 0", tex`\begin{cases} x & \text{if } x < 1 \land x > 0 \\ 0 & \text{otherwise} \end{cases}`],
    ["x > 0 and x < 1 or not x == 2 ? 1 : 0", tex`\begin{cases} 1 & \text{if } (x < 1 \land x > 0) \lor \lnot (x = 2) \\ 0 & \text{otherwise} \end{cases}`],
    ["x != 0 ? sign(x) : 0", tex`\begin{cases} \operatorname{sgn}(x) & \text{if } x \ne 0 \\ 0 & \text{otherwise} \end{cases}`],
    ["x * (x > 0 ? 1 : 2) + 1", tex`1 + x \left(\begin{cases} 1 & \text{if } x > 0 \\ 2 & \text{otherwise} \end{cases}\right)`],

    // unevaluated derivatives
    ["diff(tanh(x), x)", tex`\frac{d}{dx} \tanh(x)`],
    ["diff(x * sigmoid(x), x, 2)", tex`\frac{d^{2}}{dx^{2}} (x \sigma(x))`],
    ["diff(x^2, beta)", tex`\frac{d}{d\beta} x^{2}`],
    ["diff(sigmoid(x), x) * diff(tanh(x), x)", tex`\left(\frac{d}{dx} \sigma(x)\right) \frac{d}{dx} \tanh(x)`],
  ])("%s  ==>  %s", (formula, expected) => {
    expect(toLatex(parse(formula))).toBe(expected);
  });
});

const x = sym("x");
const beta = sym("beta");
const builtins = Object.keys(functions) as FnName[];
/** Arguments of the right arity for any builtin: x, then simple expressions. */
const argsFor = (fn: FnName): Expr[] => [x, mul(beta, x), int(1)].slice(0, functions[fn].arity);

describe("every builtin", () => {
  test.each(builtins)("%s renders through its table entry", (fn) => {
    const args = argsFor(fn);
    const expected = functions[fn].latex(args.map(toLatex), (inner) => `(${inner})`);
    expect(toLatex(call(fn, args))).toBe(expected);
  });

  test.each(builtins)("%s typesets in every position", (fn) => {
    const f = call(fn, argsFor(fn));
    const tall = call(fn, [div(x, add(int(1), x)), ...argsFor(fn).slice(1)]);
    const positions = [
      f, tall, call(fn, argsFor(fn).map(() => f)), call("exp", [f]),
      pow(f, int(2)), pow(f, int(-2)), pow(f, num(Q.rational(1n, 3n))), pow(x, f),
      mul(int(3), x, f), mul(int(2), f, sym("y")), div(x, f), add(int(-1), f), add(x, mul(int(-1), f)),
      derivative(f, "x", 2), piecewise([{ when: compare(">", f, int(0)), then: f }], x),
    ];
    for (const e of positions) expect(() => typeset(toLatex(e)), toLatex(e)).not.toThrow();
  });
});

test.each([
  "x * sigmoid(beta * x)", "x * tanh(softplus(x))", "x * sigmoid(1.702 * x)", "max(0, x) + alpha * min(0, x)",
  "x * clip(x + 3, 0, 6) / 6", "0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))", "log(1 + exp(x))",
  "x / (1 + exp(-x))", "abs(x)^(3/2) * sign(x)", "sin(x)^2 + cos(x)^2", "tan(x)^-3", "sinh(x) / cosh(x)^2",
  "erf(x / sqrt(2))^2", "expm1(x)^2 * log1p(x)", "sqrt(1 + x^2)^-1", "exp(exp(exp(x)))", "(exp(x) + 1)^(-beta)",
  "2^(x^(1/2))", "(1/3)^(2/3)", "-(x + 1)^-1", "1e-300 + 1e300 * x", "x / (y / (z / (1 + w)))",
  "{ 0 if x <= 0, 6 if x >= 6, x otherwise }", "x > 0 or x < -1 and not (x == -2 or x != beta) ? 1 : 0",
  "x >= 0 ? (x > 1 ? x^2 : x) : -x", "sigmoid(x >= 0 ? x : 0) * 2", "diff(x * sigmoid(x), x)", "diff(diff(tanh(x), x), beta, 3)",
  "x * diff(exp(x), x) + 1", "negative_slope * x + gamma_2 * y + δ",
])("KaTeX typesets %s", (formula) => {
  const latex = toLatex(parse(formula));
  expect(typeset(latex)).not.toContain("katex-error");
});

describe("random expressions", () => {
  const cmpOps: CompareOp[] = ["<", "<=", ">", ">=", "==", "!="];
  const { value } = fc.letrec<{ value: Expr; condition: Expr }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 4, depthSize: "small" },
      fc.constantFrom<Expr>(x, beta, constant("pi"), constant("e")),
      fc.integer({ min: -12, max: 12 }).map(int),
      fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 1000 })).map(([n, d]) => num(Q.rational(BigInt(n), BigInt(d)))),
      fc.tuple(fc.constantFrom(...builtins), fc.array(tie("value"), { minLength: 3, maxLength: 3 }))
        .map(([fn, args]) => call(fn, args.slice(0, functions[fn].arity))),
      fc.array(tie("value"), { minLength: 2, maxLength: 3 }).map((ts) => add(...ts)),
      fc.array(tie("value"), { minLength: 2, maxLength: 3 }).map((fs) => mul(...fs)),
      fc.tuple(tie("value"), tie("value")).map(([a, b]) => pow(a, b)),
      fc.tuple(tie("value"), tie("value")).map(([a, b]) => div(a, b)),
      fc.tuple(tie("condition"), tie("value"), tie("value")).map(([when, then, otherwise]) => piecewise([{ when, then }], otherwise)),
      fc.tuple(tie("value"), fc.constantFrom("x", "beta"), fc.integer({ min: 1, max: 3 })).map(([e, wrt, order]) => derivative(e, wrt, order)),
    ),
    condition: fc.oneof(
      { maxDepth: 2, depthSize: "small" },
      fc.tuple(fc.constantFrom(...cmpOps), tie("value"), tie("value")).map(([op, a, b]) => compare(op, a, b)),
      fc.tuple(fc.constantFrom<"and" | "or">("and", "or"), fc.array(tie("condition"), { minLength: 2, maxLength: 3 })).map(([op, cs]) => logic(op, cs)),
      tie("condition").map(not),
    ),
  }));

  test("KaTeX typesets toLatex of any expression without an error", () => {
    fc.assert(fc.property(value, (e) => {
      const html = katex.renderToString(toLatex(e), { throwOnError: false, strict: "error", displayMode: true });
      expect(html).not.toContain("katex-error");
    }), { numRuns: 500 });
  });
});
