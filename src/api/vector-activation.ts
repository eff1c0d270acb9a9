import { elem, int, len, ONE, ZERO } from "../ast/build.js";
import { groupSizeOf, OUTPUT_INDEX, type Definition } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { substitute, transform } from "../ast/walk.js";
import { emitRowModule } from "../codegen/emit-rows.js";
import type { ModuleOptions } from "../codegen/emit-module.js";
import { rowLoops, type RowLoopOptions, type RowSpec } from "../codegen/rows.js";
import { print } from "../ast/print.js";
import type { FloatArray } from "../codegen/kernels.js";
import { fail } from "../errors.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import type { Activation, ParamValues } from "./activation.js";
import { cotangentName, vjpDefinition } from "./vectors.js";
import { emitTfjsRowModule } from "../codegen/tfjs/emit-rows.js";
import { Untranslatable } from "../codegen/tfjs/rows.js";

/**
 * The generated code of functions of vectors: closures over one vector and row kernels over
 * [rows × N] arrays (along the last axis, as torch's dim = -1), forward, backward (the
 * vector–Jacobian product) and fused. Rows are independent: a kernel over some rows gives the
 * same bits as over all of them. Outputs must not overlap the inputs (checked).
 */
export type VectorArgument = ArrayLike<number>;

/** f(x, …, params?): an array for a vector-valued f, a number for a scalar-valued one. */
export type VectorFunction = (...args: (VectorArgument | number | ParamValues | undefined)[]) => number[] | number;

