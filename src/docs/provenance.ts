import { GROUP_TITLES, type CatalogEntry, type CatalogGroup, type Origin } from "../catalog/catalog.js";

/**
 * Where a catalog activation comes from, for its page: its group (the site's index groups pages
 * as `actdiff list` does), whose definition and whose kink convention it takes, the same function
 * in PyTorch, and how actdiff's differs from torch's where it does.
 */
export interface Provenance {
  readonly group: CatalogGroup;
  readonly groupTitle: string;
  /** "Definition from …" and "Kink convention from …", as sentences. */
  readonly sentences: readonly string[];
  /** The PyTorch expression computing the same function. */
  readonly torch: string;
  readonly torchDiffers?: string;
}

const ORIGIN_WORDS: Record<Origin, string> = {
  seed: "the seed documents (the activation survey and Caffe's table)",
  pytorch: "PyTorch",
  paper: "the paper",
};

export function provenanceOf(entry: CatalogEntry): Provenance {
  const sentences = [`Definition from ${ORIGIN_WORDS[entry.definedBy]}: ${entry.reference}.`];
  sentences.push(entry.kinkBy === undefined
    ? "Smooth: no kink convention is needed."
    : `Kink convention from ${ORIGIN_WORDS[entry.kinkBy]}${entry.kinkBy === "paper" ? " (above)" : ""}.`);
  return {
    group: entry.group, groupTitle: GROUP_TITLES[entry.group], sentences, torch: entry.torch,
    torchDiffers: entry.torchDiffers ?? "none beyond rounding: the same values and the same derivative, also at the kinks (tested against torch itself).",
  };
}

/** Pages in the order of the index: by group as `actdiff list` orders them, pages without one last. */
export function groupPages<T extends { readonly provenance?: Provenance }>(docs: readonly T[]): { title: string; docs: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const d of docs) {
    const title = d.provenance?.groupTitle ?? "Other";
    (groups.get(title) ?? groups.set(title, []).get(title)!).push(d);
  }
  const order = [...Object.values(GROUP_TITLES), "Other"];
  return [...groups].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([title, ds]) => ({ title, docs: ds }));
}
