/**
 * One fuzz input through every stage: parse (define), print, simplify, diff, compile f and f′ and
 * call them, LaTeX, emit, and where the input is small enough for their cost, props and verify.
 * Bad input may fail in any stage with an ActdiffError; anything else thrown is a finding.
 */
import { ActdiffError, analyze, define, print, simplify, verify, type Activation } from "../../src/index.js";

export interface Finding { readonly stage: string; readonly input: string; readonly error: string }
export interface StageOptions {
  /** Run props (analyze) and verify on inputs up to this many characters; they cost seconds each. */
  readonly heavyUpTo: number;
}

const POINTS = [-1000, -2, -0.5, 0, 0.5, 1, 3, 745];

/** The findings for one input: empty when every stage succeeded or failed with an ActdiffError. */
export function runStages(input: string, options: StageOptions): Finding[] {
  const findings: Finding[] = [];
  const stage = <T>(name: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof ActdiffError)) findings.push({ stage: name, input, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      return undefined;
    }
  };
  const a = stage("parse", () => define(input));
  if (a === undefined) return findings;
  stage("print", () => print(a.expr));
  stage("simplify", () => simplify(a.written));
  stage("latex", () => a.toLatex());
  if (a.isVector || a.inputs.length !== 1) return findings;
  const d = stage("diff", () => a.derivative());
  stage("compile", () => callAll(a));
  if (d !== undefined) stage("compile derivative", () => callAll(d));
  stage("emit", () => a.emitModule());
  if (input.length <= options.heavyUpTo) {
    stage("props", () => analyze(a));
    if (d !== undefined && a.params.length === 0) {
      // The derivative actdiff printed, checked by its own verifier: a refutation is a finding too.
      // With respect to the input, which is not always x (a formula in a alone is a function of a).
      const claim = `diff(${print(a.expr)}, ${a.inputs[0]}) = ${print(d.expr)}`;
      const result = stage("verify", () => verify(claim));
      if (result?.verdict === "refuted") findings.push({ stage: "verify", input, error: `its own derivative is refuted: ${claim}` });
    }
  }
  return findings;
}

function callAll(a: Activation): void {
  const f = a.compile();
  for (const x of POINTS) f(x);
}
