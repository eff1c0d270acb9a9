import { describe, expect, test } from "vitest";
import { emptyScope, type Scope } from "../../src/ast/definition.js";
import type { Expr } from "../../src/ast/nodes.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { evaluateFloat } from "../../src/numeric/evaluate.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";
import { allLatexParses } from "../../src/parse/latex/parse.js";
import { readLatexExpression } from "../../src/parse/latex/read.js";

/**
 * What LaTeX means, as a table: each line is the LaTeX as people write it and the formula
 * language that says the same. Nodes are hash-consed, so `toBe` compares whole trees. Every
 * input must also have exactly one parse.
 */
const formula = (src: string, scope: Scope = emptyScope): Expr => resolveTopLevel(parseTopLevel(src), src, scope).body;
const tex = String.raw;

function expectReads(latex: string, expected: string, scope: Scope = emptyScope): void {
  expect(allLatexParses(latex)).toHaveLength(1);
  expect(readLatexExpression(latex, scope)).toBe(formula(expected, scope));
}

describe("fractions, powers and roots", () => {
  test.each([
    [tex`\frac{1}{1+e^{-x}}`, "1 / (1 + exp(-x))"],
    [tex`\dfrac{x}{2}`, "x / 2"],
    [tex`\tfrac{1}{2} x`, "x / 2"],
    [tex`\frac12`, "1/2"], // TeX takes one character per bare argument
    [tex`\frac1x`, "1/x"],
    [tex`\frac{\frac{\pi}{2} + \arctan(\beta x)}{\pi}`, "(pi/2 + atan(beta*x)) / pi"],
    [tex`x^{2}`, "x^2"],
    [tex`x^2`, "x^2"],
    [tex`x^23`, "3 * x^2"], // TeX: the superscript is the 2 alone
    [tex`x^{-1}`, "1/x"],
    [tex`x^{\frac{3}{2}}`, "x^(3/2)"],
    [tex`\left(1+e^{-x}\right)^{2}`, "(1 + exp(-x))^2"],
    [tex`\sqrt{x}`, "sqrt(x)"],
    [tex`\sqrt{1 + x^2}`, "sqrt(1 + x^2)"],
    [tex`\sqrt[3]{x}`, "x^(1/3)"],
    [tex`\sqrt2 x`, "sqrt(2) * x"],
    [tex`\frac{2}{\sqrt{\pi}}`, "2 / sqrt(pi)"],
    [tex`1 \times 10^{-300}`, "1e-300"], // one number, exact (toLatex writes tiny numbers this way)
    [tex`1.6 \times 10^{3} x`, "1600 * x"],
    [tex`-x^2`, "-(x^2)"],
    [tex`-\frac{1}{2}`, "-1/2"],
  ])("%s", (latex, expected) => expectReads(latex, expected));
});

describe("e, exp and the elementary functions", () => {
  test.each([
    [tex`e^{x}`, "exp(x)"],
    [tex`e^x`, "exp(x)"],
    [tex`e^{-2 x}`, "exp(-2*x)"],
    [tex`\mathrm{e}^{x}`, "exp(x)"],
    [tex`e^{1}`, "exp(1)"], // exp(1) prints as e^{1}; pow(e, 1) would be the constant e
    [tex`e`, "e"],
    [tex`\exp(x)`, "exp(x)"],
    [tex`\exp x`, "exp(x)"],
    [tex`\exp{x}`, "exp(x)"],
    [tex`\ln(1+e^x)`, "log(1 + exp(x))"],
    [tex`\log \left(1+e^{x}\right)`, "log(1 + exp(x))"], // natural, as in every ML text
    [tex`\ln 2`, "log(2)"],
    [tex`\sin 2x`, "sin(2*x)"], // a bare argument runs over letters and numbers
    [tex`\sin x \cos x`, "sin(x) * cos(x)"], // … and stops at the next function
    [tex`\tanh(x)`, "tanh(x)"],
    [tex`\tanh (x)`, "tanh(x)"],
    [tex`\sinh(x) + \cosh(x)`, "sinh(x) + cosh(x)"],
    [tex`\sin(x) \cos(x) \tan(x)`, "sin(x) * cos(x) * tan(x)"],
    [tex`\arctan(\beta x)`, "atan(beta * x)"],
    [tex`\tanh^{2}(x)`, "tanh(x)^2"],
    [tex`\sigma^2(x)`, "sigmoid(x)^2"],
    [tex`\tanh(x)^{2}`, "tanh(x)^2"],
    [tex`(\tanh(ax))^2`, "tanh(a*x)^2"],
    [tex`\max(0, x)`, "max(0, x)"],
    [tex`\max (0, x)`, "max(0, x)"],
    [tex`\min(\max(0, x), 6)`, "min(max(0, x), 6)"],
    [tex`min(max(0, x), 6)`, "min(max(0, x), 6)"], // italic names of builtins
    [tex`tanh(x)`, "tanh(x)"],
    [tex`|x|`, "abs(x)"],
    [tex`\left|x\right|`, "abs(x)"],
    [tex`\frac{x}{1+|x|}`, "x / (1 + abs(x))"],
    [tex`|x| |y|`, "abs(x) * abs(y)"],
    [tex`|x - |y||`, "abs(x - abs(y))"],
    [tex`\lvert x \rvert`, "abs(x)"],
  ])("%s", (latex, expected) => expectReads(latex, expected));
});

