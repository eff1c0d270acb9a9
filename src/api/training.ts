import type { RandomVariable } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { print, printRandom, printRandoms } from "../ast/print.js";
import { compileExpr, compileTuple, type CompileOptions } from "../codegen/compile.js";
import { compileKernel, dtypeOf, kernelArrays, type FloatArray, type KernelKind, type KernelOptions } from "../codegen/kernels.js";
import type { Signature } from "../codegen/program.js";
import { diff } from "../diff/diff.js";
import { fail } from "../errors.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { didYouMean } from "../parse/suggest.js";
import { DISTRIBUTIONS } from "../random/distributions.js";
import { checkedState, fillDraws, type DrawState } from "../random/draws.js";
import { simplify } from "../simplify/simplify.js";
import type { Activation, ParamValues } from "./activation.js";

export type { DrawState } from "../random/draws.js";

/** f given the draws: (x, a, params?) for rrelu; the inputs, then one value per random variable, then the parameters. */
export interface TrainingCompiled {
  (...inputsThenDrawsThenParams: (number | ParamValues | undefined)[]): number;
}
/** [f, ∂f/∂x₀, …] given the draws, one partial derivative per input (none by the random variables). */
export interface TrainingValueAndGrad {
  (...inputsThenDrawsThenParams: (number | ParamValues | undefined)[]): number[];
}
/**
 * Draws, then out[i] = f(x[i]) given them: (x, draws, out, state, params?) for rrelu; of several
 * inputs and random variables (a, b, …, drawsA, drawsB, …, out, state, params?).
 */
export interface TrainingKernel {
  (...arraysThenStateThenParams: (FloatArray | DrawState | ParamValues | undefined)[]): void;
}
/** gradIn[i] = gradOut[i] · ∂f/∂x(x[i]) given the draws a forward pass wrote: (x, draws, gradOut, gradIn, params?). */
export interface TrainingBackward {
  (...arraysThenParams: (FloatArray | ParamValues | undefined)[]): void;
}
/** Draws, then f and the gradient in one pass: (x, draws, gradOut, out, gradIn, state, params?). */
export interface TrainingFused {
  (...arraysThenStateThenParams: (FloatArray | DrawState | ParamValues | undefined)[]): void;
}

/**
 * An activation in training mode: each random variable of its definition (`where a ~ uniform(
 * lower, upper)`) is drawn for every element, where evaluation mode (the Activation itself)
 * puts its mean. The draws come from a counter-based generator whose whole state, { seed,
 * offset }, is an argument of the kernel that draws (src/random/draws.ts): element i draws
 * counter offset + i, so the same state gives the same draws, and chunks with their offsets
 * give the draws of the whole array.
 *
 * A forward kernel writes the draws it used into arrays of their own, as PyTorch's rrelu keeps
 * its noise tensor, and the backward kernel takes them back: the derivative is the one given
 * the draws (rrelu′(x) = a, the drawn slope, for x ≤ 0), the random variables held fixed.
 * Float32Array kernels round each draw once on its store and compute with the stored value.
 *
 * ```ts
 * const rrelu = define("rrelu").train();
 * rrelu.kernel()(x, slopes, out, { seed: 7 });      // draws slopes, out = rrelu(x) given them
 * rrelu.backward()(x, slopes, gradOut, gradIn);     // gradIn = gradOut · (x > 0 ? 1 : slope)
 * ```
 */
export class Training {
  /** f given the draws, simplified: the random variables are symbols. */
  readonly expr: Expr;
  readonly randoms: readonly RandomVariable[];
  private readonly signature: Signature;

  constructor(readonly activation: Activation) {
    const stochastic = activation.definition.stochastic;
    if (stochastic === undefined) {
      fail("E_USAGE", `${activation.name} draws no random variables: its training mode would be its evaluation mode`, {
        hint: "declare one in the definition, for example f(x; lower = 0.1, upper = 0.3) = x > 0 ? x : a * x where a ~ uniform(lower, upper)",
      });
    }
    this.expr = simplify(stochastic.body);
    this.randoms = stochastic.randoms;
    this.signature = { inputs: [...activation.inputs, ...this.randoms.map((r) => r.name)], params: activation.params.map((p) => p.name) };
  }

  get name(): string { return this.activation.name; }
  get inputs(): readonly string[] { return this.activation.inputs; }

