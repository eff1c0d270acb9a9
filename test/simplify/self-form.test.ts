import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { add, call, int, mul, num, pow, sym } from "../../src/ast/build.js";
import type { Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { selfValue } from "../../src/ast/self-value.js";
import { freeSymbols, substitute } from "../../src/ast/walk.js";
import { diff } from "../../src/diff/diff.js";
import { define } from "../../src/index.js";
import { reliableValue } from "../../src/numeric/evaluate.js";
import { inTermsOfItself } from "../../src/simplify/self-form.js";
import { simplify } from "../../src/simplify/simplify.js";
import { availableActivations } from "../../src/catalog/catalog.js";
import { expressionArbitraries } from "../support/arbitraries.js";
import { actdiff } from "../support/cli.js";
import { agreeTo } from "../support/numeric.js";

/**
 * Derivatives in terms of the function itself (issue 14 §3, "the softmax family's derivatives in
 * S(1 − S) form"): a function of the user's own whose derivative is a function of its value
 * alone prints that way, as σ′ = σ(1 − σ) does for the builtin; the derivative that is computed
 * stays the one written out.
 */
const shown = (source: string, order = 1): { plain: string; latex: string } => {
  const d = define(source).derivative(undefined, order);
  return { plain: print(d.display), latex: d.toLatex() };
};

describe("the softmax family in S(1 − S) form", () => {
  test.each([
    ["softmax0(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))", "softmax0(x) * (1 - softmax0(x))", "\\mathrm{softmax0}(x) (1 - \\mathrm{softmax0}(x))"],
    ["S(x; y = 1) = exp(x) / (exp(x) + exp(y))", "S(x) * (1 - S(x))", "S(x) (1 - S(x))"],
    ["\\mathrm{softmax0}(x; y = 0.5, z = -1) = \\frac{e^{x}}{e^{x} + e^{y} + e^{z}}", "softmax0(x) * (1 - softmax0(x))", "\\mathrm{softmax0}(x) (1 - \\mathrm{softmax0}(x))"],
    ["f(x; y = 1) = 1 / (1 + exp(y - x))", "f(x) * (1 - f(x))", "f(x) (1 - f(x))"],
    ["f(x; y = 0.5, z = -1) = 1 / (1 + exp(y - x) + exp(z - x))", "f(x) * (1 - f(x))", "f(x) (1 - f(x))"],
    // Simplified, 1 − σ(x): a quotient as written.
    ["f(x) = 1 / (1 + exp(x))", "-f(x) * (1 - f(x))", "-f(x) (1 - f(x))"],
    ["softmin0(x; y = 0.5, z = -1) = exp(-x) / (exp(-x) + exp(-y) + exp(-z))", "-softmin0(x) * (1 - softmin0(x))", "-\\mathrm{softmin0}(x) (1 - \\mathrm{softmin0}(x))"],
    ["g(x; y = 0) = exp(2 * x) / (exp(2 * x) + exp(y))", "2 * g(x) * (1 - g(x))", "2 g(x) (1 - g(x))"],
    ["st(x; t = 2, y = 0) = exp(x / t) / (exp(x / t) + exp(y / t))", "st(x) * (1 - st(x)) / t", "\\frac{\\mathrm{st}(x) (1 - \\mathrm{st}(x))}{t}"],
  ])("%s: f′ = %s", (source, plain, latex) => {
    expect(shown(source)).toEqual({ plain, latex });
  });

  test("higher derivatives follow by the chain rule: S″ = S(1 − S)(1 − 2S)", () => {
    expect(shown("softmax0(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))", 2).plain).toBe("softmax0(x) * (1 - 2 * softmax0(x)) * (1 - softmax0(x))");
    // Multiplied out where that is shorter.
    expect(shown("softmax0(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))", 3).plain).toBe("softmax0(x) - 7 * softmax0(x)^2 + 12 * softmax0(x)^3 - 6 * softmax0(x)^4");
  });

  test("the log-softmax component's derivative is 1 − (the softmax component), written out", () => {
    const d = define("lsm(x; y = 0.5, z = -1) = x - log(exp(x) + exp(y) + exp(z))").derivative();
    expect(print(d.display)).toBe("1 - exp(x) / (exp(x) + exp(y) + exp(z))");
    expect(d.toLatex()).toBe("1 - \\frac{e^{x}}{e^{x} + e^{y} + e^{z}}");
  });

  test("the derivative computed is still the one written out: only its display names the function", () => {
    const f = define("softmax0(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))");
    const d = f.derivative();
    expect(print(d.expr)).toBe("(exp(x + y) + exp(x + z)) / (exp(x) + exp(y) + exp(z))^2");
    expect(d.evaluate(0.25)).toBeCloseTo(f.evaluate(0.25) * (1 - f.evaluate(0.25)), 15);
    expect(d.compile()(0.25)).toBeCloseTo(d.evaluate(0.25), 15);
  });

  test("actdiff diff and actdiff latex print it", () => {
    const source = "softmax0(x; y = 0.5, z = -1) = exp(x) / (exp(x) + exp(y) + exp(z))";
    const plain = actdiff("diff", source);
    expect(plain.stdout).toContain("softmax0'(x) = softmax0(x) * (1 - softmax0(x))\n");
    expect(actdiff("latex", source).stdout).toContain("\\mathrm{softmax0}'(x) = \\mathrm{softmax0}(x) (1 - \\mathrm{softmax0}(x))\n");
  });
});

describe("where the textbook form is not in terms of the function, nothing changes", () => {
  test("a function that is a builtin of its input keeps the builtin's form: sigmoid′ is σ(x)(1 − σ(x))", () => {
    expect(shown("sigmoid")).toEqual({ plain: "sigmoid(x) * (1 - sigmoid(x))", latex: "\\sigma(x) (1 - \\sigma(x))" });
    expect(shown("tanh").plain).toBe("1 - tanh(x)^2");
  });

  test("an input left over keeps the derivative written out: swish′ and gelu′", () => {
    expect(shown("swish").plain).toBe("sigmoid(beta * x) + beta * x * sigmoid(beta * x) * (1 - sigmoid(beta * x))");
    expect(shown("gelu").plain).toBe("Phi(x) + x * phi(x)");
  });

  test("no catalog entry's derivative changes its printed form", () => {
    for (const entry of availableActivations()) {
      const f = define(entry.name);
      if (f.isVector) continue;
      for (const input of f.inputs) {
        const d = f.derivative(input);
        expect(d.display, `${entry.name}′ by ${input}`).toBe(d.expr);
      }
    }
  });

  test("the vector softmax's Jacobian is still softmax(x)_i * (delta(i, j) - softmax(x)_j)", () => {
    expect(print(define("softmax").derivative("x").display)).toBe("softmax(x)_i * (delta(i, j) - softmax(x)_j)");
  });
});

/** Value of an expression at x (and y, z, beta), to 40 digits; undefined where it does not settle or is not finite. */
function valueAt(e: Expr, point: Q.Rational) {
  const env = new Map([["x", point], ["y", Q.rational(1n, 2n)], ["z", Q.rational(-1n)], ["beta", Q.rational(3n, 4n)]]);
  const v = reliableValue(e, env, 40);
  return v !== undefined && v.value.isFinite() ? v.value : undefined;
}

/** The display with the function's value put back for its name: it must be the derivative. */
function checkDisplay(f: Expr, order: number, point: Q.Rational, written?: Expr): boolean {
  const self = selfValue("f", ["x"]);
  let first = f;
  let nth = f;
  for (let k = 0; k < order; k++) {
    nth = simplify(diff(nth, "x"));
    if (k === 0) first = nth;
  }
  const display = inTermsOfItself({ simplified: f, written }, { first, nth, order }, "x", ["x"], self);
  if (display === undefined) return false;
  expect(freeSymbols(display).has("x"), print(display)).toBe(false);
  const expected = valueAt(nth, point);
  if (expected === undefined) return true;
  const got = valueAt(substitute(display, new Map([[self.name, f]])), point);
  expect(got !== undefined && agreeTo(expected, got, 38, expected.abs().add(1).mul("1e-45")), `${print(f)}: ${print(display)} vs ${print(nth)} at x = ${Q.toString(point)}`).toBe(true);
  return true;
}

describe("the display is the derivative, with the function's value put back", () => {
  const point = fc.integer({ min: -40, max: 40 }).map((k) => Q.rational(BigInt(k) * 5n + 1n, 16n));
  const x = sym("x");
  const rate = fc.constantFrom(int(1), int(-1), int(2), num(Q.rational(1n, 2n)), sym("beta"));
  const offset = fc.constantFrom(int(0), sym("y"), sym("z"), mul(int(-1), sym("y")), int(3));
  const coefficient = fc.constantFrom(int(1), int(2), sym("beta"));
  const term = (k: Expr) => fc.tuple(coefficient, offset).map(([c, m]) => mul(c, call("exp", [add(mul(k, x), m)])));
  // N/(N + R) with N′ = aN and R′ = bR: softmax and softmin components, temperatures, N = 1.
  const quotient = fc.tuple(rate, rate, fc.boolean()).chain(([a, b, unit]) => fc.tuple(
    unit ? fc.constant(int(1)) : term(a),
    fc.array(term(b), { minLength: 1, maxLength: 3 }),
  )).map(([n, rest]) => mul(n, pow(add(n, ...rest), int(-1))))
    .filter((f) => simplify(f) !== int(1) && freeSymbols(simplify(f)).has("x"));

  test("the quotients N/(N + R) with N′ = aN, R′ = bR: f′ = (a − b)·f·(1 − f), and f″, f‴ by the chain rule", () => {
    fc.assert(fc.property(quotient, point, fc.constantFrom(1, 2, 3), (f, p, order) => {
      const simplified = simplify(f);
      // Spelled so that it simplifies to a builtin of x (1/(1 + e^(−x)) = σ(x)), it keeps the builtin's form.
      if (simplified.kind === "call" && simplified.args[0] === x) return;
      // a = b: N/(N + R) does not depend on x (e^(−x)/(e^(−x) + e^(−x−y))), and f′ = 0 is its own form.
      if (simplify(diff(simplified, "x")) === int(0)) return;
      expect(checkDisplay(simplified, order, p, f), print(simplified)).toBe(true);
    }), { numRuns: 100 });
  });

  test("any tree: where a display is given, it is the derivative", () => {
    const { value } = expressionArbitraries(3);
    fc.assert(fc.property(value, point, (e, p) => {
      checkDisplay(simplify(e), 1, p);
    }), { numRuns: 300 });
  });
});
