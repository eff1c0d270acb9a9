import { isVectorDefinition, OUTPUT_INDEX, type Definition, type ParamSpec, type Scope } from "../ast/definition.js";
import { assertNever, type Expr } from "../ast/nodes.js";
import { print, printVector } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { availableActivations, catalogDefinition, catalogEntry, catalogEntryBySpelling, catalogScope } from "../catalog/catalog.js";
import { compileExpr, compileTuple, compileWithParams, generatedSource, type CompileOptions, type ParamBinding } from "../codegen/compile.js";
import { emitModule, type ModuleOptions } from "../codegen/emit-module.js";
import { emitTfjsModule, type TfjsModuleSpec } from "../codegen/tfjs/emit.js";
import type { EmitOptions } from "../codegen/langs.js";
import { arrayOrder, compileKernel, dtypeOf, type FloatArray, type KernelKind, type KernelOptions } from "../codegen/kernels.js";
import { toLatex } from "../codegen/latex.js";
import { diff } from "../diff/diff.js";
import { fail } from "../errors.js";
import { checkOrder, resultBudget, withinLimits } from "../limits.js";
import { treeSize } from "../ast/walk.js";
import { fnSpec, lookupFunction } from "../functions/table.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { readDefinition } from "../parse/definition.js";
import { foldName, isName } from "../parse/identifiers.js";
import { didYouMean } from "../parse/suggest.js";
import { compileVectorFunction, emitTfjsVectorModule, emitVectorModule, evaluateVector, jacobiansClosure, rowKernel, type RowKind } from "./vector-activation.js";
import { jacobianElement, vjpDefinition } from "./vectors.js";
import { simplify } from "../simplify/simplify.js";
import { inTermsOfItself } from "../simplify/self-form.js";
import { selfValue } from "../ast/self-value.js";
import { Training } from "./training.js";
import { emitTorch } from "./export-torch.js";

export type ParamValues = Readonly<Record<string, number>>;
/**
 * f(x) or f(x, params): parameters not given take their defaults. A function of several inputs
 * takes them in order, then the parameters: glu(a, b, params?).
 */
export interface Compiled {
  (x: number, params?: ParamValues): number;
  (...inputsThenParams: (number | ParamValues | undefined)[]): number;
}
/** [f, f′] of one input; [f, ∂f/∂x₀, ∂f/∂x₁, …] of several. */
export interface CompiledValueAndGrad {
  (x: number, params?: ParamValues): [value: number, grad: number];
  (...inputsThenParams: (number | ParamValues | undefined)[]): number[];
}
/**
 * out[i] = f(x[i]); the arrays are both Float64Array or both Float32Array, of one length. Of
 * several inputs: (a, b, …, out, params?). Of a vector, row by row: (x, out, n, params?) over
 * [rows × n] arrays (see src/api/vector-activation.ts).
 */
