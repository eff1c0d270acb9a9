import { describe, expect, test } from "vitest";
import { define, parse } from "../../src/index.js";
import type { Expr } from "../../src/ast/nodes.js";
import { print } from "../../src/ast/print.js";
import * as Q from "../../src/ast/rational.js";
import { diff } from "../../src/diff/diff.js";
import { simplify } from "../../src/simplify/simplify.js";
import { referenceValue } from "../../src/numeric/reference.js";
import { ulpDistance } from "../../src/audit/ulps.js";
import { evaluateFloat } from "../../src/numeric/evaluate.js";
import { splitRegimes } from "../../src/stable/regimes.js";
import { stabilize } from "../../src/stable/stabilize.js";
import { verifyEquality } from "../../src/verify/verify.js";

/**
 * Regime splitting (src/stable/regimes.ts): where two forms of a formula are each accurate on a
 * side of a point and neither over the whole range, the generated code branches between them. The
 * bound is the audit's, max(4, 4κ) ulps in float64 over [−1000, 1000], κ = |x·f′/f| of the
 * function computed, against the 40-digit reference of the mathematics.
 */

/** [−1000, 1000]: a grid, a finer one within ±40, toward 0 from both sides, and the overflow edges. */
const POINTS: readonly number[] = (() => {
  const xs = new Set<number>();
  for (let i = -50; i <= 50; i++) xs.add(i * 20 + 0.37);
  for (let i = -40; i <= 40; i++) xs.add(i + 0.0123);
  for (let k = 1; k <= 300; k += 13) xs.add(10 ** -k).add(-(10 ** -k));
  for (const x of [-745, -710, -709.5, 709.5, 710, 745, 1000, -1000, 0.5, -0.5]) xs.add(x);
  return [...xs].sort((a, b) => a - b);
})();

/**
 * Where `code` (a function of x) is beyond max(4, 4κ) ulps of `math`, or not finite where the
 * truth is; `slope` is math′ (simplified: e^x/(e^x − 1) − e^(2x)/(e^x − 1)² at x = 1000 cancels
 * beyond any precision the reference tries).
 */
function failures(math: Expr, code: (x: number) => number, points: readonly number[] = POINTS, slope: Expr = simplify(diff(math, "x"))): string[] {
  const out: string[] = [];
  for (const x of points) {
    const env = new Map([["x", Q.fromNumber(x)]]);
    const truth = referenceValue(math, env);
    if (truth === undefined || truth.isNaN()) continue;
    const t = truth.toNumber();
    const got = code(x);
    if (!Number.isFinite(t)) {
      if (got !== t) out.push(`x = ${x}: ${got}, truth ${t}`);
      continue;
    }
    if (!Number.isFinite(got)) {
      out.push(`x = ${x}: ${got}, truth ${t}`);
      continue;
    }
    const d = referenceValue(slope, env)?.toNumber();
    if (d === undefined) {
      out.push(`x = ${x}: no reference for κ`);
      continue;
    }
    const kappa = t === 0 ? Infinity : Math.abs((x * d) / t);
    const bound = Math.max(4, 4 * kappa);
    const ulps = ulpDistance(got, t, "float64");
    if (!(ulps <= bound)) out.push(`x = ${x}: ${got}, truth ${t}: ${ulps} ulps, bound ${bound.toPrecision(3)}`);
  }
  return out;
}

const at = (e: Expr) => (x: number): number => evaluateFloat(e, new Map([["x", x]]));

/** The split a stable form is: u < T ? below : above (or u > T as a reader writes −u < −T). */
function split(stable: Expr): { readonly below: Expr; readonly above: Expr; readonly T: number } {
  expect(stable.kind, print(stable)).toBe("piecewise");
  if (stable.kind !== "piecewise") throw new Error("not a split");
  const [{ when, then }] = stable.branches;
  if (when?.kind !== "compare" || when.right.kind !== "num" || when.left.kind !== "sym") throw new Error(`not a split on x: ${print(stable)}`);
  const T = Q.toNumber(when.right.value);
  return when.op === "<" ? { below: then!, above: stable.otherwise, T } : { below: stable.otherwise, above: then!, T };
}

/**
 * Formulas where neither form alone meets the bound and the split does: the inverse of softplus
 * log(e^x − 1) (log(expm1(x)) is ∞ from 709.78 on, x + log1p(−e^(−x)) loses x's digits near 0),
 * its derivative e^x/(e^x − 1) (Herbie's "expq2"; NaN = ∞/∞ from 709.78 on, −0 below −709.78 with
 * e^x divided out), the same with the exponential written on the other side, and a sum that a
 * max-shift cannot take (x² is no exponential): log(1 + x² + e^x).
 */
const SPLITS: readonly string[] = ["log(exp(x) - 1)", "exp(x) / (exp(x) - 1)", "1 / (1 - exp(-x))", "log(1 + x^2 + exp(x))"];

describe("where neither form alone is accurate over [−1000, 1000], the split is", () => {
  test.each(SPLITS)("%s", (source) => {
    const math = parse(source).body;
    const { below, above } = split(stabilize(math));
    expect(failures(math, at(below)), `${print(below)} alone`).not.toEqual([]);
    expect(failures(math, at(above)), `${print(above)} alone`).not.toEqual([]);
    // The generated code, f and f′ both (f′ is the derivative of the mathematics, stabilised in its turn).
    const activation = define(source);
    const fg = activation.compileValueAndGrad();
    expect(failures(activation.expr, (x) => (fg(x) as [number, number])[0])).toEqual([]);
    expect(failures(activation.derivative().expr, (x) => (fg(x) as [number, number])[1])).toEqual([]);
  });
});

