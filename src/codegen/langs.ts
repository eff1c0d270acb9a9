/**
 * The targets of `actdiff emit --lang`, one row each: the CLI's choices and help are read from
 * here, and Activation.emitModule dispatches on the key (a new target is a row and a case).
 */
export const EMIT_LANGS = {
  js: "a JavaScript ES module",
  ts: "a TypeScript module",
  torch: "a PyTorch module (Python: functional form, autograd.Function, nn.Module)",
  tfjs: "a TensorFlow.js module (a tf.customGrad op and a serializable layer)",
} as const;

export type EmitLang = keyof typeof EMIT_LANGS;

export const isEmitLang = (lang: string): lang is EmitLang => Object.hasOwn(EMIT_LANGS, lang);

export interface EmitOptions {
  readonly lang?: EmitLang;
  /**
   * js and ts: also embed the WebAssembly SIMD kernels, as `simdKernels()` (emit-simd.ts). Off by
   * default: they are the library's modules in base64, ten times the rest of the module or more.
   */
  readonly simd?: boolean;
}