  /** The definition line with its random variables: `rrelu(x; …) = x > 0 ? x : a * x where a ~ uniform(lower, upper)`. */
  toString(): string {
    return `${this.name}(${this.activation.signature()}) = ${print(this.activation.definition.stochastic!.body)} ${printRandoms(this.randoms)}`;
  }

  /** d^order f / d(wrt)^order given the draws (the random variables held fixed), simplified. */
  derivative(wrt: string = this.inputs[0]!, order = 1): Expr {
    // A random variable is a constant given the draws, not a variable to differentiate by.
    if (this.randoms.some((r) => r.name === wrt)) {
      const names = [...this.inputs, ...this.activation.params.map((p) => p.name)];
      fail("E_USAGE", `${this.name} has no input or parameter '${wrt}'`, { hint: `${wrt} is a random variable, fixed by its draws; ${didYouMean(wrt, names) ?? `the inputs: ${this.inputs.join(", ")}`}` });
    }
    if (!Number.isInteger(order) || order < 0) fail("E_ORDER", `the order of a derivative must be a non-negative integer, not ${order}`);
    let d = this.expr;
    for (let k = 0; k < order; k++) d = simplify(diff(d, wrt));
    return d;
  }

  /** ∂f/∂x₀, ∂f/∂x₁, … given the draws, one per input. */
  gradient(): Expr[] {
    return this.inputs.map((input) => this.derivative(input));
  }

  /**
   * The draws a training kernel makes for elements 0 … count − 1 with this state: one
   * Float64Array per random variable, in the order of the definition.
   */
  draw(state: DrawState, count: number, params?: ParamValues): Float64Array[] {
    if (!Number.isSafeInteger(count) || count < 0) fail("E_USAGE", `the number of draws must be a non-negative integer, not ${count}`);
    const draws = this.randoms.map(() => new Float64Array(count));
    this.fill(draws, state, this.activation.paramValues(params));
    return draws;
  }

  /** f given the draws: (x, a, params?), inputs then random variables then parameters. */
  compile(options: CompileOptions = {}): TrainingCompiled {
    return this.bindNumbers("", compileExpr(this.expr, this.signature, options));
  }

  /** [f, ∂f/∂x₀, …] given the draws, sharing their common subexpressions: (x, a, params?). */
  compileValueAndGrad(options: CompileOptions = {}): TrainingValueAndGrad {
    return this.bindNumbers("value and gradient", compileTuple([this.expr, ...this.gradient()], this.signature, options));
  }

  /** Forward pass in training mode: fills the draw arrays from `state`, then out[i] = f(x[i]) given them. */
  kernel(options: KernelOptions = {}): TrainingKernel {
    return this.bindKernel("forward", [this.expr], options);
  }

  /** Backward pass given the draws of a forward pass: gradIn[i] = gradOut[i] · ∂f/∂x(x[i]); nothing is drawn. */
  backward(options: KernelOptions = {}): TrainingBackward {
    return this.bindKernel("backward", this.gradient(), options);
  }

  /** Forward and backward in one pass: fills the draws, then out = f(x) and gradIn = gradOut · ∂f/∂x given them. */
  fusedKernel(options: KernelOptions = {}): TrainingFused {
    return this.bindKernel("fused", [this.expr, ...this.gradient()], options);
  }

  /** Each random variable's draws into its array, its distribution's arguments checked first. */
  private fill(draws: readonly FloatArray[], state: DrawState, params: readonly number[]): void {
    const env = new Map(this.activation.params.map((p, i) => [p.name, params[i]!]));
    const args = this.randoms.map((r) => {
      const values = r.args.map((a) => evaluateFloat(a, env));
      const problem = DISTRIBUTIONS[r.distribution].invalid(values);
      if (problem !== undefined) {
        fail("E_PARAM", `${this.name}'s '${r.name}' cannot be drawn: ${problem.problem}`, { hint: `${problem.hint} (${printRandom(r)})` });
      }
      return values;
    });
    checkedState(state, draws[0]?.length ?? 0);
    // Stream k for the k-th variable: two variables of one definition never share a counter.
    this.randoms.forEach((r, k) => fillDraws(draws[k]!, r.distribution, args[k]!, state, k));
  }

