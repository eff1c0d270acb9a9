import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { emptyScope, scopeOf, type Scope } from "../../src/ast/definition.js";
import type { Expr } from "../../src/ast/nodes.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";
import { allLatexParses } from "../../src/parse/latex/parse.js";
import { definitionOf, readLatexEquation, readLatexEquations, type LatexSide } from "../../src/parse/latex/read.js";

/**
 * Equations as a document checker needs them: each chain `a = b = c`, and for each side
 * whether it heads a definition, is the derivative of a named function, or is an expression.
 *
 * A side is written here as
 *   `def f(x)`      a definition head (its value is the call, when f is known)
 *   `def (x)`       a head whose name is in the prose around the formula
 *   `d/dx f(x)`     the derivative of a named function, `d2/dx2 …` of order 2
 *   anything else   an expression, in the formula language
 */
const formula = (src: string, scope: Scope): Expr => resolveTopLevel(parseTopLevel(src), src, scope).body;
const tex = String.raw;

/** `f(x)` in the formula language, with a definition's parameters passed as symbols of their names. */
function callOf(name: string, inputs: string, scope: Scope): string {
  const params = scope.lookup(name)?.params.map((p) => `${p.name} = ${p.name}`) ?? [];
  return `${name}(${inputs}${params.length ? `; ${params.join(", ")}` : ""})`;
}

function expectSide(side: LatexSide, spec: string, scope: Scope): void {
  const head = /^def (\w*)\(([\w, ]*)\)$/.exec(spec);
  const derivative = /^d(\d?)\/d(\w+?)\d? (\w+)\(([\w, ]*)\)$/.exec(spec);
  if (head !== null) {
    const [, name, inputs] = head;
    expect(side.form).toBe("definition");
    if (side.form !== "definition") return;
    expect(side.name).toBe(name || undefined);
    expect(side.inputs).toEqual(inputs!.split(",").map((s) => s.trim()));
    const known = name !== "" && (scope.lookup(name!) !== undefined || /^(sigmoid|tanh|softplus|exp|log)$/.test(name!));
    expect(side.value).toBe(known ? formula(callOf(name!, inputs!, scope), scope) : undefined);
  } else if (derivative !== null) {
    const [, order, wrt, name, inputs] = derivative;
    expect(side).toMatchObject({ form: "derivative", name, wrt, order: Number(order || 1), inputs: inputs!.split(",").map((s) => s.trim()) });
    const known = scope.lookup(name!) !== undefined || /^(sigmoid|tanh|softplus)$/.test(name!);
    expect(side.value).toBe(known ? formula(`diff(${callOf(name!, inputs!, scope)}, ${wrt}${order ? `, ${order}` : ""})`, scope) : undefined);
  } else {
    expect(side.form).toBe("expression");
    expect(side.value).toBe(formula(spec, scope));
  }
}

function expectEquation(latex: string, sides: readonly string[], scope: Scope = catalogScope): void {
  expect(allLatexParses(latex)).toHaveLength(1);
  const equation = readLatexEquation(latex, scope);
  expect(equation.sides).toHaveLength(sides.length);
  equation.sides.forEach((side, i) => expectSide(side, sides[i]!, scope));
}

