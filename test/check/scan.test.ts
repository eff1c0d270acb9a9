import { describe, expect, test } from "vitest";
import { scanDocument } from "../../src/check/scan.js";

/** Where the formulas of a document are: delimiters, what is not math, and the prose around. */
const contents = (text: string, format: "markdown" | "latex" = "markdown"): string[] => scanDocument(text, format).map((s) => s.content);

describe("Markdown", () => {
  test("inline and display math, display over several lines", () => {
    const doc = "The sigmoid $\\sigma(x)$ and\n$$\n\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))\n$$\nand $$x = 1$$ inline.";
    expect(contents(doc)).toEqual(["\\sigma(x)", "\n\\sigma'(x) = \\sigma(x)(1 - \\sigma(x))\n", "x = 1"]);
    const [, display] = scanDocument(doc, "markdown");
    expect(display).toMatchObject({ display: true, offset: doc.indexOf("$$") + 2 });
  });

  test("Pandoc's rule for $: no space inside, no digit after; money is not math", () => {
    expect(contents("costs $5 and $10 today")).toEqual([]);
    expect(contents("a $ x$ b $x $ c")).toEqual([]);
    expect(contents("a $x$5")).toEqual([]);
    expect(contents("escaped \\$x\\$ and $y$")).toEqual(["y"]);
    expect(contents("a $x\ny$ b")).toEqual([]); // inline math stays on its line
  });

  test("LaTeX's display environments, as MathJax reads them in Markdown; not in code, not inside $$", () => {
    const doc = "so\n\\begin{align}\nf'(x) &= 1 \\\\\n&= 1\n\\end{align}\nand \\begin{equation*}g(x) = x\\end{equation*}\n$$\\begin{aligned}h &= 1\\end{aligned}$$\n`\\begin{equation}x\\end{equation}`";
    expect(contents(doc)).toEqual(["\nf'(x) &= 1 \\\\\n&= 1\n", "g(x) = x", "\\begin{aligned}h &= 1\\end{aligned}"]);
    expect(scanDocument(doc, "markdown").map((s) => s.environment)).toEqual(["align", undefined, undefined]);
  });

  test("code is not math", () => {
    expect(contents("```python\nx = $a$\n```\nthen $b$")).toEqual(["b"]);
    expect(contents("~~~\n$$a$$\n~~~\n`$c$` and $d$")).toEqual(["d"]);
  });

  test("formula images: the LaTeX in their alt text, brackets balanced", () => {
    expect(contents("space ![C^{n}[0,1]](https://www.zhihu.com/equation?tex=C%5E%7Bn%7D%5B0%2C1%5D) and ![](https://img/x.png)")).toEqual(["C^{n}[0,1]"]);
  });

  test("the prose before a formula and the heading above it", () => {
    const [a, b] = scanDocument("# Softplus\n\nsoftplus \n$$(x) = \\ln(1+e^x)$$\n## Tanh\nwhere $y = \\tanh(x)$", "markdown");
    expect(a).toMatchObject({ proseBefore: "# Softplus\n\nsoftplus \n", heading: "Softplus" });
    expect(b).toMatchObject({ proseBefore: "\n## Tanh\nwhere ", heading: "Tanh" });
  });
});

describe("LaTeX", () => {
  test("environments, \\[ \\], \\( \\), $ and $$; comments removed", () => {
    const doc = [
      "\\section{Sigmoid}",
      "\\begin{equation} \\sigma(x) = \\frac{1}{1+e^{-x}} \\label{eq:s} \\end{equation}",
      "% $commented = out$",
      "\\begin{align*} f(x) &= x \\\\ &= 1 x \\end{align*}",
      "\\[ a = b \\] and \\( c \\) and $d$ and 50\\% of $$e = f$$",
    ].join("\n");
    const segs = scanDocument(doc, "latex");
    expect(segs.map((s) => s.content.trim())).toEqual([
      "\\sigma(x) = \\frac{1}{1+e^{-x}} \\label{eq:s}", "f(x) &= x \\\\ &= 1 x", "a = b", "c", "d", "e = f",
    ]);
    expect(segs[1]).toMatchObject({ environment: "align" });
    expect(segs[0]).toMatchObject({ heading: "Sigmoid" });
  });
});
