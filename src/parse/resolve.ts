import {
  add, addAll, call, compare, constant, derivative, div, elem, idx, len, logic, MINUS_ONE, mul, mulAll, neg, not, num, piecewise, pow, sub, sym,
} from "../ast/build.js";
import { OUTPUT_INDEX, type Definition, type ParamSpec, type RandomVariable, type Scope } from "../ast/definition.js";
import { isCondition, type Expr, type ReduceOp } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import { fromDecimalString } from "../ast/rational.js";
import { freeSymbols, substitute } from "../ast/walk.js";
import { elementVariable } from "../diff/diff.js";
import { fail, type ErrorCode } from "../errors.js";
import { checkLiteral } from "../limits.js";
import { fnSpec, functionNames, isReservedFunctionName, lookupFunction, type FnName } from "../functions/table.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { DISTRIBUTIONS, distributionNames, lookupDistribution } from "../random/distributions.js";
import { didYouMean } from "./suggest.js";
import type { ClaimSyntax, DefinitionSyntax, RandomSyntax, Span, Syntax, TopLevel } from "./syntax.js";
import {
  ELEMENT_NAME, indexNamesIn, indexReduction, instantiateVectors, isVector, KRONECKER, lift, VECTOR_BUILTINS, vectorInput, vectorNamesIn,
  type Resolved, type VectorValue,
} from "./vectors.js";

/** Names that are not functions: constants and the derivative operator. */
const CONSTANTS = { pi: "pi", e: "e" } as const;
const DERIVATIVE_OPERATOR = "diff";
// Own keys only: `constructor` or `toString` are plain names, not inherited members.
const isConstantName = (name: string): name is keyof typeof CONSTANTS => Object.hasOwn(CONSTANTS, name);

interface Context {
  readonly source: string;
  readonly scope: Scope;
  /** Inputs and parameters of the definition being resolved; undefined in a bare expression. */
  readonly bound?: ReadonlySet<string>;
  /** The names that are vectors: `x[]` inputs, or in a claim the names it passes as vectors. */
  readonly vectors?: ReadonlySet<string>;
  /** In a claim, the names used as indices (x_j, delta(i, j)): `i == j` there compares indices. */
  readonly indices?: ReadonlySet<string>;
  /**
   * Names that must not appear here, each with its error: random variables in a parameter's
   * default, inputs and random variables in a distribution's arguments.
   */
  readonly forbidden?: ReadonlyMap<string, Forbidden>;
  /** Names that are variables here although a builtin function has them: LaTeX's \delta, a parameter. */
  readonly variables?: ReadonlySet<string>;
}

interface Forbidden { readonly code: ErrorCode; readonly summary: string; readonly hint: string }

const callableNames = (ctx: Context): string[] => [...functionNames(), ...ctx.scope.names(), DERIVATIVE_OPERATOR];

/**
 * Turns a parsed definition into a Definition, resolving every name against `scope`. Random
 * variables (`where a ~ uniform(lower, upper)`) are symbols of the body as written; the
 * Definition's body is its evaluation form, each replaced by its distribution's mean.
 */
