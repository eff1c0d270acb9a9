import { assertNever } from "../../ast/nodes.js";
import type { FnName } from "../../functions/table.js";
import type { Program, Stmt, Value } from "../program.js";
import { TORCH_FUNCTIONS, torchHelperName, type TorchArg } from "./functions.js";
import { pyFloat } from "./python.js";

/**
 * PyTorch statements from a lowered Program — the same Program the JavaScript printer spells, so
 * the torch code performs the same operations and tests the same conditions. Tensors have no
 * branches: an `if` computes each side that some element takes (`_sides` counts them, on the
 * CPU) and `torch.where(test, then, else)` for each value it assigns when both are, which picks,
 * element by element, exactly the value the JavaScript `if` would (a NaN test is false in both,
 * so kinks and NaNs take the same side). An untaken side may hold an Infinity or a NaN; `where`
 * drops it (no gradient flows through this code: derivatives are actdiff's, in their own Programs).
 */
export interface TorchNaming {
  readonly input: (index: number) => string;
  readonly param: (index: number) => string;
  /** A tensor whose dtype and device numbers take when they must become tensors (a condition as 0/1). */
  readonly like: string;
}

export interface PrintedProgram {
  readonly lines: readonly string[];
  readonly results: readonly string[];
  /** Builtins called through a module-level helper (`_softplus`). */
  readonly helpers: readonly FnName[];
}

/**
 * The Program's body as Python statements (indented) and its results as expressions.
 * Temps are t<i>; the value a branch gives a piecewise temp is t<i>_<k>; tested conditions c<k>
 * (each after `prefix`, when several Programs share a function).
 */
export function printTorch(program: Program, naming: TorchNaming, indent = "    ", prefix = ""): PrintedProgram {
  const lines: string[] = [];
  const helpers = new Set<FnName>();
  // Names bound to Python numbers (a temp of constants only, such as sqrt(2)), not tensors.
  const numeric = new Set<string>();
  let branchValues = 0;
  let conditions = 0;

  const block = (stmts: readonly Stmt[], scope: Map<number, string>, indent: string): Map<number, string> => {
    const assigned = new Map<number, string>();
    // Targets declared in this block are its own business: only outer targets are reported.
    const local = new Set<number>();
    for (const s of stmts) {
      switch (s.kind) {
        case "const": {
          const name = `${prefix}t${s.temp}`;
          lines.push(`${indent}${name} = ${render(s.value, scope)}`);
          if (isNumberValue(s.value, { naming, scope, helpers, numeric })) numeric.add(name);
          scope.set(s.temp, name);
          break;
        }
        case "let": local.add(s.temp); break;
        case "assign": {
          // A leaf (a number, an input, another temp) is used as it is; anything else gets a name.
          const text = render(s.value, scope);
          const name = isSimple(s.value) ? text : `${prefix}t${s.temp}_${++branchValues}`;
          if (name !== text) lines.push(`${indent}${name} = ${text}`);
          scope.set(s.temp, name);
          assigned.set(s.temp, name);
          break;
        }
        case "if": {
          // Each side is computed only when some element takes it (on the CPU: elsewhere both
          // always are, without a sync); where both are, torch.where picks element by element.
          const k = ++conditions;
          const [test, sides] = [`${prefix}c${k}`, `${prefix}s${k}`];
          lines.push(`${indent}${test} = ${render(s.test, scope)}`, `${indent}${sides} = _sides(${test})`);
          const side = (stmts: readonly Stmt[], skipWhen: 1 | 2): Map<number, string> => {
            lines.push(`${indent}if ${sides} != ${skipWhen}:`);
            const start = lines.length;
            const values = block(stmts, new Map(scope), `${indent}    `);
            if (lines.length === start) lines.push(`${indent}    pass`);
            return values;
          };
          const taken = side(s.then, 2);
          const untaken = side(s.otherwise, 1);
          const targets = [...new Set([...taken.keys(), ...untaken.keys()])].sort((a, b) => a - b);
          const tensor = (v: string): string => (isNumberText(v, numeric) ? `torch.full(${test}.shape, ${v}, dtype=${naming.like}.dtype, device=${naming.like}.device)` : v);
          for (const temp of targets) {
            const a = taken.get(temp);
            const b = untaken.get(temp);
            if (a === undefined || b === undefined) throw new Error(`internal error: t${temp} is assigned in one branch of an if only`);
            const name = `${prefix}t${temp}_${++branchValues}`;
            const both = isNumberText(a, numeric) && isNumberText(b, numeric) ? `torch.where(${test}, ${tensor(a)}, ${b})` : `torch.where(${test}, ${a}, ${b})`;
            // Python evaluates only the chosen operand of a conditional expression: a side not computed is never read.
            lines.push(`${indent}${name} = ${tensor(a)} if ${sides} == 1 else ${tensor(b)} if ${sides} == 2 else ${both}`);
            scope.set(temp, name);
            assigned.set(temp, name);
          }
          break;
        }
        default: assertNever(s, "statement");
      }
    }
    local.forEach((temp) => assigned.delete(temp));
    return assigned;
  };

  const render = (v: Value, scope: ReadonlyMap<number, string>): string =>
    renderValue(v, { naming, scope, helpers, numeric })[0];

  const scope = new Map<number, string>();
  block(program.body, scope, indent);
  const results = program.results.map((r) => render(r, scope));
  return { lines, results, helpers: [...helpers].sort() };
}

