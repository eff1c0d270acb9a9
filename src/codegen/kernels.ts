import { fail } from "../errors.js";
import { instantiate } from "./compile.js";
import { cspMachine } from "./csp.js";
import { helpersOf, positionalNaming, printBody, printTimes, printValue, type Naming } from "./js.js";
import type { Expr } from "../ast/nodes.js";
import { lower, someValue, type LowerOptions, type Program, type Signature, type Stmt, type Value } from "./program.js";
import { simdLoops } from "./wasm/kernels.js";

/**
 * Batch kernels: for each Program a loop generated together with its formula, one copy per
 * element type, so every array access in a loop sees one kind of typed array (a closure called
 * from a shared loop is measurably slower than a loop with the formula inlined).
 *
 * Float32Array kernels read each float32 element (exactly, as a double), compute in float64
 * exactly as the float64 kernel does, and round once when storing the result — the store into a
 * Float32Array rounds to nearest, as Math.fround does. So out32[i] === Math.fround(f(x32[i])):
 * the float64 result correctly rounded to float32, more accurate than rounding every operation
 * (which a native float32 kernel does) and never less. Parameters are used as given (doubles).
 *
 * Outputs may alias inputs (in-place updates): each element's inputs are read before its
 * outputs are written.
 */
export type FloatArray = Float64Array | Float32Array;
export type Dtype = "float64" | "float32";
export type KernelKind = "forward" | "backward" | "fused";

/** out[i] = f(x[i]). */
export type ForwardLoop = (x: FloatArray, out: FloatArray, params: readonly number[]) => void;
/** gradIn[i] = gradOut[i] · f′(x[i]). */
export type BackwardLoop = (x: FloatArray, gradOut: FloatArray, gradIn: FloatArray, params: readonly number[]) => void;
/** out[i] = f(x[i]) and gradIn[i] = gradOut[i] · f′(x[i]) in one pass. */
export type FusedLoop = (x: FloatArray, gradOut: FloatArray, out: FloatArray, gradIn: FloatArray, params: readonly number[]) => void;

export interface KernelOptions extends LowerOptions {
  /** Without `new Function` (see compile's `csp`): a shared loop over a closure tree. Slower; same bits. */
  readonly csp?: boolean;
  /**
   * WebAssembly SIMD with actdiff's own exp, expm1, log, log1p, tanh, σ and softplus: not the
   * JavaScript kernels' bits, audited separately (`actdiff audit --simd`). `true` computes in
   * float64 lanes (Float32Array elements widened, rounded once on the store) and holds the
   * audit's targets; `"float32"` computes Float32Array kernels in float32 lanes, four at a time,
   * as TensorFlow.js and PyTorch do: about twice as fast, every operation rounded to float32.
   * Functions without a vector form (atan, erf, sin …) are refused with E_UNSUPPORTED. Row
   * kernels of functions of vectors whose plan has no SIMD form (maxout's group loops, such a
   * builtin) run their JavaScript row function instead: `rowSimdFallback` (rows.ts) says why.
   */
  readonly simd?: boolean | "float32";
}

/** The arrays each kind of kernel of one input takes, in order; the first is the input x. */
export const KERNEL_ARRAYS: Record<KernelKind, readonly string[]> = {
  forward: ["x", "out"],
  backward: ["x", "gradOut", "gradIn"],
  fused: ["x", "gradOut", "out", "gradIn"],
};

/**
 * The arrays of a kernel by role: one per input, the incoming gradient, the output, and one
 * gradient per input. A function of one input has x, gradOut, out, gradIn; of several,
 * in0 …, gradOut, out, gradIn0 … (positional, so that no input's name can collide with a local).
 */
export interface KernelArrays {
  readonly inputs: readonly string[];
  readonly gradOut: string;
  readonly out: string;
  readonly gradIns: readonly string[];
}

/**
 * `given` of the inputs, the last ones, are read like the others but get no gradient: the draws
 * of a training kernel (src/api/training.ts), which the derivative given the draws holds fixed.
 */
