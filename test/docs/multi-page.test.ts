import { describe, expect, test } from "vitest";
import { analyzeMulti } from "../../src/analyze/multi.js";
import { availableActivations, catalogEntry, catalogScope } from "../../src/catalog/catalog.js";
import { multiPage, indexPage, page } from "../../src/docs/html.js";
import { markdownMultiPage } from "../../src/docs/markdown.js";
import { describeActivation } from "../../src/docs/model.js";
import { describeMulti, type MultiDoc, type MultiPropertyProvider } from "../../src/docs/model-multi.js";
import { describePage } from "../../src/docs/page.js";
import { renderSite } from "../../src/docs/site.js";
import { catalogSubjects, subjectsFromArguments } from "../../src/docs/sources.js";
import { define } from "../../src/index.js";

/**
 * Pages of functions of several inputs and of vectors: the sections of a page of one input, with
 * formulas, plots and properties that suit them (the partial derivatives, the Jacobian in index
 * notation and the vector–Jacobian product; f against each input with the others held, or along
 * a slice through the vector; the sheet of analyzeMulti, proofs and observations told apart).
 */
const SITE = { title: "Activation functions", generator: "actdiff" };
const analysis: MultiPropertyProvider = (a, params) => analyzeMulti(a, { params });

const cache = new Map<string, MultiDoc>();
function doc(name: string): MultiDoc {
  let d = cache.get(name);
  if (!d) {
    d = describeMulti({ activation: define(name), entry: catalogEntry(name)!, scope: catalogScope }, analysis);
    cache.set(name, d);
  }
  return d;
}
const html = (name: string): string => multiPage(doc(name), SITE);

