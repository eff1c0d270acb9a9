/**
 * The generated code, one tab per language of `actdiff emit --lang` (the WAI-ARIA tabs pattern:
 * arrow keys, Home and End move between tabs and show each; Tab moves into the panel). A
 * language's module is generated when its tab is shown, once per formula.
 */
import type { Activation } from "../../api/activation.js";
import type { EmitLang } from "../../codegen/langs.js";
import { codeIds, PLAYGROUND_CODE_TABS } from "../../docs/playground-page.js";
import { copyText, errorNodes, saveFile } from "./dom.js";
import { generatedModule, type GeneratedModule } from "../model.js";

export interface CodeTabs {
  /** The language shown. */
  readonly selected: EmitLang;
  select(lang: EmitLang, focus?: boolean): void;
  /** A new function (or none, while the formula has an error): the modules are made again as their tabs are shown. */
  setActivation(activation: Activation | undefined): void;
}

export function isTabLang(lang: string | undefined): lang is EmitLang {
  return PLAYGROUND_CODE_TABS.some((t) => t.lang === lang);
}

export function codeTabs(doc: Document, status: HTMLElement, onSelect: (lang: EmitLang) => void): CodeTabs {
  const get = (id: string): HTMLElement => doc.getElementById(id)!;
  const langs = PLAYGROUND_CODE_TABS.map((t) => t.lang);
  let activation: Activation | undefined;
  let selected: EmitLang = langs[0]!;
  const made = new Map<EmitLang, GeneratedModule>();

  const fill = (lang: EmitLang): void => {
    const ids = codeIds(lang);
    const code = get(ids.code);
    if (!activation) return;
    let module = made.get(lang);
    if (!module) made.set(lang, (module = generatedModule(activation, lang)));
    const ok = module.kind === "module";
    code.replaceChildren(...(module.kind === "module" ? [doc.createTextNode(module.source)] : errorNodes(doc, module)));
    (get(ids.copy) as HTMLButtonElement).disabled = !ok;
    (get(ids.download) as HTMLButtonElement).disabled = !ok;
  };

  const tabs: CodeTabs = {
    get selected() { return selected; },
    select(lang, focus = false) {
      selected = lang;
      for (const l of langs) {
        const ids = codeIds(l);
        const tab = get(ids.tab);
        tab.setAttribute("aria-selected", String(l === lang));
        tab.tabIndex = l === lang ? 0 : -1;
        get(ids.panel).hidden = l !== lang;
      }
      if (focus) get(codeIds(lang).tab).focus();
      fill(lang);
    },
    setActivation(a) {
      activation = a;
      made.clear();
      fill(selected);
    },
  };

  langs.forEach((lang, i) => {
    const ids = codeIds(lang);
    get(ids.tab).addEventListener("click", () => {
      tabs.select(lang);
      onSelect(lang);
    });
    get(ids.tab).addEventListener("keydown", (e) => {
      const keys: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: langs.length - 1 };
      const to = keys[e.key];
      if (to === undefined) return;
      e.preventDefault();
      const next = langs[(to + langs.length) % langs.length]!;
      tabs.select(next, true);
      onSelect(next);
    });
    get(ids.copy).addEventListener("click", () => {
      if (!made.has(lang)) fill(lang);
      void copyText(get(ids.code), status);
    });
    get(ids.download).addEventListener("click", () => {
      // The module is made a moment after the formula is shown: a click in between makes it now.
      if (!made.has(lang)) fill(lang);
      const module = made.get(lang);
      if (module?.kind !== "module") return;
      saveFile(doc, module.fileName, module.source, module.mime);
      status.textContent = `Downloaded ${module.fileName}.`;
    });
  });
  return tabs;
}