/** The formulas of the seed documents, exactly as written there, read in the catalog's scope. */
const SEEDS: readonly { seed: string; latex: string; sides: readonly string[] }[] = [
  // 001: a cheat sheet
  { seed: "001", latex: tex`\sigma(z)=\frac{1}{1+e^{-z}}`, sides: ["def sigmoid(z)", "1 / (1 + exp(-z))"] },
  { seed: "001", latex: tex`\tanh (x)=\frac{2}{1+e^{-2 x}}-1`, sides: ["def tanh(x)", "2 / (1 + exp(-2*x)) - 1"] },
  {
    // ReLU under the name σ: the checker is to flag it, the reader to read it as written.
    seed: "001", latex: tex`\sigma(x)=\left\{\begin{array}{cc}
\max (0, x) & , x>=0 \\
0 & , x<0
\end{array}\right.`, sides: ["def sigmoid(x)", "x >= 0 ? max(0, x) : 0"],
  },
  {
    seed: "001", latex: tex`f\left(y_{i}\right)=\left\{\begin{array}{ll}
y_{i}, & \text { if } y_{i}>0 \\
a_{i} y_{i}, & \text { if } y_{i} \leq 0
\end{array}\right.`, sides: ["def f(y_i)", "y_i > 0 ? y_i : a_i * y_i"],
  },
  {
    seed: "001", latex: tex`\operatorname{ELU}(x)=\left\{\begin{aligned}
x, & x>0 \\
\alpha\left(\mathrm{e}^{x}-1\right), & x \leqslant 0
\end{aligned}\right.`, sides: ["def elu(x)", "x > 0 ? x : alpha * (exp(x) - 1)"],
  },
  { seed: "001", latex: tex`y = x * sigmoid (x)`, sides: ["y", "x * sigmoid(x)"] },
  // 002: a blog post with derivations
  { seed: "002", latex: tex`\sigma(x)=\frac{1}{1+e^{-x}}`, sides: ["def sigmoid(x)", "1 / (1 + exp(-x))"] },
  {
    seed: "002", latex: tex`\begin{aligned} \sigma^{\prime}(x) &=\left(\frac{1}{1+e^{-x}}\right)^{\prime} \\\\ &=\frac{e^{-x}}{\left(1+e^{-x}\right)^{2}} \\\\ &=\frac{1+e^{-x}-1}{\left(1+e^{-x}\right)^{2}} \\\\ &=\sigma(x)(1-\sigma(x)) \end{aligned}`,
    sides: ["d/dx sigmoid(x)", "diff(1 / (1 + exp(-x)), x)", "exp(-x) / (1 + exp(-x))^2", "(1 + exp(-x) - 1) / (1 + exp(-x))^2", "sigmoid(x) * (1 - sigmoid(x))"],
  },
  { seed: "002", latex: tex`\tanh (x)=\frac{e^{x}-e^{-x}}{e^{x}+e^{-x}}`, sides: ["def tanh(x)", "(exp(x) - exp(-x)) / (exp(x) + exp(-x))"] },
  {
    seed: "002", latex: tex`tanh(x)^{\prime}=\frac{(e^{x}+e^{-x})^{2}-(e^{x}-e^{-x})^{2}}{(e^{x}+e^{-x})^{2}}=1-(tanh(x))^{2}`,
    sides: ["d/dx tanh(x)", "((exp(x) + exp(-x))^2 - (exp(x) - exp(-x))^2) / (exp(x) + exp(-x))^2", "1 - tanh(x)^2"],
  },
  { seed: "002", latex: tex`ReLU(x)=\begin{cases}{0,} & {x \leqslant 0} \\\\ {x,} & {x>0}\end{cases}`, sides: ["def relu(x)", "x <= 0 ? 0 : x"] },
  { seed: "002", latex: tex`ReLU(x)^{\prime}=\begin{cases}{0,} & {x \leqslant 0} \\\\ {1,} & {x>0}\end{cases}`, sides: ["d/dx relu(x)", "x <= 0 ? 0 : 1"] },
  { seed: "002", latex: tex`Softplus(x)=\log \left(1+e^{x}\right)`, sides: ["def softplus(x)", "log(1 + exp(x))"] },
  // Headed "softplus函数求导" (its derivative) but written as Softplus(x): a mislabelled derivative.
  { seed: "002", latex: tex`Softplus(x)=\frac{e^{x}}{1+e^{x}}=\frac{1}{1+e^{-x}}=\sigma(x)`, sides: ["def softplus(x)", "exp(x) / (1 + exp(x))", "1 / (1 + exp(-x))", "def sigmoid(x)"] },
  // 003: the survey, by its equation numbers
  { seed: "003", latex: tex`sigmoid(x) = \frac{1}{1 + e^{-x}}`, sides: ["def sigmoid(x)", "1 / (1 + exp(-x))"] }, // (1)
  { seed: "003", latex: tex`\tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}`, sides: ["def tanh(x)", "(exp(x) - exp(-x)) / (exp(x) + exp(-x))"] }, // (2)
  { seed: "003", latex: tex`\frac{\text{d sigmoid}}{\text{d}x} = \text{sigmoid}(x) (1 - \text{sigmoid}(x))`, sides: ["d/dx sigmoid(x)", "sigmoid(x) * (1 - sigmoid(x))"] }, // (3)
  { seed: "003", latex: tex`ReLU(x) = \begin{cases} x, & x \ge 0 \\ 0, & x < 0 \end{cases}`, sides: ["def relu(x)", "x >= 0 ? x : 0"] }, // (5)
  { seed: "003", latex: tex`\begin{cases} x, x \ge 0 \\ ax, x < 0 \end{cases}`, sides: ["x >= 0 ? x : a * x"] }, // (7)–(9)
  { seed: "003", latex: tex`ReLU6(x) = min(max(0, x), 6)`, sides: ["def relu6(x)", "min(max(0, x), 6)"] }, // (10)
  { seed: "003", latex: tex`Swish(x) = x \cdot sigmoid(\beta x)`, sides: ["def swish(x)", "x * sigmoid(beta * x)"] }, // (11)
  { seed: "003", latex: tex`Xwish(x) = x \cdot \left[\arctan(\beta x) + 0.5\pi\right]/\pi \tag{12}`, sides: ["def xwish(x)", "x * (atan(beta * x) + 0.5 * pi) / pi"] },
  {
    seed: "003", latex: tex`\frac{\mathrm{d}\,\mathrm{Xwish}}{\mathrm{d}x} = \frac{1}{\pi} \left[ \arctan(\beta x) + 0.5\pi \right] + \frac{1}{\pi} \frac{\beta x}{1 + (\beta x)^2} \quad (13)`,
    sides: ["d/dx xwish(x)", "(atan(beta * x) + 0.5 * pi) / pi + beta * x / (pi * (1 + (beta * x)^2))"],
  },
  {
    seed: "003", latex: tex`\frac{\text{d TReLU}}{\text{d}x} = \begin{cases} 1, & x \ge 0 \\ a^2 \left(1 - (\tanh(ax))^2\right), & x < 0 \end{cases}`, // (17)
    sides: ["d/dx trelu(x)", "x >= 0 ? 1 : a^2 * (1 - tanh(a * x)^2)"],
  },
  { seed: "003", latex: tex`(x) = \ln(1 + e^x)`, sides: ["def (x)", "log(1 + exp(x))"] }, // (18): "softplus" is in the prose
  { seed: "003", latex: tex`\frac{\text{d softplus}}{\text{d}x} = \frac{e^x}{1 + e^x} \tag{19}`, sides: ["d/dx softplus(x)", "exp(x) / (1 + exp(x))"] },
  { seed: "003", latex: tex`softsign(x) = \frac{x}{1+|x|}`, sides: ["def softsign(x)", "x / (1 + abs(x))"] }, // (20)
  {
    seed: "003", latex: tex`\frac{\text{d softsign}}{\text{d}x} = \begin{cases}
\frac{1}{(1+x)^2}, & x \ge 0 \\
\frac{1}{(1-x)^2}, & x < 0
\end{cases}`, sides: ["d/dx softsign(x)", "x >= 0 ? 1 / (1 + x)^2 : 1 / (1 - x)^2"], // (21)
  },
  { seed: "003", latex: tex`(x) = \begin{cases} x, & x \ge 0 \\ \ln(1 + e^x) - \ln 2, & x < 0 \end{cases}`, sides: ["def (x)", "x >= 0 ? x : log(1 + exp(x)) - log(2)"] }, // (22)
  {
    seed: "003", latex: tex`\frac{\text{d relu - softplus}}{\text{d}x} = \begin{cases} 1, & x \ge 0 \\ \frac{e^x}{1 + e^x}, & x < 0 \end{cases}`, // (23)
    sides: ["d/dx relu_softplus(x)", "x >= 0 ? 1 : exp(x) / (1 + exp(x))"],
  },
  { seed: "003", latex: tex`(x) = \begin{cases} x, & x \ge 0 \\ \frac{x}{1-x}, & x < 0 \end{cases}`, sides: ["def (x)", "x >= 0 ? x : x / (1 - x)"] }, // (24)
  {
    seed: "003", latex: tex`\frac{\text{d relu-softsign}}{\text{d}x} = \begin{cases} 1, & x \ge 0\\ \frac{1}{(1-x)^2}, & x < 0 \end{cases}`, // (25)
    sides: ["d/dx relu_softsign(x)", "x >= 0 ? 1 : 1 / (1 - x)^2"],
  },
];

