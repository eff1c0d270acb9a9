import { assertNever } from "../../ast/nodes.js";
import type { FnName } from "../../functions/table.js";
import { someValue, type Program, type Stmt, type Value } from "../program.js";
import { TORCH_FUNCTIONS, torchHelperName, type TorchArg } from "./functions.js";
import { pyFloat } from "./python.js";

/**
 * PyTorch statements from a lowered Program — the same Program the JavaScript printer spells, so
 * the torch code performs the same operations and tests the same conditions. Tensors have no
 * branches: an `if` computes each side that some element takes (`_sides` counts them, on the
 * CPU; `_bound_sides` decides `x < -40.0` from x's least and greatest elements, without a tensor
 * of booleans) and `torch.where(test, then, else)` for each value it assigns when both are, which picks,
 * element by element, exactly the value the JavaScript `if` would (a NaN test is false in both,
 * so kinks and NaNs take the same side). An untaken side may hold an Infinity or a NaN; `where`
 * drops it (no gradient flows through this code: derivatives are actdiff's, in their own Programs).
 */
export interface TorchNaming {
  readonly input: (index: number) => string;
  readonly param: (index: number) => string;
  /** A tensor whose dtype and device numbers take when they must become tensors (a condition as 0/1). */
  readonly like: string;
  /**
   * Whether every input is a tensor of the full (broadcast) shape, so that a new tensor computed
   * from an input is as large as anything it meets: an operation on such a temporary, which
   * nothing else refers to, is then done in place (`(x * 0.5).add_(t)`) — the same operation on
   * the same values, without a fresh allocation (each one a page-faulting pass over memory).
   */
  readonly inPlace?: boolean;
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
  // Temps (by index) that hold a tensor of the full shape: computed from an input, outside any if
  // (a branch may give a value of a smaller shape, a parameter's).
  const full = new Set<number>();
  let branchValues = 0;
  let conditions = 0;

