import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/api/activation.js";
import * as Q from "../../src/ast/rational.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { add, call, compare, cond, div, int, logic, mul, sym } from "../../src/ast/build.js";
import type { Expr } from "../../src/ast/nodes.js";
import { compileExpr, compileTuple, generatedSource } from "../../src/codegen/compile.js";
import { evaluateFloat } from "../../src/numeric/evaluate.js";
import { ActdiffError } from "../../src/errors.js";
import { reliableValue } from "../../src/numeric/evaluate.js";
import { errorOf } from "../support/errors.js";

const AVAILABLE = oneInputActivations().map((e) => e.name);

/** The exact value at the double x (and double parameters), to 20 digits, as a double. */
function reference(a: Activation, x: number, params: Record<string, number>): number {
  const env = new Map<string, Q.Rational>([[a.inputs[0]!, Q.fromNumber(x)]]);
  const values = a.paramValues(params);
  a.params.forEach((p, i) => env.set(p.name, Q.fromNumber(values[i]!)));
  const r = reliableValue(a.expr, env, 20);
  if (r === undefined) throw new Error(`no reliable reference for ${a.name} at ${x}`);
  return r.value.toNumber();
}

/**
 * 1e-13 relative, or 1e-15 absolute near a zero of the function: where σ(1 − σ) or 1 − tanh²
 * cancel in the tails, float64 has absolute (not relative) accuracy.
 */
const closeEnough = (got: number, want: number): boolean => Math.abs(got - want) <= 1e-13 * Math.abs(want) + 1e-15;

const pointArb = fc.oneof(
  fc.double({ min: -30, max: 30, noNaN: true }),
  // around the kink at 0, down to 1e-30 (below that only the reference's own cancellation grows, and its cost)
  fc.tuple(fc.double({ min: 1e-30, max: 1e-6, noNaN: true }), fc.boolean()).map(([m, negative]) => (negative ? -m : m)),
  fc.double({ min: 6 - 1e-6, max: 6 + 1e-6, noNaN: true }), // … and at 6
  fc.constantFrom(0, -0, 6, 1, -1),
);

describe("compiled closures against the BigNumber reference", () => {
  describe.each(AVAILABLE)("%s", (name) => {
    const f = define(name);
    const df = f.derivative();
    const paramSets: Record<string, number>[] = [{}, Object.fromEntries(f.params.map((p, i) => [p.name, [0.3, 1.7, 0.05][i % 3]!]))];

    test.each([["f", f], ["f′", df]] as const)("%s at random points, default and other parameters", (_which, a) => {
      const compiled = a.compile();
      fc.assert(fc.property(pointArb, fc.constantFrom(...paramSets), (x, params) => {
        const got = compiled(x, params);
        const want = reference(a, x, params);
        expect(closeEnough(got, want), `${a.label}(${x}, ${JSON.stringify(params)}) = ${got}, reference ${want}`).toBe(true);
      }), { numRuns: 60 });
    });
  });
});

describe("fused value and gradient", () => {
  test.each(AVAILABLE)("%s: compileValueAndGrad equals compile() of f and f′ bit for bit", (name) => {
    const a = define(name);
    const fused = a.compileValueAndGrad();
    const f = a.compile();
    const df = a.derivative().compile();
    fc.assert(fc.property(pointArb, (x) => {
      const [v, g] = fused(x);
      expect(Object.is(v, f(x)), `value at ${x}`).toBe(true);
      expect(Object.is(g, df(x)), `gradient at ${x}`).toBe(true);
    }), { numRuns: 100 });
  });

  test("with parameters too", () => {
    const a = define("swish");
    const [v, g] = a.compileValueAndGrad()(1.5, { beta: 2 });
    expect(v).toBe(a.compile()(1.5, { beta: 2 }));
    expect(g).toBe(a.derivative().compile()(1.5, { beta: 2 }));
  });
});

