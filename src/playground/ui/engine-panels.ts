/**
 * The parts of the page the worker answers (engine.ts): the claim box, the property sheet and
 * the accuracy audit. Each asks for the formula on screen and shows what comes back, in a live
 * region; the page stays responsive meanwhile.
 */
import { AUDIT_DENSITIES, PLAYGROUND_IDS } from "../../docs/playground-page.js";
import { errorNodes, element } from "./dom.js";
import type { AuditView, EngineView, PropertiesView, VerifyView } from "../engine.js";
import type { EngineClient, Running } from "./engine-client.js";

/** What the panels need to know of the page: the formula on screen (undefined while it has an error) and its parameter values. */
export interface Current {
  readonly formula: string;
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
}

export interface EnginePanels {
  /** The formula or a parameter changed: an open property sheet is made again (a little later, for a slider's drag). */
  changed(): void;
}

/** Long enough that dragging a slider asks for one sheet, not one per step. */
const PROPS_DELAY_MS = 300;

export function enginePanels(doc: Document, engine: EngineClient, current: () => Current | undefined): EnginePanels {
  const get = <T extends HTMLElement>(key: keyof typeof PLAYGROUND_IDS): T => doc.getElementById(PLAYGROUND_IDS[key]) as T;
  const verdict = get("verdict");
  const props = get<HTMLDetailsElement>("props");
  const propsBody = get("propsBody");

  get<HTMLFormElement>("claimForm").addEventListener("submit", (e) => {
    e.preventDefault();
    const claim = get<HTMLInputElement>("claim").value.trim();
    const now = current();
    if (claim === "") return void verdict.replaceChildren(element(doc, "p", "Type a claim first, e.g. " + (now ? `${now.name}'(x) = …` : "f'(x) = …")));
    if (!now) return void verdict.replaceChildren(element(doc, "p", "The formula above has an error: fix it first."));
    verdict.replaceChildren(element(doc, "p", `Checking ${claim} …`));
    void engine.ask({ kind: "verify", formula: now.formula, claim }).then((view) => {
      if (view) verdict.replaceChildren(...(view.kind === "verify" ? verifyNodes(doc, view) : nodesOf(doc, view)));
    });
  });

  let propsTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshProps = (): void => {
    propsTimer = undefined;
    const now = current();
    if (!props.open) return;
    if (!now) return void propsBody.replaceChildren(element(doc, "p", "The formula above has an error: fix it first."));
    propsBody.setAttribute("aria-busy", "true");
    if (!propsBody.hasChildNodes()) propsBody.replaceChildren(element(doc, "p", "Working out the properties …"));
    void engine.ask({ kind: "props", formula: now.formula, params: now.params }).then((view) => {
      if (!view) return;
      propsBody.removeAttribute("aria-busy");
      propsBody.replaceChildren(...(view.kind === "props" ? propertyNodes(doc, view) : nodesOf(doc, view)));
    });
  };
  props.addEventListener("toggle", () => {
    if (props.open) refreshProps();
  });

  auditPanel(doc, engine, current);
  return {
    changed() {
      if (!props.open) return void propsBody.replaceChildren();
      if (propsTimer !== undefined) clearTimeout(propsTimer);
      propsTimer = setTimeout(refreshProps, PROPS_DELAY_MS);
    },
  };
}

/** An answer that is not what was asked for: an error (of the claim, say) or a view of another kind. */
function nodesOf(doc: Document, view: EngineView): HTMLElement[] {
  return view.kind === "error" ? errorNodes(doc, view) : [element(doc, "p", `Unexpected answer: ${view.kind}`)];
}

/** The verdict as `actdiff verify` prints it: its fields, as a definition list. */
function verifyNodes(doc: Document, view: VerifyView): HTMLElement[] {
  const list = doc.createElement("dl");
  for (const [label, value] of view.fields) {
    const dd = element(doc, "dd", value);
    if (label === "verdict") dd.className = view.holds ? "holds" : view.verdict === "refuted" ? "refuted" : "";
    list.append(element(doc, "dt", label), dd);
  }
  return [list];
}

/** The property sheet as the docs pages lay it out: property, value, how it was established. */
function propertyNodes(doc: Document, view: PropertiesView): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const t of view.tables) {
    const table = element(doc, "table", undefined, "pg-props-table");
    table.append(element(doc, "caption", t.title));
    const head = doc.createElement("tr");
    for (const h of ["Property", "Value", "How it was established"]) {
      const th = element(doc, "th", h);
      th.scope = "col";
      head.append(th);
    }
    table.createTHead().append(head);
    const body = table.createTBody();
    for (const r of t.rows) {
      const tr = body.insertRow();
      const th = element(doc, "th", r.property);
      th.scope = "row";
      tr.append(th, element(doc, "td", r.value), element(doc, "td", r.method));
    }
    out.push(table);
  }
  if (view.notes.length) {
    const notes = doc.createElement("ul");
    notes.append(...view.notes.map((n) => element(doc, "li", n)));
    out.push(element(doc, "h3", "Notes"), notes);
  }
  return out;
}

/** The audit of the formula on screen when Run is pressed; the report names the function it is of. */
function auditPanel(doc: Document, engine: EngineClient, current: () => Current | undefined): void {
  const get = <T extends HTMLElement>(key: keyof typeof PLAYGROUND_IDS): T => doc.getElementById(PLAYGROUND_IDS[key]) as T;
  const run = get<HTMLButtonElement>("auditRun");
  const cancel = get<HTMLButtonElement>("auditCancel");
  const progress = get<HTMLProgressElement>("auditProgress");
  const status = get("auditStatus");
  const report = get("auditReport");
  const density = get<HTMLSelectElement>("auditDensity");
  let running: Running | undefined;

  const finish = (): void => {
    running = undefined;
    run.disabled = false;
    cancel.disabled = true;
  };

  run.addEventListener("click", () => {
    const now = current();
    if (!now) return void (status.textContent = "The formula above has an error: fix it first.");
    const points = Number(density.value);
    const sweep = points < AUDIT_DENSITIES.full ? `reduced sweep, density ${points} (the command line's is ${AUDIT_DENSITIES.full})` : `full sweep, density ${points}`;
    run.disabled = true;
    cancel.disabled = false;
    progress.value = 0;
    status.textContent = `Auditing ${now.name}: ${sweep} …`;
    const started = performance.now();
    const job = engine.run({ kind: "audit", formula: now.formula, params: now.params, density: points }, (done, total) => {
      progress.max = total;
      progress.value = done;
    });
    running = job;
    void job.result.then((view: EngineView | undefined) => {
      if (running !== job) return;
      finish();
      if (!view) return;
      if (view.kind !== "audit") {
        status.replaceChildren(...nodesOf(doc, view));
        return;
      }
      progress.value = progress.max;
      showReport(view, now.name, sweep, (performance.now() - started) / 1000);
    });
  });

  const showReport = (view: AuditView, name: string, sweep: string, seconds: number): void => {
    status.textContent = `${name}: ${view.pass ? "PASS" : "FAIL"} — ${sweep}; ${seconds.toFixed(1)} s in the worker.`;
    report.textContent = view.text;
    report.hidden = false;
  };

  cancel.addEventListener("click", () => {
    running?.cancel();
    finish();
    progress.value = 0;
    status.textContent = "Audit cancelled.";
  });
}