export interface Kernel {
  (x: FloatArray, out: FloatArray, params?: ParamValues): void;
  (...arraysThenParams: (FloatArray | number | ParamValues | undefined)[]): void;
}
/** gradIn[i] = gradOut[i] · f′(x[i]). Of several inputs: (a, b, …, gradOut, gradA, gradB, …, params?). */
export interface BackwardKernel {
  (x: FloatArray, gradOut: FloatArray, gradIn: FloatArray, params?: ParamValues): void;
  (...arraysThenParams: (FloatArray | number | ParamValues | undefined)[]): void;
}
/** out[i] = f(x[i]) and gradIn[i] = gradOut[i] · f′(x[i]), in one pass. Of several inputs: (a, b, …, gradOut, out, gradA, gradB, …, params?). */
export interface FusedKernel {
  (x: FloatArray, gradOut: FloatArray, out: FloatArray, gradIn: FloatArray, params?: ParamValues): void;
  (...arraysThenParams: (FloatArray | number | ParamValues | undefined)[]): void;
}

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
  /**
   * The body as printed and rendered: `expr`, or for a derivative by an input one in terms of
   * the function itself where that is shorter (softmax0′ = softmax0(x)·(1 − softmax0(x)), see
   * src/simplify/self-form.ts). For display only: it may name the function, so it is not evaluated.
   */
  readonly display: Expr;

  constructor(readonly definition: Definition, expr?: Expr, readonly label: string = definition.name, display?: Expr) {
    checkNames(definition);
    this.expr = expr ?? simplify(definition.body);
    this.display = display ?? this.expr;
  }

  get name(): string { return this.definition.name; }
  get inputs(): readonly string[] { return this.definition.inputs; }
  get params(): readonly ParamSpec[] { return this.definition.params; }
  /** The body as written, before simplification. */
  get written(): Expr { return this.definition.body; }

  /** d^order f / d(wrt)^order, simplified, as an activation with the same inputs and parameters. */
  derivative(wrt: string = this.inputs[0]!, order = 1): Activation {
    if (!Number.isInteger(order) || order < 0) fail("E_ORDER", `the order of a derivative must be a non-negative integer, not ${order}`);
    if (!this.dependsOnName(wrt) && !isName(wrt)) {
      fail("E_USAGE", `cannot differentiate with respect to '${wrt}': it is not a name`, { hint: `its inputs: ${this.inputs.join(", ")}; parameters: ${this.params.map((p) => p.name).join(", ") || "none"}` });
    }
    // The 0th derivative is the function itself.
    if (order === 0) return this;
    if (this.definition.vectors?.includes(wrt) === true) {
      if (order !== 1) fail("E_ORDER", `${this.name}: derivatives of order ${order} with respect to the vector ${wrt} are not available; the first (the Jacobian) is`);
      const jacobian = jacobianElement(this.expr, wrt);
      const name = `d_${this.name}_d${wrt}`;
      const label = this.definition.output ? `∂${this.label}_i/∂${wrt}_j` : `∂${this.label}/∂${wrt}_j`;
      return new Activation({ ...this.definition, name, body: jacobian, source: `${name}(${this.signature()}) = ${print(jacobian)}` }, jacobian, label);
    }
    // With respect to a name the function does not have, every derivative is 0 (diff below says so).
    checkOrder(order);
    let d = this.expr;
    let first = d;
    const budget = resultBudget(treeSize(this.expr));
    // Simplifying after every order keeps each intermediate in textbook form and small.
    for (let k = 0; k < order; k++) {
      d = simplify(diff(d, wrt));
      if (k === 0) first = d;
      // Each order may multiply the size (x^x's grows sevenfold every two): stop at the budget, not at the memory's end.
      const size = treeSize(d);
      if (size > budget) {
        fail("E_TOO_LARGE", `the derivative of order ${k + 1} of ${this.name} is ${size.toLocaleString("en-US")} nodes long written out, more than the ${budget.toLocaleString("en-US")} allowed for this input`, {
          hint: k + 1 < order ? `order ${k} is within it; take a lower order` : "the limits are in README.md, \"Limits\"",
        });
      }
    }
    const suffix = order === 1 ? wrt : `${wrt}${order}`;
    const name = `d${order === 1 ? "" : order}_${this.name}_d${suffix}`;
    const label = `${this.label}${order <= 3 ? "′".repeat(order) : `^(${order})`}`;
    // The derivative of the evaluation form; the one given the draws is train().derivative().
    const { stochastic: _, ...definition } = this.definition;
    const display = this.inputs.includes(wrt) ? inTermsOfItself({ simplified: this.expr, written: this.written }, { first, nth: d, order }, wrt, this.inputs, selfValue(this.label, this.inputs)) : undefined;
    return new Activation({ ...definition, name, body: d, source: `${name}(${this.signature()}) = ${print(d)}` }, d, label, display);
  }

  /** Whether `name` is one of the inputs or parameters (the names a derivative is usually taken by). */
  dependsOnName(name: string): boolean {
    return this.inputs.includes(name) || this.params.some((p) => p.name === name);
  }

  /** The partial derivatives ∂f/∂x₀, ∂f/∂x₁, … with respect to every input, in order. */
  gradient(): Activation[] {
    return this.inputs.map((input) => this.derivative(input));
  }

  /**
   * A closure (x, params?) => number, generated from the AST with common subexpressions shared;
   * of several inputs, (a, b, …, params?) => number.
   * With `{ csp: true }` it is built without `new Function`, with bit-identical results.
   */
  compile(options: CompileOptions = {}): Compiled {
    if (this.isVector) return compileVectorFunction(this, options) as unknown as Compiled;
    if (this.generatesParams(options)) return compileWithParams([this.expr], this.codeSignature(), this.paramBinding(), options) as Compiled;
    const fn = compileExpr(this.expr, this.codeSignature(), options);
    return this.bindParams(fn) as Compiled;
  }

  /** f and its gradient in one closure that computes their shared subexpressions once: [f, f′], or [f, ∂f/∂x₀, …] of several inputs. */
  compileValueAndGrad(options: CompileOptions = {}): CompiledValueAndGrad {
    if (this.isVector) fail("E_USAGE", `${this.name} is a function of vectors: compile() gives its value, jacobian() its Jacobian, backward() its vector–Jacobian product`);
    const roots = [this.expr, ...this.gradient().map((d) => d.expr)];
    if (this.generatesParams(options)) return compileWithParams(roots, this.codeSignature(), this.paramBinding(), options) as CompiledValueAndGrad;
    const fn = compileTuple(roots, this.codeSignature(), options);
    return this.bindParams(fn) as CompiledValueAndGrad;
  }

  /**
   * Whether compile() returns the generated function itself, parameters handled inside it: for
   * one input, where `new Function` may be used. The CSP interpreter and functions of several
   * inputs (whose arguments are checked one by one) keep a wrapper.
   */
  private generatesParams(options: CompileOptions): boolean {
    return this.inputs.length === 1 && options.csp !== true;
  }

  /** The defaults as numbers, and the check of a record of parameters, for a generated closure. */
  private paramBinding(): ParamBinding {
    return {
      defaults: this.params.map((p) => (p.defaultValue === undefined ? undefined : evaluateFloat(p.defaultValue, new Map()))),
      resolve: (given) => {
        if (given !== undefined && (typeof given !== "object" || given === null)) {
          fail("E_USAGE", `${this.name} takes ${this.inputs[0]}, then optionally a record of its parameters { ${this.params.map((p) => p.name).join(", ")} }; the second argument is not a record`);
        }
        return this.paramValues(given as ParamValues | undefined);
      },
    };
  }

  /**
   * Batch forward pass, out[i] = f(x[i]), over Float64Array or Float32Array (a generated loop per
   * element type; float32 computes in float64 and rounds once per element, on the store).
   * Results equal `compile()` bit for bit (rounded to float32 for Float32Array). With
   * `{ simd: true }` (or `"float32"`) the loop is WebAssembly SIMD instead: see KernelOptions;
   * for a function of vectors, row kernels printed from the row plan (src/codegen/wasm/row-printer.ts),
   * or the JavaScript ones where the plan has no SIMD form (maxout's group loops).
   * Of several inputs: (a, b, …, out, params?), elementwise.
   */
  kernel(options: KernelOptions = {}): Kernel {
    if (this.isVector) return this.rowKernel("forward", options) as Kernel;
    return this.bindKernel("forward", [this.expr], options) as Kernel;
  }

  /** Whether the function takes or returns vectors (softmax(x[]) = …): then its kernels work row by row. */
  get isVector(): boolean {
    return isVectorDefinition(this.definition);
  }

  /**
   * The Jacobian as a closure (x, params?) => rows of ∂f_i/∂x_j (one row, the gradient, for a
   * scalar-valued f), computed row by row from the generated vector–Jacobian product (with
   * `{ csp: true }` without `new Function`, the same bits).
   */
  jacobian(options: { readonly csp?: boolean } = {}): (x: ArrayLike<number>, params?: ParamValues) => number[][] {
    if (!this.isVector) fail("E_USAGE", `${this.name} takes no vector; its derivative is derivative()`);
    if (this.inputs.length > 1) fail("E_USAGE", `${this.name} takes ${this.inputs.length} vectors: jacobians() gives one Jacobian for each`);
    const jacobians = jacobiansClosure(this, options);
    return (x, params) => jacobians(x, params)[0]!;
  }

  /** The Jacobians with respect to each vector input, in order: (x, y, …, params?) => [J_x, J_y, …]. */
  jacobians(options: { readonly csp?: boolean } = {}): (...args: (ArrayLike<number> | ParamValues | undefined)[]) => number[][][] {
    if (!this.isVector) fail("E_USAGE", `${this.name} takes no vector; its derivatives are gradient()`);
    return jacobiansClosure(this, options);
  }

  /** The vector–Jacobian product Σ_i g_i ∂f_i/∂x_j as a definition of (x, g), simplified: what backward() computes. */
  vjp(wrt: string = this.definition.vectors?.[0] ?? this.inputs[0]!): Activation {
    const d = vjpDefinition(this.definition, this.expr, wrt);
    return new Activation({ ...d, source: `${d.name}(${d.inputs.map((i) => (d.vectors?.includes(i) ? `${i}[]` : i)).join(", ")}) = ${printVector(d.body, OUTPUT_INDEX)}` }, d.body, `vjp ${this.label}`);
  }

  private rowKernel(kind: RowKind, options: KernelOptions): (...args: unknown[]) => void {
    if (options.simd && options.csp) fail("E_USAGE", "{ simd: true } and { csp: true } do not combine", { hint: "a Content-Security-Policy that allows WebAssembly ('wasm-unsafe-eval') needs only { simd: true }" });
    // With { simd }, row functions the SIMD printer does not vectorise run as JavaScript (rowSimdFallback).
    return rowKernel(this, kind, { csp: options.csp === true, ...(options.simd !== undefined && { simd: options.simd }) }).run;
  }

  /** Batch backward pass: gradIn[i] = gradOut[i] · f′(x[i]); of several inputs, one gradient array per input. */
  backward(options: KernelOptions = {}): BackwardKernel {
    if (this.isVector) return this.rowKernel("backward", options) as BackwardKernel;
    return this.bindKernel("backward", this.gradient().map((d) => d.expr), options) as BackwardKernel;
  }

  /** Forward and backward in one pass, sharing subexpressions: out = f(x), gradIn = gradOut · f′(x). */
  fusedKernel(options: KernelOptions = {}): FusedKernel {
    if (this.isVector) return this.rowKernel("fused", options) as FusedKernel;
    return this.bindKernel("fused", [this.expr, ...this.gradient().map((d) => d.expr)], options) as FusedKernel;
  }

  /**
   * Training mode, for a definition that draws random variables (`… where a ~ uniform(lower,
   * upper)`): closures and kernels given the draws, kernels that draw them from a seeded
   * counter-based generator and write them, and a backward that takes them back. Everything
   * else of an Activation is its evaluation mode, each random variable replaced by its mean.
   * An E_USAGE error for a definition that draws nothing.
   */
  train(): Training {
    return new Training(this);
  }

  /**
   * A standalone module: an ES module (JavaScript or TypeScript) exporting f, its gradient,
   * valueAndGrad and the kernels (with `simd`, their WebAssembly SIMD forms too); a PyTorch module (`lang: "torch"`, src/api/export-torch.ts); or
   * a TensorFlow.js module (`lang: "tfjs"`): the activation as a tf.customGrad op with actdiff's
   * derivative and a serializable layer with trainable parameters.
   */
  emitModule(options: EmitOptions = {}): string {
    const lang = options.lang ?? "js";
    if (options.simd && lang !== "js" && lang !== "ts") {
      fail("E_USAGE", `SIMD kernels are emitted into JavaScript and TypeScript modules, not --lang ${lang}`, { hint: "drop --simd, or use --lang js or ts" });
    }
    switch (lang) {
      case "js": case "ts": return this.emitEsModule({ lang, simd: options.simd === true });
      case "torch": return emitTorch(this);
      case "tfjs": return this.isVector ? emitTfjsVectorModule(this) : emitTfjsModule(this.tfjsModuleSpec());
      default: return assertNever(lang, "language");
    }
  }

  private emitEsModule(options: ModuleOptions): string {
    if (this.isVector) return emitVectorModule(this, options);
    const gradient = this.gradient();
    return emitModule({
      definition: `${this.name}(${this.signature()}) = ${print(this.written)}`,
      derivatives: gradient.map((d, i) => `${derivativeLabel(this, this.inputs[i]!)}(${this.inputs.join(", ")}) = ${print(d.expr)}`),
      inputs: this.inputs,
      params: this.params.map((p) => ({ name: p.name, defaultValue: p.defaultValue && evaluateFloat(p.defaultValue, new Map()) })),
      f: this.expr, gradient: gradient.map((d) => d.expr),
    }, options);
  }

  /** What the TensorFlow.js module prints: the JavaScript module's spec and the derivatives by the parameters. */
  private tfjsModuleSpec(): TfjsModuleSpec {
    const gradient = this.gradient();
    const byParams = this.params.map((p) => this.derivative(p.name));
    const wrt = [...this.inputs, ...this.params.map((p) => p.name)];
    const firsts = [...gradient, ...byParams];
    return {
      name: this.name,
      definition: `${this.name}(${this.signature()}) = ${print(this.written)}`,
      derivatives: gradient.map((d, i) => `${derivativeLabel(this, this.inputs[i]!)}(${this.inputs.join(", ")}) = ${print(d.expr)}`),
      paramDerivatives: byParams.map((d, i) => `${derivativeLabel(this, this.params[i]!.name)}(${this.inputs.join(", ")}) = ${print(d.expr)}`),
      inputs: this.inputs,
      params: this.params.map((p) => ({ name: p.name, defaultValue: p.defaultValue && evaluateFloat(p.defaultValue, new Map()) })),
      f: this.expr, gradient: gradient.map((d) => d.expr), paramGradient: byParams.map((d) => d.expr),
      hessian: wrt.flatMap((a, i) => wrt.slice(i).map((b) => firsts[i]!.derivative(b).expr)),
    };
  }

  /** The generated JavaScript, for reading. */
  source(): string {
    return generatedSource([this.expr], this.codeSignature());
  }

  /** Float64 evaluation by walking the tree (no code generation); mostly for cross-checks. (a, b, …, params?) of several inputs. */
  evaluate(x: number, params?: ParamValues): number;
  evaluate(...inputsThenParams: (number | ParamValues | undefined)[]): number;
  evaluate(...args: (number | ParamValues | undefined)[]): number {
    if (this.isVector) return evaluateVector(this, args as unknown[]) as unknown as number;
    const { inputs, params } = this.splitArguments("evaluate", args, (a) => typeof a === "number", "a number");
    const env = new Map<string, number>(this.inputs.map((name, i) => [name, inputs[i] as number]));
    const values = this.paramValues(params);
    this.params.forEach((p, i) => env.set(p.name, values[i]!));
    return evaluateFloat(this.expr, env);
  }

  /** LaTeX of the body as displayed (see `display`). */
  toLatex(): string {
    return toLatex(this.display);
  }

  /** The definition line, in the formula language; it parses back to this activation. */
  toString(): string {
    return `${this.name}(${this.signature()}) = ${this.printBody(this.expr)}`;
  }

  /** A body of this activation in the formula language: a vector-valued one as the whole vector. */
  printBody(body: Expr): string {
    return this.definition.output ? printVector(body, OUTPUT_INDEX) : print(body);
  }

  signature(): string {
    const params = this.params.map((p) => (p.defaultValue ? `${p.name} = ${print(p.defaultValue)}` : p.name));
    const vectors = this.definition.vectors ?? [];
    return this.inputs.map((i) => (vectors.includes(i) ? `${i}[]` : i)).join(", ") + (params.length ? `; ${params.join(", ")}` : "");
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

  /**
   * Inputs, then at most one record of parameters: what a closure or kernel of several inputs
   * is called with. A wrong count or type is a usage error naming the signature.
   */
  private splitArguments<T>(what: string, args: readonly unknown[], isInput: (a: unknown) => boolean, kindOf: string, names: readonly string[] = this.inputs): { inputs: T[]; params?: ParamValues } {
    const k = names.length;
    const expected = `${what === "" ? this.name : `${this.name}'s ${what}`} takes ${names.join(", ")}${this.params.length ? ", then optionally the parameters { " + this.params.map((p) => p.name).join(", ") + " }" : ""}`;
    if (args.length < k || args.length > k + 1) fail("E_USAGE", `${expected}; it was given ${args.length} argument${args.length === 1 ? "" : "s"}`);
    args.slice(0, k).forEach((a, i) => {
      if (!isInput(a)) fail("E_USAGE", `${expected}; ${names[i]} is not ${kindOf}`);
    });
    const params = args[k];
    if (params !== undefined && (typeof params !== "object" || params === null)) fail("E_USAGE", `${expected}; the last argument is not a record of parameters`);
    return { inputs: args.slice(0, k) as T[], ...(params !== undefined && { params: params as ParamValues }) };
  }

  /** A kernel of either arity: the one-input form keeps its spelled-out signature (no arguments array per call). */
  private bindKernel(kind: KernelKind, roots: readonly Expr[], options: KernelOptions): (...args: never[]) => void {
    const params = this.paramResolver();
    const loop = compileKernel(roots, this.codeSignature(), kind, options);
    if (this.inputs.length === 1) {
      switch (kind) {
        case "forward": return (x: FloatArray, out: FloatArray, p?: ParamValues) => loop(x, out, params(p));
        case "backward": return (x: FloatArray, gradOut: FloatArray, gradIn: FloatArray, p?: ParamValues) => loop(x, gradOut, gradIn, params(p));
        case "fused": return (x: FloatArray, gradOut: FloatArray, out: FloatArray, gradIn: FloatArray, p?: ParamValues) => loop(x, gradOut, out, gradIn, params(p));
      }
    }
    const names = arrayOrder(kind, {
      inputs: this.inputs, gradOut: "gradOut", out: "out", gradIns: this.inputs.map((input) => `grad_${input}`),
    });
    const label = kind === "forward" ? "kernel" : kind === "backward" ? "backward kernel" : "fused kernel";
    return (...args: unknown[]) => {
      const split = this.splitArguments<FloatArray>(label, args, (a) => a instanceof Float64Array || a instanceof Float32Array, "a Float64Array or Float32Array", names);
      dtypeOf(`${this.name}'s ${label}`, names, split.inputs);
      loop(...split.inputs, params(split.params));
    };
  }

  /** Parameter values for a kernel call, resolved once per call; the defaults are computed once. */
  private paramResolver(): (given?: ParamValues) => readonly number[] {
    const defaults = this.params.every((p) => p.defaultValue !== undefined) ? this.paramValues() : undefined;
    return (given) => (given === undefined && defaults ? defaults : this.paramValues(given));
  }

  private bindParams<R>(fn: (...args: number[]) => R): (...args: (number | ParamValues | undefined)[]) => R {
    const defaults = this.params.every((p) => p.defaultValue !== undefined) ? this.paramValues() : undefined;
    if (this.inputs.length > 1) {
      const values = (params?: ParamValues) => (params === undefined && defaults ? defaults : this.paramValues(params));
      return (...args) => {
        const { inputs, params } = this.splitArguments<number>("", args, (a) => typeof a === "number", "a number");
        return fn(...inputs, ...values(params));
      };
    }
    const one = this.bindOne(fn, defaults);
    return one as (...args: (number | ParamValues | undefined)[]) => R;
  }

  private bindOne<R>(fn: (...args: number[]) => R, defaults: readonly number[] | undefined): (x: number, params?: ParamValues) => R {
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
      case 2: {
        // Spelled out: a spread call per element costs more than the formula itself.
        const values = (params?: ParamValues) => (params === undefined && defaults ? defaults : this.paramValues(params));
        return (x, params) => {
          const p = values(params);
          return fn(x, p[0]!, p[1]!);
        };
      }
      default:
        return (x, params) => fn(x, ...(params === undefined && defaults ? defaults : this.paramValues(params)));
    }
  }
}

