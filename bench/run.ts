/**
 * actdiff's benchmarks: `npm run bench [-- --json] [-- --quick] [-- --only=sigmoid,swish]`.
 *
 * All competitors run in this one process on the same inputs: 1,000,000 elements uniform in
 * [-8, 8] (float64, and the same values rounded to float32), gradOut uniform in [-1, 1].
 *   1. actdiff's generated kernels (forward f, backward gradOut·f′, fused) against hand-written
 *      loops, for every catalog activation, float64 and float32;
 *   2. mathjs `compile(expr).evaluate({ x })` per element (on a 10,000-element slice, per element);
 *   3. actdiff's WebAssembly SIMD kernels ({ simd: true }, and { simd: "float32" } for float32)
 *      against its JavaScript kernels;
 *   4. TensorFlow.js cpu and wasm backends for sigmoid, elu, softplus, swish (float32), the wasm
 *      backend measured side by side with actdiff's SIMD kernels;
 *   5. the symbolic pipeline per catalog activation, and n-th derivatives of tanh and swish
 *      against mathjs's `derivative`;
 *   6. row kernels (softmax, log_softmax, logsumexp, maxout over [rows × N], N = 10 … 32768)
 *      against hand-written loops and TensorFlow.js (bench/rows.ts); `--rows` runs only these (`--only=maxout` narrows them);
 *      `--rows --simd` instead their WebAssembly SIMD form ({ simd: true }, { simd: "float32" }) against the JavaScript one;
 *   7. compile() closures called through one shared (megamorphic) call site against the same
 *      formulas written by hand (bench/closures.ts); `--closures` runs only these.
 *      `--sizes` only: each stage's time on flat sums of 1k–100k terms and on nestings 100–1,000
 *      deep (bench/sizes.ts).
 *   8. `--torch` only: the exported PyTorch Function's forward + backward against torch's
 *      built-ins, float32, 10⁶ elements (bench/torch-export.ts).
 *   9. `--playground` only: the playground's bundle sizes and its latency from a keystroke to the
 *      derivative and the plot on screen, in Chromium (bench/playground.ts).
 *  10. `--repaired` only: formulas as people write them, repaired by compile() (issue 16), their
 *      kernels against hand-written stable loops and their symbolic pipeline (bench/repaired.ts).
 * Benchmarks are not tests: nothing here fails on a slow result; the targets are reported.
 */
import { arch, cpus, loadavg, platform } from "node:os";
import { availableParallelism } from "node:os";
import { ActdiffError, define, type Activation, type KernelOptions } from "../src/index.js";
import { oneInputActivations } from "../src/catalog/catalog.js";
import type { Loops } from "./handwritten.js";
import { KERNEL_BUDGET, median, paired, QUICK_BUDGET, uniform, type Budget } from "./measure.js";
import { COMPETITORS, peerAccuracy, type AccuracyRow, type Worst } from "./accuracy.js";
import { loadTf, MATHJS, TFJS_ACTIVATIONS, tfOp, type TfSetup } from "./peers.js";
import { orders, pipeline, type OrderRow, type PipelineRow } from "./symbolic.js";
import { torchBench, torchBenchTable } from "./torch-export.js";
import { closureSection, closureTable } from "./closures.js";
import { repairedSection, repairedTable } from "./repaired.js";
import { sizeSection, sizeTable } from "./sizes.js";
import { rowAgreementTable, rowKernelSection, rowKernelTable, rowSimdSection, rowSimdSections, rowSummary, tfRowSection, tfRowTable, type RowKernelRow, type TfRowRow } from "./rows.js";

const args = new Set(process.argv.slice(2));
const JSON_OUTPUT = args.has("--json");
const QUICK = args.has("--quick");
const ROWS_ONLY = args.has("--rows");
const TORCH_ONLY = args.has("--torch");
const CLOSURES_ONLY = args.has("--closures");
const REPAIRED_ONLY = args.has("--repaired");
// --playground: the playground's bundle sizes and, in Chromium, its latency (bench/playground.ts).
if (args.has("--playground")) {
  const { playgroundBench } = await import("./playground.js");
  await playgroundBench({ json: args.has("--json"), quick: args.has("--quick") });
  process.exit(0);
}
const SIZES_ONLY = args.has("--sizes");
const N = 1_000_000;
const SLICE = 10_000;
const budget: Budget = QUICK ? QUICK_BUDGET : KERNEL_BUDGET;
// --only=sigmoid,swish: just those activations' kernels (to iterate on one kernel quickly).
const ONLY = process.argv.slice(2).find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");
const names = oneInputActivations().map((e) => e.name)
  .filter((n) => (ONLY !== undefined ? ONLY.includes(n) : !QUICK || ["sigmoid", "relu", "elu", "softplus", "swish"].includes(n)));

