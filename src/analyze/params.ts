import { num } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import type { Activation } from "../api/activation.js";
import { fail } from "../errors.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";
import { nameRecord } from "../ast/records.js";

/**
 * The parameter values a sheet is stated for, as numbers and as exact expressions: a default
 * stays what it was written as (0.01 is 1/100, not the double nearest to it) unless overridden,
 * as in bind() of the one-input analysis.
 */
export interface BoundParams {
  readonly values: Readonly<Record<string, number>>;
  readonly exprs: ReadonlyMap<string, Expr>;
}

export function bindParams(activation: Activation, given?: Readonly<Record<string, number>>): BoundParams {
  const numbers = activation.paramValues(given);
  const values: Record<string, number> = nameRecord();
  const exprs = new Map<string, Expr>();
  activation.params.forEach((p, i) => {
    const v = numbers[i]!;
    if (!Number.isFinite(v)) fail("E_PARAM", `parameter '${p.name}' must be a finite number, not ${v}`);
    values[p.name] = v;
    const explicit = given !== undefined && Object.hasOwn(given, p.name);
    const exactDefault = p.defaultValue !== undefined && (!explicit || evaluateFloat(p.defaultValue, new Map()) === v);
    exprs.set(p.name, exactDefault ? simplify(p.defaultValue!) : num(Q.fromNumber(v)));
  });
  return { values, exprs };
}
