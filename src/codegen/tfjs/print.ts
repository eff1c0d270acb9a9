import { assertNever } from "../../ast/nodes.js";
import { fnSpec, type FnName } from "../../functions/table.js";
import { printValue, type Naming } from "../js.js";
import { someValue, type Program, type Stmt, type Value } from "../program.js";
import { TFJS_FUNCTIONS } from "./functions.js";

/**
 * TensorFlow.js text from a lowered Program: the one lowering (program.ts) that the JavaScript
 * closures, kernels and modules come from, with the stable forms it chooses, so the tensors go
 * through the same operations (each in float32, as tfjs computes).
 *
 * Tensors have no control flow per element, so a structured `if` becomes `tf.where`: both
 * branches are computed and the test picks, element by element, the value the JavaScript `if`
 * would have assigned — the same test, so the same side of every kink (and NaN, which fails
 * every comparison, takes the else side in both). An untaken branch may hold NaN or ±Infinity
 * (e^(−x) far below 0); `where` does not let it through. Nothing here is differentiated by tfjs:
 * the derivatives are Programs of their own, so no gradient flows through an untaken branch.
 *
 * Subexpressions of numbers alone (0.5 * Math.PI, Math.log(2)) stay JavaScript: computed once in
 * float64 and rounded once, when tfjs turns them into a float32 scalar.
 */

/**
 * Programs for tensors are lowered as for vector lanes, which also compute every side of a
 * conditional: the stable forms that pay off only when one side runs (e^u shared between a
 * branch of expm1 and exp, the far side of softplus(u) − log 2) are left out, as for the SIMD
 * kernels.
 */
export const TENSOR_LOWERING = { lanes: "vector" } as const;

/** Printed code: statements, then the results as expressions. */
export interface TensorCode {
  /** Statements, indented, each binding a const. */
  readonly lines: readonly string[];
  /** The Program's results, as tfjs expressions over those consts. */
  readonly results: readonly string[];
  /** tfjs helpers the code calls (h_softplus …), by builtin name, sorted. */
  readonly helpers: readonly FnName[];
  /** How many temp indices the code used (the Program's and the fresh ones after them). */
  readonly temps: number;
}

/** A function body: the statements, then `return` of the result (an array when several, or when `array`). */
export function tensorFunction(program: Program, naming: Naming, options: { indent?: string; array?: boolean } = {}): TensorCode {
  const code = tensorCode(program, naming, options.indent);
  const { results } = code;
  const value = results.length === 1 && options.array !== true ? results[0]! : `[${results.join(", ")}]`;
  return { ...code, lines: [...code.lines, `${options.indent ?? "  "}return ${value};`] };
}

type Arithmetic = { readonly op: "+" | "-" | "*" | "/"; readonly left: Value; readonly right: Value };
const isArithmetic = (v: Value): v is Arithmetic => v.op === "+" || v.op === "-" || v.op === "*" || v.op === "/";
const TF_ARITHMETIC: Record<Arithmetic["op"], string> = { "+": "tf.add", "-": "tf.sub", "*": "tf.mul", "/": "tf.div" };
/** Links of one chain in one statement at most (see printChain). */
const CHAIN_STATEMENT = 100;