const SEED_DIR = new URL("../../../shared/seeds/", import.meta.url);

describe("the seed documents' formulas", () => {
  test.each(SEEDS.map((s) => [`${s.seed}: ${s.latex.replace(/\s+/g, " ").slice(0, 80)}`, s] as const))("%s", (_, { latex, sides }) => {
    expectEquation(latex, sides);
  });

  test.skipIf(!existsSync(SEED_DIR) && process.env.CI !== "true")("each formula above occurs verbatim in its seed document", () => {
    const files = readdirSync(SEED_DIR);
    for (const { seed, latex } of SEEDS) {
      const file = files.find((f) => f.startsWith(`${seed}_`));
      expect(file, `seed ${seed}`).toBeDefined();
      expect(readFileSync(new URL(file!, SEED_DIR), "utf8"), latex).toContain(latex);
    }
  });

  test("labels: \\tag{…} and a trailing \\quad (n)", () => {
    expect(readLatexEquation(SEEDS.find((s) => s.latex.includes("\\tag{12}"))!.latex, catalogScope).labels).toEqual(["12"]);
    expect(readLatexEquation(SEEDS.find((s) => s.latex.includes("(13)"))!.latex, catalogScope).labels).toEqual(["13"]);
    expect(readLatexEquation(tex`f(x) = x`).labels).toEqual([]);
  });
});

