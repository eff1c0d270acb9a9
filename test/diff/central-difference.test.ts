import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { call, sym } from "../../src/ast/build.js";
import type { Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import { dependsOn } from "../../src/ast/walk.js";
import * as Q from "../../src/ast/rational.js";
import { diff } from "../../src/diff/diff.js";
import { FN_NAMES, type FnName } from "../../src/functions/names.js";
import { fnSpec } from "../../src/functions/table.js";
import { evaluateBig } from "../../src/numeric/evaluate.js";
import { simplify } from "../../src/simplify/simplify.js";
import { smoothArbitrary } from "../support/arbitraries.js";
import { agreeTo, centralDifference, DIFFERENCE_PRECISION, secondDifference } from "../support/numeric.js";

/**
 * The derivative against an independent oracle: a central difference in 80-digit BigNumber.
 * Both sides are evaluated at the same exact rational point, so they must agree to far more
 * than the 15 significant digits asked for; the absolute floor only covers a derivative that
 * happens to vanish (it scales with |f|, the size of what was differentiated).
 */
const DIGITS = 15;

/** Points x = k/16 in [-3, 3] and a positive beta, as exact rationals. */
const pointArb = fc.record({
  x: fc.integer({ min: -48, max: 48 }).map((k) => Q.rational(BigInt(k), 16n)),
  beta: fc.constantFrom(Q.rational(1n, 2n), Q.ONE, Q.rational(7n, 4n), Q.rational(3n)),
});

const envOf = (p: { x: Q.Rational; beta: Q.Rational }): Map<string, Q.Rational> => new Map([["x", p.x], ["beta", p.beta]]);

/** Skips trees whose values leave a sane range (exp of exp of …): the oracle is exact, not the point. */
function tame(f: Expr, env: Map<string, Q.Rational>): boolean {
  const v = evaluateBig(f, env, 30);
  return v.isFinite() && v.abs().lt(1e30);
}

function check(f: Expr, derivative: Expr, oracle: ReturnType<typeof centralDifference>, env: Map<string, Q.Rational>): void {
  const symbolic = evaluateBig(derivative, env, DIFFERENCE_PRECISION);
  const size = evaluateBig(f, env, 30).abs().add(1);
  const ok = agreeTo(symbolic, oracle, DIGITS, size.mul("1e-30"));
  expect(ok, `f = ${print(f)}\nf' = ${print(derivative)}\nat ${[...env].map(([k, v]) => `${k} = ${Q.toString(v)}`).join(", ")}\nsymbolic ${symbolic.toSignificantDigits(20)}\noracle   ${oracle.toSignificantDigits(20)}`).toBe(true);
}

describe("simplify(diff(f)) agrees with a high-precision central difference", () => {
  // Only trees that depend on the variable: a constant's derivative is a much weaker check.
  const smooth = smoothArbitrary(3).filter((f) => dependsOn(f, "x"));
  const smoothInBeta = smoothArbitrary(3).filter((f) => dependsOn(f, "beta"));

  test("first derivative in x, random smooth trees at random points", () => {
    fc.assert(fc.property(smooth, pointArb, (f, p) => {
      const env = envOf(p);
      fc.pre(tame(f, env));
      check(f, simplify(diff(f, "x")), centralDifference(f, "x", env), env);
    }), { numRuns: 150 });
  });

  test("second derivative in x", () => {
    fc.assert(fc.property(smoothArbitrary(2).filter((f) => dependsOn(f, "x")), pointArb, (f, p) => {
      const env = envOf(p);
      fc.pre(tame(f, env));
      const second = simplify(diff(simplify(diff(f, "x")), "x"));
      check(f, second, secondDifference(f, "x", env), env);
      // diff(f, x, 2) in one call is the same function (before simplification, too)
      const direct = evaluateBig(diff(f, "x", 2), env, DIFFERENCE_PRECISION);
      expect(agreeTo(direct, evaluateBig(second, env, DIFFERENCE_PRECISION), 30, 1e-40)).toBe(true);
    }), { numRuns: 100 });
  });

  test("derivative with respect to the parameter beta", () => {
    fc.assert(fc.property(smoothInBeta, pointArb, (f, p) => {
      const env = envOf(p);
      fc.pre(tame(f, env));
      check(f, simplify(diff(f, "beta")), centralDifference(f, "beta", env), env);
    }), { numRuns: 100 });
  });

  test("simplify does not change the value (the unsimplified derivative agrees too)", () => {
    fc.assert(fc.property(smooth, pointArb, (f, p) => {
      const env = envOf(p);
      fc.pre(tame(f, env));
      const raw = diff(f, "x");
      const a = evaluateBig(raw, env, DIFFERENCE_PRECISION);
      const b = evaluateBig(simplify(raw), env, DIFFERENCE_PRECISION);
      const size = evaluateBig(f, env, 30).abs().add(1);
      expect(agreeTo(a, b, 40, size.mul("1e-60")), `${print(raw)}\n→ ${print(simplify(raw))}`).toBe(true);
    }), { numRuns: 100 });
  });
});

describe("every builtin's outer derivative, against the oracle", () => {
  const x = sym("x");
  // Points away from every kink (abs, sign at 0; min/max/clip where the arguments meet) and
  // inside every domain (log, sqrt need x > 0; tan avoids its poles).
  const POINTS = ["0.3", "0.75", "1.5", "2.25"].map(Q.fromDecimalString);
  const argumentsOf = (fn: FnName): Expr[] => {
    switch (fnSpec(fn).arity) {
      case 1: return [x];
      case 2: return [x, call("cos", [x])]; // min(x, cos x), max(x, cos x): a tie only near 0.739
      default: return [x, call("cos", [x]), call("exp", [call("sin", [x])])]; // clip(x, cos x, e^sin x)
    }
  };

  test.each([...FN_NAMES])("%s", (fn) => {
    const f = call(fn, argumentsOf(fn));
    const derivative = simplify(diff(f, "x"));
    for (const p of POINTS) {
      const env = new Map([["x", p]]);
      check(f, derivative, centralDifference(f, "x", env), env);
    }
  });
});