describe("the split point lies where both forms are accurate", () => {
  test.each(SPLITS)("%s", (source) => {
    const math = parse(source).body;
    const { below, above, T } = split(stabilize(math));
    // Points around T, a tenth of its magnitude (or of 1) on each side.
    const h = Math.max(1, Math.abs(T)) / 10;
    const around = Array.from({ length: 21 }, (_, i) => T + ((i - 10) / 10) * h);
    expect(failures(math, at(below), around), `${print(below)} near ${T}`).toEqual([]);
    expect(failures(math, at(above), around), `${print(above)} near ${T}`).toEqual([]);
  });
});

describe("the two forms of a split are equal (the verifier: proved, or 40 digits)", () => {
  test.each(SPLITS)("%s", (source) => {
    const math = parse(source).body;
    const stable = stabilize(math);
    const { below, above } = split(stable);
    const branches = verifyEquality(below, above);
    expect(["proved", "verified"], `${print(below)} = ${print(above)}: ${branches.detail}`).toContain(branches.verdict);
    const whole = verifyEquality(math, stable);
    expect(["proved", "verified"], whole.detail).toContain(whole.verdict);
  });
});

/**
 * However the formula is written: the exponential on either side, expm1 spelled out or not, the
 * input of the subexpression other than x (the branch then tests it: log(e^(x²) − 1) splits in
 * x², not in x, whose sides are symmetric).
 */
const SPELLINGS: readonly (readonly [string, string])[] = [
  ["log(exp(x) - 1)", "x < 400 ? log(expm1(x)) : x + log1p(-exp(-x))"],
  ["log(-1 + exp(x))", "x < 400 ? log(expm1(x)) : x + log1p(-exp(-x))"],
  ["log(expm1(x))", "x < 400 ? log(expm1(x)) : x + log1p(-exp(-x))"],
  ["log(exp(x^2) - 1)", "x^2 < 400 ? log(expm1(x^2)) : x^2 + log1p(-exp(-x^2))"],
  ["log(exp(2 * x) - 1)", "2 * x < 400 ? log(expm1(2 * x)) : 2 * x + log1p(-exp(-2 * x))"],
  ["1 / (1 - exp(-x))", "x < 0 ? exp(x) / (x < -0.7 ? exp(x) - 1 : expm1(x)) : -1 / expm1(-x)"],
  ["exp(x) / (exp(x) - 1)", "x < 0 ? exp(x) / (x < -0.7 ? exp(x) - 1 : expm1(x)) : -1 / expm1(-x)"],
  ["1 / (exp(x) - 1)", "x < 0 ? 1 / expm1(x) : -exp(-x) / "],
  // One form accurate everywhere: no branch, the log absorbs its neighbour.
  ["log(1 + exp(x)) - x", "softplus(-x)"],
  ["log(exp(x) + 1) - x", "softplus(-x)"],
  ["x + log(1 + exp(-x))", "softplus(x)"],
  ["log(1 + exp(-x)) + x", "softplus(x)"],
];

describe("the split is found however the formula is written", () => {
  test.each(SPELLINGS)("%s → %s", (source, expected) => {
    expect(print(stabilize(define(source).expr))).toContain(expected);
  });
});

describe("kept only if nothing gets worse", () => {
  test("a form already accurate everywhere is kept as it is", () => {
    const math = parse("log(exp(x) - 1)").body;
    const stable = stabilize(math);
    expect(splitRegimes(math, stable, stabilize)).toBeUndefined();
  });

  test("softplus(x) − x: the stable form loses every digit from x ≈ 37 on, the absorbed one none", () => {
    const math = parse("log(1 + exp(x)) - x").body;
    // The truth from softplus(−x), the same function: written as a difference, its reference at
    // x = 1000 would need 480 digits.
    const truth = parse("softplus(-x)").body;
    expect(failures(truth, at(parse("softplus(x) - x").body))).not.toEqual([]);
    expect(print(stabilize(math))).toBe("softplus(-x)");
  });
});

describe("poles that cancel: two quotients as one fraction, whose numerator the rules write without cancellation", () => {
  // 1/x − 1/tan x (Hamming's invcot, FPBench): as written, 1/x and 1/tan x are both ≈ 1/x near 0
  // and their difference, x/3, loses every digit there (0 at 1e−8, truly 3.3e−9). As one fraction,
  // (tan x − x)/(x·tan x), tan x − x is the series rule's; the derivative 1/sin²x − 1/x² alike.
  const near0 = [1e-300, 1e-100, 1e-20, 1e-8, -1e-8, 1e-4, -3e-3, 0.05, 0.3, -0.7, 1.2, 3, -10.5, 100.25];
  test.each(["1/x - 1/tan(x)", "1/x - cos(x)/sin(x)", "-1/tan(x) + x^(-1)"])("%s: f within max(4, 4κ) ulps near 0 and beyond", (source) => {
    const math = define(source).expr;
    expect(failures(math, at(stabilize(math)), near0)).toEqual([]);
    expect(failures(math, at(math), near0)).not.toEqual([]);
  });

  test("1/x − 1/tan x: f′ = 1/sin²x − 1/x² too, from the derivative's own split", () => {
    const f = define("1/x - 1/tan(x)");
    const d = f.derivative().compile();
    for (const x of [1e-8, -1e-5, 1e-3]) expect(Math.abs(d(x) - 1 / 3)).toBeLessThan(1e-6);
  });
});
