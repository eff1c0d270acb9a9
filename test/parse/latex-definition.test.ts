import { describe, expect, test } from "vitest";
import { scopeOf, type Scope } from "../../src/ast/definition.js";
import { print } from "../../src/ast/print.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { define, parse } from "../../src/index.js";
import { looksLikeLatex, readDefinition } from "../../src/parse/definition.js";
import { SPELLINGS } from "../../src/parse/latex/names.js";
import { errorOf } from "../support/errors.js";

/**
 * define() and every command read a definition in LaTeX as a paper writes it. The result is the
 * Definition the formula language gives for the same function: same name, inputs, parameters with
 * their defaults, and the very same body.
 */
const tex = String.raw;

/** `name(inputs; params) = body`, printed, with each default. */
function signature(source: string, scope: Scope = catalogScope): string {
  const d = readDefinition(source, scope);
  const params = d.params.map((p) => (p.defaultValue === undefined ? p.name : `${p.name} = ${print(p.defaultValue)}`));
  return `${d.name}(${d.inputs.join(", ")}${params.length > 0 ? `; ${params.join(", ")}` : ""}) = ${print(d.body)}`;
}

describe("what is LaTeX", () => {
  test.each([
    [tex`\frac{1}{1 + e^{-x}}`, true], [tex`x \cdot y`, true], ["e^{-x}", true], ["t_{min} * x", true], ["$x^2$", true],
    ["x * sigmoid(x)", false], ["swish(x; beta = 1) = x * sigmoid(beta * x)", false], ["{ x if x > 0, 0 otherwise }", false], ["x^2", false],
  ])("%s: %s", (source, latex) => {
    expect(looksLikeLatex(source)).toBe(latex);
  });

  test("the formula language reads as before", () => {
    expect(signature("swish(x; beta = 1) = x * sigmoid(beta * x)")).toBe("swish(x; beta = 1) = x * sigmoid(beta * x)");
    expect(errorOf(() => define("f(x) = y * x")).code).toBe("E_UNKNOWN_NAME"); // a definition declares its parameters
  });

  test("text the formula grammar rejects is tried as LaTeX: x e^x, 2x", () => {
    expect(signature("f(x) = x e^x")).toBe("f(x) = x * exp(x)");
    expect(signature("2x + 1")).toBe("f(x) = 1 + 2 * x");
    // Neither reads it: the formula's error stands.
    expect(errorOf(() => define("f(x) = x +* 2"))).toMatchObject({ code: "E_SYNTAX", summary: "unexpected '*'" });
    expect(errorOf(() => define("f(x) = x * y where y = tanh(x)"))).toMatchObject({ code: "E_SYNTAX", summary: "unexpected '='" });
    expect(errorOf(() => define("g(a x)"))).toMatchObject({ code: "E_SYNTAX", summary: "unexpected name 'x'" });
  });
});

