/**
 * Row kernels (functions of vectors along the last axis of [rows × N]) against the hand-written
 * loops of bench/handwritten-rows.ts and against TensorFlow.js, side by side in this process:
 * softmax, log_softmax, logsumexp and maxout (k = 2), forward, backward (the VJP) and fused, for
 * N = 10, 100, 1000 and 32768 (vocabulary-sized), about 10⁶ elements per call (10⁶ / N rows; 32
 * rows of 32768), x uniform in [−8, 8] and gradOut uniform in [−1, 1], float64 and float32.
 *
 * Before anything is timed, each hand-written loop is run on the inputs the timing uses and its
 * outputs compared with actdiff's, in ulps of the element type: the comparison is of equal work
 * only if both compute the same numbers.
 */
import { define, type Activation, type KernelOptions } from "../src/index.js";
import { rowSpec } from "../src/api/vector-activation.js";
import { rowSimdFallback } from "../src/codegen/rows.js";
import { ulpDistance } from "../src/audit/ulps.js";
import type { RowLoops, RowName } from "./handwritten-rows.js";
import { pairedRounds, uniform, type Budget } from "./measure.js";
import type { TfSetup } from "./peers.js";

export const ROW_LENGTHS = [10, 100, 1000, 32768] as const;
export const ROW_FUNCTIONS: readonly RowName[] = ["softmax", "log_softmax", "logsumexp", "maxout"];
const TOTAL = 1_000_000;
/** Rows per call: 10⁶ / N, and 32 rows (1,048,576 elements) for N = 32768. */
export const rowsFor = (n: number): number => (TOTAL % n === 0 ? TOTAL / n : 32);

type Dtype = "float64" | "float32";
type Pass = "forward" | "backward" | "fused";
const PASSES: readonly Pass[] = ["forward", "backward", "fused"];
type Arr = Float64Array | Float32Array;

/** Elements per row of f's output (and of gradOut): N, 1 for logsumexp, N / 2 for maxout. */
const outLength = (name: RowName, n: number): number => (name === "logsumexp" ? 1 : name === "maxout" ? n / 2 : n);

interface RowData {
  readonly rows: number;
  readonly x: Arr;
  /** gradOut, out: the first rows × outLength elements are used. */
  readonly g: Arr;
  readonly out: Arr;
  readonly gradX: Arr;
}

function rowData(dtype: Dtype, n: number): RowData {
  const rows = rowsFor(n);
  const size = rows * n;
  const [rx, rg] = [uniform(1, -8, 8), uniform(2, -1, 1)];
  const make = (length: number, from?: () => number): Arr => {
    const a = dtype === "float64" ? new Float64Array(length) : new Float32Array(length);
    if (from) for (let i = 0; i < length; i++) a[i] = from();
    return a;
  };
  return { rows, x: make(size, rx), g: make(size, rg), out: make(size), gradX: make(size) };
}

/** The three passes of some row loops over the data, each a call to time (the outputs are fresh views). */
function passesOver(l: RowLoops, name: RowName, n: number, d: RowData, out: Arr = d.out, gradX: Arr = d.gradX): Record<Pass, () => void> {
  const m = d.rows * outLength(name, n);
  const [g, o] = [d.g.subarray(0, m), out.subarray(0, m)];
  return {
    forward: () => l.forward(d.x, o, n),
    backward: () => l.backward(d.x, g, gradX, n),
    fused: () => l.fused(d.x, g, o, gradX, n),
  };
}

/** actdiff's row kernels behind the hand-written loops' interface. */
function kernelsOf(a: Activation, options: KernelOptions = {}): RowLoops {
  const [forward, backward, fused] = [a.kernel(options), a.backward(options), a.fusedKernel(options)] as unknown as ((...args: unknown[]) => void)[];
  return {
    forward: (x, out, n) => forward!(x, out, n),
    backward: (x, g, gradX, n) => backward!(x, g, gradX, n),
    fused: (x, g, out, gradX, n) => fused!(x, g, out, gradX, n),
  };
}

