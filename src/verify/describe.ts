import type { VerifyResult } from "./verify.js";

/**
 * A verdict as `actdiff verify` prints it, as labelled fields: the CLI lays them out as text,
 * the playground as a definition list — the same words in both.
 */
const PROCEDURES: Record<VerifyResult["evidence"]["procedure"], string> = {
  "exp-rational": "the exp-rational decision procedure",
  simplification: "simplification to 0",
  piecewise: "piece by piece",
  sampling: "sampling to 40 digits",
};

export function verifyFields(r: VerifyResult): [string, string][] {
  const lines: [string, string][] = [
    ["verdict", r.verdict],
    ["method", `${r.method} (${PROCEDURES[r.evidence.procedure]})`],
    ["detail", r.detail], ["lhs", r.lhs], ["rhs", r.rhs],
  ];
  const c = r.counterexample;
  if (c) {
    lines.push(
      ["at", Object.entries(c.at).map(([k, v]) => `${k} = ${v}`).join(", ")],
      ["lhs there", c.lhs],
      ["rhs there", c.rhs],
    );
    if (c.piece) lines.push(["piece", c.piece]);
  }
  if (r.slip) lines.push(["slip", r.slip]);
  if (r.hint) lines.push(["hint", r.hint]);
  for (const k of r.kinks ?? []) lines.push(["kink", k.summary + (k.parameters ? ` (at ${Object.entries(k.parameters).map(([n, v]) => `${n} = ${v}`).join(", ")})` : "")]);
  for (const note of r.conventions ?? []) lines.push(["note", note]);
  return lines;
}
