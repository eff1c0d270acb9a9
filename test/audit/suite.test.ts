import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { auditSuiteEntry, suiteMarkdown, type SuiteEntry, type SuiteRow } from "../../src/audit/suite.js";
import { define } from "../../src/index.js";

// The FPBench / Herbie suite at a quick setting. What holds today for the code actdiff generates
// (stable), row by row: tighten these as the rewrite rules of issue 16 land (the target: every
// row within 4κ ulps on [−1000, 1000], never NaN/±∞ where the truth is finite).
const suite = JSON.parse(readFileSync(new URL("../fixtures/fpbench/suite.json", import.meta.url), "utf8")) as { entries: SuiteEntry[] };

/** Today's stable figures: the largest error allowed, and whether NaN/±∞ where finite still occurs. */
const TODAY: Record<string, { readonly maxUlps: number; readonly nonFinite: boolean }> = {
  "expm1 (example 3.7)": { maxUlps: 4, nonFinite: false },
  "expq2 (section 3.11)": { maxUlps: 4, nonFinite: true }, // overflow at the pole, x ≈ ±1e-300
  "Hyperbolic tangent": { maxUlps: 4, nonFinite: false },
  "Hyperbolic sine": { maxUlps: Infinity, nonFinite: true }, // e^x − e^−x cancels near 0, overflows past 710
  "Hyperbolic secant": { maxUlps: 4, nonFinite: false },
  "Hyperbolic arcsine": { maxUlps: Infinity, nonFinite: false }, // x + sqrt(x² + 1) cancels for x < 0
  "Logistic function from Lakshay Garg": { maxUlps: 4, nonFinite: false },
  "Logistic regression 2": { maxUlps: Infinity, nonFinite: false }, // y = 1: log(1 + e^x) − x cancels for x ≫ 0
  "Quotient of sum of exps": { maxUlps: 1000, nonFinite: false },
  "Exp of sum of logs": { maxUlps: 1000, nonFinite: false },
  "Logistic function (pbrt), float32": { maxUlps: 2, nonFinite: false },
  "Logistic distribution (pbrt), float32": { maxUlps: 2, nonFinite: false },
};

describe("FPBench and Herbie formulas, as actdiff compiles them", () => {
  const rows: SuiteRow[] = suite.entries.flatMap((entry) => auditSuiteEntry(entry, define(entry.definition), { density: 8 }));

  it.each(suite.entries.map((e) => [e.name] as const))("%s: no worse than today", (name) => {
    const today = TODAY[name]!;
    for (const row of rows.filter((r) => r.name === name)) {
      expect(row.full.stable, JSON.stringify(row.params)).toBeLessThanOrEqual(today.maxUlps);
      if (!today.nonFinite) expect(row.full.stableNonFinite, JSON.stringify(row.params)).toBe(0);
    }
  });

  it("the stable code is never worse than the formula as written, on any row", () => {
    for (const r of rows) {
      if (r.full.naiveNonFinite === 0) expect(r.full.stableNonFinite).toBe(0);
    }
  });

  it("the table has a row per formula and parameter value, with the benchmark's range where it states one", () => {
    const table = suiteMarkdown(rows);
    expect(table.split("\n")).toHaveLength(2 + rows.length);
    expect(table).toMatch(/expm1 \(example 3\.7\).*on \[-1, 1\]/);
  });
});