/** Largest distance in ulps between two arrays of one type (NaN where only one is NaN). */
function maxUlps(a: Arr, b: Arr, dtype: Dtype): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const [u, v] = [a[i]!, b[i]!];
    if (u === v || (u !== u && v !== v)) continue;
    const d = ulpDistance(u, v, dtype);
    worst = d !== d ? NaN : Math.max(worst, d);
  }
  return worst;
}

/** actdiff and the hand-written loop on the same inputs: the largest difference over every output of the pass. */
function agreement(ours: RowLoops, theirs: RowLoops, name: RowName, n: number, dtype: Dtype, d: RowData): Record<Pass, number> {
  const fresh = (): [Arr, Arr] => [d.out.slice(), d.gradX.slice()].map((a) => a.fill(0)) as [Arr, Arr];
  const result = {} as Record<Pass, number>;
  for (const pass of PASSES) {
    const [[oA, gA], [oB, gB]] = [fresh(), fresh()];
    passesOver(ours, name, n, d, oA, gA)[pass]();
    passesOver(theirs, name, n, d, oB, gB)[pass]();
    result[pass] = Math.max(maxUlps(oA, oB, dtype), maxUlps(gA, gB, dtype));
  }
  return result;
}

export interface RowKernelRow {
  readonly name: RowName;
  readonly n: number;
  readonly dtype: Dtype;
  readonly pass: Pass;
  /** ns per element of x, the best round of each. */
  readonly actdiff: number;
  readonly handwritten: number;
  /** actdiff / hand-written: best against best, and the range of the per-round ratios. */
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  /** Largest difference of any output from the hand-written loop's, in ulps of the element type. */
  readonly ulps: number;
}

/** Ratios from rounds of [a, b] medians: best against best, and the range of the ratio within a round. */
function ratios(rounds: readonly number[][]): { a: number; b: number; ratio: number; low: number; high: number } {
  const a = Math.min(...rounds.map((r) => r[0]!));
  const b = Math.min(...rounds.map((r) => r[1]!));
  const each = rounds.map((r) => r[0]! / r[1]!);
  return { a, b, ratio: a / b, low: Math.min(...each), high: Math.max(...each) };
}

const handwrittenRows = async (dtype: Dtype): Promise<Record<RowName, RowLoops>> =>
  ((await import(new URL(`./handwritten-rows.ts?${dtype}`, import.meta.url).href)) as typeof import("./handwritten-rows.js")).HANDWRITTEN_ROWS;

/** `only`: the row functions to measure (`--only=maxout`), all of them when undefined. */
export async function rowKernelSection(budget: Budget, progress: (text: string) => void, only?: readonly string[]): Promise<RowKernelRow[]> {
  const out: RowKernelRow[] = [];
  const names = ROW_FUNCTIONS.filter((name) => only === undefined || only.includes(name));
  const kernels = new Map(names.map((name) => [name, kernelsOf(define(name))]));
  for (const dtype of ["float64", "float32"] as const) {
    const hand = await handwrittenRows(dtype);
    for (const n of ROW_LENGTHS) {
      const d = rowData(dtype, n);
      for (const name of names) {
        const [ours, theirs] = [kernels.get(name)!, hand[name]];
        const ulps = agreement(ours, theirs, name, n, dtype, d);
        const [a, b] = [passesOver(ours, name, n, d), passesOver(theirs, name, n, d)];
        const measured: RowKernelRow[] = [];
        for (const pass of PASSES) {
          const r = ratios(await pairedRounds([a[pass], b[pass]], budget));
          const elements = d.rows * n;
          measured.push({ name, n, dtype, pass, actdiff: r.a / elements, handwritten: r.b / elements, ratio: r.ratio, low: r.low, high: r.high, ulps: ulps[pass] });
        }
        out.push(...measured);
        progress(`rows ${dtype} N=${n} ${name}: ${measured.map((m) => `${m.pass} ${m.ratio.toFixed(2)}× (${m.low.toFixed(2)}–${m.high.toFixed(2)}, ${m.ulps} ulps)`).join(", ")}`);
      }
    }
  }
  return out;
}

// --- WebAssembly SIMD row kernels (`--rows --simd`) --------------------------------------------

