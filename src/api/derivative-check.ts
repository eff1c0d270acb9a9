import type { Scope } from "../ast/definition.js";
import { print } from "../ast/print.js";
import { catalogScope, type CatalogEntry } from "../catalog/catalog.js";
import { verifyClaim, type VerifyResult } from "../verify/verify.js";
import type { Activation } from "./activation.js";

export interface DerivativeCheck {
  /** The claim that was verified, in the formula language; one per input, joined by "; ", for several. */
  readonly claim: string;
  /** What our derivative was compared with, in words. */
  readonly against: string;
  /** The verdict; for several inputs the weakest of theirs (refuted, then undecided, verified, proved). */
  readonly result: VerifyResult;
  /** For several inputs, each partial derivative's own claim and verdict. */
  readonly parts?: readonly { readonly input: string; readonly claim: string; readonly result: VerifyResult }[];
}

const STRENGTH: Record<VerifyResult["verdict"], number> = { refuted: 0, undecided: 1, verified: 2, proved: 3 };

/**
 * `scope` less the names of f's parameters: a parameter may share its name with a catalog function
 * (threshold's parameter threshold, as torch names it), and in formulas about f the name is the parameter.
 */
export function paramsShadowing(f: Activation, scope: Scope): Scope {
  const own = new Set(f.params.map((p) => p.name));
  return { lookup: (name) => (own.has(name) ? undefined : scope.lookup(name)), names: () => [...scope.names()].filter((n) => !own.has(n)) };
}

/**
 * Our f′ against the derivative an outside source states (the survey, PyTorch, Caffe, the
 * original paper): independent data, not our own output read back. Without such a source, f′ is
 * checked against d/dx of the definition as written. Parameters stay free on both sides, so the
 * verifier tries several values of each. A function of several inputs is checked one partial
 * derivative at a time (the other inputs free, like parameters).
 */
export function checkDerivative(f: Activation, entry: CatalogEntry | undefined, scope: Scope = catalogScope): DerivativeCheck {
  const stated = entry?.stated;
  const claims = f.inputs.map((input) => {
    const derivative = print(f.derivative(input).expr);
    // A function of a vector: its Jacobian element ∂f_i/∂x_j, against the stated one.
    if (f.definition.vectors?.includes(input) === true) {
      const jacobian = print(f.derivative(input).expr);
      const statedJacobian = stated !== undefined && "derivative" in stated ? stated.derivative : undefined;
      const element = f.definition.output ? `${f.name}(${input})_i` : `${f.name}(${input})`;
      return { input, claim: statedJacobian !== undefined ? `${jacobian} = ${statedJacobian}` : `diff(${element}, ${input}_j) = ${jacobian}` };
    }
    const statedPartial = stated === undefined ? undefined : "derivative" in stated ? stated.derivative : stated.gradient[input];
    return { input, claim: statedPartial !== undefined ? `${derivative} = ${statedPartial}` : `diff(${print(f.written)}, ${input}) = ${derivative}` };
  });
  const against = stated
    ? `the ${"derivative" in stated ? "derivative" : "gradient"} stated by ${stated.reference}`
    : `the derivative of its definition as written (no outside source states one)`;
  const claimScope = paramsShadowing(f, scope);
  const parts = claims.map((c) => ({ ...c, result: verifyClaim(c.claim, claimScope) }));
  if (parts.length === 1) return { claim: parts[0]!.claim, against, result: parts[0]!.result };
  const weakest = parts.reduce((w, p) => (STRENGTH[p.result.verdict] < STRENGTH[w.result.verdict] ? p : w));
  return { claim: parts.map((p) => p.claim).join("; "), against, result: weakest.result, parts };
}