export function kernelArrays(inputs: number, given = 0): KernelArrays {
  if (inputs === 1) return { inputs: ["x"], gradOut: "gradOut", out: "out", gradIns: ["gradIn"] };
  const each = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  return { inputs: each("in", inputs), gradOut: "gradOut", out: "out", gradIns: each("gradIn", inputs - given) };
}

/**
 * The arrays in argument order: inputs first, then for backward gradOut and the input
 * gradients, for fused gradOut, out and the input gradients (the order of one-input kernels,
 * x, gradOut, out, gradIn, extended).
 */
export function arrayOrder(kind: KernelKind, arrays: KernelArrays): readonly string[] {
  switch (kind) {
    case "forward": return [...arrays.inputs, arrays.out];
    case "backward": return [...arrays.inputs, arrays.gradOut, ...arrays.gradIns];
    case "fused": return [...arrays.inputs, arrays.gradOut, arrays.out, ...arrays.gradIns];
  }
}

/** How many results the Program of each kind computes: f; ∂f/∂xₖ for each input; f and those. */
const resultCount = (kind: KernelKind, inputs: number): number => (kind === "forward" ? 1 : kind === "backward" ? inputs : inputs + 1);

export interface LoopSourceOptions {
  readonly name: string;
  /** Names for the Program's symbols; the inputs are the current elements. */
  readonly naming?: Naming;
  /** Names of the arrays (`kernelArrays(program.inputs)` by default). */
  readonly arrays?: KernelArrays;
  /** `array`: parameters arrive as one array `ps` (compiled kernels); `positional`: as arguments. */
  readonly params?: "array" | "positional";
  /** TypeScript annotations, with this array type. */
  readonly arrayType?: string;
  readonly indent?: string;
}

/**
 * `function name(x, out, n, …) { for (let i = 0; i < n; i++) { … } }`. The elements are read
 * into the Program's inputs, the statements run, the results are stored: backward multiplies
 * each gradient by gradOut[i], which is read before anything is written.
 */
export function loopSource(program: Program, kind: KernelKind, options: LoopSourceOptions): string {
  const inputs = program.inputs;
  const naming = options.naming ?? positionalNaming;
  const layout = options.arrays ?? kernelArrays(inputs);
  const differentiated = layout.gradIns.length;
  if (program.results.length !== resultCount(kind, differentiated)) throw new Error(`internal error: a ${kind} kernel of ${differentiated} differentiated inputs needs ${resultCount(kind, differentiated)} results`);
  if (layout.inputs.length !== inputs) throw new Error(`internal error: ${layout.inputs.length} input arrays for a program of ${inputs} inputs`);
  const base = options.indent ?? "";
  const typed = options.arrayType !== undefined;
  const arrays = arrayOrder(kind, layout).map((a) => (typed ? `${a}: ${options.arrayType}` : a));
  const paramNames = Array.from({ length: program.params }, (_, i) => naming.param(i));
  const positional = options.params === "positional";
  const args = [...arrays, typed ? "n: number" : "n", ...(positional ? paramNames.map((p) => (typed ? `${p}: number` : p)) : [typed ? "ps: readonly number[]" : "ps"])];
  const lines = [`${base}function ${options.name}(${args.join(", ")})${typed ? ": void" : ""} {`];
  if (!positional) paramNames.forEach((p, i) => lines.push(`${base}  const ${p} = ps[${i}];`));
  // TypeScript under noUncheckedIndexedAccess types x[i] as number | undefined; i < n = x.length.
  const at = (array: string): string => `${array}[i]${typed ? "!" : ""}`;
  lines.push(`${base}  for (let i = 0; i < n; i++) {`);
  layout.inputs.forEach((array, k) => lines.push(`${base}    const ${naming.input(k)} = ${at(array)};`));
  const gradients = kind === "forward" ? [] : program.results.slice(kind === "fused" ? 1 : 0);
  // One gradient can be scaled inside its branches; with several, gradOut is read once into g
  // before any store (a gradient array may alias gradOut).
  const scaled = gradients.length === 1 ? scaledTemp(program, gradients[0]!) : undefined;
  const readsG = kind === "fused" || scaled !== undefined || gradients.length > 1;
  if (readsG) lines.push(`${base}    const g = ${at(layout.gradOut)};`);
  lines.push(...printBody(program, { naming, indent: `${base}    `, types: typed, scaled: scaled === undefined ? undefined : { temp: scaled, by: "g" } }));
  const gradIn = (gradient: Value): string => (scaled !== undefined ? naming.temp(scaled) : printTimes(readsG ? "g" : at(layout.gradOut), gradient, naming));
  if (kind !== "backward") lines.push(`${base}    ${layout.out}[i] = ${printValue(program.results[0]!, naming)};`);
  gradients.forEach((gradient, k) => lines.push(`${base}    ${layout.gradIns[k]}[i] = ${gradIn(gradient)};`));
  lines.push(`${base}  }`, `${base}}`);
  return lines.join("\n");
}

