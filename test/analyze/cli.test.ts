import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

/** `actdiff props` as a user runs it: a subprocess, its exit status and output. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function actdiff(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, ACTDIFF_DEBUG: "" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("actdiff props", () => {
  test("text: each property with its value, the checklist, and how each was established", () => {
    const r = actdiff("props", "relu");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^relu\(x\) = x > 0 \? x : 0$/m);
    expect(r.stdout).toMatch(/^range:\s+\[0, \+∞\), bounded below$/m);
    expect(r.stdout).toMatch(/^saturation:\s+left hard \(c = 0\), right none$/m);
    expect(r.stdout).toMatch(/^dead zone:\s+f′ = 0 on \(-∞, 0\]$/m);
    expect(r.stdout).toMatch(/^smoothness:\s+C\^0; at x = 0: continuous, f′ 0 \| 1, C\^0$/m);
    expect(r.stdout).toMatch(/✗ avoids dead neurons/);
    expect(r.stdout).toMatch(/^ {2}dead zone:\s+symbolic: /m);
  });

  test("--json with --param: one object, the issue's keys, ±Infinity as strings", () => {
    const r = actdiff("props", "elu", "--param", "alpha=2", "--json");
    expect(r.status).toBe(0);
    const sheet = JSON.parse(r.stdout);
    expect(sheet.params).toEqual({ alpha: 2 });
    expect(sheet.smoothness.class).toBe("C0");
    expect(sheet.range).toMatchObject({ inf: -2, sup: "Infinity" });
    expect(sheet.method.range.kind).toBe("interval");
  });

  test("--sweep: a table of how the properties change", () => {
    const r = actdiff("props", "swish", "--sweep", "beta=0.1..10", "--steps", "3");
    expect(r.status).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => /^\s*(0\.1|1|10)\s/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/min -2\.784645 @ -12\.78465/);
    expect(r.stdout).toMatch(/changing with beta: .*extrema/);
  });

  test("a malformed sweep is a usage error (exit 2) with a hint", () => {
    const r = actdiff("props", "swish", "--sweep", "beta=1", "--json");
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "E_USAGE" });
  });

  test("a function of several inputs: its own rows, each with how it was established; the one-input rows are not there", () => {
    const r = actdiff("props", "glu");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^glu\(a, b\) = a \* sigmoid\(b\)$/m);
    expect(r.stdout).toMatch(/^factors:\s+\(a\) · \(sigmoid\(b\)\)$/m);
    expect(r.stdout).toMatch(/^affine in:\s+a: yes; b: no$/m);
    expect(r.stdout).toMatch(/^monotonic in:\s+a: non-decreasing; b: for each a: non-decreasing where a > 0, non-increasing where a < 0$/m);
    expect(r.stdout).toMatch(/b → −∞: the gate closes: f → 0 and every partial derivative → 0/);
    expect(r.stdout).toMatch(/^Lipschitz constant:\s+none: ∂f\/∂b unbounded$/m);
    expect(r.stdout).toMatch(/^how each property was established:$/m);
    expect(r.stdout).toMatch(/^ {2}range:\s+symbolic from separation: the product of the factors' ranges/m);
    expect(r.stdout).not.toMatch(/checklist/);
  });

  test("a function of a vector, --json: the proved facts with their methods, the observations labelled as such", () => {
    const r = actdiff("props", "softmax", "--json");
    expect(r.status).toBe(0);
    const sheet = JSON.parse(r.stdout);
    expect(sheet).toMatchObject({ kind: "vector", name: "softmax", input: "x", outputLength: "len(x)", shift: "invariant" });
    expect(sheet.sumToOne).toEqual({ holds: true, claim: "Σ_i softmax(x)_i = 1" });
    expect(sheet.method.sumToOne.kind).toBe("symbolic");
    expect(sheet.range.inf).toEqual({ value: 0, status: "exact", attained: false });
    expect(sheet.lipschitz.bound).toEqual({ value: 0.5, text: "1/2", attained: true });
    expect(sheet.lipschitz.observed.samples).toBe(1005);
    expect(sheet.method.lipschitz.detail).toMatch(/largest ‖J‖₂ observed on 1005 seeded random vectors/);
  });

  test("log_softmax: no upper bound is claimed that was not proved", () => {
    const r = actdiff("props", "log_softmax");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^range of each output:\s+\(-∞, 0\); 0 approached, no upper bound proved \(largest observed -[\d.e-]+\)$/m);
    expect(r.stdout).toMatch(/^sum:\s+Σ_i exp\(log_softmax\(x\)_i\) = 1 \(verified, not proved\)$/m);
    expect(r.stdout).toMatch(/^Lipschitz constant \(sup ‖J‖₂\):\s+√N \(vectors of N ≥ 2 elements\), approached, not attained; largest observed 2\.828\d* on 1005 samples$/m);
  });

  test("--sweep is for functions of one input", () => {
    const r = actdiff("props", "maxout", "--sweep", "k=1..4");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--sweep is for functions of one input; maxout takes a vector/);
  });
});