const progress = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

// One copy of the hand-written loops per element type (a module instance per query string),
// so that each loop sees one kind of typed array, as each generated loop does.
const handwrittenModule = async (dtype: string): Promise<typeof import("./handwritten.js")> =>
  (await import(new URL(`./handwritten.ts?${dtype}`, import.meta.url).href)) as typeof import("./handwritten.js");
const handwritten = async (dtype: string): Promise<Record<string, Loops>> => (await handwrittenModule(dtype)).HANDWRITTEN;

type Dtype = "float64" | "float32";
type Pass = "forward" | "backward" | "fused";
const PASSES: readonly Pass[] = ["forward", "backward", "fused"];

interface Data {
  readonly x: Float64Array | Float32Array;
  readonly g: Float64Array | Float32Array;
  readonly out: Float64Array | Float32Array;
  readonly gradIn: Float64Array | Float32Array;
}

function data(dtype: Dtype): Data {
  const [rx, rg] = [uniform(1, -8, 8), uniform(2, -1, 1)];
  const [x, g] = [Float64Array.from({ length: N }, rx), Float64Array.from({ length: N }, rg)];
  if (dtype === "float64") return { x, g, out: new Float64Array(N), gradIn: new Float64Array(N) };
  return { x: Float32Array.from(x), g: Float32Array.from(g), out: new Float32Array(N), gradIn: new Float32Array(N) };
}

interface KernelRow {
  readonly name: string;
  readonly dtype: Dtype;
  readonly pass: Pass;
  /** ns per element. */
  readonly actdiff: number;
  readonly handwritten: number;
  readonly ratio: number;
}

function kernelsOf(a: Activation, options: KernelOptions = {}): Loops {
  const [forward, backward, fused] = [a.kernel(options), a.backward(options), a.fusedKernel(options)];
  return {
    forward: (x, out) => forward(x, out),
    backward: (x, g, gradIn) => backward(x, g, gradIn),
    fused: (x, g, out, gradIn) => fused(x, g, out, gradIn),
  };
}

/** The three passes of some loops over the data, each a call to time. */
const passesOver = (l: Loops, { x, g, out, gradIn }: Data): Record<Pass, () => void> => ({
  forward: () => l.forward(x, out),
  backward: () => l.backward(x, g, gradIn),
  fused: () => l.fused(x, g, out, gradIn),
});

/** actdiff's three passes against the hand-written ones, each pair measured side by side. */
async function comparePasses(name: string, dtype: Dtype, ours: Loops, theirs: Loops, d: Data): Promise<KernelRow[]> {
  const [a, b] = [passesOver(ours, d), passesOver(theirs, d)];
  const rows: KernelRow[] = [];
  for (const pass of PASSES) {
    const [tOurs, tTheirs] = await paired([a[pass], b[pass]], budget);
    rows.push({ name, dtype, pass, actdiff: tOurs! / N, handwritten: tTheirs! / N, ratio: tOurs! / tTheirs! });
  }
  return rows;
}

const ratios = (rows: readonly KernelRow[]): string => rows.map((r) => `${r.pass} ${r.ratio.toFixed(2)}×`).join(", ");

async function kernelSection(): Promise<KernelRow[]> {
  const rows: KernelRow[] = [];
  const kernels = new Map(names.map((n) => [n, kernelsOf(define(n))]));
  for (const dtype of ["float64", "float32"] as const) {
    const hand = await handwritten(dtype);
    const d = data(dtype);
    for (const name of names) {
      const measured = await comparePasses(name, dtype, kernels.get(name)!, hand[name]!, d);
      rows.push(...measured);
      progress(`kernels ${dtype} ${name}: ${ratios(measured)}`);
    }
  }
  return rows;
}