describe("named functions: commands, \\operatorname, \\text and italic words", () => {
  test.each([
    [tex`\sigma(x)`, "sigmoid(x)"],
    [tex`\sigma\left(\frac{x}{2}\right)`, "sigmoid(x/2)"],
    [tex`\operatorname{softplus}(x)`, "softplus(x)"],
    [tex`\text{softplus}(x)`, "softplus(x)"],
    [tex`\mathrm{softplus}(x)`, "softplus(x)"],
    [tex`\text{Softplus}(x)`, "softplus(x)"],
    [tex`Softplus(x)`, "softplus(x)"],
    [tex`\text{sigmoid}(x) (1 - \text{sigmoid}(x))`, "sigmoid(x) * (1 - sigmoid(x))"],
    [tex`\operatorname{sgn}(x)`, "sign(x)"],
    [tex`\operatorname{erf}\left(\frac{x}{\sqrt{2}}\right)`, "erf(x / sqrt(2))"],
    [tex`\operatorname{clip}(x, 0, 1)`, "clip(x, 0, 1)"],
    [tex`x * sigmoid (x)`, "x * sigmoid(x)"],
  ])("%s", (latex, expected) => expectReads(latex, expected));

  // Catalog activations by any common spelling; a definition's parameters stay symbols of
  // their own names, since the document's α is the activation's parameter.
  test.each([
    [tex`\text{ReLU}(x)`, "relu(x)"],
    [tex`ReLU(x)`, "relu(x)"],
    [tex`ReLU6(x)`, "relu6(x)"],
    [tex`\operatorname{ELU}(x)`, "elu(x; alpha = alpha)"],
    [tex`\mathrm{Swish}(x)`, "swish(x; beta = beta)"],
    [tex`\text{relu-softplus}(x)`, "relu_softplus(x)"],
    [tex`\text{relu - softplus}(x)`, "relu_softplus(x)"],
    [tex`\text{relu – softsign}(x)`, "relu_softsign(x)"],
    [tex`\text{Leaky ReLU}(x)`, "leaky_relu(x; negative_slope = negative_slope)"],
    [tex`\text{SiLU}(x)`, "silu(x)"],
    [tex`\text{TReLU}(x)`, "trelu(x; a = a)"],
  ])("%s", (latex, expected) => expectReads(latex, expected, catalogScope));
});

describe("products: juxtaposition, \\cdot, \\times", () => {
  test.each([
    [tex`2 \cdot x`, "2 * x"],
    [tex`2 \times x`, "2 * x"],
    [tex`2x`, "2 * x"],
    [tex`x \sigma(x)`, "x * sigmoid(x)"],
    [tex`\beta x`, "beta * x"],
    [tex`x \sigma(\beta x)`, "x * sigmoid(beta * x)"],
    [tex`a(e^x - 1)`, "a * (exp(x) - 1)"], // a is not a function: a product
    [tex`\alpha\left(\mathrm{e}^{x}-1\right)`, "alpha * (exp(x) - 1)"],
    [tex`ax`, "a * x"], // short runs of italic letters multiply
    [tex`ae^{x}`, "a * exp(x)"], // the superscript belongs to the e alone
    [tex`a^2 x`, "a^2 * x"],
    [tex`2(x+1)`, "2 * (x + 1)"],
    [tex`(x+1)(x-1)`, "(x + 1) * (x - 1)"],
    [tex`x \cdot \left[\arctan(\beta x) + 0.5\pi\right]/\pi`, "x * (atan(beta * x) + 0.5 * pi) / pi"],
    [tex`0.5\pi`, "pi / 2"],
    [tex`y_{i} a_i`, "y_i * a_i"],
    [tex`\mathrm{negative\_slope} x`, "negative_slope * x"],
    [tex`\mathrm{negative\_slope} (1 + x)`, "negative_slope * (1 + x)"], // \mathrm is a variable, as toLatex prints one
    [tex`\gamma \lambda \pi`, "gamma * lambda * pi"],
    [tex`\sigma(x)(1-\sigma(x))`, "sigmoid(x) * (1 - sigmoid(x))"],
    [tex`\frac{3 x (1 + x)}{2 y}`, "3 * x * (1 + x) / (2 * y)"],
  ])("%s", (latex, expected) => expectReads(latex, expected));
});

