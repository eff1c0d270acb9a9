import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { add, call, derivative, div, int, mul, num, ONE, pow, sub, sym } from "../../src/ast/build.js";
import { emptyScope } from "../../src/ast/definition.js";
import type { Expr } from "../../src/ast/nodes.js";
import * as Q from "../../src/ast/rational.js";
import { print } from "../../src/ast/print.js";
import { transform } from "../../src/ast/walk.js";
import { expandDerivatives } from "../../src/diff/diff.js";
import { evaluateBig } from "../../src/numeric/evaluate.js";
import { parseClaim, parseTopLevel } from "../../src/parse/parse.js";
import { resolveClaim, resolveTopLevel } from "../../src/parse/resolve.js";
import { simplify } from "../../src/simplify/simplify.js";
import { decideEquality, LIMITS, toExpRational, type Decision } from "../../src/verify/exp-rational.js";
import * as P from "../../src/verify/polynomial.js";
import { expressionArbitraries } from "../support/arbitraries.js";

const parse = (source: string): Expr => resolveTopLevel(parseTopLevel(source), source, emptyScope).body;
const decide = (claim: string): Decision => {
  const { left, right } = resolveClaim(parseClaim(claim), claim, emptyScope);
  return decideEquality(left, right);
};

describe("proved equal: identities of the exp-rational class", () => {
  test.each([
    ["σ′ = σ(1 − σ)", "diff(sigmoid(x), x) = sigmoid(x) * (1 - sigmoid(x))"],
    ["σ″ = σ(1 − σ)(1 − 2σ)", "diff(sigmoid(x), x, 2) = sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x))"],
    ["tanh′ = 1 − tanh²", "diff(tanh(x), x) = 1 - tanh(x)^2"],
    ["tanh′ through σ", "diff(tanh(x), x) = 4 * sigmoid(2 * x) * (1 - sigmoid(2 * x))"],
    ["tanh = 2σ(2x) − 1", "tanh(x) = 2 * sigmoid(2 * x) - 1"],
    ["tanh(x/2) = 2σ(x) − 1", "tanh(x / 2) = 2 * sigmoid(x) - 1"],
    ["σ(−x) = 1 − σ(x)", "sigmoid(-x) = 1 - sigmoid(x)"],
    ["σ in exp form", "sigmoid(x) = exp(x) / (1 + exp(x))"],
    ["tanh in exp form", "tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))"],
    ["σ(x)σ(−x) = σ′(x)", "sigmoid(x) * sigmoid(-x) = diff(sigmoid(x), x)"],
    ["sinh/cosh = tanh", "sinh(x) / cosh(x) = tanh(x)"],
    ["cosh² − sinh² = 1", "cosh(x)^2 - sinh(x)^2 = 1"],
    ["σ′ through tanh(x/2)", "(1 - tanh(x / 2)^2) / 4 = diff(sigmoid(x), x)"],
    ["swish′ with β", "diff(x * sigmoid(beta * x), x) = sigmoid(beta * x) + beta * x * sigmoid(beta * x) * (1 - sigmoid(beta * x))"],
    ["SiLU′", "diff(x * sigmoid(x), x) = sigmoid(x) * (1 + x * (1 - sigmoid(x)))"],
    ["ELU′ (negative branch)", "diff(alpha * expm1(x), x) = alpha * exp(x)"],
    ["expm1 = e^x − 1", "expm1(x) = exp(x) - 1"],
    ["e^x e^{−x} = 1", "exp(x) * exp(-x) = 1"],
    ["exponents with a parameter in the denominator", "exp(x / (2 * beta))^2 = exp(x / beta)"],
    ["a constant exponent", "e^2 * exp(x) = exp(x + 2)"],
    ["e with pi, formally equal", "e^2 * pi = pi * exp(2)"],
    ["log of an exponential", "log(exp(x / 3) * e) = x / 3 + 1"],
    ["log1p of expm1", "log1p(expm1(x)) = x"],
    ["equal wherever both sides are defined", "x / x = 1"],
  ])("%s: %s", (_name, claim) => {
    const d = decide(claim);
    expect(d, JSON.stringify(d)).toMatchObject({ verdict: "proved-equal" });
  });

  test("the detail names the variables of the rational function", () => {
    expect(decide("diff(x * sigmoid(beta * x), x) = sigmoid(beta * x) + beta * x * sigmoid(beta * x) * (1 - sigmoid(beta * x))")).toEqual({
      verdict: "proved-equal",
      variables: ["beta", "exp(beta * x)", "x"],
      detail: "lhs − rhs is 0 as a rational function of beta, exp(beta * x), x",
    });
  });
});

