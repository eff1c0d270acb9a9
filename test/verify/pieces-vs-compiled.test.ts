import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/index.js";
import * as Q from "../../src/ast/rational.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { evaluateFloat } from "../../src/numeric/evaluate.js";
import { exactBreakpoints, isPiecewise, piecesOf, specialise } from "../../src/verify/pieces.js";
import { verify } from "../../src/index.js";
import { kinks } from "../../src/verify/kinks.js";
import { breakpoints } from "../../src/verify/points.js";
import { parse } from "../../src/index.js";

/**
 * The verifier proves a piecewise derivative piece by piece; the generated f′ must compute what
 * it proved, on every piece (issue 17 §5): where f is flat (√relu(x) for x < 0) f′ is 0, not the
 * 0/0 that the product f′(u)·u′ would give there in floating point.
 */
function compare(source: string): void {
  const f = define(source);
  const d = f.derivative();
  const compiled = d.compile();
  const value = f.compile();
  const defaults = f.paramValues();
  const params = new Map(f.params.map((p, i) => [p.name, defaults[i]!] as const));
  const exact = new Map(f.params.map((p, i) => [p.name, Q.fromNumber(defaults[i]!)] as const));
  // Exact breakpoints where the switches are linear, else located numerically (1/relu(x) = 9).
  const bps = exactBreakpoints([f.expr, d.expr], "x") ?? breakpoints([f.expr, d.expr], "x", exact);
  for (const piece of piecesOf(bps, "x")) {
    const lo = piece.lo === undefined ? Q.toNumber(piece.inside) - 3 : Q.toNumber(piece.lo);
    const hi = piece.hi === undefined ? Q.toNumber(piece.inside) + 3 : Q.toNumber(piece.hi);
    const formula = specialise(d.expr, new Map([...params, ["x", Q.toNumber(piece.inside)]]));
    for (const t of [0.1, 0.37, 0.5, 0.83, 0.9]) {
      const x = lo + (hi - lo) * t;
      if (!Number.isFinite(value(x))) continue; // where f itself has no value, neither has f′
      const proved = evaluateFloat(formula, new Map([...params, ["x", x]]));
      if (!Number.isFinite(proved)) continue;
      const got = compiled(x);
      expect(Number.isFinite(got), `${source}: f′(${x}) on ${piece.label} is ${got}; the piece's formula gives ${proved}`).toBe(true);
      expect(Math.abs(got - proved), `${source} at ${x} (${piece.label})`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(proved)));
    }
  }
}

const OUTER = ["sqrt(U)", "U^(3/2)", "min(9, 1 / U)", "tanh(U)", "exp(-U) * 2", "sqrt(U + 1)", "U^2 / (1 + U)"];
const INNER = ["relu(x)", "relu(-x)", "max(0, x - 1)", "clip(x, 0, 1)", "abs(x)", "max(0, 2 * x + 1)", "min(0, x)^2"];

describe("verify's pieces and the compiled f′ agree on every piece", () => {
  test("the issue's cases: √relu(x), 0^x, min(9, 1/relu(x))", () => {
    for (const s of ["sqrt(relu(x))", "min(9, 1 / relu(x))"]) compare(s);
    const zeroPow = define("0^x").derivative().compile();
    for (const x of [0.5, 1, 3]) expect(zeroPow(x)).toBe(0);
    expect(define("sqrt(relu(x))").derivative().compile()(-1)).toBe(0);
    expect(define("min(9, 1 / relu(x))").derivative().compile()(-1)).toBe(0);
  });

  test("law: for any smooth outer function of a piecewise inner one, f′ is the proved piece formula wherever both are finite", () => {
    fc.assert(fc.property(fc.constantFrom(...OUTER), fc.constantFrom(...INNER), (outer, inner) => {
      compare(outer.replaceAll("U", `(${inner})`));
    }), { numRuns: 30, seed: 5 });
  }, 120_000);

  test("every piecewise catalog activation of one input", () => {
    const piecewise = oneInputActivations().filter((e) => isPiecewise(define(e.name).expr));
    expect(piecewise.length).toBeGreaterThan(5);
    for (const e of piecewise) compare(e.name);
  }, 120_000);
});

describe("what verify says at a breakpoint is a fact, not a numeric artefact", () => {
  test("√relu is continuous at 0, its derivative jumps from 0 to +∞", () => {
    const [k] = verify("diff(sqrt(relu(x)), x) = x > 0 ? 1 / (2 * sqrt(x)) : 0").kinks ?? [];
    expect(k).toMatchObject({ at: 0, continuous: true, summary: "continuous at 0 (value 0); the derivative jumps from 0 to Infinity" });
  });

  test("one-sided limits from the piece formulas: exact where they are defined at the breakpoint", () => {
    const f = parse("f(x) = x > 0 ? x^(1/3) : 0").body;
    expect(kinks(f, "x", new Map())[0]).toMatchObject({ continuous: true, left: { value: "0" }, right: { value: "0", derivative: "Infinity" } });
    const pole = parse("f(x) = x > 0 ? 1/x : -1/x").body;
    expect(kinks(pole, "x", new Map())[0]?.summary).toBe("not continuous at 0: the value tends to Infinity from the left and to Infinity from the right");
  });
});