/**
 * Where actdiff's stable code computes more than the hand-written loop (expm1 where the loop
 * writes e^x − 1, a branch where it lets π/2 + atan(x) cancel), the same loops against actdiff's
 * code for the formula as written ({ stable: false }), float64: code generation's own cost,
 * apart from the cost of accuracy.
 */
const AS_WRITTEN = ["sigmoid", "tanh", "elu", "trelu", "relu_softplus", "swish", "silu", "xwish"];

async function asWrittenSection(): Promise<KernelRow[]> {
  const rows: KernelRow[] = [];
  const hand = await handwritten("float64");
  const d = data("float64");
  for (const name of AS_WRITTEN.filter((n) => names.includes(n))) {
    const measured = await comparePasses(name, "float64", kernelsOf(define(name), { stable: false }), hand[name]!, d);
    rows.push(...measured);
    progress(`as written ${name}: ${ratios(measured)}`);
  }
  return rows;
}

interface SimdRow {
  readonly name: string;
  readonly dtype: Dtype;
  readonly pass: Pass;
  /** ns per element: the JavaScript kernel, the SIMD kernel (float64 lanes), and float32 lanes (float32 only). */
  readonly js: number;
  readonly simd: number;
  readonly simd32?: number;
}

/** SIMD kernels of an activation, or undefined where a builtin has no vector form (xwish's atan). */
function simdKernelsOf(a: Activation, simd: true | "float32"): Loops | undefined {
  try {
    return kernelsOf(a, { simd });
  } catch (e) {
    if (e instanceof ActdiffError && e.code === "E_UNSUPPORTED") return undefined;
    throw e;
  }
}

async function simdSection(): Promise<SimdRow[]> {
  const rows: SimdRow[] = [];
  for (const dtype of ["float64", "float32"] as const) {
    const d = data(dtype);
    for (const name of names) {
      const a = define(name);
      const simd = simdKernelsOf(a, true);
      if (simd === undefined) continue;
      const competitors = [kernelsOf(a), simd, ...(dtype === "float32" ? [simdKernelsOf(a, "float32")!] : [])].map((l) => passesOver(l, d));
      for (const pass of PASSES) {
        const [js, v, v32] = await paired(competitors.map((c) => c[pass]), budget);
        rows.push({ name, dtype, pass, js: js! / N, simd: v! / N, ...(v32 !== undefined && { simd32: v32 / N }) });
      }
      progress(`simd ${dtype} ${name}: ${rows.slice(-3).map((r) => `${r.pass} ${(r.js / r.simd).toFixed(2)}×`).join(", ")} faster`);
    }
  }
  return rows;
}

interface MathjsRow {
  readonly name: string;
  /** ns per element, each on the same 10,000-element float64 slice. */
  readonly mathjs: number;
  readonly closure: number;
  readonly kernel: number;
  readonly handwritten: number;
}

/** `for (i) out[i] = fn(xs[i])` as a function of its own (bench code: the source is fixed). */
let loops = 0;
function perElementLoop(fn: (x: number) => number, xs: Float64Array, out: Float64Array): () => void {
  // A distinct comment per loop: V8 caches new Function by its source text, and copies with
  // one text would share their type feedback (and so one polymorphic call site).
  const source = `// loop ${loops++}\nfor (let i = 0; i < xs.length; i++) out[i] = fn(xs[i]);`;
  const loop = new Function("fn", "xs", "out", source) as (f: typeof fn, x: Float64Array, o: Float64Array) => void;
  return () => loop(fn, xs, out);
}

async function mathjsSection(): Promise<MathjsRow[]> {
  const math = await import("mathjs");
  const hand = await handwritten("float64");
  const { x } = data("float64");
  const xs = x.subarray(0, SLICE) as Float64Array;
  const out = new Float64Array(SLICE);
  const rows: MathjsRow[] = [];
  for (const name of names) {
    const { expr, scope } = MATHJS[name]!;
    const code = math.compile(expr);
    const a = define(name);
    const f = a.compile();
    const kernel = a.kernel();
    // One scope object, its x updated per element: the fastest way to call evaluate (a fresh
    // object per element is as fast for a literal { x }, and much slower built with a spread).
    const variables: Record<string, number> = { x: 0, ...scope };
    // Each activation gets its own copy of these loops (a fresh function from source), so that
    // the call inside sees one callee, as a loop written for that activation would.
    const viaMathjs = perElementLoop((v) => {
      variables["x"] = v;
      return code.evaluate(variables) as number;
    }, xs, out);
    const viaClosure = perElementLoop(f, xs, out);
    const [m, c, k, h] = await paired([viaMathjs, viaClosure, () => kernel(xs, out), () => hand[name]!.forward(xs, out)], budget);
    rows.push({ name, mathjs: m! / SLICE, closure: c! / SLICE, kernel: k! / SLICE, handwritten: h! / SLICE });
    progress(`mathjs ${name}: ${(m! / k!).toFixed(1)}× slower than actdiff's kernel`);
  }
  return rows;
}