describe("spacing and delimiters", () => {
  test.each([
    [tex`\sigma\!\left( x \right) \, \cdot \; 2 \quad + \qquad 1 ~`, "2 * sigmoid(x) + 1"],
    [tex`\left[x + 1\right]^2`, "(x + 1)^2"],
    [tex`[x + 1] y`, "(x + 1) * y"],
    [tex`\{x + 1\} y`, "(x + 1) * y"],
    [tex`\left\{x + 1\right\} y`, "(x + 1) * y"],
    [tex`{x + 1} y`, "(x + 1) * y"],
    [tex`\bigl(x + 1\bigr)^{2}`, "(x + 1)^2"],
    [tex`\displaystyle \frac{1}{2}`, "1/2"],
    [tex`x + 1.`, "x + 1"], // the sentence's full stop
  ])("%s", (latex, expected) => expectReads(latex, expected));
});

describe("cases", () => {
  test.each([
    [tex`\begin{cases} x & \text{if } x \ge 0 \\ 0 & \text{otherwise} \end{cases}`, "x >= 0 ? x : 0"],
    [tex`\begin{cases} x, & x \geq 0 \\ 0, & x<0 \end{cases}`, "x >= 0 ? x : 0"], // the last row is the otherwise
    [tex`\begin{cases} x, x \ge 0 \\ ax, x < 0 \end{cases}`, "x >= 0 ? x : a * x"],
    [tex`\begin{cases} 0, & x \leqslant 0 \\ x, & x>0 \end{cases}`, "x <= 0 ? 0 : x"],
    [tex`\begin{cases} x & , x>0 \\ 0 & \text{else} \end{cases}`, "x > 0 ? x : 0"],
    [tex`\begin{cases} x, & \text{if } x > 0 \\ 0, & \text{otherwise} \end{cases}`, "x > 0 ? x : 0"],
    [tex`\begin{cases}{0,} & {x \leqslant 0} \\\\ {x,} & {x>0}\end{cases}`, "x <= 0 ? 0 : x"], // Markdown's \\\\ is one row break
    [tex`\begin{cases} 0, & z \ge 6\\ 1, & 0 < z < 6\\ 0, & z \le 0 \end{cases}`, "{ 0 if z >= 6, 1 if 0 < z and z < 6, 0 otherwise }"],
    [tex`\begin{cases} 1 & \text{if } x > 0 \text{ and } x < 1 \\ 0 & \text{otherwise} \end{cases}`, "x > 0 and x < 1 ? 1 : 0"],
    [tex`\begin{cases} 1 & \text{if } x = 1 \lor \lnot (x > 2) \\ 0 & \text{otherwise} \end{cases}`, "x == 1 or not x > 2 ? 1 : 0"],
    [tex`\begin{cases} 1 & \text{if } x \ne 1 \land x \le 2 \\ 0 & \text{otherwise} \\ \end{cases}`, "x != 1 and x <= 2 ? 1 : 0"],
    [tex`\left\{\begin{array}{ll} x, & x>0 \\ 0, & x \le 0 \end{array}\right.`, "x > 0 ? x : 0"],
    [tex`\left\{\begin{aligned} x, & x>0 \\ 0, & x \le 0 \end{aligned}\right.`, "x > 0 ? x : 0"],
    [tex`\lambda \left(\begin{cases} x & \text{if } x > 0 \\ 1.6732 (e^{x} - 1) & \text{otherwise} \end{cases}\right)`, "lambda * (x > 0 ? x : 1.6732 * (exp(x) - 1))"],
  ])("%s", (latex, expected) => expectReads(latex, expected));
});