describe("proved different", () => {
  test.each([
    ["a sign slip", "diff(sigmoid(x), x) = sigmoid(x) * (1 + sigmoid(x))", "-2*exp(x)^2"],
    ["a dropped square", "diff(tanh(x), x) = 1 - tanh(x)", "2*exp(x)^2 - 2"],
    ["the output-form slip tanh′ = 1 − x²", "diff(tanh(x), x) = 1 - x^2",
      "exp(x)^4*x^2 + 2*exp(x)^2*x^2 - exp(x)^4 + x^2 + 2*exp(x)^2 - 1"],
    ["σ is not even", "sigmoid(-x) = sigmoid(x)", "-exp(x) + 1"],
  ])("%s: %s", (_name, claim, numerator) => {
    const d = decide(claim);
    expect(d).toMatchObject({ verdict: "proved-different", detail: `the numerator of lhs − rhs over a common denominator is ${numerator}, not 0` });
    if (d.verdict !== "proved-different") return;
    // the witness is a float64 point a reader can check; the verdict does not rest on it
    expect(d.witness).toBeDefined();
    expect(Math.abs(d.witness!.lhs - d.witness!.rhs)).toBeGreaterThan(1e-6);
  });

  test("a difference far below float64 resolution is still a proof, without a witness", () => {
    const d = decide("exp(x) = exp(x) + 1e-30 * exp(2 * x)");
    expect(d.verdict).toBe("proved-different");
    expect(d).not.toHaveProperty("witness");
  });

  test("pi is transcendental, so no rational approximation equals it", () => {
    expect(decide("pi * exp(x) = 3.14159265358979 * exp(x)").verdict).toBe("proved-different");
  });
});

