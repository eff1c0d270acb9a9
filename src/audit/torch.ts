import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Activation, ParamValues } from "../api/activation.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { catalogDefinition } from "../catalog/catalog.js";
import { torchNames } from "../codegen/torch/module.js";
import { fail } from "../errors.js";
import { breakpoints } from "../verify/points.js";
import { DEFAULT_DENSITY, LABELS, TARGET_ORDERS, ulpBound } from "./audit.js";
import { ReferenceCache, toDouble } from "../numeric/reference.js";
import { FIXED_POINTS, sweepPoints, sweepPoints32 } from "./sweep.js";
import { TORCH_AUDIT_DRIVER } from "./torch-driver.js";
import { DTYPES, FORMATS, ulpDistance, type Dtype } from "./ulps.js";

/**
 * `actdiff audit --lang torch`: the PyTorch module `emit --lang torch` writes, run under
 * Debian's python3-torch in float64 and float32 — f as its forward computes it, f′ and f″ as its
 * backward and double backward do (autograd through the Function) — in ulps against the same
 * ≥ 40-digit reference and sweep as the JavaScript audit, beside torch's own implementation of the
 * activation where it has one (and autograd through it). The target is the audit's float64 one
 * for f and f′ — 4 ulps where κ ≤ 1, max(4, 4κ) elsewhere — held for the export; float32, which
 * torch computes op by op in float32, and torch's built-in are measured and reported.
 */
export type TorchVariant = "export" | "builtin";

/** torch's own implementation of a catalog activation, in x and the parameter values p. */
export const TORCH_BUILTINS: Readonly<Record<string, string>> = {
  sigmoid: "lambda x: torch.sigmoid(x)",
  tanh: "lambda x: torch.tanh(x)",
  relu: "lambda x: torch.relu(x)",
  leaky_relu: "lambda x: F.leaky_relu(x, p[0])",
  prelu: "lambda x: F.prelu(x, torch.tensor([p[0]], dtype=x.dtype))",
  rrelu: "lambda x: F.rrelu(x, p[0], p[1], training=False)",
  relu6: "lambda x: F.relu6(x)",
  elu: "lambda x: F.elu(x, p[0])",
  softplus: "lambda x: F.softplus(x)",
  bnll: "lambda x: F.softplus(x)",
  softsign: "lambda x: F.softsign(x)",
  silu: "lambda x: F.silu(x)",
  absval: "lambda x: torch.abs(x)",
};

export interface TorchMeasurement {
  readonly order: number;
  readonly label: string;
  readonly dtype: Dtype;
  readonly variant: TorchVariant;
  /** Points measured (|truth| or |output| at least the smallest normal number). */
  readonly measured: number;
  /** Largest error in ulps, and where. */
  readonly max: { readonly x: number; readonly ulps: number } | null;
  /** Largest error where κ ≤ 1. */
  readonly maxWellConditioned: { readonly x: number; readonly ulps: number } | null;
  /** Points over the condition-aware bound. */
  readonly overBound: number;
  /** NaN or ±Infinity where the truth is finite. */
  readonly nonFinite: number;
  readonly target: "pass" | "fail" | "none";
}

export interface TorchAuditReport {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  readonly torch: string;
  /** torch's built-in measured beside the export, when it has one. */
  readonly builtin: string | undefined;
  readonly points: Readonly<Record<Dtype, number>>;
  readonly measurements: readonly TorchMeasurement[];
  /** Every target of the export holds. */
  readonly pass: boolean;
  readonly seconds: number;
}

export interface TorchAuditOptions {
  readonly density?: number;
  readonly params?: ParamValues;
}

const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const ORDERS = [0, 1, 2];

