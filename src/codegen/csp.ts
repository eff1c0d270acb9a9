import { assertNever } from "../ast/nodes.js";
import { fnSpec } from "../functions/table.js";
import type { Program, Stmt, Value } from "./program.js";

/**
 * Code generation without `new Function`, for pages whose Content-Security-Policy forbids
 * `unsafe-eval`: a Program becomes a tree of closures. Each closure performs exactly the
 * operation the printed JavaScript performs, in the same order, and builtins are the same
 * function objects the printed code calls (`Math.exp`, or the table's `evaluate` bound as
 * h_<name>), so both paths agree bit for bit (property-tested).
 *
 * Inputs, parameters and numeric temps live in one Float64Array (a double stored there reads
 * back as the same double), conditions in a boolean array; both are allocated once per compiled
 * function, so a call allocates nothing but its result tuple.
 */
export interface CspMachine {
  /** Inputs at 0 …, then parameters, then numeric temps. */
  readonly values: Float64Array;
  /** Index of the first parameter in `values`. */
  readonly paramBase: number;
  /** Runs the Program's statements on the current inputs and parameters. */
  readonly run: () => void;
  /** Reads each result after `run`. */
  readonly results: readonly (() => number)[];
}

export type Num = () => number;
export type Bool = () => boolean;
export type Run = () => void;

export function cspMachine(program: Program): CspMachine {
  const paramBase = program.inputs;
  const tempBase = program.inputs + program.params;
  const values = new Float64Array(tempBase + program.temps.length);
  const flags: boolean[] = program.temps.map(() => false);
  const layout: CspLayout = { values, flags, input: (i) => i, param: (i) => paramBase + i, temp: (t) => tempBase + t, flag: (t) => t };
  const { num, block } = cspClosures(program, layout);
  return { values, paramBase, run: block(program.body), results: program.results.map(num) };
}

/**
 * Where a Program's inputs, parameters and temps live: slots of one Float64Array for numbers, of
 * one boolean array for conditions. A row plan (row-plan.ts) runs many Programs over one shared
 * store, their inputs being the plan's variables.
 */
export interface CspLayout {
  readonly values: Float64Array;
  readonly flags: boolean[];
  readonly input: (index: number) => number;
  readonly param: (index: number) => number;
  readonly temp: (index: number) => number;
  readonly flag: (index: number) => number;
}

