/**
 * actdiff: activation functions as one-line formulas — exact symbolic derivatives in textbook
 * form, verification of claimed identities, generated JavaScript and LaTeX.
 */
import type { Definition, Scope } from "./ast/definition.js";
import { catalogScope } from "./catalog/catalog.js";
import { withinLimits } from "./limits.js";
import { readDefinition } from "./parse/definition.js";
import { verifyClaim, type VerifyOptions, type VerifyResult } from "./verify/verify.js";

export {
  Activation, define, type BackwardKernel, type Compiled, type CompiledValueAndGrad, type DefineOptions, type FusedKernel,
  type Kernel, type ParamValues,
} from "./api/activation.js";
export {
  Training, type DrawState, type TrainingBackward, type TrainingCompiled, type TrainingFused, type TrainingKernel, type TrainingValueAndGrad,
} from "./api/training.js";
export type { CompileOptions } from "./codegen/compile.js";
export type { ModuleOptions } from "./codegen/emit-module.js";
export { EMIT_LANGS, type EmitLang, type EmitOptions } from "./codegen/langs.js";
export type { FloatArray, KernelOptions } from "./codegen/kernels.js";
export { analyze, sheetToJson, sweep, type PropertySheet } from "./analyze/index.js";
export type { Definition, ParamSpec, RandomVariable, Scope, Stochastic } from "./ast/definition.js";
export { scopeOf } from "./ast/definition.js";
export type { Expr } from "./ast/nodes.js";
export { print } from "./ast/print.js";
export { CATALOG as catalog, catalogDefinition, catalogScope, type CatalogEntry } from "./catalog/catalog.js";
export { toLatex } from "./codegen/latex.js";
export { audit, inaccurateRegions, type AuditOptions, type AuditReport, type Blame, type Region } from "./audit/audit.js";
export { diff } from "./diff/diff.js";
export { buildSite, renderSite, type BuildOptions, type DocsFormat } from "./docs/index.js";
export { ActdiffError, type ErrorCode } from "./errors.js";
export { LIMITS } from "./limits.js";
export { simplify } from "./simplify/simplify.js";
export { checkDocument, type CheckOptions, type CheckReport, type CheckedClaim } from "./check/check.js";
export type { Counterexample, VerifyOptions, VerifyResult } from "./verify/verify.js";

/**
 * Parses a definition or bare expression — in the formula language or in LaTeX — into a
 * Definition, resolving calls in `scope` (the catalog by default).
 */
export function parse(source: string, scope: Scope = catalogScope): Definition {
  return withinLimits(() => readDefinition(source, scope));
}

/** Checks a claim such as `diff(softplus(x), x) = sigmoid(x)`: holds or refuted, and how it was decided. */
export function verify(claim: string, options: VerifyOptions = {}): VerifyResult {
  return withinLimits(() => verifyClaim(claim, options.scope ?? catalogScope, options));
}
