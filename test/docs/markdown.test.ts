import { describe, expect, test } from "vitest";
import { catalogEntry, catalogScope } from "../../src/catalog/catalog.js";
import { describeActivation } from "../../src/docs/model.js";
import { renderSite } from "../../src/docs/site.js";
import { subjectsFromFile } from "../../src/docs/sources.js";
import { define, verify } from "../../src/index.js";

/**
 * The Markdown site: `$$…$$` math, SVG plot files, links that resolve. The pages are rendered
 * without the property analysis here (its tables have tests of their own in page.test.ts).
 */
const NAMES = ["relu", "swish", "elu"];
const docs = NAMES.map((n) => describeActivation({ activation: define(n), entry: catalogEntry(n)!, scope: catalogScope }));
const files = renderSite(docs, "md");

/** Display-math blocks: the lines between a `$$` line and the next. */
function mathBlocks(md: string): string[] {
  const blocks: string[] = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "$$") continue;
    const end = lines.indexOf("$$", i + 1);
    expect(end, "an unclosed $$ block").toBeGreaterThan(i);
    blocks.push(lines.slice(i + 1, end).join("\n"));
    i = end;
  }
  return blocks;
}

describe("the Markdown site", () => {
  test("an index and a page per activation; each plot an SVG file of its own", () => {
    expect([...files.keys()].filter((f) => f.endsWith(".md"))).toEqual(["index.md", "relu.md", "swish.md", "elu.md"]);
    expect([...files.keys()].filter((f) => f.startsWith("plots/relu"))).toEqual(["plots/relu-thumb.svg", "plots/relu-f.svg", "plots/relu-d1.svg", "plots/relu-d2.svg"]);
    for (const [path, content] of files) {
      if (path.endsWith(".svg")) expect(content).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
    }
  });

  test("every image and every link points at a file of the site", () => {
    for (const [path, md] of files) {
      if (!path.endsWith(".md")) continue;
      const targets = [...md.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
      expect(targets.length, path).toBeGreaterThan(0);
      for (const t of targets) expect(files.has(t), `${path} → ${t}`).toBe(true);
    }
  });

  test("f, f′ and f″ as $$ blocks, each an equation a checker can read: \\mathrm{name}(x) = …", () => {
    const blocks = mathBlocks(files.get("swish.md")!);
    expect(blocks.slice(0, 3).map((b) => b.slice(0, b.indexOf(" = ")))).toEqual(["\\mathrm{swish}(x)", "\\mathrm{swish}'(x)", "\\mathrm{swish}''(x)"]);
    expect(blocks[0]).toBe("\\mathrm{swish}(x) = x \\sigma(\\beta x)");
  });

  test("the derivative an outside source states is written as a claim about f′, next to its verdict", () => {
    const md = files.get("relu.md")!;
    expect(mathBlocks(md)[3]).toBe("\\mathrm{relu}'(x) = \\begin{cases} 1 & \\text{if } x \\ge 0 \\\\ 0 & \\text{otherwise} \\end{cases}");
    expect(md).toContain("**Proved.** Proved piece by piece (x \\< 0: exp-rational; x > 0: exp-rational); at the breakpoint 0 the value is a convention, not compared.");
    expect(md).toContain("Compared with the derivative stated by survey eq. 37:");
  });

  test("plots carry their description as alt text, on one line", () => {
    const md = files.get("relu.md")!;
    expect(md).toContain("![Plot of relu′(x) for x from −6 to 6. It goes from 0 at x = −6 to 1 at x = 6, with values from 0 to 1, in 2 separate pieces. " +
      "Marked: a jump at x = 0 from 0 to 1, value 0 there (filled dot).](plots/relu-d1.svg)");
  });

  test("prose is escaped where Markdown would read it as markup, and only there", () => {
    const md = renderSite([describeActivation({ activation: define("leaky_relu"), entry: catalogEntry("leaky_relu")!, scope: catalogScope })], "md").get("leaky_relu.md")!;
    expect(md).toContain("# leaky_relu\n\nReLU with a small fixed slope for x \\< 0\n");
  });

  test("the index: each activation's name linking to its page, its small plot and its formula", () => {
    const md = files.get("index.md")!;
    expect(md).toContain("## Smooth ReLUs: smooth functions that approach ReLU\n\n### [swish](swish.md)\n\nx·σ(βx); silu for β = 1\n\n![Plot of swish(x) for x from −6 to 6 at β = 1.");
    // In the groups of `actdiff list`: relu and elu (ReLU family), then swish.
    expect(mathBlocks(md)).toEqual([docs[0]!, docs[2]!, docs[1]!].map((d) => d.formulas[0]!.latex));
  });

  test("the claim each page states as checked holds when checked again", () => {
    for (const doc of docs) {
      const md = files.get(`${doc.slug}.md`)!;
      const claim = md.slice(md.indexOf("The claim checked:\n\n```text\n") + 28).split("\n")[0]!;
      expect(claim).toBe(doc.verification.claim);
      expect(verify(claim).status, claim).toBe("holds");
    }
  });

  test("definitions from a file document the same way", () => {
    const subjects = subjectsFromFile("mish(x) = x * tanh(softplus(x))\n", "defs.act");
    const md = renderSite(subjects.map((s) => describeActivation(s)), "md").get("mish.md")!;
    expect(mathBlocks(md)[1]).toBe("\\mathrm{mish}'(x) = \\tanh(\\operatorname{softplus}(x)) + x \\sigma(x) (1 - \\tanh^{2}(\\operatorname{softplus}(x)))");
    expect(md).toContain("Compared with the derivative of its definition as written (no outside source states one).");
  });
});
