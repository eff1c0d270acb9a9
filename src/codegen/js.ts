import { assertNever, type Expr } from "../ast/nodes.js";
import { fnSpec, type FnName } from "../functions/table.js";
import { lower, type Program, type Signature, type Stmt, type Value } from "./program.js";

export type { Signature } from "./program.js";

/**
 * JavaScript text from a lowered Program. Names the user wrote never reach the output unless a
 * printer asks for them through `Naming` (the emitted module does, for names that are safe
 * identifiers): by default inputs are x0, x1 …, parameters p0, p1 …, temps t0, t1 … and
 * helpers h_<builtin>. The printer adds no arithmetic: parentheses follow the Program's tree
 * exactly, so `a + (b + c)` stays that and is never reassociated.
 */
export interface Naming {
  readonly input: (index: number) => string;
  readonly param: (index: number) => string;
  readonly temp: (index: number) => string;
}

export const positionalNaming: Naming = {
  input: (i) => `x${i}`,
  param: (i) => `p${i}`,
  temp: (i) => `t${i}`,
};

export const helperName = (fn: FnName): string => `h_${fn}`;

/** Builtins the Program calls that have no inline JavaScript: they are called as h_<name>. */
export const helpersOf = (program: Program): FnName[] => program.calls.filter((fn) => fnSpec(fn).js === undefined);

export interface PrintOptions {
  readonly naming?: Naming;
  /** Indentation of the outermost statements. */
  readonly indent?: string;
  /** TypeScript: `let t0: number;`. */
  readonly types?: boolean;
  /**
   * Every assignment to this temp is printed multiplied by `by` (`t1 = g * (v)`, and `t1 = g`
   * for v = 1, which is the same double): a kernel then stores the temp as its gradient.
   */
  readonly scaled?: { readonly temp: number; readonly by: string };
}

/** The statements of the Program's body, one line each, indented. */
export function printBody(program: Program, options: PrintOptions = {}): string[] {
  const naming = options.naming ?? positionalNaming;
  const lines: string[] = [];
  const { scaled } = options;
  const assigned = (temp: number, v: Value): string => {
    if (scaled?.temp !== temp) return printValue(v, naming);
    return v.op === "num" && v.value === 1 ? scaled.by : printTimes(scaled.by, v, naming);
  };
  const block = (stmts: readonly Stmt[], indent: string): void => {
    for (const s of stmts) {
      switch (s.kind) {
        case "const": lines.push(`${indent}const ${naming.temp(s.temp)} = ${printValue(s.value, naming)};`); break;
        case "let": lines.push(`${indent}let ${naming.temp(s.temp)}${options.types ? ": number" : ""};`); break;
        case "assign": lines.push(`${indent}${naming.temp(s.temp)} = ${assigned(s.temp, s.value)};`); break;
        case "if": {
          lines.push(`${indent}if (${printValue(s.test, naming)}) {`);
          block(s.then, indent + "  ");
          // An else holding only another if reads as `else if`: the chain of a piecewise value.
          let rest = s.otherwise;
          while (rest.length === 1 && rest[0]!.kind === "if") {
            lines.push(`${indent}} else if (${printValue(rest[0].test, naming)}) {`);
            block(rest[0].then, indent + "  ");
            rest = rest[0].otherwise;
          }
          lines.push(`${indent}} else {`);
          block(rest, indent + "  ");
          lines.push(`${indent}}`);
          break;
        }
        default: assertNever(s, "statement");
      }
    }
  };
  block(program.body, options.indent ?? "  ");
  return lines;
}

// JavaScript's precedence levels, for the fewest parentheses that keep the tree as it is.
const enum P { Or = 3, And = 4, Equality = 8, Relational = 9, Sum = 11, Product = 12, Power = 13, Unary = 14, Atom = 20 }

const BINARY: Record<string, P> = {
  "+": P.Sum, "-": P.Sum, "*": P.Product, "/": P.Product, "**": P.Power,
  "<": P.Relational, "<=": P.Relational, ">": P.Relational, ">=": P.Relational, "===": P.Equality, "!==": P.Equality,
};

/** One value as a JavaScript expression. */
export function printValue(v: Value, naming: Naming = positionalNaming): string {
  return render(v, naming)[0];
}

type BinaryValue = Extract<Value, { readonly left: Value }>;
const isBinary = (v: Value): v is BinaryValue => "left" in v && v.op !== "**";