/**
 * The temp of a piecewise f′ that nothing else reads: its branches can each store g·f′ into it
 * (the same product, rounded once, in every branch), as hand-written code does, instead of one
 * product after the branches join. Measured side by side, new/old: relu and relu6 fused
 * 0.80–0.86×, rrelu, leaky_relu and prelu backward and fused 0.85–0.95×, every other kernel
 * within ±4%.
 */
function scaledTemp(program: Program, gradient: Value): number | undefined {
  if (gradient.op !== "temp") return undefined;
  const temp = gradient.index;
  const reads = (v: Value): boolean => someValue(v, (n) => n.op === "temp" && n.index === temp);
  const readIn = (stmts: readonly Stmt[]): boolean => stmts.some((s) =>
    s.kind === "if" ? reads(s.test) || readIn(s.then) || readIn(s.otherwise) : s.kind !== "let" && reads(s.value));
  const declaredIn = (stmts: readonly Stmt[]): boolean => stmts.some((s) =>
    s.kind === "if" ? declaredIn(s.then) || declaredIn(s.otherwise) : s.kind === "let" && s.temp === temp);
  // The gradient is the last result; f, in a fused kernel, may read the temp too.
  const read = program.results.slice(0, -1).some(reads) || readIn(program.body);
  return declaredIn(program.body) && !read ? temp : undefined;
}

/** The element type shared by every array, checked along with their lengths (all that of the first). */
export function dtypeOf(kernel: string, names: readonly string[], arrays: readonly unknown[]): Dtype {
  const [x] = arrays;
  const dtype = x instanceof Float64Array ? "float64" : x instanceof Float32Array ? "float32" : undefined;
  const type = dtype === "float64" ? Float64Array : Float32Array;
  const describe = (a: unknown): string => (a === null ? "null" : typeof a === "object" ? (a as object).constructor?.name ?? "object" : typeof a);
  if (dtype === undefined || arrays.some((a) => !(a instanceof type))) {
    fail("E_USAGE", `${kernel} takes ${names.join(", ")} all Float64Array or all Float32Array, not ${arrays.map(describe).join(", ")}`);
  }
  const n = (x as FloatArray).length;
  arrays.forEach((a, i) => {
    if ((a as FloatArray).length !== n) fail("E_USAGE", `${kernel}: ${names[i]} has ${(a as FloatArray).length} elements and ${names[0]} has ${n}; they must have the same length`);
  });
  return dtype;
}

/** A loop of any kind and number of inputs: (arrays in `arrayOrder`…, params). */
export type AnyLoop = (...args: unknown[]) => void;