describe("sides", () => {
  test.each<[string, string[]]>([
    // heads: known names give their value, unknown ones are being defined
    [tex`f(x) = x^2`, ["def f(x)", "x^2"]],
    [tex`\phi(x) = x^2`, ["def phi(x)", "x^2"]],
    [tex`\text{Mish}(x) = x \tanh(\operatorname{softplus}(x))`, ["def mish(x)", "x * tanh(softplus(x))"]],
    [tex`\operatorname{Foo Bar}(x) = x`, ["def foo_bar(x)", "x"]],
    [tex`g(x, y) = x y`, ["def g(x, y)", "x * y"]],
    [tex`\text{softplus}(x) = \ln(1+e^x)`, ["def softplus(x)", "log(1 + exp(x))"]],
    // after the first side an unknown name before parentheses multiplies: a(x + 1) is a product
    [tex`y = a(x + 1)`, ["y", "a * (x + 1)"]],
    [tex`f(x) = \sigma(x)`, ["def f(x)", "def sigmoid(x)"]],
    // derivatives of named functions, in every notation
    [tex`f'(x) = 2x`, ["d/dx f(x)", "2 * x"]],
    [tex`f''(x) = 2`, ["d2/dx2 f(x)", "2"]],
    [tex`\frac{d}{dx} f(x) = 2x`, ["d/dx f(x)", "2 * x"]],
    [tex`\frac{d\,f}{dx} = 2x`, ["d/dx f(x)", "2 * x"]],
    [tex`\frac{\mathrm{d}\,f}{\mathrm{d}x} = 2x`, ["d/dx f(x)", "2 * x"]],
    [tex`\frac{d f(x)}{dx} = 2x`, ["d/dx f(x)", "2 * x"]],
    [tex`\frac{d \tanh}{dx} = 1 - \tanh^2(x)`, ["d/dx tanh(x)", "1 - tanh(x)^2"]],
    [tex`\frac{d\,\text{ELU}}{dx} = e^x`, ["d/dx elu(x)", "exp(x)"]],
    [tex`\frac{\partial}{\partial \beta} \text{swish}(x) = x^2 \sigma(\beta x) (1 - \sigma(\beta x))`, ["d/dbeta swish(x)", "x^2 * sigmoid(beta * x) * (1 - sigmoid(beta * x))"]],
    [tex`\frac{dy}{dx} = y (1 - y)`, ["d/dx y(x)", "y * (1 - y)"]], // y is what the document calls the output
    [tex`y = f'(x)`, ["y", "d/dx f(x)"]], // a primed name is a derivative wherever it stands
    [tex`\frac{d^2}{dx^2} \tanh(x) = -2 \tanh(x) (1 - \tanh^2(x))`, ["d2/dx2 tanh(x)", "-2 * tanh(x) * (1 - tanh(x)^2)"]],
    // a derivative of an expression is an expression
    [tex`\frac{d}{dx}(x \sigma(x)) = \sigma(x) + x \sigma'(x)`, ["diff(x * sigmoid(x), x)", "sigmoid(x) + x * diff(sigmoid(x), x)"]],
  ])("%s", (latex, sides) => {
    // In the catalog's scope, as the seeds: f, g, phi and mish are not in it.
    expectEquation(latex, sides);
  });

  test("the head's input is the variable of primes on expressions", () => {
    const eq = readLatexEquation(tex`\sigma(z) = \left(\frac{1}{1+e^{-z}}\right)'`);
    expect(eq.variable).toBe("z");
    expect(eq.sides[1]!.value).toBe(formula("diff(1 / (1 + exp(-z)), z)", emptyScope));
    expect(readLatexEquation(tex`\frac{\partial}{\partial \beta} \sigma(\beta x) = (x \sigma(\beta x))'`).variable).toBe("beta");
    expect(readLatexEquation(tex`y = (x^2)'`).variable).toBe("x");
  });
});