  const block = (stmts: readonly Stmt[], scope: Map<number, string>, indent: string): Map<number, string> => {
    const outerIndent = currentIndent;
    currentIndent = indent;
    const assigned = new Map<number, string>();
    // Targets declared in this block are its own business: only outer targets are reported.
    const local = new Set<number>();
    for (const s of stmts) {
      switch (s.kind) {
        case "const": {
          const name = `${prefix}t${s.temp}`;
          lines.push(`${indent}${name} = ${render(s.value, scope)}`);
          if (isNumberValue(s.value, { naming, scope, helpers, numeric, full })) numeric.add(name);
          else if (naming.inPlace === true && isFull(s.value, full)) full.add(s.temp);
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
          // A named tensor against a number (x < -40.0) is decided from the tensor's least and
          // greatest elements, and the tensor of booleans made only where both sides are taken.
          const bound = boundTest(s.test, { naming, scope, helpers, numeric, full });
          if (bound === undefined) lines.push(`${indent}${test} = ${render(s.test, scope)}`, `${indent}${sides} = _sides(${test})`);
          else lines.push(`${indent}${sides} = _bound_sides(${bound.tensor}, "${bound.op}", ${bound.number})`, `${indent}${test} = ${render(s.test, scope)} if ${sides} == 3 else None`);
          const shape = bound === undefined ? `${test}.shape` : `${bound.tensor}.shape`;
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
          const tensor = (v: string): string => (isNumberText(v, numeric) ? `torch.full(${shape}, ${v}, dtype=${naming.like}.dtype, device=${naming.like}.device)` : v);
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
    currentIndent = outerIndent;
    return assigned;
  };

  // A long chain (a sum of 100,000 terms) is cut into statements: see CHAIN_STATEMENT.
  let chains = 0;
  let currentIndent = indent;
  const spill = (text: string): string => {
    const name = `${prefix}_chain${++chains}`;
    lines.push(`${currentIndent}${name} = ${text}`);
    return name;
  };
  const render = (v: Value, scope: ReadonlyMap<number, string>): string =>
    renderValue(v, { naming, scope, helpers, numeric, full, spill })[0];

  const scope = new Map<number, string>();
  block(program.body, scope, indent);
  const results = program.results.map((r) => render(r, scope));
  return { lines, results, helpers: [...helpers].sort() };
}

const FLIPPED: Partial<Record<Value["op"], "<" | "<=" | ">" | ">=">> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/** A test `name op number` (or `number op name`, turned around), with the tensor a variable: what _bound_sides decides. */
function boundTest(v: Value, cx: Context): { tensor: string; op: string; number: string } | undefined {
  if (v.op !== "<" && v.op !== "<=" && v.op !== ">" && v.op !== ">=") return undefined;
  const named = (u: Value): boolean => (u.op === "input" || u.op === "param" || u.op === "temp") && !isNumberValue(u, cx);
  const number = (u: Value): boolean => isNumberValue(u, cx);
  if (named(v.left) && number(v.right)) return { tensor: renderValue(v.left, cx)[0], op: v.op, number: renderValue(v.right, cx)[0] };
  if (number(v.left) && named(v.right)) return { tensor: renderValue(v.right, cx)[0], op: FLIPPED[v.op]!, number: renderValue(v.left, cx)[0] };
  return undefined;
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
  /** Temps of the full shape (see TorchNaming.inPlace). */
  readonly full: ReadonlySet<number>;
  /** Binds a text to a fresh name in a statement of its own (before the one being printed), and returns the name. */
  readonly spill?: (text: string) => string;
}

/** Whether a value is computed from an input (or a temp that is), and so has the full shape when the inputs do. */
const isFull = (v: Value, full: ReadonlySet<number>): boolean =>
  someValue(v, (u) => u.op === "input" || (u.op === "temp" && full.has(u.index)));

/** Builtins whose torch spelling `torch.f(t)` has the in-place method `t.f_()`, the same kernel. */
const IN_PLACE: Partial<Record<FnName, string>> = {
  exp: "exp_", log: "log_", log1p: "log1p_", expm1: "expm1_", sqrt: "sqrt_", abs: "abs_", sin: "sin_", cos: "cos_", tan: "tan_",
  atan: "atan_", sinh: "sinh_", cosh: "cosh_", tanh: "tanh_", erf: "erf_", floor: "floor_",
};

/** Builtins spelled by a helper that may overwrite its argument (`overwrite=True`) when it is a temporary. */
const OVERWRITING_HELPERS: ReadonlySet<FnName> = new Set(["sigmoid"]);

/** The in-place method of each arithmetic operator. */
const IN_PLACE_BINARY: Partial<Record<Value["op"], string>> = { "+": "add_", "-": "sub_", "*": "mul_", "/": "div_" };

/** Builtins of constants computed by Python's math (in float64, then used as a number), where it has them. */
const MATH: Partial<Record<FnName, string>> = {
  exp: "exp", log: "log", log1p: "log1p", expm1: "expm1", sqrt: "sqrt", abs: "fabs", sin: "sin", cos: "cos", tan: "tan",
  atan: "atan", sinh: "sinh", cosh: "cosh", tanh: "tanh", erf: "erf", floor: "floor",
};

/**
 * A value as Python text and its precedence; with in-place operations on (TorchNaming.inPlace), a
 * new tensor of the full shape that only this expression refers to (a temporary, not a name) is
 * what an operation on it overwrites: `torch.exp(2.0 * x)` is `(2.0 * x).exp_()`, `a * b + c`
 * is `(a * b).add_(c)`, and `1.0 + t * u` is `(t * u).add_(1.0)` (+ and × commute exactly).
 */
function renderValue(v: Value, cx: Context): [string, P] {
  const chain = renderChain(v, cx);
  if (chain !== undefined) return chain;
  if (cx.naming.inPlace === true) {
    const done = renderInPlace(v, cx);
    if (done !== undefined) return [done, P.Atom];
  }
  return renderPlain(v, cx);
}

type Arithmetic = { readonly op: "+" | "-" | "*" | "/"; readonly left: Value; readonly right: Value };
const isArithmetic = (v: Value): v is Arithmetic => v.op === "+" || v.op === "-" || v.op === "*" || v.op === "/";

/**
 * Operations of one chain in one Python statement at most: CPython's compiler recurses on a nested
 * expression (a + b + … is nested to the left), and fails on a sum of some thousands of terms.
 */
const CHAIN_STATEMENT = 100;

/**
 * A chain leaning left, (((a + b) − c) + d) … at one level of precedence, printed in a loop (a
 * sum of 100,000 terms is a chain as deep: a recursion would overflow the stack) as renderValue
 * would print it link by link: in place where the part so far is a temporary, or where the next
 * operand is (and the operation commutes), else with the operator. Beyond CHAIN_STATEMENT links,
 * the part so far becomes a statement of its own. Undefined for a chain of one link.
 */
function renderChain(v: Value, cx: Context): [string, P] | undefined {
  if (!isArithmetic(v)) return undefined;
  const prec = BINARY[v.op]![0];
  const links: Arithmetic[] = [];
  let head: Value = v;
  while (isArithmetic(head) && BINARY[head.op]![0] === prec) {
    links.push(head);
    head = head.left;
  }
  if (links.length < 2) return undefined;
  const inPlace = cx.naming.inPlace === true;
  let [text, p] = renderValue(head, cx);
  // What isTemporary, isNumberValue and isFull say of the part so far, link by link.
  let made = isTemporary(head, cx);
  let number = isNumberValue(head, cx);
  let whole = isFull(head, cx.full);
  const parenthesised = (t: string, q: P, min: P): string => (q < min ? `(${t})` : t);
  for (let i = links.length - 1; i >= 0; i--) {
    const { op, right } = links[i]!;
    const method = IN_PLACE_BINARY[op]!;
    if (inPlace && made) text = `${parenthesised(text, p, P.Atom)}.${method}(${renderValue(right, cx)[0]})`;
    else if (inPlace && (op === "+" || op === "*") && isTemporary(right, cx)) {
      const [r, q] = renderValue(right, cx);
      text = `${parenthesised(r, q, P.Atom)}.${method}(${text})`;
    } else text = `${parenthesised(text, p, prec)} ${BINARY[op]![1]} ${parenthesised(...renderValue(right, cx), (prec + 1) as P)}`;
    p = inPlace && (made || ((op === "+" || op === "*") && isTemporary(right, cx))) ? P.Atom : prec;
    number = number && isNumberValue(right, cx);
    whole = whole || isFull(right, cx.full);
    made = !number && whole;
    const done = links.length - i;
    if (cx.spill !== undefined && links.length > CHAIN_STATEMENT && done % CHAIN_STATEMENT === 0 && i > 0) {
      text = cx.spill(text);
      p = P.Atom;
    }
  }
  return [text, p];
}

/** Whether v prints as a new tensor of the full shape that nothing else refers to. */
function isTemporary(v: Value, cx: Context): boolean {
  // δ(i, j) is a comparison (a bool tensor): it is not overwritten by arithmetic.
  const made = (v.op === "call" && v.fn !== "delta") || v.op === "neg" || v.op === "indicator" || v.op === "+" || v.op === "-" || v.op === "*" || v.op === "/" || v.op === "**";
  return made && !isNumberValue(v, cx) && isFull(v, cx.full);
}

function renderInPlace(v: Value, cx: Context): string | undefined {
  const atom = (c: Value): string => {
    const [text, prec] = renderValue(c, cx);
    return prec < P.Atom ? `(${text})` : text;
  };
  switch (v.op) {
    case "neg": return isTemporary(v.arg, cx) ? `${atom(v.arg)}.neg_()` : undefined;
    case "call": {
      const [arg] = v.args;
      if (v.args.length !== 1 || !isTemporary(arg!, cx)) return undefined;
      const method = IN_PLACE[v.fn];
      if (method !== undefined) return `${atom(arg!)}.${method}()`;
      if (!OVERWRITING_HELPERS.has(v.fn)) return undefined;
      cx.helpers.add(v.fn);
      return `${torchHelperName(v.fn)}(${renderValue(arg!, cx)[0]}, overwrite=True)`;
    }
    case "+": case "-": case "*": case "/": {
      const method = IN_PLACE_BINARY[v.op]!;
      if (isTemporary(v.left, cx)) return `${atom(v.left)}.${method}(${renderValue(v.right, cx)[0]})`;
      if ((v.op === "+" || v.op === "*") && isTemporary(v.right, cx)) return `${atom(v.right)}.${method}(${renderValue(v.left, cx)[0]})`;
      return undefined;
    }
    default: return undefined;
  }
}

function renderPlain(v: Value, cx: Context): [string, P] {
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

/** Whether a value prints as a Python number (not a tensor): constants, math of them, temps bound to them. With a stack of its own, as someValue. */
function isNumberValue(root: Value, cx: Context): boolean {
  const stack: Value[] = [root];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    switch (v.op) {
      case "num": case "const": break;
      case "temp": if (!isNumberText(cx.scope.get(v.index) ?? "", cx.numeric)) return false; break;
      case "neg": stack.push(v.arg); break;
      case "call": if (MATH[v.fn] === undefined) return false; stack.push(...v.args); break;
      case "+": case "-": case "*": case "/": case "**": stack.push(v.left, v.right); break;
      default: return false;
    }
  }
  return true;
}
