/**
 * The playground page's behaviour: reads the formula as the person types (debounced), shows
 * model.ts's view of it, keeps the state in the URL's fragment. Data flows one way: input →
 * viewFormula → the DOM; the URL is written on committed edits and read on load and on Back.
 * The worker's panels (claims, properties, the audit) and the code tabs have modules of their own.
 */
import katex from "katex";
import { PLAYGROUND_IDS, PLAYGROUND_START } from "../../docs/playground-page.js";
import { FULL_PLOT_X } from "../../docs/plot.js";
import { codeTabs, isTabLang, type CodeTabs } from "./code-tabs.js";
import { errorNodes } from "./dom.js";
import { EngineClient } from "./engine-client.js";
import { enginePanels, type EnginePanels } from "./engine-panels.js";
import {
  panRange, paramValues, plotter, validRange, viewFormula, zoomRange, type ErrorView, type FormulaView, type ParamControl, type Plotter, type XRange,
} from "../model.js";
import { decodeState, encodeState, type PlaygroundState } from "../state.js";

/** Long enough not to redo the work on every key of a word, short enough to feel live. */
const DEBOUNCE_MS = 150;
/** Commits of typing closer together than this are one entry of the history: Back undoes a burst of typing, not each pause in it. */
const HISTORY_MS = 1000;
/** The buttons' steps: zoom by a factor of 2, pan by a quarter of the width. */
const ZOOM_STEP = 2;
const PAN_STEP = 0.25;
/** A wheel's notch (deltaY ≈ 100) zooms by about 1.2. */
const WHEEL_RATE = 0.0018;
/** The performance mark set when the typing pause ends and the page starts on the formula. */
export const COMMIT_MARK = "actdiff-playground-commit";

type Ids = typeof PLAYGROUND_IDS;
const get = <T extends HTMLElement>(doc: Document, key: keyof Ids): T => {
  const element = doc.getElementById(PLAYGROUND_IDS[key]);
  if (!element) throw new Error(`playground: the page has no #${PLAYGROUND_IDS[key]}`);
  return element as T;
};

/** What is on screen: the formula it is for, its view and, if plottable, its compiled curves. */
interface Shown {
  readonly formula: string;
  readonly view: FormulaView | ErrorView;
  readonly plotter?: Plotter;
  readonly values: Record<string, number>;
  /** The zoomed or panned x range; undefined for the default one. */
  xRange?: XRange;
}

