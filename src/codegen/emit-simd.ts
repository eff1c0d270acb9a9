import { ActdiffError } from "../errors.js";
import { GLUE } from "./wasm/glue-text.js";
import { asUnsupported } from "./wasm/row-printer.js";

/**
 * What the standalone modules (emit-module.ts, emit-rows.ts) print for their WebAssembly SIMD
 * kernels: the functions actdiff generates for the library's `{ simd }` kernels, in base64 (one
 * module per kind of kernel holding the functions of both lanes choices: the float64 one, which
 * both share, is embedded once, a fifth less than a module per choice), and the glue the library
 * runs around them (glue.ts, printed from glue-text.ts), so that a module's `simdKernels()`
 * computes the library's SIMD bits. Nothing a user typed reaches this text: the bytes are the
 * encoder's, the glue is fixed, and the layout is numbers.
 *
 * Off by default (`emit --simd`): the bytes are ten times the rest of a module or more (swish:
 * 5 kB without, 53 kB with), and a function of many builtins takes seconds to encode.
 */
type Kind = "forward" | "backward" | "fused";
export type SimdBytes = Record<Kind, Uint8Array>;

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
 * A module's bytes (of both lanes choices: wasm/kernels.ts, wasm/row-kernels.ts), or why there are
 * none: the library's own refusal (a builtin with no vector form), or whatever else its { simd }
 * kernels would throw (constants beyond their slot): the SIMD part is optional, and a module is
 * emitted without it.
 */
export function simdModuleBytes(build: () => Uint8Array): Uint8Array | { readonly unsupported: string } {
  try {
    return build();
  } catch (err) {
    // The sentence alone: the module's header and error need no error code or hint.
    if (err instanceof ActdiffError) return { unsupported: err.summary };
    return { unsupported: asUnsupported(err)?.message ?? (err instanceof Error ? err.message : String(err)) };
  }
}

/** The bytes of each kind's module, or why there are none (the first kind refused). */
export function simdBytes(build: (kind: Kind) => Uint8Array): SimdBytes | { readonly unsupported: string } {
  const bytes: Partial<SimdBytes> = {};
  for (const kind of ["forward", "backward", "fused"] as const) {
    const each = simdModuleBytes(() => build(kind));
    if ("unsupported" in each) return each;
    bytes[kind] = each;
  }
  return bytes as SimdBytes;
}

/** `const SIMD_MODULES = { forward: "AGFzbQ…", … };`, typed in TypeScript. */
export function modulesConstant(bytes: Partial<SimdBytes>, ts: boolean): string {
  const kinds = (["forward", "backward", "fused"] as const).filter((k) => bytes[k] !== undefined);
  const type = ts ? `: Record<${kinds.map((k) => JSON.stringify(k)).join(" | ")}, string>` : "";
  return [
    "/** actdiff's WebAssembly modules, base64: for each kernel, its functions for each element type and lanes choice. */",
    `const SIMD_MODULES${type} = {`,
    ...kinds.map((k) => `  ${k}: "${base64(bytes[k]!)}",`),
    "};",
  ].join("\n");
}

/** The functions each lanes choice runs, as code: `lanes === "float64" ? [f64, f32] : [f64, f32 in float32 lanes]`. */
export function namesByLanes(names: Record<"float64" | "float32", readonly [string, string]>): string {
  const list = (pair: readonly [string, string]): string => `[${pair.map((n) => JSON.stringify(n)).join(", ")}]`;
  return `lanes === "float64" ? ${list(names.float64)} : ${list(names.float32)}`;
}

/** `lanes = "float64"`, typed in TypeScript: simdKernels' parameter. */
export const lanesParameter = (ts: boolean): string => (ts ? 'lanes: "float64" | "float32" = "float64"' : 'lanes = "float64"');

/**
 * The exported `simdKernels(lanes)`, which makes each lanes choice's kernels once (simdKernelsOf,
 * printed by the module), and their cache; `library` names the kernels whose bits they compute.
 */
export function simdEntryPoint(ts: boolean, library: string): string[] {
  return [
    [
      "/**",
      ` * kernel, backward and fused as WebAssembly SIMD, called as those are: lanes "float64" computes`,
      ` * ${library} with { simd: true }, "float32" with { simd: "float32" }. Compiled on the first`,
      " * call for each lanes, which needs 'wasm-unsafe-eval' under a Content-Security-Policy.",
      " */",
      `export function simdKernels(${lanesParameter(ts)})${ts ? ": SimdKernels" : ""} {`,
      "  if (lanes !== \"float64\" && lanes !== \"float32\") throw new TypeError(\"simdKernels: lanes is \\\"float64\\\" or \\\"float32\\\"\");",
      "  return (simdCache[lanes] ??= simdKernelsOf(lanes));",
      "}",
    ].join("\n"),
    [
      ...(ts ? ["export type SimdKernels = ReturnType<typeof simdKernelsOf>;", ""] : []),
      `const simdCache${ts ? ": Partial<Record<\"float64\" | \"float32\", SimdKernels>>" : ""} = {};`,
    ].join("\n"),
  ];
}

/** The glue's declarations by name, in glue.ts's order (the types too, in TypeScript). */
export function glueSource(names: readonly string[], ts: boolean): string[] {
  const types = ["WasmInstance", "WasmMemory"];
  return GLUE.filter((g) => names.includes(g.name) || (ts && types.includes(g.name))).map((g) => (ts ? g.ts : g.js));
}

/** The header's lines on the SIMD kernels, after the exports; `unsupported` made safe for a comment (commentSafe). */
export function simdHeader(what: string, unsupported: string | undefined): string[] {
  if (unsupported !== undefined) {
    return [`//   simdKernels(lanes): throws, as the library's { simd } kernels refuse this function: ${unsupported}`];
  }
  return [
    `//   simdKernels(lanes = "float64"): { ${what} } as WebAssembly SIMD, called alike: the`,
    "//     bits of the library's kernels with { simd: true }, or with lanes \"float32\", { simd: \"float32\" }",
    "//     (Float32Array arrays in float32 lanes). Not the JavaScript kernels' bits: actdiff's vector exp,",
    "//     log, … are audited on their own (`actdiff audit --simd`). Compiled on first use, synchronously.",
    "// Under a Content-Security-Policy the JavaScript kernels need nothing: they compile no code. The SIMD",
    "// ones compile WebAssembly, which needs 'wasm-unsafe-eval' in script-src.",
  ];
}