describe("outside the class, with the reason", () => {
  test.each([
    ["softplus(x) = log(1 + exp(x))", "softplus(x): softplus(u) = log(1 + e^u) is the logarithm of a sum, not a rational function of exponentials"],
    ["log(x) = x - 1", "log(x): x is not a product of exponentials, the only logarithms inside the class"],
    ["log(2 * exp(x)) = x", "log(2 * exp(x)): 2 * exp(x) has the factor 2, which is not an exponential; only logarithms of products of exponentials are inside the class"],
    ["atan(x) = x", "atan(x): atan is not a rational function of exponentials"],
    ["abs(x) = x", "abs(x): abs is piecewise (it switches on a sign), not a rational function of exponentials"],
    ["(x > 0 ? x : 0) = max(x, 0)", "x > 0 ? x : 0 is piecewise, not a rational function of exponentials"],
    ["sqrt(x)^2 = x", "sqrt(x): a square root is not a rational function"],
    ["erf(x) = x", "erf(x): erf is not elementary, not a rational function of exponentials"],
    ["sin(x) = x", "sin(x): sin is trigonometric: an exponential of i·u, not of a real exponent"],
    ["exp(exp(x)) = 1", "exp(exp(x)): its argument contains exp(x), which is not a polynomial in the symbols"],
    ["exp(pi * x) = 1", "exp(pi * x): its argument contains the constant pi; only rational coefficients are inside"],
    ["sigmoid(x / (1 + x)) = 1", "sigmoid(x / (1 + x)): its argument contains 1 / (1 + x), which is not a polynomial in the symbols"],
    ["diff(x * tanh(softplus(x)), x) = 1", "tanh(softplus(x)): its argument contains softplus(x), which is not a polynomial in the symbols"],
    ["e * pi = pi", "the difference is a nonzero polynomial in both pi and a power of e; whether e and pi are algebraically independent is unproven"],
    ["1 / (sigmoid(x) + sigmoid(-x) - 1) = 1", "undefined: sigmoid(x) - 1 + sigmoid(-x) is identically zero, so its reciprocal is defined nowhere"],
  ])("%s", (claim, reason) => {
    expect(decide(claim)).toEqual({ verdict: "outside", reason });
  });

  test.each([
    "x^0.5 = x",
    "2^x = exp(x)",
  ])("a power that is not an integer power: %s", (claim) => {
    expect(decide(claim)).toMatchObject({ verdict: "outside", reason: expect.stringMatching(/: the exponent .* is not (an integer|a number)$/) });
  });

  test("blow-up is bounded: too large instead of slow", () => {
    const started = Date.now();
    expect(decide("(1 + x + beta + exp(x) + exp(2 * x))^60 = 1")).toMatchObject({ verdict: "outside", reason: expect.stringMatching(/^too large/) });
    expect(decide(`exp(${LIMITS.maxDegree + 1} * x) = 1`)).toMatchObject({ verdict: "outside", reason: expect.stringMatching(/^too large/) });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("toExpRational", () => {
  const t = P.variable("exp(x)");
  test("σ(x) = t/(t + 1) with t = e^x", () => {
    const r = toExpRational(parse("sigmoid(x)"));
    expect(r).toMatchObject({ variables: ["exp(x)"] });
    if ("outside" in r) return;
    expect(P.equals(r.num, t)).toBe(true);
    expect(P.equals(r.den, P.add(t, P.ONE))).toBe(true);
  });

  test("the common variable is e^{x/L}, L the lcm of the exponents' denominators, negative powers in the denominator", () => {
    // tanh(x/2) + e^{−x/3} = (s³ − 1)/(s³ + 1) + 1/s with s = e^{x/3}
    const r = toExpRational(parse("tanh(x / 2) + exp(-x / 3)"));
    if ("outside" in r) throw new Error(r.outside);
    expect(r.variables).toEqual(["exp(x / 3)"]);
    expect(P.toString(r.num)).toBe("exp(x / 3)^4 + exp(x / 3)^3 - exp(x / 3) + 1");
    expect(P.toString(r.den)).toBe("exp(x / 3)^4 + exp(x / 3)");
  });

  test("reports the offending subexpression", () => {
    expect(toExpRational(parse("x * softplus(x)"))).toEqual({
      outside: "softplus(x): softplus(u) = log(1 + e^u) is the logarithm of a sum, not a rational function of exponentials",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: identities made by algebra must be proved, perturbed ones refuted, and both
// verdicts must agree with an independent high-precision evaluation.

const x = sym("x");
const beta = sym("beta");
const exp = (u: Expr): Expr => call("exp", [u]);
const sigmoid = (u: Expr): Expr => call("sigmoid", [u]);
const tanh = (u: Expr): Expr => call("tanh", [u]);

const atomArb = fc.oneof(
  { arbitrary: fc.constantFrom(x, beta, exp(x), exp(mul(int(-1), x)), exp(mul(int(2), x)), sigmoid(x), tanh(x), sigmoid(mul(beta, x))), weight: 4 },
  { arbitrary: fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 3 })).map(([n, d]) => num(Q.rational(BigInt(n), BigInt(d)))), weight: 1 },
);

const { expr: exprArb } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 4, depthIdentifier: "t" },
    { arbitrary: atomArb, weight: 3 },
    fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => add(a, b)),
    fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => sub(a, b)),
    fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => mul(a, b)),
    fc.tuple(tie("expr"), tie("expr")).map(([a, b]) => div(a, b)),
    fc.tuple(tie("expr"), fc.integer({ min: -2, max: 3 })).map(([a, k]) => pow(a, int(k))),
  ),
}));