export function resolveDefinition(syntax: DefinitionSyntax, source: string, scope: Scope): Definition {
  const seen = new Set<string>();
  for (const v of [...syntax.inputs, ...syntax.params]) {
    if (seen.has(v.name)) fail("E_DEFINITION", `'${v.name}' is declared twice`, { span: v.span, source });
    if (isConstantName(v.name) || isReservedFunctionName(v.name) || Object.hasOwn(VECTOR_BUILTINS, v.name)) {
      fail("E_DEFINITION", `'${v.name}' is a builtin name and cannot be an input or parameter`, { span: v.span, source, hint: "choose another name" });
    }
    seen.add(v.name);
  }
  const vectors = syntax.inputs.filter((i) => i.vector === true).map((i) => i.name);
  const randomSyntax = syntax.randoms ?? [];
  const randomNames = declareRandoms(syntax, source);
  const inRandom = (what: string) => new Map(randomNames.map((n): [string, Forbidden] => [n, {
    code: "E_PARAM", summary: `${what} uses the random variable '${n}'`,
    hint: "it is fixed for a whole call, while a random variable is drawn for every element: use constants",
  }]));
  const params: ParamSpec[] = syntax.params.map((p) => {
    if (p.defaultValue === undefined) return { name: p.name };
    const value = resolveValue(p.defaultValue, { source, scope, forbidden: inRandom(`the default of '${p.name}'`) });
    if (value.kind !== "num" && value.kind !== "const" && [...freeSymbols(value)].length > 0) {
      fail("E_PARAM", `the default of '${p.name}' must be a constant`, { span: p.defaultValue.span, source });
    }
    return { name: p.name, defaultValue: value };
  });
  const inputs = syntax.inputs.map((i) => i.name);
  const randoms = randomSyntax.map((r) => resolveRandom(r, { source, scope, bound: new Set(params.map((p) => p.name)) }, inputs, randomNames));
  const ctx: Context = { source, scope, bound: new Set([...seen, ...randomNames]), vectors: new Set(vectors) };
  const resolved = resolve(syntax.body, ctx);
  // A vector-valued body is kept as its element at the output index.
  const shape = isVector(resolved)
    ? { body: resolved.at(idx(OUTPUT_INDEX)), output: { length: resolved.length } }
    : { body: requireNumber(resolved, syntax.body, ctx) };
  const body = shape.body;
  if (randoms.length === 0) return { name: syntax.name, inputs, params, ...(vectors.length > 0 && { vectors }), ...shape, source };
  randomSyntax.forEach((r) => {
    if (!freeSymbols(body).has(r.name)) {
      fail("E_DEFINITION", `the random variable '${r.name}' is drawn but never used`, { span: r.nameSpan, source, hint: `use it in the body, or remove '${r.name} ~ ${r.distribution}(…)'` });
    }
  });
  const means = new Map(randoms.map((r) => [r.name, DISTRIBUTIONS[r.distribution].mean(r.args)]));
  return { name: syntax.name, inputs, params, body: substitute(body, means), source, stochastic: { body, randoms } };
}

/** The names of the random variables, each new: not an input, a parameter, a builtin or another random variable. */
function declareRandoms(syntax: DefinitionSyntax, source: string): string[] {
  const names: string[] = [];
  for (const r of syntax.randoms ?? []) {
    const where = { span: r.nameSpan, source };
    const role = syntax.inputs.some((i) => i.name === r.name) ? "an input" : syntax.params.some((p) => p.name === r.name) ? "a parameter" : undefined;
    if (role !== undefined) fail("E_DEFINITION", `'${r.name}' is ${role} of ${syntax.name}; a random variable needs a name of its own`, { ...where, hint: "choose another name for the random variable" });
    if (names.includes(r.name)) fail("E_DEFINITION", `the random variable '${r.name}' is declared twice`, where);
    if (isConstantName(r.name) || isReservedFunctionName(r.name)) {
      fail("E_DEFINITION", `'${r.name}' is a builtin name and cannot be a random variable`, { ...where, hint: "choose another name" });
    }
    names.push(r.name);
  }
  return names;
}

/**
 * `a ~ uniform(lower, upper)`: a known distribution with its number of arguments, each a
 * constant expression of the parameters (fixed for a call; an input there would make the
 * derivative given the draw drop its dependence through the distribution). Constant arguments
 * are checked here, parameters when a training kernel runs.
 */
function resolveRandom(r: RandomSyntax, ctx: Context, inputs: readonly string[], randoms: readonly string[]): RandomVariable {
  const distribution = lookupDistribution(r.distribution);
  const known = distributionNames().map((d) => `${d}(${DISTRIBUTIONS[d].args.join(", ")})`).join(", ");
  if (distribution === undefined) {
    return fail("E_UNKNOWN_NAME", `unknown distribution '${r.distribution}'`, { span: r.distributionSpan, source: ctx.source, hint: didYouMean(r.distribution, distributionNames()) ?? `the distributions: ${known}` });
  }
  const spec = DISTRIBUTIONS[distribution];
  if (r.args.length !== spec.args.length) {
    fail("E_ARITY", `${distribution} takes ${spec.args.length} argument${spec.args.length === 1 ? "" : "s"}, not ${r.args.length}`, {
      span: r.distributionSpan, source: ctx.source, hint: `${distribution}(${spec.args.join(", ")}): ${spec.summary}`,
    });
  }
  const fixed = "they are fixed for a whole call: use parameters and constants";
  const forbidden = new Map<string, Forbidden>([
    ...inputs.map((n): [string, Forbidden] => [n, { code: "E_DEFINITION", summary: `a distribution's arguments cannot use the input '${n}'`, hint: fixed }]),
    ...randoms.map((n): [string, Forbidden] => [n, { code: "E_DEFINITION", summary: `a distribution's arguments cannot use the random variable '${n}'`, hint: fixed }]),
  ]);
  const args = r.args.map((a) => resolveValue(a, { ...ctx, forbidden }));
  if (args.every((a) => freeSymbols(a).size === 0)) {
    const problem = spec.invalid(args.map((a) => evaluateFloat(a, new Map())));
    if (problem !== undefined) fail("E_PARAM", `'${r.name}' cannot be drawn: ${problem.problem}`, { span: r.span, source: ctx.source, hint: problem.hint });
  }
  return { name: r.name, distribution, args };
}

