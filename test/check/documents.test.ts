import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkDocument, formatOf, type CheckReport } from "../../src/check/check.js";
import { renderText } from "../../src/check/report.js";

/**
 * Documents as people write them: a function defined in passing — inline or displayed, before the
 * claim, in the same sentence or after it ("where $g(x) = …$"), with `=`, `:=`, `\coloneqq` or
 * `\equiv`, in Markdown or in LaTeX's equation, align, \[…\] and \(…\) — is a definition, and the
 * claims about it are checked against it. A definition is never a claim: never refuted, never proved.
 */
const DIR = new URL("../fixtures/documents/", import.meta.url);
const fixtures = readdirSync(DIR).filter((f) => /\.(md|tex)$/.test(f)).sort();

interface Expected {
  readonly defined: readonly [number, string][];
  readonly claims: readonly (readonly [number, string] | readonly [number, string, string])[];
  readonly skipped: readonly [number, string][];
}

const checked = new Map<string, CheckReport>();
const check = (file: string): CheckReport => {
  if (!checked.has(file)) checked.set(file, checkDocument(readFileSync(new URL(file, DIR), "utf8"), { format: formatOf(file) }));
  return checked.get(file)!;
};

describe("documents in several styles: each definition defined, each claim its verdict", () => {
  test("there are fixtures in Markdown and in LaTeX", () => {
    expect(fixtures.filter((f) => f.endsWith(".md")).length).toBeGreaterThanOrEqual(3);
    expect(fixtures.filter((f) => f.endsWith(".tex")).length).toBeGreaterThanOrEqual(3);
  });

  test.each(fixtures)("%s", (file) => {
    const expected = JSON.parse(readFileSync(new URL(file.replace(/\.(md|tex)$/, ".expected.json"), DIR), "utf8")) as Expected;
    const report = check(file);
    expect(report.definitions.map((d) => [d.line, d.name])).toEqual(expected.defined);
    expect(report.claims.map((c) => [c.line, c.verdict, ...(c.step ? [`${c.step.index}/${c.step.of}`] : [])])).toEqual(expected.claims);
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual(expected.skipped);
    // A definition is not also a claim: no claim states a defined function's defining equation.
    for (const d of report.definitions) expect(report.claims.map((c) => c.text)).not.toContain(d.text);
    // Every refuted claim shows where it fails.
    for (const c of report.claims.filter((x) => x.verdict === "refuted")) expect(c.counterexample, `line ${c.line}`).toBeDefined();
  });
});

describe("the unseen document of issue 17", () => {
  const report = check("inline-markdown.md");

  test("the scaled tanh: k(x) = tanh(2x) is defined, and k′ without the chain-rule factor 2 is refuted with a witness", () => {
    expect(report.definitions[0]).toMatchObject({ line: 3, name: "k", text: "k(x) = \\tanh(2x)" });
    expect(report.claims[0]).toMatchObject({
      line: 3, text: "k'(x) = 1 - \\tanh^{2}(2x)", verdict: "refuted", slip: "chain-rule",
      counterexample: { at: { x: 1 }, lhs: "0.14130164970632893137", rhs: "0.070650824853164465686" },
    });
    // The text calls it a scaled tanh: said in a note on the definition, which is not a verdict.
    expect(report.definitions[0]!.notes).toEqual([expect.stringMatching(/^the text before it names tanh, but k is not tanh: at x = 1/)]);
  });

  test("softsign: h, defined in the same sentence, and h′ proved", () => {
    expect(report.definitions[1]).toMatchObject({ line: 6, name: "h", notes: ["the text before it names softsign, and h is softsign (proved)"] });
    expect(report.claims.find((c) => c.text === "h'(x) = \\frac{1}{(1+|x|)^{2}}")).toMatchObject({ line: 6, verdict: "proved" });
  });

  test("the report shows definitions as defined lines", () => {
    const text = renderText("inline-markdown.md", report);
    expect(text).toContain("line    3  defined   k(x) = \\tanh(2x)");
    expect(text).toContain("line    3  REFUTED   k'(x) = 1 - \\tanh^{2}(2x)");
    expect(text).toContain("line    6  defined   h(x) = \\frac{x}{1+|x|}");
    expect(text).toContain("line    6  proved    h'(x) = \\frac{1}{(1+|x|)^{2}}");
  });
});

