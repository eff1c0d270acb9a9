import { describe, expect, test } from "vitest";
import { catalogEntry, catalogScope } from "../../src/catalog/catalog.js";
import { activationPage, indexPage } from "../../src/docs/html.js";
import { describeActivation, type ActivationDoc, type PropertyProvider } from "../../src/docs/model.js";
import { renderSite } from "../../src/docs/site.js";
import { escapeXml } from "../../src/docs/text.js";
import { subjectsFromArguments, subjectsFromFile } from "../../src/docs/sources.js";
import { analyze } from "../../src/analyze/index.js";
import { define } from "../../src/index.js";
import { ActdiffError } from "../../src/errors.js";
import { errorOf } from "../support/errors.js";

const SITE = { title: "Activation functions", generator: "actdiff" };
const analysis: PropertyProvider = (a, params) => analyze(a, { params });

const cache = new Map<string, ActivationDoc>();
/** A catalog activation's page model, with its property sheet. */
function doc(name: string): ActivationDoc {
  let d = cache.get(name);
  if (!d) {
    d = describeActivation({ activation: define(name), entry: catalogEntry(name)!, scope: catalogScope }, analysis);
    cache.set(name, d);
  }
  return d;
}
const page = (name: string): string => activationPage(doc(name), SITE);

const stripTags = (html: string): string => html.replace(/<[^>]*>/g, "").trim();
const headings = (html: string, levels = "12"): string[] =>
  [...html.matchAll(new RegExp(`<h([${levels}])\\b[^>]*>([\\s\\S]*?)</h\\1>`, "g"))].map((m) => `h${m[1]} ${stripTags(m[2]!)}`);
const count = (html: string, pattern: RegExp): number => html.match(new RegExp(pattern.source, "g"))?.length ?? 0;

