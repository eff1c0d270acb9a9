import { Command } from "commander";
import { afterEach, describe, expect, test, vi } from "vitest";
import { action, EXIT } from "../../src/cli/run.js";
import { actdiff, json, noStack, squash, type Run } from "../support/cli.js";

/** The right-hand side of the derivative line, the second of exactly two. */
function derivativeLine(r: Run): string {
  expect(r.status).toBe(0);
  const lines = r.stdout.trimEnd().split("\n");
  expect(lines).toHaveLength(2);
  return squash(lines[1]!.slice(lines[1]!.indexOf(" = ") + 3));
}


describe("diff", () => {
  test.each([
    ["1/(1+exp(-x))", "sigmoid(x) * (1 - sigmoid(x))"],
    ["sigmoid", "sigmoid(x) * (1 - sigmoid(x))"],
    ["log(1 + exp(x))", "sigmoid(x)"],
    ["softplus", "sigmoid(x)"],
    ["tanh(x)", "1 - tanh(x)^2"],
  ])("actdiff diff %s → %s", (source, derivative) => {
    expect(derivativeLine(actdiff("diff", source))).toBe(derivative);
  });

  test("two lines: the definition as written, then the derivative", () => {
    expect(actdiff("diff", "swish").stdout).toBe(
      "swish(x; beta = 1) = x * sigmoid(beta * x)\n" +
      "swish'(x) = sigmoid(beta * x) + beta * x * sigmoid(beta * x) * (1 - sigmoid(beta * x))\n",
    );
    expect(actdiff("diff", "1/(1+exp(-x))").stdout.split("\n")[0]).toBe("f(x) = 1 / (1 + exp(-x))");
  });

  test("labels for a parameter and for higher orders", () => {
    expect(actdiff("diff", "swish", "--wrt", "beta").stdout.split("\n")[1]).toBe("∂/∂beta swish(x) = x^2 * sigmoid(beta * x) * (1 - sigmoid(beta * x))");
    expect(actdiff("diff", "x^3", "--order", "2").stdout.split("\n")[1]).toBe("d^2/dx^2 f(x) = 6 * x");
  });

  test("--json: one object with the documented fields", () => {
    const r = actdiff("diff", "swish", "--json");
    expect(r.status).toBe(0);
    expect(json(r)).toEqual({
      name: "swish", inputs: ["x"], params: [{ name: "beta", default: 1 }],
      expr: "x * sigmoid(beta * x)", simplified: "x * sigmoid(beta * x)",
      derivative: "sigmoid(beta * x) + beta * x * sigmoid(beta * x) * (1 - sigmoid(beta * x))",
      wrt: "x", order: 1,
      latex: { expr: String.raw`x \sigma(\beta x)`, derivative: expect.stringContaining(String.raw`\sigma(\beta x)`) },
    });
  });

  test("an argument starting with '-' goes after --", () => {
    expect(derivativeLine(actdiff("diff", "--", "-x^2"))).toBe("-2 * x");
  });
});

describe("errors", () => {
  test("an ActdiffError: its message on stderr with the caret line and the hint, exit 2, no stack", () => {
    const r = actdiff("diff", "sigmod(x)");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "error[E_UNKNOWN_NAME]: unknown function 'sigmod' (line 1, column 1)\n" +
      "  1 | sigmod(x)\n" +
      "    | ^^^^^^\n" +
      "hint: did you mean 'sigmoid'?\n",
    );
    noStack(r.stderr);
  });

  test("--json: exactly one object {error} on stdout, exit 2", () => {
    const r = actdiff("diff", "sigmod(x)", "--json");
    expect(r.status).toBe(2);
    expect(json(r)).toEqual({
      error: { code: "E_UNKNOWN_NAME", message: "unknown function 'sigmod'", line: 1, column: 1, offset: 0, length: 6, hint: "did you mean 'sigmoid'?" },
    });
  });

  test.each([
    [["bogus"], "unknown command 'bogus'"],
    [["diff", "x", "--bogus"], "unknown option '--bogus'"],
  ])("commander's own message, exit 2: %j", (args, message) => {
    const r = actdiff(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    noStack(r.stderr);
  });

  test("no definition (neither an argument, --file nor -) is a usage error that names the three ways", () => {
    const r = actdiff("diff");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[E_USAGE]: no definition given");
    expect(r.stderr).toContain("--file <path>, or as - to read standard input");
    noStack(r.stderr);
  });

  test("a non-numeric --order is a usage error, not NaN", () => {
    const r = actdiff("diff", "x^2", "--order", "two");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[E_USAGE]: --order expects a number, not 'two'");
  });

  test("--help shows an example and exits 0", () => {
    const r = actdiff("diff", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("$ actdiff diff softplus");
  });
});

describe("unexpected errors (in process)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  const failing = (json: boolean) => {
    const command = new Command("t");
    if (json) command.option("--json").parseOptions(["--json"]);
    action((_: Command): number => { throw new TypeError("boom"); })(command);
  };

  test("'internal error: …' on stderr, exit 70, no stack", () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    failing(false);
    expect(process.exitCode).toBe(EXIT.internal);
    expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toBe("internal error: boom\n");
  });

  test("under --json, one object on stdout", () => {
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    failing(true);
    expect(process.exitCode).toBe(EXIT.internal);
    expect(JSON.parse(stdout.mock.calls.map((c) => String(c[0])).join(""))).toEqual({ error: { code: "E_INTERNAL", message: "boom" } });
  });
});

