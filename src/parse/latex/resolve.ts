/**
 * From what the LaTeX says to what it means. The LaTeX tree is lowered to the formula
 * language's Syntax, so that src/parse/resolve.ts resolves names, checks arities and suggests
 * spellings exactly as it does for formulas; lowering only decides what needs the scope:
 * whether `f (x)` is a call or a product (function-refs.ts), which letters form a name
 * (words.ts), what `\frac{d}{dx}` (derivatives.ts) and a prime apply to. The sides of an
 * equation are told apart in sides.ts.
 */
import type { Definition, Scope } from "../../ast/definition.js";
import type { Expr } from "../../ast/nodes.js";
import { functionNames, lookupFunction } from "../../functions/table.js";
import { resolveSide, type IndexNotation } from "../resolve.js";
import { didYouMean } from "../suggest.js";
import { join, syntaxNodes, type Span, type Syntax } from "../syntax.js";
import { diffSyntax, nameSyntax, numberSyntax, raise, spanBetween, written, type LowerContext } from "./context.js";
import { derivativeFraction } from "./derivatives.js";
import { argumentGroup, callSyntax, functionRef, integerLiteral, peel, soleVariable, variableName, type FnRef, type Peeled } from "./function-refs.js";
import { callable, EXPANSIONS, INVERSES } from "./names.js";
import { latexNodes, subscriptBase } from "./notation.js";
import type { CaseRow, CompareSymbol, LatexNode } from "./syntax.js";
import { expandWords } from "./words.js";

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
export function vectorFunctionElement(node: LatexNode, ctx: LowerContext): { readonly definition: Definition; readonly node: Subscript } | undefined {
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

