/**
 * Derivatives in LaTeX — \frac{d}{dx}, \frac{d f}{dx}, \frac{\text{d sigmoid}}{\text{d}x}, \frac{\partial}{\partial \beta}:
 * which fractions are derivatives, of what, by which variable, of which order.
 */
import { raise, written, type LowerContext } from "./context.js";
import { functionRef, integerLiteral, knownFunction, peel, unknownName, variableName, type FnRef } from "./function-refs.js";
import type { LatexNode } from "./syntax.js";

const isDifferentialMark = (n: LatexNode): boolean =>
  (n.type === "word" && n.text === "d") || (n.type === "text" && n.content === "d") || n.type === "partial";

function orderOf(power: LatexNode | undefined, ctx: LowerContext): number {
  if (power === undefined) return 1;
  const order = integerLiteral(power);
  if (order === undefined || order < 1 || order > 64) raise("E_ORDER", "the order of a derivative must be an integer from 1 to 64", power.span, ctx);
  return order!;
}

/** The denominator `dx`, `d\beta`, `\mathrm{d}x`, `\partial x`, `dx^{2}`: the variable and order. */
function differential(node: LatexNode, ctx: LowerContext): { variable: string; order: number } | undefined {
  const items = node.type === "juxt" ? node.items : [node];
  if (items.length === 1) {
    const { core, power, primes } = peel(items[0]!);
    const m = core.type === "word" ? /^d([A-Za-z])$/.exec(core.text) : core.type === "text" ? /^d ?([A-Za-z])$/.exec(core.content) : null;
    return m === null || primes > 0 ? undefined : { variable: m[1]!, order: orderOf(power, ctx) };
  }
  if (items.length === 2 && isDifferentialMark(items[0]!)) {
    const { core, power, primes } = peel(items[1]!);
    const variable = variableName(core);
    return variable === undefined || primes > 0 ? undefined : { variable, order: orderOf(power, ctx) };
  }
  return undefined;
}

/** A numerator `d`, `d^{2}`, `d f`, `dy`, `\text{d sigmoid}`: the order and what is differentiated. */
function numerator(node: LatexNode, ctx: LowerContext): { order: number; operand: LatexNode[] } | undefined {
  const items = node.type === "juxt" ? [...node.items] : [node];
  const first = items[0]!;
  if (first.type === "text") {
    const m = /^d ([^ ].*)$/.exec(first.content);
    if (m !== null) return { order: 1, operand: [{ ...first, content: m[1]! }, ...items.slice(1)] };
  }
  // `dy`: the mark and a letter in one word (but `dx` in the numerator is never a name).
  if (first.type === "word" && /^d[A-Za-z]/.test(first.text) && knownFunction(first.text, ctx.scope) === undefined) {
    const { span } = first;
    items.splice(0, 1,
      { type: "word", text: "d", span: { ...span, length: 1 } },
      { type: "word", text: first.text.slice(1), span: { ...span, offset: span.offset + 1, column: span.column + 1, length: span.length - 1 } });
  }
  const { core, power, primes } = peel(items[0]!);
  if (!isDifferentialMark(core) || primes > 0) return undefined;
  return { order: orderOf(power, ctx), operand: items.slice(1) };
}

export interface DerivativeFraction {
  readonly variable: string;
  readonly order: number;
  /** Absent for an operator `\frac{d}{dx}`, which applies to the factors after it. */
  readonly operand?: { readonly kind: "named"; readonly fn: FnRef } | { readonly kind: "expression"; readonly items: readonly LatexNode[] };
}

/** A fraction that is a derivative, or undefined for an ordinary fraction. */
export function derivativeFraction(frac: Extract<LatexNode, { type: "frac" }>, ctx: LowerContext): DerivativeFraction | undefined {
  const d = differential(frac.denominator, ctx);
  if (d === undefined) return undefined;
  const n = numerator(frac.numerator, ctx);
  if (n === undefined) return undefined;
  if (n.order !== d.order) raise("E_ORDER", `the numerator is of order ${n.order} but the denominator of order ${d.order}`, frac.span, ctx, "write \\frac{d^{2}}{dx^{2}} for a second derivative");
  if (n.operand.length === 0) return d;
  const only = n.operand.length === 1 ? n.operand[0]! : undefined;
  const fn = only === undefined ? undefined : namedOperand(only, ctx);
  return { ...d, operand: fn !== undefined ? { kind: "named", fn } : { kind: "expression", items: n.operand } };
}

/** `\tanh`, `ELU`, `\mathrm{Xwish}`, `\text{relu - softplus}` alone in a numerator: a function. */
function namedOperand(node: LatexNode, ctx: LowerContext): FnRef | undefined {
  const ref = functionRef(node, true, ctx);
  if (ref !== undefined) return ref;
  // An unknown \mathrm{Xwish} alone after `d` still names a function: the one being differentiated.
  if (node.type === "text") return { name: unknownName(node.content), written: written(node.span, ctx), span: node.span, known: false, command: false };
  return undefined;
}
