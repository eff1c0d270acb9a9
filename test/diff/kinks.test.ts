import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { print } from "../../src/ast/print.js";
import { analyze } from "../../src/analyze/analyze.js";

/**
 * At a point where a function is not differentiable its "derivative" is a convention. actdiff
 * follows PyTorch where PyTorch has the function, and the catalog's definitions carry the
 * convention themselves (`x > 0 ? x : 0` puts 0 in the flat branch). These are evaluated through
 * the compiled closure, the path users take, and also through the tree walker.
 */
const derivativeAt = (source: string, x: number, params?: Record<string, number>, wrt?: string): number[] => {
  const d = define(source).derivative(wrt);
  return [d.compile()(x, params), d.evaluate(x, params)];
};

describe("kink conventions of the catalog at its breakpoints", () => {
  test.each<[string, number, number, string]>([
    ["relu", 0, 0, "torch.relu: the gradient passes only where the output is positive"],
    ["leaky_relu", 0, 0.01, "torch: the negative branch includes 0"],
    ["prelu", 0, 0.25, "torch.prelu with its initial weight 0.25"],
    ["rrelu", 0, (1 / 8 + 1 / 3) / 2, "torch's eval-mode rrelu: slope (lower + upper)/2"],
    ["relu6", 0, 0, "torch.relu6 passes the gradient only strictly inside (0, 6)"],
    ["relu6", 6, 0, "… at both ends"],
    ["elu", 0, 1, "torch.elu: elu'(0) = alpha (1 by default)"],
    ["absval", 0, 0, "torch.abs: sgn(0) = 0"],
    ["trelu", 0, 1, "the survey's eq. 17 puts 0 in the positive branch"],
    ["relu_softplus", 0, 1, "the survey's convention (eq. 23)"],
    ["relu_softsign", 0, 1, "C¹ at 0"],
    ["softsign", 0, 1, "smooth at 0"],
  ])("%s'(%d) = %d (%s)", (name, x, expected) => {
    const [compiled, walked] = derivativeAt(name, x);
    expect(compiled).toBeCloseTo(expected, 15);
    expect(walked).toBeCloseTo(expected, 15);
  });

  test("rrelu'(0) is exactly the float64 value of (1/8 + 1/3)/2 = 11/48", () => {
    expect(derivativeAt("rrelu", 0)[0]).toBe(11 / 48);
  });

  test("elu'(0) = alpha for any alpha, and the parameter overrides the default", () => {
    expect(derivativeAt("elu", 0, { alpha: 2 })).toEqual([2, 2]);
    expect(derivativeAt("elu", 0, { alpha: 0.5 })).toEqual([0.5, 0.5]);
  });

  test("leaky_relu'(0) and prelu'(0) follow their parameter", () => {
    expect(derivativeAt("leaky_relu", 0, { negative_slope: 0.2 })).toEqual([0.2, 0.2]);
    expect(derivativeAt("prelu", 0, { weight: 0.1 })).toEqual([0.1, 0.1]);
  });

  test("just beside the breakpoints the derivative is the one of the adjacent piece", () => {
    expect(derivativeAt("relu", 1e-300)[0]).toBe(1);
    expect(derivativeAt("relu", -1e-300)[0]).toBe(0);
    expect(derivativeAt("relu6", 6 - 1e-12)[0]).toBe(1);
    expect(derivativeAt("relu6", 6 + 1e-12)[0]).toBe(0);
    expect(derivativeAt("relu6", 1e-300)[0]).toBe(1);
    expect(derivativeAt("elu", -1e-300, { alpha: 2 })[0]).toBe(2);
    expect(derivativeAt("elu", 1e-300, { alpha: 2 })[0]).toBe(1);
  });
});

