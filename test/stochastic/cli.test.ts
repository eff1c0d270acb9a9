import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { actdiff, json, ROOT } from "../support/cli.js";

/**
 * The command line in training mode: `eval --mode train --seed n` draws each random variable
 * for every point (point i draws counter i of the seed) and prints the draws beside f and df;
 * `diff` shows the derivative given the draws, then with each variable at its mean.
 */
describe("eval --mode train", () => {
  test("rrelu with seed 7: the draws as \"noise\" beside f and df, as README shows them", () => {
    const command = "actdiff eval rrelu --mode train --seed 7 --at -1,2 --json";
    const r = actdiff(...command.split(" ").slice(1));
    expect(r.status).toBe(0);
    expect(json(r)).toEqual({
      x: [-1, 2],
      noise: [0.3238744487516305, 0.20978341453115515],
      f: [-0.3238744487516305, 2],
      df: [0.3238744487516305, 1],
      seed: 7,
    });
    const readme = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");
    const shown = readme[readme.indexOf(`$ ${command}`) + 1]!;
    expect(JSON.parse(shown)).toEqual(json(r));
  });

  test("the noise is the API's draws for that seed, and f and df are computed given them", () => {
    const out = json(actdiff("eval", "rrelu", "--mode", "train", "--seed", "12345", "--at", "-3,-0.5,0,0.5,4", "--param", "upper=0.9", "--json"));
    const t = define("rrelu").train();
    const [a] = t.draw({ seed: 12345 }, 5, { upper: 0.9 });
    expect(out.noise).toEqual([...a!]);
    const valueAndGrad = t.compileValueAndGrad();
    expect(out.x.map((x: number, i: number) => valueAndGrad(x, a![i]!, { upper: 0.9 }))).toEqual(out.f.map((f: number, i: number) => [f, out.df[i]]));
  });

  test("the same seed draws the same; another seed, or the default seed 0, differently", () => {
    const run = (...seed: string[]) => actdiff("eval", "noisy_relu", "--mode", "train", ...seed, "--at", "-1,0,1,2", "--json").stdout;
    const seven = run("--seed", "7");
    const byDefault = run();
    expect(run("--seed", "7")).toBe(seven);
    expect(byDefault).toBe(run("--seed", "0"));
    expect(JSON.parse(byDefault).noise).not.toEqual(JSON.parse(seven).noise);
  });

  test("several random variables and inputs: the noise by name, one gradient per input", () => {
    const r = actdiff("eval", "g(u, v) = u * sigmoid(m * v) + n where m ~ uniform(0.5, 1.5), n ~ normal(0, 0.1)", "--mode", "train", "--seed", "3", "--at", "u=1,2", "--at", "v=0,1", "--json");
    const out = json(r);
    expect(Object.keys(out)).toEqual(["inputs", "noise", "f", "grad", "seed"]);
    expect(Object.keys(out.noise)).toEqual(["m", "n"]);
    const [m, n] = define("g(u, v) = u * sigmoid(m * v) + n where m ~ uniform(0.5, 1.5), n ~ normal(0, 0.1)").train().draw({ seed: 3 }, 2);
    expect([out.noise.m, out.noise.n]).toEqual([[...m!], [...n!]]);
    expect(out.grad.u[0]).toBe(0.5); // σ(m · 0)
  });

  test("as text: a line that says what was drawn, then a column per random variable", () => {
    const r = actdiff("eval", "rrelu", "--mode", "train", "--seed", "7", "--at", "-1,2");
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "training mode, seed 7: a ~ uniform(lower, upper), drawn for each point",
      " x                    a             rrelu(x)           rrelu'(x)",
    ]);
  });

  test.each<[string[], string]>([
    [["relu", "--mode", "train", "--at", "1"], "error[E_USAGE]: relu draws no random variables: its training mode would be its evaluation mode"],
    [["rrelu", "--seed", "3", "--at", "1"], "error[E_USAGE]: --seed is for --mode train"],
    [["rrelu", "--mode", "train", "--seed", "1.5", "--at", "1"], "error[E_USAGE]: the seed must be an integer from 0 to 2^53 − 1, not 1.5"],
    [["rrelu", "--mode", "train", "--at", "1", "--param", "lower=0.5", "--param", "upper=0.2"], "error[E_PARAM]: rrelu's 'a' cannot be drawn: its lower bound 0.5 exceeds its upper bound 0.2"],
    [["rrelu", "--mode", "training", "--at", "1"], "argument 'training' is invalid. Allowed choices are eval, train."],
  ])("bad input is exit 2: %j", (args, message) => {
    const r = actdiff("eval", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe("diff and list of activations that draw", () => {
  test("diff rrelu: as written, the derivative given the draw, then with a at its mean", () => {
    const r = actdiff("diff", "rrelu");
    expect(r.stdout).toBe([
      "rrelu(x; lower = 1/8, upper = 1/3) = x > 0 ? x : a * x where a ~ uniform(lower, upper)",
      "rrelu'(x) = x > 0 ? 1 : a where a ~ uniform(lower, upper)",
      "evaluation mode, a = lower / 2 + upper / 2 (the mean):",
      "rrelu'(x) = x > 0 ? 1 : lower / 2 + upper / 2",
      "",
    ].join("\n"));
  });

  test("diff --json keeps the evaluation form's keys and adds \"training\"", () => {
    const out = json(actdiff("diff", "noisy_relu", "--json"));
    expect(out).toMatchObject({ expr: "x >= 0 ? x : 0", derivative: "x >= 0 ? 1 : 0" });
    expect(out.training).toEqual({
      expr: "x >= 0 ? x + y : 0", randoms: [{ name: "y", distribution: "normal", args: ["0", "sigma"] }], derivative: "x >= 0 ? 1 : 0",
    });
  });

  test("list: noisy_relu and rrelu are available, with their random variables", () => {
    const byName = new Map(json(actdiff("list", "--json")).activations.map((a: any) => [a.name, a]));
    expect(byName.get("noisy_relu")).toMatchObject({
      status: "available", definition: "noisy_relu(x; sigma = 1) = x >= 0 ? x + y : 0 where y ~ normal(0, sigma)", params: [{ name: "sigma", default: 1 }],
    });
    expect(byName.get("rrelu")).toMatchObject({ status: "available", definition: expect.stringContaining("where a ~ uniform(lower, upper)") });
  });
});
