import { defaultOf, type Activation } from "../api/activation.js";
import type { ParamSpec } from "../ast/definition.js";
import { print } from "../ast/print.js";

/** Parameters as JSON: a default that is a constant expression (`pi / 2`) is given as its value. */
export const paramsJson = (params: readonly ParamSpec[]): { name: string; default: number | null }[] =>
  params.map((p) => ({ name: p.name, default: defaultOf(p) ?? null }));

/** `swish(x; beta = 1) = x * sigmoid(beta * x)`: the definition as the user wrote it. */
export const definitionLine = (a: Activation): string => `${a.name}(${a.signature()}) = ${print(a.written)}`;

/**
 * The left-hand side of a derivative line: `swish'`, `d^2/dx^2 swish`, `∂/∂beta swish`. The
 * prime is ASCII so that `grep "swish'(x)"` finds it; with several inputs a prime would not say
 * which one, so there the derivative is partial.
 */
export function derivativeLabel(a: Activation, wrt: string, order: number): string {
  if (a.inputs.length === 1 && wrt === a.inputs[0]) {
    return order === 1 ? `${a.name}'` : `d^${order}/d${wrt}^${order} ${a.name}`;
  }
  return order === 1 ? `∂/∂${wrt} ${a.name}` : `∂^${order}/∂${wrt}^${order} ${a.name}`;
}

export const inputList = (a: Activation): string => a.inputs.join(", ");
