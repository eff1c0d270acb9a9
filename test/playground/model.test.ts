import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define } from "../../src/index.js";
import { generatedModule, panRange, paramControl, paramValues, plotter, validRange, viewFormula, zoomRange, type FormulaView } from "../../src/playground/model.js";
import { decodeState, encodeState } from "../../src/playground/state.js";

/** What the playground shows for a formula, without a browser: the same library calls the page makes. */
const formula = (text: string): FormulaView => {
  const view = viewFormula(text);
  if (view.kind !== "formula") throw new Error(view.message);
  return view;
};

describe("the playground's view of a formula", () => {
  test("mish: the derivative as `actdiff diff` prints it, LaTeX for the definition and f′", () => {
    const view = formula("mish(x) = x * tanh(softplus(x))");
    expect(view.derivativeText).toBe("mish'(x) = tanh(softplus(x)) + x * sigmoid(x) * (1 - tanh(softplus(x))^2)");
    expect(view.latex.map((l) => l.caption)).toEqual(["Definition", "First derivative"]);
    expect(view.latex[1]!.latex).toMatch(/^\\mathrm\{mish\}'\(x\) = /);
    expect(view.secondDerivativeText).toBeUndefined();
    expect(view.plottable).toBe(true);
    expect(view.params).toEqual([]);
  });

  test("f″ on request: typeset and as `actdiff diff --order 2` prints it; none for a function of two inputs", () => {
    const view = viewFormula("tanh", { second: true });
    if (view.kind !== "formula") throw new Error(view.message);
    expect(view.latex.map((l) => l.caption)).toEqual(["Definition", "First derivative", "Second derivative"]);
    expect(view.secondDerivativeText).toBe("d^2/dx^2 tanh(x) = -2 * tanh(x) * (1 - tanh(x)^2)");
    const glu = viewFormula("glu(a, b) = a * sigmoid(b)", { second: true });
    expect(glu.kind).toBe("formula");
    expect(glu.kind === "formula" && glu.secondDerivativeText).toBeUndefined();
  });

  test("the code of each tab is `actdiff emit --lang`'s, with the file name a download saves", () => {
    const mish = define("mish(x) = x * tanh(softplus(x))");
    const files = (["js", "ts", "torch", "tfjs"] as const).map((lang) => generatedModule(mish, lang));
    expect(files.map((m) => m.kind === "module" && m.fileName)).toEqual(["mish.js", "mish.ts", "mish.py", "mish.tfjs.js"]);
    for (const [i, lang] of (["js", "ts", "torch", "tfjs"] as const).entries()) {
      const m = files[i]!;
      expect(m.kind === "module" && m.source).toBe(mish.emitModule({ lang }));
    }
    expect(files[0]!.kind === "module" && files[0]!.source).toContain("export function f(");
  });

  test("a parameter gets a slider around its default", () => {
    const view = formula("swish(x; beta = 1) = x * sigmoid(beta * x)");
    expect(view.params).toEqual([{ name: "beta", value: 1, min: -1, max: 3, step: 0.01 }]);
    expect(paramControl("alpha", undefined)).toEqual({ name: "alpha", value: 1, min: -1, max: 3, step: 0.01 });
    expect(paramControl("k", -10)).toEqual({ name: "k", value: -10, min: -30, max: 10, step: 0.1 });
    // Values from the URL override the defaults; names the formula lacks and non-numbers are ignored.
    expect(paramValues(view.params, { beta: 2, gamma: 3 })).toEqual({ beta: 2 });
    expect(paramValues(view.params, { beta: Number.NaN })).toEqual({ beta: 1 });
  });

  test("the plot: f and f′ as two curves, which move with the parameter", () => {
    const view = formula("swish(x; beta = 1) = x * sigmoid(beta * x)");
    const draw = plotter(view);
    const paths = (svg: string) => [...svg.matchAll(/<path class="curve[^"]*" d="([^"]+)"/g)].map((m) => m[1]);
    const at1 = paths(draw.plot({ beta: 1 }));
    const at2 = paths(draw.plot({ beta: 2 }));
    expect(at1).toHaveLength(2);
    expect(at2).toHaveLength(2);
    expect(at2[0]).not.toBe(at1[0]);
    expect(draw.plot({ beta: 1 })).toContain("<title id=\"playground-plot-title\">swish(x) and swish′(x)</title>");
  });

  test("f″ on request is a third curve; a range given is the plot's x domain", () => {
    const view = formula("swish(x; beta = 1) = x * sigmoid(beta * x)");
    const draw = plotter(view, { second: true });
    const svg = draw.plot({ beta: 1 });
    expect([...svg.matchAll(/<path class="curve/g)]).toHaveLength(3);
    expect(svg).toContain("swish(x), swish′(x) and swish″(x)");
    expect(draw.defaultRange({ beta: 1 })).toEqual([-6, 6]);
    const zoomed = draw.plot({ beta: 1 }, [0, 1]);
    expect(zoomed).not.toBe(svg);
    // The tick labels of [0, 1] in tenths.
    expect(zoomed).toContain(">0.5<");
  });

  test("zoom and pan: a zoom about a point keeps it where it is; a pan keeps the width", () => {
    const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    fc.assert(fc.property(finite, fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (lo, width, factor, at) => {
      const [a, b] = zoomRange([lo, lo + width], factor, at);
      expect(b - a).toBeCloseTo(width * factor, 6);
      expect(a + (b - a) * at).toBeCloseTo(lo + width * at, 6);
      const [c, d] = panRange([lo, lo + width], factor - 5);
      expect(d - c).toBeCloseTo(width, 6);
    }));
    expect(zoomRange([0, 1], 1e-9)[1] - zoomRange([0, 1], 1e-9)[0]).toBeCloseTo(1e-6, 12);
    expect(validRange(2, 1)).toBeUndefined();
    expect(validRange(-1, Number.NaN)).toBeUndefined();
    expect(validRange(-1, 1)).toEqual([-1, 1]);
  });

  test("functions of several inputs and of vectors: formulas and module, no plot", () => {
    const glu = formula("glu(a, b) = a * sigmoid(b)");
    expect(glu.plottable).toBe(false);
    expect(glu.derivativeText.split("\n")).toEqual(["∂/∂a glu(a, b) = sigmoid(b)", expect.stringMatching(/^∂\/∂b glu\(a, b\) = /)]);
    const softmax = formula("softmax");
    expect(softmax.plottable).toBe(false);
    const module = generatedModule(softmax.activation, "js");
    expect(module.kind === "module" && module.source).toContain("export");
  });

  test("an error as actdiff gives it: message with position, the line with carets, the hint", () => {
    expect(viewFormula("sigmod(x)")).toEqual({
      kind: "error",
      message: "error[E_UNKNOWN_NAME]: unknown function 'sigmod' (line 1, column 1)",
      position: { line: 1, column: 1, offset: 0, length: 6 },
      excerpt: { text: "sigmod(x)", carets: "^^^^^^" },
      hint: "did you mean 'sigmoid'?",
    });
    const view = viewFormula("f(x) = x * (1 + ");
    expect(view.kind).toBe("error");
    if (view.kind === "error") expect(view.excerpt?.text).toBe("f(x) = x * (1 + ");
  });
});

describe("the state in the URL's fragment", () => {
  test("reads back what it wrote, for any formula and finite parameter values", () => {
    const name = fc.stringMatching(/^[a-z][a-z_0-9]{0,8}$/).filter((n) => n !== "f");
    fc.assert(fc.property(fc.string(), fc.dictionary(name, fc.double({ noNaN: true, noDefaultInfinity: true })), (text, params) => {
      const decoded = decodeState(encodeState({ formula: text, params }));
      expect(decoded?.formula).toBe(text);
      // -0 is written "0".
      expect(decoded?.params).toEqual(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === 0 ? 0 : v])));
    }));
  });

  test("a space is %20, not +; a fragment without a formula holds no state", () => {
    expect(encodeState({ formula: "f(x) = x + 1", params: { beta: 1.5 } })).toBe("#f=f%28x%29%20%3D%20x%20%2B%201&beta=1.5");
    expect(decodeState("")).toBeUndefined();
    expect(decodeState("#beta=2")).toBeUndefined();
    expect(decodeState("#f=relu&beta=abc&gamma=")).toEqual({ formula: "relu", params: {} });
  });

  test("how it is viewed: the x range, f″ and the code tab, under keys no parameter can have", () => {
    const state = { formula: "swish", params: { beta: 2 }, xRange: [-1.5, 3] as const, second: true, code: "torch" };
    const hash = encodeState(state);
    expect(hash).toBe("#f=swish&beta=2&view.xmin=-1.5&view.xmax=3&view.f2=1&view.code=torch");
    expect(decodeState(hash)).toEqual(state);
    // An empty or reversed range is no range.
    expect(decodeState("#f=relu&view.xmin=3&view.xmax=1")).toEqual({ formula: "relu", params: {} });
  });
});