/** One compiled loop per element type, each compiled on first use. */
function compiledLoops(program: Program, kind: KernelKind, arrays?: KernelArrays): Record<Dtype, () => AnyLoop> {
  const cache: Partial<Record<Dtype, AnyLoop>> = {};
  const get = (dtype: Dtype) => (): AnyLoop =>
    (cache[dtype] ??= instantiate<AnyLoop>(helpersOf(program), loopSource(program, kind, { name: `actdiff_${kind}_${dtype}`, ...(arrays && { arrays }) })));
  return { float64: get("float64"), float32: get("float32") };
}

/** The same loop over the CSP closure tree: one shared loop for both element types. */
function cspLoop(program: Program, kind: KernelKind, arrays: KernelArrays): AnyLoop {
  const { values, paramBase, run, results } = cspMachine(program);
  const [r0, r1] = results as [() => number, (() => number) | undefined];
  const setParams = (ps: readonly number[]): void => ps.forEach((p, i) => { values[paramBase + i] = p; });
  if (program.inputs > 1) return cspLoopOfSeveral(arrays, kind, values, setParams, run, results);
  switch (kind) {
    case "forward": return ((x: FloatArray, out: FloatArray, n: number, ps: readonly number[]) => {
      setParams(ps);
      for (let i = 0; i < n; i++) {
        values[0] = x[i]!;
        run();
        out[i] = r0();
      }
    }) as AnyLoop;
    case "backward": return ((x: FloatArray, gradOut: FloatArray, gradIn: FloatArray, n: number, ps: readonly number[]) => {
      setParams(ps);
      for (let i = 0; i < n; i++) {
        values[0] = x[i]!;
        run();
        gradIn[i] = gradOut[i]! * r0();
      }
    }) as AnyLoop;
    case "fused": return ((x: FloatArray, gradOut: FloatArray, out: FloatArray, gradIn: FloatArray, n: number, ps: readonly number[]) => {
      setParams(ps);
      for (let i = 0; i < n; i++) {
        values[0] = x[i]!;
        const g = gradOut[i]!;
        run();
        out[i] = r0();
        gradIn[i] = g * r1!();
      }
    }) as AnyLoop;
  }
}

/** The CSP loop of a function of several inputs: the arrays in `arrayOrder`, then n and the parameters. */
function cspLoopOfSeveral(
  layout: KernelArrays, kind: KernelKind, values: Float64Array, setParams: (ps: readonly number[]) => void,
  run: () => void, results: readonly (() => number)[],
): AnyLoop {
  const inputs = layout.inputs.length;
  const arrayCount = arrayOrder(kind, layout).length;
  const gradients = kind === "forward" ? [] : results.slice(kind === "fused" ? 1 : 0);
  return (...args: unknown[]) => {
    const arrays = args.slice(0, arrayCount) as FloatArray[];
    const n = args[arrayCount] as number;
    setParams(args[arrayCount + 1] as readonly number[]);
    const gradOut = arrays[inputs]!;
    const out = kind === "fused" ? arrays[inputs + 1]! : kind === "forward" ? arrays[inputs]! : undefined;
    const gradIns = arrays.slice(arrayCount - gradients.length);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < inputs; k++) values[k] = arrays[k]![i]!;
      const g = kind === "forward" ? 0 : gradOut[i]!;
      run();
      if (out !== undefined) out[i] = results[0]!();
      for (let k = 0; k < gradients.length; k++) gradIns[k]![i] = g * gradients[k]!();
    }
  };
}

/**
 * A kernel of the given kind: checks the arrays, then runs the loop for their element type.
 * `program` computes f (forward), ∂f/∂xₖ for each input (backward) or f and those (fused);
 * `arrays` says which inputs get a gradient (all, unless some are given draws).
 */
