/**
 * Names in LaTeX: which function a written name denotes (knownFunction), whether a node names a
 * function applied there or a variable (functionRef, variableName), the primes and powers on a
 * function's name or on its parentheses, and the call it makes.
 */
import type { Scope } from "../../ast/definition.js";
import { lookupFunction } from "../../functions/table.js";
import type { ParamArg, Span, Syntax } from "../syntax.js";
import { VECTOR_BUILTINS } from "../vectors.js";
import { nameSyntax, written, type LowerContext } from "./context.js";
import { bySpelling, EXPANSIONS, expandCall, firstCallable, FUNCTION_LETTERS, GREEK_FUNCTIONS } from "./names.js";
import type { LatexNode } from "./syntax.js";

// ---------------------------------------------------------------------------------------------
// Names

/** `relu - softplus` and `relu–softplus` → relu_softplus; `Leaky ReLU` → Leaky_ReLU. */
const normalise = (name: string): string => name.trim().replace(/\s*[-–—]\s*/g, "-").replace(/[\s-]+/g, "_");

/**
 * The function a written name denotes, if any: a definition in scope first (it shadows a
 * builtin, as in resolve.ts), then a builtin or a function the reader expands (sech, Φ); then
 * any common spelling of one (names.ts), since documents write ReLU, LReLU, HardTanh and
 * Softplus. A single letter must match exactly: F and f are different functions.
 */
export function knownFunction(name: string, scope: Scope): string | undefined {
  const n = normalise(name);
  if (scope.lookup(n) !== undefined) return n;
  const builtin = lookupFunction(n);
  if (builtin !== undefined) return builtin;
  if ([...n].length < 2) return undefined;
  if (Object.hasOwn(EXPANSIONS, n)) return n;
  return bySpelling(n, scope);
}

/** The name an unknown function is reported under: `Foo Bar` → foo_bar, but `f` stays `f`. */
export const unknownName = (name: string): string => ([...name].length < 2 ? name : normalise(name).toLowerCase());

/** The variable a node names, if it is one: `x`, `\beta`, `y_{i}`, `\mathrm{negative\_slope}`. */
export function variableName(node: LatexNode): string | undefined {
  switch (node.type) {
    case "word": return node.text.length === 1 && node.text !== "e" ? node.text : undefined;
    case "greek": return node.name === "pi" ? undefined : node.name;
    // `\sigma_1`: σ with a subscript is a name, as σ alone is where nothing is applied to it.
    case "function": return node.name === "sigmoid" ? "sigma" : undefined;
    case "text": return /^[A-Za-z][A-Za-z0-9_]*$/.test(node.content) && node.content !== "e" && node.content !== "d" ? node.content : undefined;
    case "subscript": {
      const base = variableName(node.base);
      return base === undefined ? undefined : `${base}_${node.index}`;
    }
    default: return undefined;
  }
}

/** A function named in the LaTeX, known or not. */
export interface FnRef {
  readonly name: string;
  readonly written: string;
  readonly span: Span;
  readonly known: boolean;
  /** A function command (`\ln`) may take its argument without parentheses: `\ln 2`. */
  readonly command: boolean;
}

/**
 * Whether `core` names a function. Unknown names count only where a call is the likely
 * reading, so that resolve.ts can say "unknown function" and suggest a spelling: a word of
 * three or more letters, f, g or h, `\operatorname{…}` or `\text{…}` before parentheses (and in a
 * definition `\mathrm{…}` too). Elsewhere `\mathrm{…}` and Greek letters are variables unless
 * known, since toLatex prints variables that way and `\alpha (e^{x} - 1)` is a product.
 */
