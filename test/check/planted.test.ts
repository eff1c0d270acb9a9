import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { checkDocument, type CheckReport } from "../../src/check/check.js";
import { fixturePath } from "../support/fixtures.js";

/**
 * test/fixtures/planted-errors.md is a cheat sheet with an error of each kind planted in it. Each
 * must be refuted on its own line, with the slip named; everything else in it must hold, be
 * undecided where that is the truth, or be skipped with the reason.
 */
const PLANTED: readonly [line: number, slip: string, hint: string][] = [
  [15, "term-sign", "1 + sigmoid(x) should be 1 - sigmoid(x)"],
  [23, "input-form", "right in input form, wrong in output form"],
  [31, "mislabelled-derivative", "the right side is the derivative of softplus(x), labelled as softplus(x) itself"],
  [35, "mislabelled-derivative", "the right side is softplus(x) itself, not its first derivative"],
  [43, "output-form", "1 - y^2 with y = tanh(x) is the derivative, but it is written in the input x"],
  [47, "chain-rule", "the right side lacks the factor 2"],
  [51, "dropped-square", "tanh(x) should be (tanh(x))^2"],
  [57, "sign", "the right side is −1 times the derivative of softsign(x)"],
  [66, "factor", "on the piece x < 0: off by a factor: the true value is a^2 times the right side"],
  [76, "chain-rule", "d(beta * x)/dbeta = x"],
];

let report: CheckReport;
let text: string[];
beforeAll(() => {
  const source = readFileSync(fixturePath("planted-errors.md"), "utf8");
  text = source.split("\n");
  report = checkDocument(source);
}, 120_000); // a few seconds alone, more with other test files in parallel

describe("every planted error, on its line, with its slip", () => {
  test.each(PLANTED)("line %i: %s", (line, slip, hint) => {
    const refuted = report.claims.filter((c) => c.line === line && c.verdict === "refuted");
    expect(refuted).toHaveLength(1);
    expect(refuted[0]).toMatchObject({ slip, hint: expect.stringContaining(hint), counterexample: { at: expect.any(Object) } });
    // the fixture marks each planted error just below its formula
    expect(text.slice(line, line + 8).join("\n")).toMatch(/\*\*ERROR\*\*/);
  });

  test("nothing else is refuted", () => {
    expect(report.claims.filter((c) => c.verdict === "refuted").map((c) => c.line)).toEqual(PLANTED.map(([line]) => line));
  });
});

describe("everything else", () => {
  test("the right claims hold: proved where the procedures reach, verified beyond", () => {
    const holds = report.claims.filter((c) => c.verdict === "proved" || c.verdict === "verified").map((c) => `${c.line} ${c.verdict}`);
    expect(holds).toEqual([
      "9 proved", "13 proved", "14 proved", "29 proved", "41 proved", "57 proved", "63 proved", "80 proved", "86 proved", "90 verified",
    ]);
  });

  test("a chain: each step against the one before it", () => {
    expect(report.claims.filter((c) => c.step !== undefined).map((c) => [c.line, c.step!.index, c.step!.of, c.verdict])).toEqual([
      [13, 1, 3, "proved"], [14, 2, 3, "proved"], [15, 3, 3, "refuted"],
    ]);
    expect(report.claims.find((c) => c.line === 15)!.text).toBe("\\frac{1}{1 + e^{-x}} \\cdot \\frac{e^{-x}}{1 + e^{-x}} = \\sigma(x)\\,(1 + \\sigma(x))");
  });

  test("a name the document gives an expression is used where it appears", () => {
    expect(report.claims.find((c) => c.line === 41)).toMatchObject({ verdict: "proved", text: "\\tanh'(x) = 1 - y^2" });
    expect(report.definitions.map((d) => `${d.line} ${d.name}`)).toEqual(["21 s", "41 y", "84 softmish"]);
  });

  test("the kink of a piecewise derivative", () => {
    expect(report.claims.find((c) => c.line === 63)!.kinks!.map((k) => k.summary)).toEqual(["continuous at 0 (value 0); the derivative jumps from 0.5 to 1"]);
  });

  test("undecided, with the reason", () => {
    expect(report.claims.filter((c) => c.verdict === "undecided")).toMatchObject([{ line: 92, detail: expect.stringContaining("cancel to 0") }]);
  });

  test("mangled formulas are skipped with the reason, never dropped", () => {
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [96, "unexpected end of input"],
      [98, "unsupported LaTeX command '\\sigrnoid'"],
      [100, "unsupported LaTeX command '\\approx'"],
    ]);
  });

  test("the summary counts them", () => {
    expect(report.summary).toEqual({ proved: 9, verified: 1, refuted: 10, undecided: 1, skipped: 3 });
  });
});