describe("chains and aligned blocks", () => {
  test("a = b = c is one chain of three sides", () => {
    expectEquation(tex`\sigma(x) = \frac{1}{1 + e^{-x}} = \frac{e^x}{e^x + 1}`, ["def sigmoid(x)", "1 / (1 + exp(-x))", "exp(x) / (exp(x) + 1)"]);
  });

  test("& on either side of =, rows continued by &=, one chain per left-hand side", () => {
    const latex = tex`\begin{aligned} f(x) &= x^2 \\ &= x x \\ g(x) =& 2 x \\ =& x + x = 2x \\ \end{aligned}`;
    expect(allLatexParses(latex)).toHaveLength(1);
    const [f, g, ...rest] = readLatexEquations(latex);
    expect(rest).toEqual([]);
    expect(f!.sides.map((s) => s.form)).toEqual(["definition", "expression", "expression"]);
    expect(g!.sides.map((s) => s.value)).toEqual([undefined, ...["2*x", "x + x", "2*x"].map((s) => formula(s, emptyScope))]);
    expect(f!.span).toMatchObject({ offset: 16, line: 1, column: 17 });
  });

  test("split and align* are aligned blocks too", () => {
    for (const env of ["split", "align*", "align"]) {
      expect(readLatexEquation(`\\begin{${env}} f(x) &= x \\\\ &= 1 x \\end{${env}}`).sides).toHaveLength(3);
    }
  });

  test("a definition from an equation: inputs from the head, every other free name a parameter", () => {
    const latex = tex`\text{ELiSH}(x) = \begin{cases} x \sigma(x), & x \ge 0 \\ (e^{x} - 1) \sigma(\beta x), & x < 0 \end{cases}`;
    const d = definitionOf(readLatexEquation(latex), latex);
    expect(d).toMatchObject({ name: "elish", inputs: ["x"], params: [{ name: "beta" }], source: latex });
    expect(d!.body).toBe(formula("x >= 0 ? x * sigmoid(x) : (exp(x) - 1) * sigmoid(beta * x)", emptyScope));
    // … which the checker can put in scope for the formulas that follow
    const scope = scopeOf([d!]);
    expect(readLatexEquation(tex`\mathrm{ELiSH}'(x) = 1`, scope).sides[0]).toMatchObject({ form: "derivative", name: "elish", wrt: "x" });
    expect(definitionOf(readLatexEquation(tex`(x) = x`), "")).toBeUndefined();
    expect(definitionOf(readLatexEquation(tex`f(x) = f'(x)`), "")).toBeUndefined();
  });
});
