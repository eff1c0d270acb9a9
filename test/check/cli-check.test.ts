import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

/** `actdiff check` as a user meets it: exit 1 when a claim is refuted, one JSON object with --json. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function actdiff(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ACTDIFF_DEBUG: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "actdiff-check-"));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("actdiff check", () => {
  test("--json: {claims: [{line, text, verdict, method, counterexample?, hint?}], skipped: [{line, text, reason}]}; exit 1 on a refuted claim", () => {
    const path = file("notes.md", "# Notes\n\n$$\\frac{d}{dx}\\tanh(x) = 1 - \\tanh^2(x)$$\n\nand $\\tanh'(x) = 1 - x^2$, and $\\frac{1}{1+e^{-x}$.\n");
    const r = actdiff("check", path, "--json");
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.claims).toMatchObject([
      { line: 3, text: "\\frac{d}{dx}\\tanh(x) = 1 - \\tanh^2(x)", verdict: "proved", method: "symbolic" },
      { line: 5, text: "\\tanh'(x) = 1 - x^2", verdict: "refuted", method: "numeric", counterexample: { at: { x: 1 } }, slip: "output-form", hint: expect.stringContaining("right in output form") },
    ]);
    expect(json.skipped).toEqual([{ line: 5, text: "\\frac{1}{1+e^{-x}", reason: "unexpected end of input" }]);
    expect(json.summary).toEqual({ proved: 1, verified: 0, refuted: 1, undecided: 0, skipped: 1 });
  });

  test("text: each claim on its line; exit 0 when nothing is refuted", () => {
    const r = actdiff("check", file("ok.md", "$$\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))$$\n"));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("line    1  proved    \\sigma'(x) = \\sigma(x)(1 - \\sigma(x))");
    expect(r.stdout).toContain("1 claim: 1 proved, 0 verified, 0 refuted, 0 undecided; 0 formulas skipped");
  });

  test("LaTeX by extension, or by --format", () => {
    const tex = "\\begin{equation} \\sigma(-x) = 1 - \\sigma(x) \\end{equation}\n";
    expect(JSON.parse(actdiff("check", file("a.tex", tex), "--json").stdout).claims).toMatchObject([{ line: 1, verdict: "proved" }]);
    expect(JSON.parse(actdiff("check", file("a.txt", tex), "--json", "--format", "latex").stdout).claims).toHaveLength(1);
  });

  test("several files: {files: [...]}; a file that cannot be read is bad input", () => {
    const a = file("x.md", "$\\tanh(x) = 2\\sigma(2x) - 1$");
    const json = JSON.parse(actdiff("check", a, a, "--json").stdout);
    expect(json.files.map((f: { path: string }) => f.path)).toEqual([a, a]);
    const missing = actdiff("check", join(dir, "missing.md"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read");
  });
});