describe("heads", () => {
  test.each([
    [tex`\mathrm{CoLU}(x) = \frac{x}{1 - x e^{-(x + e^{x})}}`, "colu(x) = x / (1 - x * exp(-x - exp(x)))"],
    [tex`\text{Smish}(x) = x \tanh(\ln(1 + \sigma(x)))`, "smish(x) = x * tanh(log(1 + sigmoid(x)))"],
    [tex`\operatorname{TanhExp}(x) = x \tanh(e^{x})`, "tanhexp(x) = x * tanh(exp(x))"],
    [tex`f(x) = \frac{x}{1 + |x|}`, "f(x) = x / (1 + abs(x))"],
    [tex`g(z) = z \cos z`, "g(z) = z * cos(z)"],
    [tex`\mathrm{Snake}_a(x) = x + \frac{1}{a}\sin^2(a x)`, "snake_a(x; a) = x + sin(a * x)^2 / a"],
    [tex`f_{\text{ELU}}(x) = x`, "f_elu(x) = x"],
    [tex`\frac{x}{1 + e^{-\beta x}}`, "f(x; beta) = x / (1 + exp(-beta * x))"],
    [tex`z_k \sigma(z_k)`, "f(z_k) = z_k * sigmoid(z_k)"],
    [tex`y = x^2`, "f(x) = x^2"],
    [tex`$$\mathrm{swish}(x) := x \, \sigma(x)$$`, "swish(x) = x * sigmoid(x)"],
    [tex`\begin{equation} f(x) \approx x \sigma(1.702 x) \label{eq:gelu} \end{equation}`, "f(x) = x * sigmoid(1.702 * x)"],
    [tex`\begin{aligned} f(x) &= x \sigma(x) \\ &= \frac{x}{1 + e^{-x}} \end{aligned}`, "f(x) = x * sigmoid(x)"],
    // a function the body calls, defined after it; words about the formula are left out
    [tex`\mathrm{Mish}(x) = x \tanh(\varsigma(x)), \quad \text{where } \varsigma(x) = \ln(1 + e^{x})`, "mish(x) = x * tanh(log(1 + exp(x)))"],
    [tex`\text{silu}(x) = x * \sigma(x), \text{where } \sigma(x) \text{ is the logistic sigmoid.}`, "silu(x) = x * sigmoid(x)"],
    [tex`\sigma(x) = \frac{1}{1 + \exp(-x)} \text{ (logistic)}`, "sigmoid(x) = 1 / (1 + exp(-x))"],
    [tex`f(x) = \frac{1}{1 + e^{-x}} \in (0, 1)`, "f(x) = 1 / (1 + exp(-x))"],
    [tex`f(x) = \log(1 + e^{x}) \qquad (x \in \mathbb{R})`, "f(x) = log(1 + exp(x))"],
  ])("%s", (source, expected) => {
    expect(signature(source)).toBe(expected);
  });

  test("the first right-hand side that is a value: P(X ≤ x) is not", () => {
    // Φ is the normal cdf: the function table's own once it has one, an erf-based expansion before.
    const gelu = define(tex`\mathrm{GELU}(x) = x P(X \le x) = x \Phi(x)`);
    expect(gelu.name).toBe("gelu");
    expect(gelu.written).toBe(define(tex`x \Phi(x)`).written);
  });

  test("the same body as the formula language", () => {
    expect(define(tex`\mathrm{Mish}(x) = x \tanh(\ln(1 + e^{x}))`).written).toBe(define("x * tanh(log(1 + exp(x)))").written);
    expect(parse(tex`\dfrac{1}{1 + e^{-x}}`).body).toBe(parse("1 / (1 + exp(-x))").body);
  });
});

describe("parameters and their defaults", () => {
  test.each([
    [tex`\mathrm{ELiSH}(x; a = 1) = \frac{x}{1 + e^{-a x}}`, "elish(x; a = 1) = x / (1 + exp(-a * x))"],
    [tex`f(x; \alpha, \beta = 2) = \alpha x + \beta`, "f(x; alpha, beta = 2) = beta + alpha * x"],
    [tex`f(x) = a \tanh(b x), \quad a = 1.7159, b = 0.6666`, "f(x; a = 1.7159, b = 0.6666) = a * tanh(b * x)"],
    [tex`f(x) = \lambda x \quad \text{where } \lambda \approx 1.0507`, "f(x; lambda = 1.0507) = lambda * x"],
    [tex`x \sigma(\beta x), \qquad \beta = \frac{1}{2}`, "f(x; beta = 1/2) = x * sigmoid(beta * x)"],
    [tex`f(x) = a x \quad (a = 2)`, "f(x; a = 2) = a * x"],
    // conditions on parameters and equation numbers are left out
    [tex`f(x) = \frac{1}{\beta} \ln(1 + e^{\beta x}), \quad \beta > 0 \quad (4)`, "f(x; beta) = log(1 + exp(beta * x)) / beta"],
    // the name a body calls passes its parameters with their defaults
    [tex`\mathrm{Swish}(x) = x \sigma(\beta x)`, "swish(x; beta = 1) = x * sigmoid(beta * x)"],
  ])("%s", (source, expected) => {
    expect(signature(source)).toBe(expected);
  });

  test("a name the body calls passes its parameters, with their defaults", () => {
    expect(signature(tex`f(x) = \mathrm{ELU}(x) + 1`)).toBe(signature("f(x; alpha = 1) = elu(x; alpha = alpha) + 1"));
  });

  test("implicit products of letters, subscripted names", () => {
    expect(signature(tex`f(x) = \frac{abx}{1 + e^{-bx}}`)).toBe("f(x; a, b) = a * b * x / (1 + exp(-b * x))");
    expect(signature(tex`a_i x + \alpha_1 + t_{min} + t_{\text{max}}`)).toBe("f(x; a_i, alpha_1, t_max, t_min) = alpha_1 + t_max + t_min + a_i * x");
    // \delta and \sigma are parameters where nothing is applied to them
    expect(signature(tex`\exp\left(-\frac{x^2}{2\sigma^2}\right) + \delta`)).toBe("f(x; delta, sigma) = delta + exp(-x^2 / (2 * sigma^2))");
  });
});