/** What a row kernel of this activation reads and writes, in argument order. */
export interface RowKernelLayout {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** The vector inputs and the scalar inputs (then the parameters) of a definition. */
function partsOf(d: Definition): { vectors: readonly string[]; scalars: readonly string[] } {
  const vectors = d.vectors ?? [];
  return { vectors, scalars: [...d.inputs.filter((i) => !vectors.includes(i)), ...d.params.map((p) => p.name)] };
}

/** f's row spec: one output, its value (all vectors of one length n). */
function forwardSpec(d: Definition, expr: Expr): RowSpec {
  const { vectors, scalars } = partsOf(d);
  return {
    vectors: vectors.map((name) => ({ name, length: len(vectors[0]!) })),
    scalars,
    outputs: [{ expr, ...(d.output && { length: d.output.length }) }],
  };
}

/**
 * The VJPs of every vector input, given the incoming gradient g: a row like f's output, or for a
 * scalar-valued f one number per row (read as a vector of length 1).
 */
function backwardSpec(d: Definition, expr: Expr, withValue: boolean): RowSpec {
  const { vectors, scalars } = partsOf(d);
  const vjps = vectors.map((x) => vjpDefinition(d, expr, x));
  const g = vjps[0]!.inputs[vjps[0]!.inputs.length - 1]!;
  const perRow = (body: Expr): Expr => (d.output ? body : substitute(body, new Map([[g, elem(g, ZERO)]])));
  return {
    vectors: [...vectors.map((name) => ({ name, length: len(vectors[0]!) })), { name: g, length: d.output ? d.output.length : ONE }],
    scalars,
    outputs: [
      ...(withValue ? [{ expr, ...(d.output && { length: d.output.length }) }] : []),
      ...vjps.map((v) => ({ expr: perRow(v.body), length: len(vectors[0]!) })),
    ],
  };
}

export type RowKind = "forward" | "backward" | "fused";

export function rowSpec(f: Activation, kind: RowKind): RowSpec {
  return kind === "forward" ? forwardSpec(f.definition, f.expr) : backwardSpec(f.definition, f.expr, kind === "fused");
}

/**
 * A row kernel: (inputs…, outputs…, n, params?), the arrays [rows × length] flattened, all
 * Float64Array or all Float32Array. For backward the inputs are the vectors and gradOut (a row of
 * f's output each), the outputs one gradient per vector input; fused computes out first.
 */
export function rowKernel(f: Activation, kind: RowKind, options: RowLoopOptions = {}): { readonly layout: RowKernelLayout; readonly run: (...args: unknown[]) => void } {
  const spec = rowSpec(f, kind);
  const loops = rowLoops(spec, options);
  const d = f.definition;
  const { vectors, scalars } = partsOf(d);
  const outNames = [...(kind === "backward" ? [] : ["out"]), ...(kind === "forward" ? [] : vectors.map((x) => `grad_${x}`))];
  const layout: RowKernelLayout = { inputs: [...vectors, ...(kind === "forward" ? [] : ["gradOut"])], outputs: outNames };
  const lengthOf = (n: number, length: Expr | undefined, params: readonly number[]): number => {
    if (length === undefined) return 1;
    const value = evaluateLength(length, n, d, params);
    if (!Number.isInteger(value) || value < 0) {
      fail("E_USAGE", `${f.name}: rows of ${n} elements give ${value} outputs, not a whole number`, { hint: "for groups of k, the row length must be a multiple of k" });
    }
    return value;
  };
  if (scalars.length > d.params.length) {
    fail("E_UNSUPPORTED", `${f.name} takes numbers besides its vectors; row kernels take vectors and parameters`, { hint: "make the numbers parameters: f(x[]; t = 1) = …" });
  }
  const run = (...args: unknown[]): void => {
    const names = [...layout.inputs, ...layout.outputs];
    const arrays = args.slice(0, names.length);
    const [n, given] = args.slice(names.length) as [unknown, ParamValues | undefined];
    if (typeof n !== "number" || !Number.isInteger(n) || n <= 0) fail("E_USAGE", `${f.name}'s ${kind} kernel takes ${names.join(", ")}, then the row length n (a positive integer)`);
    const params = f.paramValues(given);
    checkGroupSize(f, params);
    const first = arrays[0];
    const type = first instanceof Float64Array ? Float64Array : first instanceof Float32Array ? Float32Array : undefined;
    if (type === undefined || !arrays.every((a) => a instanceof type)) {
      fail("E_USAGE", `${f.name}'s ${kind} kernel takes ${names.join(", ")} all Float64Array or all Float32Array`);
    }
    const typed = arrays as FloatArray[];
    if (typed[0]!.length % n !== 0) fail("E_USAGE", `${f.name}'s ${kind} kernel: ${names[0]} has ${typed[0]!.length} elements, not a whole number of rows of ${n}`);
    const rows = typed[0]!.length / n;
    const outLength = lengthOf(n, d.output?.length, params);
    const expected = [
      ...vectors.map(() => n),
      ...(kind !== "forward" ? [outLength] : []),
      ...(kind === "backward" ? [] : [outLength]),
      ...(kind === "forward" ? [] : vectors.map(() => n)),
    ];
    typed.forEach((a, i) => {
      if (a.length !== rows * expected[i]!) fail("E_USAGE", `${f.name}'s ${kind} kernel: ${names[i]} has ${a.length} elements; ${rows} rows of ${expected[i]} expected`);
    });
    for (const o of typed.slice(layout.inputs.length)) {
      for (const x of typed.slice(0, layout.inputs.length)) {
        if (overlap(o, x)) fail("E_USAGE", `${f.name}'s ${kind} kernel: an output shares memory with an input`, { hint: "give the output its own array" });
      }
    }
    loops[type === Float64Array ? "float64" : "float32"]()(...typed, rows, n, ...params);
  };
  return { layout, run };
}

/**
 * A row of len(x) / K outputs (maxout's groups of K) needs K to be a positive integer: the row
 * code takes its groups K elements at a time.
 */
function checkGroupSize(f: Activation, params: readonly number[]): void {
  const group = groupSizeOf(f.definition.output?.length, { exact: false });
  if (group === undefined) return;
  const env = new Map(f.definition.params.map((p, i) => [p.name, params[i]!] as const));
  const size = evaluateFloat(group, env);
  if (!Number.isInteger(size) || size < 1) {
    fail("E_USAGE", `${f.name}: the group size ${print(group)} is ${size}; groups take a positive whole number of elements`, { hint: `give ${print(group)} a value such as 2` });
  }
}

/** Whether two typed arrays share any byte. */
function overlap(a: FloatArray, b: FloatArray): boolean {
  if (a.buffer !== b.buffer) return false;
  const [a0, a1] = [a.byteOffset, a.byteOffset + a.byteLength];
  const [b0, b1] = [b.byteOffset, b.byteOffset + b.byteLength];
  return a0 < b1 && b0 < a1;
}

/**
 * A length expression (len(x) / k) at row length n and the parameter values. Every len(v) is
 * written in as the number n rather than read off a vector of n zeros: a kernel evaluates this at
 * each call, and `new Array(32768).fill(0)` took 1.5 ms (V8 keeps an array that long, made by
 * `new Array(n)`, as a dictionary), a quarter of maxout's forward kernel over 32 rows of 32768.
 */
function evaluateLength(length: Expr, n: number, d: Definition, params: readonly number[]): number {
  const env = new Map(d.params.map((p, i) => [p.name, params[i]!] as const));
  return evaluateFloat(transform(length, (e) => (e.kind === "len" ? int(n) : e)), env);
}

/** The number of outputs per row at row length n (N for softmax, N / k for maxout, 1 for logsumexp). */
export function outputLength(f: Activation, n: number, params: readonly number[]): number {
  const length = f.definition.output?.length;
  if (length === undefined) return 1;
  const value = evaluateLength(length, n, f.definition, params);
  if (!Number.isInteger(value) || value < 0) {
    fail("E_USAGE", `${f.name}: a vector of ${n} elements gives ${value} outputs, not a whole number`, { hint: "for groups of k, the length must be a multiple of k" });
  }
  return value;
}

/** The vectors (as Float64Array copies) and the parameters a closure of vectors was called with. */
function vectorArguments(f: Activation, args: readonly unknown[]): { vectors: Float64Array[]; params: ParamValues | undefined } {
  const names = f.definition.vectors ?? [];
  if (names.length !== f.inputs.length) fail("E_UNSUPPORTED", `${f.name} takes numbers besides its vectors; make them parameters: f(x[]; t = 1) = …`);
  const usage = `${f.name} takes ${names.map((x) => `${x} (an array of numbers)`).join(", ")}${f.params.length ? ", then optionally { " + f.params.map((p) => p.name).join(", ") + " }" : ""}`;
  if (args.length < names.length || args.length > names.length + 1) fail("E_USAGE", `${usage}; it was given ${args.length} argument${args.length === 1 ? "" : "s"}`);
  const vectors = args.slice(0, names.length).map((a, i) => {
    const isArray = Array.isArray(a) || a instanceof Float64Array || a instanceof Float32Array;
    if (!isArray || !Array.from(a as ArrayLike<unknown>).every((v) => typeof v === "number")) fail("E_USAGE", `${usage}; ${names[i]} is not an array of numbers`);
    return Float64Array.from(a as ArrayLike<number>);
  });
  const n = vectors[0]!.length;
  if (n === 0) fail("E_USAGE", `${f.name}: ${names[0]} is empty; a vector has at least one element`);
  vectors.forEach((v, i) => {
    if (v.length !== n) fail("E_USAGE", `${f.name}: ${names[i]} has ${v.length} elements and ${names[0]} has ${n}; they must have the same length`);
  });
  const params = args[names.length] as ParamValues | undefined;
  return { vectors, params };
}

/** compile() of a function of vectors: f(x, params?) → an array (or a number for a scalar-valued f). */
export function compileVectorFunction(f: Activation, options: { readonly csp?: boolean }): VectorFunction {
  const { run } = rowKernel(f, "forward", options);
  return (...args) => {
    const { vectors, params } = vectorArguments(f, args);
    const out = new Float64Array(outputLength(f, vectors[0]!.length, f.paramValues(params)));
    run(...vectors, out, vectors[0]!.length, params);
    return f.definition.output ? Array.from(out) : out[0]!;
  };
}

/**
 * The Jacobian with respect to each vector input, row o being the vector–Jacobian product with the
 * o-th unit vector: exactly what backward() computes, so the two agree bit for bit (one row, the
 * gradient, for a scalar-valued f).
 */
export function jacobiansClosure(f: Activation, options: { readonly csp?: boolean } = {}): (...args: unknown[]) => number[][][] {
  const { run } = rowKernel(f, "backward", options);
  return (...args: unknown[]) => {
    const { vectors, params } = vectorArguments(f, args);
    const n = vectors[0]!.length;
    const m = outputLength(f, n, f.paramValues(params));
    const rows = Array.from({ length: m }, (_, o) => {
      const g = new Float64Array(m);
      g[o] = 1;
      const grads = vectors.map(() => new Float64Array(n));
      run(...vectors, g, ...grads, n, params);
      return grads;
    });
    return vectors.map((_, v) => rows.map((grads) => Array.from(grads[v]!)));
  };
}

/** f by walking the tree (no generated code), with the vectors given: for cross-checks. */
export function evaluateVector(f: Activation, args: readonly unknown[]): number[] | number {
  const { vectors, params } = vectorArguments(f, args);
  const values = f.paramValues(params);
  const env = new Map(f.params.map((p, i) => [p.name, values[i]!] as const));
  const vectorEnv = new Map((f.definition.vectors ?? []).map((name, i) => [name, Array.from(vectors[i]!)] as const));
  if (!f.definition.output) return evaluateFloat(f.expr, env, vectorEnv);
  const m = outputLength(f, vectors[0]!.length, values);
  return Array.from({ length: m }, (_, o) => evaluateFloat(f.expr, env, vectorEnv, new Map([[OUTPUT_INDEX, o]])));
}

/** The standalone module of a function of vectors (src/codegen/emit-rows.ts). */
export function emitVectorModule(f: Activation, options: ModuleOptions = {}): string {
  const d = f.definition;
  const vectors = d.vectors ?? [];
  if (vectors.length !== 1 || f.inputs.length !== 1) fail("E_UNSUPPORTED", `${f.name}: modules are emitted for functions of one vector`);
  const jacobian = f.derivative(vectors[0]!);
  const vjp = f.vjp();
  const outLength = d.output === undefined ? "1" : printLength(d.output.length, d);
  const group = groupSizeOf(d.output?.length, { exact: false });
  return emitRowModule({
    definition: f.toString(),
    derivatives: [`${jacobian.label} = ${print(jacobian.expr)}`, `${vjp.toString()}`],
    params: d.params.map((p) => ({ name: p.name, defaultValue: p.defaultValue && evaluateFloat(p.defaultValue, new Map()) })),
    forward: rowSpec(f, "forward"), backward: rowSpec(f, "backward"), fused: rowSpec(f, "fused"),
    outLength,
    ...(group === undefined ? {} : { groupSize: { js: printLength(group, d), written: print(group) } }),
  }, options);
}

/**
 * The TensorFlow.js module of a function of one vector, along the last axis: forward and the VJP
 * as tfjs ops (src/codegen/tfjs/rows.ts; maxout's groups by a reshape, groups.ts). Declined,
 * with the reason, where a row has no whole-tensor form (a reduction over part of a row of
 * anything but the elements themselves).
 */
export function emitTfjsVectorModule(f: Activation): string {
  const d = f.definition;
  const vectors = d.vectors ?? [];
  if (vectors.length !== 1 || f.inputs.length !== 1) fail("E_UNSUPPORTED", `${f.name}: tfjs modules are emitted for functions of one vector`);
  const jacobian = f.derivative(vectors[0]!);
  const vjp = f.vjp();
  try {
    return emitTfjsRowModule({
      name: f.name,
      definition: f.toString(),
      derivatives: [`${jacobian.label} = ${print(jacobian.expr)}`, `${vjp.toString()}`],
      vector: vectors[0]!,
      cotangent: cotangentName(d),
      params: d.params.map((p) => ({ name: p.name, defaultValue: p.defaultValue && evaluateFloat(p.defaultValue, new Map()) })),
      forward: rowSpec(f, "forward"), backward: rowSpec(f, "backward"),
      scalar: d.output === undefined,
    });
  } catch (err) {
    if (!(err instanceof Untranslatable)) throw err;
    return fail("E_UNSUPPORTED", `${f.name}: its rows have no tfjs form as whole tensors: ${err.message}`, { hint: `actdiff emit ${f.name} (JavaScript) computes it row by row` });
  }
}

/** An output length (len(x), len(z) / k) as JavaScript in n and the parameters p0, p1, …. */
function printLength(length: Expr, d: Definition): string {
  const js = print(length).replace(/len\([A-Za-z_][A-Za-z0-9_]*\)/g, "n");
  const out = d.params.reduce((text, p, i) => text.replace(new RegExp(`\\b${p.name}\\b`, "g"), `p${i}`), js);
  // Only n, the positional parameters, numbers and arithmetic may reach the module's code.
  if (!/^[np0-9+\-*/(). ]+$/.test(out)) fail("E_UNSUPPORTED", `${d.name}: its output length ${print(length)} cannot be written into a module`);
  return out;
}
