import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { noStack, ROOT } from "../support/cli.js";

// Long formulas do not fit a command line: every command that takes a definition or a claim reads
// it from a file (--file) or standard input (-), with a cap on what it reads.

function run(args: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT, encoding: "utf8", input, env: { ...process.env, ACTDIFF_DEBUG: "" }, maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const folder = mkdtempSync(join(tmpdir(), "actdiff-limits-"));
const file = (name: string, text: string): string => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};

describe("--file and -", () => {
  it("diff reads a long sum from a file and from standard input alike", () => {
    const text = Array.from({ length: 5001 }, (_, i) => `${i + 1} * x^${i % 4}`).join(" + ") + "\n";
    const fromFile = run(["diff", "--file", file("sum.act", text)]);
    expect(fromFile.status).toBe(0);
    const fromStdin = run(["diff", "-"], text);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  }, 120_000);

  it("verify reads a claim from standard input; giving an argument and --file is a usage error", () => {
    expect(run(["verify", "-", "--json"], "diff(softplus(x), x) = sigmoid(x)\n").status).toBe(0);
    const both = run(["latex", "x", "--file", file("x.act", "x")]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  }, 120_000);

  it("a stack-deep input given by file is E_TOO_LARGE (exit 2) with the place and a hint, never a stack trace", () => {
    const r = run(["diff", "--file", file("minus.act", "-".repeat(5000) + "x")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error\[E_TOO_LARGE\]: .* \(line 1, column 1001\)/);
    expect(r.stderr).toMatch(/hint:/);
    noStack(r.stderr);
  }, 60_000);

  it("check /dev/zero stops at the cap with a clear error instead of growing to 10 GB", () => {
    const r = run(["check", "/dev/zero"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/E_TOO_LARGE.*\/dev\/zero is larger than 8 MiB/);
  }, 60_000);

  it("diff --order 100 is refused at once", () => {
    const r = run(["diff", "swish", "--order", "100"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/E_TOO_LARGE.*order up to 30/);
  }, 60_000);
});
