import type { Activation } from "../api/activation.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { compileExpr } from "../codegen/compile.js";
import { stabilize } from "../stable/stabilize.js";
import { breakpoints } from "../verify/points.js";
import { ReferenceCache } from "../numeric/reference.js";
import { cell, measureVariant, ulps, type VariantResult } from "./suite.js";
import { sweepPoints } from "./sweep.js";
import { TORCH_BUILTINS } from "./torch.js";
import { evaluateTorchFormulas, torchFormula, type TorchFormulaJob } from "./torch-formula.js";

/**
 * The table issue 16 asks for: for formulas people write and for every catalog entry, the largest
 * error in float64 ulps of f and f′ over [−1000, 1000] as written (naive: the mathematics compiled
 * without the stable rewrites), as actdiff compiles it (stable: after repair), and as PyTorch
 * computes the formula as written (op by op in float64, f′ by autograd; torch-formula.ts), each
 * against the audit's ≥ 40-digit reference and held to max(4, 4κ) at every point. Rerun with
 * `npx tsx scripts/accuracy-table.ts`.
 */
export interface FieldRow {
  readonly name: string;
  readonly definition: string;
  /** What the PyTorch column runs: torch's own function for the activation, or the formula op by op. */
  readonly torchSource?: "builtin" | "formula";
  /** By order (0: f, 1: f′): each variant's result; torch undefined where PyTorch has no such op. */
  readonly orders: readonly { readonly naive: VariantResult; readonly stable: VariantResult; readonly torch?: VariantResult }[];
}

const ORDERS = [0, 1] as const;

interface Prepared {
  readonly act: Activation;
  readonly exprs: readonly Expr[];
  readonly xs: readonly number[];
  readonly params: readonly number[];
  readonly torch?: string;
  readonly torchSource?: "builtin" | "formula";
}

export function fieldTable(acts: readonly Activation[], options: { readonly density?: number; readonly torch?: boolean } = {}): FieldRow[] {
  const prepared: Prepared[] = acts.map((act) => {
    const variable = act.inputs[0]!;
    const params = act.paramValues();
    const paramsQ = new Map(act.params.map((p, i) => [p.name, Q.fromNumber(params[i]!)] as const));
    const exprs = [act.expr, act.derivative(variable).expr, act.derivative(variable, 2).expr];
    const kinks = breakpoints(exprs, variable, paramsQ).map(Q.toNumber);
    // torch's own function where it has one (a fixed table, torch.ts), applied to v[x] with the parameter values p.
    const builtin = TORCH_BUILTINS[act.name];
    const torch = options.torch === false ? undefined : builtin !== undefined ? `(${builtin})(v[${JSON.stringify(variable)}])` : torchFormula(act.expr);
    const torchSource = torch === undefined ? undefined : builtin !== undefined ? "builtin" as const : "formula" as const;
    return { act, exprs, xs: sweepPoints({ density: options.density ?? 20, kinks }), params, ...(torch !== undefined && { torch, torchSource }) };
  });
  const jobs = prepared.flatMap((p): TorchFormulaJob[] => p.torch === undefined ? [] : [{
    code: p.torch, variable: p.act.inputs[0]!, params: Object.fromEntries(p.act.params.map((q, i) => [q.name, p.params[i]!])), points: p.xs, orders: [0, 1],
  }]);
  const torchRuns = jobs.length === 0 ? [] : [...evaluateTorchFormulas(jobs).results];
  return prepared.map((p) => {
    const torchRun = p.torch === undefined ? undefined : torchRuns.shift();
    const variable = p.act.inputs[0]!;
    const names = p.act.params.map((q) => q.name);
    const signature = { inputs: [variable], params: names };
    const refs = new ReferenceCache(new Map(names.map((n, i) => [n, Q.fromNumber(p.params[i]!)] as const)), variable);
    const orders = ORDERS.map((order) => {
      const g = p.exprs[order]!;
      const dg = p.exprs[order + 1]!;
      const naive = compileExpr(g, signature, { stable: false });
      const stable = compileExpr(stabilize(g), signature, { stable: false });
      const stableD = compileExpr(stabilize(dg), signature, { stable: false });
      const stableValues = p.xs.map((x) => stable(x, ...p.params));
      const truths = p.xs.map((x, i) => refs.get(g, x, stableValues[i]));
      const kappas = p.xs.map((x, i) => {
        const t = truths[i];
        if (t === undefined || t.isZero() || !t.isFinite()) return undefined;
        const d = refs.get(dg, x, stableD(x, ...p.params));
        return d === undefined || !d.isFinite() ? undefined : d.mul(x).div(t).abs().toNumber();
      });
      const measure = (got: readonly number[]) => measureVariant({ dtype: "float64", xs: p.xs, got, truths, kappas });
      const torchValues = torchRun?.values?.[String(order)];
      return {
        naive: measure(p.xs.map((x) => naive(x, ...p.params))),
        stable: measure(stableValues),
        ...(torchValues !== undefined && { torch: measure(torchValues) }),
      };
    });
    return { name: p.act.name, definition: p.act.definition.source, ...(p.torchSource !== undefined && { torchSource: p.torchSource }), orders };
  });
}

const verdictCell = (v: VariantResult | undefined): string =>
  v === undefined ? "—" : `${cell(v)}${v.overBound === 0 && v.nonFinite === 0 ? "" : ` ✗${v.overBound > 0 ? ` (${v.overBound} over 4κ)` : ""}`}`;

/** The Markdown table of BENCHMARKS.md: a ✗ marks a cell that misses max(4, 4κ) somewhere or is NaN/±∞ where finite. */
export function fieldTableMarkdown(rows: readonly FieldRow[]): string {
  const out = [
    "| formula | f naive | f stable | f PyTorch | f′ naive | f′ stable | f′ PyTorch (autograd) | stable: max ulps/max(1, κ), f / f′ |",
    "|---|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const r of rows) {
    const [f, d] = r.orders;
    const name = r.name === "f" ? `\`${r.definition}\`` : r.name;
    out.push(`| ${name}${r.torchSource === "builtin" ? " (torch built-in)" : ""} | ${verdictCell(f!.naive)} | ${verdictCell(f!.stable)} | ${verdictCell(f!.torch)} | ` +
      `${verdictCell(d!.naive)} | ${verdictCell(d!.stable)} | ${verdictCell(d!.torch)} | ${ulps(f!.stable.maxOverKappa)} / ${ulps(d!.stable.maxOverKappa)} |`);
  }
  return out.join("\n");
}
