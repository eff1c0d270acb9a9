import { describe, expect, test } from "vitest";
import { emptyScope } from "../../src/ast/definition.js";
import * as Q from "../../src/ast/rational.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { ActdiffError } from "../../src/errors.js";
import { verify } from "../../src/index.js";
import { bigContext } from "../../src/numeric/big.js";
import { evaluateBig } from "../../src/numeric/evaluate.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";
import { REQUIRED_DIGITS, verifyClaim, type VerifyResult } from "../../src/verify/verify.js";

/**
 * Verdicts on the identities the seeds state (and on their slips), with every counterexample
 * recomputed here, independently of verify: a refutation must point at a place where the two
 * sides really differ.
 */

/** One side of a claim at a point, in 60-digit BigNumber (derivatives written out by hand). */
function valueOf(side: string, at: Readonly<Record<string, number>>) {
  const e = resolveTopLevel(parseTopLevel(side), side, catalogScope).body;
  return evaluateBig(e, new Map(Object.entries(at).map(([k, v]) => [k, Q.fromNumber(v)])), 60);
}

/** Where a verdict reports its breakpoints: at the top level, or (for a proof piece by piece) in its evidence. */
const breakpointsOf = (r: VerifyResult): readonly number[] | undefined => r.breakpoints ?? r.evidence.breakpoints;

describe("claims that hold symbolically", () => {
  test.each<[string, string]>([
    ["diff(sigmoid(x), x) = sigmoid(x) * (1 - sigmoid(x))", "σ′ = σ(1 − σ)"],
    ["diff(softplus(x), x) = sigmoid(x)", "softplus′ = σ"],
    ["diff(tanh(x), x) = 1 - tanh(x)^2", "tanh′ = 1 − tanh²"],
    ["sigmoid(-x) = 1 - sigmoid(x)", "σ(−x) = 1 − σ(x)"],
    ["tanh(x) = 2*sigmoid(2x) - 1", "tanh(x) = 2σ(2x) − 1"],
    ["diff(swish(x), x) = sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))", "swish′"],
    ["diff(log(1 + exp(x)), x) = exp(x) / (1 + exp(x))", "the survey's eq. 19"],
    ["diff(tanh(x), x, 2) = -2 * tanh(x) * (1 - tanh(x)^2)", "a second derivative"],
    ["(x + 1)^2 = x^2 + 2x + 1", "after expansion"],
  ])("%s  (%s)", (claim) => {
    const r = verify(claim);
    expect([r.status, r.method, r.verdict]).toEqual(["holds", "symbolic", "proved"]);
    expect(r.counterexample).toBeUndefined();
  });

  test("the result shows both sides in textbook form", () => {
    const r = verify("diff(1/(1+exp(-x)), x) = sigmoid(x) * (1 - sigmoid(x))");
    expect([r.lhs, r.rhs]).toEqual(["sigmoid(x) * (1 - sigmoid(x))", "sigmoid(x) * (1 - sigmoid(x))"]);
  });

  test.each<[string, number[]]>([
    ["diff(relu6(x), x) = x > 0 and x < 6 ? 1 : 0", [0, 6]],
    ["diff(elu(x), x) = x >= 0 ? 1 : exp(x)", [0]], // the survey's eq. 15; equal off the kink
    ["diff(softsign(x), x) = x >= 0 ? 1/(1+x)^2 : 1/(1-x)^2", [0]], // the survey's eq. 21
    ["abs(x) = x >= 0 ? x : -x", [0]],
    ["relu(x) = max(x, 0)", [0]],
    ["relu6(x) = clip(x, 0, 6)", [0, 6]],
    ["diff(elu(x; alpha = a), x) = x >= 0 ? 1 : a * exp(x)", [0]],
  ])("piecewise, proved piece by piece: %s  (breakpoints %j)", (claim, breakpoints) => {
    const r = verify(claim);
    expect([r.status, r.method]).toEqual(["holds", "symbolic"]);
    expect(breakpointsOf(r)).toEqual(breakpoints);
  });
});

describe("claims that hold numerically (no proof), reporting their breakpoints", () => {
  test.each<[string, number[] | undefined]>([
    ["softplus(x) - softplus(-x) = x", undefined],
    // true on both pieces: softplus(−x) = softplus(x) − x; the log of a sum is beyond the decision procedure
    ["softplus(-abs(x)) = x >= 0 ? softplus(x) - x : softplus(x)", [0]],
  ])("%s  (breakpoints %j)", (claim, breakpoints) => {
    const r = verify(claim);
    expect([r.status, r.method, r.verdict]).toEqual(["holds", "numeric", "verified"]);
    expect(breakpointsOf(r)).toEqual(breakpoints);
    expect(r.digits).toBe(REQUIRED_DIGITS);
    expect(r.points).toBeGreaterThanOrEqual(12);
  });

  test("an identity whose sides cancel to e^-300 near x = 300 is not refuted by a spurious zero", () => {
    // softplus(300) − 300 = log1p(e^-300) ≈ 5.1e-131: zero at 60 and 120 digits, which once made a false counterexample
    const r = verify("max(softplus(x) - x, 0) = softplus(-x)");
    expect(r.status).toBe("holds");
  });
});

