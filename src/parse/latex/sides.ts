/** The sides of an equation in LaTeX: a definition's head, a derivative of a named function, or an expression. */
import type { Expr } from "../../ast/nodes.js";
import type { Span } from "../syntax.js";
import { raise, written, type LowerContext } from "./context.js";
import { derivativeFraction } from "./derivatives.js";
import { argumentGroup, functionRef, peel, unknownName, variableName, type FnRef } from "./function-refs.js";
import { isExpansionOnly } from "./names.js";
import { subscriptBase } from "./notation.js";
import { lower, resolveLowered, vectorFunctionElement } from "./resolve.js";
import type { LatexNode } from "./syntax.js";

/**
 * What one side of an equation is, for a checker:
 *  - `definition`: a head `f(x)`, `\text{softplus}(x)`, or `(x)` alone whose name is in the prose;
 *  - `derivative`: of a named function, `f'(x)`, `\frac{d}{dx} f(x)`, `\frac{d\,\text{ELU}}{dx}`;
 *  - `expression`: anything else.
 * `value` is the side's expression; it is absent when the side names an unknown function (the
 * document is defining it) or, for `(x)`, no function at all.
 */
export type LatexSide =
  | {
    readonly form: "definition";
    /** The function's name: a builtin's or scope's own spelling if known (ReLU → relu). */
    readonly name?: string;
    /** The name as written in the LaTeX. */
    readonly written?: string;
    readonly inputs: readonly string[];
    readonly value?: Expr;
    readonly span: Span;
  }
  | {
    readonly form: "derivative";
    readonly name: string;
    readonly written: string;
    /** The variables the function is applied to, `[wrt]` for `\frac{d f}{dx}`. */
    readonly inputs: readonly string[];
    readonly wrt: string;
    readonly order: number;
    readonly value?: Expr;
    readonly span: Span;
  }
  | { readonly form: "expression"; readonly value: Expr; readonly span: Span };

interface Application { readonly fn: FnRef; readonly inputs: readonly string[]; readonly primes: number }

/** `name(x, y)` with distinct plain variables and no power: a head, or with primes a derivative. */
function application(items: readonly LatexNode[], unknownAllowed: boolean, ctx: LowerContext): Application | undefined {
  if (items.length !== 2) return undefined;
  const head = peel(items[0]!);
  const group = argumentGroup(items[1], false);
  if (group === undefined || head.power !== undefined || group.power !== undefined) return undefined;
  const inputs = group.items.map(variableName);
  if (inputs.some((v) => v === undefined) || new Set(inputs).size !== inputs.length) return undefined;
  const fn = headRef(head.core, ctx);
  const primes = head.primes + group.primes;
  if (fn === undefined || (!fn.known && !unknownAllowed && primes === 0)) return undefined;
  return { fn, inputs: inputs as string[], primes };
}

/** The head `name(x, y)` of a definition: the function it names (known or not) and its inputs. */
export function definitionHead(node: LatexNode, ctx: LowerContext): { readonly name: string; readonly known: boolean; readonly inputs: readonly string[] } | undefined {
  const applied = application(node.type === "juxt" ? node.items : [node], true, ctx);
  return applied === undefined || applied.primes > 0 ? undefined : { name: applied.fn.name, known: applied.fn.known, inputs: applied.inputs };
}

/** Any name can head a definition: `f`, `\phi`, `Foo`, `\operatorname{ELU}`. */
function headRef(core: LatexNode, ctx: LowerContext): FnRef | undefined {
  const known = functionRef(core, true, ctx);
  // `\phi(x) = …` and `\operatorname{sech}(x) = …` define φ and sech: a Greek letter or a function
  // only the reader expands is the document's own at the head of a definition.
  const own = core.type === "greek" ? ctx.scope.lookup(core.name) === undefined : known?.known === true && isExpansionOnly(known.name, ctx.scope);
  if (known !== undefined && !own) return known;
  // `\mathrm{Snake}_a(x)`, `\sigma_T(x)`: a name with a subscript, snake_a and sigma_T.
  if (core.type === "subscript") {
    const base = core.base.type === "function" ? written(core.base.span, ctx).slice(1) : headName(core.base);
    return base === undefined ? undefined : { name: unknownName(`${base}_${core.index}`), written: written(core.span, ctx), span: core.span, known: false, command: false };
  }
  const name = headName(core);
  // Φ and φ stay two names.
  return name === undefined ? undefined : { name: core.type === "greek" ? name : unknownName(name), written: written(core.span, ctx), span: core.span, known: false, command: false };
}

