import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/index.js";
import * as Q from "../../src/ast/rational.js";
import { parseNumber } from "../../src/cli/args.js";
import { ActdiffError } from "../../src/errors.js";
import { actdiff } from "../support/cli.js";

/** Small things a newcomer meets (issue 17 §7). */

describe("numbers print as the user wrote them, or in shortest round-trip form", () => {
  test("selu's constants print as written", () => {
    const f = define("selu(x; lambda = 1.0507009873554804934193349852946, alpha = 1.6732632423543772848170429916717) = lambda * (x > 0 ? x : alpha * (exp(x) - 1))");
    expect(f.toString()).toContain("lambda = 1.0507009873554804934193349852946, alpha = 1.6732632423543772848170429916717");
    const r = actdiff("diff", "f(x; lambda = 1.0507009873554804934193349852946) = lambda * x");
    expect(r.stdout).toContain("f(x; lambda = 1.0507009873554804934193349852946) = lambda * x");
  }, 60_000);

  test("law: a decimal literal prints positionally where JavaScript would (1e-7 ≤ |v| < 1e21), never with e0, and reads back to itself", () => {
    const literal = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 40n }), fc.integer({ min: -45, max: 25 }))
      .map(([digits, exponent]) => `${digits}e${exponent}`);
    fc.assert(fc.property(literal, (text) => {
      const value = Q.fromDecimalString(text);
      const shown = Q.toString(value);
      expect(shown).not.toMatch(/e0$|e-?0\d/);
      expect(Q.equals(Q.fromDecimalString(shown.includes("/") ? String(Q.toNumber(value)) : shown), value) || shown.includes("/")).toBe(true);
      const magnitude = Math.abs(Q.toNumber(value));
      if (!shown.includes("/") && magnitude >= 1e-7 && magnitude < 1e21) expect(shown).not.toContain("e");
      expect(define(`f(x; c = ${shown}) = c * x`).toString()).toBe(`f(x; c = ${shown}) = c * x`);
    }), { numRuns: 300 });
  });
});

describe("one number syntax: --at and --param read numbers as formulas do", () => {
  test.each(["0x10", "0b11", "0o7", "1_000", "Infinity", "-Infinity", "NaN", "", " ", "1e", "--1", "1..2", "١"])("'%s' is rejected", (text) => {
    expect(() => parseNumber(text, "--at", "h")).toThrow(ActdiffError);
  });

  test("law: a signed literal of the formula language has the value the formula language gives it", () => {
    const literal = fc.tuple(fc.constantFrom("", "+", "-"), fc.nat(99999), fc.option(fc.nat(999)), fc.option(fc.integer({ min: -30, max: 30 })))
      .map(([sign, whole, frac, exp]) => `${sign}${whole}${frac === null ? "" : `.${frac}`}${exp === null ? "" : `e${exp}`}`);
    fc.assert(fc.property(literal, (text) => {
      const asFormula = define(`f(x) = x + ${text.startsWith("+") ? text.slice(1) : text}`).evaluate(0);
      expect(parseNumber(text, "--at", "h") === asFormula).toBe(true); // 0 and -0 alike
    }), { numRuns: 300 });
  });

  test("the CLI: --at 0x10 is a usage error", () => {
    const r = actdiff("eval", "relu", "--at", "0x10");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--at expects a number, not '0x10'");
  });
});

describe("CLI errors speak of commands and options, never of library methods", () => {
  const GLU = "glu(a, b) = a * sigmoid(b)";
  test.each([
    ["eval", GLU, "--at", "1"],
    ["eval", "softmax", "--at", "1,2", "--param", "zz=1"],
    ["eval", GLU, "--at", "a=1", "--at", "b=1", "--mode", "train"],
    ["audit", GLU],
    ["props", "rrelu", "--sweep", "zz=0..1"],
    ["diff", "softmax", "--order", "2"],
    ["diff", GLU, "--order", "0.5"],
    ["diff", "rrelu", "--wrt", "a"],
    ["emit", "gs(z[]; k = 2) = groupmax(2 * z, k)", "--lang", "tfjs"],
  ])("actdiff %s %s …", (...args) => {
    const r = actdiff(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error/m);
    expect(r.stderr).not.toMatch(/\b[A-Za-z]\w*\(\)/);
  }, 60_000);
});
