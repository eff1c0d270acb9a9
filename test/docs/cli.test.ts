import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";

/** `actdiff docs` as a user runs it: a subprocess, its exit status, what it prints and writes. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TMP = mkdtempSync(join(tmpdir(), "actdiff-docs-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
/** A stand-in for the playground's bundle (test/browser/playground.test.ts runs the real one): the same site whether or not `npm run build` ran. */
const BUNDLE = join(TMP, "bundle.js");
writeFileSync(BUNDLE, "// the playground\n");
// And of the worker's code, which scripts/bundle.ts writes beside the bundle.
writeFileSync(join(TMP, "actdiff-engine.js"), "// the playground's worker\n");

function actdiff(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "docs", ...args], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, ACTDIFF_DEBUG: "", ACTDIFF_PLAYGROUND_BUNDLE: BUNDLE },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("actdiff docs", () => {
  test("HTML for named activations: pages, KaTeX's assets, and where the site is", () => {
    const out = join(TMP, "html");
    const r = actdiff("swish", "mish(x) = x * tanh(softplus(x))", "--out", out);
    expect(r).toEqual({ status: 0, stdout: `2 pages written; the site is at ${join(out, "index.html")}\n`, stderr: "" });
    expect(readdirSync(out).sort()).toEqual(["actdiff-engine.js", "actdiff-playground.js", "index.html", "katex", "mish.html", "playground.html", "style.css", "swish.html"]);
    expect(readFileSync(join(out, "actdiff-playground.js"), "utf8")).toBe("// the playground\n");
    expect(existsSync(join(out, "katex", "fonts", "KaTeX_Main-Regular.woff2"))).toBe(true);
  });

  test("Markdown from a file of definitions; quiet when stdout is not a terminal", () => {
    const defs = join(TMP, "defs.act");
    writeFileSync(defs, "# two of mine\nmish(x) = x * tanh(softplus(x))\nmish2(x) = 2 * mish(x)\n");
    const out = join(TMP, "md");
    const r = actdiff("--file", defs, "--out", out, "--format", "md");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`2 pages written; the site is at ${join(out, "index.md")}\n`);
    expect(readdirSync(out).sort()).toEqual(["index.md", "mish.md", "mish2.md", "plots"]);
    expect(readFileSync(join(out, "mish2.md"), "utf8")).toContain("```text\nmish2(x) = 2 * mish(x)\n```");
  });

  test("functions of several inputs and of vectors get pages too, with their own plots", () => {
    const out = join(TMP, "multi");
    const r = actdiff("glu", "softmax", "--out", out, "--format", "md");
    expect(r).toEqual({ status: 0, stdout: `2 pages written; the site is at ${join(out, "index.md")}\n`, stderr: "" });
    expect(readdirSync(join(out, "plots")).sort()).toEqual([
      "glu-d-a.svg", "glu-d-b.svg", "glu-f-a.svg", "glu-f-b.svg", "glu-thumb.svg", "softmax-slice-d1.svg", "softmax-slice.svg", "softmax-thumb.svg",
    ]);
    expect(readFileSync(join(out, "softmax.md"), "utf8")).toContain("| Adding a constant c to every element | invariant: f(x + c) = f(x) | symbolic: ");
  });

  test("bad input is exit 2 with a message, and nothing is written", () => {
    const out = join(TMP, "bad");
    const cases: [string[], RegExp][] = [
      [["swsh", "--out", out], /no catalog activation is called 'swsh'[\s\S]*did you mean 'swish'\?/],
      [["--file", join(TMP, "missing.act"), "--out", out], /cannot read .*missing\.act: ENOENT/],
      [["relu", "--file", join(TMP, "defs.act"), "--out", out], /give activation names or --file, not both/],
      [["relu", "--out", out, "--format", "pdf"], /argument 'pdf' is invalid\. Allowed choices are html, md/],
      [["relu"], /required option '--out <dir>' not specified/],
    ];
    for (const [args, message] of cases) {
      const r = actdiff(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });

  test("an error in a definitions file points at its line", () => {
    const defs = join(TMP, "broken.act");
    writeFileSync(defs, "a(x) = x\nb(x) = a(x) +\n");
    const r = actdiff("--file", defs, "--out", join(TMP, "never"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error\[E_EOF\]: .*broken\.act: .* \(line 2, column \d+\)\n  2 \| b\(x\) = a\(x\) \+\n/);
  });
});