/** A bare expression: input `x`, and any other free name is a parameter without a default. */
export function resolveBareExpression(syntax: Syntax, source: string, scope: Scope, name = "f"): Definition {
  const body = resolveValue(syntax, { source, scope });
  const params = [...freeSymbols(body)].filter((n) => n !== "x").sort().map((n) => ({ name: n }));
  return { name, inputs: ["x"], params, body, source };
}

export function resolveTopLevel(syntax: TopLevel, source: string, scope: Scope): Definition {
  return syntax.type === "definition" ? resolveDefinition(syntax, source, scope) : resolveBareExpression(syntax, source, scope);
}

export interface ResolvedClaim {
  readonly left: Expr;
  readonly right: Expr;
  /** `where y = tanh(x)`: names the sides may use, not yet substituted. */
  readonly where: readonly { readonly name: string; readonly value: Expr }[];
  /** `for beta > 0`: conditions on the parameters (or the variable). */
  readonly conditions: readonly Expr[];
}

export function resolveClaim(syntax: ClaimSyntax, source: string, scope: Scope): ResolvedClaim {
  const names = indexNotationOf([syntax.left, syntax.right, ...(syntax.where ?? []).map((b) => b.value)], scope);
  const ctx: Context = { source, scope, ...contextOf(names) };
  return {
    left: resolveValue(syntax.left, ctx), right: resolveValue(syntax.right, ctx),
    where: (syntax.where ?? []).map((b) => ({ name: b.name, value: resolveValue(b.value, ctx) })),
    conditions: (syntax.conditions ?? []).map((c) => {
      const condition = resolveCondition(c, ctx);
      return isVector(condition) ? fail("E_TYPE", "a condition on a whole vector; state it for one element, x_i > 0", { span: c.span, source }) : condition;
    }),
  };
}

/** The names an equation in index notation reads as vectors and as indices, found in all its sides at once. */
export interface IndexNotation {
  readonly vectors: ReadonlySet<string>;
  readonly indices: ReadonlySet<string>;
}

export function indexNotationOf(roots: readonly Syntax[], scope: Scope, vectors: ReadonlySet<string> = new Set(), options: { readonly builtins?: boolean } = {}): IndexNotation {
  const all = new Set([...vectors, ...vectorNamesIn(roots, scope, options)]);
  return { vectors: all, indices: indexNamesIn(roots, scope, all) };
}

const contextOf = (names: IndexNotation): Pick<Context, "vectors" | "indices"> =>
  ({ ...(names.vectors.size > 0 && { vectors: names.vectors }), ...(names.indices.size > 0 && { indices: names.indices }) });

/**
 * One side of an equation whose index notation is `names` (a LaTeX side: `S_i (1 - S_j)` where
 * S_i is an element): as a bare expression when it names no vector and no index.
 */
export function resolveSide(syntax: Syntax, source: string, scope: Scope, names: IndexNotation, variables?: ReadonlySet<string>): Expr {
  const shadowing = variables !== undefined && variables.size > 0 ? { variables } : {};
  if (names.vectors.size === 0 && names.indices.size === 0) return resolveValue(syntax, { source, scope, ...shadowing });
  return resolveValue(syntax, { source, scope, ...contextOf(names), ...shadowing });
}

function resolveValue(s: Syntax, ctx: Context): Expr {
  return requireNumber(resolve(s, ctx), s, ctx);
}

function requireNumber(r: Resolved, s: Syntax, ctx: Context): Expr {
  if (isVector(r)) {
    fail("E_TYPE", "a vector is used where a number is needed", {
      span: s.span, source: ctx.source, hint: "reduce it (sum, max, min, mean, norm, logsumexp) or take one element, x_i",
    });
  }
  if (isCondition(r)) {
    fail("E_TYPE", "a condition is used where a number is needed", { span: s.span, source: ctx.source, hint: "write a piecewise value as `cond ? a : b` or `{ a if cond, b otherwise }`" });
  }
  return r;
}

function resolveCondition(s: Syntax, ctx: Context): Resolved {
  const e = resolve(s, ctx);
  if (!isVector(e) && !isCondition(e)) {
    fail("E_TYPE", "a number is used where a condition is needed", { span: s.span, source: ctx.source, hint: "compare it, for example `x >= 0`" });
  }
  return e;
}

