import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

/** `actdiff verify` as a user meets it: one exit status per verdict, one JSON object with --json. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function actdiff(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ACTDIFF_DEBUG: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("actdiff verify", () => {
  test.each([
    ["diff(softplus(x), x) = sigmoid(x)", 0, "proved"],
    ["sin(x)^2 + cos(x)^2 = 1", 0, "verified"],
    ["tanh'(x) = 1 - x^2", 1, "refuted"],
    ["sin(x)^2 + cos(x)^2 - 1 = 0", 3, "undecided"],
  ])("%s: exit %i, %s", (claim, status, verdict) => {
    const r = actdiff("verify", claim, "--json");
    expect(r.status).toBe(status);
    const json = JSON.parse(r.stdout);
    expect(json.verdict).toBe(verdict);
    expect(json).toHaveProperty("method");
    expect(json).toHaveProperty("evidence");
    expect(json.status).toBe({ proved: "holds", verified: "holds", refuted: "refuted", undecided: "undecided" }[verdict]);
  });

  test("text: the verdict, how, the counterexample, the slip", () => {
    const r = actdiff("verify", "tanh'(x) = 1 - x^2");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("verdict:   refuted\nmethod:    numeric (the exp-rational decision procedure)\n");
    expect(r.stdout).toContain("at:        x = 1\nlhs there: 0.41997434161402606939\nrhs there: 0\n");
    expect(r.stdout).toContain("slip:      output-form\nhint:      right in output form, wrong in input form");
  });

  test("a kink is reported with the verdict", () => {
    const r = actdiff("verify", "d/dx relu_softplus(x) = x >= 0 ? 1 : sigmoid(x)");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("kink:    continuous at 0 (value 0); the derivative jumps from 0.5 to 1");
  });

  test("bad input: exit 2, the error and no stack", () => {
    const r = actdiff("verify", "d/dx f(x) = 1");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error[E_UNKNOWN_NAME]: unknown function 'f'");
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(actdiff("verify", "x = 1 for x > y").status).toBe(2);
  });
});