const isSimple = (v: Value): boolean => v.op === "num" || v.op === "const" || v.op === "input" || v.op === "param" || v.op === "temp";
const NUMBER = /^-?(?:\d|math\.)/;
const isNumberText = (text: string, numeric: ReadonlySet<string>): boolean => NUMBER.test(text) || numeric.has(text);

// Python's precedence levels, for the fewest parentheses that keep the Program's tree. `&` and
// `|` bind tighter than comparisons in Python (not in JavaScript): comparisons under them are
// parenthesised.
const enum P { Compare = 1, Or = 2, And = 3, Sum = 5, Product = 6, Unary = 7, Power = 8, Atom = 10 }

const BINARY: Record<string, [P, string]> = {
  "+": [P.Sum, "+"], "-": [P.Sum, "-"], "*": [P.Product, "*"], "/": [P.Product, "/"],
  "<": [P.Compare, "<"], "<=": [P.Compare, "<="], ">": [P.Compare, ">"], ">=": [P.Compare, ">="], "===": [P.Compare, "=="], "!==": [P.Compare, "!="],
};

interface Context {
  readonly naming: TorchNaming;
  readonly scope: ReadonlyMap<number, string>;
  readonly helpers: Set<FnName>;
  readonly numeric: ReadonlySet<string>;
}

/** Builtins of constants computed by Python's math (in float64, then used as a number), where it has them. */
const MATH: Partial<Record<FnName, string>> = {
  exp: "exp", log: "log", log1p: "log1p", expm1: "expm1", sqrt: "sqrt", abs: "fabs", sin: "sin", cos: "cos", tan: "tan",
  atan: "atan", sinh: "sinh", cosh: "cosh", tanh: "tanh", erf: "erf", floor: "floor",
};

function renderValue(v: Value, cx: Context): [string, P] {
  const at = (c: Value, min: P): string => {
    const [text, prec] = renderValue(c, cx);
    return prec < min ? `(${text})` : text;
  };
  switch (v.op) {
    case "num": {
      const text = pyFloat(v.value);
      return [text, text.startsWith("-") ? P.Unary : P.Atom];
    }
    case "const": return [v.name === "pi" ? "math.pi" : "math.e", P.Atom];
    case "input": return [cx.naming.input(v.index), P.Atom];
    case "param": return [cx.naming.param(v.index), P.Atom];
    case "temp": {
      const name = cx.scope.get(v.index);
      if (name === undefined) throw new Error(`internal error: t${v.index} is read before it is assigned`);
      return [name, NUMBER.test(name) ? (name.startsWith("-") ? P.Unary : P.Atom) : P.Atom];
    }
    case "call": {
      const spelling = TORCH_FUNCTIONS[v.fn];
      const args: TorchArg[] = v.args.map((a) => ({ text: renderValue(a, cx)[0], isNumber: isNumberValue(a, cx) }));
      if (args.every((a) => a.isNumber)) {
        const math = MATH[v.fn];
        if (math !== undefined) return [`math.${math}(${args.map((a) => a.text).join(", ")})`, P.Atom];
        // A builtin of constants that Python's math lacks: computed by torch on a tensor of the computation's dtype.
        const first = args[0]!;
        args[0] = { text: `torch.tensor(${first.text}, dtype=${cx.naming.like}.dtype, device=${cx.naming.like}.device)`, isNumber: false };
      }
      if (spelling.inline) return [spelling.inline(args), P.Atom];
      cx.helpers.add(v.fn);
      return [`${torchHelperName(v.fn)}(${args.map((a) => a.text).join(", ")})`, P.Atom];
    }
    case "neg": return [`-${at(v.arg, P.Atom)}`, P.Unary];
    case "!": return [`~${at(v.arg, P.Atom)}`, P.Unary];
    // A condition as a number: 1 or 0 in the dtype of the computation.
    case "indicator": return [`${at(v.arg, P.Atom)}.to(${cx.naming.like}.dtype)`, P.Atom];
    case "&&": case "||": {
      const [own, symbol] = v.op === "&&" ? [P.And, "&"] : [P.Or, "|"];
      return [v.args.map((a) => at(a, P.Unary)).join(` ${symbol} `), own];
    }
    // Right-associative; its left operand may not be unary ((-2.0) ** x), its right may.
    case "**": return [`${at(v.left, P.Atom)} ** ${at(v.right, P.Unary)}`, P.Power];
    case "+": case "-": case "*": case "/":
    case "<": case "<=": case ">": case ">=": case "===": case "!==": {
      const [prec, symbol] = BINARY[v.op]!;
      // Left-associative: the right operand of the same level is parenthesised (a - (b - c)).
      // A comparison's operands are arithmetic, never another comparison (Python would chain it).
      const right = prec === P.Compare ? P.Sum : ((prec + 1) as P);
      const left = prec === P.Compare ? P.Sum : prec;
      return [`${at(v.left, left)} ${symbol} ${at(v.right, right)}`, prec];
    }
    default: return assertNever(v, "value");
  }
}

/** Whether a value prints as a Python number (not a tensor): constants, math of them, temps bound to them. */
function isNumberValue(v: Value, cx: Context): boolean {
  switch (v.op) {
    case "num": case "const": return true;
    case "input": case "param": case "indicator": return false;
    case "temp": return isNumberText(cx.scope.get(v.index) ?? "", cx.numeric);
    case "neg": return isNumberValue(v.arg, cx);
    case "call": return MATH[v.fn] !== undefined && v.args.every((a) => isNumberValue(a, cx));
    case "+": case "-": case "*": case "/": case "**": return isNumberValue(v.left, cx) && isNumberValue(v.right, cx);
    default: return false;
  }
}