/** A number or a vector (of numbers), not a condition. */
function resolveOperand(s: Syntax, ctx: Context): Resolved {
  const e = resolve(s, ctx);
  if (!isVector(e) && isCondition(e)) {
    fail("E_TYPE", "a condition is used where a number is needed", { span: s.span, source: ctx.source, hint: "write a piecewise value as `cond ? a : b` or `{ a if cond, b otherwise }`" });
  }
  return e;
}

/** Elementwise over the operands' vectors, with the lengths checked. */
function elementwise(s: Syntax, ctx: Context, operands: readonly Resolved[], op: (xs: Expr[]) => Expr): Resolved {
  return lift(operands, op, (a, b) => fail("E_TYPE", `vectors of different lengths (${print(a)} and ${print(b)}) are combined`, {
    span: s.span, source: ctx.source, hint: "combine vectors of one length, or reduce one of them first",
  }));
}

function resolve(s: Syntax, ctx: Context): Resolved {
  switch (s.type) {
    case "number": return literal(s, ctx);
    case "name": return resolveName(s.name, s.span, ctx);
    case "negate": return resolveNegation(s, ctx);
    case "binary": {
      if (s.op !== "^") return resolveChain(s, ctx);
      const operands = [resolveOperand(s.left, ctx), resolveOperand(s.right, ctx)];
      return elementwise(s, ctx, operands, ([l, r]) => pow(l!, r!));
    }
    case "compare": return elementwise(s, ctx, [resolveOperand(s.left, ctx), resolveOperand(s.right, ctx)], ([l, r]) => compare(s.op, l!, r!));
    case "logic": return elementwise(s, ctx, [resolveCondition(s.left, ctx), resolveCondition(s.right, ctx)], ([l, r]) => logic(s.op, [l!, r!]));
    case "not": return elementwise(s, ctx, [resolveCondition(s.arg, ctx)], ([a]) => not(a!));
    case "cases": {
      const parts = s.branches.flatMap((b) => [resolveCondition(b.when, ctx), resolveOperand(b.then, ctx)]);
      return elementwise(s, ctx, [...parts, resolveOperand(s.otherwise, ctx)], (xs) => piecewise(
        s.branches.map((_, i) => ({ when: xs[2 * i]!, then: xs[2 * i + 1]! })), xs[xs.length - 1]!,
      ));
    }
    case "call": return resolveCall(s, ctx);
    case "index": {
      const target = resolve(s.target, ctx);
      if (!isVector(target)) {
        fail("E_TYPE", `${s.target.type === "name" ? `'${s.target.name}'` : "this"} is a number, not a vector; only a vector has elements`, {
          span: s.target.span, source: ctx.source, hint: "declare a vector input as x[]: softmax(x[]) = exp(x) / sum(exp(x))",
        });
      }
      return target.at(resolveIndex(s.index, ctx));
    }
  }
}

/** A number literal's exact value, once its size is known to be within the limits. */
function literal(s: Extract<Syntax, { type: "number" }>, ctx: Context): Expr {
  checkLiteral(s.text, s.span, ctx.source);
  return num(fromDecimalString(s.text));
}

type Binary = Extract<Syntax, { type: "binary" }>;
const ADDITIVE = new Set(["+", "-"]);
const MULTIPLICATIVE = new Set(["*", "/"]);
/** Products up to this many factors are built two at a time, as written (2·(x + 1)·y keeps its sum). */
const PAIRWISE_FACTORS = 32;

/**
 * a + b - c + … (or a * b / c …): the grammar builds a chain leaning left, one node per operator.
 * It is read in a loop, not a recursion as deep as the chain, and — unless a vector is in it — by
 * one call of the n-ary constructor, so that a sum of 100,000 terms takes linear time.
 */
function resolveChain(s: Binary, ctx: Context): Resolved {
  const ops = ADDITIVE.has(s.op) ? ADDITIVE : MULTIPLICATIVE;
  const links: Binary[] = [];
  let head: Syntax = s;
  while (head.type === "binary" && ops.has(head.op)) {
    links.push(head);
    head = head.left;
  }
  links.reverse();
  const operands = [resolveOperand(head, ctx), ...links.map((l) => resolveOperand(l.right, ctx))];
  const additive = ops === ADDITIVE;
  if (operands.some(isVector) || (!additive && operands.length <= PAIRWISE_FACTORS)) {
    const op = { "+": add, "-": sub, "*": mul, "/": div, "^": pow };
    return links.reduce<Resolved>((left, l, i) => elementwise(l, ctx, [left, operands[i + 1]!], ([a, b]) => op[l.op](a!, b!)), operands[0]!);
  }
  const scalars = operands as Expr[];
  if (additive) return addAll(scalars.map((e, i) => (i > 0 && links[i - 1]!.op === "-" ? neg(e) : e)));
  return mulAll(scalars.map((e, i) => (i > 0 && links[i - 1]!.op === "/" ? pow(e, MINUS_ONE) : e)));
}

