import type { CheckedClaim, CheckReport, DocumentDefinition } from "./check.js";

/** Plain text and Markdown renderings of a document check, for the terminal and for docs/. */

const at = (c: CheckedClaim): string => (c.counterexample ? Object.entries(c.counterexample.at).map(([k, v]) => `${k} = ${v}`).join(", ") : "");

function evidence(c: CheckedClaim): string {
  if (c.verdict === "refuted" && c.counterexample) {
    const piece = c.counterexample.piece ? ` (piece ${c.counterexample.piece})` : "";
    return `at ${at(c)}${piece}: left ${c.counterexample.lhs}, right ${c.counterexample.rhs}`;
  }
  return c.detail;
}

const stepOf = (c: CheckedClaim): string => (c.step ? `step ${c.step.index}/${c.step.of}: ` : "");
const labelOf = (c: CheckedClaim): string => (c.label ? ` (${c.label})` : "");

export function summaryLine(r: CheckReport): string {
  const s = r.summary;
  const total = s.proved + s.verified + s.refuted + s.undecided;
  return `${total} claim${total === 1 ? "" : "s"}: ${s.proved} proved, ${s.verified} verified, ${s.refuted} refuted, ${s.undecided} undecided; ${s.skipped} formula${s.skipped === 1 ? "" : "s"} skipped`;
}

type Entry = { readonly claim: CheckedClaim } | { readonly definition: DocumentDefinition };

/** Claims and definitions in the order of their lines (a definition first on a line it shares with a claim). */
function entries(r: CheckReport): Entry[] {
  const all: (Entry & { line: number; rank: number })[] = [
    ...r.definitions.map((definition, i) => ({ definition, line: definition.line, rank: i })),
    ...r.claims.map((claim, i) => ({ claim, line: claim.line, rank: r.definitions.length + i })),
  ];
  return all.sort((a, b) => a.line - b.line || a.rank - b.rank);
}

/** The terminal report: one block per claim or definition, skipped formulas after, the summary last. */
export function renderText(name: string, r: CheckReport): string {
  const out: string[] = [name];
  const width = Math.max(4, ...[...r.claims, ...r.skipped, ...r.definitions].map((c) => String(c.line).length));
  const pad = (n: number): string => `line ${String(n).padStart(width)}`;
  const indent = " ".repeat(width + 18);
  for (const e of entries(r)) {
    if ("definition" in e) {
      out.push(`  ${pad(e.definition.line)}  ${"defined".padEnd(9)} ${e.definition.text}`);
      for (const note of e.definition.notes ?? []) out.push(`${indent}${note}`);
      continue;
    }
    const c = e.claim;
    const verdict = c.verdict === "refuted" ? "REFUTED" : c.verdict;
    out.push(`  ${pad(c.line)}  ${verdict.padEnd(9)} ${stepOf(c)}${c.text}${labelOf(c)}`);
    if (c.verdict !== "proved") out.push(`${indent}${evidence(c)}`);
    if (c.hint) out.push(`${indent}slip: ${c.slip} — ${c.hint}`);
    for (const k of c.kinks ?? []) out.push(`${indent}kink: ${k.summary}`);
  }
  if (r.skipped.length) {
    out.push("  skipped (not read):");
    for (const s of r.skipped) out.push(`  ${pad(s.line)}  ${s.text.length > 70 ? `${s.text.slice(0, 69)}…` : s.text} — ${s.reason}`);
  }
  if (r.ignored.length) out.push(`  also read: ${r.ignored.length} formula${r.ignored.length === 1 ? "" : "s"} with nothing to check (--json lists them with the reason)`);
  out.push(`  ${summaryLine(r)}`);
  return out.join("\n");
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string): string => (s === "" ? "" : `\`${s.replace(/`/g, "'")}\``);

/** The Markdown report of one document: the claims as a table, then what was skipped and set aside. */
export function renderMarkdown(name: string, r: CheckReport): string {
  const out: string[] = [`## ${name}`, "", summaryLine(r) + ".", ""];
  if (r.claims.length || r.definitions.length) {
    out.push("| line | eq. | claim | verdict | evidence | slip and notes |", "|---:|---|---|---|---|---|");
    for (const e of entries(r)) {
      if ("definition" in e) {
        const d = e.definition;
        out.push(`| ${d.line} |  | ${code(cell(d.text))} | defined | defines ${cell(d.name)} | ${cell((d.notes ?? []).join("<br>"))} |`);
        continue;
      }
      const c = e.claim;
      const notes = [
        c.hint ? `**${c.slip}**: ${c.hint}` : "",
        ...(c.kinks ?? []).map((k) => `kink: ${k.summary}`),
        ...(c.notes ?? []),
      ].filter((x) => x !== "").join("<br>");
      const verdict = c.verdict === "refuted" ? "**refuted**" : c.verdict;
      out.push(`| ${c.line} | ${c.label ?? ""} | ${cell(stepOf(c))}${code(cell(c.text))} | ${verdict} | ${cell(evidence(c))} | ${cell(notes)} |`);
    }
    out.push("");
  }
  if (r.skipped.length) {
    out.push("Skipped, with the reason:", "", "| line | formula | reason |", "|---:|---|---|");
    for (const s of r.skipped) out.push(`| ${s.line} | ${code(cell(s.text.length > 90 ? `${s.text.slice(0, 89)}…` : s.text))} | ${cell(s.reason)} |`);
    out.push("");
  }
  if (r.ignored.length) {
    out.push("Read, nothing to check:", "", "| line | formula | why |", "|---:|---|---|");
    for (const s of r.ignored) out.push(`| ${s.line} | ${code(cell(s.text))} | ${cell(s.reason)} |`);
    out.push("");
  }
  return out.join("\n");
}