/** σ(u) → 1/(1 + e^{−u}), tanh(u) → 2σ(2u) − 1 written out, e^u → (e^{u/2})², as a tree rewrite. */
const toExpForm = (e: Expr): Expr =>
  transform(e, (n) => {
    if (n.kind !== "call") return n;
    const [u] = n.args;
    if (n.fn === "sigmoid") return div(ONE, add(ONE, exp(mul(int(-1), u!))));
    if (n.fn === "tanh") return sub(div(int(2), add(ONE, exp(mul(int(-2), u!)))), ONE);
    if (n.fn === "exp") return pow(exp(mul(num(Q.rational(1n, 2n)), u!)), int(2));
    return n;
  });

/** Two sides of a true identity made from e. */
const REWRITES: readonly [string, (e: Expr) => [Expr, Expr]][] = [
  ["e = e(1 + σ) − eσ", (e) => [e, sub(mul(e, add(ONE, sigmoid(x))), mul(e, sigmoid(x)))]],
  ["e = (e + e·tanh)/(1 + tanh)", (e) => [e, div(add(e, mul(e, tanh(x))), add(ONE, tanh(x)))]],
  ["e = its exp form", (e) => [e, toExpForm(e)]],
  ["e′ = (its exp form)′", (e) => [derivative(e, "x"), derivative(toExpForm(e), "x")]],
];

const PERTURBATIONS: readonly [string, (e: Expr) => Expr][] = [
  ["+ e^x/1000", (e) => add(e, mul(num(Q.rational(1n, 1000n)), exp(x)))],
  ["· (1 + σ/7)", (e) => mul(e, add(ONE, mul(num(Q.rational(1n, 7n)), sigmoid(x))))],
];

const POINTS: readonly Record<string, Q.Rational>[] = [
  { x: Q.rational(3n, 10n), beta: Q.rational(1n, 2n) },
  { x: Q.rational(-7n, 10n), beta: Q.rational(13n, 10n) },
  { x: Q.rational(11n, 10n), beta: Q.rational(-3n, 4n) },
];

type Comparison = "agree" | "differ" | "undefined";

/** 60-digit evaluation of both sides: an oracle that shares only the derivative rules with the procedure. */
function compareAt(l: Expr, r: Expr, at: Record<string, Q.Rational>): Comparison {
  const env = new Map(Object.entries(at));
  const a = evaluateBig(expandDerivatives(l), env, 60);
  const b = evaluateBig(expandDerivatives(r), env, 60);
  if (!a.isFinite() || !b.isFinite()) return "undefined";
  const scale = a.abs().add(b.abs()).add(1);
  return a.sub(b).abs().lte(scale.mul(1e-30)) ? "agree" : "differ";
}

const inside = (e: Expr): boolean => !("outside" in toExpRational(e));
const RUNS = { numRuns: 80, seed: 20240611 };

describe("property: identities built by algebra", () => {
  test.each(REWRITES)("%s is proved equal, and agrees numerically", (_name, rewrite) => {
    fc.assert(fc.property(exprArb, (e) => {
      fc.pre(inside(e));
      const [l, r] = rewrite(e);
      const d = decideEquality(l, r);
      // the only ways out of a true identity: a rewrite's own denominator vanishes identically, or size
      if (d.verdict === "outside") return /^(undefined|too large)/.test(d.reason);
      expect(d.verdict).toBe("proved-equal");
      for (const at of POINTS) expect(compareAt(l, r, at)).not.toBe("differ");
      return true;
    }), RUNS);
  });

  test.each(PERTURBATIONS)("e = e %s is proved different, and differs numerically somewhere", (_name, perturb) => {
    fc.assert(fc.property(exprArb, (e) => {
      fc.pre(inside(e) && decideEquality(e, int(0)).verdict === "proved-different");
      const d = decideEquality(e, perturb(e));
      expect(d.verdict).toBe("proved-different");
      expect(POINTS.map((at) => compareAt(e, perturb(e), at))).toContain("differ");
    }), RUNS);
  });
});

