import { ActdiffError } from "../errors.js";
import { GLUE } from "./wasm/glue-text.js";
import { asUnsupported } from "./wasm/row-printer.js";
import type { SimdDtype } from "./wasm/kernels.js";

/**
 * What the standalone modules (emit-module.ts, emit-rows.ts) print for their WebAssembly SIMD
 * kernels: the bytes actdiff generates for `compile()`'s `{ simd }` kernels, in base64, and the
 * glue the library runs around them (glue.ts, printed from glue-text.ts), so that a module's
 * `simdKernels()` computes the library's SIMD bits. Nothing a user typed reaches this text: the
 * bytes are the encoder's, the glue is fixed, and the layout is numbers.
 */
export const SIMD_LANES: readonly SimdDtype[] = ["float64", "float32"];
export type SimdBytes = Record<"forward" | "backward" | "fused", Record<SimdDtype, Uint8Array>>;

/** Names the SIMD part of a module declares or refers to, which a user's parameter must not shadow. */
export const SIMD_NAMES = [
  ...GLUE.map((g) => g.name), "simdKernels", "simdKernelsOf", "simdCache", "SIMD_MODULES", "SimdKernels",
  "forwardSimd", "backwardSimd", "fusedSimd", "lanes", "loops", "kind", "regions",
];

/** Base64 by btoa, which browsers (the playground emits modules) and Node both have. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(binary);
}

/**
 * A module's bytes for each lanes choice, or why there are none: the library's own refusal (a
 * builtin with no vector form), or whatever else its { simd } kernels would throw (constants
 * beyond their slot): the SIMD part is optional, and a module is emitted without it.
 */
export function bothLanes(build: (lanes: SimdDtype) => Uint8Array): Record<SimdDtype, Uint8Array> | { readonly unsupported: string } {
  try {
    return { float64: build("float64"), float32: build("float32") };
  } catch (err) {
    // The sentence alone: the module's header and error need no error code or hint.
    if (err instanceof ActdiffError) return { unsupported: err.summary };
    return { unsupported: asUnsupported(err)?.message ?? (err instanceof Error ? err.message : String(err)) };
  }
}

/** The bytes of each kind's module for each lanes choice, or why there are none (the first kind refused). */
export function simdBytes(build: (kind: "forward" | "backward" | "fused", lanes: SimdDtype) => Uint8Array): SimdBytes | { readonly unsupported: string } {
  const bytes: Partial<SimdBytes> = {};
  for (const kind of ["forward", "backward", "fused"] as const) {
    const each = bothLanes((lanes) => build(kind, lanes));
    if ("unsupported" in each) return each;
    bytes[kind] = each;
  }
  return bytes as SimdBytes;
}

/** `const SIMD_MODULES = { forward: { float64: "AGFzbQ…", … }, … };` with a type in TypeScript. */
export function modulesConstant(bytes: Partial<Record<"forward" | "backward" | "fused", Record<SimdDtype, Uint8Array>>>, ts: boolean): string {
  const kinds = (["forward", "backward", "fused"] as const).filter((k) => bytes[k] !== undefined);
  const type = ts ? `: Record<${kinds.map((k) => JSON.stringify(k)).join(" | ")}, Record<"float64" | "float32", string>>` : "";
  return [
    "/** actdiff's WebAssembly modules, base64: for each kernel, float64 lanes ({ simd: true }) and float32 lanes ({ simd: \"float32\" }). */",
    `const SIMD_MODULES${type} = {`,
    ...kinds.map((k) => `  ${k}: { ${SIMD_LANES.map((l) => `${l}: "${base64(bytes[k]![l])}"`).join(", ")} },`),
    "};",
  ].join("\n");
}

/** The glue's declarations by name, in glue.ts's order (the types too, in TypeScript). */
export function glueSource(names: readonly string[], ts: boolean): string[] {
  const types = ["WasmInstance", "WasmMemory"];
  return GLUE.filter((g) => names.includes(g.name) || (ts && types.includes(g.name))).map((g) => (ts ? g.ts : g.js));
}

/** The header's lines on the SIMD kernels, after the exports; `unsupported` made safe for a comment (commentSafe). */
export function simdHeader(what: string, unsupported: string | undefined): string[] {
  const csp = [
    "// Under a Content-Security-Policy the JavaScript kernels need nothing: they compile no code. The SIMD",
    "// ones compile WebAssembly on their first call, which needs 'wasm-unsafe-eval' in script-src.",
  ];
  if (unsupported !== undefined) {
    return [
      `//   simdKernels(lanes): throws, as the library's { simd } kernels refuse this function: ${unsupported}`,
    ];
  }
  return [
    `//   simdKernels(lanes = "float64"): ${what} as WebAssembly SIMD, called as those are: the bits of the`,
    "//     library's kernel(), backward() and fusedKernel() with { simd: true }, or with \"float32\", { simd: \"float32\" }",
    "//     (Float32Array arrays in float32 lanes, every operation rounded to float32). Not the JavaScript kernels' bits: actdiff's",
    "//     vector exp, log, … are audited on their own (`actdiff audit --simd`). Compiled on the first call,",
    "//     synchronously (new WebAssembly.Module), from the bytes embedded below.",
    ...csp,
  ];
}
