import { describe, expect, test } from "vitest";
import { define, type Activation } from "../../src/api/activation.js";
import type { Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { postorder, treeSize } from "../../src/ast/walk.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { evaluateBig } from "../../src/numeric/evaluate.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";
import { derivativeCases } from "../support/fixtures.js";
import { agreeTo, centralDifference, decimal, nthDifference, secondDifference } from "../support/numeric.js";

const CASES = derivativeCases();

/** Points away from every breakpoint used in the file (0, 6, ±1, the ties of min/max). */
const POINTS = ["-2.5", "-0.7", "0.3", "1.9", "7.5"].map(decimal);
/** A value for a parameter without a default. */
const FREE_PARAMETER = Q.rational(3n, 4n);

function parameterEnv(a: Activation): Map<string, Q.Rational> {
  const env = new Map<string, Q.Rational>();
  for (const p of a.params) {
    const d = p.defaultValue;
    env.set(p.name, d?.kind === "num" ? d.value : FREE_PARAMETER);
  }
  return env;
}

/** The derivative of order n by the oracle, from the formula as written (before any simplification). */
function oracle(f: Expr, wrt: string, env: Map<string, Q.Rational>, order: number) {
  if (order === 1) return centralDifference(f, wrt, env);
  if (order === 2) return secondDifference(f, wrt, env);
  return nthDifference(f, wrt, env, order);
}

describe("test/fixtures/derivatives.txt", () => {
  test("the file is not empty and every catalog activation has a line", () => {
    expect(CASES.length).toBeGreaterThan(60);
  });

  describe.each(CASES)("line $line: d$order/d$wrt $input", (c) => {
    const activation = define(c.input);
    const wrt = c.wrt ?? activation.inputs[0]!;
    const derivative = activation.derivative(wrt, c.order);

    test(`prints as ${c.expected}`, () => {
      expect(print(derivative.expr)).toBe(c.expected);
    });

    test("the expected text parses back to the same tree", () => {
      const parsed = resolveTopLevel(parseTopLevel(c.expected), c.expected, catalogScope).body;
      expect(parsed).toBe(derivative.expr);
    });

    test("it is the derivative: agrees with an 80-digit central difference of the formula as written", () => {
      let compared = 0;
      for (const p of POINTS) {
        const env = parameterEnv(activation);
        env.set(activation.inputs[0]!, p);
        const f = evaluateBig(activation.written, env, 40);
        if (f.isNaN()) continue; // outside the domain (log, sqrt of a negative)
        const symbolic = evaluateBig(derivative.expr, env, 80);
        const numeric = oracle(activation.written, wrt, env, c.order);
        expect(agreeTo(symbolic, numeric, 15, f.abs().add(1).mul("1e-25")), `at ${Q.toString(p)}: ${symbolic} vs ${numeric}`).toBe(true);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(2);
    });
  });
});

describe("textbook-form requirements", () => {
  test.each(["1/(1+exp(-x))", "sigmoid(x)"])("%s → sigmoid(x) * (1 - sigmoid(x))", (src) => {
    expect(print(define(src).derivative().expr)).toBe("sigmoid(x) * (1 - sigmoid(x))");
  });

  test.each(["log(1 + exp(x))", "softplus(x)"])("%s → sigmoid(x)", (src) => {
    expect(print(define(src).derivative().expr)).toBe("sigmoid(x)");
  });

  test.each(["tanh(x)", "(exp(x) - exp(-x)) / (exp(x) + exp(-x))"])("%s → 1 - tanh(x)^2", (src) => {
    expect(print(define(src).derivative().expr)).toBe("1 - tanh(x)^2");
  });

  test("x * sigmoid(x) → a form of at most 14 nodes without exp", () => {
    const d = define("x * sigmoid(x)").derivative().expr;
    expect(treeSize(d)).toBeLessThanOrEqual(14);
    expect(postorder(d).filter((n) => n.kind === "call" && n.fn === "exp")).toEqual([]);
  });

  test("derivatives of every order stay in terms of the function itself (no exp for sigmoid, tanh)", () => {
    for (const name of ["sigmoid", "tanh", "swish"]) {
      for (let order = 1; order <= 4; order++) {
        const d = define(name).derivative("x", order).expr;
        expect(postorder(d).some((n) => n.kind === "call" && n.fn === "exp"), `${name} order ${order}: ${print(d)}`).toBe(false);
      }
    }
  });

  test("higher derivatives stay a DAG: the shared tree of the 8th derivative of tanh is small", () => {
    const d = define("tanh(x)").derivative("x", 8).expr;
    expect(postorder(d).length).toBeLessThan(200);
  });
});
