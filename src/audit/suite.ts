import type { Activation, ParamValues } from "../api/activation.js";
import * as Q from "../ast/rational.js";
import { compileExpr } from "../codegen/compile.js";
import { stabilize } from "../stable/stabilize.js";
import { ReferenceCache, toDouble } from "./reference.js";
import { RANGE, sweepPoints, sweepPoints32 } from "./sweep.js";
import { FORMATS, ulpDistance, type Dtype } from "./ulps.js";

/**
 * The FPBench / Herbie suite: formulas from the field (test/fixtures/fpbench/suite.json), each
 * audited for f over [−1000, 1000] and over the range the benchmark samples, as written (naive) and
 * as actdiff compiles it (stable), in the benchmark's precision. Inputs past the first are
 * parameters, audited at each listed value.
 */
export interface SuiteEntry {
  readonly name: string;
  /** Repository and file the expression comes from. */
  readonly source: string;
  readonly definition: string;
  readonly params?: readonly ParamValues[];
  readonly herbieRange?: readonly [number, number];
  readonly precision?: Dtype;
  /** Herbie's published accuracy before/after, where the cited file has it (none do today). */
  readonly herbie?: { readonly before: string; readonly after: string } | null;
  readonly torch?: string;
}

export interface RangeResult {
  readonly range: readonly [number, number];
  /** Largest error in ulps where measured (truth or output a normal number). */
  readonly naive: number;
  readonly stable: number;
  /** Points where the output is NaN or ±Infinity while the truth is finite. */
  readonly naiveNonFinite: number;
  readonly stableNonFinite: number;
}

export interface SuiteRow {
  readonly name: string;
  readonly source: string;
  readonly params: Readonly<Record<string, number>>;
  readonly dtype: Dtype;
  readonly full: RangeResult;
  readonly herbieRange?: RangeResult;
}

export function auditSuiteEntry(entry: SuiteEntry, act: Activation, options: { readonly density?: number } = {}): SuiteRow[] {
  const dtype = entry.precision ?? "float64";
  const variable = act.inputs[0]!;
  const paramNames = act.params.map((p) => p.name);
  const signature = { inputs: [variable], params: paramNames };
  const naive = compileExpr(act.expr, signature, { stable: false });
  const stable = compileExpr(stabilize(act.expr), signature, { stable: false });
  const points64 = sweepPoints({ density: options.density ?? 100 });
  const xs = dtype === "float64" ? points64 : sweepPoints32(points64);
  return (entry.params ?? [{}]).map((given) => {
    const values = act.paramValues(given);
    const refs = new ReferenceCache(new Map(paramNames.map((n, i) => [n, Q.fromNumber(values[i]!)] as const)), variable);
    const measure = (range: readonly [number, number]): RangeResult => {
      const result = { range, naive: 0, stable: 0, naiveNonFinite: 0, stableNonFinite: 0 };
      for (const x of xs) {
        if (x < range[0] || x > range[1]) continue;
        const t = refs.get(act.expr, x);
        if (t === undefined || t.isNaN()) continue;
        for (const variant of ["naive", "stable"] as const) {
          const got = FORMATS[dtype].round((variant === "naive" ? naive : stable)(x, ...values));
          const error = ulpsAgainst(got, toDouble(t), t.isFinite(), dtype);
          if (error === "nonFinite") result[`${variant}NonFinite`]++;
          else if (error > result[variant]) result[variant] = error;
        }
      }
      return result;
    };
    return {
      name: entry.name, source: entry.source, dtype,
      params: Object.fromEntries(paramNames.map((n, i) => [n, values[i]!])),
      full: measure([-RANGE, RANGE]),
      ...(entry.herbieRange !== undefined && { herbieRange: measure(entry.herbieRange) }),
    };
  });
}

/** Ulps as the audit counts them (0 where truth and output are both below the normal range). */
function ulpsAgainst(got: number, truth: number, finite: boolean, dtype: Dtype): number | "nonFinite" {
  const format = FORMATS[dtype];
  const expected = format.round(truth);
  if (!Number.isFinite(got)) return got === expected || !finite ? 0 : "nonFinite";
  if (!Number.isFinite(expected) || Math.max(Math.abs(expected), Math.abs(got)) < format.smallestNormal) return 0;
  return ulpDistance(got, expected, dtype);
}

const ulps = (n: number): string => (n < 1e4 ? String(n) : n.toExponential(1).replace("e+", "e"));
const cell = (max: number, nonFinite: number): string => `${ulps(max)}${nonFinite > 0 ? `, ${nonFinite}× NaN/±∞` : ""}`;

/** The Markdown table of BENCHMARKS.md. */
export function suiteMarkdown(rows: readonly SuiteRow[]): string {
  const out = [
    "| formula | source | parameters | dtype | naive, [−1000, 1000] | stable, [−1000, 1000] | naive, benchmark's range | stable, benchmark's range |",
    "|---|---|---|---|--:|--:|--:|--:|",
  ];
  for (const r of rows) {
    const params = Object.entries(r.params).map(([k, v]) => `${k} = ${v}`).join(", ");
    const h = r.herbieRange;
    out.push(`| ${r.name} | ${r.source} | ${params} | ${r.dtype} | ${cell(r.full.naive, r.full.naiveNonFinite)} | ${cell(r.full.stable, r.full.stableNonFinite)} | ` +
      `${h ? `${cell(h.naive, h.naiveNonFinite)} on [${h.range.join(", ")}]` : "—"} | ${h ? cell(h.stable, h.stableNonFinite) : "—"} |`);
  }
  return out.join("\n");
}