/**
 * A definition built by hand (not parsed) may hold any string as a name; pages, file names and
 * generated code take names from here, so each must be a name of the formula language (letters,
 * digits and `_`, src/parse/identifiers.ts), and the inputs and parameters distinct.
 */
export function checkNames(d: Definition): void {
  const check = (what: string, name: string): void => {
    if (typeof name !== "string" || !isName(name)) {
      fail("E_DEFINITION", `the ${what} ${JSON.stringify(name)} of a definition is not a name`, { hint: "names are letters, digits and _, beginning with a letter or _: swish, beta, x_0" });
    }
  };
  check("name", d.name);
  d.inputs.forEach((i) => check("input", i));
  d.params.forEach((p) => check("parameter", p.name));
  d.stochastic?.randoms.forEach((r) => check("random variable", r.name));
  const all = [...d.inputs, ...d.params.map((p) => p.name)];
  const twice = all.find((n, i) => all.indexOf(n) !== i);
  if (twice !== undefined) fail("E_DEFINITION", `'${twice}' is named twice among the inputs and parameters of ${d.name}`);
}

/**
 * The left-hand side of a derivative line: `swish'`, `d^2/dx^2 swish`, `∂/∂beta swish`. The
 * prime is ASCII so that `grep "swish'(x)"` finds it; with several inputs a prime would not say
 * which one, so there the derivative is partial.
 */