export function buildKernel(program: Program, kind: "forward", options?: KernelOptions): ForwardLoop;
export function buildKernel(program: Program, kind: "backward", options?: KernelOptions): BackwardLoop;
export function buildKernel(program: Program, kind: "fused", options?: KernelOptions): FusedLoop;
export function buildKernel(program: Program, kind: KernelKind, options?: KernelOptions, arrays?: KernelArrays): AnyLoop;
export function buildKernel(program: Program, kind: KernelKind, options: KernelOptions = {}, arrays = kernelArrays(program.inputs)): ForwardLoop | BackwardLoop | FusedLoop | AnyLoop {
  const several = program.inputs > 1;
  const names = several ? arrayOrder(kind, arrays) : KERNEL_ARRAYS[kind];
  const label = kind === "forward" ? "kernel" : kind === "backward" ? "backward" : "fusedKernel";
  const arity = program.params;
  const checkParams = (ps: readonly number[]): void => {
    if (ps.length !== arity) throw new Error(`internal error: ${arity} parameters expected, ${ps.length} given`);
  };
  if (options.simd && options.csp) fail("E_USAGE", "{ simd: true } and { csp: true } do not combine", { hint: "a Content-Security-Policy that allows WebAssembly ('wasm-unsafe-eval') needs only { simd: true }" });
  if (options.simd && several) {
    fail("E_UNSUPPORTED", `SIMD kernels take functions of one input; this one has ${program.inputs}`, { hint: "use the JavaScript kernels (without simd): they are generated for any number of inputs" });
  }
  if (options.csp || several) {
    const loop = options.csp ? cspLoop(program, kind, arrays) : undefined;
    const loops = loop === undefined ? compiledLoops(program, kind, arrays) : undefined;
    return (...args: unknown[]) => {
      const arrays = args.slice(0, names.length);
      const ps = args[names.length] as readonly number[];
      checkParams(ps);
      const dtype = dtypeOf(label, names, arrays);
      (loop ?? loops![dtype]())(...arrays, (arrays[0] as FloatArray).length, ps);
    };
  }
  const loops = options.simd
    ? simdLoops(program, kind, names, options.simd === "float32" ? "float32" : "float64") as Record<Dtype, () => AnyLoop>
    : compiledLoops(program, kind);
  // Spelled out per kind, so that no arguments array is built per call.
  switch (kind) {
    case "forward": return ((x: FloatArray, out: FloatArray, ps: readonly number[]) => {
      checkParams(ps);
      loops[dtypeOf(label, names, [x, out])]()(x, out, x.length, ps);
    }) as ForwardLoop;
    case "backward": return ((x: FloatArray, gradOut: FloatArray, gradIn: FloatArray, ps: readonly number[]) => {
      checkParams(ps);
      loops[dtypeOf(label, names, [x, gradOut, gradIn])]()(x, gradOut, gradIn, x.length, ps);
    }) as BackwardLoop;
    case "fused": return ((x: FloatArray, gradOut: FloatArray, out: FloatArray, gradIn: FloatArray, ps: readonly number[]) => {
      checkParams(ps);
      loops[dtypeOf(label, names, [x, gradOut, out, gradIn])]()(x, gradOut, out, gradIn, x.length, ps);
    }) as FusedLoop;
  }
}

/** Lowers `roots` (f; f′; or f and f′) and builds the kernel of that kind. */
export function compileKernel(roots: readonly Expr[], signature: Signature, kind: "forward", options?: KernelOptions): ForwardLoop;
export function compileKernel(roots: readonly Expr[], signature: Signature, kind: "backward", options?: KernelOptions): BackwardLoop;
export function compileKernel(roots: readonly Expr[], signature: Signature, kind: "fused", options?: KernelOptions): FusedLoop;
export function compileKernel(roots: readonly Expr[], signature: Signature, kind: KernelKind, options?: KernelOptions, arrays?: KernelArrays): AnyLoop;
export function compileKernel(roots: readonly Expr[], signature: Signature, kind: KernelKind, options: KernelOptions = {}, arrays?: KernelArrays): ForwardLoop | BackwardLoop | FusedLoop | AnyLoop {
  return buildKernel(lower(roots, signature, { ...options, lanes: options.simd ? "vector" : "scalar" }), kind, options, arrays);
}
