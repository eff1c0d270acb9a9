/**
 * The JavaScript around the WebAssembly SIMD kernels, written once: the library runs these
 * functions (kernels.ts, row-kernels.ts here) and `actdiff emit` prints their text into the
 * standalone modules (glue-text.ts, generated from this file by scripts/glue-text.ts; a test
 * fails when the two differ). So this file is self-contained on purpose: no imports, nothing
 * from outside but the parameters and the globals of ES2022 and WebAssembly, and strict enough
 * for a user's compiler (noUncheckedIndexedAccess, exactOptionalPropertyTypes). Every
 * declaration here is printed; the layout constants arrive as arguments, printed as numbers.
 */

/** The part of an instance used here (the project's TypeScript libs, and a user's, omit WebAssembly's types). */
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Compiled and instantiated synchronously, which suits small modules (a page's CSP needs 'wasm-unsafe-eval'). */
export function wasmInstance(bytes: Uint8Array): WasmInstance {
  const wasm = (globalThis as unknown as { readonly WebAssembly?: { readonly Module: new (bytes: Uint8Array) => object; readonly Instance: new (module: object) => WasmInstance } }).WebAssembly;
  // node --jitless, and some locked-down runtimes, have no WebAssembly at all.
  if (wasm === undefined) throw new Error("WebAssembly is not available here: use the JavaScript kernels");
  return new wasm.Instance(new wasm.Module(bytes));
}

/** Base64 text as bytes, by atob (browsers, Node 16 and later, Deno and Bun have it). */
export function base64Bytes(text: string): Uint8Array {
  const binary = (globalThis as unknown as { atob(text: string): string }).atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * An elementwise kernel over one element type: (arrays, n, params), the arrays in the kernel's
 * order, inputs first. Each chunk of `chunk` elements of the inputs is copied into the module's
 * memory (array k at byte `regions[k]`), the function `name` runs over it, and the outputs are
 * copied back; every input is copied before any output, so outputs may alias inputs.
 */
export function simdChunks(instance: WasmInstance, name: string, float64: boolean, regions: readonly number[], inputs: number, chunk: number): (arrays: readonly (Float64Array | Float32Array)[], n: number, params: readonly number[]) => void {
  const run = instance.exports[name] as (n: number, ...params: number[]) => void;
  const memory = instance.exports["memory"] as WasmMemory;
  // The memory never grows, so this view stays valid.
  const view = float64 ? new Float64Array(memory.buffer) : new Float32Array(memory.buffer);
  const at = regions.map((bytes) => bytes / view.BYTES_PER_ELEMENT);
  return (arrays, n, params) => {
    for (let start = 0; start < n; start += chunk) {
      const len = Math.min(chunk, n - start);
      for (let k = 0; k < inputs; k++) view.set(arrays[k]!.subarray(start, start + len), at[k]!);
      run(len, ...params);
      for (let k = inputs; k < arrays.length; k++) arrays[k]!.set(view.subarray(at[k]!, at[k]! + len), start);
    }
  };
}

/**
 * A row kernel over one element type: (arrays, rows, n, scalars), the vectors' arrays first, then
 * the outputs'. Whole rows go through the module's memory, as many as fit `chunk` elements of the
 * widest array and at least one (a row of 32768 is one call): each array after the constants'
 * `constants` bytes, then a scratch row per entry of `scratchOf` (as long as a row of that
 * vector, in lanes of `laneSize` bytes), the memory grown when they need more.
 */
export function simdRows(instance: WasmInstance, name: string, float64: boolean, laneSize: number, vectors: number, scratchOf: readonly number[], constants: number, chunk: number): (arrays: readonly (Float64Array | Float32Array)[], rows: number, n: number, scalars: readonly number[]) => void {
  const run = instance.exports[name] as (...args: number[]) => void;
  const memory = instance.exports["memory"] as WasmMemory;
  const [size, page] = [float64 ? 8 : 4, 65536];
  const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  let view: Float64Array | Float32Array | undefined;
  return (arrays, rows, n, scalars) => {
    if (rows === 0) return;
    const perRow = arrays.map((a) => a.length / rows);
    const chunkRows = Math.max(1, Math.floor(chunk / Math.max(1, ...perRow)));
    const bases: number[] = [];
    let top = constants;
    for (const length of perRow) {
      bases.push(top);
      top += align16(chunkRows * length * size);
    }
    for (const k of scratchOf) {
      bases.push(top);
      top += align16(perRow[k]! * laneSize);
    }
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / page));
    if (view?.buffer !== memory.buffer) view = float64 ? new Float64Array(memory.buffer) : new Float32Array(memory.buffer);
    const mem = view;
    for (let start = 0; start < rows; start += chunkRows) {
      const count = Math.min(chunkRows, rows - start);
      for (let k = 0; k < vectors; k++) {
        const length = perRow[k]!;
        mem.set(arrays[k]!.subarray(start * length, (start + count) * length), bases[k]! / size);
      }
      run(count, n, ...bases, ...scalars);
      for (let k = vectors; k < arrays.length; k++) {
        const [length, at] = [perRow[k]!, bases[k]! / size];
        arrays[k]!.set(mem.subarray(at, at + count * length), start * length);
      }
    }
  };
}