/** The closures of a Program's values and statements over the layout's storage. */
export function cspClosures(program: Program, layout: CspLayout): { readonly num: (v: Value) => Num; readonly bool: (v: Value) => Bool; readonly block: (stmts: readonly Stmt[]) => Run } {
  const { values, flags } = layout;
  const isNumericTemp = (t: number): boolean => program.temps[t] === "number";

  const num = (v: Value): Num => {
    switch (v.op) {
      case "num": {
        const c = v.value;
        return () => c;
      }
      case "const": {
        const c = v.name === "pi" ? Math.PI : Math.E;
        return () => c;
      }
      case "input": {
        const k = layout.input(v.index);
        return () => values[k]!;
      }
      case "param": {
        const k = layout.param(v.index);
        return () => values[k]!;
      }
      case "temp": {
        if (!isNumericTemp(v.index)) throw new Error(`internal error: temp ${v.index} holds a condition, not a number`);
        const k = layout.temp(v.index);
        return () => values[k]!;
      }
      case "call": {
        const f = fnSpec(v.fn).evaluate;
        const args = v.args.map(num);
        switch (args.length) {
          case 1: {
            const [a] = args as [Num];
            return () => f(a());
          }
          case 2: {
            const [a, b] = args as [Num, Num];
            return () => f(a(), b());
          }
          case 3: {
            const [a, b, c] = args as [Num, Num, Num];
            return () => f(a(), b(), c());
          }
          default: return () => f(...args.map((a) => a()));
        }
      }
      case "neg": {
        const a = num(v.arg);
        return () => -a();
      }
      case "indicator": {
        const c = bool(v.arg);
        return () => (c() ? 1 : 0);
      }
      case "+": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() + b();
      }
      case "-": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() - b();
      }
      case "*": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() * b();
      }
      case "/": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() / b();
      }
      case "**": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() ** b();
      }
      case "<": case "<=": case ">": case ">=": case "===": case "!==": case "&&": case "||": case "!":
        throw new Error(`internal error: a condition (${v.op}) where a number is needed`);
      default: return assertNever(v, "value");
    }
  };

  const bool = (v: Value): Bool => {
    switch (v.op) {
      // A condition a row plan computed once and keeps in a variable (as 1 or 0): `if (h)`.
      case "input": {
        const k = layout.input(v.index);
        return () => !!values[k];
      }
      case "temp": {
        if (isNumericTemp(v.index)) throw new Error(`internal error: temp ${v.index} holds a number, not a condition`);
        const t = layout.flag(v.index);
        return () => flags[t]!;
      }
      case "<": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() < b();
      }
      case "<=": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() <= b();
      }
      case ">": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() > b();
      }
      case ">=": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() >= b();
      }
      case "===": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() === b();
      }
      case "!==": {
        const [a, b] = [num(v.left), num(v.right)];
        return () => a() !== b();
      }
      // Short-circuit, as && and || do: later conditions run only when needed.
      case "&&": {
        const cs = v.args.map(bool);
        return () => cs.every((c) => c());
      }
      case "||": {
        const cs = v.args.map(bool);
        return () => cs.some((c) => c());
      }
      case "!": {
        const a = bool(v.arg);
        return () => !a();
      }
      case "num": case "const": case "param": case "call": case "neg": case "indicator":
      case "+": case "-": case "*": case "/": case "**":
        throw new Error(`internal error: a number (${v.op}) where a condition is needed`);
      default: return assertNever(v, "value");
    }
  };

  const block = (stmts: readonly Stmt[]): Run => {
    const steps: Run[] = [];
    for (const s of stmts) {
      switch (s.kind) {
        case "const": case "assign": {
          if (isNumericTemp(s.temp)) {
            const [k, f] = [layout.temp(s.temp), num(s.value)];
            steps.push(() => { values[k] = f(); });
          } else {
            const [t, f] = [layout.flag(s.temp), bool(s.value)];
            steps.push(() => { flags[t] = f(); });
          }
          break;
        }
        case "let": break; // storage exists already
        case "if": {
          const [test, then, otherwise] = [bool(s.test), block(s.then), block(s.otherwise)];
          steps.push(() => (test() ? then() : otherwise()));
          break;
        }
        default: assertNever(s, "statement");
      }
    }
    switch (steps.length) {
      case 0: return () => {};
      case 1: return steps[0]!;
      case 2: {
        const [a, b] = steps as [Run, Run];
        return () => { a(); b(); };
      }
      default: return () => {
        for (const step of steps) step();
      };
    }
  };

  return { num, bool, block };
}

/** Whether a Program's value is a condition (a comparison, a logical operation, a condition temp). */
export function isCondition(program: Program, v: Value): boolean {
  switch (v.op) {
    case "<": case "<=": case ">": case ">=": case "===": case "!==": case "&&": case "||": case "!": return true;
    case "temp": return program.temps[v.index] === "boolean";
    default: return false;
  }
}

/** The Program as a function of (inputs…, params…), returning one value or an array of them. */
export function compileCsp(program: Program): (...args: number[]) => number | number[] {
  const { values, run, results } = cspMachine(program);
  const arity = program.inputs + program.params;
  const finish: () => number | number[] = results.length === 1 ? results[0]! : () => results.map((r) => r());
  switch (arity) {
    case 1: return (a) => {
      values[0] = a!;
      run();
      return finish();
    };
    case 2: return (a, b) => {
      values[0] = a!;
      values[1] = b!;
      run();
      return finish();
    };
    default: return (...args) => {
      for (let i = 0; i < arity; i++) values[i] = args[i]!;
      run();
      return finish();
    };
  }
}