interface TfRow {
  readonly name: string;
  readonly pass: Pass;
  /** ns per element, float32. */
  readonly cpu: number;
  readonly wasm: number;
  /** actdiff's SIMD kernels, measured in alternating rounds with tfjs wasm: float64 lanes, float32 lanes. */
  readonly simd: number;
  readonly simd32: number;
}

async function tfSection({ tf, version, wasmSimd, wasmThreads }: TfSetup): Promise<{ rows: TfRow[]; version: string; wasmSimd: boolean; wasmThreads: boolean }> {
  const d = data("float32");
  const { x, g } = d;
  const rows: TfRow[] = [];
  const timings = new Map<string, number>();
  for (const backend of ["cpu", "wasm"]) {
    await tf.setBackend(backend);
    const [xt, dy] = [tf.tensor1d(x as Float32Array), tf.tensor1d(g as Float32Array)];
    for (const name of TFJS_ACTIVATIONS.filter((n) => names.includes(n))) {
      const op = tfOp(tf, name);
      const grad = tf.grad(op);
      const valueAndGrad = tf.valueAndGrad(op);
      // Results are read back (dataSync) and intermediate tensors freed, as a caller must.
      const passes: Record<Pass, () => void> = {
        forward: () => tf.tidy(() => { op(xt).dataSync(); }),
        backward: () => tf.tidy(() => { grad(xt, dy).dataSync(); }),
        fused: () => tf.tidy(() => {
          const r = valueAndGrad(xt, dy);
          r.value.dataSync();
          r.grad.dataSync();
        }),
      };
      const tfBudget = { ...budget, ms: budget.ms * 2 };
      if (backend === "cpu") {
        for (const pass of PASSES) timings.set(`cpu/${name}/${pass}`, (await median(passes[pass], tfBudget)) / N);
      } else {
        const a = define(name);
        const [simd, simd32] = [passesOver(kernelsOf(a, { simd: true }), d), passesOver(kernelsOf(a, { simd: "float32" }), d)];
        for (const pass of PASSES) {
          const [t, v, v32] = await paired([passes[pass], simd[pass], simd32[pass]], tfBudget);
          timings.set(`wasm/${name}/${pass}`, t! / N);
          timings.set(`simd/${name}/${pass}`, v! / N);
          timings.set(`simd32/${name}/${pass}`, v32! / N);
        }
      }
      progress(`tfjs ${backend} ${name}`);
    }
    xt.dispose();
    dy.dispose();
  }
  for (const name of TFJS_ACTIVATIONS.filter((n) => names.includes(n))) {
    for (const pass of PASSES) {
      const at = (what: string): number => timings.get(`${what}/${name}/${pass}`)!;
      rows.push({ name, pass, cpu: at("cpu"), wasm: at("wasm"), simd: at("simd"), simd32: at("simd32") });
    }
  }
  return { rows, version, wasmSimd, wasmThreads };
}

// --- report ---------------------------------------------------------------------------------