export function derivativeLabel(a: Activation, wrt: string, order = 1): string {
  if (order === 0) return a.name;
  if (a.inputs.length === 1 && wrt === a.inputs[0]) {
    return order === 1 ? `${a.name}'` : `d^${order}/d${wrt}^${order} ${a.name}`;
  }
  return order === 1 ? `∂/∂${wrt} ${a.name}` : `∂^${order}/∂${wrt}^${order} ${a.name}`;
}

/** Exact default of a parameter, when it has one (for display). */
export const defaultOf = (p: ParamSpec): number | undefined => (p.defaultValue?.kind === "num" ? Q.toNumber(p.defaultValue.value) : p.defaultValue ? evaluateFloat(p.defaultValue, new Map()) : undefined);


/**
 * Defines an activation from a one-line formula — `swish(x; beta = 1) = x * sigmoid(beta * x)` —
 * a bare expression (`x * tanh(softplus(x))`), the name of a catalog activation (`elu`), or LaTeX
 * as papers write it (`\mathrm{Swish}(x) = x \sigma(\beta x)`, `\frac{x}{1 + e^{-x}}`).
 */
export function define(source: string, options: DefineOptions = {}): Activation {
  // Within the limits nothing recurses that deep; a stack overflow past them is still E_TOO_LARGE.
  return withinLimits(() => defineActivation(source, options));
}

