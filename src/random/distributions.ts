import { add, div, TWO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";

/**
 * The distributions a random variable of a definition may be drawn from, one record each:
 * everything actdiff knows about a distribution lives in its record, so that a new one is one
 * entry here (`Record<DistributionName, …>` does not compile until it is complete).
 *
 * A record gives the mean as an expression (evaluation mode puts it in the variable's place),
 * the argument values that define no distribution (checked before drawing), and a draw as a
 * function of two independent uniforms of one counter of the generator (src/random/draws.ts):
 * one draw per counter, so that draw i depends on counter i alone.
 */
export type DistributionName = "uniform" | "normal";

export interface DistributionProblem {
  readonly problem: string;
  readonly hint: string;
}

export interface DistributionSpec {
  /** The arguments' names, in order: what `uniform(lower, upper)` takes. */
  readonly args: readonly string[];
  readonly summary: string;
  /** E[X] from the arguments: what evaluation mode puts in the variable's place. */
  readonly mean: (args: readonly Expr[]) => Expr;
  /** What makes these argument values no distribution, or undefined when they define one. */
  readonly invalid: (args: readonly number[]) => DistributionProblem | undefined;
  /** A draw from u0 and u1, independent and uniform on [0, 1) with 53 random bits each. */
  readonly sample: (args: readonly number[], u0: number, u1: number) => number;
}

const TWO_PI = 2 * Math.PI;

export const DISTRIBUTIONS: Readonly<Record<DistributionName, DistributionSpec>> = {
  uniform: {
    args: ["lower", "upper"],
    summary: "uniform on [lower, upper), as torch's uniform_ and rrelu's slope",
    // E[U(l, u)] = (l + u)/2
    mean: ([lower, upper]) => div(add(lower!, upper!), TWO),
    invalid: ([lower, upper]) => {
      if (!Number.isFinite(lower) || !Number.isFinite(upper)) return { problem: `its bounds ${lower} and ${upper} are not both finite`, hint: "give finite bounds" };
      if (lower! > upper!) return { problem: `its lower bound ${lower} exceeds its upper bound ${upper}`, hint: "give lower ≤ upper" };
      return undefined;
    },
    // l + (u − l)·u0 lies in [l, u) and is l exactly when l = u.
    sample: ([lower, upper], u0) => lower! + (upper! - lower!) * u0,
  },
  normal: {
    args: ["mean", "sd"],
    summary: "normal with this mean and standard deviation (not variance), as torch.normal",
    // E[N(μ, σ²)] = μ
    mean: ([mean]) => mean!,
    invalid: ([mean, sd]) => {
      if (!Number.isFinite(mean) || !Number.isFinite(sd)) return { problem: `its mean ${mean} and standard deviation ${sd} are not both finite`, hint: "give finite values" };
      if (sd! < 0) return { problem: `its standard deviation ${sd} is negative`, hint: "give sd ≥ 0 (sd = 0 draws the mean every time)" };
      return undefined;
    },
    // Box–Muller, its cosine half: z = √(−2 ln(1 − u0)) · cos(2π u1) is exactly N(0, 1) for
    // exact uniforms. It uses exactly two uniforms, both from one counter, so draw i is a
    // function of counter i alone; rejection methods (the polar method, the ziggurat) take a
    // varying number of uniforms and would break that. 1 − u0 ∈ (0, 1] is exact, so the log is
    // finite: |z| ≤ √(106 ln 2) ≈ 8.57, the tail a 53-bit uniform can reach.
    sample: ([mean, sd], u0, u1) => mean! + sd! * Math.sqrt(-2 * Math.log(1 - u0)) * Math.cos(TWO_PI * u1),
  },
};

/** The record of a distribution name, or undefined: own keys only (`constructor` is no distribution). */
export const lookupDistribution = (name: string): DistributionName | undefined =>
  Object.hasOwn(DISTRIBUTIONS, name) ? (name as DistributionName) : undefined;

export const distributionNames = (): DistributionName[] => Object.keys(DISTRIBUTIONS) as DistributionName[];