describe("notation papers use", () => {
  test.each([
    [tex`\begin{cases} x, & x \ge 0 \\ 0, & \text{otherwise} \end{cases}`, "x >= 0 ? x : 0"],
    [tex`\begin{cases} x & \text{if } x > 0, \\ 0.1 x & \text{if } x \leq 0. \end{cases}`, "x > 0 ? x : 0.1 * x"],
    [tex`\left\{ \begin{array}{ll} x & x > 0 \\ 0 & x \le 0 \end{array} \right.`, "x > 0 ? x : 0"],
    [tex`\begin{cases} 0 & x \le 0 \\ x & 1 < x < \infty \\ x^2 & \text{otherwise} \end{cases}`, "x <= 0 ? 0 : 1 < x ? x : x^2"],
    [tex`\begin{cases} x & x \in [0, 6) \\ 0 & \text{otherwise} \end{cases}`, "x < 6 and 0 <= x ? x : 0"],
    [tex`\left| x \right| + \lvert x \rvert + |x|`, "3 * abs(x)"],
    [tex`\max(0, x) + \min\{0, x\} + (x)_+`, "2 * max(0, x) + min(0, x)"],
    [tex`x^{+} + [x]_{+}`, "2 * max(0, x)"],
    [tex`x \odot \sigma(x)`, "x * sigmoid(x)"],
    [tex`\mathrm{max}\{0, x\} + \operatorname{exp} x`, "exp(x) + max(0, x)"],
    ["x σ(β x) + ψ", "psi + x * sigmoid(beta * x)"],
    [tex`x \mathbb{1}(x > 0) + \mathbf{1}_{\{x \le 0\}}`, "(x <= 0 ? 1 : 0) + x * (x > 0 ? 1 : 0)"],
    [tex`\operatorname{sech}(x) + \operatorname{csch}(x)`, "1 / cosh(x) + 1 / sinh(x)"],
    [tex`\operatorname{sinc}(x)`, "x == 0 ? 1 : sin(x) / x"],
    [tex`\sinh^{-1}(x) + \operatorname{arsinh}(x)`, "2 * log(x + sqrt(1 + x^2))"],
    [tex`\tan^{-1}(x) + \arctan x`, "2 * atan(x)"],
    [tex`\ln(x) + \log(x) + \exp(x) + e^{x}`, "2 * exp(x) + 2 * log(x)"],
    [tex`\sqrt[3]{x} + \sqrt{x}`, "x^(1/3) + sqrt(x)"],
    [tex`\frac{1}{2} x \cdot 3 \times 4`, "6 * x"],
    [tex`\sigma(x) + \mathrm{erf}(x) + \operatorname{sgn}(x)`, "erf(x) + sigmoid(x) + sign(x)"],
  ])("%s", (source, body) => {
    expect(print(readDefinition(source, catalogScope).body)).toBe(body);
  });

  test("\\Phi and \\phi are the normal cdf and pdf, \\sigma the logistic function", () => {
    const written = define(tex`\Phi(x) + \phi(x) + \sigma(x)`);
    const reference = define("(1 + erf(x / sqrt(2))) / 2 + exp(-x^2 / 2) / sqrt(2 * pi) + 1 / (1 + exp(-x))");
    for (const x of [-2.5, -0.3, 0, 0.7, 3]) {
      expect(written.evaluate(x)).toBeCloseTo(reference.evaluate(x), 14);
      expect(written.derivative().evaluate(x)).toBeCloseTo(reference.derivative().evaluate(x), 14);
    }
  });

  test("catalog activations by any common spelling, resolved against the scope at hand", () => {
    const hardtanh = readDefinition("hardtanh(x; min_val = -1, max_val = 1) = clip(x, min_val, max_val)", catalogScope);
    const gelu = readDefinition("gelu(x) = x * (1 + erf(x / sqrt(2))) / 2", catalogScope);
    const scope = scopeOf([hardtanh, gelu], catalogScope);
    for (const spelling of [tex`\text{HardTanh}(x)`, tex`\mathrm{Hard Tanh}(x)`, tex`\operatorname{hard-tanh}(x)`, tex`\mathrm{HTanh}(x)`]) {
      expect(signature(spelling, scope), spelling).toBe("f(x; max_val = 1, min_val = -1) = clip(x, min_val, max_val)");
    }
    expect(signature(tex`\mathrm{GELU}(x)`, scope)).toBe(signature("gelu(x)", scope));
    // leaky_relu's parameter becomes this definition's, with its default
    expect(signature(tex`\mathrm{LReLU}(x) + \operatorname{ReLU6}(x)`)).toBe(signature("f(x; negative_slope = 0.01) = leaky_relu(x; negative_slope = negative_slope) + relu6(x)"));
    // Every row of the spelling table is a key of its own normalisation.
    for (const key of Object.keys(SPELLINGS)) expect(key).toMatch(/^[a-z0-9]+$/);
  });
});