export function auditTorch(act: Activation, options: TorchAuditOptions = {}): TorchAuditReport {
  const started = performance.now();
  if (act.isVector || act.inputs.length !== 1) fail("E_UNSUPPORTED", `${act.name}: audit --lang torch takes elementwise functions of one input`);
  const variable = act.inputs[0]!;
  const paramValues = act.paramValues(options.params);
  const paramsQ = new Map(act.params.map((p, i) => [p.name, Q.fromNumber(paramValues[i]!)] as const));
  const exprs: Expr[] = [act.expr];
  for (let k = 1; k <= 3; k++) exprs.push(act.derivative(variable, k).expr);
  const kinks = breakpoints(exprs, variable, paramsQ).map(Q.toNumber);
  const points64 = sweepPoints({ density: options.density ?? DEFAULT_DENSITY, kinks });
  const points: Record<Dtype, number[]> = { float64: points64, float32: sweepPoints32(points64.filter((_, i) => i % 2 === 0).concat(FIXED_POINTS), kinks) };
  // torch's built-in is compared only with the catalog activation of that name, not a user's own.
  const builtin = catalogDefinition(act.name)?.source === act.definition.source ? TORCH_BUILTINS[act.name] : undefined;

  const run = runDriver(act, { points, params: paramValues, builtin });
  const refs = new ReferenceCache(paramsQ, variable);
  const measurements: TorchMeasurement[] = [];
  for (const order of ORDERS) {
    for (const dtype of DTYPES) {
      const xs = points[dtype];
      const truth = xs.map((x) => refs.get(exprs[order]!, x));
      // float32 is computed op by op in float32 (not in float64 and rounded once, as the JavaScript
      // kernels do): measured and reported, as the audit does the float32 SIMD lanes, not held to 2 ulps.
      const targeted = TARGET_ORDERS.includes(order) && dtype === "float64";
      const kappa = xs.map((x, i) => {
        const t = truth[i];
        if (!targeted || t === undefined || t.isZero() || !t.isFinite()) return undefined;
        const d = refs.get(exprs[order + 1]!, x);
        return d === undefined || !d.isFinite() ? undefined : d.mul(x).div(t).abs().toNumber();
      });
      for (const variant of ["export", "builtin"] as const) {
        const got = run.result[dtype]?.[variant]?.[String(order)];
        if (got === undefined) continue;
        measurements.push(measureTorch({ order, dtype, variant, xs, got, truth, kappa, targeted }));
      }
    }
  }
  return {
    name: act.name,
    params: Object.fromEntries(act.params.map((p, i) => [p.name, paramValues[i]!])),
    torch: run.torch,
    builtin,
    points: { float64: points.float64.length, float32: points.float32.length },
    measurements,
    pass: measurements.every((m) => m.variant !== "export" || m.target !== "fail"),
    seconds: (performance.now() - started) / 1000,
  };
}

interface DriverOutput {
  readonly torch: string;
  readonly result: Record<Dtype, Partial<Record<TorchVariant, Record<string, number[]>>>>;
}