/** - - - x: a run of signs, counted in a loop. */
function resolveNegation(s: Extract<Syntax, { type: "negate" }>, ctx: Context): Resolved {
  const signs: Syntax[] = [];
  let inner: Syntax = s;
  while (inner.type === "negate") {
    signs.push(inner);
    inner = inner.arg;
  }
  let value = resolveOperand(inner, ctx);
  for (let i = signs.length - 1; i >= 0; i--) value = elementwise(signs[i]!, ctx, [value], ([a]) => neg(a!));
  return value;
}

/**
 * An index expression: a name is an index (i, j, k) unless it is a parameter or an input (in a
 * claim: unless the claim's notation reads it as a number); numbers and integer arithmetic as
 * written (k·g + t).
 */
function resolveIndex(s: Syntax, ctx: Context): Expr {
  switch (s.type) {
    case "number": return literal(s, ctx);
    case "name": {
      // In a claim (nothing bound), the names the claim's index notation reads as indices are the
      // indices; another name in an index scales one (maxout's k in z[k * i + t]).
      const number = ctx.bound !== undefined ? ctx.bound.has(s.name) : ctx.indices !== undefined && !ctx.indices.has(s.name);
      return number ? sym(s.name) : idx(s.name);
    }
    case "negate": return neg(resolveIndex(s.arg, ctx));
    case "binary": {
      const [l, r] = [resolveIndex(s.left, ctx), resolveIndex(s.right, ctx)];
      return { "+": add, "-": sub, "*": mul, "/": div, "^": pow }[s.op](l, r);
    }
    default:
      if (s.type === "call" && s.name === "floor" && s.args.length === 1) return call("floor", [resolveIndex(s.args[0]!, ctx)]);
      // An index found by a reduction: argmax(z[k * i + t], t, 0, k).
      if (s.type === "call" && (s.name === "argmax" || s.name === "argmin")) return requireNumber(resolveCall(s, ctx), s, ctx);
      return fail("E_TYPE", "an index is a name or integer arithmetic (i, k + 1, 2 * i)", { span: s.span, source: ctx.source });
  }
}

function resolveName(name: string, span: Span, ctx: Context): Resolved {
  const forbidden = ctx.forbidden?.get(name);
  if (forbidden !== undefined) fail(forbidden.code, forbidden.summary, { span, source: ctx.source, hint: forbidden.hint });
  if (ctx.vectors?.has(name) === true) return vectorInput(name, len(ctx.vectors.values().next().value!));
  if (ctx.indices?.has(name) === true) return idx(name);
  if (ctx.bound?.has(name) ?? false) return sym(name);
  if (ctx.variables?.has(name) === true) return sym(name);
  if (isConstantName(name)) return constant(CONSTANTS[name]);
  if (ctx.indices?.has(name) === true) return idx(name);
  const element = ELEMENT_NAME.exec(name);
  if (element !== null && ctx.vectors?.has(element[1]!) === true) return elem(element[1]!, ctx.bound?.has(element[2]!) === true ? sym(element[2]!) : idx(element[2]!));
  const kronecker = KRONECKER.exec(name);
  if (kronecker !== null) return call("delta", [idx(kronecker[1]!), idx(kronecker[2]!)]);
  const fn = isReservedFunctionName(name) ? lookupFunction(name) : undefined;
  if (fn !== undefined || ctx.scope.lookup(name) !== undefined || Object.hasOwn(VECTOR_BUILTINS, name)) {
    fail("E_TYPE", `'${name}' is a function; call it with an argument`, { span, source: ctx.source, hint: `write ${name}(x)` });
  }
  if (ctx.bound === undefined) return sym(name); // a free name in a bare expression or claim
  const candidates = [...ctx.bound, ...Object.keys(CONSTANTS)];
  return fail("E_UNKNOWN_NAME", `unknown name '${name}'`, {
    span, source: ctx.source,
    hint: didYouMean(name, candidates) ?? `declare it as an input or a parameter: f(${[...ctx.bound][0] ?? "x"}; ${name} = 1) = …`,
  });
}

