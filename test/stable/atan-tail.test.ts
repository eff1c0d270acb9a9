import { helperSource } from "../../src/codegen/helpers.js";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as Q from "../../src/ast/rational.js";
import { ulpDistance } from "../../src/audit/ulps.js";
import { fnSpec } from "../../src/functions/table.js";
import { bigContext } from "../../src/numeric/big.js";

/**
 * atan_tail(u) = π/2 + atan(u) + u/(1 + u²), the builtin behind xwish′: its float64 evaluation
 * against its own 60-digit evaluation (which carries guard digits for the cancellation), on
 * every piece of its implementation; its standalone source (emitted modules) against its `evaluate`, bit for bit.
 */
const spec = fnSpec("atan_tail");
const D = bigContext(60);
const exact = (u: number) => {
  const r = Q.fromNumber(u);
  return new D(r.n.toString()).div(r.d.toString());
};
const standalone = new Function(`"use strict";\n${helperSource("atan_tail", false)}\nreturn h_atan_tail;`)() as (u: number) => number;

// The pieces: the tail series far out, both polynomials, −atan(1/u) on [−1, 0), the plain sum on u ≥ 0.
const PIECES: readonly (readonly [number, number])[] = [[-1e300, -1e6], [-1e6, -8], [-8, -2], [-2, -1], [-1, -0.5], [-0.5, 0], [0, 8], [8, 1e300]];

describe("atan_tail", () => {
  test.each(PIECES)("on [%d, %d]: within 3 ulps of the 60-digit value", (lo, hi) => {
    fc.assert(fc.property(fc.double({ min: lo, max: hi, noNaN: true }), (u) => {
      const truth = spec.evaluateBig(D, [exact(u)]).toNumber();
      if (Math.abs(truth) < 2 ** -1022) return; // subnormal tail: not measured in ulps
      expect(ulpDistance(spec.evaluate(u), truth, "float64"), `u = ${u}`).toBeLessThanOrEqual(3);
    }), { numRuns: 300 });
  });

  test("the standalone source computes the same bits as evaluate", () => {
    fc.assert(fc.property(fc.double(), (u) => {
      expect(Object.is(standalone(u), spec.evaluate(u)), `u = ${u}`).toBe(true);
    }), { numRuns: 2000 });
  });

  test.each([
    [-Infinity, 0], [-1e308, 0], [0, Math.PI / 2], [-0, Math.PI / 2], [-5e-324, Math.PI / 2], [1e200, Math.PI], [Infinity, Math.PI],
  ])("atan_tail(%d) = %d", (u, value) => {
    expect(spec.evaluate(u)).toBe(value);
    expect(standalone(u)).toBe(value);
  });

  test("NaN in, NaN out", () => {
    expect(spec.evaluate(NaN)).toBeNaN();
    expect(spec.evaluateBig(D, [new D(NaN)]).isNaN()).toBe(true);
  });

  test("the tail is 2/(3|u|³) to leading order, not 0: at u = −1e100 it is 6.67e-301", () => {
    expect(spec.evaluate(-1e100) / (2 / 3 / 1e300)).toBeCloseTo(1, 12);
    expect(ulpDistance(spec.evaluate(-1e100), spec.evaluateBig(D, [exact(-1e100)]).toNumber(), "float64")).toBeLessThanOrEqual(3);
  });
});

/**
 * atan_rem(v) = atan(v) − v/(1 + v²), the builtin behind the branch-free stable forms of xwish and
 * xwish′ (v = min(|u|, 1/|u|) there): a fitted rational on |v| ≤ 1, the formula beyond.
 */
describe("atan_rem", () => {
  const rem = fnSpec("atan_rem");
  const standaloneRem = new Function(`"use strict";\n${helperSource("atan_rem", false)}\nreturn h_atan_rem;`)() as (v: number) => number;
  const REM_PIECES: readonly (readonly [number, number])[] = [[1e-100, 1e-8], [1e-8, 1e-3], [1e-3, 0.5], [0.5, 1], [-1, -1e-3], [1, 8], [8, 1e300], [-1e300, -1]];

  test.each(REM_PIECES)("on [%d, %d]: within 4 ulps of the 60-digit value", (lo, hi) => {
    fc.assert(fc.property(fc.double({ min: lo, max: hi, noNaN: true }), (v) => {
      const truth = rem.evaluateBig(D, [exact(v)]).toNumber();
      if (Math.abs(truth) < 2 ** -1022) return;
      expect(ulpDistance(rem.evaluate(v), truth, "float64"), `v = ${v}`).toBeLessThanOrEqual(4);
    }), { numRuns: 300 });
  });

  test("odd, and 2v³/3 to leading order: at v = 1e-50 it is 6.67e-151, not 0", () => {
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
      expect(Object.is(rem.evaluate(-v), -rem.evaluate(v)), `v = ${v}`).toBe(true);
    }), { numRuns: 500 });
    expect(rem.evaluate(1e-50) / (2 / 3 * 1e-150)).toBeCloseTo(1, 12);
  });

  test("the standalone source computes the same bits as evaluate", () => {
    fc.assert(fc.property(fc.double(), (v) => {
      expect(Object.is(standaloneRem(v), rem.evaluate(v)), `v = ${v}`).toBe(true);
    }), { numRuns: 2000 });
  });

  test.each([[0, 0], [-0, -0], [1, Math.PI / 4 - 0.5], [Infinity, Math.PI / 2], [-Infinity, -Math.PI / 2]])("atan_rem(%d) = %d", (v, value) => {
    expect(rem.evaluate(v)).toBeCloseTo(value, 15);
    expect(Object.is(Math.sign(rem.evaluate(v)), Math.sign(value))).toBe(true);
  });

  test("NaN in, NaN out", () => {
    expect(rem.evaluate(NaN)).toBeNaN();
    expect(standaloneRem(NaN)).toBeNaN();
    expect(rem.evaluateBig(D, [new D(NaN)]).isNaN()).toBe(true);
  });
});
