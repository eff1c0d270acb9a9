import type { Definition, Scope } from "../../ast/definition.js";
import type { Expr } from "../../ast/nodes.js";
import { fail, type ErrorCode } from "../../errors.js";
import { functionNames, lookupFunction } from "../../functions/table.js";
import { resolveSide, type IndexNotation } from "../resolve.js";
import { VECTOR_BUILTINS } from "../vectors.js";
import { didYouMean } from "../suggest.js";
import { join, syntaxNodes, type ParamArg, type Span, type Syntax } from "../syntax.js";
import { bySpelling, callable, expandCall, EXPANSIONS, firstCallable, isExpansionOnly, FUNCTION_LETTERS, GREEK_FUNCTIONS, INVERSES } from "./names.js";
import { latexNodes, subscriptBase, type LatexNotation } from "./notation.js";
import type { CaseRow, CompareSymbol, LatexNode } from "./syntax.js";

/**
 * From what the LaTeX says to what it means. The LaTeX tree is lowered to the formula
 * language's Syntax, so that src/parse/resolve.ts resolves names, checks arities and suggests
 * spellings exactly as it does for formulas; this file only decides what needs the scope:
 * whether `f (x)` is a call or a product, which letters form a name, what `\frac{d}{dx}` and
 * a prime apply to.
 */
export interface LowerContext {
  readonly source: string;
  readonly scope: Scope;
  /** The variable of primes and of `\frac{d}{dx}` written without one: the equation's input. */
  readonly variable: string;
  /** Which letters are vectors (a_j an element) and which names lengths (N), in this display. */
  readonly notation?: LatexNotation;
  /** The vectors and indices of the whole equation, for resolving each side (src/parse/resolve.ts). */
  readonly names?: IndexNotation;
  /**
   * The inputs and declared parameters of a definition being read (src/parse/latex/definition.ts).
   * There a name written as a function, `\mathrm{Foo}(x)`, is a call unless it is one of these.
   */
  readonly variables?: ReadonlySet<string>;
}

const raise = (code: ErrorCode, summary: string, span: Span, ctx: LowerContext, hint?: string): never =>
  fail(code, summary, { span, source: ctx.source, hint });

const written = (span: Span, ctx: LowerContext): string => ctx.source.slice(span.offset, span.offset + span.length);
const spanBetween = (first: { span: Span }, last: { span: Span }): Span => join(first, last);

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
const unknownName = (name: string): string => ([...name].length < 2 ? name : normalise(name).toLowerCase());