const SIMD_VARIANTS = [
  { label: "float64", dtype: "float64", simd: true },
  { label: "float32", dtype: "float32", simd: true },
  { label: "float32 lanes", dtype: "float32", simd: "float32" },
] as const;
type SimdVariant = (typeof SIMD_VARIANTS)[number]["label"];

export interface RowSimdRow {
  readonly name: RowName;
  readonly n: number;
  readonly variant: SimdVariant;
  readonly pass: Pass;
  /** ns per element of x, the best round of each: the JavaScript row kernel and `{ simd }`'s. */
  readonly js: number;
  readonly simd: number;
  /** js / simd (> 1: SIMD faster), best against best, and the range of the per-round ratios. */
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  /** What `{ simd }` runs: the WebAssembly SIMD row function, or the JavaScript one it falls back to. */
  readonly runsAs: "wasm" | "JS";
}

/**
 * actdiff's row kernels with `{ simd: true }` (float64 lanes; float32 rows widened) and
 * `{ simd: "float32" }` (float32 rows in float32 lanes) against the same kernels without it,
 * in alternating rounds on the same data.
 */
export async function rowSimdSection(budget: Budget, progress: (text: string) => void, only?: readonly string[]): Promise<RowSimdRow[]> {
  const out: RowSimdRow[] = [];
  const names = ROW_FUNCTIONS.filter((name) => only === undefined || only.includes(name));
  const js = new Map(names.map((name) => [name, kernelsOf(define(name))]));
  for (const variant of SIMD_VARIANTS) {
    const simd = new Map(names.map((name) => [name, kernelsOf(define(name), { simd: variant.simd })]));
    for (const n of ROW_LENGTHS) {
      const d = rowData(variant.dtype, n);
      for (const name of names) {
        const [a, b] = [passesOver(js.get(name)!, name, n, d), passesOver(simd.get(name)!, name, n, d)];
        const measured: RowSimdRow[] = [];
        for (const pass of PASSES) {
          const runsAs = rowSimdFallback(rowSpec(define(name), pass)) === undefined ? "wasm" : "JS";
          const r = ratios(await pairedRounds([a[pass], b[pass]], budget));
          const elements = d.rows * n;
          measured.push({ name, n, variant: variant.label, pass, js: r.a / elements, simd: r.b / elements, ratio: r.ratio, low: r.low, high: r.high, runsAs });
        }
        out.push(...measured);
        progress(`rows simd ${variant.label} N=${n} ${name}: ${measured.map((m) => `${m.pass} ${m.ratio.toFixed(2)}× (${m.low.toFixed(2)}–${m.high.toFixed(2)}${m.runsAs === "JS" ? ", JS" : ""})`).join(", ")}`);
      }
    }
  }
  return out;
}

export function rowSimdTable(rows: readonly RowSimdRow[], variant: SimdVariant): string {
  const body = ROW_FUNCTIONS.flatMap((name) => ROW_LENGTHS.flatMap((n) => {
    const at = (pass: Pass) => rows.find((r) => r.name === name && r.n === n && r.variant === variant && r.pass === pass);
    if (at("forward") === undefined) return [];
    return [[name, String(n), ...PASSES.flatMap((p) => {
      const r = at(p)!;
      return [f2(r.js), r.runsAs === "JS" ? `${f2(r.simd)} (JS)` : f2(r.simd), spread(r.ratio, r.low, r.high)];
    })]];
  }));
  return table(["function", "N", "f JS", "f SIMD", "f JS / SIMD", "VJP JS", "VJP SIMD", "VJP JS / SIMD", "fused JS", "fused SIMD", "fused JS / SIMD"], body);
}

export const rowSimdSections = (rows: readonly RowSimdRow[]): string[] => SIMD_VARIANTS.flatMap((v) => [
  `## Row kernels, WebAssembly SIMD vs JavaScript, ${v.label === "float32 lanes" ? "float32 rows in float32 lanes ({ simd: \"float32\" })" : `${v.label} rows in float64 lanes ({ simd: true })`} (ns/element, rows × N = 10⁶; JS / SIMD, > 1 = SIMD faster)`,
  rowSimdTable(rows, v.label),
]);

