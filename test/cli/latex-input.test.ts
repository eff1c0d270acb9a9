import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { actdiff, json, noStack, ROOT } from "../support/cli.js";

/**
 * Every command that takes a definition takes it in LaTeX too, pasted from a paper: the same
 * output as the formula language gives, and errors positioned in the LaTeX as given.
 */
const tex = String.raw;
const COLU = tex`\mathrm{CoLU}(x) = \frac{x}{1 - x e^{-(x + e^{x})}}`;
const COLU_FORMULA = "colu(x) = x / (1 - x * exp(-x - exp(x)))";

describe("LaTeX in every command", () => {
  test("diff prints the definition read and its derivative, as for the formula", () => {
    const latex = actdiff("diff", COLU);
    expect(latex.status).toBe(0);
    expect(latex.stdout).toBe(actdiff("diff", COLU_FORMULA).stdout);
    expect(latex.stdout.split("\n")[0]).toBe(COLU_FORMULA);
  });

  test("the README shows this output", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain(`$ actdiff diff '${COLU}'\n${actdiff("diff", COLU).stdout}`);
    expect(readme).toContain(`$ actdiff eval '${COLU}' --at -2,0,1.5\n${actdiff("eval", COLU, "--at", "-2,0,1.5").stdout}`);
  });

  test("eval: values and derivatives, with the parameters a LaTeX head declares", () => {
    const r = actdiff("eval", tex`\mathrm{Swish}(x; \beta = 1) = x \sigma(\beta x)`, "--at", "1", "--param", "beta=2", "--json");
    expect(r.status).toBe(0);
    const sigma = 1 / (1 + Math.exp(-2));
    expect(json(r).f[0]).toBeCloseTo(sigma, 15);
    expect(json(r).df[0]).toBeCloseTo(sigma + 2 * sigma * (1 - sigma), 15);
  });

  test("emit: a module whose f and df are those of the LaTeX", async () => {
    const r = actdiff("emit", tex`f(x) = x \tanh(\ln(1 + e^{x}))`);
    expect(r.status).toBe(0);
    const mod = await import(`data:text/javascript;base64,${Buffer.from(r.stdout).toString("base64")}`) as { f(x: number): number; df(x: number): number };
    const sp = Math.log1p(Math.exp(0.5));
    expect(mod.f(0.5)).toBeCloseTo(0.5 * Math.tanh(sp), 15);
    expect(mod.df(0.5)).toBeCloseTo(Math.tanh(sp) + 0.5 * (1 - Math.tanh(sp) ** 2) / (1 + Math.exp(-0.5)), 15);
  });

  test("props and latex read a bare right-hand side", () => {
    const props = actdiff("props", tex`\frac{x}{1 + \left| x \right|}`, "--json");
    expect(props.status).toBe(0);
    expect(json(props)).toMatchObject({ definition: "f(x) = x / (1 + abs(x))", f0: 0, df0: 1, monotonic: true });
    const latex = actdiff("latex", tex`\begin{cases} x, & x \ge 0 \\ \alpha (e^{x} - 1), & \text{otherwise} \end{cases}`, "--json");
    expect(latex.status).toBe(0);
    expect(json(latex).expr).toBe(tex`\begin{cases} x & \text{if } x \ge 0 \\ \alpha (e^{x} - 1) & \text{otherwise} \end{cases}`);
  });

  test("an error in the LaTeX is positioned in it, with a hint, and no stack trace", () => {
    const r = actdiff("diff", tex`\mathrm{GELU}(x) = x \Phi(x) + g(a x)`);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe([
      "error[E_UNKNOWN_NAME]: unknown function 'g' (line 1, column 32)",
      tex`  1 | \mathrm{GELU}(x) = x \Phi(x) + g(a x)`,
      "    |                                ^",
      tex`hint: g is no function actdiff knows: for a product write g \cdot (…), or declare g a parameter, f(x; g) = …`,
      "",
    ].join("\n"));
    noStack(r.stderr);
  });
});