/** The variable a node names, if it is one: `x`, `\beta`, `y_{i}`, `\mathrm{negative\_slope}`. */
function variableName(node: LatexNode): string | undefined {
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
interface FnRef {
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
function functionRef(core: LatexNode, followedByGroup: boolean, ctx: LowerContext, primed = false): FnRef | undefined {
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

interface Peeled { readonly core: LatexNode; readonly primes: number; readonly power?: LatexNode }

function peel(node: LatexNode): Peeled {
  if (node.type === "prime") return { core: node.base, primes: node.count };
  if (node.type === "power") return { core: node.base, primes: 0, power: node.exponent };
  return { core: node, primes: 0 };
}

/** Parentheses after a function, with what follows them: `(x)`, `(x)^{2}`, `(x)^{\prime}`. */
function argumentGroup(node: LatexNode | undefined, command: boolean): (Peeled & { readonly items: readonly LatexNode[] }) | undefined {
  if (node === undefined) return undefined;
  const p = peel(node);
  if (p.core.type !== "group") return undefined;
  // `\exp{x}` and `\ln[…]` are calls; after a name only parentheses are, so `x [a + b]` is a product.
  if (p.core.delimiter !== "(" && !command) return undefined;
  return { ...p, items: p.core.items };
}

/** The variable of a call's only argument, when it is a plain variable. */
const soleVariable = (args: readonly LatexNode[]): string | undefined => (args.length === 1 ? variableName(args[0]!) : undefined);

function integerLiteral(node: LatexNode | undefined): number | undefined {
  if (node?.type !== "number" || !/^\d+$/.test(node.text)) return undefined;
  return Number(node.text);
}

// ---------------------------------------------------------------------------------------------
// Derivatives: \frac{d}{dx}, \frac{d f}{dx}, \frac{\text{d sigmoid}}{\text{d}x}, \frac{\partial}{\partial \beta}

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

interface DerivativeFraction {
  readonly variable: string;
  readonly order: number;
  /** Absent for an operator `\frac{d}{dx}`, which applies to the factors after it. */
  readonly operand?: { readonly kind: "named"; readonly fn: FnRef } | { readonly kind: "expression"; readonly items: readonly LatexNode[] };
}

/** A fraction that is a derivative, or undefined for an ordinary fraction. */
function derivativeFraction(frac: Extract<LatexNode, { type: "frac" }>, ctx: LowerContext): DerivativeFraction | undefined {
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

const numberSyntax = (text: string, span: Span): Syntax => ({ type: "number", text, span });
const nameSyntax = (name: string, span: Span): Syntax => ({ type: "name", name, span });

/** diff(expr, variable, order): resolve.ts turns it into a Derivative node. */
function diffSyntax(expr: Syntax, variable: string, order: number, span: Span): Syntax {
  const args = [expr, nameSyntax(variable, span), ...(order === 1 ? [] : [numberSyntax(String(order), span)])];
  return { type: "call", name: "diff", nameSpan: span, args, params: [], span };
}

/**
 * A call, with a definition's parameters passed as symbols of their own names: in a document,
 * `\text{ELU}(x)` next to α(e^x − 1) means elu with its parameter α, not with its default.
 */
function callSyntax(fn: FnRef, args: readonly Syntax[], span: Span, ctx: LowerContext): Syntax {
  // sech, Φ, arsinh: built from builtins where neither the scope nor the function table has them.
  const expanded = fn.known && !ctx.scope.lookup(fn.name) && lookupFunction(fn.name) === undefined ? expandCall(fn.name, args, span) : undefined;
  if (expanded !== undefined) return expanded;
  const definition = fn.known ? ctx.scope.lookup(fn.name) : undefined;
  const params: ParamArg[] = definition !== undefined && args.length === definition.inputs.length
    ? definition.params.map((p) => ({ name: p.name, value: nameSyntax(p.name, fn.span), span: fn.span }))
    : [];
  return { type: "call", name: fn.name, nameSpan: fn.span, args, params, span };
}

// ---------------------------------------------------------------------------------------------
// Lowering

/** The formula-language syntax of a LaTeX value or condition. */
export function lower(node: LatexNode, ctx: LowerContext): Syntax {
  switch (node.type) {
    case "juxt": case "binary": case "frac": return productOf(factorsOf(node, ctx));
    case "word": case "greek": case "function": case "text": case "power": case "prime": case "subscript": case "group": case "sum":
      return productOf(sequenceFactors([node], ctx));
    default: return lowerItem(node, ctx);
  }
}

/** One factor of a product; `inverse` for a factor of a denominator. */
interface Factor { readonly syntax: Syntax; readonly inverse: boolean }

const isNumber = (s: Syntax): boolean => s.type === "number" || (s.type === "negate" && s.arg.type === "number");

/**
 * A product is built in one pass, numbers last. The smart constructors distribute a lone
 * coefficient over a sum the moment they see `c·(a + b)`, so building `\frac{c (a + b)}{y}` as
 * (c·(a + b))/y would give a different canonical tree from c·(a + b)·y⁻¹ built at once, which is
 * what toLatex printed.
 */
function productOf(factors: readonly Factor[]): Syntax {
  const ordered = [...factors.filter((f) => !isNumber(f.syntax)), ...factors.filter((f) => isNumber(f.syntax))];
  const first = ordered[0]!;
  let result: Syntax = first.inverse ? { type: "binary", op: "/", left: numberSyntax("1", first.syntax.span), right: first.syntax, span: first.syntax.span } : first.syntax;
  for (const f of ordered.slice(1)) result = { type: "binary", op: f.inverse ? "/" : "*", left: result, right: f.syntax, span: spanBetween(result, f.syntax) };
  return result;
}

const invert = (f: Factor): Factor => ({ ...f, inverse: !f.inverse });

/** The factors of juxtaposition, `\cdot`, `/` and `\frac`, flattened across all of them. */
function factorsOf(node: LatexNode, ctx: LowerContext): Factor[] {
  switch (node.type) {
    case "juxt": return sequenceFactors(node.items, ctx);
    case "binary": {
      if (node.op === "+" || node.op === "-") break;
      const scientific = node.op === "*" ? scientificNumber(node) : undefined;
      if (scientific !== undefined) return factorsOf(scientific, ctx);
      const right = factorsOf(node.right, ctx);
      return [...factorsOf(node.left, ctx), ...(node.op === "/" ? right.map(invert) : right)];
    }
    case "frac":
      if (derivativeFraction(node, ctx) !== undefined) break;
      return [...factorsOf(node.numerator, ctx), ...factorsOf(node.denominator, ctx).map(invert)];
    case "group":
      if (node.delimiter === "(" && node.items.length === 1) return factorsOf(node.items[0]!, ctx);
      break;
    default:
      return sequenceFactors([node], ctx);
  }
  return [{ syntax: lowerItem(node, ctx), inverse: false }];
}

/** Italic letters: a known name stays whole; `ax` and `ae^{x}` are products of letters. */
function expandWords(items: readonly LatexNode[], ctx: LowerContext): LatexNode[] {
  const out: LatexNode[] = [];
  items.forEach((item, i) => {
    const word = innermostWord(item);
    if (word === undefined || word.text.length === 1 || word.text === "pi" || knownFunction(word.text, ctx.scope) !== undefined) {
      out.push(item);
      return;
    }
    const letters = /^[A-Za-z]*/.exec(word.text)![0].length;
    if (letters >= 3) {
      // Before parentheses an unknown word is a function's name (resolve.ts suggests a spelling).
      if (item === word && argumentGroup(items[i + 1], false) !== undefined) return void out.push(item);
      // `abx`, `axe^{x}`: single-letter factors, in a short run or when each letter is declared.
      const declared = [...word.text].every((c) => !/[A-Za-z]/.test(c) || ctx.variables?.has(c) === true);
      // A long word is a name, not a product of five letters: `Leaky` or a misspelt `sigmod`.
      if (letters > 4 && !declared) raise("E_UNKNOWN_NAME", `unknown name '${word.text}'`, word.span, ctx,
        didYouMean(word.text, [...functionNames(), ...ctx.scope.names()]) ?? "letters side by side multiply only in short runs: write a x, or a name as \\mathrm{name}");
    }
    const pieces = word.text.match(/[A-Za-z]|[0-9]+/g)!;
    let at = 0;
    const nodes = pieces.map((text): LatexNode => {
      const span = { ...word.span, offset: word.span.offset + at, column: word.span.column + at, length: text.length };
      at += text.length;
      return /^[0-9]/.test(text) ? { type: "number", text, span } : { type: "word", text, span };
    });
    out.push(...nodes.slice(0, -1), replaceInnermost(item, nodes[nodes.length - 1]!));
  });
  return out;
}

function innermostWord(node: LatexNode): Extract<LatexNode, { type: "word" }> | undefined {
  if (node.type === "word") return node;
  if (node.type === "power" || node.type === "prime" || node.type === "subscript") return innermostWord(node.base);
  return undefined;
}

/** `ae^{x}` → the power now applies to `e` alone. */
function replaceInnermost(node: LatexNode, piece: LatexNode): LatexNode {
  if (node.type === "power" || node.type === "prime" || node.type === "subscript") {
    const base = replaceInnermost(node.base, piece);
    return { ...node, base, span: { ...node.span, offset: piece.span.offset, column: piece.span.column, length: node.span.offset + node.span.length - piece.span.offset } };
  }
  return piece;
}

/** Factors side by side, where functions take the parentheses after them. */
function sequenceFactors(raw: readonly LatexNode[], ctx: LowerContext): Factor[] {
  const items = expandWords(raw, ctx);
  const factors: Factor[] = [];
  const push = (syntax: Syntax): void => void factors.push({ syntax, inverse: false });
  for (let i = 0; i < items.length;) {
    const item = items[i]!;
    const jacobian = jacobianElement(item, items[i + 1], ctx);
    if (jacobian !== undefined) {
      push(jacobian);
      i += 2;
      continue;
    }
    const operator = item.type === "frac" ? derivativeFraction(item, ctx) : undefined;
    if (operator !== undefined && operator.operand === undefined) {
      // `\frac{d}{dx}` reaches as far right as it can: every factor after it (toLatex's convention).
      const rest = items.slice(i + 1);
      if (rest.length === 0) raise("E_SYNTAX", `'${written(item.span, ctx)}' has nothing to differentiate`, item.span, ctx, "write \\frac{d}{dx} f(x), or \\frac{d f}{dx}");
      push(diffSyntax(productOf(sequenceFactors(rest, ctx)), operator.variable, operator.order, spanBetween(item, rest[rest.length - 1]!)));
      break;
    }
    const head = peel(item);
    const after = items[i + 1];
    const called = argumentGroup(after, false) !== undefined || (after?.type === "subscript" && argumentGroup(after.base, false) !== undefined);
    const fn = functionRef(head.core, called, ctx, head.primes > 0);
    if (fn === undefined) {
      factors.push(...(item.type === "frac" || item.type === "group" ? factorsOf(item, ctx) : [{ syntax: lowerItem(item, ctx), inverse: false }]));
      i++;
      continue;
    }
    const group = argumentGroup(items[i + 1], fn.command);
    if (group !== undefined) {
      push(applyFunction(fn, head, group.items, group, spanBetween(item, items[i + 1]!), ctx));
      i += 2;
      continue;
    }
    // `\operatorname{softmax}\left(x\right)_{i}`, as toLatex prints an element of a vector function.
    const next = items[i + 1];
    const indexed = next?.type === "subscript" ? argumentGroup(next.base, fn.command) : undefined;
    if (next?.type === "subscript" && indexed !== undefined) {
      const call = applyFunction(fn, head, indexed.items, indexed, spanBetween(item, next.base), ctx);
      push({ type: "index", target: call, index: elementIndex(next, ctx), span: spanBetween(item, next) });
      i += 2;
      continue;
    }
    // `\frac{x^2}{2\sigma^2}`: σ with nothing applied to it is a variable, the width of a Gaussian
    // (alone, only in a definition: in a document's prose `$\sigma$` names the function).
    const lone = i + 1 === items.length && ctx.variables !== undefined;
    if (head.core.type === "function" && head.core.name === "sigmoid" && head.primes === 0 && (head.power !== undefined || lone)) {
      push(head.power === undefined ? nameSyntax("sigma", item.span) : { type: "binary", op: "^", left: nameSyntax("sigma", head.core.span), right: lowerExponent(head.power, ctx), span: item.span });
      i++;
      continue;
    }
    const run = fn.command ? bareArgument(items, i + 1) : 0;
    if (run === 0) raise("E_TYPE", `'${fn.written}' needs an argument`, fn.span, ctx, `write ${fn.written}(x)`);
    const argument = items.slice(i + 1, i + 1 + run);
    push(applyFunction(fn, head, [argument.length === 1 ? argument[0]! : { type: "juxt", items: argument, span: spanBetween(argument[0]!, argument[run - 1]!) }],
      { core: item, primes: 0 }, spanBetween(item, argument[run - 1]!), ctx));
    i += 1 + run;
  }
  return factors;
}

/**
 * How many items after a function command form its argument without parentheses: `\ln 2`,
 * `\sin 2 \pi x`, `\exp x^{2}`: the letters and numbers up to the next anything else, or one
 * fraction, root or absolute value.
 */
function bareArgument(items: readonly LatexNode[], start: number): number {
  const simple = (n: LatexNode): boolean => {
    const core = n.type === "power" || n.type === "subscript" ? n.base : n;
    return core.type === "number" || core.type === "greek" || (core.type === "word" && core.text.length === 1) || (core.type === "text" && variableName(core) !== undefined);
  };
  let k = start;
  while (k < items.length && simple(items[k]!)) k++;
  if (k > start) return k - start;
  const next = items[start]?.type;
  return next === "frac" || next === "sqrt" || next === "abs" || next === "sum" ? 1 : 0;
}

/** `f(args)` with the function's own primes or power (`\sigma'(x)`, `\tanh^{2}(x)`) and the group's. */
function applyFunction(fn: FnRef, head: Peeled, args: readonly LatexNode[], after: Peeled, span: Span, ctx: LowerContext): Syntax {
  if (head.power !== undefined) lowerExponent(head.power, ctx); // `g^{[j]}(z)`: an index, not a power
  if (!fn.known && head.primes === 0 && after.primes === 0) unknownFunction(fn, ctx);
  let result: Syntax = callSyntax(fn, args.map((a) => lower(a, ctx)), span, ctx);
  if (head.primes > 0) {
    const variable = soleVariable(args);
    if (variable === undefined) {
      raise("E_SYNTAX", `the derivative ${fn.written}' is read only at a variable, as in ${fn.written}'(x)`, span, ctx, "a derivative evaluated at an expression is not supported; write it out");
    }
    result = diffSyntax(result, variable!, head.primes, span);
  }
  if (head.power !== undefined && isMinusOne(head.power)) {
    // \sinh^{-1}(x), \tan^{-1} x: the inverse function, not a reciprocal.
    const inverse = Object.hasOwn(INVERSES, fn.name) ? INVERSES[fn.name]! : undefined;
    if (inverse === undefined || !callable(lookupFunction(inverse) ?? inverse, ctx.scope)) {
      raise("E_UNSUPPORTED", `'${fn.written}^{-1}': actdiff knows no inverse of ${fn.name}`, head.power.span, ctx, "write the inverse out, or write (f(x))^{-1} for a reciprocal");
    }
    const inverseFn: FnRef = { ...fn, name: lookupFunction(inverse!) ?? inverse!, known: true };
    return applyFunction(inverseFn, { core: head.core, primes: head.primes }, args, after, span, ctx);
  }
  if (head.power !== undefined) {
    const k = integerLiteral(head.power);
    if (k === undefined || k < 1) {
      raise("E_SYNTAX", `a superscript on '${fn.written}' must be a positive integer power, as in ${fn.written}^{2}(x)`, head.power.span, ctx, `^{-1} is the inverse function; write another power of a value as (${fn.written}(x))^{-2}`);
    }
    result = { type: "binary", op: "^", left: result, right: lower(head.power, ctx), span };
  }
  if (after.power !== undefined) result = { type: "binary", op: "^", left: result, right: lowerExponent(after.power, ctx), span };
  if (after.primes > 0) result = diffSyntax(result, soleVariable(args) ?? ctx.variable, after.primes, span);
  return result;
}

/**
 * A name applied to parentheses that names no function: an error, never a product. `g(a x)` is
 * not g·(a·x); a letter that multiplies is declared as a parameter, or written with \cdot.
 */
function unknownFunction(fn: FnRef, ctx: LowerContext): never {
  const candidates = [...functionNames(), ...ctx.scope.names(), ...Object.keys(EXPANSIONS)];
  const letter = [...fn.name].length === 1;
  const hint = didYouMean(fn.name, candidates) ?? (letter
    ? `${fn.written} is no function actdiff knows: for a product write ${fn.written} \\cdot (…), or declare ${fn.written} a parameter, f(x; ${fn.name}) = …`
    : "run `actdiff list` for the catalog, or define it first");
  return raise("E_UNKNOWN_NAME", `unknown function '${fn.name}'`, fn.span, ctx, hint);
}

const isMinusOne = (n: LatexNode): boolean => n.type === "negate" && integerLiteral(n.arg) === 1;

/** `z^{[j]}` and `f^{(n)}` are indices in the documents, not powers; better unread than misread. */
function lowerExponent(exponent: LatexNode, ctx: LowerContext): Syntax {
  if (exponent.type === "group" && exponent.delimiter !== "{") {
    raise("E_SYNTAX", `a superscript in brackets such as ^{${written(exponent.span, ctx)}} is an index, not a power`, exponent.span, ctx, "write a power without brackets around the whole exponent");
  }
  return lower(exponent, ctx);
}

function lowerItem(node: LatexNode, ctx: LowerContext): Syntax {
  const { span } = node;
  switch (node.type) {
    case "number": return numberSyntax(node.text, span);
    case "word": {
      // N, where the display says it is a vector's length (\sum_{k=1}^{N} e^{a_k}).
      const vector = ctx.notation?.lengths.get(node.text);
      if (vector !== undefined) return { type: "call", name: "len", nameSpan: span, args: [nameSyntax(vector, span)], params: [], span };
      if (node.text.length === 1 || node.text === "pi") return nameSyntax(node.text, span);
      return raise("E_UNKNOWN_NAME", `unknown name '${node.text}'`, span, ctx);
    }
    case "greek": return nameSyntax(node.name, span);
    case "function": return raise("E_TYPE", `'${written(span, ctx)}' needs an argument`, span, ctx, `write ${written(span, ctx)}(x)`);
    case "text": {
      if (node.content === "e") return nameSyntax("e", span);
      const name = variableName(node);
      if (name === undefined) return raise("E_SYNTAX", `'${written(span, ctx)}' is not a value`, span, ctx, "text in a formula must name a function or a variable");
      return nameSyntax(name, span);
    }
    case "partial": return raise("E_SYNTAX", "'\\partial' outside a derivative", span, ctx, "write \\frac{\\partial}{\\partial x} f(x)");
    case "group":
      if (node.items.length !== 1) return raise("E_TYPE", "a list in parentheses is not a value", span, ctx, "only a function takes several arguments: \\max(a, b)");
      return lower(node.items[0]!, ctx);
    case "abs": return { type: "call", name: "abs", nameSpan: span, args: [lower(node.arg, ctx)], params: [], span };
    case "frac": {
      const d = derivativeFraction(node, ctx);
      if (d === undefined) return productOf(factorsOf(node, ctx));
      if (d.operand === undefined) return raise("E_SYNTAX", `'${written(span, ctx)}' has nothing to differentiate`, span, ctx, "write \\frac{d}{dx} f(x), or \\frac{d f}{dx}");
      const operand = d.operand.kind === "named"
        ? callSyntax(d.operand.fn, [nameSyntax(d.variable, d.operand.fn.span)], d.operand.fn.span, ctx)
        : productOf(sequenceFactors(d.operand.items, ctx));
      return diffSyntax(operand, d.variable, d.order, span);
    }
    case "sqrt": {
      const arg = lower(node.arg, ctx);
      if (node.index === undefined) return { type: "call", name: "sqrt", nameSpan: span, args: [arg], params: [], span };
      const exponent: Syntax = { type: "binary", op: "/", left: numberSyntax("1", node.index.span), right: lower(node.index, ctx), span: node.index.span };
      return { type: "binary", op: "^", left: arg, right: exponent, span };
    }
    case "cases": return lowerCases(node.rows, span, ctx);
    case "indicator": return { type: "cases", branches: [{ when: lower(node.when, ctx), then: numberSyntax("1", span) }], otherwise: numberSyntax("0", span), span };
    case "power":
      // e^{u} is exp(u) even where u is 0 or 1: toLatex prints exp(1) as e^{1}, and pow(e, 1) is e.
      if ((node.base.type === "word" || node.base.type === "text") && (node.base.type === "word" ? node.base.text : node.base.content) === "e") {
        return { type: "call", name: "exp", nameSpan: node.base.span, args: [lowerExponent(node.exponent, ctx)], params: [], span };
      }
      return { type: "binary", op: "^", left: lower(node.base, ctx), right: lowerExponent(node.exponent, ctx), span };
    case "prime": return diffSyntax(lower(node.base, ctx), ctx.variable, node.count, span);
    case "subscript": return lowerSubscript(node, ctx);
    case "sum": return lowerSum(node, ctx);
    case "matrix":
      return raise("E_UNSUPPORTED", "a matrix or a vector written out is not a value here", span, ctx, "actdiff reads equations between elements (S_i, D_j S_i) and the map S(a) : [a_1 … a_N] \rightarrow [S_1 … S_N]");
    case "dots": return raise("E_SYNTAX", `'${written(span, ctx)}' stands for elements left out; it is read only in a vector's elements and an index's range`, span, ctx);
    case "juxt": return productOf(sequenceFactors(node.items, ctx));
    case "binary":
      if (node.op === "*" || node.op === "/") return productOf(factorsOf(node, ctx));
      return { type: "binary", op: node.op, left: lower(node.left, ctx), right: lower(node.right, ctx), span };
    case "negate": return { type: "negate", arg: lower(node.arg, ctx), span };
    case "compare": {
      const bounded = finiteComparisons(node, ctx);
      if (bounded.length === 0) return raise("E_SYNTAX", `'${written(span, ctx)}' always holds`, span, ctx, "write it as the last row of cases, \\text{otherwise}");
      const pairs: Syntax[] = bounded.map(({ op, left, right }) => {
        const [l, r] = [lower(left, ctx), lower(right, ctx)];
        return { type: "compare", op, left: l, right: r, span: spanBetween(l, r) };
      });
      return pairs.reduce((left, right) => ({ type: "logic", op: "and", left, right, span }));
    }
    case "infinity": return raise("E_UNSUPPORTED", "'\\infty' is read only as the bound of a condition, as in 1 < x < \\infty", span, ctx, "for a limit, write the function itself; actdiff finds its asymptotes (actdiff props)");
    case "logic": return { type: "logic", op: node.op, left: lower(node.left, ctx), right: lower(node.right, ctx), span };
    case "not": return { type: "not", arg: lower(node.arg, ctx), span };
  }
}

/**
 * `1.6 \times 10^{-5}` is one number, read exactly: as a product the power would stay unfolded
 * past the smart constructors' size limit (toLatex writes 1e-300 as 1 \times 10^{-300}). The
 * mantissa is the last factor of the left operand, so the number stays where it was written:
 * in `\frac{d}{dx} 1 \times 10^{-8}` it is what the derivative applies to.
 */
function scientificNumber(node: Extract<LatexNode, { type: "binary" }>): LatexNode | undefined {
  const rest = node.right.type === "juxt" ? node.right.items : [node.right];
  const power = rest[0]!;
  if (power.type !== "power" || power.base.type !== "number" || power.base.text !== "10") return undefined;
  const e = power.exponent;
  const k = e.type === "negate" ? integerLiteral(e.arg) : integerLiteral(e);
  const items = node.left.type === "juxt" ? node.left.items : [node.left];
  const mantissa = items[items.length - 1]!;
  if (k === undefined || mantissa.type !== "number" || !/^[0-9.]+$/.test(mantissa.text)) return undefined;
  const number: LatexNode = { type: "number", text: `${mantissa.text}e${e.type === "negate" ? "-" : ""}${k}`, span: spanBetween(mantissa, power) };
  const left: LatexNode = items.length === 1 ? number : { type: "juxt", items: [...items.slice(0, -1), number], span: spanBetween(node.left, power) };
  if (rest.length === 1) return left;
  const right: LatexNode = rest.length === 2 ? rest[1]! : { type: "juxt", items: rest.slice(1), span: spanBetween(rest[1]!, rest[rest.length - 1]!) };
  return { type: "binary", op: "*", left, right, span: node.span };
}

/**
 * Rows in order, the first whose condition holds wins. The last row is the `otherwise` even when
 * it states a condition (`0, x < 0`): documents list pieces that cover the line, and the AST has
 * no value for "undefined".
 */
function lowerCases(allRows: readonly CaseRow[], span: Span, ctx: LowerContext): Syntax {
  // A row for x > 0 that is `0 < x < \infty` holds wherever it is reached: the rows after it are never used.
  const always = allRows.findIndex((r) => r.when?.type === "compare" && finiteComparisons(r.when, ctx).length === 0);
  const rows = always === -1 ? allRows : allRows.slice(0, always + 1);
  const last = rows[rows.length - 1]!;
  if (rows.length === 1) return lower(last.value, ctx);
  const branches = rows.slice(0, -1).map((row) => {
    if (row.when === undefined) raise("E_SYNTAX", "only the last row of cases can be 'otherwise'", row.span, ctx);
    return { when: lower(row.when!, ctx), then: lower(row.value, ctx) };
  });
  return { type: "cases", branches, otherwise: lower(last.value, ctx), span };
}

type Comparison = Extract<LatexNode, { type: "compare" }>;
const isInfinity = (n: LatexNode): boolean => n.type === "infinity" || (n.type === "group" && n.items.length === 1 && isInfinity(n.items[0]!));
const isMinusInfinity = (n: LatexNode): boolean => n.type === "negate" && isInfinity(n.arg);

/**
 * The comparisons of a chain that say something: `x < \infty` and `-\infty < x` hold for every
 * number and are left out, so `1 < x < \infty` is 1 < x. One that never holds is an error.
 */
function finiteComparisons(node: Comparison, ctx: LowerContext): { op: CompareSymbol; left: LatexNode; right: LatexNode }[] {
  const kept: { op: CompareSymbol; left: LatexNode; right: LatexNode }[] = [];
  node.ops.forEach((op, i) => {
    const [left, right] = [node.operands[i]!, node.operands[i + 1]!];
    const below = op === "<" || op === "<=";
    const above = op === ">" || op === ">=";
    const holds = (isInfinity(right) && below) || (isMinusInfinity(left) && below) || (isInfinity(left) && above) || (isMinusInfinity(right) && above);
    if (holds) return;
    if ([left, right].some((n) => isInfinity(n) || isMinusInfinity(n))) {
      raise("E_SYNTAX", `'${written(spanBetween(left, right), ctx)}' never holds for a number`, spanBetween(left, right), ctx, "compare with \\infty only as an upper bound, x < \\infty");
    }
    kept.push({ op, left, right });
  });
  return kept;
}

/** The expression a lowered value denotes, with names resolved by src/parse/resolve.ts. */
export const resolveLowered = (syntax: Syntax, ctx: LowerContext): Expr =>
  resolveSide(syntax, ctx.source, ctx.scope, ctx.names ?? NO_NAMES, shadowingNames(syntax, ctx.scope));

/**
 * The variables of lowered LaTeX that a builtin or a function in scope also names: `\delta` in
 * `\mathrm{erf}(\gamma \ln(1 + e^{\delta x}))` is a parameter, not the Kronecker delta. A name
 * node of lowered LaTeX is always a variable: a function written without its argument was
 * reported while lowering.
 */
function shadowingNames(syntax: Syntax, scope: Scope): Set<string> {
  const names = new Set<string>();
  // …and a catalog function's name: `\text{threshold}`, torch's parameter of threshold().
  for (const s of syntaxNodes(syntax)) if (s.type === "name" && (lookupFunction(s.name) !== undefined || scope.lookup(s.name) !== undefined)) names.add(s.name);
  return names;
}

const NO_NAMES: IndexNotation = { vectors: new Set(), indices: new Set() };

// ---------------------------------------------------------------------------------------------
// Index notation: elements, sums, the Kronecker delta, D_j S_i

type Subscript = Extract<LatexNode, { type: "subscript" }>;

/** A function of vectors that gives a vector, which the scope defines: S after `S_j = e^{a_j} / \sum_k e^{a_k}`. */
function vectorFunction(name: string, scope: Scope): Definition | undefined {
  const d = scope.lookup(name);
  return d?.output !== undefined && (d.vectors?.length ?? 0) > 0 ? d : undefined;
}

/** `S_i` where S is a vector function in scope: the definition and the index. */
function vectorFunctionElement(node: LatexNode, ctx: LowerContext): { readonly definition: Definition; readonly node: Subscript } | undefined {
  if (node.type !== "subscript" || node.base.type !== "word") return undefined;
  const definition = vectorFunction(node.base.text, ctx.scope);
  return definition === undefined ? undefined : { definition, node };
}

/** The index of an element as the formula language writes it: a letter, or a number counted from 1 here (a_1 is element 0). */
function elementIndex(node: Subscript, ctx: LowerContext): Syntax {
  const { index, span } = node;
  if (/^[A-Za-z]$/.test(index)) return nameSyntax(index, span);
  if (/^[0-9]+$/.test(index)) {
    if (Number(index) < 1) raise("E_SYNTAX", `'${written(span, ctx)}': elements are counted from 1 here, as in a_1 … a_N`, span, ctx);
    return numberSyntax(String(Number(index) - 1), span);
  }
  return raise("E_SYNTAX", `'${written(span, ctx)}': an element of a vector has one index, a letter or a number`, span, ctx, "write a_{j}, or a_{1} for the first element");
}

/**
 * `\delta_{ij}` is the Kronecker delta; `a_j` an element of a vector a; `S_i` of the vector a
 * function S gives; anything else a name with a subscript (y_i), as before vectors.
 */
function lowerSubscript(node: Subscript, ctx: LowerContext): Syntax {
  const { span } = node;
  if (node.base.type === "greek" && node.base.name === "delta" && /^[A-Za-z]{2}$/.test(node.index) && ctx.scope.lookup("delta") === undefined) {
    const [i, j] = [...node.index];
    return { type: "call", name: "delta", nameSpan: node.base.span, args: [nameSyntax(i!, span), nameSyntax(j!, span)], params: [], span };
  }
  // `(x)_+`, `[x]_+`, `x_+`: the positive part, max(0, x).
  if (node.index === "+") return { type: "call", name: "max", nameSpan: span, args: [numberSyntax("0", span), lower(node.base, ctx)], params: [], span };
  const base = subscriptBase(node);
  if (base !== undefined && ctx.notation?.vectors.has(base) === true) return { type: "index", target: nameSyntax(base, node.base.span), index: elementIndex(node, ctx), span };
  const element = vectorFunctionElement(node, ctx);
  if (element !== undefined) {
    const { definition } = element;
    const target: Syntax = { type: "call", name: definition.name, nameSpan: node.base.span, args: definition.inputs.map((i) => nameSyntax(i, node.base.span)), params: [], span: node.base.span };
    return { type: "index", target, index: elementIndex(node, ctx), span };
  }
  const name = variableName(node);
  if (name === undefined) return raise("E_SYNTAX", "a subscript is read only on a letter, as in y_{i}", span, ctx);
  return nameSyntax(name!, span);
}

/**
 * `\sum_{k=1}^{N} body`: Σ over the elements of the vectors the body reads at k. Over 1 … N (N a
 * length) it is the whole vector, sum(body, k); over 1 … n, n a number, the first n elements.
 */
function lowerSum(node: Extract<LatexNode, { type: "sum" }>, ctx: LowerContext): Syntax {
  const { limits, span } = node;
  const example = "\sum_{k=1}^{N} e^{a_{k}}";
  if (node.body === undefined) return raise("E_SYNTAX", `'${written(limits, ctx)}' has nothing to sum`, limits, ctx, `write what it sums after it: ${example}`);
  if (node.index === undefined) return raise("E_SYNTAX", `'${written(limits, ctx)}' needs the index it runs over`, limits, ctx, `write ${example}`);
  const k = node.index.name;
  if (!/^[A-Za-z]$/.test(k)) raise("E_SYNTAX", `the index of a sum is one letter, not '${k}'`, node.index.span, ctx, `write ${example}`);
  if (node.from !== undefined && integerLiteral(node.from) !== 1) {
    raise("E_UNSUPPORTED", `a sum from ${k} = ${written(node.from.span, ctx)}: actdiff reads sums over the elements counted from 1`, node.from.span, ctx, `write ${example}`);
  }
  const reads = [...latexNodes(node.body)].some((n) => n.type === "subscript" && n.index === k && (subscriptBase(n) !== undefined || vectorFunctionElement(n, ctx) !== undefined));
  if (!reads) raise("E_TYPE", `the sum over ${k} reads no element of a vector at ${k}`, limits, ctx, `actdiff reads sums over the elements of a vector, as in ${example}`);
  const body = lower(node.body, ctx);
  const to = node.to;
  const isLength = to === undefined || (to.type === "word" && to.text.length === 1) || to.type === "greek";
  if (isLength) return { type: "call", name: "sum", nameSpan: limits, args: [body, nameSyntax(k, node.index.span)], params: [], span };
  const n = integerLiteral(to);
  if (n === undefined || n < 1) {
    return raise("E_UNSUPPORTED", `the upper limit of a sum is the vector's length (N) or a number of elements, not '${written(to.span, ctx)}'`, to.span, ctx, `write ${example}`);
  }
  return { type: "call", name: "sum", nameSpan: limits, args: [body, nameSyntax(k, node.index.span), numberSyntax("0", to.span), numberSyntax(String(n), to.span)], params: [], span };
}

/** `D_{j} S_{i}`: ∂S_i/∂a_j, for S a vector function of the one vector a. */
function jacobianElement(d: LatexNode, element: LatexNode | undefined, ctx: LowerContext): Syntax | undefined {
  if (d.type !== "subscript" || d.base.type !== "word" || d.base.text !== "D" || !/^[A-Za-z]$/.test(d.index) || element === undefined) return undefined;
  const target = vectorFunctionElement(element, ctx);
  const vectors = target?.definition.vectors ?? [];
  if (target === undefined || vectors.length !== 1) return undefined;
  return diffSyntax(lowerSubscript(target.node, ctx), `${vectors[0]}_${d.index}`, 1, join(d, element));
}

// ---------------------------------------------------------------------------------------------
// Sides of an equation

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
