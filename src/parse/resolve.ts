import {
  add, call, compare, constant, derivative, div, logic, mul, neg, not, num, piecewise, pow, sub, sym,
} from "../ast/build.js";
import type { Definition, ParamSpec, RandomVariable, Scope } from "../ast/definition.js";
import { isCondition, type Expr } from "../ast/nodes.js";
import { fromDecimalString } from "../ast/rational.js";
import { freeSymbols, substitute } from "../ast/walk.js";
import { fail, type ErrorCode } from "../errors.js";
import { fnSpec, functionNames, lookupFunction } from "../functions/table.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { DISTRIBUTIONS, distributionNames, lookupDistribution } from "../random/distributions.js";
import { didYouMean } from "./suggest.js";
import type { ClaimSyntax, DefinitionSyntax, RandomSyntax, Span, Syntax, TopLevel } from "./syntax.js";

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
  /**
   * Names that must not appear here, each with its error: random variables in a parameter's
   * default, inputs and random variables in a distribution's arguments.
   */
  readonly forbidden?: ReadonlyMap<string, Forbidden>;
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
    if (isConstantName(v.name) || lookupFunction(v.name)) {
      fail("E_DEFINITION", `'${v.name}' is a builtin name and cannot be an input or parameter`, { span: v.span, source, hint: "choose another name" });
    }
    seen.add(v.name);
  }
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
  const ctx: Context = { source, scope, bound: new Set([...seen, ...randomNames]) };
  const body = resolveValue(syntax.body, ctx);
  if (randoms.length === 0) return { name: syntax.name, inputs, params, body, source };
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
    if (isConstantName(r.name) || lookupFunction(r.name)) {
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
  const ctx: Context = { source, scope };
  return {
    left: resolveValue(syntax.left, ctx), right: resolveValue(syntax.right, ctx),
    where: (syntax.where ?? []).map((b) => ({ name: b.name, value: resolveValue(b.value, ctx) })),
    conditions: (syntax.conditions ?? []).map((c) => resolveCondition(c, ctx)),
  };
}

function resolveValue(s: Syntax, ctx: Context): Expr {
  const e = resolve(s, ctx);
  if (isCondition(e)) {
    fail("E_TYPE", "a condition is used where a number is needed", { span: s.span, source: ctx.source, hint: "write a piecewise value as `cond ? a : b` or `{ a if cond, b otherwise }`" });
  }
  return e;
}

function resolveCondition(s: Syntax, ctx: Context): Expr {
  const e = resolve(s, ctx);
  if (!isCondition(e)) {
    fail("E_TYPE", "a number is used where a condition is needed", { span: s.span, source: ctx.source, hint: "compare it, for example `x >= 0`" });
  }
  return e;
}

function resolve(s: Syntax, ctx: Context): Expr {
  switch (s.type) {
    case "number": return num(fromDecimalString(s.text));
    case "name": return resolveName(s.name, s.span, ctx);
    case "negate": return neg(resolveValue(s.arg, ctx));
    case "binary": {
      const l = resolveValue(s.left, ctx);
      const r = resolveValue(s.right, ctx);
      switch (s.op) {
        case "+": return add(l, r);
        case "-": return sub(l, r);
        case "*": return mul(l, r);
        case "/": return div(l, r);
        case "^": return pow(l, r);
      }
    }
    // falls through: the inner switch is exhaustive
    case "compare": return compare(s.op, resolveValue(s.left, ctx), resolveValue(s.right, ctx));
    case "logic": return logic(s.op, [resolveCondition(s.left, ctx), resolveCondition(s.right, ctx)]);
    case "not": return not(resolveCondition(s.arg, ctx));
    case "cases": return piecewise(
      s.branches.map((b) => ({ when: resolveCondition(b.when, ctx), then: resolveValue(b.then, ctx) })),
      resolveValue(s.otherwise, ctx),
    );
    case "call": return resolveCall(s, ctx);
  }
}

function resolveName(name: string, span: Span, ctx: Context): Expr {
  const forbidden = ctx.forbidden?.get(name);
  if (forbidden !== undefined) fail(forbidden.code, forbidden.summary, { span, source: ctx.source, hint: forbidden.hint });
  if (ctx.bound?.has(name) ?? false) return sym(name);
  if (isConstantName(name)) return constant(CONSTANTS[name]);
  const fn = lookupFunction(name);
  if (fn !== undefined || ctx.scope.lookup(name) !== undefined) {
    fail("E_TYPE", `'${name}' is a function; call it with an argument`, { span, source: ctx.source, hint: `write ${name}(x)` });
  }
  if (ctx.bound === undefined) return sym(name); // a free name in a bare expression or claim
  const candidates = [...ctx.bound, ...Object.keys(CONSTANTS)];
  return fail("E_UNKNOWN_NAME", `unknown name '${name}'`, {
    span, source: ctx.source,
    hint: didYouMean(name, candidates) ?? `declare it as an input or a parameter: f(${[...ctx.bound][0] ?? "x"}; ${name} = 1) = …`,
  });
}

function resolveCall(s: Extract<Syntax, { type: "call" }>, ctx: Context): Expr {
  const where = { span: s.nameSpan, source: ctx.source };
  if (s.name === DERIVATIVE_OPERATOR) return resolveDerivative(s, ctx);

  // A user's own definition shadows a builtin of the same name; the catalog's entries for
  // builtins (sigmoid, tanh, softplus) are not in scope, so there the builtin is meant.
  const definition = ctx.scope.lookup(s.name);
  if (definition !== undefined) return expandDefinition(definition, s, ctx);
  const builtin = lookupFunction(s.name);
  if (builtin !== undefined) {
    const spec = fnSpec(builtin);
    if (s.params.length > 0) fail("E_PARAM", `${s.name} takes no parameters`, { span: s.params[0]!.span, source: ctx.source });
    if (s.args.length !== spec.arity) {
      fail("E_ARITY", `${s.name} takes ${spec.arity} argument${spec.arity === 1 ? "" : "s"}, not ${s.args.length}`, { ...where, hint: `${builtin}: ${spec.summary}` });
    }
    return call(builtin, s.args.map((a) => resolveValue(a, ctx)));
  }
  return fail("E_UNKNOWN_NAME", `unknown function '${s.name}'`, {
    ...where, hint: didYouMean(s.name, callableNames(ctx)) ?? "run `actdiff list` for the catalog, or define it first",
  });
}

/** Inlines a call to a definition: its body with inputs and parameters replaced by the arguments. */
function expandDefinition(d: Definition, s: Extract<Syntax, { type: "call" }>, ctx: Context): Expr {
  const where = { span: s.nameSpan, source: ctx.source };
  const allowed = d.inputs.length + d.params.length;
  if (s.args.length < d.inputs.length || (s.args.length > allowed)) {
    const signature = `${d.name}(${d.inputs.join(", ")}${d.params.length ? `; ${d.params.map((p) => p.name).join(", ")}` : ""})`;
    fail("E_ARITY", `${d.name} takes ${d.inputs.length} input${d.inputs.length === 1 ? "" : "s"}, not ${s.args.length}`, { ...where, hint: `its signature is ${signature}` });
  }
  const bindings = new Map<string, Expr>();
  d.inputs.forEach((name, i) => bindings.set(name, resolveValue(s.args[i]!, ctx)));
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
  return substitute(d.body, bindings);
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
    if (!Number.isInteger(order) || order < 1 || order > 64) fail("E_ORDER", "the order of a derivative must be an integer from 1 to 64", { span: orderSyntax.span, source: ctx.source });
  }
  return derivative(resolveValue(s.args[0]!, ctx), variable.name, order);
}

