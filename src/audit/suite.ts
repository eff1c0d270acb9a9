import type { Activation, ParamValues } from "../api/activation.js";
import * as Q from "../ast/rational.js";
import { compileExpr } from "../codegen/compile.js";
import { stabilize } from "../stable/stabilize.js";
import { ulpBound } from "./audit.js";
import type { Big } from "../numeric/big.js";
import { ReferenceCache, toDouble } from "../numeric/reference.js";
import { RANGE, sweepPoints, sweepPoints32 } from "./sweep.js";
import { checkedTorchExpression, evaluateTorchFormulas, type TorchFormulaJob } from "./torch-formula.js";
import { FORMATS, ulpDistance, type Dtype } from "./ulps.js";

/**
 * The FPBench / Herbie suite: formulas from the field (test/fixtures/fpbench/suite.json), each
 * audited for f over [−1000, 1000] and over the range the benchmark samples, as written (naive),
 * as actdiff compiles it (stable), and as PyTorch computes the suite's torch expression (float64,
 * where the entry has one), in the benchmark's precision. Inputs past the first are parameters,
 * audited at each listed value. Each is held to the audit's condition-aware target: within
 * max(base, 4κ) ulps at every point (base 4 in float64, 2 in float32; κ = |x·f′(x)/f(x)| the
 * condition number in the input) and never NaN/±∞ where the truth is finite.
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
  /** The formula in PyTorch, over the input and parameter names (checked: torch-formula.ts). */
  readonly torch?: string;
}

export type SuiteVariant = "naive" | "stable" | "torch";

export interface VariantResult {
  /** Largest error in ulps where measured (truth or output a normal number). */
  readonly max: number;
  /** Largest error over max(1, κ): the ulps a perfectly rounded computation of a κ-conditioned function could not avoid, divided out. */
  readonly maxOverKappa: number;
  /** Points over the condition-aware bound max(base, 4κ). */
  readonly overBound: number;
  /** The worst point over the bound (largest ulps over the bound's ulps). */
  readonly worst?: { readonly x: number; readonly ulps: number; readonly kappa: number };
  /** Points where the output is NaN or ±Infinity while the truth is finite. */
  readonly nonFinite: number;
}

export interface RangeResult {
  readonly range: readonly [number, number];
  readonly naive: VariantResult;
  readonly stable: VariantResult;
  /** PyTorch float64, where the entry has a torch expression and the dtype is float64. */
  readonly torch?: VariantResult;
}

export interface SuiteRow {
  readonly name: string;
  readonly source: string;
  readonly params: Readonly<Record<string, number>>;
  readonly dtype: Dtype;
  readonly full: RangeResult;
  readonly herbieRange?: RangeResult;
}

export interface SuiteOptions {
  readonly density?: number;
  /** Also PyTorch (float64 entries with a torch expression): needs /usr/bin/python3 with torch. */
  readonly torch?: boolean;
}

export function auditSuiteEntry(entry: SuiteEntry, act: Activation, options: SuiteOptions = {}): SuiteRow[] {
  const dtype = entry.precision ?? "float64";
  const variable = act.inputs[0]!;
  const paramNames = act.params.map((p) => p.name);
  const signature = { inputs: [variable], params: paramNames };
  const naive = compileExpr(act.expr, signature, { stable: false });
  const stable = compileExpr(stabilize(act.expr), signature, { stable: false });
  const derivative = act.derivative(variable).expr;
  const points64 = sweepPoints({ density: options.density ?? 100 });
  const xs = dtype === "float64" ? points64 : sweepPoints32(points64);
  const settings = (entry.params ?? [{}]).map((given) => act.paramValues(given));
  const withTorch = options.torch === true && entry.torch !== undefined && dtype === "float64";
  const torchCode = withTorch ? checkedTorchExpression(entry.torch!, [variable, ...paramNames]) : undefined;
  const torchValues = torchCode === undefined ? undefined : evaluateTorchFormulas(settings.map((values): TorchFormulaJob => ({
    code: torchCode, variable, params: Object.fromEntries(paramNames.map((n, i) => [n, values[i]!])), points: xs, orders: [0],
  }))).results.map((r) => r.values?.["0"]);
  return settings.map((values, setting) => {
    const refs = new ReferenceCache(new Map(paramNames.map((n, i) => [n, Q.fromNumber(values[i]!)] as const)), variable);
    const torchAt = torchValues?.[setting];
    const outputs: Partial<Record<SuiteVariant, readonly number[]>> = {
      naive: xs.map((x) => naive(x, ...values)), stable: xs.map((x) => stable(x, ...values)), ...(torchAt !== undefined && { torch: torchAt }),
    };
    const truths = xs.map((x) => refs.get(act.expr, x));
    const kappas = xs.map((x, i) => {
      const t = truths[i];
      if (t === undefined || t.isZero() || !t.isFinite()) return undefined;
      const d = refs.get(derivative, x);
      return d === undefined || !d.isFinite() ? undefined : d.mul(x).div(t).abs().toNumber();
    });
    const measure = (range: readonly [number, number]): RangeResult => {
      const result = (variant: SuiteVariant): VariantResult | undefined => {
        const got = outputs[variant];
        return got === undefined ? undefined : measureVariant({ dtype, xs, got, truths, kappas, range });
      };
      const torch = result("torch");
      return { range, naive: result("naive")!, stable: result("stable")!, ...(torch !== undefined && { torch }) };
    };
    return {
      name: entry.name, source: entry.source, dtype,
      params: Object.fromEntries(paramNames.map((n, i) => [n, values[i]!])),
      full: measure([-RANGE, RANGE]),
      ...(entry.herbieRange !== undefined && { herbieRange: measure(entry.herbieRange) }),
    };
  });
}