function resolveCall(s: Extract<Syntax, { type: "call" }>, ctx: Context): Resolved {
  const where = { span: s.nameSpan, source: ctx.source };
  if (s.name === DERIVATIVE_OPERATOR) return resolveDerivative(s, ctx);

  // A user's own definition shadows a builtin of the same name; the catalog's entries for
  // builtins (sigmoid, tanh, softplus, softmax) are not in scope, so there the builtin is meant.
  const definition = ctx.scope.lookup(s.name);
  if (definition !== undefined) return expandDefinition(definition, s, ctx);
  if (s.name === "delta" && s.args.length === 2 && s.params.length === 0) return call("delta", s.args.map((a) => resolveIndex(a, ctx)));
  const reduction = resolveReduction(s, ctx);
  if (reduction !== undefined) return reduction;
  const builtin = lookupFunction(s.name);
  if (builtin !== undefined) {
    const spec = fnSpec(builtin);
    if (spec.parameters !== undefined && (s.params.length > 0 || s.args.length > spec.arity)) return resolveParameterisedBuiltin(builtin, s, ctx);
    if (s.params.length > 0) fail("E_PARAM", `${s.name} takes no parameters`, { span: s.params[0]!.span, source: ctx.source });
    if (s.args.length !== spec.arity) {
      fail("E_ARITY", `${s.name} takes ${spec.arity} argument${spec.arity === 1 ? "" : "s"}, not ${s.args.length}`, { ...where, hint: `${builtin}: ${spec.summary}` });
    }
    // A scalar function of a vector applies to each element: exp(x).
    return elementwise(s, ctx, s.args.map((a) => resolveOperand(a, ctx)), (args) => call(builtin, args));
  }
  return fail("E_UNKNOWN_NAME", `unknown function '${s.name}'`, {
    ...where, hint: didYouMean(s.name, callableNames(ctx)) ?? "run `actdiff list` for the catalog, or define it first",
  });
}

/** A builtin called with its parameters (softplus(x; beta = 2, threshold = 20)): its expansion in builtins. */
function resolveParameterisedBuiltin(fn: FnName, s: Extract<Syntax, { type: "call" }>, ctx: Context): Resolved {
  const spec = fnSpec(fn);
  const { names, defaults, expand } = spec.parameters!;
  const signature = `${fn}(${Array.from({ length: spec.arity }, (_, i) => "xyz"[i] ?? `u${i}`).join(", ")}; ${names.join(", ")})`;
  if (s.args.length < spec.arity) {
    fail("E_ARITY", `${fn} takes ${spec.arity} argument${spec.arity === 1 ? "" : "s"}, not ${s.args.length}`, { span: s.nameSpan, source: ctx.source, hint: `its signature is ${signature}` });
  }
  const values = new Map<string, Expr>();
  const positional = [...s.args.slice(spec.arity), ...s.params.filter((p) => p.name === undefined).map((p) => p.value)];
  positional.forEach((arg, i) => {
    const name = names[i];
    if (name === undefined) fail("E_PARAM", `${fn} has only ${names.length} parameters`, { span: arg.span, source: ctx.source, hint: `its signature is ${signature}` });
    values.set(name, resolveValue(arg, ctx));
  });
  for (const p of s.params) {
    if (p.name === undefined) continue;
    if (!names.includes(p.name)) fail("E_PARAM", `${fn} has no parameter '${p.name}'`, { span: p.span, source: ctx.source, hint: didYouMean(p.name, names) ?? `its parameters: ${names.join(", ")}` });
    if (values.has(p.name)) fail("E_PARAM", `parameter '${p.name}' is given twice`, { span: p.span, source: ctx.source });
    values.set(p.name, resolveValue(p.value, ctx));
  }
  const bound = names.map((name, i) => values.get(name) ?? defaults[i]);
  const operands = s.args.slice(0, spec.arity).map((a) => resolveOperand(a, ctx));
  return elementwise(s, ctx, operands, (args) => expand(args, bound));
}

