/**
 * The playground page's behaviour: reads the formula as the person types (debounced), shows
 * model.ts's view of it, keeps the state in the URL's fragment. Data flows one way: input →
 * viewFormula → the DOM; the URL is written on committed edits and read on load and on Back.
 */
import katex from "katex";
import { PLAYGROUND_IDS, PLAYGROUND_START } from "../docs/playground-page.js";
import { paramValues, plotter, viewFormula, type ErrorView, type FormulaView, type ParamControl, type Plotter } from "./model.js";
import { decodeState, encodeState, type PlaygroundState } from "./state.js";

/** Long enough not to redo the work on every key of a word, short enough to feel live. */
const DEBOUNCE_MS = 150;

interface Elements {
  readonly formula: HTMLInputElement;
  readonly catalog: HTMLSelectElement;
  readonly error: HTMLElement;
  readonly math: HTMLElement;
  readonly derivative: HTMLElement;
  readonly params: HTMLElement;
  readonly plot: HTMLElement;
  readonly module: HTMLElement;
  readonly copy: HTMLButtonElement;
  readonly download: HTMLButtonElement;
  readonly status: HTMLElement;
}

function elements(doc: Document): Elements {
  const get = <T extends HTMLElement>(key: keyof typeof PLAYGROUND_IDS): T => {
    const element = doc.getElementById(PLAYGROUND_IDS[key]);
    if (!element) throw new Error(`playground: the page has no #${PLAYGROUND_IDS[key]}`);
    return element as T;
  };
  return {
    formula: get("formula"), catalog: get("catalog"), error: get("error"), math: get("math"), derivative: get("derivative"),
    params: get("params"), plot: get("plot"), module: get("module"), copy: get("copy"), download: get("download"), status: get("status"),
  };
}

export function startPlayground(win: Window): void {
  const doc = win.document;
  const ui = elements(doc);
  /** What is on screen: the formula it is for, its view and, if plottable, its compiled curves. */
  let shown: { formula: string; view: FormulaView | ErrorView; plotter?: Plotter; values: Record<string, number> } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const show = (state: PlaygroundState): void => {
    const view = viewFormula(state.formula);
    ui.formula.setAttribute("aria-invalid", String(view.kind === "error"));
    // The last good view stays below an error, dimmed, so that a typo does not blank the page.
    doc.body.classList.toggle("pg-stale", view.kind === "error");
    if (view.kind === "error") {
      showError(ui, view);
      shown = { formula: state.formula, view, values: {} };
      return;
    }
    ui.error.replaceChildren();
    const values = paramValues(view.params, state.params);
    shown = { formula: state.formula, view, values, ...(view.plottable && { plotter: plotter(view) }) };
    showMath(ui, view);
    ui.module.textContent = view.module.source;
    showParams(ui, view.params, values, (name, value) => {
      if (!shown) return;
      shown.values[name] = value;
      drawPlot();
      // A slider's move replaces the current entry: Back undoes formula edits, not every drag.
      win.history.replaceState(null, "", encodeState({ formula: shown.formula, params: shown.values }));
    });
    drawPlot();
  };

  const drawPlot = (): void => {
    if (!shown || shown.view.kind !== "formula") return;
    ui.plot.innerHTML = shown.plotter
      ? shown.plotter.plot(shown.values)
      : `<p>The plot shows functions of one number; ${shown.view.activation.name} takes ${shown.view.activation.isVector ? "a vector" : `${shown.view.activation.inputs.length} inputs`}.</p>`;
  };

  /** Shows the input's formula and, when it differs from the URL's, records it as a new history entry. */
  const commit = (): void => {
    timer = undefined;
    const formula = ui.formula.value;
    if (shown?.formula === formula) return;
    show({ formula, params: {} });
    const state = { formula, params: shown?.view.kind === "formula" ? shown.values : {} };
    win.history.pushState(null, "", encodeState(state));
  };

  ui.formula.addEventListener("input", () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(commit, DEBOUNCE_MS);
  });
  ui.catalog.addEventListener("change", () => {
    if (ui.catalog.value === "") return;
    ui.formula.value = ui.catalog.value;
    ui.catalog.value = "";
    if (timer !== undefined) clearTimeout(timer);
    commit();
  });
  // Back and Forward, and a link followed within the page: show what the URL holds.
  win.addEventListener("popstate", () => load());

  const load = (): void => {
    const state = decodeState(win.location.hash) ?? { formula: ui.formula.value || PLAYGROUND_START, params: {} };
    ui.formula.value = state.formula;
    show(state);
  };

  ui.copy.addEventListener("click", () => void copyModule(ui));
  ui.download.addEventListener("click", () => downloadModule(doc, ui, shown?.view));
  load();
  if (!decodeState(win.location.hash) && shown) win.history.replaceState(null, "", encodeState({ formula: shown.formula, params: shown.values }));
}

function showError(ui: Elements, view: ErrorView): void {
  const doc = ui.error.ownerDocument;
  const message = doc.createElement("p");
  message.className = "message";
  message.textContent = view.message;
  const parts: HTMLElement[] = [message];
  if (view.excerpt) {
    const excerpt = doc.createElement("pre");
    excerpt.className = "excerpt";
    excerpt.textContent = `${view.excerpt.text}\n${view.excerpt.carets}`;
    parts.push(excerpt);
  }
  if (view.hint !== undefined) {
    const hint = doc.createElement("p");
    hint.className = "hint";
    hint.textContent = `hint: ${view.hint}`;
    parts.push(hint);
  }
  ui.error.replaceChildren(...parts);
}

function showMath(ui: Elements, view: FormulaView): void {
  const doc = ui.math.ownerDocument;
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
  ui.derivative.textContent = view.derivativeText;
}

/** A slider and a number field per parameter, kept in step; either one moves the plot. */
function showParams(ui: Elements, controls: readonly ParamControl[], values: Record<string, number>, onChange: (name: string, value: number) => void): void {
  const doc = ui.params.ownerDocument;
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
  ui.params.replaceChildren(...rows);
}

async function copyModule(ui: Elements): Promise<void> {
  const text = ui.module.textContent ?? "";
  try {
    await ui.module.ownerDocument.defaultView!.navigator.clipboard.writeText(text);
    ui.status.textContent = "Copied.";
  } catch {
    // No clipboard access (a file:// page in some browsers): select the code for Ctrl+C instead.
    const selection = ui.module.ownerDocument.getSelection();
    selection?.selectAllChildren(ui.module);
    ui.status.textContent = "Selected: press Ctrl+C to copy.";
  }
}

function downloadModule(doc: Document, ui: Elements, view: FormulaView | ErrorView | undefined): void {
  if (!view || view.kind !== "formula") return;
  const url = URL.createObjectURL(new Blob([view.module.source], { type: "text/javascript" }));
  const link = doc.createElement("a");
  link.href = url;
  link.download = view.module.fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  ui.status.textContent = `Downloaded ${view.module.fileName}.`;
}