describe("errors are positioned in the text as given, with hints", () => {
  test.each([
    ["an unknown letter applied", tex`x \cdot g(a x)`, { code: "E_UNKNOWN_NAME", summary: "unknown function 'g'", span: { offset: 8, length: 1, line: 1, column: 9 } }],
    ["a misspelt name before a side that reads", tex`f(x) = x \sigmod(x) = x \sigma(x)`, { code: "E_UNSUPPORTED", summary: "unsupported LaTeX command '\\sigmod'" }],
    ["a misspelt function on the first side", tex`f(x) = \mathrm{Swsh}(x) = x \sigma(x)`, { code: "E_UNKNOWN_NAME", summary: "unknown function 'swsh'", hint: "did you mean 'swish'?" }],
    ["a misspelt name, with a suggestion", tex`$$\mathrm{Swish}(x) = x \mathrm{sigmod}(x)$$`, { code: "E_UNKNOWN_NAME", summary: "unknown function 'sigmod'", hint: "did you mean 'sigmoid'?", span: { offset: 24, length: 15, line: 1, column: 25 } }],
    ["an unknown Greek function", tex`\psi(x) + 1`, { code: "E_UNKNOWN_NAME", summary: "unknown function 'psi'", span: { offset: 0, length: 4 } }],
    ["on the second line", "f(x) = \\begin{cases} x & x > 0 \\\\\n  \\foo x & x \\le 0 \\end{cases}", { code: "E_UNSUPPORTED", summary: "unsupported LaTeX command '\\foo'", span: { offset: 36, line: 2, column: 3 } }],
    ["a default that is not a constant", tex`f(x) = a x, \quad a = 2 b`, { code: "E_PARAM", summary: "the default of 'a' must be a constant", span: { offset: 22, length: 3, column: 23 } }],
    ["a parameter declared twice", tex`f(x; a = 1) = a x, \quad a = 2`, { code: "E_DEFINITION", summary: "'a' is declared twice", span: { offset: 25, length: 1 } }],
    ["an input declared as a parameter", tex`f(x; x = 1) = \frac{x}{2}`, { code: "E_DEFINITION", summary: "'x' is an input and a parameter" }],
    ["\\infty as a value", tex`f(x) = x + \infty`, { code: "E_UNSUPPORTED", span: { offset: 11, length: 6 } }],
  ])("%s", (_, source, expected) => {
    const err = errorOf(() => define(source));
    expect(err).toMatchObject(expected);
    expect(err.source).toBe(source);
    expect(err.hint).toBeDefined();
  });
});

describe("multi-letter parameter names set upright: \\text{threshold}, \\mathrm{…}, \\operatorname{…}", () => {
  test("torch's Threshold as its docs write it: the parameter threshold is not the function threshold", () => {
    expect(signature(tex`\mathrm{Threshold}(x; \text{threshold}=1, \text{value}=0) = \begin{cases} x, & x > \text{threshold} \\ \text{value}, & \text{otherwise} \end{cases}`))
      .toBe("threshold(x; threshold = 1, value = 0) = x > threshold ? x : value");
  });

  test("declared after the body, in a cases condition", () => {
    expect(signature(tex`f(x) = \begin{cases} x & x > \text{threshold} \\ 0 & \text{otherwise}\end{cases}, \quad \text{threshold} = 1`))
      .toBe("f(x; threshold = 1) = x > threshold ? x : 0");
  });

  test("\\mathrm with an escaped underscore and \\operatorname", () => {
    expect(signature(tex`f(x; \mathrm{negative\_slope} = 0.1) = \max(x, \mathrm{negative\_slope} x)`)).toBe("f(x; negative_slope = 0.1) = max(x, negative_slope * x)");
    expect(signature(tex`\mathrm{T}(x; \operatorname{thr} = 2) = \max(x, \operatorname{thr})`)).toBe("T(x; thr = 2) = max(x, thr)");
  });

  test("undeclared, the catalog's threshold is the function where it is called, a parameter where it is not", () => {
    expect(signature(tex`\mathrm{Threshold}(x) = \mathrm{threshold}(x)`)).toBe("threshold(x; threshold = 0, value = 0) = x > threshold ? x : value");
    expect(signature(tex`y = \begin{cases} x, & \text{if } x > \text{threshold} \\ \text{value}, & \text{otherwise} \end{cases}`))
      .toBe("f(x; threshold, value) = x > threshold ? x : value");
  });
});
