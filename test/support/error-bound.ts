import { sym } from "../../src/ast/build.js";
import type { Program, Stmt, Value } from "../../src/codegen/program.js";
import { fnSpec } from "../../src/functions/table.js";
import { evaluateFloat } from "../../src/numeric/evaluate.js";

/**
 * A Program evaluated in float64 together with a running first-order bound on the error the same
 * operations make in a lower precision of unit roundoff u (Higham, "Accuracy and Stability of
 * Numerical Algorithms", §3.3): each operation adds u·|its result| to the errors it propagates
 * from its operands (|a|·e(b) + |b|·e(a) for a product, |f′(a)|·e(a) for a function), a builtin
 * CALL_ROUNDINGS times that (library functions are not correctly rounded), and a constant that
 * the lower precision cannot hold exactly starts with u·|c|; with underflow λ, each operation may
 * also be off by λ absolutely (a backend that flushes subnormals to zero). The taken branch of each `if` is the
 * one float64 takes. This says how close a float32 evaluation of the Program can be expected to
 * come to its float64 value: near a cancellation (swish′ where it crosses 0) the bound is many
 * ulps of the result, in the tails it stays a few.
 */
const CALL_ROUNDINGS = 4;

export interface Bounded { readonly value: number; readonly bound: number }

export interface Precision {
  /** The unit roundoff: 2⁻²⁴ for float32. */
  readonly u: number;
  /** The underflow: the smallest normal number, for a flush to zero. */
  readonly underflow: number;
  /** Whether the precision holds this constant exactly. */
  readonly exact: (c: number) => boolean;
}

export const FLOAT32: Precision = { u: 2 ** -24, underflow: 2 ** -126, exact: (c) => Math.fround(c) === c };

export function errorBound(program: Program, inputs: readonly number[], params: readonly number[], precision: Precision): Bounded[] {
  const { u, exact, underflow } = precision;
  const temps = new Map<number, Bounded>();
  const leaf = (c: number): Bounded => ({ value: c, bound: exact(c) ? 0 : u * Math.abs(c) });
  const rounded = (value: number, propagated: number, roundings = 1): Bounded => ({ value, bound: propagated + roundings * u * Math.abs(value) + underflow });

  const evaluate = (v: Value): Bounded => {
    switch (v.op) {
      case "num": return leaf(v.value);
      case "const": return leaf(v.name === "pi" ? Math.PI : Math.E);
      case "input": return { value: inputs[v.index]!, bound: 0 };
      case "param": return { value: params[v.index]!, bound: 0 };
      case "temp": return temps.get(v.index)!;
      case "call": {
        const args = v.args.map(evaluate);
        const spec = fnSpec(v.fn);
        const value = spec.evaluate(...args.map((a) => a.value));
        const env = new Map(args.map((a, i) => [`u${i}`, a.value]));
        const propagated = args.reduce((sum, a, i) => {
          if (a.bound === 0) return sum;
          const slope = evaluateFloat(spec.derivative(args.map((_, k) => sym(`u${k}`)), i), env);
          return sum + (Number.isFinite(slope) ? Math.abs(slope) * a.bound : Infinity);
        }, 0);
        return rounded(value, propagated, CALL_ROUNDINGS);
      }
      case "neg": {
        const a = evaluate(v.arg);
        return { value: -a.value, bound: a.bound };
      }
      case "indicator": return { value: evaluate(v.arg).value ? 1 : 0, bound: 0 };
      case "+": case "-": {
        const [a, b] = [evaluate(v.left), evaluate(v.right)];
        return rounded(v.op === "+" ? a.value + b.value : a.value - b.value, a.bound + b.bound);
      }
      case "*": {
        const [a, b] = [evaluate(v.left), evaluate(v.right)];
        return rounded(a.value * b.value, Math.abs(a.value) * b.bound + Math.abs(b.value) * a.bound);
      }
      case "/": {
        const [a, b] = [evaluate(v.left), evaluate(v.right)];
        const q = a.value / b.value;
        return rounded(q, (a.bound + Math.abs(q) * b.bound) / Math.abs(b.value));
      }
      case "**": {
        const [a, b] = [evaluate(v.left), evaluate(v.right)];
        const p = a.value ** b.value;
        const propagated = Math.abs(b.value * a.value ** (b.value - 1)) * a.bound + (b.bound === 0 ? 0 : Math.abs(p * Math.log(a.value)) * b.bound);
        return rounded(p, propagated, CALL_ROUNDINGS);
      }
      case "<": case "<=": case ">": case ">=": case "===": case "!==": {
        const [a, b] = [evaluate(v.left).value, evaluate(v.right).value];
        const holds = { "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "===": a === b, "!==": a !== b }[v.op];
        return { value: holds ? 1 : 0, bound: 0 };
      }
      case "&&": return { value: v.args.every((a) => evaluate(a).value) ? 1 : 0, bound: 0 };
      case "||": return { value: v.args.some((a) => evaluate(a).value) ? 1 : 0, bound: 0 };
      case "!": return { value: evaluate(v.arg).value ? 0 : 1, bound: 0 };
    }
  };

  const run = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === "const" || s.kind === "assign") temps.set(s.temp, evaluate(s.value));
      else if (s.kind === "if") run(evaluate(s.test).value ? s.then : s.otherwise);
    }
  };
  run(program.body);
  return program.results.map(evaluate);
}
