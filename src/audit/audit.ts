import type { Activation, ParamValues } from "../api/activation.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { compileExpr } from "../codegen/compile.js";
import { compileKernel, type KernelOptions } from "../codegen/kernels.js";
import type { Signature } from "../codegen/program.js";
import { ActdiffError, fail } from "../errors.js";
import type { Big } from "../numeric/big.js";
import { stabilize, stabilizeTogether } from "../stable/stabilize.js";
import { breakpoints } from "../verify/points.js";
import { Localizer } from "./blame.js";
import { ReferenceCache, toDouble } from "../numeric/reference.js";
import { findRegions, type PointStatus, type Region } from "./regions.js";
import { FIXED_POINTS, sweepPoints, sweepPoints32 } from "./sweep.js";
import { DTYPES, FORMATS, ulpDistance, type Dtype } from "./ulps.js";

/**
 * The accuracy audit: f, f′ and f″ of an activation, compiled as actdiff compiles them (the
 * stabilised form) and as the formula reads (naive), in float64 and float32, against a reference
 * of at least 40 digits at every point of a sweep.
 *
 * Errors are counted in ulps of the dtype against the reference rounded to the dtype (0 =
 * correctly rounded), where |truth| (or the output) is at least the dtype's smallest normal. The target
 * for f and f′ is `base` ulps (4 in float64, 2 in float32) where the problem is well-conditioned
 * (κ ≤ 1) and max(base, 4κ) where it is not, κ = |x·g′(x)/g(x)| the condition number of the
 * function g being evaluated — near an interior zero no float algorithm can do better. Output
 * that is NaN or ±Infinity where the truth is finite fails the target wherever it happens.
 */
/**
 * stable: the code actdiff generates (the JavaScript closures and kernels); naive: the formula as
 * written; simd: the WebAssembly SIMD kernels (`{ simd: true }`), which compute the stable forms
 * with their own exp and log; simd32: the same in float32 lanes (`{ simd: "float32" }`, float32
 * only).
 */
export type { Region } from "./regions.js";
export type { Blame } from "./blame.js";

export type Variant = "stable" | "naive" | "simd" | "simd32";
export const VARIANTS: readonly Variant[] = ["stable", "naive"];
export const SIMD_VARIANTS: readonly Variant[] = ["simd", "simd32"];
/**
 * Variants held to the targets. naive is the baseline; simd32 rounds every operation to float32
 * (the trade it offers for speed), so it is measured and reported, not held to 2 ulps.
 */
export const isTargeted = (v: Variant): boolean => v === "stable" || v === "simd";

export const TARGET_ULPS: Record<Dtype, number> = { float64: 4, float32: 2 };
/** Orders with a target: f and f′. f″ is measured and reported only. */
export const TARGET_ORDERS: readonly number[] = [0, 1];

export const LABELS = ["f", "f′", "f″"] as const;

export interface AuditOptions {
  /** Points on the coarse grid over [−1000, 1000]; finer grids and log-spaced points scale with it. */
  readonly density?: number;
  readonly params?: ParamValues;
  /** Derivative orders to audit (0 = f); default 0, 1, 2. */
  readonly orders?: readonly number[];
  readonly dtypes?: readonly Dtype[];
  readonly variants?: readonly Variant[];
  readonly seed?: number;
  /** Compile without `new Function` (see compile's `csp`), for a page or worker whose policy forbids eval: the same bits, slower. */
  readonly csp?: boolean;
  /** Called as the references are computed (most of the time an audit takes): points done, points in all. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Find the regions over the bound and blame a subexpression for each (default true). */
  readonly regions?: boolean;
}

export const DEFAULT_DENSITY = 200;

export interface PointError {
  readonly x: number;
  readonly ulps: number;
  /** Condition number at x, when known. */
  readonly kappa?: number;
  readonly bound?: number;
}

export interface NonFinite {
  readonly x: number;
  readonly got: number;
  /** The reference, 6 significant digits. */
  readonly expected: string;
}

export interface Threshold {
  /** The input, found by bisection on the compiled code, nearest the origin on its side. */
  readonly x: number;
  /** The true value there (6 significant digits). */
  readonly expected: string;
}

export interface Side {
  /** Output becomes ±Infinity. */
  readonly overflow?: Threshold;
  /** Output leaves the normal range (subnormal or zero) while the truth is nonzero. */
  readonly underflow?: Threshold;
  /** Output is exactly 0 while the truth is not. */
  readonly zero?: Threshold;
}