/** Inlines a call to a definition: its body with inputs and parameters replaced by the arguments. */
function expandDefinition(d: Definition, s: Extract<Syntax, { type: "call" }>, ctx: Context): Resolved {
  const where = { span: s.nameSpan, source: ctx.source };
  const allowed = d.inputs.length + d.params.length;
  const vectorInputs = new Set(d.vectors ?? []);
  if (s.args.length < d.inputs.length || (s.args.length > allowed)) {
    const signature = `${d.name}(${d.inputs.map((i) => (vectorInputs.has(i) ? `${i}[]` : i)).join(", ")}${d.params.length ? `; ${d.params.map((p) => p.name).join(", ")}` : ""})`;
    fail("E_ARITY", `${d.name} takes ${d.inputs.length} input${d.inputs.length === 1 ? "" : "s"}, not ${s.args.length}`, { ...where, hint: `its signature is ${signature}` });
  }
  const bindings = new Map<string, Expr>();
  const vectorArgs = new Map<string, VectorValue>();
  const scalarArgs: Resolved[] = [];
  d.inputs.forEach((name, i) => {
    const arg = resolveOperand(s.args[i]!, ctx);
    if (vectorInputs.has(name)) {
      if (!isVector(arg)) fail("E_TYPE", `${d.name} takes a vector as ${name}, not a number`, { span: s.args[i]!.span, source: ctx.source, hint: `pass a vector input, declared as ${name}[]` });
      vectorArgs.set(name, arg);
    } else scalarArgs.push(arg);
  });
  // Extra positional arguments fill parameters in order: swish(x, 2) is swish(x; beta = 2).
  const positional = [...s.args.slice(d.inputs.length), ...s.params.filter((p) => p.name === undefined).map((p) => p.value)];
  positional.forEach((arg, i) => {
    const p = d.params[i];
    if (p === undefined) fail("E_PARAM", `${d.name} has only ${d.params.length} parameter${d.params.length === 1 ? "" : "s"}`, { span: arg.span, source: ctx.source });
    bindings.set(p.name, resolveValue(arg, ctx));
  });
  for (const p of s.params) {
    if (p.name === undefined) continue;
    if (!d.params.some((q) => q.name === p.name)) {
      fail("E_PARAM", `${d.name} has no parameter '${p.name}'`, { span: p.span, source: ctx.source, hint: didYouMean(p.name, d.params.map((q) => q.name)) ?? `its parameters: ${d.params.map((q) => q.name).join(", ") || "none"}` });
    }
    if (bindings.has(p.name)) fail("E_PARAM", `parameter '${p.name}' is given twice`, { span: p.span, source: ctx.source });
    bindings.set(p.name, resolveValue(p.value, ctx));
  }
  for (const p of d.params) {
    if (bindings.has(p.name)) continue;
    if (p.defaultValue === undefined) fail("E_PARAM", `parameter '${p.name}' of ${d.name} has no default; pass it`, { ...where, hint: `${d.name}(…; ${p.name} = 1)` });
    bindings.set(p.name, p.defaultValue);
  }
  // A function of scalar inputs applied to vectors applies to each element: glu(x, y) of two vectors.
  const scalarNames = d.inputs.filter((name) => !vectorInputs.has(name));
  const apply = (scalars: readonly Expr[]): Resolved => {
    const all = new Map(bindings);
    scalarNames.forEach((name, i) => all.set(name, scalars[i]!));
    const body = substitute(d.body, all);
    if (vectorArgs.size === 0) return body;
    const length = d.output === undefined ? undefined : substitute(instantiateLength(d.output.length, vectorArgs), all);
    return instantiateVectors(d, body, vectorArgs, OUTPUT_INDEX, length);
  };
  if (vectorArgs.size > 0 || d.output !== undefined) return apply(scalarArgs.map((a, i) => requireNumber(a, s.args[i]!, ctx)));
  return elementwise(s, ctx, scalarArgs, (scalars) => apply(scalars) as Expr);
}

/** A vector-valued definition's output length in terms of its arguments (len(x) → the argument's length). */
function instantiateLength(length: Expr, args: ReadonlyMap<string, VectorValue>): Expr {
  const r = instantiateVectors({ name: "", inputs: [], params: [], body: length, source: "" }, length, args, OUTPUT_INDEX, undefined);
  return r as Expr;
}

/**
 * sum, max, min, mean, norm, len, logsumexp, softmax, groupmax and groupmin of a vector, and the
 * index notation sum(x_k * y_k, k) or sum(e, k, from, to); undefined when the call is not one
 * (max(a, b) of two numbers is the scalar builtin).
 */
