import { describe, expect, test } from "vitest";
import { verify } from "../../src/index.js";
import { parse } from "../../src/index.js";
import { kinks } from "../../src/verify/kinks.js";
import * as Q from "../../src/ast/rational.js";

/**
 * At each breakpoint of a piecewise function a claim is about: whether it is continuous, and its
 * one-sided derivatives (the survey's own words: relu-softplus's derivative "jumps from 1 to
 * 0.5" at 0, relu-softsign's "has no jump").
 */
const report = (claim: string) => verify(claim).kinks ?? [];

describe("continuity and one-sided derivatives at the breakpoints", () => {
  test("relu_softplus: continuous at 0, the derivative jumps from 0.5 to 1", () => {
    const [k, ...rest] = report("d/dx relu_softplus(x) = x >= 0 ? 1 : sigmoid(x)");
    expect(rest).toEqual([]);
    expect(k).toMatchObject({
      at: 0, continuous: true, smoothness: "C0",
      left: { value: "0", derivative: "0.5" }, right: { value: "0", derivative: "1" },
      atPoint: { value: "0", derivative: "1" },
      summary: "continuous at 0 (value 0); the derivative jumps from 0.5 to 1",
    });
  });

  test("relu_softsign: C¹ at 0", () => {
    expect(report("d/dx relu_softsign(x) = x >= 0 ? 1 : 1 / (1 - x)^2")).toMatchObject([{
      at: 0, smoothness: "C1", left: { derivative: "1", second: "2" }, right: { derivative: "1", second: "0" },
      summary: "C¹ at 0: value 0 and derivative 1 from both sides; the second derivative jumps from 2 to 0",
    }]);
  });

  test("relu6: two kinks, each where the derivative jumps", () => {
    expect(report("relu6(x) = min(max(0, x), 6)").map((k) => k.summary)).toEqual([
      "continuous at 0 (value 0); the derivative jumps from 0 to 1",
      "continuous at 6 (value 6); the derivative jumps from 1 to 0",
    ]);
  });

  test("parameters at their catalog defaults, and said: elu is C¹ only for alpha = 1", () => {
    expect(report("d/dx elu(x; alpha) = x > 0 ? 1 : alpha * exp(x)")[0]?.summary).toBe(
      "C¹ at 0: value 0 and derivative 1 from both sides; the second derivative jumps from 1 to 0 (at alpha = 1)");
    const elu = parse("elu(x; alpha)").body;
    expect(kinks(elu, "x", new Map([["alpha", Q.rational(1n, 2n)]]))[0]?.summary).toBe(
      "continuous at 0 (value 0); the derivative jumps from 0.5 to 1 (at alpha = 1/2)");
  });

  test("a jump in the value itself", () => {
    const step = parse("step(x) = x > 1 ? 2 : 0").body;
    expect(kinks(step, "x", new Map())).toMatchObject([{ at: 1, continuous: false, smoothness: "discontinuous", summary: "not continuous at 1: the value jumps from 0 to 2" }]);
  });

  test("smooth functions have none", () => {
    expect(verify("diff(softplus(x), x) = sigmoid(x)").kinks).toBeUndefined();
  });
});
