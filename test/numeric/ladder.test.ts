import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { define } from "../../src/api/activation.js";
import * as build from "../../src/ast/build.js";
import * as Q from "../../src/ast/rational.js";
import { referenceValue } from "../../src/numeric/reference.js";
import { reliableValue, ZERO_SETTLES_AT } from "../../src/numeric/evaluate.js";

/** The one precision ladder of the verifier and the audit, as a specification. */
const at = (source: string, x: number): Map<string, Q.Rational> => new Map([["x", Q.fromNumber(x)]]);
const expr = (source: string) => define(source).expr;

describe("the precision ladder", () => {
  test("a zero reached through cancellation is not trusted until it survives 480 digits: 1 − σ(300) is 5.1e-131", () => {
    const r = reliableValue(expr("1 - sigmoid(x)"), at("", 300))!;
    expect(r.value.isZero()).toBe(false);
    expect(r.value.toExponential(3)).toBe("5.148e-131");
    expect(r.precision).toBeGreaterThanOrEqual(240);
  });

  test("a true zero that no precision reaches (sin(πx) at x = 1: ≈10^−p at p digits) never settles: undefined, not a number", () => {
    expect(reliableValue(expr("sin(pi * x)"), at("", 1))).toBeUndefined();
  });

  test("two zeros in a row go straight to 480 digits rather than climbing through 240", () => {
    const r = reliableValue(expr("x - x * 1"), at("", 3));
    // x - x·1 is 0 exactly: it stands, at the precision where zeros settle.
    expect(r?.value.isZero()).toBe(true);
    expect(r?.precision).toBe(ZERO_SETTLES_AT);
  });

  test("NaN (log of a negative) is the verifier's answer only after 480 digits, the audit's at once", () => {
    expect(reliableValue(expr("log(x)"), at("", -1))?.precision).toBe(ZERO_SETTLES_AT);
    expect(referenceValue(expr("log(x)"), at("", -1))?.isNaN()).toBe(true);
  });

  test("the audit's float hint only saves work: the same reference with and without it", () => {
    const e = expr("log(1 + exp(x)) - x");
    const plain = referenceValue(e, at("", 200))!;
    const hinted = referenceValue(e, at("", 200), 1.3838965267367376e-87)!;
    expect(hinted.toExponential(30)).toBe(plain.toExponential(30));
  });
});

describe("decimal.js's contexts stay at their precision", () => {
  test("a tangent that needs π past its 1025 digits gives no value, and leaves the next cosine at 40 digits", () => {
    // Found by a property test that never ended: tan(π^(99.5^π)) raised its context to a million
    // digits and threw; every later evaluation at that precision ran there.
    const { call, constant, num, pow, PI, sym, add } = build;
    const env = new Map([["x", Q.rational(5n, 8n)], ["beta", Q.rational(3n, 4n)]]);
    const huge = call("erf", [call("tan", [pow(PI, pow(num(Q.rational(199n, 2n)), PI))])]);
    expect(reliableValue(huge, env, 40)).toBeUndefined();
    const started = performance.now();
    const next = reliableValue(call("cos", [add(constant("e"), num(Q.rational(-251n, 77n)), sym("beta"))]), env, 40);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(next!.value.toNumber()).toBeCloseTo(0.9783338989088299, 15);
  });
});

describe("sums that are exactly 0: a missing term or a true zero", () => {
  test("the verifier's ladder does not settle on a value missing a term: gelu′ as 1/2 + erf(x/√2)/2 + x·φ(x) at x = −29.3 (erf is −1 below 190 digits)", () => {
    const written = expr("1/2 + erf(x / sqrt(2)) / 2 + x * exp(-x^2 / 2) / sqrt(2 * pi)");
    const truth = reliableValue(expr("erfc(-x / sqrt(2)) / 2 + x * exp(-x^2 / 2) / sqrt(2 * pi)"), at("", -29.3))!;
    const r = reliableValue(written, at("", -29.3))!;
    expect(r.value.toExponential(20)).toBe(truth.value.toExponential(20));
    expect(r.precision).toBeGreaterThan(190);
  });

  test("a sum of exact values that is 0 hides nothing: the max-shifted softmax's x_max − max(x) settles at the first rungs", () => {
    const shifted = expr("f(x; y = 1/4) = exp(y - max(x, y)) / (exp(x - max(x, y)) + exp(y - max(x, y))) * 1e-100");
    const r = reliableValue(shifted, new Map([["x", Q.fromNumber(0.1)], ["y", Q.fromNumber(0.25)]]))!;
    expect(r.precision).toBeLessThanOrEqual(120);
  });

  test("property: at any two doubles, a max-shift's zero is exact and costs no rungs: exp(y − max(x, y))·1e−100 settles by 120 digits", () => {
    const shifted = expr("f(x; y = 0) = exp(y - max(x, y)) * 1e-100");
    fc.assert(fc.property(fc.double({ noNaN: true, min: -700, max: 700 }), fc.double({ noNaN: true, min: -700, max: 700 }), (a, b) => {
      const env = new Map([["x", Q.fromNumber(a)], ["y", Q.fromNumber(b)]]);
      expect(reliableValue(shifted, env)!.precision).toBeLessThanOrEqual(120);
    }), { numRuns: 50 });
  });
});