describe("generated code", () => {
  const count = (text: string, needle: string): number => text.split(needle).length - 1;

  const exponentials = (text: string): number => count(text, "Math.exp(");

  test("swish′ computes σ(βx) and σ(−βx) from one exponential (a second only in the x < −40 tail)", () => {
    const swish = define("swish");
    const d = swish.derivative();
    // One exp per side of the switch at βx = −40, where σ changes form as the builtin does.
    expect(exponentials(d.source())).toBe(2);
    expect(d.source()).not.toContain("h_sigmoid(");
    expect(d.source()).toMatch(/if \(t\d+ < -40\) \{/);
    // f and f′ together: f's σ(βx) joins the same family, still one exp per side.
    const both = generatedSource([swish.expr, d.expr], { inputs: ["x"], params: ["beta"] });
    expect(exponentials(both)).toBe(2);
    expect(both).not.toContain("h_sigmoid(");
    expect(both).toMatch(/return \[/);
  });

  test("σ and σ′ together: one exponential per side of the switch", () => {
    const sigmoid = define("sigmoid");
    const both = generatedSource([sigmoid.expr, sigmoid.derivative().expr], { inputs: ["x"], params: [] });
    expect(exponentials(both)).toBe(2);
    expect(count(both, "if (")).toBe(1);
  });

  test("f and f′ of relu6 test x <= 0 and x >= 6 once each: f′'s `x <= 0 or x >= 6` joins f's chain", () => {
    const relu6 = define("relu6");
    const both = generatedSource([relu6.expr, relu6.derivative().expr], { inputs: ["x"], params: [] });
    expect(count(both, "x0 <= 0")).toBe(1);
    expect(count(both, "x0 >= 6")).toBe(1);
    expect(both).not.toContain("||");
  });

  test("what a branch needs twice is computed once there: trelu's e^(−2|ax|) for its tanh and its tanh′", () => {
    const trelu = define("trelu");
    const both = generatedSource([trelu.expr, trelu.derivative().expr], { inputs: ["x"], params: ["a"] });
    expect(exponentials(both)).toBe(1);
  });

  test("a piecewise value needed inside a branch of another with the same test is lowered there, once", () => {
    // p = x < 0 ? sin x : 2x inside q = x < 0 ? p·cos x : 5: grouping the two ifs must not recurse.
    const f = define("q(x) = x < 0 ? (x < 0 ? sin(x) : 2 * x) * cos(x) + 0 * (x < 0 ? sin(x) : 2 * x) : 5");
    const both = f.compileValueAndGrad();
    for (const x of [-1, 0, 2]) {
      expect(f.compile()(x)).toBe(x < 0 ? Math.sin(x) * Math.cos(x) : 5);
      expect(both(x)[0]).toBe(f.compile()(x));
    }
  });

  test("property: nested piecewise values over a few shared conditions compile to the value, fused and alone alike", () => {
    // Few distinct conditions, so that ifs are grouped, nested in each other and merged (the
    // grouping once recursed for ever on such a tree).
    const x = sym("x");
    const tests = [compare("<", x, int(0)), compare(">", x, int(1)), logic("or", [compare("<=", x, int(-2)), compare(">=", x, int(2))])];
    const tree = fc.letrec<{ v: Expr }>((tie) => ({
      v: fc.oneof(
        { maxDepth: 4, depthIdentifier: "pw" },
        fc.constantFrom<Expr>(x, call("sin", [x]), call("exp", [div(x, int(4))]), int(3)),
        fc.tuple(fc.constantFrom(...tests), tie("v"), tie("v")).map(([c, a, b]) => cond(c, a, b)),
        fc.tuple(tie("v"), tie("v")).map(([a, b]) => add(a, b)),
        fc.tuple(tie("v"), tie("v")).map(([a, b]) => mul(a, b)),
      ),
    })).v;
    const signature = { inputs: ["x"], params: [] };
    fc.assert(fc.property(tree, tree, fc.double({ min: -3, max: 3, noNaN: true }), (p, q, v) => {
      const [fp, fq, both] = [compileExpr(p, signature), compileExpr(q, signature), compileTuple([p, q], signature)];
      const [a, b] = both(v);
      expect(Object.is(a, fp(v)) && Object.is(b, fq(v))).toBe(true);
      const want = evaluateFloat(p, new Map([["x", v]]));
      expect(Math.abs(a! - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    }), { numRuns: 300 });
  });

  test("tanh′ = 1 − tanh² is computed without tanh and without cancellation: 4e/(1 + e)², e = e^(−2|x|)", () => {
    const source = define("tanh").derivative().source();
    expect(count(source, "Math.tanh(")).toBe(0);
    expect(exponentials(source)).toBe(1);
    expect(define("tanh").derivative().compile()(30)).toBeGreaterThan(0);
  });

  test("a piecewise value evaluates only the taken branch: x > 0 ? log(x) : 0 at -1 is 0, not NaN", () => {
    const f = define("x > 0 ? log(x) : 0").compile();
    expect(f(-1)).toBe(0);
    expect(f(0)).toBe(0);
    expect(f(Math.E)).toBe(1);
    const g = define("x > 0 ? sqrt(x) : -sqrt(-x)").compile();
    expect([g(4), g(-4)]).toEqual([2, -2]);
  });

  test("… and its derivative too: d/dx (x > 0 ? log(x) : 0) at -1 is 0", () => {
    const d = define("x > 0 ? log(x) : 0").derivative().compile();
    expect([d(-1), d(2)]).toEqual([0, 0.5]);
  });

  test("c ? 1 : 0 is the condition as a number, without a branch, alike in every backend", () => {
    const a = define("f(x) = x * (x >= 1 ? 1 : 0) + (x < 0 ? 1 : 0)");
    expect(a.source()).toContain("+(x0 >= 1)");
    expect(count(a.source(), "if (")).toBe(0);
    const xs = [-2, -0, 0, 0.5, 1, 3, NaN, Infinity, -Infinity];
    // x · 0 at −∞ is NaN, as it was with a branch: the indicator changes no value.
    const want = [1, 0, 0, 0, 1, 3, NaN, Infinity, NaN];
    const [plain, csp] = [a.compile(), a.compile({ csp: true })];
    expect(xs.map((x) => plain(x))).toEqual(want);
    expect(xs.map((x) => csp(x))).toEqual(want);
    for (const simd of [false, true] as const) {
      const out = new Float64Array(xs.length);
      a.kernel({ simd })(Float64Array.from(xs), out);
      expect([...out]).toEqual(want);
    }
  });

  test("the multi-case form is an if/else chain", () => {
    const src = define("relu6").source();
    expect(count(src, "if (")).toBe(2);
    const relu6 = define("relu6").compile();
    expect([0, 3, 6, 7, -1].map((x) => relu6(x))).toEqual([0, 3, 6, 6, 0]);
  });
});

describe("parameters", () => {
  test("the params object overrides defaults; missing ones keep their default", () => {
    const elu = define("elu").compile();
    expect(elu(-1)).toBeCloseTo(Math.expm1(-1), 15);
    expect(elu(-1, { alpha: 2 })).toBeCloseTo(2 * Math.expm1(-1), 15);
    const rrelu = define("rrelu").compile();
    expect(rrelu(-1, { lower: 0.5 })).toBeCloseTo(-(0.5 + 1 / 3) / 2, 15);
  });

  test("an unknown parameter name is an ActdiffError with a suggestion", () => {
    const swish = define("swish").compile();
    expect(() => swish(1, { betta: 2 })).toThrow(ActdiffError);
    const err = errorOf(() => swish(1, { betta: 2 }));
    expect([err.code, err.summary, err.hint]).toEqual(["E_PARAM", "swish has no parameter 'betta'", "did you mean 'beta'?"]);
  });

  test("a parameter for a function without parameters is rejected too", () => {
    expect(() => define("relu").compile()(1, { alpha: 1 })).toThrow(/relu has no parameter 'alpha'/);
  });

  test("a parameter without a default must be given", () => {
    const f = define("x * sigmoid(k * x)").compile();
    expect(() => f(1)).toThrow(/parameter 'k' of f has no default; give it a value/);
    expect(f(1, { k: 0 })).toBe(0.5);
  });
});

describe("extreme inputs", () => {
  const EXTREME_NAMES = ["sigmoid", "tanh", "softplus", "softsign", "elu", "swish"];

  test.each(EXTREME_NAMES)("%s and its derivative are finite and right at ±1000 (and ±745, ±40)", (name) => {
    const a = define(name);
    for (const which of [a, a.derivative()]) {
      const f = which.compile();
      for (const x of [-1000, -745, -40, 40, 745, 1000]) {
        const got = f(x);
        expect(Number.isFinite(got), `${which.label}(${x}) = ${got}`).toBe(true);
        const want = reference(which, x, {});
        expect(closeEnough(got, want), `${which.label}(${x}) = ${got}, reference ${want}`).toBe(true);
      }
    }
  });

  test("values at the extremes, exactly", () => {
    const at = (name: string, x: number, order = 0) => (order ? define(name).derivative("x", order) : define(name)).compile()(x);
    expect([at("sigmoid", -1000), at("sigmoid", 1000)]).toEqual([0, 1]);
    expect([at("tanh", -1000), at("tanh", 1000)]).toEqual([-1, 1]);
    expect([at("softplus", -1000), at("softplus", 1000)]).toEqual([0, 1000]);
    expect([at("elu", -1000), at("elu", 1000)]).toEqual([-1, 1000]);
    expect([at("swish", 1000), Math.abs(at("swish", -1000))]).toEqual([1000, 0]);
    expect([at("softplus", -1000, 1), at("softplus", 1000, 1)]).toEqual([0, 1]);
  });
});
