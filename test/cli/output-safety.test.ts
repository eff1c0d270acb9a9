import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { analyze, define, sheetToJson } from "../../src/index.js";
import { escapeControls, escapeJson } from "../../src/controls.js";
import { plotSvg } from "../../src/docs/plot.js";
import { sampleCurve } from "../../src/docs/sample.js";
import { slugOf } from "../../src/docs/slug.js";
import { ActdiffError } from "../../src/errors.js";
import { actdiff, json, noStack, ROOT } from "../support/cli.js";

/**
 * What actdiff writes is safe to show and to open (issue 17 §5): input echoed to a terminal has
 * its control characters escaped, file names stay inside --out, attributes are escaped, and a
 * bad output path is a usage error, checked before anything is written.
 */

/** What must never reach a terminal raw: C0/C1 controls (ESC, BEL), DEL, bidi controls, separators. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/u;
const CONTROLS = ["\u001b]0;TITLE\u0007", "\u001b[31m", "\u0007", "\u202e", "\u2066", "\u0085", "\u001b]8;;http://x\u001b\\", "\u2028", "\u0000"];

const dir = mkdtempSync(join(tmpdir(), "actdiff-safety-"));

describe("control characters from the input are escaped wherever they are echoed", () => {
  test("law: an error's message has none raw, and the caret stands under the escaped offending character", () => {
    fc.assert(fc.property(fc.constantFrom(...CONTROLS), fc.constantFrom("x + ", "f(x; a = 1) = a * ", "sigmoid(", ""), fc.constantFrom(" * x", " + 1", ""), (bad, before, after) => {
      let err: unknown;
      try {
        define(before + bad + after);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ActdiffError);
      const message = (err as ActdiffError).message;
      expect(message).not.toMatch(UNSAFE);
      const [, sourceLine, caretLine] = message.split("\n");
      if (sourceLine?.includes(" | ") && caretLine?.includes(" | ")) {
        const shown = sourceLine.slice(sourceLine.indexOf(" | ") + 3);
        const caret = caretLine.slice(caretLine.indexOf(" | ") + 3);
        expect(shown.slice(caret.indexOf("^"))).toMatch(/^\\u\{/);
      }
    }), { numRuns: 60 });
  });

  test("escapeJson keeps the JSON value and leaves nothing raw", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => {
      const text = escapeJson(JSON.stringify({ s }, null, 2));
      expect(JSON.parse(text)).toEqual({ s });
      expect(text).not.toMatch(UNSAFE);
      expect(escapeControls(s)).not.toMatch(UNSAFE);
    }), { numRuns: 300 });
  });

  test("the CLI: stderr of an error, --json on stdout, commander's own messages", () => {
    const r = actdiff("diff", "x + \u001b]0;TITLE\u0007");
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(UNSAFE);
    expect(r.stderr).toContain("x + \\u{1b}]0;TITLE\\u{7}");
    const j = actdiff("diff", "x\u202e + 1", "--json");
    expect(j.stdout).not.toMatch(UNSAFE);
    expect(j.stdout).toContain("\\u202e");
    expect(json(j).error.code).toBe("E_CHAR");
    const unknown = actdiff("diff", "x", "--\u001b[31mbad");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).not.toMatch(UNSAFE);
    noStack(unknown.stderr);
  }, 60_000);

  test("check's report echoes the document's text escaped", () => {
    const path = join(dir, "bidi.md");
    writeFileSync(path, "Let $f(x) = x^2$. Then $f'(x) = 2x$ and $g(x) = \u202ex + \u001b]0;T\u0007$.\n");
    const r = actdiff("check", path);
    expect(r.stdout + r.stderr).not.toMatch(UNSAFE);
    expect(r.stdout).toContain("\\u{202e}");
  }, 60_000);
});

describe("file names and attributes of the documentation site", () => {
  test("law: a slug is one harmless path segment inside the folder, whatever the name", () => {
    const out = resolve(dir, "site");
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (name) => {
      const slug = slugOf(name);
      expect(slug.length).toBeGreaterThan(0);
      expect(slug).not.toMatch(/[/\\.\u0000-\u001f]/);
      expect(Buffer.byteLength(`${slug}.html`)).toBeLessThanOrEqual(255);
      const file = resolve(out, `${slug}.html`);
      expect(relative(out, file).includes(sep)).toBe(false);
      expect(/^(index|style|katex|plots|con|prn|aux|nul|com\d|lpt\d)$/i.test(slug)).toBe(false);
    }), { numRuns: 500 });
    expect(slugOf("../../x")).toBe("-u002e-u002e-u002f-u002e-u002e-u002fx");
    expect(slugOf("index")).toBe("index-page");
    expect(slugOf("swish")).toBe("swish");
  });

  test("an SVG plot escapes its id in every attribute", () => {
    const svg = plotSvg({
      id: "z\" onload=\"alert(11)", title: "t", description: "d",
      series: [{ label: "f", main: true, sampled: sampleCurve((x) => x, [-1, 1], []) }], xDomain: [-1, 1], size: "thumbnail",
    });
    expect(svg).not.toContain("onload=\"alert");
    expect(svg).toContain("z&quot; onload=&quot;alert(11)-title");
  });

  test("a page named like the gallery is renamed; the gallery stays", () => {
    const out = join(dir, "reserved");
    const r = actdiff("docs", "index(x) = x", "style(x) = 2 * x", "swish", "--out", out);
    expect(r.status).toBe(0);
    expect(existsSync(join(out, "index-page.html"))).toBe(true);
    expect(existsSync(join(out, "style-page.html"))).toBe(true);
    const gallery = readFileSync(join(out, "index.html"), "utf8");
    expect(gallery).toContain("href=\"index-page.html\"");
    expect(gallery).toContain("href=\"swish.html\"");
  }, 60_000);

  test.each([
    ["/dev/null", "/dev/null is not a folder"],
    ["/etc/passwd", "/etc/passwd is not a folder"],
    ["/etc/passwd/site", "cannot make the folder /etc/passwd/site: /etc/passwd is not a folder"],
    ["/proc/actdiff-site", "cannot make the folder /proc/actdiff-site: "],
  ])("docs --out %s: E_USAGE, exit 2, at once and before anything is written", (out, message) => {
    const started = Date.now();
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "docs", "relu", "--out", out], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error[E_USAGE]: ${message}`);
    noStack(r.stderr);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test("docs --out where a file stands in the way of a page: E_USAGE naming it", () => {
    const out = join(dir, "blocked");
    actdiff("docs", "relu", "--out", out, "--format", "md");
    const r = actdiff("docs", "relu", "--out", join(out, "relu.md"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is not a folder");
  }, 60_000);
});

describe("a name that is also a property of Object.prototype stays a plain name", () => {
  const source = "f(x; __proto__ = 2, constructor = 3) = __proto__ * x + constructor";
  test("props --json and the sheet's JSON keep both parameters", () => {
    const sheet = sheetToJson(analyze(define(source))) as { params: Record<string, number> };
    expect(Object.entries(sheet.params)).toEqual([["__proto__", 2], ["constructor", 3]]);
    const r = actdiff("props", source, "--json");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("\"__proto__\": 2");
  }, 60_000);

  test("the docs show them", () => {
    const out = join(dir, "proto");
    expect(actdiff("docs", source, "--out", out, "--format", "md").status).toBe(0);
    const page = readFileSync(join(out, "f.md"), "utf8");
    expect(page).toContain("\\_\\_proto\\_\\_ = 2");
    expect(page).toContain("constructor = 3");
  }, 60_000);
});
