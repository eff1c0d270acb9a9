import type { Definition, ParamSpec, Scope } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { catalogDefinition, catalogScope } from "../catalog/catalog.js";
import { compileExpr, compileTuple, generatedSource } from "../codegen/compile.js";
import { toLatex } from "../codegen/latex.js";
import { diff } from "../diff/diff.js";
import { fail } from "../errors.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { parseTopLevel } from "../parse/parse.js";
import { resolveTopLevel } from "../parse/resolve.js";
import { didYouMean } from "../parse/suggest.js";
import { simplify } from "../simplify/simplify.js";

export type ParamValues = Readonly<Record<string, number>>;
/** f(x) or f(x, params): parameters not given take their defaults. */
export type Compiled = (x: number, params?: ParamValues) => number;
export type CompiledValueAndGrad = (x: number, params?: ParamValues) => [value: number, grad: number];

export interface DefineOptions {
  /** Definitions that calls may refer to; the catalog by default. */
  readonly scope?: Scope;
}

/**
 * An activation function: its definition, its textbook form, derivatives of any order with
 * respect to the input or a parameter, compiled closures and LaTeX.
 */
export class Activation {
  /** The simplified (textbook) form of the body. */
  readonly expr: Expr;

  constructor(readonly definition: Definition, expr?: Expr, readonly label: string = definition.name) {
    this.expr = expr ?? simplify(definition.body);
  }

  get name(): string { return this.definition.name; }
  get inputs(): readonly string[] { return this.definition.inputs; }
  get params(): readonly ParamSpec[] { return this.definition.params; }
  /** The body as written, before simplification. */
  get written(): Expr { return this.definition.body; }

  /** d^order f / d(wrt)^order, simplified, as an activation with the same inputs and parameters. */
  derivative(wrt: string = this.inputs[0]!, order = 1): Activation {
    if (![...this.inputs, ...this.params.map((p) => p.name)].includes(wrt)) {
      fail("E_USAGE", `${this.name} has no input or parameter '${wrt}'`, {
        hint: didYouMean(wrt, [...this.inputs, ...this.params.map((p) => p.name)]) ?? `its inputs: ${this.inputs.join(", ")}; parameters: ${this.params.map((p) => p.name).join(", ") || "none"}`,
      });
    }
    if (!Number.isInteger(order) || order < 1) fail("E_ORDER", `the order of a derivative must be a positive integer, not ${order}`);
    let d = this.expr;
    // Simplifying after every order keeps each intermediate in textbook form and small.
    for (let k = 0; k < order; k++) d = simplify(diff(d, wrt));
    const suffix = order === 1 ? wrt : `${wrt}${order}`;
    const name = `d${order === 1 ? "" : order}_${this.name}_d${suffix}`;
    const label = `${this.label}${order <= 3 ? "′".repeat(order) : `^(${order})`}`;
    return new Activation({ ...this.definition, name, body: d, source: `${name}(${this.signature()}) = ${print(d)}` }, d, label);
  }

  /** A closure (x, params?) => number, generated from the AST with common subexpressions shared. */
  compile(): Compiled {
    const fn = compileExpr(this.expr, this.codeSignature());
    return this.bindParams(fn) as Compiled;
  }

  /** f and f′ in one closure that computes their shared subexpressions once. */
  compileValueAndGrad(): CompiledValueAndGrad {
    const fn = compileTuple([this.expr, this.derivative().expr], this.codeSignature());
    return this.bindParams(fn) as CompiledValueAndGrad;
  }

  /** The generated JavaScript, for reading. */
  source(): string {
    return generatedSource([this.expr], this.codeSignature());
  }

  /** Float64 evaluation by walking the tree (no code generation); mostly for cross-checks. */
  evaluate(x: number, params?: ParamValues): number {
    const env = new Map<string, number>([[this.inputs[0]!, x]]);
    const values = this.paramValues(params);
    this.params.forEach((p, i) => env.set(p.name, values[i]!));
    return evaluateFloat(this.expr, env);
  }

  toLatex(): string {
    return toLatex(this.expr);
  }

  /** The definition line, in the formula language; it parses back to this activation. */
  toString(): string {
    return `${this.name}(${this.signature()}) = ${print(this.expr)}`;
  }

  signature(): string {
    const params = this.params.map((p) => (p.defaultValue ? `${p.name} = ${print(p.defaultValue)}` : p.name));
    return this.inputs.join(", ") + (params.length ? `; ${params.join(", ")}` : "");
  }

  /** Default values, with overrides; a parameter without a value is an error, not a NaN. */
  paramValues(given?: ParamValues): number[] {
    for (const key of Object.keys(given ?? {})) {
      if (!this.params.some((p) => p.name === key)) {
        fail("E_PARAM", `${this.name} has no parameter '${key}'`, { hint: didYouMean(key, this.params.map((p) => p.name)) ?? `its parameters: ${this.params.map((p) => p.name).join(", ") || "none"}` });
      }
    }
    return this.params.map((p) => {
      // Own keys only: a parameter named `constructor` must not pick up Object.prototype.constructor.
      const v = given !== undefined && Object.hasOwn(given, p.name) ? given[p.name] : undefined;
      if (v !== undefined) return v;
      if (p.defaultValue === undefined) fail("E_PARAM", `parameter '${p.name}' of ${this.name} has no default; give it a value`, { hint: `--param ${p.name}=1` });
      return evaluateFloat(p.defaultValue, new Map());
    });
  }

  private codeSignature() {
    return { inputs: this.inputs, params: this.params.map((p) => p.name) };
  }

  private bindParams<R>(fn: (...args: number[]) => R): (x: number, params?: ParamValues) => R {
    if (this.inputs.length !== 1) fail("E_USAGE", `${this.name} has ${this.inputs.length} inputs; compile() supports one`);
    const defaults = this.params.every((p) => p.defaultValue !== undefined) ? this.paramValues() : undefined;
    switch (this.params.length) {
      case 0: return (x, params) => {
        if (params !== undefined) this.paramValues(params); // rejects names that are not parameters
        return fn(x);
      };
      case 1: {
        const d = defaults?.[0];
        // Without params, the defaults are used as they are; with params, the names are checked.
        return d !== undefined
          ? (x, params) => fn(x, params === undefined ? d : this.paramValues(params)[0]!)
          : (x, params) => fn(x, this.paramValues(params)[0]!);
      }
      default:
        return (x, params) => fn(x, ...(params === undefined && defaults ? defaults : this.paramValues(params)));
    }
  }
}

/** Exact default of a parameter, when it has one (for display). */
export const defaultOf = (p: ParamSpec): number | undefined => (p.defaultValue?.kind === "num" ? Q.toNumber(p.defaultValue.value) : p.defaultValue ? evaluateFloat(p.defaultValue, new Map()) : undefined);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Defines an activation from a one-line formula — `swish(x; beta = 1) = x * sigmoid(beta * x)` —
 * a bare expression (`x * tanh(softplus(x))`), or the name of a catalog activation (`elu`).
 */
export function define(source: string, options: DefineOptions = {}): Activation {
  const trimmed = source.trim();
  if (IDENTIFIER.test(trimmed)) {
    const fromCatalog = catalogDefinition(trimmed);
    if (fromCatalog) return new Activation(fromCatalog);
  }
  return new Activation(resolveTopLevel(parseTopLevel(source), source, options.scope ?? catalogScope));
}
