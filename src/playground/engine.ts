/**
 * The playground's heavy work, done in a Web Worker (worker.ts) so that the page stays
 * responsive: checking a claim, the property sheet and the accuracy audit. These need the
 * 40-digit BigNumber reference (all of mathjs), which the page's own bundle leaves out. The
 * functions are plain — formula in, view out — so node tests call them as the worker does.
 */
import { analyze } from "../analyze/analyze.js";
import { analyzeMulti, takesOneNumber } from "../analyze/multi.js";
import { define, type Activation } from "../api/activation.js";
import { scopeOf } from "../ast/definition.js";
import { audit, type AuditReport } from "../audit/audit.js";
import { reportText } from "../audit/format.js";
import { catalogScope } from "../catalog/catalog.js";
import { multiPropertyTables, propertyTables, type PropertyRow } from "../docs/properties.js";
import { ActdiffError } from "../errors.js";
import { verifyFields } from "../verify/describe.js";
import { verifyClaim, type VerifyResult } from "../verify/verify.js";
import { errorView, type ErrorView } from "./model.js";

export type EngineRequest =
  | { readonly kind: "verify"; readonly formula: string; readonly claim: string }
  | { readonly kind: "props"; readonly formula: string; readonly params: Readonly<Record<string, number>> }
  | { readonly kind: "audit"; readonly formula: string; readonly params: Readonly<Record<string, number>>; readonly density: number };

export interface VerifyView {
  readonly kind: "verify";
  readonly verdict: VerifyResult["verdict"];
  /** proved and verified: the claim holds (the CLI's exit 0). */
  readonly holds: boolean;
  /** The fields `actdiff verify` prints, in its order and words. */
  readonly fields: readonly (readonly [string, string])[];
}

export interface PropertiesView {
  readonly kind: "props";
  /** "Properties", and the survey's checklist or a product's factors where there are any. */
  readonly tables: readonly { readonly title: string; readonly rows: readonly PropertyRow[] }[];
  readonly notes: readonly string[];
}

export interface AuditView {
  readonly kind: "audit";
  readonly pass: boolean;
  readonly density: number;
  /** `actdiff audit`'s report. */
  readonly text: string;
  readonly seconds: number;
}

export type EngineView = VerifyView | PropertiesView | AuditView | ErrorView;

/** Does what a request asks; `onProgress` hears of the audit's progress. A mistake of the user's is an ErrorView. */
export function runRequest(request: EngineRequest, onProgress?: (done: number, total: number) => void): EngineView {
  let source = request.formula;
  try {
    const f = define(request.formula);
    switch (request.kind) {
      case "verify":
        source = request.claim;
        return verifyView(f, request.claim);
      case "props":
        return propertiesView(f, request.params);
      case "audit":
        return auditView(f, request.params, request.density, onProgress);
    }
  } catch (err) {
    if (err instanceof ActdiffError) return errorView(err, source);
    return { kind: "error", message: `actdiff failed here (a bug, please report it): ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The claim is read with the current definition in scope, beside the catalog: `mish'(x) = …` names it. */
export function verifyView(f: Activation, claim: string): VerifyView {
  const result = verifyClaim(claim, scopeOf([f.definition], catalogScope));
  return { kind: "verify", verdict: result.verdict, holds: result.verdict === "proved" || result.verdict === "verified", fields: verifyFields(result) };
}

/** `actdiff props` as the docs pages lay it out: property, value, how it was established. */
export function propertiesView(f: Activation, params: Readonly<Record<string, number>>): PropertiesView {
  const known = Object.fromEntries(Object.entries(params).filter(([name]) => f.params.some((p) => p.name === name)));
  if (takesOneNumber(f)) {
    const t = propertyTables(analyze(f, { params: known }));
    return { kind: "props", tables: [{ title: "Properties", rows: t.properties }, { title: "Checklist (survey §2)", rows: t.checklist }], notes: t.notes };
  }
  const t = multiPropertyTables(analyzeMulti(f, { params: known }));
  return {
    kind: "props",
    tables: [{ title: "Properties", rows: t.properties }, ...(t.factors.length ? [{ title: "Factors", rows: t.factors }] : [])],
    notes: t.notes,
  };
}

/**
 * The audit of the JavaScript actdiff generates, f, f′ and f″ in float64 and float32, compiled
 * without eval (`csp`: the worker runs under the page's policy; the same bits). The SIMD kernels
 * and the PyTorch module are the command line's.
 */
export function auditView(f: Activation, params: Readonly<Record<string, number>>, density: number, onProgress?: (done: number, total: number) => void): AuditView | ErrorView {
  if (!takesOneNumber(f)) {
    return { kind: "error", message: `The audit in this page takes functions of one number; ${f.name} takes ${f.isVector ? "a vector" : `${f.inputs.length} inputs`}.`, hint: `run it with the command-line tool: npx actdiff audit "${f.name}"` };
  }
  const known = Object.fromEntries(Object.entries(params).filter(([name]) => f.params.some((p) => p.name === name)));
  const report: AuditReport = audit(f, { density, params: known, csp: true, ...(onProgress && { onProgress }) });
  return { kind: "audit", pass: report.pass, density, text: reportText(report), seconds: report.seconds };
}
