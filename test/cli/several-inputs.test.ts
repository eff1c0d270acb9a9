import { describe, expect, test } from "vitest";
import { actdiff, json, noStack } from "../support/cli.js";

/** The commands for a function of several inputs: a line, a column or a JSON entry per input. */
const GLU = "glu(a, b) = a * sigmoid(b)";

describe("diff", () => {
  test("without --wrt, one line per input after the definition", () => {
    const r = actdiff("diff", GLU);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      "glu(a, b) = a * sigmoid(b)",
      "∂/∂a glu(a, b) = sigmoid(b)",
      "∂/∂b glu(a, b) = a * sigmoid(b) * (1 - sigmoid(b))",
      "",
    ].join("\n"));
  });

  test("--wrt picks one input (or a parameter), --order applies to each line", () => {
    expect(actdiff("diff", GLU, "--wrt", "b").stdout.trimEnd().split("\n")).toEqual([
      "glu(a, b) = a * sigmoid(b)", "∂/∂b glu(a, b) = a * sigmoid(b) * (1 - sigmoid(b))",
    ]);
    const second = actdiff("diff", "swiglu", "--order", "2").stdout.trimEnd().split("\n");
    expect(second).toHaveLength(3);
    expect(second[2]).toBe("∂^2/∂b^2 swiglu(a, b) = 0");
  });

  test("--json gives the gradient by input, with LaTeX", () => {
    const r = json(actdiff("diff", GLU, "--json"));
    expect(r.inputs).toEqual(["a", "b"]);
    expect(r.gradient).toEqual({ a: "sigmoid(b)", b: "a * sigmoid(b) * (1 - sigmoid(b))" });
    expect(r.latex.gradient.a).toBe("\\sigma(b)");
    expect(r.wrt).toBeUndefined();
    expect(json(actdiff("diff", GLU, "--wrt", "a", "--json"))).toMatchObject({ wrt: "a", derivative: "sigmoid(b)" });
  });

  test("a --wrt the function does not have: the derivative is 0, and a note names the inputs and parameters", () => {
    const r = actdiff("diff", GLU, "--wrt", "c");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("∂/∂c glu(a, b) = 0");
    expect(r.stderr).toContain("note: glu has no input or parameter 'c', so its derivative with respect to it is 0 (its inputs: a, b; parameters: none)");
    noStack(r.stderr);
  });
});

describe("eval", () => {
  test("one --at list per input, by name, in any order; a row per point", () => {
    const r = actdiff("eval", GLU, "--at", "b=0,1,-1", "--at", "a=2,3,4");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]!.split(/\s+/).filter(Boolean)).toEqual(["a", "b", "glu(a,", "b)", "∂glu/∂a", "∂glu/∂b"]);
    expect(lines[2]!.split(/\s+/).filter(Boolean)).toEqual(["2", "0", "1", "0.5", "0.5"]);
    expect(lines).toHaveLength(5);
  });

  test("--json: inputs, f and grad by input", () => {
    const r = json(actdiff("eval", GLU, "--at", "a=1,2", "--at", "b=0,-1000", "--json"));
    expect(r.inputs).toEqual({ a: [1, 2], b: [0, -1000] });
    expect(r.f).toEqual([0.5, 2 * Math.exp(-1000) / (1 + Math.exp(-1000))]);
    expect(r.grad.a).toEqual([0.5, 0]);
    expect(r.grad.b[0]).toBe(0.25);
  });

  test("unnamed lists are taken in the inputs' order; a catalog name works as well as a definition", () => {
    expect(json(actdiff("eval", "glu", "--at", "1", "--at", "0", "--json")).f).toEqual([0.5]);
  });

  test.each([
    [["--at", "a=1,2", "--at", "b=1"], "the --at lists have different lengths (a: 2, b: 1)"],
    [["--at", "a=1", "--at", "c=1"], "--at names 'c', which is not an input"],
    [["--at", "a=1"], "no --at list for the input 'b'"],
    [["--at", "1,2"], "2 --at lists, one per input (a, b), expected, not 1"],
    [["--at", "a=1", "--at", "2"], "name every --at list or none of them"],
    [["--at", "a=1", "--at", "a=2", "--at", "b=3"], "--at gives the points of 'a' twice"],
    [["--at", "a=1,x", "--at", "b=1"], "--at expects a number, not 'x' (line 1, column 5)"],
  ])("%j → %s", (args, message) => {
    const r = actdiff("eval", GLU, ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    noStack(r.stderr);
  });

  test("one input keeps its output, and may name its list too", () => {
    expect(json(actdiff("eval", "softplus", "--at", "x=0", "--json"))).toEqual({ x: [0], f: [Math.LN2], df: [0.5] });
  });
});

describe("latex and emit", () => {
  test("latex: one partial derivative per input", () => {
    expect(actdiff("latex", GLU).stdout.trimEnd().split("\n")).toEqual([
      "\\mathrm{glu}(a, b) = a \\sigma(b)",
      "\\frac{\\partial \\mathrm{glu}}{\\partial a}(a, b) = \\sigma(b)",
      "\\frac{\\partial \\mathrm{glu}}{\\partial b}(a, b) = a \\sigma(b) (1 - \\sigma(b))",
    ]);
    expect(json(actdiff("latex", GLU, "--json")).gradient).toEqual({ a: "\\sigma(b)", b: "a \\sigma(b) (1 - \\sigma(b))" });
  });

  test("emit: a module with f, grad, valueAndGrad and kernels over both inputs", () => {
    const r = actdiff("emit", GLU);
    expect(r.status).toBe(0);
    for (const line of [
      "//   ∂/∂b glu(a, b) = a * sigmoid(b) * (1 - sigmoid(b))",
      "export function grad(a, b) {",
      "export function backward(a, b, gradOut, grad_a, grad_b) {",
      "export function fused(a, b, gradOut, out, grad_a, grad_b) {",
    ]) expect(r.stdout).toContain(line);
  });
});