export interface Measurement {
  readonly dtype: Dtype;
  readonly variant: Variant;
  /** Points where the error was measured (|truth| or |output| at least the smallest normal number). */
  readonly measured: number;
  /** Points where truth and output are both below the smallest normal number (or 0): not measured. */
  readonly belowNormal: number;
  /** Points where the reference did not settle (a true zero reached through cancellation) or is undefined. */
  readonly undecided: number;
  /** Largest error anywhere, with κ there. */
  readonly max: PointError | null;
  /** Largest error where κ ≤ 1. */
  readonly maxWellConditioned: PointError | null;
  /** Points over the condition-aware bound, and the one furthest over it (largest ulps/bound). */
  readonly overBound: number;
  readonly worst: PointError | null;
  /** NaN or ±Infinity where the truth is finite (and representable): count and the first few. */
  readonly nonFiniteCount: number;
  readonly nonFinite: readonly NonFinite[];
  readonly thresholds: { readonly negative: Side; readonly positive: Side };
  /** Whether the target holds: only for f and f′. */
  readonly target: "pass" | "fail" | "none";
}

export interface FunctionAudit {
  readonly order: number;
  readonly label: string;
  readonly formula: string;
  readonly stable: string;
  readonly measurements: readonly Measurement[];
}

export interface AuditReport {
  readonly name: string;
  /** The input variable (x in the catalog). */
  readonly input: string;
  readonly params: Readonly<Record<string, number>>;
  readonly kinks: readonly number[];
  readonly points: Readonly<Record<Dtype, number>>;
  readonly functions: readonly FunctionAudit[];
  /**
   * Where the code (stable and naive; not the SIMD kernels) exceeds its bound or returns NaN/±∞
   * where the truth is finite, for every audited order and dtype, with the subexpression blamed.
   * Empty when `regions: false`.
   */
  readonly regions: readonly Region[];
  /** Every target of every audited f and f′ holds (for stable, and simd when audited). */
  readonly pass: boolean;
  /** Why the simd variant was asked for and not measured (a builtin without a vector form). */
  readonly simdUnavailable?: string;
  readonly seconds: number;
}

/** The condition-aware bound in ulps. */
export function ulpBound(dtype: Dtype, kappa: number | undefined): number {
  const base = TARGET_ULPS[dtype];
  return kappa === undefined || !(kappa > 1) ? base : Math.max(base, 4 * kappa);
}

const MAX_LISTED = 12;
/** Regions reported per measurement (the rest are the same cause, usually, further out). */
const MAX_REGIONS = 8;
/** Points of a region whose local errors the blame compares, besides the worst one. */
const BLAME_POINTS = 4;

/** Up to n elements of xs, evenly spread. */
function spread<T>(xs: readonly T[], n: number): T[] {
  if (xs.length <= n) return [...xs];
  return Array.from({ length: n }, (_, k) => xs[Math.round((k * (xs.length - 1)) / (n - 1))]!);
}

type Evaluator = (xs: readonly number[]) => Float64Array;

/** float64: the compiled closure, point by point. */
function float64Evaluator(e: Expr, signature: Signature, params: readonly number[], csp = false): Evaluator {
  // Stabilised (or not) by the caller: the audit compares both forms, so codegen must not rewrite.
  const f = compileExpr(e, signature, { stable: false, csp });
  return (xs) => Float64Array.from(xs, (x) => f(x, ...params));
}

/**
 * A forward kernel over arrays of the dtype: the float32 JavaScript kernel (float64 arithmetic,
 * one rounding on the store), or the WebAssembly SIMD kernel (`simd`), in float64 or float32 lanes.
 */
function kernelEvaluator(dtype: Dtype, simd?: KernelOptions["simd"], csp = false) {
  return (e: Expr, signature: Signature, params: readonly number[]): Evaluator => {
    const kernel = compileKernel([e], signature, "forward", { stable: false, csp, ...(simd !== undefined && { simd }) });
    const Type = dtype === "float64" ? Float64Array : Float32Array;
    return (xs) => {
      const x = Type.from(xs);
      const out = new Type(xs.length);
      kernel(x, out, params);
      return Float64Array.from(out);
    };
  };
}

const show = (v: Big): string => (v.isFinite() && !v.isZero() ? v.toSignificantDigits(6).toExponential() : v.toString());

