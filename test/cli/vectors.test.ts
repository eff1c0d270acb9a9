import { describe, expect, test } from "vitest";
import { actdiff, json, noStack } from "../support/cli.js";

/** The commands for functions of vectors: the Jacobian in index notation, values at vectors, claims. */
describe("diff", () => {
  test("softmax: the definition, the Jacobian in textbook form, the vector–Jacobian product", () => {
    const r = actdiff("diff", "softmax");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      "softmax(x[]) = exp(x) / sum(exp(x))",
      "∂softmax_i/∂x_j = softmax(x)_i * (delta(i, j) - softmax(x)_j)",
      "vjp x: g ↦ softmax(x) * (g - sum(g * softmax(x)))",
      "",
    ].join("\n"));
  });

  test("a user's softmax written with exp gets the same Jacobian; --json has the matrix form in LaTeX", () => {
    const r = json(actdiff("diff", "s(x[]) = exp(x) / sum(exp(x))", "--json"));
    expect(r.jacobian.x).toBe("softmax(x)_i * (delta(i, j) - softmax(x)_j)");
    expect(r.vjp.x).toBe("softmax(x) * (g - sum(g * softmax(x)))");
    expect(r.latex.matrix.x).toContain("\\operatorname{diag}");
  });
});

describe("eval", () => {
  test("one vector per --at; JSON with f and the Jacobian", () => {
    const r = json(actdiff("eval", "log_softmax", "--at", "[1000, 0]", "--at", "[0, 0]", "--json"));
    expect(r.x).toEqual([[1000, 0], [0, 0]]);
    expect(r.f).toEqual([[0, -1000], [-Math.LN2, -Math.LN2]]);
    expect(r.jacobian[1]).toEqual([[0.5, -0.5], [-0.5, 0.5]]);
  });

  test("a scalar-valued function of a vector gives f and grad", () => {
    const r = json(actdiff("eval", "logsumexp", "--at", "[0, 0]", "--json"));
    expect(r).toEqual({ x: [[0, 0]], f: [Math.LN2], grad: [[0.5, 0.5]] });
  });

  test("maxout with its group size, and a bad vector", () => {
    expect(json(actdiff("eval", "maxout", "--at", "[1, 4, 3, 2]", "--json")).f).toEqual([[4, 3]]);
    const bad = actdiff("eval", "softmax", "--at", "[1, x]");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--at expects a vector of numbers, not 'x'");
    noStack(bad.stderr);
    const odd = actdiff("eval", "maxout", "--at", "[1, 2, 3]");
    expect(odd.status).toBe(2);
    expect(odd.stderr).toContain("not a whole number");
  });
});

describe("eval of several vectors", () => {
  const dot = "dot(x[], y[]) = sum(x * y)";

  test("each --at names its vector; the k-th of each name make the k-th point; JSON by input", () => {
    const r = actdiff("eval", dot, "--at", "x=[1, 2]", "--at", "y=[3, 4]", "--at", "x=[0, 1]", "--at", "y=[5, 6]", "--json");
    expect(r.status).toBe(0);
    expect(json(r)).toEqual({
      inputs: { x: [[1, 2], [0, 1]], y: [[3, 4], [5, 6]] },
      f: [11, 6],
      grad: { x: [[3, 4], [5, 6]], y: [[1, 2], [0, 1]] },
    });
  });

  test("a vector-valued function of two vectors: one Jacobian per input", () => {
    const r = actdiff("eval", "h(x[], y[]) = x * softmax(y)", "--at", "x=[2, 3]", "--at", "y=[0, 0]", "--json");
    expect(r.status).toBe(0);
    expect(json(r).jacobian).toEqual({ x: [[[0.5, 0], [0, 0.5]]], y: [[[0.5, -0.5], [-0.75, 0.75]]] });
  });

  test("unnamed, misnamed, uneven and unequal vectors are positioned usage errors", () => {
    const cases: [string[], RegExp][] = [
      [["--at", "[1, 2]", "--at", "[3, 4]"], /name the vector of each --at/],
      [["--at", "x=[1, 2]", "--at", "z=[3, 4]"], /--at names 'z', which is not an input/],
      [["--at", "x=[1, 2]", "--at", "y=[3, 4]", "--at", "x=[5, 6]"], /the same number of --at \(x: 2, y: 1\)/],
      [["--at", "x=[1, 2]", "--at", "y=[3, 4, 5]"], /y has 3 elements and x has 2/],
    ];
    for (const [args, message] of cases) {
      const r = actdiff("eval", dot, ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      noStack(r.stderr);
    }
  });
});

describe("verify", () => {
  test("seed 002's softmax derivative is proved for every N; the i = j formula everywhere is refuted at i ≠ j", () => {
    const proved = actdiff("verify", "diff(softmax(x)_i, x_j) = softmax(x)_i * (delta(i, j) - softmax(x)_j)");
    expect(proved.status).toBe(0);
    expect(proved.stdout).toContain("verdict: proved");
    expect(proved.stdout).toContain("for every length N");
    const refuted = actdiff("verify", "diff(softmax(x)_i, x_j) = softmax(x)_i * (1 - softmax(x)_j)");
    expect(refuted.status).toBe(1);
    expect(refuted.stdout).toContain("(i ≠ j)");
  });
});