function runDriver(act: Activation, job: { points: Record<Dtype, number[]>; params: readonly number[]; builtin: string | undefined }): DriverOutput {
  const dir = mkdtempSync(join(tmpdir(), "actdiff-audit-torch-"));
  try {
    const path = join(dir, "audited.py");
    writeFileSync(path, act.emitModule({ lang: "torch" }));
    const names = torchNames(act.name, act.inputs, act.params.map((p) => p.name));
    const input = JSON.stringify({ path, function: names.fn, params: job.params, points: job.points, dtypes: DTYPES, orders: ORDERS, builtin: job.builtin ?? "" });
    const r = spawnSync(PYTHON, ["-c", TORCH_AUDIT_DRIVER], { input, encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) {
      fail("E_UNSUPPORTED", `audit --lang torch needs Python with PyTorch: ${(r.stderr || String(r.error)).trim().split("\n").slice(-1)[0]}`, {
        hint: "install Debian's python3-torch (apt-get install python3-torch)",
      });
    }
    return JSON.parse(r.stdout, (_k, v: unknown) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v)) as DriverOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface MeasureInput {
  readonly order: number;
  readonly dtype: Dtype;
  readonly variant: TorchVariant;
  readonly xs: readonly number[];
  readonly got: readonly number[];
  readonly truth: readonly (ReturnType<ReferenceCache["get"]>)[];
  readonly kappa: readonly (number | undefined)[];
  readonly targeted: boolean;
}

function measureTorch(m: MeasureInput): TorchMeasurement {
  const format = FORMATS[m.dtype];
  let measured = 0;
  let overBound = 0;
  let nonFinite = 0;
  let max: { x: number; ulps: number } | null = null;
  let maxWell: { x: number; ulps: number } | null = null;
  m.xs.forEach((x, i) => {
    const t = m.truth[i];
    const got = m.got[i]!;
    if (t === undefined || t.isNaN()) return;
    const expected = format.round(toDouble(t));
    if (!Number.isFinite(got)) {
      if (got !== expected && t.isFinite()) nonFinite++;
      return;
    }
    if (!Number.isFinite(expected) || Math.max(Math.abs(expected), Math.abs(got)) < format.smallestNormal) return;
    measured++;
    const ulps = ulpDistance(format.round(got), expected, m.dtype);
    if (max === null || ulps > max.ulps) max = { x, ulps };
    const kappa = m.kappa[i];
    if (m.targeted && (kappa === undefined || kappa <= 1) && (maxWell === null || ulps > maxWell.ulps)) maxWell = { x, ulps };
    if (m.targeted && ulps > ulpBound(m.dtype, kappa)) overBound++;
  });
  const target = !m.targeted ? "none" : overBound === 0 && nonFinite === 0 ? "pass" : "fail";
  return { order: m.order, label: LABELS[m.order]!, dtype: m.dtype, variant: m.variant, measured, max, maxWellConditioned: maxWell, overBound, nonFinite, target };
}

const ulps = (e: { x: number; ulps: number } | null): string => (e === null ? "—" : e.ulps < 1000 ? String(e.ulps) : e.ulps.toExponential(1));

/** The report as text: one row per function and dtype, the export beside torch's built-in. */
export function torchAuditText(r: TorchAuditReport): string {
  const params = Object.entries(r.params).map(([k, v]) => `${k} = ${v}`).join(", ");
  const cell = (m: TorchMeasurement | undefined): string => {
    if (m === undefined) return "—";
    const where = m.max === null ? "" : ` at ${m.max.x}`;
    const extra = [m.overBound > 0 ? `${m.overBound} over bound` : "", m.nonFinite > 0 ? `${m.nonFinite} non-finite` : ""].filter(Boolean).join(", ");
    return `${ulps(m.max)}${where}${m.maxWellConditioned !== null ? ` (κ≤1: ${ulps(m.maxWellConditioned)})` : ""}${extra ? `; ${extra}` : ""}`;
  };
  const lines = [
    `${r.name}${params ? ` (${params})` : ""}, PyTorch export (torch ${r.torch}): ${r.pass ? "PASS" : "FAIL"}`,
    `max ulps against the 40-digit reference (and where κ ≤ 1); ${r.points.float64} float64 and ${r.points.float32} float32 points; f′ and f″ by autograd through the exported Function;`,
    "target (the export, f and f′ in float64): 4 ulps where κ ≤ 1, 4κ elsewhere",
  ];
  const rows = ORDERS.flatMap((order) => DTYPES.map((dtype) => {
    const get = (v: TorchVariant) => r.measurements.find((m) => m.order === order && m.dtype === dtype && m.variant === v);
    return [`${LABELS[order]} ${dtype}`, cell(get("export")), r.builtin === undefined ? "" : cell(get("builtin"))];
  }));
  const header = ["", "actdiff export", r.builtin === undefined ? "" : "torch built-in"];
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join("  ").trimEnd();
  lines.push(line(header), ...rows.map(line));
  if (r.builtin === undefined) lines.push("(torch has no built-in for this activation)");
  return lines.join("\n");
}