const headName = (core: LatexNode): string | undefined =>
  (core.type === "word" ? core.text : core.type === "greek" ? core.name : core.type === "text" ? core.content : undefined);

const isVectorElement = (node: LatexNode, ctx: LowerContext): boolean => {
  const base = subscriptBase(node);
  return base !== undefined && ctx.notation?.vectors.has(base) === true;
};

/** Classifies one side; `first` is the left-hand side, where an unknown name is being defined. */
export function classifySide(node: LatexNode, first: boolean, ctx: LowerContext): LatexSide {
  const { span } = node;
  const value = (): Expr => resolveLowered(lower(node, ctx), ctx);
  if (first && node.type === "group" && node.delimiter === "(") {
    const inputs = node.items.map(variableName);
    if (inputs.every((v) => v !== undefined) && new Set(inputs).size === inputs.length) return { form: "definition", inputs: inputs as string[], span };
  }
  const items = node.type === "juxt" ? node.items : [node];
  const derivative = (fn: FnRef, inputs: readonly string[], wrt: string, order: number): LatexSide => ({
    form: "derivative", name: fn.name, written: fn.written, inputs, wrt, order, span, ...(fn.known ? { value: value() } : {}),
  });

  const leading = items[0]!;
  const fraction = leading.type === "frac" ? derivativeFraction(leading, ctx) : undefined;
  if (fraction !== undefined) {
    const { operand, variable, order } = fraction;
    if (items.length === 1 && operand?.kind === "named") return derivative(operand.fn, [variable], variable, order);
    // `\frac{dy}{dx}`, `\frac{d\,f}{dx}`: as a side, the derivative of whatever the document calls y or f.
    const only = operand?.kind === "expression" && operand.items.length === 1 ? operand.items[0]! : undefined;
    if (items.length === 1 && only !== undefined && variableName(only) !== undefined && vectorFunctionElement(only, ctx) === undefined && !isVectorElement(only, ctx)) {
      return derivative({ name: variableName(only)!, written: written(only.span, ctx), span: only.span, known: false, command: false }, [variable], variable, order);
    }
    const applied = operand === undefined ? application(items.slice(1), true, ctx) : items.length === 1 && operand.kind === "expression" ? application(operand.items, true, ctx) : undefined;
    if (applied !== undefined && applied.primes === 0) return derivative(applied.fn, applied.inputs, variable, order);
    return { form: "expression", value: value(), span };
  }

  const applied = application(items, first, ctx);
  if (applied !== undefined) {
    const { fn, inputs, primes } = applied;
    if (primes > 0) {
      if (inputs.length !== 1) raise("E_SYNTAX", `a prime on '${fn.written}' of several variables is ambiguous`, span, ctx, "write \\frac{\\partial}{\\partial x} f(x, y)");
      return derivative(fn, inputs, inputs[0]!, primes);
    }
    return { form: "definition", name: fn.name, written: fn.written, inputs, span, ...(fn.known ? { value: value() } : {}) };
  }
  return { form: "expression", value: value(), span };
}

/** The variable the rest of an equation refers to: its head's input or what it differentiates by, or x. */
export function equationVariable(node: LatexNode, first: LatexSide, ctx: LowerContext): string {
  if (first.form === "derivative") return first.wrt;
  if (first.form === "definition" && first.inputs.length === 1) return first.inputs[0]!;
  const leading = node.type === "juxt" ? node.items[0]! : node;
  return (leading.type === "frac" ? derivativeFraction(leading, ctx)?.variable : undefined) ?? "x";
}