const f2 = (v: number): string => v.toFixed(2);
const f1 = (v: number): string => v.toFixed(1);
const ratio = (v: number): string => `${v.toFixed(2)}×`;

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = headers.map((_, i) => (i === 0 ? ":--" : "--:"));
  return [headers, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

function kernelTable(rows: readonly KernelRow[], dtype: Dtype): string {
  const byName = names.filter((name) => rows.some((k) => k.name === name)).map((name) => {
    const r = (pass: Pass) => rows.find((k) => k.name === name && k.dtype === dtype && k.pass === pass)!;
    return [name, ...PASSES.flatMap((p) => [f2(r(p).actdiff), f2(r(p).handwritten), ratio(r(p).ratio)])];
  });
  return table(["activation", "f actdiff", "f hand", "f ratio", "f′ actdiff", "f′ hand", "f′ ratio", "fused actdiff", "fused hand", "fused ratio"], byName);
}

const geomean = (vs: readonly number[]): number => Math.exp(vs.reduce((a, v) => a + Math.log(v), 0) / vs.length);

function summary(rows: readonly KernelRow[]): string {
  const within = rows.filter((r) => r.ratio <= 1.1).length;
  const worst = [...rows].sort((a, b) => b.ratio - a.ratio).slice(0, 5);
  return [
    `Geometric mean of actdiff / hand-written: ${ratio(geomean(rows.map((r) => r.ratio)))} over ${rows.length} cases; ` +
      `${within} of ${rows.length} within 1.10×.`,
    `Largest ratios: ${worst.map((r) => `${r.name} ${r.pass} ${r.dtype} ${ratio(r.ratio)}`).join("; ")}.`,
  ].join("\n");
}

function mathjsTable(rows: readonly MathjsRow[]): string {
  return table(
    ["activation", "mathjs", "actdiff closure", "actdiff kernel", "hand-written", "mathjs / kernel", "mathjs / closure", "mathjs / hand"],
    rows.map((r) => [r.name, f1(r.mathjs), f2(r.closure), f2(r.kernel), f2(r.handwritten), ratio(r.mathjs / r.kernel), ratio(r.mathjs / r.closure), ratio(r.mathjs / r.handwritten)]),
  );
}

function tfTable(rows: readonly TfRow[], kernels: readonly KernelRow[]): string {
  return table(
    ["activation", "pass", "actdiff JS", "hand f32", "tfjs cpu", "cpu / JS", "tfjs wasm", "wasm / JS", "actdiff simd", "wasm / simd", "simd, f32 lanes", "wasm / f32 lanes"],
    rows.map((r) => {
      const k = kernels.find((k) => k.name === r.name && k.dtype === "float32" && k.pass === r.pass)!;
      return [r.name, r.pass, f2(k.actdiff), f2(k.handwritten), f2(r.cpu), ratio(r.cpu / k.actdiff), f2(r.wasm), ratio(r.wasm / k.actdiff),
        f2(r.simd), ratio(r.wasm / r.simd), f2(r.simd32), ratio(r.wasm / r.simd32)];
    }),
  );
}

function accuracyTable(rows: readonly AccuracyRow[]): string {
  const cell = ({ ulps, x }: Worst): string =>
    ulps === 0 ? "0" : `${ulps >= 1e4 ? ulps.toExponential(1) : String(ulps)} (${Number(x.toPrecision(4))})`;
  return table(["activation", "", "x in", ...COMPETITORS],
    rows.map((r) => [r.name, r.value, `[−${r.range}, ${r.range}]`, ...COMPETITORS.map((c) => cell(r.worst[c]))]));
}

function simdTable(rows: readonly SimdRow[], dtype: Dtype): string {
  const lanes32 = dtype === "float32";
  const byName = names.filter((name) => rows.some((r) => r.name === name && r.dtype === dtype)).map((name) => {
    const r = (pass: Pass) => rows.find((k) => k.name === name && k.dtype === dtype && k.pass === pass)!;
    return [name, ...PASSES.flatMap((p) => [f2(r(p).js), f2(r(p).simd), ratio(r(p).js / r(p).simd),
      ...(lanes32 ? [f2(r(p).simd32!), ratio(r(p).js / r(p).simd32!)] : [])])];
  });
  const head = (p: string) => [`${p} JS`, `${p} simd`, `${p} speed-up`, ...(lanes32 ? [`${p} f32 lanes`, `${p} speed-up`] : [])];
  return table(["activation", ...head("f"), ...head("f′"), ...head("fused")], byName);
}

function pipelineTable(rows: readonly PipelineRow[]): string {
  return table(["activation", "from scratch (µs)", "through the caches (µs)"], rows.map((r) => [r.name, f1(r.freshUs), f1(r.cachedUs)]));
}

function ordersTable(rows: readonly OrderRow[]): string {
  return table(
    ["n", "actdiff DAG nodes", "actdiff tree nodes", "actdiff ms", "mathjs tree nodes", "mathjs distinct", "mathjs ms (cumulative)"],
    rows.map((r) => [String(r.order), String(r.dag), String(r.tree), f2(r.ms),
      r.mathjs ? String(r.mathjs.tree) : "—", r.mathjs ? String(r.mathjs.distinct) : "—", r.mathjs ? f1(r.mathjs.ms) : "stopped"]),
  );
}

// --- main -----------------------------------------------------------------------------------

const started = performance.now();
const machine = {
  cpu: cpus()[0]?.model ?? "unknown", cores: availableParallelism(), arch: arch(), platform: platform(),
  node: process.version, v8: process.versions.v8, loadBefore: loadavg().map((l) => Number(l.toFixed(2))),
  gcExposed: typeof (globalThis as { gc?: unknown }).gc === "function", quick: QUICK,
};
progress(`actdiff benchmarks on ${machine.cpu} (${machine.cores} cores), node ${machine.node}; load ${machine.loadBefore.join(" ")}`);

function rowSections(kernels: readonly RowKernelRow[], tfRows: readonly TfRowRow[]): string[] {
  const shape = "rows × N = 10⁶ (32 × 32768)";
  return [
    `## Row kernels vs hand-written loops: agreement, max ulps over every output and N`, rowAgreementTable(kernels),
    `## Row kernels vs hand-written loops, float64 (ns/element, ${shape}; ratio best against best, per-round range in parentheses)`, rowKernelTable(kernels, "float64"),
    `## Row kernels vs hand-written loops, float32 (ns/element, ${shape})`, rowKernelTable(kernels, "float32"),
    rowSummary(kernels),
    ...(tfRows.length === 0 ? [] : [`## Row kernels vs TensorFlow.js, float32 (ns/element, ${shape}; tfjs / actdiff, > 1 = actdiff faster)`, tfRowTable(tfRows)]),
  ];
}

if (TORCH_ONLY) {
  progress("torch export vs torch built-ins");
  const bench = torchBench(QUICK ? 5 : 20);
  if (JSON_OUTPUT) process.stdout.write(JSON.stringify({ machine, torch: bench }, null, 2) + "\n");
  else {
    process.stdout.write([
      "# actdiff benchmarks: PyTorch export",
      `${machine.cpu}, ${machine.platform}/${machine.arch}; torch ${bench.torch}, ${bench.threads} thread; CPU, float32, 10⁶ elements, forward + backward.`,
      torchBenchTable(bench),
    ].join("\n\n") + "\n");
  }
  process.exit(0);
}

if (SIZES_ONLY) {
  const rows = sizeSection(progress, QUICK);
  if (JSON_OUTPUT) process.stdout.write(JSON.stringify({ machine, units: { sizes: "ms" }, sizes: rows }, null, 2) + "\n");
  else {
    const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
    process.stdout.write([
      "# actdiff benchmarks: input size",
      `${machine.cpu}, ${machine.cores} cores, node ${machine.node}; load average ${machine.loadBefore.join(" ")} before, ${loadAfter.join(" ")} after.`,
      "## Input size: time of each stage (ms, one run each)", sizeTable(rows),
    ].join("\n\n") + "\n");
  }
  process.exit(0);
}

if (CLOSURES_ONLY) {
  const closures = await closureSection(budget, progress);
  const seconds = (performance.now() - started) / 1e3;
  const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
  if (JSON_OUTPUT) {
    process.stdout.write(JSON.stringify({ machine: { ...machine, loadAfter, seconds: Number(seconds.toFixed(1)) }, units: { closures: "ns/call" }, closures }, null, 2) + "\n");
  } else {
    process.stdout.write([
      `# actdiff benchmarks: closures`,
      `${machine.cpu}, ${machine.cores} cores, ${machine.platform}/${machine.arch}, node ${machine.node} (V8 ${machine.v8}); ` +
        `load average ${machine.loadBefore.join(" ")} before, ${loadAfter.join(" ")} after; ${seconds.toFixed(0)} s${QUICK ? " (--quick)" : ""}.`,
      `## Closures through one shared (megamorphic) call site, 2²⁰ points (ns/call)`, closureTable(closures),
    ].join("\n\n") + "\n");
  }
  process.exit(0);
}

// --rows --simd: the WebAssembly SIMD row kernels against the JavaScript ones, alone.
if (ROWS_ONLY && args.has("--simd")) {
  const simdRows = await rowSimdSection(budget, progress, ONLY);
  const seconds = (performance.now() - started) / 1e3;
  const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
  if (JSON_OUTPUT) {
    process.stdout.write(JSON.stringify({ machine: { ...machine, loadAfter, seconds: Number(seconds.toFixed(1)) }, units: { simdRows: "ns/element" }, simdRows }, null, 2) + "\n");
  } else {
    process.stdout.write([
      "# actdiff benchmarks: WebAssembly SIMD row kernels",
      `${machine.cpu}, ${machine.cores} cores, ${machine.platform}/${machine.arch}, node ${machine.node} (V8 ${machine.v8}); ` +
        `load average ${machine.loadBefore.join(" ")} before, ${loadAfter.join(" ")} after; ${seconds.toFixed(0)} s${QUICK ? " (--quick)" : ""}.`,
      ...rowSimdSections(simdRows),
    ].join("\n\n") + "\n");
  }
  process.exit(0);
}

if (REPAIRED_ONLY) {
  const repaired = await repairedSection(budget, progress);
  const seconds = (performance.now() - started) / 1e3;
  const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
  if (JSON_OUTPUT) {
    process.stdout.write(JSON.stringify({ machine: { ...machine, loadAfter, seconds: Number(seconds.toFixed(1)) }, units: { kernels: "ns/element", pipeline: "µs" }, repaired }, null, 2) + "\n");
  } else {
    process.stdout.write([
      `# actdiff benchmarks: repaired formulas`,
      `${machine.cpu}, ${machine.cores} cores, ${machine.platform}/${machine.arch}, node ${machine.node} (V8 ${machine.v8}); ` +
        `load average ${machine.loadBefore.join(" ")} before, ${loadAfter.join(" ")} after; ${seconds.toFixed(0)} s${QUICK ? " (--quick)" : ""}.`,
      `## Repaired formulas: kernels against hand-written stable loops (float64, 10⁶ elements, ns/element) and the pipeline`, repairedTable(repaired),
    ].join("\n\n") + "\n");
  }
  process.exit(0);
}

if (ROWS_ONLY) {
  const kernels = await rowKernelSection(budget, progress, ONLY);
  const setup = await loadTf();
  // --no-tfjs: the hand-written comparison alone (a few minutes instead of twenty).
  const tfRows = args.has("--no-tfjs") ? [] : await tfRowSection(setup, budget, progress);
  const seconds = (performance.now() - started) / 1e3;
  const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
  if (JSON_OUTPUT) {
    process.stdout.write(JSON.stringify({
      machine: { ...machine, loadAfter, seconds: Number(seconds.toFixed(1)) },
      versions: { tfjs: setup.version, wasmSimd: setup.wasmSimd, wasmThreads: setup.wasmThreads },
      units: { rows: "ns/element", tfjsRows: "ns/element" }, rows: kernels, tfjsRows: tfRows,
    }, null, 2) + "\n");
  } else {
    process.stdout.write([
      `# actdiff benchmarks: row kernels`,
      `${machine.cpu}, ${machine.cores} cores, ${machine.platform}/${machine.arch}, node ${machine.node} (V8 ${machine.v8}); ` +
        `tfjs ${setup.version} (wasm SIMD ${setup.wasmSimd ? "on" : "off"}, threads ${setup.wasmThreads ? "on" : "off"}); ` +
        `load average ${machine.loadBefore.join(" ")} before, ${loadAfter.join(" ")} after; ${seconds.toFixed(0)} s${QUICK ? " (--quick)" : ""}.`,
      ...rowSections(kernels, tfRows),
    ].join("\n\n") + "\n");
  }
  process.exit(0);
}

// The symbolic side first, while the heap holds only actdiff: its figures are CPU time, which
// counts the garbage collector, and a heap left by tfjs, mathjs and the references made the same
// pipeline measure 1.6× slower (an experiment with 3 million live objects beside it).
progress("symbolic pipeline");
const pipelineRows = await pipeline({ ...budget, ms: budget.ms * 2, maxSamples: 2000 }, names);
progress("n-th derivatives");
const repeats = QUICK ? 1 : 5;
const maxOrder = QUICK ? 4 : 10;
const tanhOrders = await orders("t(x) = tanh(x)", "tanh(x)", maxOrder, repeats, QUICK ? 200 : 3000);
const swishOrders = await orders("s(x) = x * sigmoid(x)", "x / (1 + exp(-x))", maxOrder, repeats, QUICK ? 200 : 3000);
const kernelRows = await kernelSection();
const asWrittenRows = await asWrittenSection();
const simdRows = await simdSection();
const mathjsRows = await mathjsSection();
const tfSetup = await loadTf();
const tf = await tfSection(tfSetup);
const rowKernelRows = await rowKernelSection(budget, progress);
const tfRows = await tfRowSection(tfSetup, budget, progress);
const closureRows = await closureSection(budget, progress);
// Last: its 40-digit references leave a large heap behind.
progress("accuracy of the TensorFlow.js comparison");
const accuracyRows = await peerAccuracy(tfSetup, TFJS_ACTIVATIONS.filter((n) => names.includes(n)), QUICK ? 401 : 4001);
const seconds = (performance.now() - started) / 1e3;
const loadAfter = loadavg().map((l) => Number(l.toFixed(2)));

if (JSON_OUTPUT) {
  process.stdout.write(JSON.stringify({
    machine: { ...machine, loadAfter, seconds: Number(seconds.toFixed(1)) },
    versions: { tfjs: tf.version, wasmSimd: tf.wasmSimd, wasmThreads: tf.wasmThreads },
    units: { kernels: "ns/element", mathjs: "ns/element", tfjs: "ns/element", pipeline: "µs", orders: "ms", rows: "ns/element", tfjsRows: "ns/element", closures: "ns/call" },
    kernels: kernelRows, asWritten: asWrittenRows, simd: simdRows, mathjs: mathjsRows, tfjs: tf.rows, tfjsAccuracy: accuracyRows, pipeline: pipelineRows,
    rows: rowKernelRows, tfjsRows: tfRows, closures: closureRows,
    orders: { tanh: tanhOrders, swish: swishOrders },
  }, null, 2) + "\n");
} else {
  const sections = [
    `# actdiff benchmarks`,
    `${machine.cpu}, ${machine.cores} cores, ${machine.platform}/${machine.arch}, node ${machine.node} (V8 ${machine.v8}); ` +
      `tfjs ${tf.version} (wasm SIMD ${tf.wasmSimd ? "on" : "off"}, threads ${tf.wasmThreads ? "on" : "off"}); ` +
      `load average ${machine.loadBefore.join(" ")} before, ${loadAfter.join(" ")} after; ${seconds.toFixed(0)} s${QUICK ? " (--quick)" : ""}.`,
    `## Kernels vs hand-written loops, float64 (ns/element)`, kernelTable(kernelRows, "float64"),
    `## Kernels vs hand-written loops, float32 (ns/element)`, kernelTable(kernelRows, "float32"),
    summary(kernelRows),
    `## The formula as written ({ stable: false }) against the same hand-written loops, float64 (ns/element)`, kernelTable(asWrittenRows, "float64"),
    `## WebAssembly SIMD kernels ({ simd: true }) vs the JavaScript kernels, float64 (ns/element)`, simdTable(simdRows, "float64"),
    `## WebAssembly SIMD kernels vs the JavaScript kernels, float32: float64 lanes ({ simd: true }) and float32 lanes ({ simd: "float32" }) (ns/element)`, simdTable(simdRows, "float32"),
    `## mathjs compile(expr).evaluate({ x }) per element (ns/element, 10,000-element slice)`, mathjsTable(mathjsRows),
    `## TensorFlow.js, float32 (ns/element)`, tfTable(tf.rows, kernelRows),
    `## The same passes' accuracy: max ulps from a 40-digit reference, float32 (where, in parentheses)`, accuracyTable(accuracyRows),
    ...rowSections(rowKernelRows, tfRows),
    `## Closures through one shared (megamorphic) call site, 2²⁰ points (ns/call)`, closureTable(closureRows),
    `## Symbolic pipeline: parse + simplify + diff + simplify + compile f and f′ (median µs)`, pipelineTable(pipelineRows),
    `## n-th derivative of tanh`, ordersTable(tanhOrders),
    `## n-th derivative of swish (x·σ(x))`, ordersTable(swishOrders),
  ];
  process.stdout.write(sections.join("\n\n") + "\n");
}
