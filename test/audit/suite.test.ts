import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { auditSuiteEntry, meetsTarget, suiteMarkdown, type SuiteEntry, type SuiteRow } from "../../src/audit/suite.js";
import { checkedTorchExpression } from "../../src/audit/torch-formula.js";
import { ActdiffError } from "../../src/errors.js";
import { define } from "../../src/index.js";

// The FPBench / Herbie suite (test/fixtures/fpbench/suite.json) at a quick setting, held to the
// target of issue 16: as actdiff compiles it, every row within max(base, 4κ) ulps at every point
// of [−1000, 1000] (κ = |x·f′/f|, base 4 in float64 and 2 in float32), and never NaN/±∞ where the
// truth is finite. The rows that do not meet it yet are listed with the reason.
const suite = JSON.parse(readFileSync(new URL("../fixtures/fpbench/suite.json", import.meta.url), "utf8")) as { entries: SuiteEntry[] };

/** Rows (name, or name and parameters) that miss the target today, and why. */
const NOT_YET: Record<string, string> = {
  // −log(1/x − 1): 1/x overflows at x = 5e−324, where the value is finite (−744.4).
  "neg log": "1/x overflows at the smallest subnormal",
};

const key = (r: SuiteRow): string => (Object.keys(r.params).length > 0 ? `${r.name} ${JSON.stringify(r.params)}` : r.name);
const notYet = (r: SuiteRow): boolean => NOT_YET[r.name] !== undefined || NOT_YET[key(r)] !== undefined;

describe("FPBench and Herbie formulas, as actdiff compiles them", () => {
  const rows: SuiteRow[] = suite.entries.flatMap((entry) => auditSuiteEntry(entry, define(entry.definition), { density: 6 }));

  it.each(suite.entries.map((e) => [e.name] as const))("%s: within max(base, 4κ) ulps, never NaN/±∞ where finite", (name) => {
    for (const row of rows.filter((r) => r.name === name && !notYet(r))) {
      expect(meetsTarget(row), `${key(row)}: ${JSON.stringify(row.full.stable)}`).toBe(true);
    }
  });

  it("the stable code is never worse than the formula as written, on any row", () => {
    for (const r of rows) {
      expect(r.full.stable.nonFinite, key(r)).toBeLessThanOrEqual(r.full.naive.nonFinite);
      if (r.full.naive.overBound === 0) expect(r.full.stable.overBound, key(r)).toBe(0);
    }
  });

  it("the rows the rules reached stay reached: Hyperbolic sine and arcsine, Logistic regression 2, expq2, Quotient of sum of exps, exp2, sqrtexp, logq, cos2, tanhf, invcot", () => {
    const names = ["Hyperbolic sine", "Hyperbolic arcsine", "Logistic regression 2", "expq2 (section 3.11)", "Quotient of sum of exps", "exp2 (problem 3.3.7)", "sqrtexp (problem 3.4.4)", "logq (problem 3.4.3)", "cos2 (problem 3.4.1)", "tanhf (example 3.4)", "invcot (example 3.9)"];
    for (const name of names) {
      const reached = rows.filter((x) => x.name === name);
      expect(reached.some((r) => !meetsTarget({ ...r, full: { ...r.full, stable: r.full.naive } })), `${name}: as written it misses the target`).toBe(true);
      for (const r of reached) expect(meetsTarget(r), key(r)).toBe(true);
    }
  });

  it("the table has a row per formula and parameter value, the 4κ verdict, and the benchmark's range where it states one", () => {
    const table = suiteMarkdown(rows);
    expect(table.split("\n")).toHaveLength(2 + rows.length);
    expect(table).toMatch(/expm1 \(example 3\.7\).*on \[-1, 1\]/);
    expect(table).toMatch(/\| Hyperbolic sine \|.*pass/);
    expect(table).toMatch(/fail/);
  });
});

describe("a suite's torch expressions", () => {
  it("reach Python as arithmetic on the named tensors and calls of torch's functions only", () => {
    expect(checkedTorchExpression("torch.exp(x) / (torch.exp(x) - 1e-3) ** 2", ["x"])).toBe('torch.exp(v["x"]) / (torch.exp(v["x"]) - 1e-3) ** 2');
    for (const bad of ["__import__('os')", "x.__class__", "open(x)", "torch.load(x)", "x; y", "lambda: x", "[x]", "x if x else x"]) {
      expect(() => checkedTorchExpression(bad, ["x"]), bad).toThrow(ActdiffError);
    }
  });

  it("every entry's torch expression passes the check", () => {
    for (const e of suite.entries.filter((x) => x.torch !== undefined)) {
      const act = define(e.definition);
      expect(() => checkedTorchExpression(e.torch!, [...act.inputs, ...act.params.map((p) => p.name)]), e.name).not.toThrow();
    }
  });
});