describe("primes and derivative notations", () => {
  test.each([
    [tex`\sigma'(x)`, "diff(sigmoid(x), x)"],
    [tex`\sigma^{\prime}(x)`, "diff(sigmoid(x), x)"],
    [tex`\sigma^\prime(x)`, "diff(sigmoid(x), x)"],
    [tex`\tanh''(x)`, "diff(tanh(x), x, 2)"],
    [tex`\tanh^{\prime\prime}(x)`, "diff(tanh(x), x, 2)"],
    [tex`\tanh(x)^{\prime}`, "diff(tanh(x), x)"],
    [tex`tanh(x)'`, "diff(tanh(x), x)"],
    [tex`\left(\frac{1}{1+e^{-x}}\right)^{\prime}`, "diff(1 / (1 + exp(-x)), x)"],
    [tex`\frac{d}{dx} \tanh(x)`, "diff(tanh(x), x)"],
    [tex`\frac{d}{dx} x \sigma(x)`, "diff(x * sigmoid(x), x)"], // the operator reaches as far right as it can
    [tex`\frac{d}{dx}\left(x^2\right) + 1`, "diff(x^2, x) + 1"],
    [tex`\frac{d^{2}}{dx^{2}} \tanh(x)`, "diff(tanh(x), x, 2)"],
    [tex`\frac{d \tanh}{dx}`, "diff(tanh(x), x)"],
    [tex`\frac{d\sigma}{dx}`, "diff(sigmoid(x), x)"],
    [tex`\frac{\mathrm{d}\,\sigma(x)}{\mathrm{d}x}`, "diff(sigmoid(x), x)"],
    [tex`\frac{\text{d}}{\text{d}x} e^{2x}`, "diff(exp(2*x), x)"],
    [tex`\frac{dy}{dx}`, "diff(y, x)"],
    [tex`\frac{\partial}{\partial \beta} \sigma(\beta x)`, "diff(sigmoid(beta * x), beta)"],
    [tex`\frac{\partial \sigma(\beta x)}{\partial \beta}`, "diff(sigmoid(beta * x), beta)"],
    [tex`\frac{d}{d\beta} x`, "diff(x, beta)"],
    [tex`2 \frac{d}{dx} x^{2}`, "2 * diff(x^2, x)"],
    [tex`\frac{d}{2}`, "d / 2"], // not a derivative: the denominator is no differential
  ])("%s", (latex, expected) => expectReads(latex, expected));

  test.each([
    [tex`\frac{\mathrm{d}\,\mathrm{Xwish}}{\mathrm{d}x}`, "diff(xwish(x; beta = beta), x)"],
    [tex`\frac{d ELU}{dx}`, "diff(elu(x; alpha = alpha), x)"],
    [tex`\frac{\text{d sigmoid}}{\text{d}x}`, "diff(sigmoid(x), x)"],
    [tex`\frac{\text{d relu - softplus}}{\text{d}x}`, "diff(relu_softplus(x), x)"],
    [tex`\frac{\partial}{\partial \beta} \text{swish}(x)`, "diff(swish(x; beta = beta), beta)"],
    [tex`\text{ReLU}'(x)`, "diff(relu(x), x)"],
  ])("%s", (latex, expected) => expectReads(latex, expected, catalogScope));
});

/**
 * Three spellings of toLatex read back as what the LaTeX says rather than as the node printed:
 * log1p(u) prints as \ln(1 + u), expm1(u) as e^{u} - 1, and x^{1/2} as \sqrt{x}. The values
 * agree; the trees differ.
 */
describe("spellings that LaTeX does not distinguish", () => {
  test.each([
    [tex`\ln(1 + x)`, "log1p(x)", "log(1 + x)"],
    [tex`e^{x} - 1`, "expm1(x)", "exp(x) - 1"],
    [tex`\sqrt{x}`, "x^(1/2)", "sqrt(x)"],
  ])("%s", (latex, printedFrom, readAs) => {
    const read = readLatexExpression(latex);
    expect(read).toBe(formula(readAs));
    for (const x of [0.25, 1.5, 7]) {
      expect(evaluateFloat(read, new Map([["x", x]]))).toBeCloseTo(evaluateFloat(formula(printedFrom), new Map([["x", x]])), 12);
    }
  });
});
