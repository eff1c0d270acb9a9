import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { emptyScope } from "../../src/ast/definition.js";
import type { Expr } from "../../src/ast/nodes.js";
import * as Q from "../../src/ast/rational.js";
import { freeSymbols } from "../../src/ast/walk.js";
import { catalogDefinition } from "../../src/catalog/catalog.js";
import { evaluateBig } from "../../src/numeric/evaluate.js";
import { parseTopLevel } from "../../src/parse/parse.js";
import { resolveTopLevel } from "../../src/parse/resolve.js";
import { surveyCases } from "../support/fixtures.js";

/**
 * The catalog against the survey's own derivative table (test/fixtures/survey-derivatives.txt):
 * the compiled float64 derivative of each catalog entry against the survey's formula evaluated
 * in 50-digit BigNumber, on both sides of every kink and for several parameter values.
 */
const CASES = surveyCases();
const parseFormula = (src: string): Expr => resolveTopLevel(parseTopLevel(src), src, emptyScope).body;

/** Both sides of the kinks at 0 and 6, the tails, and points in between. */
const GRID = [-8, -4, -2, -1, -0.5, -1e-3, -1e-9, 1e-9, 1e-3, 0.5, 1, 2, 4, 6 - 1e-9, 6 + 1e-9, 8];
const PARAMETER_VALUES = [1, 0.5, 2, 1.75];

/**
 * 12 significant digits — or 1e-15 absolute, which is what float64 can deliver for 1 − tanh(x)²
 * and σ(1 − σ) in the tails (the derivative is below 1e-3 there and the subtraction cancels).
 */
const agrees = (got: number, reference: number): boolean => Math.abs(got - reference) <= 1e-12 * Math.abs(reference) + 1e-15;

describe("test/fixtures/survey-derivatives.txt", () => {
  test("covers eq. 3, 4, 13, 15, 17, 19, 21, 23, 25 and 35–43", () => {
    const numbers = CASES.map((c) => Number.parseInt(c.equation, 10));
    expect(numbers).toEqual([3, 4, 13, 15, 17, 19, 21, 23, 25, 35, 36, 37, 38, 39, 40, 41, 42, 43]);
  });

  describe.each(CASES)("eq $equation: $name' = $stated", ({ name, stated }) => {
    const activation = define(name);
    const compiled = activation.derivative().compile();
    const formula = parseFormula(stated);
    const paramNames = activation.params.map((p) => p.name);

    test("the stated formula uses the catalog's input and parameter names", () => {
      for (const n of freeSymbols(formula)) expect(["x", ...paramNames]).toContain(n);
      expect(catalogDefinition(name)).toBeDefined();
    });

    test("the compiled derivative agrees with the survey to 12 digits on both sides of every kink", () => {
      const parameterSets = paramNames.length === 0 ? [{}] : PARAMETER_VALUES.map((v) => Object.fromEntries(paramNames.map((p) => [p, v])));
      const failures: string[] = [];
      for (const params of parameterSets) {
        for (const x of GRID) {
          const env = new Map<string, Q.Rational>([["x", Q.fromNumber(x)], ...Object.entries(params).map(([k, v]) => [k, Q.fromNumber(v)] as [string, Q.Rational])]);
          const reference = evaluateBig(formula, env, 50).toNumber();
          const got = compiled(x, params);
          if (!agrees(got, reference)) failures.push(`x = ${x} ${JSON.stringify(params)}: got ${got}, survey ${reference}`);
        }
      }
      expect(failures).toEqual([]);
    });
  });

  test("at the kink x = 0 the catalog follows PyTorch; the survey differs only for relu and elu", () => {
    const differences: string[] = [];
    for (const { equation, name, stated } of CASES) {
      const params = Object.fromEntries(define(name).params.map((p) => [p.name, 0.5]));
      const env = new Map<string, Q.Rational>([["x", Q.ZERO], ...Object.keys(params).map((k) => [k, Q.rational(1n, 2n)] as [string, Q.Rational])]);
      const survey = evaluateBig(parseFormula(stated), env, 50).toNumber();
      const catalog = define(name).derivative().compile()(0, params);
      if (!agrees(catalog, survey)) differences.push(`eq ${equation} ${name}'(0): survey ${survey}, catalog ${catalog}`);
    }
    expect(differences).toEqual([
      "eq 15 elu'(0): survey 1, catalog 0.5",
      "eq 37 relu'(0): survey 1, catalog 0",
      "eq 40 (= 15) elu'(0): survey 1, catalog 0.5",
    ]);
  });

  test("at the kink x = 6 relu6 agrees with eq. 38: 0", () => {
    expect(define("relu6").derivative().compile()(6)).toBe(0);
    expect(evaluateBig(parseFormula(CASES.find((c) => c.name === "relu6")!.stated), new Map([["x", Q.fromNumber(6)]]), 50).toNumber()).toBe(0);
  });
});