describe("eval", () => {
  test("non-finite values travel as strings in JSON", () => {
    const r = actdiff("eval", "log(x)", "--at", "0,-1", "--json");
    expect(r.status).toBe(0);
    expect(json(r)).toEqual({ x: [0, -1], f: ["-Infinity", "NaN"], df: ["Infinity", -1] });
  });

  test("negative points, as --at=… and as a separate argument; full precision", () => {
    const expected = [
      " x          softplus(x)        softplus'(x)",
      "--  -------------------  ------------------",
      "-1  0.31326168751822286  0.2689414213699951",
      " 0   0.6931471805599453                 0.5",
      " 1   1.3132616875182228  0.7310585786300049",
      "",
    ].join("\n");
    expect(actdiff("eval", "softplus", "--at=-1,0,1").stdout).toBe(expected);
    expect(actdiff("eval", "softplus", "--at", "-1,0,1").stdout).toBe(expected);
  });

  test("--param may repeat and overrides defaults", () => {
    const r = actdiff("eval", "rrelu", "--at", "-2", "--param", "lower=0.5", "--param", "upper=1.5", "--json");
    expect(json(r)).toEqual({ x: [-2], f: [-2], df: [1] });
  });

  test.each([
    [["--at", "1,x"], "error[E_USAGE]: --at expects a number, not 'x' (line 1, column 3)\n  1 | 1,x\n    |   ^\n"],
    [["--at", "1,,2"], "--at expects a number, not ''"],
    [["--at", "1", "--param", "alpha=two"], "--param expects a number, not 'two'"],
    [["--at", "1", "--param", "alph=2"], "did you mean 'alpha'?"],
    [["--at", "1", "--param", "alpha"], "--param expects name=value"],
  ])("bad input is exit 2: %j", (args, message) => {
    const r = actdiff("eval", "elu", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test("a parameter the activation does not have is an error even when it has none", () => {
    const r = actdiff("eval", "x", "--at", "1", "--param", "beta=2");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("f has no parameter 'beta'");
  });
});

describe("verify", () => {
  test("holds: exit 0", () => {
    const r = actdiff("verify", "diff(softplus(x), x) = sigmoid(x)");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^verdict: +proved\nmethod: +symbolic/);
  });

  test("refuted: exit 1, with the counterexample and the piece", () => {
    const r = actdiff("verify", "diff(relu(x), x) = 1");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("verdict:   refuted");
    expect(r.stdout).toContain("at:        x = -1");
    expect(r.stdout).toContain("piece:     otherwise (not x > 0)");
  });

  test("refuted, --json: one object with the counterexample", () => {
    const r = actdiff("verify", "diff(relu(x), x) = 1", "--json");
    expect(r.status).toBe(1);
    expect(json(r)).toMatchObject({
      status: "refuted", method: "numeric", lhs: "x > 0 ? 1 : 0", rhs: "1",
      counterexample: { at: { x: -1 }, lhs: "0", rhs: "1", piece: "otherwise (not x > 0)" },
    });
  });

  test("bad input: exit 2", () => {
    const r = actdiff("verify", "x =");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[E_EOF]");
  });
});

describe("list, latex, catalog", () => {
  test("list --json: every seed activation is available, none planned", () => {
    const r = actdiff("list", "--json");
    expect(r.status).toBe(0);
    const byName = new Map(json(r).activations.map((a: any) => [a.name, a]));
    for (const name of ["softmax", "maxout", "noisy_relu", "log_softmax", "logsumexp", "glu"]) expect(byName.get(name)).toMatchObject({ status: "available" });
    expect(json(r).activations.filter((a: any) => a.status === "planned")).toEqual([]);
    expect(byName.get("leaky_relu")).toMatchObject({
      status: "available", params: [{ name: "negative_slope", default: 0.01 }], kink: expect.stringContaining("leaky_relu'(0)"),
    });
  });

  test("latex --json", () => {
    const r = actdiff("latex", "softsign", "--json");
    expect(json(r)).toEqual({ name: "softsign", expr: String.raw`\frac{x}{1 + \left|x\right|}`, derivative: expect.any(String) });
  });

  test("catalog: every available activation verified, exit 0", () => {
    const r = actdiff("catalog");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\n(\d+) activations, \1 derivatives verified\n$/);
    expect(r.stdout).toContain("relu6 (x = 0, 6)");
  });
});