/** FLT_MAX: a finite float64 beyond it would become Infinity in float32 (the finiteness test |m| ≤ 1.79e308). */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The Program as tfjs statements and result expressions (temps named by `naming`, fresh ones after the Program's). */
export function tensorCode(program: Program, naming: Naming, indentation?: string): TensorCode {
  const indent = indentation ?? "  ";
  const lines: string[] = [];
  const helpers = new Set<FnName>();
  /** Temps that hold a plain number (a constant subexpression), not a tensor. */
  const numeric = new Set<number>();
  let fresh = program.temps.length;

  const isNumber = (v: Value): boolean => !someValue(v, (w) =>
    w.op === "input" || w.op === "param" || (w.op === "temp" && !numeric.has(w.index)) || w.op === "indicator"
    || (w.op === "call" && fnSpec(w.fn).js === undefined)
    || w.op === "<" || w.op === "<=" || w.op === ">" || w.op === ">=" || w.op === "===" || w.op === "!=="
    || w.op === "&&" || w.op === "||" || w.op === "!");

  const print = (v: Value): string => {
    if (v.op === "num" && Number.isFinite(v.value) && Math.abs(v.value) > FLOAT32_MAX) return printValue({ ...v, value: Math.sign(v.value) * FLOAT32_MAX });
    if (isNumber(v)) return printValue(v, naming);
    const chain = printChain(v);
    if (chain !== undefined) return chain;
    switch (v.op) {
      case "num": case "const": return printValue(v, naming);
      case "input": return naming.input(v.index);
      case "param": return naming.param(v.index);
      case "temp": return naming.temp(v.index);
      case "call": {
        const spell = TFJS_FUNCTIONS[v.fn];
        if (spell.helper !== undefined) helpers.add(v.fn);
        return spell.call(v.args.map(print));
      }
      case "neg": return `tf.neg(${print(v.arg)})`;
      case "indicator": return `tf.cast(${print(v.arg)}, "float32")`;
      case "!": return `tf.logicalNot(${print(v.arg)})`;
      case "&&": case "||": {
        const op = v.op === "&&" ? "tf.logicalAnd" : "tf.logicalOr";
        return v.args.map(print).reduce((a, b) => `${op}(${a}, ${b})`);
      }
      case "+": return `tf.add(${print(v.left)}, ${print(v.right)})`;
      case "-": return `tf.sub(${print(v.left)}, ${print(v.right)})`;
      case "*": return `tf.mul(${print(v.left)}, ${print(v.right)})`;
      case "/": return `tf.div(${print(v.left)}, ${print(v.right)})`;
      case "**": return `tf.pow(${print(v.left)}, ${print(v.right)})`;
      case "<": return `tf.less(${print(v.left)}, ${print(v.right)})`;
      case "<=": return `tf.lessEqual(${print(v.left)}, ${print(v.right)})`;
      case ">": return `tf.greater(${print(v.left)}, ${print(v.right)})`;
      case ">=": return `tf.greaterEqual(${print(v.left)}, ${print(v.right)})`;
      case "===": return `tf.equal(${print(v.left)}, ${print(v.right)})`;
      case "!==": return `tf.notEqual(${print(v.left)}, ${print(v.right)})`;
      default: return assertNever(v, "value");
    }
  };

  /**
   * A chain leaning left, tf.add(tf.sub(a, b), c) …, printed in a loop (a sum of 100,000 terms is
   * a chain as deep: a recursion would overflow the stack), as print would print it link by link:
   * its numeric part from the inside as JavaScript. Beyond CHAIN_STATEMENT links, the part so far
   * becomes a const of its own: a JavaScript parser recurses on nested calls too.
   */
  const printChain = (v: Value): string | undefined => {
    if (!isArithmetic(v)) return undefined;
    const links: Arithmetic[] = [];
    let head: Value = v;
    for (; isArithmetic(head); head = head.left) links.push(head);
    if (links.length < 2) return undefined;
    let i = links.length - 1;
    let inner: Value = head;
    if (isNumber(head)) for (; i >= 0 && isNumber(links[i]!.right); i--) inner = links[i]!;
    let text = print(inner);
    for (; i >= 0; i--) {
      const { op, right } = links[i]!;
      text = `${TF_ARITHMETIC[op]}(${text}, ${print(right)})`;
      if (links.length > CHAIN_STATEMENT && (links.length - i) % CHAIN_STATEMENT === 0 && i > 0) {
        const name = naming.temp(fresh++);
        lines.push(`${indent}const ${name} = ${text};`);
        text = name;
      }
    }
    return text;
  };

  const isLeafText = (text: string): boolean => /^(?:[A-Za-z_][A-Za-z0-9_]*|-?[0-9.e+-]+)$/.test(text);

  /**
   * Prints a block's statements flat. Returns what the block assigns to targets declared outside
   * it (a branch's value of an enclosing piecewise value), as the text of a leaf.
   */
  const block = (stmts: readonly Stmt[]): Map<number, string> => {
    const declared = new Set<number>();
    const outer = new Map<number, string>();
    const assign = (temp: number, text: string): void => {
      if (declared.has(temp)) {
        lines.push(`${indent}const ${naming.temp(temp)} = ${text};`);
        return;
      }
      if (isLeafText(text)) {
        outer.set(temp, text);
        return;
      }
      const name = naming.temp(fresh++);
      lines.push(`${indent}const ${name} = ${text};`);
      outer.set(temp, name);
    };
    for (const s of stmts) {
      switch (s.kind) {
        case "const": {
          if (isNumber(s.value)) numeric.add(s.temp);
          lines.push(`${indent}const ${naming.temp(s.temp)} = ${print(s.value)};`);
          break;
        }
        case "let": declared.add(s.temp); break;
        case "assign": assign(s.temp, print(s.value)); break;
        case "if": {
          const taken = block(s.then);
          const untaken = block(s.otherwise);
          // A test that picks several values is computed once.
          let test = print(s.test);
          if (taken.size > 1 && !isLeafText(test)) {
            const name = naming.temp(fresh++);
            lines.push(`${indent}const ${name} = ${test};`);
            test = name;
          }
          for (const [temp, then] of taken) {
            const otherwise = untaken.get(temp);
            if (otherwise === undefined) throw new Error(`internal error: t${temp} is assigned in one branch only`);
            assign(temp, `tf.where(${test}, ${then}, ${otherwise})`);
          }
          break;
        }
        default: assertNever(s, "statement");
      }
    }
    return outer;
  };

  const outer = block(program.body);
  if (outer.size > 0) throw new Error("internal error: a value assigned outside any block");
  const results = program.results.map(print);
  return { lines, results, helpers: [...helpers].sort(), temps: fresh };
}
