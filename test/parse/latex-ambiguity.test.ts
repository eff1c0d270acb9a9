import { describe, expect, test } from "vitest";
import { allLatexParses } from "../../src/parse/latex/parse.js";

/**
 * grammar/latex.ne must give every input exactly one parse: a second parse would be a second
 * tree for one formula (nearley issues #53, #325). The lines below touch every rule; golden,
 * equation and round-trip tests assert one parse for their inputs too.
 */
const tex = String.raw;

const CONSTRUCTS: readonly string[] = [
  // single tokens: numbers, letters, Greek, functions, text, \partial in a fraction
  "0", "12", "0.5", ".5", "x", "ReLU6", tex`\alpha`, tex`\pi`, "α", tex`\tanh`, tex`\text{softplus}`, tex`\operatorname*{ELU}`, tex`\frac{\partial}{\partial x}`,
  // sums and products, every spelling
  "x + 1", "x - 1", "-x", "+x", "-x - y + z", tex`x \cdot y`, tex`x \times y`, "x * y", tex`x \ast y`, "x / y", tex`x \div y`, "x · y", "x − y",
  tex`a \cdot b / c \times d`, "-x^2 y", tex`-\frac{1}{2} x`,
  // juxtaposition: letters, numbers, groups, functions
  "2x", "2 x y", "x y z", tex`x \sigma(x)`, "a(x + 1)", "(x)(y)", "2(x)", tex`\sin x \cos x`, tex`\ln 2`, tex`\beta x \pi`,
  // postfix: powers, subscripts, primes, in every order and spelling
  "x^2", "x^{2}", "x^{-2}", tex`x^\alpha`, tex`x^\frac{1}{2}`, "x^23", "e^x2", "x_i", "x_{i}", "x_{ij}", "x_1", tex`x_\alpha`, "x_i^2", "x^2_i",
  "f'", "f''", tex`f^{\prime}`, tex`f^{\prime\prime}`, tex`f^\prime`, "f^{''}", "f'^2", "f'(x)", tex`\tanh^{2}(x)`, tex`\sigma^{\prime}(x)`, "(x)'", "(x)^{2}'",
  // groups and delimiters
  "(x)", "(x, y)", "(x, y, z)", "[x]", "{x}", tex`\{x\}`, tex`\left(x\right)`, tex`\left[x\right]`, tex`\left\{x\right\}`, tex`\left\lbrace x \right\rbrace`,
  tex`\bigl(x\bigr)`, tex`\Big[x\Big]`, "{x > 0}", "(x > 0)",
  // absolute values, nested and side by side
  "|x|", "|x| |y|", "|x - |y||", "||x||", "2|x|", tex`\left|x\right|`, tex`\lvert x \rvert`, tex`|\left|x\right| + 1|`,
  // fractions and roots, braced and bare arguments
  tex`\frac{1}{2}`, tex`\frac12`, tex`\frac1x`, tex`\frac{1}x`, tex`\frac\alpha2`, tex`\dfrac{a}{b}`, tex`\tfrac{a}{b}{c}`, tex`\frac{\frac{1}{2}}{3}`,
  tex`\sqrt{x}`, tex`\sqrt2`, tex`\sqrt[3]{x}`, tex`\sqrt[3]x`, tex`\sqrt{x}^2`,
  // derivative notations (all fractions and juxtapositions to the grammar)
  tex`\frac{d}{dx} f(x)`, tex`\frac{d f}{dx}`, tex`\frac{d^2}{dx^2} f`, tex`\frac{\mathrm{d}\,f}{\mathrm{d}x}`, tex`\frac{\text{d sigmoid}}{\text{d}x}`, tex`\frac{\partial}{\partial \beta} f`,
  // spacing is not a token
  tex`x \, y \; z \: w \! v \quad u \qquad t ~ s \  r`, tex`\displaystyle x`,
  // cases: separators, keywords, braces, row breaks
  tex`\begin{cases} x & \text{if } x \ge 0 \\ 0 & \text{otherwise} \end{cases}`,
  tex`\begin{cases} x, & x \ge 0 \\ 0, & x < 0 \end{cases}`,
  tex`\begin{cases} x & , x>=0 \\ 0 & , x<0 \end{cases}`,
  tex`\begin{cases} x, x \ge 0 \\ 0, x < 0 \end{cases}`,
  tex`\begin{cases} x & x \ge 0 \\ 0 & \text{else} \end{cases}`,
  tex`\begin{cases}{0,} & {x \leqslant 0} \\\\ {x,} & {x>0}\end{cases}`,
  tex`\begin{cases} x & \text{if } x \ge 0 \\ 0 & \text{otherwise} \\ \end{cases}`,
  tex`\begin{cases} 1, & x > 0 \\ 2, & x = 0 \\ 3, & x < 0 \end{cases}`,
  tex`\begin{cases} 1, & 0 < x < 6 \\ 0, & \text{otherwise} \end{cases}`,
  tex`\begin{cases} 1 & \text{if } x > 0 \text{ and } x < 1 \\ 0 & \text{otherwise} \end{cases}`,
  tex`\begin{cases} 1 & \text{if } x > 0 \land y > 0 \lor \lnot z > 0 \\ 0 & \text{otherwise} \end{cases}`,
  tex`\begin{cases} 1 & \text{if } \lnot (x > 0) \\ 0 & \text{otherwise} \end{cases}`,
  tex`\begin{cases} 1 & \text{if } x \wedge y \vee \neg z \\ 0 & \text{otherwise} \end{cases}`,
  tex`\begin{cases} \begin{cases} 1 & x > 0 \\ 2 & \text{otherwise} \end{cases} & y > 0 \\ 0 & \text{otherwise} \end{cases}`,
  tex`\left\{\begin{array}{ll} x, & x>0 \\ 0, & x \le 0 \end{array}\right.`,
  tex`\left\{\begin{aligned} x, & x>0 \\ 0, & x \le 0 \end{aligned}\right.`,
  tex`\left\{\begin{cases} x, & x>0 \\ 0, & x \le 0 \end{cases}\right.`,
  tex`\left(\begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}\right)^{2}`,
  // equations: chains and aligned blocks
  "f(x) = x", "a = b = c", tex`f(x) = x \tag{1}`, tex`f(x) = x \quad (2)`, "f(x) = x.", "f(x) = x,",
  tex`\begin{aligned} f(x) &= x \\ &= y \end{aligned}`,
  tex`\begin{aligned} f(x) =& x \\ =& y \end{aligned}`,
  tex`\begin{aligned} f(x) &= x = y \\ g(x) &= z \\ \end{aligned}`,
  tex`\begin{aligned} f(x) &= x \\\\ &= y \end{aligned}`,
  tex`\begin{align*} f(x) &= x \end{align*}`,
  // index notation: sums with their limits in either order, vectors and matrices, quantifiers, maps
  tex`\sum`, tex`\sum_k x_k`, tex`\sum_{k} x_k`, tex`\sum_{k=1}^{N} x_k`, tex`\sum^{N}_{k=1} x_k`, tex`\sum^{2}`, tex`\sum_{i}^{2}`, tex`2 \sum_k x_k y_k + 1`,
  tex`\sum_j \sum_k x_j x_k`, tex`\frac{e^{a_j}}{\sum_{k=1}^{N} e^{a_k}}`, tex`e^{a_i} \sum - e^{a_j}`, tex`\delta_{ij}`, tex`D_{j} S_{i}`,
  tex`\left[\begin{array}{c} a_1 \\ \dots \\ a_N \end{array}\right]`, tex`\left(\begin{array}{cc} a & b \\ {\vdots} & {\ddots} \end{array}\right)`,
  tex`\begin{pmatrix} a_1 \\ \vdots \\ a_N \end{pmatrix}`, tex`\begin{bmatrix} a & b \\ c & d \end{bmatrix}`,
  // what papers write in definitions: bounds at infinity, intervals, sets in \max, the positive part, text in subscripts, indicators
  tex`\begin{cases} x & 1 < x < \infty \\ 0 & -\infty < x \le 1 \end{cases}`, tex`\begin{cases} x & x \in [0, 6) \\ 0 & x \in (-\infty, 0] \end{cases}`,
  tex`\max\{0, x\}`, tex`\min\{a, b, c\}`, "(x)_+", "[x]_{+}", "x^+", "x^{+}", tex`t_{\text{min}}`, tex`f_{\mathrm{ELU}}(x)`,
  tex`\mathbb{1}(x > 0)`, tex`\mathbb{1}_{x > 0}`, tex`\mathbf{1}_{\{x > 0\}}`, tex`\mathbb{I}[x > 0]`, tex`\mathbb{1}\{x > 0\}`,
  tex`\left\{\begin{matrix} x & x > 0 \\ 0 & x \le 0 \end{matrix}\right.`, tex`\begin{dcases} x & x > 0 \\ 0 & \text{otherwise} \end{dcases}`,
  tex`\begin{cases} x, & \text{if } x > 0, \\ 0, & \text{otherwise}. \end{cases}`,
  tex`S(a) : a \to b`, tex`S(a) : a \rightarrow b`, tex`x_j = 1 \quad \forall j \in 1 \ldots N`, tex`x_j = 1, \forall j \in 1, \dots, N`, tex`x_j = 1 \forall j \in \{1, \dots, N\}`,
];