describe("kink conventions of the builtins", () => {
  test("abs'(0) = 0", () => {
    expect(derivativeAt("abs(x)", 0)).toEqual([0, 0]);
    expect(derivativeAt("abs(x)", -2)).toEqual([-1, -1]);
  });

  test("max(a, b) and min(a, b) split the gradient 1/2 : 1/2 at a tie, as torch.maximum/minimum", () => {
    expect(derivativeAt("max(x, 0)", 0)).toEqual([0.5, 0.5]);
    expect(derivativeAt("min(x, 0)", 0)).toEqual([0.5, 0.5]);
    expect(derivativeAt("max(x, 0)", 1)).toEqual([1, 1]);
    expect(derivativeAt("max(x, 0)", -1)).toEqual([0, 0]);
    // the tie also splits between two arguments that both move: d/dx max(x, 3x) at 0 = (1 + 3)/2
    expect(derivativeAt("max(x, 3x)", 0)).toEqual([2, 2]);
  });

  test("clip'(lo) = clip'(hi) = 1: the closed interval, as torch.clamp", () => {
    const at = (x: number) => derivativeAt("clip(x, -1, 1)", x)[0];
    expect([at(-1), at(1), at(0), at(-1.5), at(1.5)]).toEqual([1, 1, 1, 0, 0]);
  });

  test("the derivative of clip by its bounds: 1 where the bound is taken, strictly outside", () => {
    const byLo = (x: number) => define("f(x; lo = -1, hi = 1) = clip(x, lo, hi)").derivative("lo").compile()(x);
    const byHi = (x: number) => define("f(x; lo = -1, hi = 1) = clip(x, lo, hi)").derivative("hi").compile()(x);
    expect([byLo(-2), byLo(-1), byLo(0)]).toEqual([1, 0, 0]);
    expect([byHi(2), byHi(1), byHi(0)]).toEqual([1, 0, 0]);
  });

  test("sign'(x) = 0 everywhere, 0 included", () => {
    expect([0, 1, -1].map((x) => derivativeAt("sign(x)", x)[0])).toEqual([0, 0, 0]);
  });
});

describe("derivative by a parameter and of higher order", () => {
  test("d/dbeta swish(x; beta) = x² σ(βx)(1 − σ(βx))", () => {
    const d = define("swish").derivative("beta").compile();
    for (const [x, beta] of [[1.5, 1], [-2, 0.5], [0.3, 3]] as const) {
      const s = 1 / (1 + Math.exp(-beta * x));
      expect(d(x, { beta })).toBeCloseTo(x * x * s * (1 - s), 14);
    }
  });

  test("diff(tanh(x), x, 3) = −6 tanh⁴ + 8 tanh² − 2 (independent closed form)", () => {
    const d = define("tanh(x)").derivative("x", 3).compile();
    for (const x of [-2, -0.5, 0, 0.7, 1.3]) {
      const t = Math.tanh(x);
      expect(d(x)).toBeCloseTo(-6 * t ** 4 + 8 * t ** 2 - 2, 13);
    }
  });

  test("order 0 is the function itself; by a name the function does not have, the derivative is 0", () => {
    const swish = define("swish");
    expect(swish.derivative("x", 0)).toBe(swish);
    expect(print(swish.derivative("gamma").expr)).toBe("0");
    expect(print(swish.derivative("gamma", 3).expr)).toBe("0");
    expect(swish.derivative("gamma").compile()(2)).toBe(0);
  });

  test("order and variable are checked", () => {
    expect(() => define("swish").derivative("x", -1)).toThrow(/the order of a derivative must be a non-negative integer, not -1/);
    expect(() => define("swish").derivative("x", 1.5)).toThrow(/not 1.5/);
    expect(() => define("swish").derivative("1x")).toThrow(/cannot differentiate with respect to '1x': it is not a name/);
  });
});

describe("clip(u, lo, hi) = min(max(u, lo), hi) in all three arguments, also when lo > hi (then hi, as torch.clamp)", () => {
  // Away from ties each partial derivative is 0 or 1, and a central difference finds it exactly.
  const clipAt = (u: number, lo: number, hi: number) => Math.min(Math.max(u, lo), hi);
  const separated = fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }))
    .filter(([u, lo, hi]) => u !== lo && u !== hi && lo !== hi);
  const f = define("f(x; lo, hi) = clip(x, lo, hi)");
  const partials = { x: f.derivative("x").compile(), lo: f.derivative("lo").compile(), hi: f.derivative("hi").compile() };

  test("law: each partial derivative is the one-sided change of the value", () => {
    fc.assert(fc.property(separated, ([u, lo, hi]) => {
      const h = 0.25;
      const params = { lo, hi };
      expect(partials.x(u, params)).toBe((clipAt(u + h, lo, hi) - clipAt(u - h, lo, hi)) / (2 * h));
      expect(partials.lo(u, params)).toBe((clipAt(u, lo + h, hi) - clipAt(u, lo - h, hi)) / (2 * h));
      expect(partials.hi(u, params)).toBe((clipAt(u, lo, hi + h) - clipAt(u, lo, hi - h)) / (2 * h));
    }), { numRuns: 300 });
  });

  test("with lo > hi the function is the constant hi: props says so, and the derivative through a varying bound is 0", () => {
    expect(analyze(define("clip(x, 2, 1)")).range).toMatchObject({ inf: 1, sup: 1 });
    const capped = define("clip(0.0005, 0.5^(x^2 + 1), 0)").derivative();
    for (const x of [-1, -0.3, 0.5, 2]) expect(Math.abs(capped.compile()(x))).toBe(0);
  });
});