/** Audits an activation; see the module comment for what is measured. */
export function audit(act: Activation, options: AuditOptions = {}): AuditReport {
  const started = performance.now();
  const orders = options.orders ?? [0, 1, 2];
  const dtypes = options.dtypes ?? DTYPES;
  let variants = options.variants ?? VARIANTS;
  if (act.inputs.length !== 1) fail("E_USAGE", `${act.name} has ${act.inputs.length} inputs; the audit takes functions of one`);
  const variable = act.inputs[0]!;
  const paramNames = act.params.map((p) => p.name);
  const paramValues = act.paramValues(options.params);
  const paramsQ = new Map(paramNames.map((n, i) => [n, Q.fromNumber(paramValues[i]!)] as const));

  // The mathematics of each order, and one order more for the condition numbers of f and f′
  // (f″ has no target: its condition number, a third derivative's references, only when its
  // regions are asked for).
  const withRegions = options.regions !== false;
  const conditioned = (o: number): boolean => TARGET_ORDERS.includes(o) || withRegions;
  const top = Math.max(...orders, ...orders.filter(conditioned).map((o) => o + 1));
  const exprs: Expr[] = [act.expr];
  for (let k = 1; k <= top; k++) exprs.push(act.derivative(variable, k).expr);

  const kinks = breakpoints(exprs, variable, paramsQ).map(Q.toNumber);
  const points64 = sweepPoints({ density: options.density ?? DEFAULT_DENSITY, kinks, ...(options.seed !== undefined && { seed: options.seed }) });
  // float32 inputs: every other sweep point rounded to float32 (the float32 output is the float64
  // result rounded once, so half the points find its errors as well) and the kinks' neighbours.
  const points: Record<Dtype, number[]> = { float64: points64, float32: sweepPoints32(points64.filter((_, i) => i % 2 === 0).concat(FIXED_POINTS), kinks) };
  const refs = new ReferenceCache(paramsQ, variable);
  const localizers = new Map<number, Localizer>();
  const signature = { inputs: [variable], params: paramNames };
  let simdUnavailable: string | undefined;
  if (variants.some((v) => SIMD_VARIANTS.includes(v))) {
    try {
      for (const order of orders) compileKernel([exprs[order]!], signature, "forward", { simd: true });
    } catch (e) {
      if (!(e instanceof ActdiffError && e.code === "E_UNSUPPORTED")) throw e;
      simdUnavailable = e.summary;
      variants = variants.filter((v) => !SIMD_VARIANTS.includes(v));
    }
  }

  const csp = options.csp ?? false;
  let done = 0;
  // Each point of each order and dtype twice: its reference, then its condition number.
  const total = 2 * orders.length * dtypes.reduce((n, d) => n + points[d].length, 0);
  const progress = (): void => options.onProgress?.(++done, total);

  const functions: FunctionAudit[] = [];
  const regions: Region[] = [];
  for (const order of orders) {
    const g = exprs[order]!;
    const dg = conditioned(order) ? exprs[order + 1] : undefined;
    const stable = stabilize(g);
    const vectorStable = (): Expr => stabilizeTogether([g], "vector")[0]!;
    const hintOf = float64Evaluator(stable, signature, paramValues, csp);
    const dgCode = dg === undefined ? undefined : float64Evaluator(stabilize(dg), signature, paramValues, csp);
    const kappaAt = (x: number, t: Big | undefined, dgHint?: number): number | undefined => {
      if (dg === undefined || t === undefined || t.isZero() || !t.isFinite()) return undefined;
      const d = refs.get(dg, x, dgHint ?? dgCode!([x])[0]);
      if (d === undefined || !d.isFinite()) return undefined;
      return d.mul(x).div(t).abs().toNumber();
    };
    const measurements: Measurement[] = [];
    for (const dtype of dtypes) {
      const xs = points[dtype];
      const hints = hintOf(xs);
      const dgHints = dgCode?.(xs);
      const truth = xs.map((x, i) => {
        progress();
        return refs.get(g, x, hints[i]);
      });
      const kappa = xs.map((x, i) => {
        progress();
        return kappaAt(x, truth[i], dgHints?.[i]);
      });
      for (const variant of variants) {
        // The SIMD kernels stabilize for vector lanes (LowerOptions.lanes): measure what they compute.
        const code = variant === "naive" ? g : variant === "stable" ? stable : vectorStable();
        if (variant === "simd32" && dtype === "float64") continue; // the same code as simd
        const evaluator = variant === "simd" ? kernelEvaluator(dtype, true) : variant === "simd32" ? kernelEvaluator(dtype, "float32")
          : dtype === "float64" ? (e: Expr, s: Signature, p: readonly number[]) => float64Evaluator(e, s, p, csp) : kernelEvaluator("float32", undefined, csp);
        const evaluate = evaluator(code, signature, paramValues);
        const got = evaluate(xs);
        const truthAt = (x: number): Big | undefined => refs.get(g, x, hintOf([x])[0]);
        const { statuses, ...measurement } = measure({ dtype, variant, xs, got, truth, kappa, targeted: TARGET_ORDERS.includes(order), evaluate, truthAt });
        measurements.push(measurement);
        if (!withRegions || variant === "simd" || variant === "simd32") continue;
        const statusAt = (x: number): PointStatus => {
          const t = truthAt(x);
          return pointStatus(dtype, evaluate([x])[0]!, t, kappaAt(x, t));
        };
        const found = findRegions({ dtype, xs, status: statuses, statusAt });
        if (found.length === 0) continue;
        const localizer = localizers.get(code.id) ?? new Localizer(code, variable, paramsQ, csp);
        localizers.set(code.id, localizer);
        for (const r of found.slice(0, MAX_REGIONS)) {
          const sample = [r.worst.x, ...spread(r.bad, BLAME_POINTS)];
          const precisionAt = (x: number): number => (refs.precisionAt(g, x) ?? 100) + 40;
          const blame = localizer.blame([...new Set(sample)], precisionAt, dtype);
          regions.push({ quantity: LABELS[order] ?? `f^(${order})`, order, dtype, variant, from: r.from, to: r.to, points: r.points, worst: r.worst, ...(blame !== undefined && { blame }) });
        }
      }
    }
    functions.push({ order, label: LABELS[order] ?? `f^(${order})`, formula: print(g), stable: print(stable), measurements });
  }
  const pass = functions.every((f) => f.measurements.every((m) => !isTargeted(m.variant) || m.target !== "fail"));
  return {
    name: act.name,
    input: variable,
    params: Object.fromEntries(paramNames.map((n, i) => [n, paramValues[i]!])),
    kinks,
    points: { float64: points.float64.length, float32: points.float32.length },
    functions,
    regions,
    pass,
    ...(simdUnavailable !== undefined && { simdUnavailable }),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The regions where actdiff's generated code (the stable forms) exceeds its bound, with the
 * subexpression blamed for each: for the repair step and the playground. The audit without the
 * naive column; everything else as `audit`.
 */
export function inaccurateRegions(act: Activation, options: Omit<AuditOptions, "regions" | "variants"> = {}): readonly Region[] {
  return audit(act, { ...options, variants: ["stable"] }).regions;
}

interface MeasureInput {
  readonly dtype: Dtype;
  readonly variant: Variant;
  readonly xs: readonly number[];
  readonly got: Float64Array;
  readonly truth: readonly (Big | undefined)[];
  readonly kappa: readonly (number | undefined)[];
  readonly targeted: boolean;
  readonly evaluate: Evaluator;
  /** The reference at any input (for thresholds found between sweep points). */
  readonly truthAt: (x: number) => Big | undefined;
}

function measure(m: MeasureInput): Measurement & { readonly statuses: readonly PointStatus[] } {
  const format = FORMATS[m.dtype];
  const statuses: PointStatus[] = [];
  let measured = 0;
  let belowNormal = 0;
  let undecided = 0;
  let max: PointError | null = null;
  let maxWell: PointError | null = null;
  let worst: PointError | null = null;
  let worstRatio = 0;
  let overBound = 0;
  let nonFiniteCount = 0;
  const nonFinite: NonFinite[] = [];
  m.xs.forEach((x, i) => {
    const t = m.truth[i];
    const got = m.got[i]!;
    statuses.push(pointStatus(m.dtype, got, t, m.kappa[i]));
    if (t === undefined || t.isNaN()) {
      undecided++;
      return;
    }
    const expected = format.round(toDouble(t));
    // ±Infinity is the right answer only where the truth itself is beyond the format's range.
    if (!Number.isFinite(got) && !(Number.isFinite(expected) === false && got === expected)) {
      if (t.isFinite()) {
        nonFiniteCount++;
        if (nonFinite.length < MAX_LISTED) nonFinite.push({ x, got, expected: show(t) });
      }
      return;
    }
    // Below the smallest normal number the relative error means nothing — unless the output is
    // a normal number there, which is an error of its own.
    if (!Number.isFinite(expected) || Math.max(Math.abs(expected), Math.abs(format.round(got))) < format.smallestNormal) {
      belowNormal++;
      return;
    }
    measured++;
    const ulps = ulpDistance(format.round(got), expected, m.dtype);
    const kappa = m.kappa[i];
    if (!m.targeted) {
      // No target, no condition number: the largest error is reported as it is.
      if (max === null || ulps > max.ulps) max = { x, ulps };
      return;
    }
    const bound = ulpBound(m.dtype, kappa);
    const e: PointError = { x, ulps, ...(kappa !== undefined && { kappa }), bound };
    if (max === null || ulps > max.ulps) max = e;
    if ((kappa === undefined || kappa <= 1) && (maxWell === null || ulps > maxWell.ulps)) maxWell = e;
    if (ulps > bound) overBound++;
    if (ulps / bound > worstRatio) {
      worstRatio = ulps / bound;
      worst = e;
    }
  });
  const thresholds = { negative: side(m, -1), positive: side(m, 1) };
  const target = !m.targeted ? "none" : nonFiniteCount === 0 && overBound === 0 ? "pass" : "fail";
  return {
    dtype: m.dtype, variant: m.variant, measured, belowNormal, undecided,
    max, maxWellConditioned: maxWell, overBound, worst, nonFiniteCount, nonFinite, thresholds, target, statuses,
  };
}

/**
 * The code at one input, as the regions see it: unmeasured (truth undecided, or truth and output
 * below the normal range), NaN/±∞ where the truth is finite, or its error and bound — the same
 * classification `measure` counts, for any input (bisection of a region's edges).
 */
export function pointStatus(dtype: Dtype, got: number, t: Big | undefined, kappa: number | undefined): PointStatus {
  const format = FORMATS[dtype];
  if (t === undefined || t.isNaN()) return { kind: "unmeasured" };
  const expected = format.round(toDouble(t));
  if (!Number.isFinite(got) && !(Number.isFinite(expected) === false && got === expected)) {
    return t.isFinite() ? { kind: "nonFinite", got } : { kind: "unmeasured" };
  }
  if (!Number.isFinite(expected) || Math.max(Math.abs(expected), Math.abs(format.round(got))) < format.smallestNormal) return { kind: "unmeasured" };
  const ulps = ulpDistance(format.round(got), expected, dtype);
  return { kind: "measured", ulps, bound: ulpBound(dtype, kappa), ...(kappa !== undefined && { kappa }) };
}

/**
 * Thresholds on one side of the origin: where the tail begins in which the output overflows,
 * leaves the normal range, or is 0 while the truth is not. Walking inward from the end of the
 * range, the last sweep point where it still holds, refined by bisection on the compiled code
 * between that point and the next one inward (a zero of the function inside the range, such as
 * f″(0) = 0 for σ, is not a threshold).
 */
function side(m: MeasureInput, sign: 1 | -1): Side {
  const format = FORMATS[m.dtype];
  const inward = m.xs.map((_, i) => i).filter((i) => Math.sign(m.xs[i]!) === sign);
  if (sign === 1) inward.reverse();
  const at = (x: number): number => m.evaluate([x])[0]!;
  const conditions = {
    overflow: (v: number) => v === Infinity || v === -Infinity,
    underflow: (v: number) => Math.abs(v) < format.smallestNormal,
    zero: (v: number) => v === 0,
  };
  const out: { -readonly [K in keyof Side]: Threshold } = {};
  for (const [name, holds] of Object.entries(conditions) as [keyof Side, (v: number) => boolean][]) {
    let outermost: number | undefined;
    let inner: number | undefined;
    for (const i of inward) {
      const t = m.truth[i];
      if (t === undefined || t.isNaN()) continue;
      if (!holds(m.got[i]!)) {
        inner = m.xs[i];
        break;
      }
      outermost = m.xs[i];
    }
    if (outermost === undefined) continue;
    const x = inner === undefined ? outermost : bisect(inner, outermost, (y) => holds(at(y)), m.dtype);
    // Where the truth is 0 as well (relu′ for x < 0) nothing is lost: not a threshold.
    const t = m.truthAt(x);
    if (t === undefined || t.isZero()) continue;
    out[name] = { x, expected: show(t) };
  }
  return out;
}

/** The input nearest `from` where `holds` becomes true, between from (false) and to (true). */
function bisect(from: number, to: number, holds: (x: number) => boolean, dtype: Dtype): number {
  let [a, b] = [from, to];
  for (let k = 0; k < 200; k++) {
    const mid = FORMATS[dtype].round(a / 2 + b / 2);
    if (mid === a || mid === b) break;
    if (holds(mid)) b = mid;
    else a = mid;
  }
  return b;
}
