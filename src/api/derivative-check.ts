import type { Scope } from "../ast/definition.js";
import { print } from "../ast/print.js";
import { catalogScope, type CatalogEntry } from "../catalog/catalog.js";
import { verifyClaim, type VerifyResult } from "../verify/verify.js";
import type { Activation } from "./activation.js";

export interface DerivativeCheck {
  /** The claim that was verified, in the formula language. */
  readonly claim: string;
  /** What our derivative was compared with, in words. */
  readonly against: string;
  readonly result: VerifyResult;
}

/**
 * Our f′ against the derivative an outside source states (the survey, PyTorch, Caffe, the
 * original paper): independent data, not our own output read back. Without such a source, f′ is
 * checked against d/dx of the definition as written. Parameters stay free on both sides, so the
 * verifier tries several values of each.
 */
export function checkDerivative(f: Activation, entry: CatalogEntry | undefined, scope: Scope = catalogScope): DerivativeCheck {
  const derivative = print(f.derivative().expr);
  if (entry?.stated) {
    const claim = `${derivative} = ${entry.stated.derivative}`;
    return { claim, against: `the derivative stated by ${entry.stated.reference}`, result: verifyClaim(claim, scope) };
  }
  const claim = `diff(${print(f.written)}, ${f.inputs[0]}) = ${derivative}`;
  return { claim, against: "the derivative of its definition as written (no outside source states one)", result: verifyClaim(claim, scope) };
}
