import { fail } from "../../errors.js";
import type { RowPlan } from "../row-plan.js";
import { moduleBytes } from "./encode.js";
import type { SimdDtype } from "./kernels.js";
import { asUnsupported, rowFunction, rowFunctionLayout } from "./row-printer.js";

/**
 * Row kernels as WebAssembly SIMD (row-printer.ts prints the plan): one module per kernel with a
 * function for each element type, and the JavaScript around it that copies whole rows through the
 * module's memory — as many as fit CHUNK elements of the widest array, at least one (a row of
 * 32768 is one call) — growing the memory when a row needs more.
 */
export type RowLoop = (...args: unknown[]) => void;

/** Elements per array per call. */
const CHUNK = 16384;
/** Each function's constants, at the start of memory. */
const CONSTANT_SLOT = 8192;
const CONSTANTS = 2 * CONSTANT_SLOT;
const PAGE = 65536;

export function simdRowModule(plan: RowPlan, float32Lanes: SimdDtype): Uint8Array {
  const functions = [rowFunction(plan, "rows_float64", "float64", "float64", 0), rowFunction(plan, "rows_float32", "float32", float32Lanes, CONSTANT_SLOT)];
  for (const f of functions) {
    if ((f.data?.bytes.length ?? 0) > CONSTANT_SLOT) throw new Error(`internal error: the constants of ${f.name} do not fit their slot`);
  }
  return moduleBytes(functions, Math.ceil(CONSTANTS / PAGE));
}

/** The part of the WebAssembly JS API used here (the project's TypeScript libs omit the DOM's). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type Arrays = Float64Array | Float32Array;
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * The row loops of a plan for each element type, with the JavaScript row loops' signature
 * (arrays…, rows, n, scalars…); or the reason the plan has no SIMD form (row-printer.ts).
 */
export function simdRowLoops(plan: RowPlan, float32Lanes: SimdDtype): Record<SimdDtype, () => RowLoop> | { readonly unsupported: string } {
  let bytes: Uint8Array;
  try {
    bytes = simdRowModule(plan, float32Lanes);
  } catch (err) {
    const reason = asUnsupported(err);
    if (reason === undefined) throw err;
    return { unsupported: reason.message };
  }
  const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const instance = new Instance(new Module(bytes));
  const memory = instance.exports["memory"] as Memory;
  const given = plan.vectors + plan.outputs;
  const arrayCount = rowFunctionLayout(plan).arrays.length;
  // A scratch row is as long as a row of the vector its length names (L0: the first).
  const scratchOf = plan.scratch.map((w) => Number(/^L(\d+)$/.exec(w.length)?.[1] ?? NaN));
  if (scratchOf.some((k) => !(k >= 0))) throw new Error("internal error: a scratch row's length is not a vector's");
  const loop = (dtype: SimdDtype): RowLoop => {
    const run = instance.exports[`rows_${dtype}`] as (...args: number[]) => void;
    const size = dtype === "float64" ? 8 : 4;
    const laneSize = dtype === "float64" || float32Lanes === "float64" ? 8 : 4;
    let view: Arrays | undefined;
    return (...args: unknown[]) => {
      const arrays = args.slice(0, given) as Arrays[];
      const rows = args[given] as number;
      const n = args[given + 1] as number;
      const scalars = args.slice(given + 2) as number[];
      if (rows === 0) return;
      // A position (the arg max) is a lane value: float32 holds every integer only up to 2²⁴.
      if (laneSize === 4 && n > 2 ** 24) fail("E_UNSUPPORTED", `rows of ${n} elements are longer than float32 lanes can index (2²⁴)`, { hint: "use { simd: true } (float64 lanes)" });
      const perRow = arrays.map((a) => a.length / rows);
      const chunkRows = Math.max(1, Math.floor(CHUNK / Math.max(1, ...perRow)));
      const bases: number[] = [];
      let top = CONSTANTS;
      for (const length of perRow) {
        bases.push(top);
        top += align16(chunkRows * length * size);
      }
      for (const k of scratchOf) {
        bases.push(top);
        top += align16(perRow[k]! * laneSize);
      }
      if (bases.length !== arrayCount) throw new Error("internal error: the arrays do not match the row function's");
      if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / PAGE));
      if (view?.buffer !== memory.buffer) view = dtype === "float64" ? new Float64Array(memory.buffer) : new Float32Array(memory.buffer);
      const mem = view;
      for (let start = 0; start < rows; start += chunkRows) {
        const count = Math.min(chunkRows, rows - start);
        for (let k = 0; k < plan.vectors; k++) {
          const length = perRow[k]!;
          mem.set(arrays[k]!.subarray(start * length, (start + count) * length), bases[k]! / size);
        }
        run(count, n, ...bases, ...scalars);
        for (let k = plan.vectors; k < given; k++) {
          const [length, at] = [perRow[k]!, bases[k]! / size];
          arrays[k]!.set(mem.subarray(at, at + count * length), start * length);
        }
      }
    };
  };
  const cache: Partial<Record<SimdDtype, RowLoop>> = {};
  return { float64: () => (cache.float64 ??= loop("float64")), float32: () => (cache.float32 ??= loop("float32")) };
}