export function functionRef(core: LatexNode, followedByGroup: boolean, ctx: LowerContext, primed = false): FnRef | undefined {
  const ref = (name: string, known: boolean, command = false): FnRef => ({ name, written: written(core.span, ctx), span: core.span, known, command });
  // `f'(x)` is a derivative whatever f is; as a product f'·x it would mean nothing.
  const surelyCalled = primed && followedByGroup;
  const declared = (name: string): boolean => ctx.variables?.has(name) === true;
  switch (core.type) {
    case "function": return ref(core.name, true, true);
    case "word": {
      const known = knownFunction(core.text, ctx.scope);
      if (known !== undefined) return ref(known, true);
      // `g(a x)` calls g: an unknown function, never g·(a·x).
      const letter = FUNCTION_LETTERS.has(core.text) && followedByGroup && !declared(core.text);
      return (core.text.length >= 3 && followedByGroup) || surelyCalled || letter ? ref(unknownName(core.text), false) : undefined;
    }
    case "greek": {
      if (ctx.scope.lookup(core.name) !== undefined) return ref(core.name, true);
      if (!followedByGroup || declared(core.name)) return surelyCalled ? ref(core.name, false) : undefined;
      // Φ(x) and φ(x): the normal cdf and pdf; ψ(x) a function the formula does not define.
      const named = Object.hasOwn(GREEK_FUNCTIONS, core.name) ? firstCallable(GREEK_FUNCTIONS[core.name]!, ctx.scope) : undefined;
      if (named !== undefined) return ref(named, true);
      return surelyCalled || FUNCTION_LETTERS.has(core.name) ? ref(core.name, false) : undefined;
    }
    case "text": {
      // A parameter the definition declares, `\text{threshold}`, is that parameter wherever nothing is applied to it.
      if (declared(core.content) && !followedByGroup) return undefined;
      const known = knownFunction(core.content, ctx.scope);
      // …and so is a catalog function's name set upright with nothing applied to it (`x > \text{threshold}`):
      // a catalog activation is never a value, its name there is a parameter of the same name.
      if (!followedByGroup && known !== undefined && lookupFunction(known) === undefined && ctx.scope.lookup(known) !== undefined) return undefined;
      // `\mathrm{max}\{0, x\}`, `\operatorname{exp} x`: a builtin's name set upright is its command.
      if (known !== undefined) return ref(known, true, ctx.scope.lookup(known) === undefined);
      // \mathrm{softmax}(x)_{i}: a function of vectors, called.
      if (Object.hasOwn(VECTOR_BUILTINS, core.content) && followedByGroup) return ref(core.content, true);
      // In a definition, `\mathrm{Foo}(x)` is a call unless Foo is declared.
      const inDefinition = ctx.variables !== undefined && followedByGroup && !declared(core.content) && [...core.content].length > 1;
      const isOperator = core.command.startsWith("\\operatorname") || (core.command === "\\text" && followedByGroup) || surelyCalled || inDefinition;
      return isOperator ? ref(unknownName(core.content), false) : undefined;
    }
    default: return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Postfix: primes and powers on a function name or on its parentheses

export interface Peeled { readonly core: LatexNode; readonly primes: number; readonly power?: LatexNode }

export function peel(node: LatexNode): Peeled {
  if (node.type === "prime") return { core: node.base, primes: node.count };
  if (node.type === "power") return { core: node.base, primes: 0, power: node.exponent };
  return { core: node, primes: 0 };
}

/** Parentheses after a function, with what follows them: `(x)`, `(x)^{2}`, `(x)^{\prime}`. */
export function argumentGroup(node: LatexNode | undefined, command: boolean): (Peeled & { readonly items: readonly LatexNode[] }) | undefined {
  if (node === undefined) return undefined;
  const p = peel(node);
  if (p.core.type !== "group") return undefined;
  // `\exp{x}` and `\ln[…]` are calls; after a name only parentheses are, so `x [a + b]` is a product.
  if (p.core.delimiter !== "(" && !command) return undefined;
  return { ...p, items: p.core.items };
}

/** The variable of a call's only argument, when it is a plain variable. */
export const soleVariable = (args: readonly LatexNode[]): string | undefined => (args.length === 1 ? variableName(args[0]!) : undefined);

export function integerLiteral(node: LatexNode | undefined): number | undefined {
  if (node?.type !== "number" || !/^\d+$/.test(node.text)) return undefined;
  return Number(node.text);
}

/**
 * A call, with a definition's parameters passed as symbols of their own names: in a document,
 * `\text{ELU}(x)` next to α(e^x − 1) means elu with its parameter α, not with its default.
 */
export function callSyntax(fn: FnRef, args: readonly Syntax[], span: Span, ctx: LowerContext): Syntax {
  // sech, Φ, arsinh: built from builtins where neither the scope nor the function table has them.
  const expanded = fn.known && !ctx.scope.lookup(fn.name) && lookupFunction(fn.name) === undefined ? expandCall(fn.name, args, span) : undefined;
  if (expanded !== undefined) return expanded;
  const definition = fn.known ? ctx.scope.lookup(fn.name) : undefined;
  const params: ParamArg[] = definition !== undefined && args.length === definition.inputs.length
    ? definition.params.map((p) => ({ name: p.name, value: nameSyntax(p.name, fn.span), span: fn.span }))
    : [];
  return { type: "call", name: fn.name, nameSpan: fn.span, args, params, span };
}