describe("every construct has exactly one parse", () => {
  test.each(CONSTRUCTS)("%s", (latex) => {
    expect(allLatexParses(latex)).toHaveLength(1);
  });
});

/** Parses found, 0 when the grammar rejects the input outright. */
function parseCount(latex: string): number {
  try {
    return allLatexParses(latex).length;
  } catch {
    return 0;
  }
}

describe("what the grammar rejects", () => {
  test.each([
    [tex`a \cdot -b`, "a sign only starts a sum"],
    ["x &= y", "& belongs to aligned blocks and cases"],
    [tex`\begin{aligned} f(x) &=& x \end{aligned}`, "one & per relation"],
    ["{0,}", "a trailing comma only in a cases value"],
    [tex`\begin{cases} x \end{cases}`, "a cases row needs a condition or otherwise"],
    [tex`\begin{cases} x & \text{if } \end{cases}`, "… and a condition after if"],
    ["x_{i - 1}", "an index is letters and digits"],
    ["x^{}", "an empty superscript"],
    [tex`\frac{1}`, "\\frac takes two arguments"],
    [tex`\left\{\begin{array}{ll} x, & x>0 \end{array}\right\}`, "array-cases close with \\right."],
    ["x = ", "an equation side cannot be empty"],
    ["x..", "a full stop only at the end"],
  ])("%s: %s", (latex) => {
    expect(parseCount(latex)).toBe(0);
  });
});