export interface MeasureInput {
  readonly dtype: Dtype;
  readonly xs: readonly number[];
  readonly got: readonly number[];
  readonly truths: readonly (Big | undefined)[];
  readonly kappas: readonly (number | undefined)[];
  readonly range?: readonly [number, number];
}

/** Largest ulps, ulps over max(1, κ), points over max(base, 4κ) and NaN/±∞ where finite, over the range. */
export function measureVariant(m: MeasureInput): VariantResult {
  const range = m.range ?? [-RANGE, RANGE];
  let max = 0, maxOverKappa = 0, overBound = 0, nonFinite = 0;
  let worst: VariantResult["worst"];
  let worstRatio = 1;
  m.xs.forEach((x, i) => {
    const t = m.truths[i];
    if (x < range[0] || x > range[1] || t === undefined || t.isNaN()) return;
    const error = ulpsAgainst(FORMATS[m.dtype].round(m.got[i]!), toDouble(t), t.isFinite(), m.dtype);
    if (error === "nonFinite") return void nonFinite++;
    const kappa = m.kappas[i] ?? 0;
    max = Math.max(max, error);
    maxOverKappa = Math.max(maxOverKappa, error / Math.max(1, kappa));
    const bound = ulpBound(m.dtype, kappa);
    if (error <= bound) return;
    overBound++;
    if (error / bound > worstRatio) [worstRatio, worst] = [error / bound, { x, ulps: error, kappa }];
  });
  return { max, maxOverKappa, overBound, nonFinite, ...(worst !== undefined && { worst }) };
}

/** Ulps as the audit counts them (0 where truth and output are both below the normal range). */
function ulpsAgainst(got: number, truth: number, finite: boolean, dtype: Dtype): number | "nonFinite" {
  const format = FORMATS[dtype];
  const expected = format.round(truth);
  if (!Number.isFinite(got)) return got === expected || !finite ? 0 : "nonFinite";
  if (!Number.isFinite(expected) || Math.max(Math.abs(expected), Math.abs(got)) < format.smallestNormal) return 0;
  return ulpDistance(got, expected, dtype);
}

/** Every row within max(base, 4κ) and never NaN/±∞ where finite, as compiled (stable), on [−1000, 1000]. */
export const meetsTarget = (r: SuiteRow): boolean => r.full.stable.overBound === 0 && r.full.stable.nonFinite === 0;

export const ulps = (n: number): string => (n < 1e4 ? String(Math.round(n * 10) / 10) : n.toExponential(1).replace("e+", "e"));
export const cell = (v: VariantResult | undefined): string => (v === undefined ? "—" : `${ulps(v.max)}${v.nonFinite > 0 ? `, ${v.nonFinite}× NaN/±∞` : ""}`);
const verdict = (v: VariantResult): string => {
  const ratio = ulps(v.maxOverKappa);
  if (v.overBound === 0 && v.nonFinite === 0) return `${ratio}, pass`;
  const w = v.worst;
  return `${ratio}, **fail**${w ? ` (${v.overBound} over, ${ulps(w.ulps)} ulps at ${w.x} where κ = ${w.kappa.toPrecision(2)})` : ""}${v.nonFinite > 0 ? ` (${v.nonFinite}× NaN/±∞)` : ""}`;
};

/** The Markdown table of BENCHMARKS.md. */
export function suiteMarkdown(rows: readonly SuiteRow[]): string {
  const out = [
    "| formula | source | parameters | dtype | naive | stable | PyTorch float64 | stable: max ulps/max(1, κ), 4κ target | naive, benchmark's range | stable, benchmark's range |",
    "|---|---|---|---|--:|--:|--:|---|--:|--:|",
  ];
  for (const r of rows) {
    const params = Object.entries(r.params).map(([k, v]) => `${k} = ${v}`).join(", ");
    const h = r.herbieRange;
    out.push(`| ${r.name} | ${r.source} | ${params} | ${r.dtype} | ${cell(r.full.naive)} | ${cell(r.full.stable)} | ${cell(r.full.torch)} | ${verdict(r.full.stable)} | ` +
      `${h ? `${cell(h.naive)} on [${h.range.join(", ")}]` : "—"} | ${h ? cell(h.stable) : "—"} |`);
  }
  return out.join("\n");
}
