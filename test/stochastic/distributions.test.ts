import { describe, expect, test } from "vitest";
import { sym } from "../../src/ast/build.js";
import { print } from "../../src/ast/print.js";
import { DISTRIBUTIONS, distributionNames } from "../../src/random/distributions.js";
import { fillDraws } from "../../src/random/draws.js";

/**
 * The draws against the distributions they claim, by the Kolmogorov–Smirnov test on 10⁶ seeded
 * draws: D = sup |F_n − F|, rejected at α = 0.001 above c(α)/√n with c(α) = √(−ln(α/2)/2) ≈
 * 1.9495 (the asymptotic critical value; at n = 10⁶ its error is far below the last digit).
 * The seeds are fixed, so each verdict is a fact about these draws, not a coin toss; each test
 * also shows that the same draws are rejected for a slightly different distribution, so that a
 * pass means something.
 */
const N = 1_000_000;
const ALPHA = 0.001;
const CRITICAL = Math.sqrt(-Math.log(ALPHA / 2) / 2) / Math.sqrt(N);

/** D = sup |F_n(x) − F(x)| over the sorted sample: at each point the step's top and bottom. */
function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(sample).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * erf by Abramowitz and Stegun 7.1.26 — independent of actdiff's own erf; its error, below
 * 1.5e-7, is four orders of magnitude under the critical value.
 */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const y = 1 - poly * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
const normalCdf = (mean: number, sd: number) => (x: number): number => (1 + erf((x - mean) / (sd * Math.SQRT2))) / 2;
const uniformCdf = (lower: number, upper: number) => (x: number): number => Math.min(1, Math.max(0, (x - lower) / (upper - lower)));

const draws = (distribution: "uniform" | "normal", args: number[], seed: number, n = N): Float64Array => {
  const out = new Float64Array(n);
  fillDraws(out, distribution, args, { seed }, 0);
  return out;
};

const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
const variance = (a: Float64Array): number => {
  const m = mean(a);
  return a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1);
};

describe(`Kolmogorov–Smirnov on ${N} draws, α = ${ALPHA}: D < ${CRITICAL.toFixed(6)}`, () => {
  test("uniform(1/8, 1/3), rrelu's slope, seed 2024", () => {
    const sample = draws("uniform", [1 / 8, 1 / 3], 2024);
    const d = ksStatistic(sample, uniformCdf(1 / 8, 1 / 3));
    expect(d).toBeLessThan(CRITICAL);
    expect(sample.every((a) => a >= 1 / 8 && a < 1 / 3)).toBe(true);
    // the same draws against U(1/8, 0.34): rejected
    expect(ksStatistic(sample, uniformCdf(1 / 8, 0.34))).toBeGreaterThan(CRITICAL);
  });

  test("normal(0, 1), noisy_relu's noise at its default, seed 7", () => {
    const sample = draws("normal", [0, 1], 7);
    expect(ksStatistic(sample, normalCdf(0, 1))).toBeLessThan(CRITICAL);
    expect(ksStatistic(sample, normalCdf(0, 1.02))).toBeGreaterThan(CRITICAL);
    expect(ksStatistic(sample, normalCdf(0.01, 1))).toBeGreaterThan(CRITICAL);
  });

  test("normal(0.5, 2): the second argument is the standard deviation, not the variance; seed 99", () => {
    const sample = draws("normal", [0.5, 2], 99);
    expect(ksStatistic(sample, normalCdf(0.5, 2))).toBeLessThan(CRITICAL);
    expect(ksStatistic(sample, normalCdf(0.5, Math.SQRT2))).toBeGreaterThan(CRITICAL);
    // sample moments within 5 standard errors: var(mean) = σ²/n, var(s²) ≈ 2σ⁴/n
    expect(Math.abs(mean(sample) - 0.5)).toBeLessThan(5 * 2 / Math.sqrt(N));
    expect(Math.abs(variance(sample) - 4)).toBeLessThan(5 * Math.sqrt(2 * 16 / N));
  });
});

describe("independence: no linear dependence between neighbours, streams or seeds", () => {
  /** Pearson's r; for independent samples √n·r is about N(0, 1). */
  const correlation = (a: Float64Array, b: Float64Array): number => {
    const ma = mean(a);
    const mb = mean(b);
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < a.length; i++) {
      sab += (a[i]! - ma) * (b[i]! - mb);
      saa += (a[i]! - ma) ** 2;
      sbb += (b[i]! - mb) ** 2;
    }
    return sab / Math.sqrt(saa * sbb);
  };
  const n = 200_000;
  const stream = (seed: number, k: number): Float64Array => {
    const out = new Float64Array(n + 1);
    fillDraws(out, "normal", [0, 1], { seed }, k);
    return out;
  };

  test("|r| < 5/√n for element i against i + 1, stream 0 against 1, seed 0 against 1", () => {
    const s = stream(0, 0);
    const pairs: [string, Float64Array, Float64Array][] = [
      ["neighbours", s.subarray(0, n), s.subarray(1)],
      ["streams", s, stream(0, 1)],
      ["seeds", s, stream(1, 0)],
    ];
    for (const [what, a, b] of pairs) expect(Math.abs(correlation(a, b)), what).toBeLessThan(5 / Math.sqrt(n));
  });
});

describe("the distribution table", () => {
  test("the means that evaluation mode puts in a variable's place", () => {
    expect(distributionNames()).toEqual(["uniform", "normal"]);
    expect(print(DISTRIBUTIONS.uniform.mean([sym("lower"), sym("upper")]))).toBe("lower / 2 + upper / 2");
    expect(print(DISTRIBUTIONS.normal.mean([sym("mu"), sym("sigma")]))).toBe("mu");
  });

  test("degenerate distributions draw their one value exactly", () => {
    expect(draws("uniform", [0.3, 0.3], 1, 1000).every((a) => a === 0.3)).toBe(true);
    expect(draws("normal", [-2, 0], 1, 1000).every((a) => a === -2)).toBe(true);
  });

  test.each<["uniform" | "normal", number[], string | undefined]>([
    ["uniform", [0, 1], undefined],
    ["uniform", [1, 1], undefined],
    ["uniform", [1, 0], "its lower bound 1 exceeds its upper bound 0"],
    ["uniform", [0, Infinity], "its bounds 0 and Infinity are not both finite"],
    ["normal", [0, 0], undefined],
    ["normal", [0, -1], "its standard deviation -1 is negative"],
    ["normal", [NaN, 1], "its mean NaN and standard deviation 1 are not both finite"],
  ])("%s(%j): %s", (name, args, problem) => {
    expect(DISTRIBUTIONS[name].invalid(args)?.problem).toBe(problem);
  });
});
