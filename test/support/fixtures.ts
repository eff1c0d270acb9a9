/** Readers for the golden files in test/fixtures: plain text a reader can scan. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const fixturePath = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Lines that are not blank and not `#` comments, with their 1-based line numbers. */
export function contentLines(name: string): { line: number; text: string }[] {
  return readFileSync(fixturePath(name), "utf8")
    .split("\n")
    .map((text, i) => ({ line: i + 1, text: text.trim() }))
    .filter((l) => l.text !== "" && !(l.text.startsWith("#") && !l.text.startsWith("##")));
}

export interface DerivativeCase {
  readonly line: number;
  readonly input: string;
  readonly expected: string;
  readonly wrt: string | undefined; // undefined: the activation's input
  readonly order: number;
  readonly section: string;
}

/** test/fixtures/derivatives.txt: `## dN/dVAR` sections of `formula  ==>  derivative` lines. */
export function derivativeCases(): DerivativeCase[] {
  const out: DerivativeCase[] = [];
  let wrt: string | undefined;
  let order = 1;
  let section = "";
  for (const { line, text } of contentLines("derivatives.txt")) {
    if (text.startsWith("##")) {
      const m = /^## d(\d*)\/d([A-Za-z_]+?)(\d*)(?:\s|$)/.exec(text);
      if (!m) throw new Error(`derivatives.txt:${line}: a section header looks like "## d/dx" or "## d2/dx2"`);
      order = m[1] ? Number(m[1]) : 1;
      wrt = m[2] === "x" ? undefined : m[2];
      section = text.slice(3);
      continue;
    }
    const parts = text.split("==>");
    if (parts.length !== 2) throw new Error(`derivatives.txt:${line}: expected "formula  ==>  derivative"`);
    out.push({ line, input: parts[0]!.trim(), expected: parts[1]!.trim(), wrt, order, section });
  }
  return out;
}

export interface SurveyCase {
  readonly line: number;
  /** The equation number(s) in the survey, e.g. "17" or "40 (= 15)". */
  readonly equation: string;
  readonly name: string;
  readonly stated: string;
}

/** test/fixtures/survey-derivatives.txt: `eq N | catalog name | stated derivative` lines. */
export function surveyCases(): SurveyCase[] {
  return contentLines("survey-derivatives.txt").map(({ line, text }) => {
    const m = /^eq\s+([^|]+?)\s*\|\s*(\w+)\s*\|\s*(.+)$/.exec(text);
    if (!m) throw new Error(`survey-derivatives.txt:${line}: expected "eq N | name | derivative"`);
    return { line, equation: m[1]!, name: m[2]!, stated: m[3]! };
  });
}

/** test/fixtures/simplify.txt: `expression  ==>  simplified` lines. */
export function simplifyCases(): { line: number; input: string; expected: string }[] {
  return contentLines("simplify.txt").map(({ line, text }) => {
    const parts = text.split("==>");
    if (parts.length !== 2) throw new Error(`simplify.txt:${line}: expected "expression  ==>  simplified"`);
    return { line, input: parts[0]!.trim(), expected: parts[1]!.trim() };
  });
}