// --- TensorFlow.js ----------------------------------------------------------------------------

type Tf = TfSetup["tf"];
type Tensor = import("@tensorflow/tfjs").Tensor;
export const TF_ROW_FUNCTIONS = ["softmax", "log_softmax", "logsumexp"] as const;
type TfRowName = (typeof TF_ROW_FUNCTIONS)[number];
const TF_PASSES = ["forward", "backward"] as const;
type TfPass = (typeof TF_PASSES)[number];

/** Each function as TensorFlow.js's own op along the last axis. */
function tfRowOp(tf: Tf, name: TfRowName): (x: Tensor) => Tensor {
  switch (name) {
    case "softmax": return (x) => tf.softmax(x);
    case "log_softmax": return (x) => tf.logSoftmax(x);
    case "logsumexp": return (x) => tf.logSumExp(x, -1);
  }
}

export interface TfRowRow {
  readonly name: TfRowName;
  readonly n: number;
  readonly pass: TfPass;
  readonly backend: "cpu" | "wasm";
  /** ns per element, float32: tfjs and actdiff's JavaScript kernel, measured in alternating rounds. */
  readonly tfjs: number;
  readonly actdiff: number;
  /** tfjs / actdiff: best against best, and the range within a round. */
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  /** Largest |tfjs − actdiff| relative to the largest |value| of the output (a check that both compute the same thing). */
  readonly difference: number;
}

function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [diff, scale] = [0, 0];
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

/**
 * tf.softmax, tf.logSoftmax and tf.logSumExp(x, −1) and their gradients by tf.grad, on tensors of
 * [rows × N] made once, each call in tf.tidy with its result read back (dataSync), as a caller
 * must; on each backend in alternating rounds with actdiff's float32 JavaScript kernels.
 */
export async function tfRowSection({ tf }: TfSetup, budget: Budget, progress: (text: string) => void): Promise<TfRowRow[]> {
  const out: TfRowRow[] = [];
  const tfBudget = { ...budget, ms: budget.ms * 2 };
  const kernels = new Map(TF_ROW_FUNCTIONS.map((name) => [name, kernelsOf(define(name))]));
  for (const backend of ["cpu", "wasm"] as const) {
    await tf.setBackend(backend);
    for (const n of ROW_LENGTHS) {
      const d = rowData("float32", n);
      const xt = tf.tensor2d(d.x as Float32Array, [d.rows, n]);
      for (const name of TF_ROW_FUNCTIONS) {
        const op = tfRowOp(tf, name);
        const m = outLength(name, n);
        const g = (d.g as Float32Array).subarray(0, d.rows * m);
        const dy = name === "logsumexp" ? tf.tensor1d(g) : tf.tensor2d(g, [d.rows, n]);
        const grad = tf.grad(op);
        // The tidy callbacks return nothing: tidy walks what they return, looking for tensors to
        // keep, and walks a Float32Array element by element (1 µs per element, more than the op).
        const tensor: Record<TfPass, () => Tensor> = { forward: () => op(xt), backward: () => grad(xt, dy) };
        const theirs: Record<TfPass, () => void> = {
          forward: () => tf.tidy(() => { tensor.forward().dataSync(); }),
          backward: () => tf.tidy(() => { tensor.backward().dataSync(); }),
        };
        const ours = passesOver(kernels.get(name)!, name, n, d);
        const results: Record<TfPass, Arr> = { forward: d.out.subarray(0, d.rows * m), backward: d.gradX };
        for (const pass of TF_PASSES) {
          ours[pass]();
          const difference = tf.tidy(() => relativeDifference(tensor[pass]().dataSync(), results[pass]));
          const r = ratios(await pairedRounds([theirs[pass], ours[pass]], tfBudget));
          const elements = d.rows * n;
          out.push({ name, n, pass, backend, tfjs: r.a / elements, actdiff: r.b / elements, ratio: r.ratio, low: r.low, high: r.high, difference });
        }
        dy.dispose();
        progress(`rows tfjs ${backend} N=${n} ${name}: ${out.slice(-2).map((t) => `${t.pass} tfjs / actdiff ${t.ratio.toFixed(2)}× (${t.low.toFixed(2)}–${t.high.toFixed(2)}; Δ ${t.difference.toExponential(1)})`).join(", ")}`);
      }
      xt.dispose();
    }
  }
  return out;
}

