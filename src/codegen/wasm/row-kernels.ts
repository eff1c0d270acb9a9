import { fail } from "../../errors.js";
import type { RowPlan } from "../row-plan.js";
import { moduleBytes } from "./encode.js";
import { bothLanesNames, type SimdDtype } from "./kernels.js";
import { simdRows, wasmInstance } from "./glue.js";
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
/** …and in a module with the functions of both lanes choices (simdRowModuleOfBothLanes). */
const CONSTANTS_OF_BOTH = 3 * CONSTANT_SLOT;
const PAGE = 65536;

export function simdRowModule(plan: RowPlan, float32Lanes: SimdDtype): Uint8Array {
  const functions = [rowFunction(plan, "rows_float64", "float64", "float64", 0), rowFunction(plan, "rows_float32", "float32", float32Lanes, CONSTANT_SLOT)];
  for (const f of functions) {
    if ((f.data?.bytes.length ?? 0) > CONSTANT_SLOT) throw new Error(`internal error: the constants of ${f.name} do not fit their slot`);
  }
  return moduleBytes(functions, Math.ceil(CONSTANTS / PAGE));
}

/**
 * The module with the functions of both lanes choices, for a standalone module to embed once:
 * rows_float64, rows_float32 (float64 lanes) and rows_float32_lanes (float32 lanes), the
 * functions simdRowModule holds for either choice; the arrays follow CONSTANTS_OF_BOTH.
 */
export function simdRowModuleOfBothLanes(plan: RowPlan): Uint8Array {
  const names = bothLanesNames("rows");
  const functions = [
    rowFunction(plan, names.float64[0], "float64", "float64", 0),
    rowFunction(plan, names.float64[1], "float32", "float64", CONSTANT_SLOT),
    rowFunction(plan, names.float32[1], "float32", "float32", 2 * CONSTANT_SLOT),
  ];
  for (const f of functions) {
    if ((f.data?.bytes.length ?? 0) > CONSTANT_SLOT) throw new Error(`internal error: the constants of ${f.name} do not fit their slot`);
  }
  return moduleBytes(functions, Math.ceil(CONSTANTS_OF_BOTH / PAGE));
}

/** The element count per array per call, the constants' bytes and the scratch rows of a plan's row functions (glue.ts's simdRows). */
export function simdRowLayout(plan: RowPlan, module: "one lanes" | "both lanes" = "one lanes"): { readonly chunk: number; readonly constants: number; readonly scratchOf: readonly number[] } {
  // A scratch row is as long as a row of the vector its length names (L0: the first).
  const scratchOf = plan.scratch.map((w) => Number(/^L(\d+)$/.exec(w.length)?.[1] ?? NaN));
  if (scratchOf.some((k) => !(k >= 0))) throw new Error("internal error: a scratch row's length is not a vector's");
  if (plan.vectors + plan.outputs + scratchOf.length !== rowFunctionLayout(plan).arrays.length) throw new Error("internal error: the arrays do not match the row function's");
  return { chunk: CHUNK, constants: module === "one lanes" ? CONSTANTS : CONSTANTS_OF_BOTH, scratchOf };
}

/** The bytes of each lane of a row function over this element type. */
export const laneBytes = (dtype: SimdDtype, float32Lanes: SimdDtype): number => (dtype === "float64" || float32Lanes === "float64" ? 8 : 4);

/**
 * The row loops of a plan for each element type, with the JavaScript row loops' signature
 * (arrays…, rows, n, scalars…); or the reason the plan has no SIMD form (row-printer.ts). The
 * copying through memory is glue.ts's simdRows, which the standalone modules print.
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
  const instance = wasmInstance(bytes);
  const given = plan.vectors + plan.outputs;
  const { chunk, constants, scratchOf } = simdRowLayout(plan);
  const loop = (dtype: SimdDtype): RowLoop => {
    const laneSize = laneBytes(dtype, float32Lanes);
    const run = simdRows(instance, `rows_${dtype}`, dtype === "float64", laneSize, plan.vectors, scratchOf, constants, chunk);
    return (...args: unknown[]) => {
      const [rows, n] = [args[given] as number, args[given + 1] as number];
      // A position (the arg max) is a lane value: float32 holds every integer only up to 2²⁴.
      if (laneSize === 4 && rows > 0 && n > 2 ** 24) fail("E_UNSUPPORTED", `rows of ${n} elements are longer than float32 lanes can index (2²⁴)`, { hint: "use { simd: true } (float64 lanes)" });
      run(args.slice(0, given) as (Float64Array | Float32Array)[], rows, n, args.slice(given + 2) as number[]);
    };
  };
  const cache: Partial<Record<SimdDtype, RowLoop>> = {};
  return { float64: () => (cache.float64 ??= loop("float64")), float32: () => (cache.float32 ??= loop("float32")) };
}
