import { defaultOf, type Activation } from "../api/activation.js";
import type { ParamSpec } from "../ast/definition.js";
import { print } from "../ast/print.js";

/** Parameters as JSON: a default that is a constant expression (`pi / 2`) is given as its value. */
export const paramsJson = (params: readonly ParamSpec[]): { name: string; default: number | null }[] =>
  params.map((p) => ({ name: p.name, default: defaultOf(p) ?? null }));

/** `swish(x; beta = 1) = x * sigmoid(beta * x)`: the definition as the user wrote it. */
export const definitionLine = (a: Activation): string => `${a.name}(${a.signature()}) = ${a.printBody(a.written)}`;

export { derivativeLabel } from "../api/activation.js";

export const inputList = (a: Activation): string => a.inputs.join(", ");