// --- report -----------------------------------------------------------------------------------

const f2 = (v: number): string => v.toFixed(2);
const spread = (ratio: number, low: number, high: number): string => `${ratio.toFixed(2)}× (${low.toFixed(2)}–${high.toFixed(2)})`;

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = headers.map((_, i) => (i === 0 ? ":--" : "--:"));
  return [headers, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

export function rowKernelTable(rows: readonly RowKernelRow[], dtype: Dtype): string {
  const body = ROW_FUNCTIONS.flatMap((name) => ROW_LENGTHS.flatMap((n) => {
    const at = (pass: Pass) => rows.find((r) => r.name === name && r.n === n && r.dtype === dtype && r.pass === pass);
    if (at("forward") === undefined) return [];
    return [[name, String(n), ...PASSES.flatMap((p) => { const r = at(p)!; return [f2(r.actdiff), f2(r.handwritten), spread(r.ratio, r.low, r.high)]; })]];
  }));
  return table(["function", "N", "f actdiff", "f hand", "f ratio (rounds)", "VJP actdiff", "VJP hand", "VJP ratio (rounds)", "fused actdiff", "fused hand", "fused ratio (rounds)"], body);
}

export function rowAgreementTable(rows: readonly RowKernelRow[]): string {
  const worst = (name: RowName, dtype: Dtype, pass: Pass): string => {
    const u = rows.filter((r) => r.name === name && r.dtype === dtype && r.pass === pass).map((r) => r.ulps);
    return u.length === 0 ? "—" : String(Math.max(...u));
  };
  return table(["function", "f64 f", "f64 VJP", "f64 fused", "f32 f", "f32 VJP", "f32 fused"],
    ROW_FUNCTIONS.map((name) => [name, ...(["float64", "float32"] as const).flatMap((dt) => PASSES.map((p) => worst(name, dt, p)))]));
}

export function rowSummary(rows: readonly RowKernelRow[]): string {
  const within = rows.filter((r) => r.ratio <= 1.1);
  const worst = [...rows].sort((a, b) => b.ratio - a.ratio).slice(0, 6);
  const geomean = Math.exp(rows.reduce((a, r) => a + Math.log(r.ratio), 0) / rows.length);
  return `Geometric mean of actdiff / hand-written: ${geomean.toFixed(2)}× over ${rows.length} cases; ${within.length} of ${rows.length} within 1.10×. ` +
    `Largest: ${worst.map((r) => `${r.name} N=${r.n} ${r.pass} ${r.dtype} ${r.ratio.toFixed(2)}×`).join("; ")}.`;
}

export function tfRowTable(rows: readonly TfRowRow[]): string {
  const body = TF_ROW_FUNCTIONS.flatMap((name) => ROW_LENGTHS.flatMap((n) => TF_PASSES.flatMap((pass) => {
    const at = (backend: "cpu" | "wasm") => rows.find((r) => r.name === name && r.n === n && r.pass === pass && r.backend === backend);
    const [cpu, wasm] = [at("cpu"), at("wasm")];
    if (cpu === undefined || wasm === undefined) return [];
    return [[name, String(n), pass === "forward" ? "f" : "VJP", f2(cpu.actdiff), f2(cpu.tfjs), spread(cpu.ratio, cpu.low, cpu.high),
      f2(wasm.actdiff), f2(wasm.tfjs), spread(wasm.ratio, wasm.low, wasm.high), Math.max(cpu.difference, wasm.difference).toExponential(1)]];
  })));
  return table(["function", "N", "pass", "actdiff (cpu pair)", "tfjs cpu", "cpu / actdiff (rounds)", "actdiff (wasm pair)", "tfjs wasm", "wasm / actdiff (rounds)", "max rel. Δ"], body);
}