function render(v: Value, naming: Naming): [string, P] {
  const at = (c: Value, min: P): string => {
    const [text, prec] = render(c, naming);
    return prec < min ? `(${text})` : text;
  };
  switch (v.op) {
    case "num": {
      const n = v.value;
      // String(-0) is "0": the sign of zero is spelled out.
      if (n < 0 || Object.is(n, -0)) return [`-${Object.is(n, -0) ? "0" : String(-n)}`, P.Unary];
      return [String(n), P.Atom];
    }
    case "const": return [v.name === "pi" ? "Math.PI" : "Math.E", P.Atom];
    case "input": return [naming.input(v.index), P.Atom];
    case "param": return [naming.param(v.index), P.Atom];
    case "temp": return [naming.temp(v.index), P.Atom];
    case "call": {
      const spec = fnSpec(v.fn);
      const args = v.args.map((a) => printValue(a, naming));
      return [spec.js ? spec.js(args) : `${helperName(v.fn)}(${args.join(", ")})`, P.Atom];
    }
    // A unary operand is an atom or another unary: `-(a * b)`, `- -a` is avoided by the parentheses.
    case "neg": return [`-${at(v.arg, P.Atom)}`, P.Unary];
    case "!": return [`!${at(v.arg, P.Atom)}`, P.Unary];
    // Unary plus of a boolean: 1 or 0, which V8 computes without a branch (a ternary it does not).
    case "indicator": return [`+${at(v.arg, P.Atom)}`, P.Unary];
    case "&&": case "||": {
      // Mixed && and || always get parentheses, for the reader.
      const own = v.op === "&&" ? P.And : P.Or;
      return [v.args.map((a) => at(a, P.Equality)).join(` ${v.op} `), own];
    }
    case "**": {
      // Right-associative, and its left operand may not be a unary expression: (-2) ** x.
      return [`${at(v.left, P.Atom)} ** ${at(v.right, P.Unary)}`, P.Power];
    }
    case "+": case "-": case "*": case "/":
    case "<": case "<=": case ">": case ">=": case "===": case "!==": {
      const prec = BINARY[v.op]!;
      // Left-associative: the right operand of the same level is parenthesised, so that the
      // printed text evaluates in exactly the Program's order. A chain leaning left (a generated
      // sum of 100,000 terms) is printed in a loop, not a recursion as deep as the chain.
      const rights: { op: string; right: Value }[] = [];
      let head: Value = v;
      while (isBinary(head) && BINARY[head.op] === prec) {
        rights.push({ op: head.op, right: head.right });
        head = head.left;
      }
      let text = at(head, prec);
      for (let i = rights.length - 1; i >= 0; i--) text += ` ${rights[i]!.op} ${at(rights[i]!.right, (prec + 1) as P)}`;
      return [text, prec];
    }
    default: return assertNever(v, "value");
  }
}

/** `left * v`, with v parenthesised as the right operand of a product: `g * (a + b)`. */
export function printTimes(left: string, v: Value, naming: Naming = positionalNaming): string {
  const [text, prec] = render(v, naming);
  return `${left} * ${prec > P.Product ? text : `(${text})`}`;
}

export interface EmittedFunction {
  /** Parameter list of the generated function, in order: inputs then parameters. */
  readonly args: readonly string[];
  /** Statements of the function body, ending in `return`. */
  readonly body: string;
  /** Builtins called through a helper, to be bound as h_<name>. */
  readonly helpers: readonly FnName[];
}

/** The body of a function of (x0, …, p0, …) returning the Program's results (an array when several). */
export function functionBody(program: Program, options: PrintOptions = {}): string {
  const naming = options.naming ?? positionalNaming;
  const values = program.results.map((r) => printValue(r, naming));
  const result = values.length === 1 ? values[0]! : `[${values.join(", ")}]`;
  return [...printBody(program, options), `${options.indent ?? "  "}return ${result};`].join("\n");
}

export function functionArgs(program: Program, naming: Naming = positionalNaming): string[] {
  return [
    ...Array.from({ length: program.inputs }, (_, i) => naming.input(i)),
    ...Array.from({ length: program.params }, (_, i) => naming.param(i)),
  ];
}

/** Emits one function computing `roots` (returned as one value, or as an array when several). */
export function emitFunction(roots: readonly Expr[], signature: Signature): EmittedFunction {
  const program = lower(roots, signature);
  return { args: functionArgs(program), body: functionBody(program), helpers: helpersOf(program) };
}