test("README shows the check of readme-example.md as it is", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const name = "test/fixtures/documents/readme-example.md";
  expect(readme).toContain(`$ actdiff check ${name}\n${renderText(name, check("readme-example.md"))}\n\`\`\``);
  expect(readme).toContain(readFileSync(new URL("readme-example.md", DIR), "utf8"));
});

describe("how a definition is read", () => {
  test("after the claim in the same paragraph, and noted so", () => {
    const r = check("where-after.md");
    expect(r.claims.find((c) => c.line === 3)!.notes).toEqual(expect.arrayContaining([
      "g is defined after this formula, on line 3, in the same paragraph", "u is defined after this formula, on line 3, in the same paragraph",
    ]));
    // not across a blank line: the w of the next paragraph does not reach back
    expect(r.skipped).toEqual([{ line: 13, text: "w'(x) = 2x", reason: "the derivative of w, which the document does not define" }]);
  });

  test("a redefinition is a new definition from where it stands", () => {
    const r = check("redefinition.md");
    expect(r.definitions[1]!.notes).toEqual(["redefines f (defined on line 3): from here on, f is this function"]);
    expect(r.claims.map((c) => [c.text, c.verdict])).toEqual([["f'(x) = 3x^{2}", "proved"], ["f'(x) = \\cos(x)", "proved"], ["f'(x) = 3x^{2}", "refuted"]]);
  });

  test("the signs of a definition, quoted as written; a catalog name restated with = is a claim", () => {
    const r = check("signs.md");
    expect(r.definitions.map((d) => d.text)).toEqual([
      "f(x) := x\\,e^{-x^{2}}", "g(x) \\coloneqq \\frac{x}{\\sqrt{1 + x^{2}}}", "q(x) \\equiv \\ln(\\cosh(x))", "\\sigma(x) \\triangleq \\frac{1}{1 + e^{-x}}",
    ]);
    expect(r.claims.filter((c) => c.line === 12).map((c) => [c.text, c.verdict])).toEqual([
      ["\\tanh(x) = \\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}", "proved"], ["\\mathrm{softplus}(x) = \\ln(1 - e^{x})", "refuted"],
    ]);
    // "Let $f$ be defined by …": the name alone is read, and set aside
    expect(r.ignored).toEqual([{ line: 3, text: "f", reason: "the name of the function f, which the document defines" }]);
  });

  test("Markdown read by MathJax: LaTeX environments, a declared domain, a map with a name, a map without one", () => {
    const r = check("mathjax.md");
    expect(r.definitions.map((d) => d.text)).toContain("g \\colon x \\mapsto x\\tanh(x)");
    expect(r.ignored.map((i) => [i.line, i.reason])).toEqual([
      [3, "declares the domain and codomain of f, for the definition after it"],
      [9, "the name of the function g, which the document defines"],
      [17, "a function without a name (x ↦ …): nothing to check"],
    ]);
  });

  test("a parameter of a definition stays free: the derivative by it is checked too", () => {
    const r = check("parameters.tex");
    expect(r.claims.find((c) => c.line === 15)).toMatchObject({ verdict: "proved" });
    expect(r.ignored.find((i) => i.line === 5)).toMatchObject({ text: "\\beta > 0", reason: "a condition on beta, not an identity" });
  });

  test("a placeholder's definition under a heading that names the activation: compared in a note", () => {
    const r = checkDocument("## Leaky ReLU\n\n$$f(x) = \\begin{cases} x, & x > 0 \\\\ a x, & x \\le 0 \\end{cases}$$\n\n$$f'(x) = \\begin{cases} 1, & x > 0 \\\\ a, & x \\le 0 \\end{cases}$$\n");
    expect(r.definitions).toMatchObject([{ line: 3, name: "f", notes: ["the text before it names leaky_relu, and f is leaky_relu (proved; leaky_relu's parameter negative_slope is called a here)"] }]);
    expect(r.claims.map((c) => c.verdict)).toEqual(["proved"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Laws

/** Functions, a right derivative and a wrong one (a dropped factor, a dropped square, a sign, a term). */
const FUNCTIONS = [
  { body: String.raw`\tanh(2x)`, right: String.raw`2\left(1 - \tanh^{2}(2x)\right)`, wrong: String.raw`1 - \tanh^{2}(2x)` },
  { body: String.raw`\frac{x}{1+|x|}`, right: String.raw`\frac{1}{(1+|x|)^{2}}`, wrong: String.raw`\frac{1}{1+|x|}` },
  { body: String.raw`x\,\sigma(x)`, right: String.raw`\sigma(x) + x\,\sigma(x)\,(1 - \sigma(x))`, wrong: String.raw`\sigma(x)\,(1 - \sigma(x))` },
  { body: String.raw`\ln(1 + e^{x})`, right: String.raw`\frac{1}{1 + e^{-x}}`, wrong: String.raw`\frac{1}{1 + e^{x}}` },
] as const;

const NAMES = ["k", "u", "g", "f", "\\phi", "\\psi", "\\mathrm{Act}"] as const;
const SIGNS = ["=", ":=", "\\coloneqq", "\\equiv", "\\triangleq"] as const;

/** Where the definition stands, relative to the claim about it, in one paragraph. */
const PLACES = {
  "before, inline, one line": (def: string, claim: string) => `For the function $${def}$ we have $${claim}$.`,
  "before, display": (def: string, claim: string) => `For the function $${def}$ we have\n$$${claim}$$\nas its derivative.`,
  "after, where": (def: string, claim: string) => `We have $${claim}$, where $${def}$.`,
  "after, display then where": (def: string, claim: string) => `We have\n\n$$\n${claim}\n$$\n\nwhere $${def}$ is the function.`,
  "LaTeX equation before": (def: string, claim: string) => `The function\n\\begin{equation}\n  ${def}\n\\end{equation}\nhas the derivative \\(${claim}\\).`,
  "LaTeX \\[ \\] after": (def: string, claim: string) => `Its derivative is\n\\[ ${claim} \\]\nwhere \\(${def}\\).`,
  "LaTeX align, one row each": (def: string, claim: string) => `\\begin{align}\n  ${def.replace(/=|:=|\\coloneqq|\\equiv|\\triangleq/, (s) => `&${s}`)} \\\\\n  ${claim.replace("=", "&=")}\n\\end{align}`,
  "one display, after a \\quad": (def: string, claim: string) => `$$${claim}, \\quad ${def}$$`,
  "two displays, no prose": (def: string, claim: string) => `$$${def}$$\n$$${claim}$$`,
} as const;

const placeName = fc.constantFrom(...(Object.keys(PLACES) as (keyof typeof PLACES)[]));

function verdicts(r: CheckReport): { defined: string[]; claims: string[]; skipped: number } {
  return { defined: r.definitions.map((d) => d.name), claims: r.claims.map((c) => c.verdict), skipped: r.skipped.length };
}

describe("laws of reading definitions", () => {
  test("a claim's verdict does not depend on where in its paragraph, how, or under what name its function is defined", () => {
    fc.assert(fc.property(
      fc.constantFrom(...FUNCTIONS), fc.boolean(), placeName, fc.constantFrom(...SIGNS), fc.constantFrom(...NAMES),
      (fn, right, place, sign, name) => {
        const def = `${name}(x) ${sign} ${fn.body}`;
        const claim = `${name}'(x) = ${right ? fn.right : fn.wrong}`;
        const text = PLACES[place](def, claim);
        const r = checkDocument(text, { format: place.startsWith("LaTeX") ? "latex" : "markdown" });
        const written = name === "\\mathrm{Act}" ? "act" : name.replace(/^\\/, "");
        expect(verdicts(r), text).toEqual({ defined: [written], claims: [right ? "proved" : "refuted"], skipped: 0 });
      },
    ), { numRuns: 40, seed: 17 });
  });

  test("in one paragraph, two definitions and two claims: any order gives the same verdicts", () => {
    const pieces = [String.raw`$k(x) = \tanh(2x)$`, String.raw`$k'(x) = 1 - \tanh^{2}(2x)$`, String.raw`$h(x) = \frac{x}{1+|x|}$`, String.raw`$h'(x) = \frac{1}{(1+|x|)^{2}}$`];
    const canonical = checkDocument(pieces.join(" and "));
    const byClaim = (r: CheckReport): string[] => r.claims.map((c) => `${c.text}: ${c.verdict}`).sort();
    expect(byClaim(canonical)).toEqual(["h'(x) = \\frac{1}{(1+|x|)^{2}}: proved", "k'(x) = 1 - \\tanh^{2}(2x): refuted"]);
    fc.assert(fc.property(fc.shuffledSubarray(pieces, { minLength: 4, maxLength: 4 }), (order) => {
      const r = checkDocument(`Here ${order.join(", and ")}.`);
      expect(byClaim(r)).toEqual(byClaim(canonical));
      expect(r.definitions.map((d) => d.name).sort()).toEqual(["h", "k"]);
    }), { numRuns: 12, seed: 17 });
  });
});