describe("refuted claims carry a counterexample that really is one", () => {
  /** Recomputes both sides at the counterexample from formulas given here (derivatives written out). */
  function checkCounterexample(r: VerifyResult, left: string, right: string): void {
    expect(r.status).toBe("refuted");
    const ce = r.counterexample!;
    const D = bigContext(60);
    const lhs = valueOf(left, ce.at);
    const rhs = valueOf(right, ce.at);
    // The reported values are the two sides, recomputed here independently.
    expect(lhs.sub(new D(ce.lhs)).abs().lte(lhs.abs().mul("1e-18"))).toBe(true);
    expect(rhs.sub(new D(ce.rhs)).abs().lte(rhs.abs().mul("1e-18"))).toBe(true);
    // … and they are really different, far beyond any rounding.
    expect(lhs.sub(rhs).abs().gt(lhs.abs().add(rhs.abs()).mul("1e-10"))).toBe(true);
  }

  test("σ′ = σ(1 + σ) is refuted at x = 1", () => {
    const r = verify("diff(sigmoid(x), x) = sigmoid(x) * (1 + sigmoid(x))");
    expect([r.status, r.method, r.verdict]).toEqual(["refuted", "numeric", "refuted"]);
    expect(r.detail).toContain("the two sides differ at x = 1");
    expect(r.counterexample).toEqual({ at: { x: 1 }, lhs: "0.19661193324148185254", rhs: "1.265505224018527906" });
    // σ(1) = 1/(1 + e^-1): σ(1)(1 − σ(1)) and σ(1)(1 + σ(1)), by plain float64 arithmetic
    const s = 1 / (1 + Math.exp(-1));
    expect(Number(r.counterexample!.lhs)).toBeCloseTo(s * (1 - s), 15);
    expect(Number(r.counterexample!.rhs)).toBeCloseTo(s * (1 + s), 15);
    checkCounterexample(r, "exp(-x) / (1 + exp(-x))^2", "sigmoid(x) * (1 + sigmoid(x))");
  });

  test("seed 002's mislabel softplus(x) = exp(x)/(1 + exp(x)) is refuted (that is the sigmoid)", () => {
    const r = verify("softplus(x) = exp(x)/(1+exp(x))");
    expect([r.status, r.method, r.lhs, r.rhs]).toEqual(["refuted", "numeric", "softplus(x)", "sigmoid(x)"]);
    expect(r.counterexample?.at).toEqual({ x: 1 });
    checkCounterexample(r, "log(1 + exp(x))", "exp(x)/(1+exp(x))");
  });

  test("a wrong piece of a piecewise claim is named: diff(elu(x), x) = x >= 0 ? 1 : 2*exp(x)", () => {
    const r = verify("diff(elu(x), x) = x >= 0 ? 1 : 2*exp(x)");
    expect([r.status, r.method]).toEqual(["refuted", "numeric"]);
    expect(r.counterexample).toMatchObject({ at: { x: -1 }, piece: "otherwise (not x > 0)" });
    expect(r.counterexample!.at.x).toBeLessThan(0); // the wrong piece is the negative half
    checkCounterexample(r, "x > 0 ? 1 : exp(x)", "x >= 0 ? 1 : 2*exp(x)");
  });

  test("a wrong positive piece is found on the positive side", () => {
    const r = verify("diff(relu(x), x) = x > 0 ? 2 : 0");
    expect(r.status).toBe("refuted");
    expect(r.counterexample).toMatchObject({ at: { x: 1 }, lhs: "1", rhs: "2", piece: "x > 0" });
  });

  test("a claim differing only near a breakpoint is still caught, on its side of it", () => {
    // relu6 but capped at 5: differs on (5, 6] only
    const r = verify("relu6(x) = clip(x, 0, 5)");
    expect(r.status).toBe("refuted");
    expect(r.counterexample!.at.x).toBeGreaterThan(5);
    expect(r.counterexample!.at.x).toBeLessThan(6);
    checkCounterexample(r, "x <= 0 ? 0 : x >= 6 ? 6 : x", "clip(x, 0, 5)");
  });
});

describe("verify in a given scope, and its errors", () => {
  test("the scope decides what names mean: without the catalog, relu is unknown", () => {
    expect(verifyClaim("diff(sigmoid(x), x) = sigmoid(x) * (1 - sigmoid(x))", emptyScope).status).toBe("holds");
    expect(() => verifyClaim("relu(x) = max(x, 0)", emptyScope)).toThrow(ActdiffError);
  });

  test("a claim without `=` is a parse error", () => {
    expect(() => verify("diff(sigmoid(x), x)")).toThrow(ActdiffError);
  });
});
