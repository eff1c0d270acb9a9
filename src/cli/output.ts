/** Plain-text tables and JSON for the command line. */
import { escapeControls, escapeJson } from "../controls.js";

export type Align = "left" | "right";

/** Columns padded to their widest cell; numbers read best right-aligned, text left-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const width = headers.map((h, i) => Math.max(length(h), ...rows.map((r) => length(r[i] ?? ""))));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => pad(c, width[i]!, align[i] ?? "left")).join("  ").trimEnd();
  return [line(headers), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** `key: value` lines with the values aligned. */
export function fields(entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([k]) => length(k)));
  return entries.map(([k, v]) => `${k}:${" ".repeat(width - length(k) + 1)}${v}`).join("\n");
}

/** JSON has no NaN or Infinity; they travel as the strings "NaN", "Infinity", "-Infinity". */
export const jsonNumber = (n: number): number | string => (Number.isFinite(n) ? n : String(n));

/** Every --json answer is exactly one object on stdout (control characters in its strings as \uXXXX). */
export const printJson = (value: object): void => {
  process.stdout.write(escapeJson(JSON.stringify(value, null, 2)) + "\n");
};

/** Text on stdout, with whatever of the input it echoes made safe for a terminal (src/controls.ts). */
export const printText = (text: string): void => {
  process.stdout.write(escapeControls(text) + "\n");
};

/** A line on stderr (a warning, a note), made safe the same way. */
export const printError = (text: string): void => {
  process.stderr.write(escapeControls(text) + "\n");
};

// Code points, not UTF-16 units, so that `′`, `∂` and Greek letters count as one column.
const length = (s: string): number => [...s].length;

const pad = (s: string, w: number, align: Align): string => {
  const fill = " ".repeat(w - length(s));
  return align === "right" ? fill + s : s + fill;
};