describe("property: the simplifier keeps values, as this procedure sees them", () => {
  test("simplify(e) = e and simplify(e′) = e′ are proved equal", () => {
    fc.assert(fc.property(exprArb, (e) => {
      fc.pre(inside(e));
      for (const [before, after] of [[e, simplify(e)], [derivative(e, "x"), simplify(derivative(e, "x"))]] as const) {
        const d = decideEquality(before, after);
        expect(d.verdict, `${print(before)} → ${print(after)}: ${JSON.stringify(d)}`).toBe("proved-equal");
      }
    }), { numRuns: 200, seed: 11 });
  });
});

describe("property: robustness on arbitrary expressions", () => {
  const { value } = expressionArbitraries(3);

  test("never throws; e = e is proved equal or outside; a verdict never contradicts the oracle", () => {
    fc.assert(fc.property(value, value, (a, b) => {
      const self = decideEquality(a, a);
      expect(["proved-equal", "outside"]).toContain(self.verdict);
      const d = decideEquality(a, b);
      if (d.verdict === "outside") return;
      const seen = POINTS.map((at) => compareAt(a, b, at));
      if (d.verdict === "proved-equal") expect(seen).not.toContain("differ");
    }), { numRuns: 150, seed: 7 });
  });
});

// ---------------------------------------------------------------------------------------------

describe("polynomial arithmetic", () => {
  const coefficient = fc.tuple(fc.integer({ min: -6, max: 6 }), fc.integer({ min: 1, max: 4 })).map(([n, d]) => Q.rational(BigInt(n), BigInt(d)));
  const monomialArb = fc.array(fc.tuple(fc.constantFrom("a", "b", "exp(x)"), fc.integer({ min: -2, max: 3 })), { maxLength: 3 });
  const polyArb = fc.array(fc.tuple(monomialArb, coefficient), { maxLength: 5 })
    .map((ts) => ts.reduce((p, [m, c]) => P.add(p, P.monomial(m, c)), P.ZERO));
  const same = (p: P.Poly, q: P.Poly): boolean => P.equals(p, q) && P.key(p) === P.key(q);

  test("ring laws", () => {
    fc.assert(fc.property(polyArb, polyArb, polyArb, (p, q, r) => {
      expect(same(P.add(p, q), P.add(q, p))).toBe(true);
      expect(same(P.mul(p, q), P.mul(q, p))).toBe(true);
      expect(same(P.mul(P.mul(p, q), r), P.mul(p, P.mul(q, r)))).toBe(true);
      expect(same(P.mul(p, P.add(q, r)), P.add(P.mul(p, q), P.mul(p, r)))).toBe(true);
      expect(P.isZero(P.sub(p, p))).toBe(true);
      expect(same(P.pow(P.add(p, q), 2), P.add(P.add(P.pow(p, 2), P.scale(P.mul(p, q), Q.rational(2n))), P.pow(q, 2)))).toBe(true);
      expect(same(P.pow(p, 3), P.mul(p, P.mul(p, p)))).toBe(true);
    }), { numRuns: 200, seed: 3 });
  });

  test("canonical keys: one key per polynomial, however it was built", () => {
    const a = P.variable("a");
    const b = P.variable("b");
    const left = P.mul(P.add(a, b), P.sub(a, b));
    const right = P.sub(P.pow(a, 2), P.pow(b, 2));
    expect(P.key(left)).toBe(P.key(right));
    expect(P.toString(right)).toBe("a^2 - b^2");
    expect(P.toString(P.mul(a, P.invertTerm(P.scale(b, Q.rational(2n)))))).toBe("1/2*a*b^(-1)");
    expect(P.monomialKey([["a:1", 1]])).not.toBe(P.monomialKey([["a", 1], ["1", 1]]));
    expect(() => P.pow(a, -1)).toThrow(RangeError);
  });
});