function resolveReduction(s: Extract<Syntax, { type: "call" }>, ctx: Context): Resolved | undefined {
  if (!Object.hasOwn(VECTOR_BUILTINS, s.name)) return undefined;
  const builtin = VECTOR_BUILTINS[s.name]!;
  const where = { span: s.nameSpan, source: ctx.source };
  const [first, second] = s.args;
  // Index notation: the second argument names an index the first reads at.
  if (["sum", "max", "min", "argmax", "argmin"].includes(s.name) && second?.type === "name" && (s.args.length === 2 || s.args.length === 4) &&
    ctx.bound?.has(second.name) !== true && readsIndex(first!, second.name)) {
    const body = resolveValue(first!, ctx);
    const range = s.args.length === 4 ? [resolveIndex(s.args[2]!, ctx), resolveIndex(s.args[3]!, ctx)] as const : undefined;
    const r = indexReduction(s.name as ReduceOp, body, second.name, range);
    if (r === undefined) fail("E_TYPE", `${s.name} over '${second.name}' needs the range: no vector is read at ${second.name}`, { ...where, hint: `${s.name}(…, ${second.name}, 0, n)` });
    return r;
  }
  if ((s.name === "max" || s.name === "min") && s.args.length === 2) return undefined;
  if (s.args.length !== 1 + builtin.extra) {
    fail("E_ARITY", `${s.name} takes ${builtin.extra === 0 ? "one vector" : `a vector and ${builtin.extra} number${builtin.extra === 1 ? "" : "s"}`}, not ${s.args.length} argument${s.args.length === 1 ? "" : "s"}`, { ...where, hint: `${s.name}: ${builtin.summary}` });
  }
  if (s.params.length > 0) fail("E_PARAM", `${s.name} takes no parameters`, { span: s.params[0]!.span, source: ctx.source });
  const v = resolveOperand(first!, ctx);
  if (!isVector(v) && (s.name === "max" || s.name === "min")) {
    fail("E_ARITY", `${s.name} takes 2 arguments, not 1`, { ...where, hint: `${s.name}: ${fnSpec(s.name).summary}` });
  }
  if (!isVector(v)) {
    fail("E_TYPE", `${s.name} takes a vector, not a number`, {
      span: first!.span, source: ctx.source, hint: `declare a vector input as x[]: f(x[]) = ${s.name}(x${builtin.extra ? ", 2" : ""})`,
    });
  }
  return builtin.resolve(v, s.args.slice(1).map((a) => resolveValue(a, ctx)));
}

/** Whether the name k occurs anywhere in the syntax (in an index such as z[k * i + t]). */
function mentions(s: Syntax, k: string): boolean {
  switch (s.type) {
    case "number": return false;
    case "name": return s.name === k;
    case "index": return mentions(s.target, k) || mentions(s.index, k);
    case "call": return s.args.some((a) => mentions(a, k));
    case "binary": case "compare": case "logic": return mentions(s.left, k) || mentions(s.right, k);
    case "negate": case "not": return mentions(s.arg, k);
    case "cases": return s.branches.some((b) => mentions(b.when, k) || mentions(b.then, k)) || mentions(s.otherwise, k);
  }
}

/** Whether the syntax reads some vector at the index `k` (x_k, x[k], f(x)_k). */
function readsIndex(s: Syntax, k: string): boolean {
  switch (s.type) {
    case "number": return false;
    case "name": return s.name.endsWith(`_${k}`);
    case "index": return mentions(s.index, k) || readsIndex(s.target, k);
    case "call": return s.args.some((a) => readsIndex(a, k));
    case "binary": case "compare": case "logic": return readsIndex(s.left, k) || readsIndex(s.right, k);
    case "negate": case "not": return readsIndex(s.arg, k);
    case "cases": return s.branches.some((b) => readsIndex(b.when, k) || readsIndex(b.then, k)) || readsIndex(s.otherwise, k);
  }
}

function resolveDerivative(s: Extract<Syntax, { type: "call" }>, ctx: Context): Expr {
  const where = { span: s.nameSpan, source: ctx.source };
  if (s.args.length < 2 || s.args.length > 3) fail("E_ARITY", "diff takes an expression, a variable and an optional order", { ...where, hint: "diff(sigmoid(x), x) or diff(tanh(x), x, 2)" });
  const variable = s.args[1]!;
  if (variable.type !== "name") fail("E_TYPE", "the second argument of diff must be a variable name", { span: variable.span, source: ctx.source });
  let order = 1;
  const orderSyntax = s.args[2];
  if (orderSyntax !== undefined) {
    order = orderSyntax.type === "number" ? Number(orderSyntax.text) : NaN;
    if (!Number.isInteger(order) || order < 0 || order > 64) fail("E_ORDER", "the order of a derivative must be an integer from 0 to 64", { span: orderSyntax.span, source: ctx.source });
  }
  // The 0th derivative is the function itself.
  if (order === 0) return resolveValue(s.args[0]!, ctx);
  // diff(f, x_j): with respect to element j of the vector x.
  const element = ELEMENT_NAME.exec(variable.name);
  const wrt = element !== null && ctx.vectors?.has(element[1]!) === true ? elementVariable(element[1]!, element[2]!) : variable.name;
  return derivative(resolveValue(s.args[0]!, ctx), wrt, order);
}