function defineActivation(source: string, options: DefineOptions): Activation {
  const trimmed = source.trim();
  const scope = options.scope ?? catalogScope;
  if (isName(trimmed) && foldName(trimmed) !== "x") {
    // A lone name is a request for a named activation, never a one-parameter bare expression.
    const named = scope.lookup(trimmed) ?? catalogDefinition(trimmed);
    if (named) return new Activation(named);
    const builtin = lookupFunction(trimmed);
    if (builtin !== undefined && fnSpec(builtin).arity === 1) return define(`${trimmed}(x)`, options);
    // Another spelling of a catalog entry: torch's class name (Hardswish), the paper's (GELU).
    const aliased = catalogDefinition(catalogEntryBySpelling(trimmed)?.name ?? "");
    if (aliased) return new Activation(aliased);
    const span = { offset: source.indexOf(trimmed), length: trimmed.length, line: 1, column: source.indexOf(trimmed) + 1 };
    if (catalogEntry(trimmed)?.status === "planned") {
      fail("E_UNKNOWN_NAME", `'${trimmed}' is planned but not available yet`, { span, source, hint: catalogEntry(trimmed)!.summary });
    }
    const known = [...scope.names(), ...availableActivations().map((e) => e.name)];
    fail("E_UNKNOWN_NAME", `unknown activation '${trimmed}'`, { span, source, hint: didYouMean(trimmed, known) ?? "run `actdiff list` for the catalog, or write a definition such as f(x) = x * sigmoid(x)" });
  }
  return new Activation(readDefinition(source, scope));
}
