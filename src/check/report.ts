import type { CheckedClaim, CheckReport } from "./check.js";

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

/** The terminal report: one block per claim, skipped formulas after, the summary last. */
export function renderText(name: string, r: CheckReport): string {
  const out: string[] = [name];
  const width = Math.max(4, ...[...r.claims, ...r.skipped].map((c) => String(c.line).length));
  const pad = (n: number): string => `line ${String(n).padStart(width)}`;
  for (const c of r.claims) {
    const verdict = c.verdict === "refuted" ? "REFUTED" : c.verdict;
    out.push(`  ${pad(c.line)}  ${verdict.padEnd(9)} ${stepOf(c)}${c.text}${labelOf(c)}`);
    const indent = " ".repeat(width + 18);
    if (c.verdict !== "proved") out.push(`${indent}${evidence(c)}`);
    if (c.hint) out.push(`${indent}slip: ${c.slip} — ${c.hint}`);
    for (const k of c.kinks ?? []) out.push(`${indent}kink: ${k.summary}`);
  }
  if (r.skipped.length) {
    out.push("  skipped (not read):");
    for (const s of r.skipped) out.push(`  ${pad(s.line)}  ${s.text.length > 70 ? `${s.text.slice(0, 69)}…` : s.text} — ${s.reason}`);
  }
  const also = [
    r.definitions.length ? `${r.definitions.length} definition${r.definitions.length === 1 ? "" : "s"} (${r.definitions.map((d) => d.name).join(", ")})` : "",
    r.ignored.length ? `${r.ignored.length} formula${r.ignored.length === 1 ? "" : "s"} with nothing to check (--json lists them with the reason)` : "",
  ].filter((x) => x !== "");
  if (also.length) out.push(`  also read: ${also.join("; ")}`);
  out.push(`  ${summaryLine(r)}`);
  return out.join("\n");
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string): string => (s === "" ? "" : `\`${s.replace(/`/g, "'")}\``);

/** The Markdown report of one document: the claims as a table, then what was skipped and set aside. */
export function renderMarkdown(name: string, r: CheckReport): string {
  const out: string[] = [`## ${name}`, "", summaryLine(r) + ".", ""];
  if (r.claims.length) {
    out.push("| line | eq. | claim | verdict | evidence | slip and notes |", "|---:|---|---|---|---|---|");
    for (const c of r.claims) {
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
  if (r.definitions.length) {
    out.push(`Definitions: ${r.definitions.map((d) => `${d.name} (line ${d.line})`).join(", ")}.`, "");
  }
  if (r.ignored.length) {
    out.push("Read, nothing to check:", "", "| line | formula | why |", "|---:|---|---|");
    for (const s of r.ignored) out.push(`| ${s.line} | ${code(cell(s.text))} | ${cell(s.reason)} |`);
    out.push("");
  }
  return out.join("\n");
}