export function startPlayground(win: Window): void {
  const doc = win.document;
  const ui = {
    formula: get<HTMLInputElement>(doc, "formula"), catalog: get<HTMLSelectElement>(doc, "catalog"), error: get(doc, "error"),
    math: get(doc, "math"), second: get<HTMLInputElement>(doc, "second"), derivative: get(doc, "derivative"),
    secondText: get(doc, "secondText"), secondBlock: get(doc, "secondBlock"), params: get(doc, "params"), plot: get(doc, "plot"),
    xmin: get<HTMLInputElement>(doc, "xmin"), xmax: get<HTMLInputElement>(doc, "xmax"),
  };
  let shown: Shown | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const engine = new EngineClient(doc);
  const tabs: CodeTabs = codeTabs(doc, get(doc, "codeStatus"), () => writeUrl());
  const panels: EnginePanels = enginePanels(doc, engine, () =>
    shown?.view.kind === "formula" ? { formula: shown.formula, name: shown.view.activation.name, params: shown.values } : undefined);

  const state = (): PlaygroundState => ({
    formula: shown?.formula ?? ui.formula.value,
    params: shown?.view.kind === "formula" ? shown.values : {},
    ...(shown?.xRange && { xRange: shown.xRange }),
    ...(ui.second.checked && { second: true }),
    ...(tabs.selected !== "js" && { code: tabs.selected }),
  });
  /** A view change (slider, zoom, tab) replaces the current entry: Back undoes formula edits, not every drag. */
  const writeUrl = (push = false): void => {
    const url = encodeState(state());
    if (push) win.history.pushState(null, "", url);
    else win.history.replaceState(null, "", url);
  };

  const show = (s: PlaygroundState): void => {
    ui.second.checked = s.second === true;
    const lang = isTabLang(s.code) ? s.code : "js";
    if (lang !== tabs.selected) tabs.select(lang);
    const view = viewFormula(s.formula, { second: ui.second.checked });
    ui.formula.setAttribute("aria-invalid", String(view.kind === "error"));
    // The last good view stays below an error, dimmed, so that a typo does not blank the page.
    doc.body.classList.toggle("pg-stale", view.kind === "error");
    if (view.kind === "error") {
      ui.error.replaceChildren(...errorNodes(doc, view));
      shown = { formula: s.formula, view, values: {} };
      tabs.setActivation(undefined);
      panels.changed();
      return;
    }
    ui.error.replaceChildren();
    const values = paramValues(view.params, s.params);
    shown = { formula: s.formula, view, values, ...(view.plottable && { plotter: plotter(view, { second: ui.second.checked }) }), ...(s.xRange && { xRange: s.xRange }) };
    showMath(view);
    showParams(ui.params, view.params, values, (name, value) => {
      if (!shown) return;
      shown.values[name] = value;
      drawPlot();
      writeUrl();
      panels.changed();
    });
    drawPlot();
    // The code after the derivative and the plot are on screen: they are what a keystroke is for.
    const forView = shown;
    setTimeout(() => {
      if (shown === forView) tabs.setActivation(view.activation);
    }, 0);
    panels.changed();
  };

  const showMath = (view: FormulaView): void => {
    const figures = view.latex.map(({ caption, latex }) => {
      const figure = doc.createElement("figure");
      figure.className = "formula";
      const math = doc.createElement("div");
      // Our LaTeX printer's output, not the typed text; a failure shows KaTeX's red source rather than nothing.
      katex.render(latex, math, { displayMode: true, output: "htmlAndMathml", throwOnError: false });
      const label = doc.createElement("figcaption");
      label.textContent = caption;
      figure.append(label, math);
      return figure;
    });
    ui.math.replaceChildren(...figures);
    // A formula wider than the page scrolls: focusable, so that a keyboard can scroll it too.
    // Measured at the next frame, when the layout is made for drawing anyway.
    win.requestAnimationFrame(() => {
      for (const figure of figures) {
        if (figure.isConnected && figure.scrollWidth > figure.clientWidth) figure.tabIndex = 0;
      }
    });
    ui.derivative.textContent = view.derivativeText;
    ui.secondBlock.hidden = view.secondDerivativeText === undefined;
    ui.secondText.textContent = view.secondDerivativeText ?? "";
  };

  const drawPlot = (): void => {
    if (!shown || shown.view.kind !== "formula") return;
    const { view } = shown;
    if (!shown.plotter) {
      ui.plot.innerHTML = `<p>The plot shows functions of one number; ${view.activation.name} takes ${view.activation.isVector ? "a vector" : `${view.activation.inputs.length} inputs`}.</p>`;
      return;
    }
    const range = shown.xRange ?? shown.plotter.defaultRange(shown.values);
    ui.plot.innerHTML = shown.plotter.plot(shown.values, range);
    if (doc.activeElement !== ui.xmin) ui.xmin.value = String(Number(range[0].toPrecision(6)));
    if (doc.activeElement !== ui.xmax) ui.xmax.value = String(Number(range[1].toPrecision(6)));
  };

  /** Zoom and pan: every change of the range redraws at the next frame, once, and is kept in the URL. */
  let frame: number | undefined;
  const setRange = (range: XRange | undefined): void => {
    if (!shown?.plotter) return;
    shown.xRange = range;
    frame ??= win.requestAnimationFrame(() => {
      frame = undefined;
      drawPlot();
      writeUrl();
    });
  };
  const currentRange = (): XRange | undefined => (shown?.plotter ? shown.xRange ?? shown.plotter.defaultRange(shown.values) : undefined);
  const step = (f: (r: XRange) => XRange) => () => {
    const r = currentRange();
    if (r) setRange(f(r));
  };
  get(doc, "zoomIn").addEventListener("click", step((r) => zoomRange(r, 1 / ZOOM_STEP)));
  get(doc, "zoomOut").addEventListener("click", step((r) => zoomRange(r, ZOOM_STEP)));
  get(doc, "panLeft").addEventListener("click", step((r) => panRange(r, -PAN_STEP)));
  get(doc, "panRight").addEventListener("click", step((r) => panRange(r, PAN_STEP)));
  get(doc, "resetRange").addEventListener("click", () => setRange(undefined));
  for (const field of [ui.xmin, ui.xmax]) {
    field.addEventListener("change", () => {
      const r = validRange(Number(ui.xmin.value), Number(ui.xmax.value));
      if (r) setRange(r);
      field.setAttribute("aria-invalid", String(!r));
    });
  }
  /** Where the pointer is along the x axis: 0 at its left end, 1 at its right. */
  const axisFraction = (clientX: number): number => {
    const box = ui.plot.querySelector("svg")?.getBoundingClientRect();
    if (!box || box.width === 0) return 0.5;
    const at = ((clientX - box.left) / box.width - FULL_PLOT_X.left) / (FULL_PLOT_X.right - FULL_PLOT_X.left);
    return Math.min(1, Math.max(0, at));
  };
  ui.plot.addEventListener("wheel", (e) => {
    const r = currentRange();
    if (!r) return;
    e.preventDefault();
    setRange(zoomRange(r, Math.exp(e.deltaY * WHEEL_RATE), axisFraction(e.clientX)));
  }, { passive: false });
  let drag: { x: number; range: XRange; width: number } | undefined;
  ui.plot.addEventListener("pointerdown", (e) => {
    const r = currentRange();
    const box = ui.plot.querySelector("svg")?.getBoundingClientRect();
    if (!r || !box || e.button !== 0) return;
    drag = { x: e.clientX, range: r, width: box.width * (FULL_PLOT_X.right - FULL_PLOT_X.left) };
    ui.plot.setPointerCapture(e.pointerId);
    ui.plot.classList.add("dragging");
  });
  ui.plot.addEventListener("pointermove", (e) => {
    if (drag) setRange(panRange(drag.range, -(e.clientX - drag.x) / drag.width));
  });
  const endDrag = (): void => {
    drag = undefined;
    ui.plot.classList.remove("dragging");
  };
  ui.plot.addEventListener("pointerup", endDrag);
  ui.plot.addEventListener("pointercancel", endDrag);

  ui.second.addEventListener("change", () => {
    show(state());
    writeUrl();
  });

  /**
   * Shows the input's formula and, when it differs from the URL's, records it in the history: a
   * new entry, or in place of the last one when that was typed less than HISTORY_MS before.
   */
  let lastTyped = -Infinity;
  const commit = (typed: boolean): void => {
    timer = undefined;
    const formula = ui.formula.value;
    if (shown?.formula === formula) return;
    // For the latency benchmark (bench/playground.ts): where the page's work for an edit begins.
    win.performance.mark(COMMIT_MARK);
    show({ formula, params: {}, ...(ui.second.checked && { second: true }) });
    const now = win.performance.now();
    writeUrl(!(typed && now - lastTyped < HISTORY_MS));
    lastTyped = typed ? now : -Infinity;
  };

  ui.formula.addEventListener("input", () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => commit(true), DEBOUNCE_MS);
  });
  ui.catalog.addEventListener("change", () => {
    if (ui.catalog.value === "") return;
    ui.formula.value = ui.catalog.value;
    ui.catalog.value = "";
    if (timer !== undefined) clearTimeout(timer);
    commit(false);
  });
  // Back and Forward, and a link followed within the page: show what the URL holds.
  win.addEventListener("popstate", () => load());

  const load = (): void => {
    const s = decodeState(win.location.hash) ?? { formula: ui.formula.value || PLAYGROUND_START, params: {} };
    ui.formula.value = s.formula;
    show(s);
  };

  load();
  if (!decodeState(win.location.hash) && shown) writeUrl();
  // The worker's code is large: start it once the page is on screen, not before.
  setTimeout(() => engine.warmUp(), 500);
}

/** A slider and a number field per parameter, kept in step; either one moves the plot. */
function showParams(box: HTMLElement, controls: readonly ParamControl[], values: Record<string, number>, onChange: (name: string, value: number) => void): void {
  const doc = box.ownerDocument;
  const rows = controls.map((c) => {
    const value = values[c.name]!;
    const slider = doc.createElement("input");
    Object.assign(slider, { type: "range", min: String(Math.min(c.min, value)), max: String(Math.max(c.max, value)), step: String(c.step), value: String(value) });
    slider.setAttribute("aria-label", `${c.name}, slider`);
    const field = doc.createElement("input");
    Object.assign(field, { type: "number", step: "any", value: String(value) });
    field.setAttribute("aria-label", c.name);
    slider.addEventListener("input", () => {
      field.value = slider.value;
      onChange(c.name, Number(slider.value));
    });
    field.addEventListener("input", () => {
      const v = Number(field.value);
      if (field.value.trim() === "" || !Number.isFinite(v)) return;
      slider.value = String(v);
      onChange(c.name, v);
    });
    const label = doc.createElement("label");
    label.append(doc.createTextNode(c.name), slider, field);
    return label;
  });
  box.replaceChildren(...rows);
}