  /** A closure of the inputs and draws as numbers, then at most one record of parameters. */
  private bindNumbers<R>(what: string, fn: (...args: number[]) => R): (...args: (number | ParamValues | undefined)[]) => R {
    const names = this.signature.inputs;
    const resolve = this.paramResolver();
    const label = `${this.name}${what === "" ? "" : `'s ${what}`} in training mode`;
    return (...args) => {
      const split = this.split(label, args, names, (a) => typeof a === "number", "a number", false);
      return fn(...(split.arrays as number[]), ...resolve(split.params));
    };
  }

  /**
   * A kernel: its arrays in the order of `arrayOrder` (inputs, draws, gradOut, out, gradients),
   * then the generator's state where the kernel draws (forward, fused), then the parameters.
   */
  private bindKernel(kind: KernelKind, roots: readonly Expr[], options: KernelOptions): (...args: unknown[]) => void {
    if (options.simd) fail("E_UNSUPPORTED", "training kernels are JavaScript loops; SIMD kernels do not draw", { hint: "leave out { simd }" });
    const inputs = this.inputs.length;
    const drawn = this.randoms.map((r) => r.name);
    const layout = kernelArrays(inputs + drawn.length, drawn.length);
    const loop = compileKernel(roots, this.signature, kind, options, layout);
    const gradIns = inputs === 1 ? ["gradIn"] : this.inputs.map((x) => `grad_${x}`);
    const names = [
      ...this.inputs, ...drawn.map((a) => `draws of ${a}`),
      ...(kind === "forward" ? ["out"] : kind === "backward" ? ["gradOut", ...gradIns] : ["gradOut", "out", ...gradIns]),
    ];
    const draws = kind !== "backward";
    const resolve = this.paramResolver();
    const label = `${this.name}'s ${kind === "forward" ? "kernel" : kind === "backward" ? "backward kernel" : "fused kernel"} in training mode`;
    return (...args: unknown[]) => {
      const split = this.split(label, args, names, (a) => a instanceof Float64Array || a instanceof Float32Array, "a Float64Array or Float32Array", draws);
      const arrays = split.arrays as FloatArray[];
      dtypeOf(label, names, arrays);
      const ps = resolve(split.params);
      if (draws) {
        const drawArrays = arrays.slice(inputs, inputs + drawn.length);
        drawArrays.forEach((d, k) => {
          if (arrays.some((a, j) => a === d && j !== inputs + k)) fail("E_USAGE", `${label}: the draws of ${drawn[k]} must have an array of their own`, { hint: "the draws are written before the loop reads the other arrays" });
        });
        this.fill(drawArrays, split.state!, ps);
      }
      loop(...arrays, ps);
    };
  }

  /** The arrays (or numbers), the state where one is taken, and the optional parameters; a wrong count or type is a usage error naming the signature. */
  private split(label: string, args: readonly unknown[], names: readonly string[], isArray: (a: unknown) => boolean, kindOf: string, takesState: boolean): { arrays: unknown[]; state?: DrawState; params?: ParamValues } {
    const k = names.length;
    const params = this.activation.params;
    const expected = `${label} takes ${names.join(", ")}${takesState ? ", the generator's state { seed, offset? }" : ""}${params.length ? `, then optionally the parameters { ${params.map((p) => p.name).join(", ")} }` : ""}`;
    const fixed = k + (takesState ? 1 : 0);
    if (args.length < fixed || args.length > fixed + 1) fail("E_USAGE", `${expected}; it was given ${args.length} argument${args.length === 1 ? "" : "s"}`);
    args.slice(0, k).forEach((a, i) => {
      if (!isArray(a)) fail("E_USAGE", `${expected}; ${names[i]} is not ${kindOf}`);
    });
    const state = takesState ? args[k] as DrawState : undefined;
    const given = args[fixed];
    if (given !== undefined && (typeof given !== "object" || given === null)) fail("E_USAGE", `${expected}; the last argument is not a record of parameters`);
    return { arrays: args.slice(0, k), ...(state !== undefined && { state }), ...(given !== undefined && { params: given as ParamValues }) };
  }

  /** Parameter values for a call; the defaults are computed once. */
  private paramResolver(): (given?: ParamValues) => readonly number[] {
    const defaults = this.activation.params.every((p) => p.defaultValue !== undefined) ? this.activation.paramValues() : undefined;
    return (given) => (given === undefined && defaults ? defaults : this.activation.paramValues(given));
  }
}
