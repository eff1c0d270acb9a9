import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { add, call, int, mul, pow, sym } from "../../src/ast/build.js";
import type { Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { define } from "../../src/index.js";
import { reliableValue } from "../../src/numeric/evaluate.js";
import { cancelCommonFactors } from "../../src/simplify/content.js";
import { simplify } from "../../src/simplify/simplify.js";
import { agreeTo } from "../support/numeric.js";

const x = sym("x");
const beta = sym("beta");

describe("common factors cancel in quotients (issue 14 §3)", () => {
  test("smelu′'s middle piece is (beta + x) / (2 * beta), not (2 * beta + 2 * x) / (4 * beta)", () => {
    const smelu = define("f(x; beta = 1) = { 0 if x <= -beta, x if x >= beta, (x + beta)^2 / (4 * beta) otherwise }");
    expect(print(smelu.derivative().expr)).toBe("x <= -beta ? 0 : x >= beta ? 1 : (beta + x) / (2 * beta)");
  });

  test("softclip′ is sigmoid(p * x) - sigmoid(p * (x - 1)) where x <= 1/2: p cancels", () => {
    expect(print(define("softclip").derivative().expr)).toMatch(/^x <= 1\/2 \? sigmoid\(p \* x\) - sigmoid\(p \* \(x - 1\)\) : /);
  });

  test("a lone number times a sum still distributes (-(a - b) is b - a), and fractions stay", () => {
    expect(cancelCommonFactors(mul(int(2), add(x, int(1))))).toBeUndefined();
    expect(print(simplify(mul(int(-1), add(x, mul(int(-1), beta)))))).toBe("beta - x");
  });
});

/**
 * Quotients with a common factor by construction: Σ cᵢ·s·tᵢ over k·s·u, s a symbol, a sum or a
 * call, the cᵢ and k integers sharing factors. Cancelling must keep the value wherever the
 * original is defined (60-digit BigNumber at rational points).
 */
describe("cancelling never changes the value", () => {
  const factor = fc.constantFrom<Expr>(beta, x, add(int(1), pow(x, int(2))), call("sigmoid", [x]), call("exp", [mul(beta, x)]));
  const coefficient = fc.integer({ min: -12, max: 12 }).filter((k) => k !== 0).map((k) => k * 6);
  const quotient = fc.tuple(factor, fc.array(fc.tuple(coefficient, factor), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 5 }).map((k) => k * 4), factor)
    .map(([s, terms, k, u]) => mul(add(...terms.map(([c, t]) => mul(int(c), s, t))), pow(mul(int(k), s, u), int(-1))));
  const point = fc.tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: 1, max: 9 }));

  test("simplify of a quotient with common factors has the same value (40 digits)", () => {
    fc.assert(fc.property(quotient, point, (e, [px, pb]) => {
      const env = new Map([["x", Q.rational(BigInt(px) * 3n + 1n, 8n)], ["beta", Q.rational(BigInt(pb), 4n)]]);
      const before = reliableValue(e, env, 40);
      fc.pre(before !== undefined && before.value.isFinite());
      const after = reliableValue(simplify(e), env, 40);
      expect(after, print(simplify(e))).toBeDefined();
      expect(agreeTo(before!.value, after!.value, 38, before!.value.abs().add(1).mul("1e-45")), `${print(e)}\n→ ${print(simplify(e))}`).toBe(true);
    }), { numRuns: 300 });
  });

  test("and leaves no integer content in a numerator sum it could have cancelled", () => {
    fc.assert(fc.property(quotient, (e) => {
      const out = simplify(e);
      if (out.kind !== "mul") return;
      const others = out.factors.filter((f) => f.kind !== "num");
      if (others.length < 2) return;
      expect(cancelCommonFactors(out), print(out)).toBeUndefined();
    }), { numRuns: 200 });
  });
});