const stripTags = (s: string): string => s.replace(/<[^>]*>/g, "").trim();
const headings = (s: string): string[] => [...s.matchAll(/<h([12])\b[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => `h${m[1]} ${stripTags(m[2]!)}`);
const count = (s: string, pattern: RegExp): number => s.match(new RegExp(pattern.source, "g"))?.length ?? 0;
const plotNames = (s: string): string[] => [...s.matchAll(/<svg\b[^>]*aria-labelledby="([^" ]*) [^"]*"[^>]*>\n<title id="\1">([^<]*)<\/title>/g)].map((m) => m[2]!);

describe("the whole catalog has pages", () => {
  test("catalogSubjects: every available activation, in catalog order, of one input, several or a vector", () => {
    expect(catalogSubjects().map((s) => s.activation.name)).toEqual(availableActivations().map((e) => e.name));
  });

  test("describePage chooses the page: one input keeps describeActivation's, the rest get describeMulti's", () => {
    const [relu, glu, softmax] = subjectsFromArguments(["relu", "glu", "softmax"]);
    expect(describePage(relu!).kind).toBe("one");
    expect(describePage(glu!).kind).toBe("several");
    expect(describePage(softmax!).kind).toBe("vector");
    expect(page(describePage(relu!), SITE)).toBe(page(describeActivation(relu!), SITE));
    expect(() => describeActivation(glu!)).toThrow("glu has 2 inputs: its page is describeMulti()'s (describePage() chooses)");
  });
});

describe("a function of several inputs: glu", () => {
  test("the outline of a page of one input", () => {
    expect(headings(html("glu"))).toEqual([
      "h1 glu", "h2 Definition", "h2 Formulas", "h2 Plots", "h2 Properties", "h2 Derivative verification", "h2 Generated JavaScript", "h2 PyTorch", "h2 TensorFlow.js",
    ]);
  });

  test("formulas: the function and each partial derivative, typeset with MathML; the gradient PyTorch states", () => {
    const d = doc("glu");
    expect(d.formulas.map((f) => [f.caption, f.text])).toEqual([
      ["The function", "a * sigmoid(b)"],
      ["Its partial derivative in a", "sigmoid(b)"],
      ["Its partial derivative in b", "a * sigmoid(b) * (1 - sigmoid(b))"],
    ]);
    const s = html("glu");
    // Three formulas and the two partial derivatives of the stated gradient.
    expect(count(s, /class="katex-display"/)).toBe(5);
    expect(count(s, /<math\b/)).toBe(5);
    expect(s).toContain(`<annotation encoding="application/x-tex">\\frac{\\partial}{\\partial b} \\mathrm{glu}(a, b) = a \\sigma(b) (1 - \\sigma(b))</annotation>`);
  });

  test("plots: f and its partial derivative against each input, the other held at 1 (solid), −1 and 2", () => {
    const d = doc("glu");
    expect(d.plots.map((p) => p.title)).toEqual(["glu(a, b) against a", "∂glu/∂a against a", "glu(a, b) against b", "∂glu/∂b against b"]);
    for (const p of d.plots) {
      expect(count(p.svg, /<path class="curve/)).toBe(3);
      expect(p.svg).toMatch(/class="legend"[\s\S]*= 1<[\s\S]*= −1<[\s\S]*= 2</);
    }
    expect(d.plots[2]!.description).toBe("Plot of glu(a, b) against b for b from −6 to 6 at a = 1 (solid line), with a = −1 and a = 2 overlaid (dashed lines). It goes from 0.002473 at b = −6 to 0.9975 at b = 6, with values from 0.002473 to 0.9975.");
    // The gallery's small plot is the gate: glu against b at a = 1, a sigmoid.
    expect(d.thumbnail.title).toBe("glu(1, b)");
  });

  test("properties: the sheet's rows with their methods, and each factor's own sheet", () => {
    const s = html("glu");
    expect(s).toContain(`<tr><th scope="row">Monotonic in</th><td>a: non-decreasing; b: for each a: non-decreasing where a &gt; 0, non-increasing where a &lt; 0</td><td class="method">interval: `);
    expect(s).toContain(`<tr><th scope="row">Lipschitz constant</th><td>none: ∂f/∂b unbounded</td>`);
    expect(s).toContain("<caption>The factors, each a function of one input with a property sheet of its own</caption>");
    expect(s).toMatch(/<tr><th scope="row">b: sigmoid\(b\)<\/th><td>range \(0, 1\); bounded on both sides; monotonic, increasing; saturation left: soft/);
  });

  test("verification: each partial derivative against PyTorch's, with its verdict", () => {
    const v = doc("glu").verification;
    expect(v.parts.map((p) => [p.label, p.result.verdict])).toEqual([["∂glu/∂a", "proved"], ["∂glu/∂b", "proved"]]);
    const s = html("glu");
    expect(s).toContain(`<p class="status holds"><strong>Proved.</strong>`);
    expect(s).toContain("<p>∂glu/∂b: Proved.</p>");
    expect(s).toContain("<pre><code>a * sigmoid(b) * (1 - sigmoid(b)) = a * sigmoid(b) * (1 - sigmoid(b))</code></pre>");
  });

  test("code: f and each partial derivative as compile() runs them", () => {
    expect(doc("glu").code.map((c) => [c.title, c.source])).toEqual([
      ["f", "function (x0, x1) {\n  return x0 * h_sigmoid(x1);\n}"],
      ["∂f/∂a", "function (x0, x1) {\n  return h_sigmoid(x1);\n}"],
      ["∂f/∂b", expect.stringContaining("function (x0, x1) {")],
    ]);
  });
});

describe("functions of a vector", () => {
  test("softmax: the element, the Jacobian in index notation and the VJP", () => {
    const d = doc("softmax");
    expect(d.formulas.map((f) => f.text)).toEqual([
      "exp(x) / sum(exp(x))",
      "softmax(x)_i * (delta(i, j) - softmax(x)_j)",
      "softmax(x) * (g - sum(g * softmax(x)))",
    ]);
    expect(d.formulas[1]!.latex).toBe("\\frac{\\partial\\, \\mathrm{softmax}(x)_{i}}{\\partial x_{j}} = \\operatorname{softmax}\\left(x\\right)_{i} (\\delta_{ij} - \\operatorname{softmax}\\left(x\\right)_{j})");
    expect(d.formulas[2]!.latex).toMatch(/^\\sum_\{o\} g_\{o\} \\frac\{\\partial\\, \\mathrm\{softmax\}\(x\)_\{o\}\}\{\\partial x_\{i\}\} = /);
    expect(html("softmax")).not.toContain("katex-error");
  });

  test("softmax at (x, 0): both outputs, σ(x) and 1 − σ(x), and their slopes", () => {
    const d = doc("softmax");
    expect(d.plots.map((p) => p.title)).toEqual(["softmax(x, 0)", "d/dx softmax(x, 0)"]);
    expect(d.plots[0]!.description).toBe("Plot of softmax(x, 0) for x from −6 to 6: softmax_0 = sigmoid(x) (solid line), with softmax_1 = 1 - sigmoid(x) (dashed lines). It goes from 0.002473 at x = −6 to 0.9975 at x = 6, with values from 0.002473 to 0.9975.");
    expect(count(d.plots[0]!.svg, /<path class="curve/)).toBe(2);
    expect(d.plots[1]!.description).toContain("d/dx softmax_0 = sigmoid(x) * (1 - sigmoid(x)) (solid line)");
  });

  test("maxout at (x, 1 − x, 1/2, x/2): each output the max of its pair, over its pieces; the kinks marked", () => {
    const d = doc("maxout");
    expect(d.plots[0]!.title).toBe("maxout(x, 1 - x, 1/2, x / 2)");
    // Two outputs and four pieces.
    expect(count(d.plots[0]!.svg, /<path class="curve/)).toBe(6);
    expect(d.plots[0]!.description).toMatch(/^Plot of maxout\(x, 1 - x, 1\/2, x \/ 2\) for x from −6 to 6: maxout_0 = max\(x, 1 - x\) \(solid line\), with maxout_1 = max\(1\/2, x \/ 2\), piece x, piece 1 - x, piece 1\/2 and piece x \/ 2 \(dashed lines\)\./);
    expect(d.plots[0]!.description).toContain("Marked: a corner at x = 0.5, value 0.5.");
    expect(count(d.plots[0]!.svg, /class="kink filled"/)).toBe(2); // x = 0.5 on output 0, x = 1 on output 1
    // The slope at the tie is the first element's, as backward() gives it (groupmax's convention).
    expect(d.plots[1]!.description).toContain("d/dx maxout_0 = x >= 1 - x ? 1 : -1 (solid line)");
    expect(d.plots[1]!.description).toContain("a jump at x = 0.5 from −1 to 1, value 1 there (filled dot)");
  });

  test("logsumexp: one value along (x, 0), softplus(x)", () => {
    const d = doc("logsumexp");
    expect(d.plots[0]!.description).toMatch(/^Plot of logsumexp\(x, 0\) for x from −6 to 6: logsumexp = softplus\(x\)\. It goes from 0\.002476 at x = −6 to 6\.002 at x = 6/);
    expect(d.formulas[2]!.text).toBe("g * softmax(x)");
  });

  test("properties: proved facts and observations told apart on the page", () => {
    const s = html("log_softmax");
    expect(s).toMatch(/<tr><th scope="row">Range of each output<\/th><td>\(-∞, 0\); 0 approached, no upper bound proved \(largest observed -[\d.e-]+\)<\/td><td class="method">numeric: /);
    expect(s).toMatch(/<tr><th scope="row">Sum<\/th><td>Σ_i exp\(log_softmax\(x\)_i\) = 1 \(verified, not proved\)<\/td><td class="method">numeric: /);
    expect(html("softmax")).toMatch(/<tr><th scope="row">Lipschitz constant \(sup ‖J‖₂\)<\/th><td>1\/2, attained; largest observed 0\.5 on 1005 samples<\/td><td class="method">derived: .*Gershgorin/);
  });

  test("verification and code: the Jacobian against the stated one, the row kernels", () => {
    const d = doc("softmax");
    expect(d.verification.parts).toHaveLength(1);
    expect(d.verification.result.verdict).toBe("proved");
    expect(d.verification.parts[0]!.statedLatex).toBe("\\frac{\\partial\\, \\mathrm{softmax}(x)_{i}}{\\partial x_{j}} = \\operatorname{softmax}\\left(x\\right)_{i} (\\delta_{ij} - \\operatorname{softmax}\\left(x\\right)_{j})");
    expect(d.code.map((c) => c.title)).toEqual(["forward", "backward (the vector–Jacobian product)"]);
    expect(d.code[0]!.source).toMatch(/^function softmax_forward\(v0, out0, rows, n\) \{/);
    expect(d.codeNote).toContain("Each row is shifted by its largest element");
    expect(doc("maxout").codeNote).not.toContain("exponentiating");
  });

  test("Markdown: the same sections, math in $$ blocks, plots as files", () => {
    const md = markdownMultiPage(doc("maxout"));
    expect([...md.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(["Definition", "Formulas", "Plots", "Properties", "Derivative verification", "Generated JavaScript", "PyTorch", "TensorFlow.js"]);
    expect(md).toContain("![Plot of maxout(x, 1 - x, 1/2, x / 2) for x from −6 to 6");
    expect(md).toContain("](plots/maxout-slice.svg)");
    expect(md.split("\n").filter((l) => l === "$$")).toHaveLength(2 * 4); // three formulas and the stated Jacobian
  });
});

describe("the site", () => {
  test("a mixed site: the index says what the pages give; pages of every kind link to each other", () => {
    const docs = ["relu", "glu", "softmax"].map((n) => describePage({ activation: define(n), entry: catalogEntry(n)!, scope: catalogScope }));
    const files = renderSite(docs, "html");
    expect([...files.keys()]).toEqual(["index.html", "relu.html", "glu.html", "softmax.html", "style.css"]);
    expect(files.get("index.html")).toContain("Each page gives the definition, f and its derivatives (f′ and f″; each partial derivative; the Jacobian and its vector–Jacobian product), plots,");
    expect(files.get("glu.html")).toContain(`<a rel="prev" href="relu.html">← relu</a>`);
    expect(files.get("glu.html")).toContain(`<a rel="next" href="softmax.html">softmax →</a>`);
    const md = renderSite(docs, "md");
    expect([...md.keys()].filter((k) => k.startsWith("plots/"))).toEqual([
      "plots/relu-thumb.svg", "plots/relu-f.svg", "plots/relu-d1.svg", "plots/relu-d2.svg",
      "plots/glu-thumb.svg", "plots/glu-f-a.svg", "plots/glu-d-a.svg", "plots/glu-f-b.svg", "plots/glu-d-b.svg",
      "plots/softmax-thumb.svg", "plots/softmax-slice.svg", "plots/softmax-slice-d1.svg",
    ]);
  });

  test("a site of one-input pages alone says what it always said", () => {
    const docs = ["relu", "swish"].map((n) => describePage({ activation: define(n), entry: catalogEntry(n)!, scope: catalogScope }));
    expect(indexPage(docs, SITE)).toContain("Each page gives the definition, f, f′ and f″, plots, the derivative's verification");
  });
});