describe("an activation's page", () => {
  test("its outline: one h1, the name, then the sections in reading order", () => {
    expect(headings(page("swish"))).toEqual([
      "h1 swish", "h2 Definition", "h2 Formulas", "h2 Plots", "h2 Properties", "h2 Derivative verification", "h2 Generated JavaScript", "h2 PyTorch", "h2 TensorFlow.js",
    ]);
  });

  test("the one-line definition as written, and its parameter with the values plotted", () => {
    const html = page("swish");
    expect(html).toContain(`<pre class="definition"><code>swish(x; beta = 1) = x * sigmoid(beta * x)</code></pre>`);
    expect(html).toContain("β (beta) = 1, the default; the plots also show 0.5 and 2");
  });

  test("f, f′ and f″ typeset at build time, each with MathML so that it reads and copies as text", () => {
    const html = page("swish");
    // f, f′, f″ and the derivative the Swish paper states.
    expect(count(html, /class="katex-display"/)).toBe(4);
    expect(count(html, /<math\b/)).toBe(4);
    expect(html).not.toContain("katex-error");
    // The LaTeX source rides along (KaTeX escapes the primes as &#x27;).
    expect(html).toContain(`<annotation encoding="application/x-tex">\\mathrm{swish}(x) = x \\sigma(\\beta x)</annotation>`);
    expect(html).toContain(`<annotation encoding="application/x-tex">\\mathrm{swish}&#x27;&#x27;(x) = 2 \\beta`);
  });

  test("three plots, each an image named by its title and described in words", () => {
    const html = page("relu");
    const svgs = [...html.matchAll(/<svg\b[^>]*role="img" aria-labelledby="([^"]*)"[^>]*>/g)].map((m) => m[1]!.split(" "));
    expect(svgs).toEqual([["relu-f-title", "relu-f-desc"], ["relu-d1-title", "relu-d1-desc"], ["relu-d2-title", "relu-d2-desc"]]);
    for (const [title, desc] of svgs) {
      expect(html).toMatch(new RegExp(`<title id="${title}">relu.?\\(x\\)</title>`));
      expect(html).toMatch(new RegExp(`<desc id="${desc}">Plot of relu.?\\(x\\) for x from −6 to 6\\. [^<]+</desc>`));
    }
    // The text alternative says what a sighted reader sees at the kink.
    expect(doc("relu").plots[0]!.description).toContain("a corner at x = 0, value 0");
    expect(doc("relu").plots[1]!.description).toContain("a jump at x = 0 from 0 to 1, value 0 there (filled dot)");
  });

  test.each([["swish", "β"], ["elu", "α"]])("%s: the variants %s ∈ {0.5, 1, 2} overlaid on every plot", (name, symbol) => {
    for (const plot of doc(name).plots) {
      expect(count(plot.svg, /<path class="curve/)).toBe(3);
      expect(plot.svg).toMatch(new RegExp(`class="legend"[\\s\\S]*${symbol} = 1<[\\s\\S]*${symbol} = 0\\.5<[\\s\\S]*${symbol} = 2<`));
    }
  });

  test("rrelu, which draws its slope: a fourth plot, f given six seeded draws around the evaluation-mode curve", () => {
    const d = doc("rrelu");
    expect(d.plots.map((p) => p.title)).toEqual(["rrelu(x)", "rrelu′(x)", "rrelu″(x)", "rrelu(x) in training mode"]);
    const train = d.plots[3]!;
    expect(count(train.svg, /<path class="curve guide"/)).toBe(6);
    expect(count(train.svg, /<path class="curve main"/)).toBe(1);
    expect(train.description).toMatch(/^Plot of rrelu\(x\) in training mode for x from −6 to 6: the evaluation-mode curve \(solid line\) and f given 6 draws where a ~ uniform\(lower, upper\) \(thin grey lines: a = [\d.]+, /);
    // Each drawn slope lies in [lower, upper] = [1/8, 1/3].
    const slopes = [...train.description.matchAll(/a = ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(slopes).toHaveLength(6);
    for (const a of slopes) expect(a >= 0.125 && a <= 1 / 3).toBe(true);
    expect(doc("relu").plots).toHaveLength(3);
  });

  test("relu6: the plotted interval widens to show the cap at 6, and both kinks are marked", () => {
    const d = doc("relu6");
    expect(d.domain).toEqual([-6, 7]);
    expect(d.breakpoints).toEqual([0, 6]);
    expect(count(d.plots[0]!.svg, /class="kink filled"/)).toBe(2);
    // f′ jumps at both: a dot at the convention (0), an open circle at the limit 1.
    expect(count(d.plots[1]!.svg, /class="kink open"/)).toBe(2);
  });

  test("the derivative's verification, against the derivative an outside source states", () => {
    const html = page("relu");
    expect(html).toContain(`<p class="status holds"><strong>Proved.</strong> Proved piece by piece (x &lt; 0: exp-rational; x &gt; 0: exp-rational); at the breakpoint 0 the value is a convention, not compared.</p>`);
    expect(html).toContain("Compared with the derivative stated by survey eq. 37:");
    expect(doc("relu").verification.claim).toBe("x > 0 ? 1 : 0 = x >= 0 ? 1 : 0");
    expect(doc("sigmoid").verification.result).toMatchObject({ verdict: "proved", method: "symbolic" });
  });

  test("the generated JavaScript of f and f′", () => {
    expect(doc("swish").code.f).toBe("function (x0, p0) {\n  return x0 * h_sigmoid(p0 * x0);\n}");
    expect(page("swish")).toContain(`<pre><code class="language-js">function (x0, p0) {`);
  });

  test("the property sheet, each value with how it was established", () => {
    const html = page("swish");
    expect(html).toContain(`<tr><th scope="row">Local extrema</th><td>minimum −0.2785 at x = −1.278, numerically observed (not proved; see how)</td>`);
    expect(html).toMatch(/<tr><th scope="row">Symmetry<\/th><td>none found<\/td><td class="method">\w+: /);
    expect(html).toContain("<caption>The survey&#39;s checklist</caption>");
    expect(page("sigmoid")).toContain(`<td>point-symmetric about (0, 0.5)</td>`);
  });

  test("a failing analysis is said on the page, not hidden, and the rest of the page is there", () => {
    const failing = describeActivation({ activation: define("relu"), entry: catalogEntry("relu")!, scope: catalogScope }, () => {
      throw new Error("no limit found");
    });
    const html = activationPage(failing, SITE);
    expect(html).toContain(`<p class="error">The property analysis failed: no limit found</p>`);
    expect(headings(html)).toContain("h2 Generated JavaScript");
  });

  test("the PyTorch module beside the JavaScript: the command that writes it, and the module itself, escaped", () => {
    const html = page("swish");
    expect(html).toContain("Written by <code>actdiff emit swish --lang torch --out swish.py</code>.");
    expect(html).toContain(`<code class="language-python">`);
    expect(html).toContain("class SwishFunction(torch.autograd.Function):");
    expect(html).toContain("&quot;&quot;&quot;swish for PyTorch, generated by actdiff from");
    expect(html).toContain(escapeXml(define("swish").emitModule({ lang: "torch" })));
  });

  test("the TensorFlow.js module beside them, with the command that writes it", () => {
    const html = page("swish");
    expect(html).toContain("Written by <code>actdiff emit swish --lang tfjs --out swish.js</code>.");
    expect(html).toContain(escapeXml(define("swish").emitModule({ lang: "tfjs" })));
  });

  test("text from the catalog is escaped", () => {
    expect(page("leaky_relu")).toContain(`<p class="lead">ReLU with a small fixed slope for x &lt; 0</p>`);
  });

  test("previous and next pages are linked", () => {
    const html = activationPage(doc("tanh"), SITE, { previous: doc("sigmoid"), next: doc("relu") });
    expect(html).toContain(`<a rel="prev" href="sigmoid.html">← sigmoid</a>`);
    expect(html).toContain(`<a rel="next" href="relu.html">relu →</a>`);
  });
});

describe("the gallery", () => {
  const html = indexPage(["sigmoid", "relu", "swish"].map(doc), SITE);

  test("a card per activation, in the groups of `actdiff list`: its name linking to its page, a small plot, its formula and summary", () => {
    expect(headings(html, "123")).toEqual([
      "h1 Activation functions", "h2 Sigmoid-like: bounded, S-shaped or saturating", "h3 sigmoid", "h2 ReLU family: piecewise, linear or exponential pieces", "h3 relu",
      "h2 Smooth ReLUs: smooth functions that approach ReLU", "h3 swish",
    ]);
    expect([...html.matchAll(/<h3><a href="([^"]+)">/g)].map((m) => m[1])).toEqual(["sigmoid.html", "relu.html", "swish.html"]);
    expect(count(html, /<svg\b[^>]*class="plot plot-thumbnail"[^>]*role="img"/)).toBe(3);
    expect(count(html, /class="katex-display"/)).toBe(3);
    expect(html).toContain(`<p class="summary">rectified linear unit</p>`);
  });

  test("it loads KaTeX's stylesheet from next to the pages, and no script", () => {
    expect(html).toContain(`<link rel="stylesheet" href="katex/katex.min.css">`);
    expect(html).not.toContain("<script");
  });
});

describe("the site's files", () => {
  test("an index, a page per activation and the stylesheet, the same bytes every time", () => {
    const docs = ["relu", "swish"].map(doc);
    const first = renderSite(docs, "html");
    expect([...first.keys()]).toEqual(["index.html", "relu.html", "swish.html", "style.css"]);
    const again = renderSite(["relu", "swish"].map((n) => describeActivation({ activation: define(n), entry: catalogEntry(n)!, scope: catalogScope }, analysis)), "html");
    expect(again).toEqual(first);
  });
});

describe("what to document", () => {
  test("a file: one definition a line, # comments, later lines calling earlier ones", () => {
    const subjects = subjectsFromFile("# my activations\nmish(x) = x * tanh(softplus(x))\n\nmish2(x) = 2 * mish(x)  # doubled\n", "defs.act");
    expect(subjects.map((s) => s.activation.name)).toEqual(["mish", "mish2"]);
    const d = describeActivation(subjects[1]!);
    expect(d.definition).toBe("mish2(x) = 2 * mish(x)");
    expect(d.formulas[1]!.text).toBe("2 * tanh(softplus(x)) + 2 * x * sigmoid(x) * (1 - tanh(softplus(x))^2)");
    expect(d.verification.result.status).toBe("holds");
    expect(d.verification.against).toContain("no outside source");
    expect(d.summary).toBeUndefined();
  });

  test("an error in a file points at its line and column there", () => {
    const text = "a(x) = x\nb(x) = a(x) + q(x)\n";
    const e = errorOf(() => subjectsFromFile(text, "defs.act"));
    expect(e).toBeInstanceOf(ActdiffError);
    expect([e.code, e.line, e.column, e.span?.offset]).toEqual(["E_UNKNOWN_NAME", 2, 15, 23]);
    expect(e.message).toBe("error[E_UNKNOWN_NAME]: defs.act: unknown function 'q' (line 2, column 15)\n  2 | b(x) = a(x) + q(x)\n    |               ^\nhint: run `actdiff list` for the catalog, or define it first");
  });

  test("a file line must name its function, and a name is defined once", () => {
    expect(() => subjectsFromFile("x * sigmoid(x)\n", "defs.act")).toThrow(/defs\.act: each line of a definitions file must name its function \(line 1, column 1\)[\s\S]*hint: write it as f1\(x\) = x \* sigmoid\(x\)/);
    expect(() => subjectsFromFile("g(x) = x\ng(x) = 2 * x\n", "defs.act")).toThrow(/defs\.act: 'g' is defined twice \(line 2, column 1\)/);
    expect(() => subjectsFromFile("# nothing\n\n", "defs.act")).toThrow("defs.act defines no activation");
  });

  test("names: catalog entries keep their record; anything else is a definition of its own", () => {
    const [elu, mine] = subjectsFromArguments(["elu", "softclip(x) = softplus(x) - softplus(x - 1)"]);
    expect(elu!.entry?.stated?.reference).toBe("survey eq. 15 (eq. 40 is lost in the text)");
    expect(mine!.entry).toBeUndefined();
    expect(() => subjectsFromArguments(["swsh"])).toThrow(/no catalog activation is called 'swsh'[\s\S]*did you mean 'swish'\?/);
    expect(() => subjectsFromArguments(["x^2", "x^3"])).toThrow("two activations are called 'f'");
  });

  test("a function of two inputs or of a vector is not describeActivation's to plot, and it says whose it is", () => {
    expect(() => describeActivation({ activation: define("g(x, y) = x * y"), scope: catalogScope })).toThrow("g has 2 inputs: its page is describeMulti()'s (describePage() chooses)");
    expect(() => describeActivation({ activation: define("softmax"), scope: catalogScope })).toThrow("softmax takes a vector: its page is describeMulti()'s (describePage() chooses)");
  });
});
