import { VECTOR_BUILTINS } from "../parse/vectors.js";
import type { Scope } from "../ast/definition.js";
import type { Expr } from "../ast/nodes.js";
import { logic } from "../ast/build.js";
import { freeIndices, freeSymbols, postorder, substitute } from "../ast/walk.js";
import { fail } from "../errors.js";
import { lookupFunction } from "../functions/table.js";
import { readLatexEquation } from "../parse/latex/read.js";
import { parseClaim } from "../parse/parse.js";
import { resolveClaim } from "../parse/resolve.js";
import type { ClaimSyntax, ParamArg, Span, Syntax } from "../parse/syntax.js";
import { domainOf, type Domain } from "./domain.js";

/**
 * A claim, read: both sides as expressions (derivatives still unevaluated, so that the checker
 * knows what was differentiated), the `where` names substituted, the `for` ranges as a domain.
 *
 * Notations read here, on top of `lhs = rhs`:
 *   diff(f(x), x) = …, d/dx f(x) = …, f'(x) = …, f''(x) = …, diff(f(x), x, 2) = …, d^2/dx^2 f(x) = …
 *   d/dbeta swish(x; beta) = …        (a parameter the operator names is free, not its default)
 *   tanh'(x) = 1 - y^2 where y = tanh(x)
 *   … for beta > 0,   … for 0 < beta < 2
 *   LaTeX: \frac{d}{dx} \tanh(x) = 1 - \tanh^2(x)  (anything with a backslash)
 */
export interface Claim {
  /** The text as given. */
  readonly source: string;
  readonly left: Expr;
  readonly right: Expr;
  /** The sides before the `where` names were substituted: what the writer wrote. */
  readonly written: { readonly left: Expr; readonly right: Expr };
  readonly where: readonly Binding[];
  readonly domain: Domain;
  /** The variable of the claim when the notation says it (d/dx, a prime at x, a LaTeX head). */
  readonly variable?: string;
  /** The name of the function the claim is about, as written (`relu_softplus`, `ELU`), for messages. */
  readonly name?: string;
  /** For a claim in index notation, the case of its indices it is stated for: `for i != j`. */
  readonly indexCase?: Expr;
}

export interface Binding { readonly name: string; readonly value: Expr }

/** Reads a claim in the formula language (or LaTeX, when it has a backslash). */
export function readClaim(source: string, scope: Scope): Claim {
  if (source.includes("\\")) return readLatexClaim(source, scope);
  const parsed = parseClaim(source);
  const head = parsed.left;
  if (head.type === "call" && head.name !== "diff" && head.params.length === 0 && scope.lookup(head.name) === undefined && lookupFunction(head.name) === undefined && !Object.hasOwn(VECTOR_BUILTINS, head.name) &&
    head.args.every((a) => a.type === "name") && new Set(head.args.map((a) => (a.type === "name" ? a.name : ""))).size === head.args.length) {
    definitionNotClaim(head.name, source, head.span, source.slice(parsed.right.span.offset, parsed.right.span.offset + parsed.right.span.length));
  }
  const syntax = prepare(parsed, scope);
  const resolved = resolveClaim(syntax, source, scope);
  // `for i != j` states the case of the indices; `for beta > 0` the domain of a parameter.
  const onIndices = resolved.conditions.filter((c) => freeIndices(c).size > 0);
  resolved.conditions.forEach((c, k) => {
    const names = onIndices.includes(c) ? [...freeSymbols(c)] : [];
    if (names.length > 0) {
      fail("E_USAGE", `'${names[0]}' is compared with an index here, but it is not an index of the claim`, {
        span: syntax.conditions[k]!.span, source, hint: "a `for` condition compares indices of the claim (i != j), or ranges a name over numbers (beta > 0)",
      });
    }
  });
  const claim = makeClaim(source, resolved.left, resolved.right, resolved.where, domainOf(resolved.conditions.filter((c) => !onIndices.includes(c))));
  const name = subjectName(syntax.left) ?? subjectName(syntax.right);
  const indexCase = onIndices.length === 0 ? undefined : onIndices.length === 1 ? onIndices[0]! : logic("and", onIndices);
  return { ...claim, ...(name !== undefined ? { name } : {}), ...(indexCase !== undefined ? { indexCase } : {}) };
}

/** `diff(relu(x), x)` or `relu(x)`: the name of the function a side is about. */
function subjectName(s: Syntax): string | undefined {
  const operand = s.type === "call" && s.name === "diff" ? s.args[0] : s;
  return operand?.type === "call" && operand.name !== "diff" ? operand.name : undefined;
}

/** Builds a claim from resolved sides, substituting the `where` names. */
export function makeClaim(source: string, left: Expr, right: Expr, where: readonly Binding[] = [], domain: Domain = new Map(), variable?: string): Claim {
  const bindings = new Map(where.map((b) => [b.name, b.value]));
  for (const b of where) {
    if (domain.has(b.name)) fail("E_USAGE", `'${b.name}' is both named by where and ranged by for`);
  }
  const v = variable ?? derivativeVariable(left) ?? derivativeVariable(right);
  return {
    source, written: { left, right }, where, domain,
    left: substitute(left, bindings), right: substitute(right, bindings),
    ...(v !== undefined ? { variable: v } : {}),
  };
}

const derivativeVariable = (e: Expr): string | undefined => {
  const d = postorder(e).find((n) => n.kind === "derivative");
  return d?.kind === "derivative" ? d.wrt : undefined;
};

function readLatexClaim(source: string, scope: Scope): Claim {
  const eq = readLatexEquation(source, scope);
  if (eq.sides.length !== 2) {
    fail("E_USAGE", `a claim has two sides; this has ${eq.sides.length}`, { hint: "check a chain a = b = c with `actdiff check` on a document" });
  }
  const [a, b] = eq.sides;
  if (a!.form === "definition" && a!.value === undefined && a!.name !== undefined) definitionNotClaim(a!.name, source, a!.span, source.slice(b!.span.offset, b!.span.offset + b!.span.length));
  for (const s of [a!, b!]) {
    if (s.value === undefined) {
      const name = "name" in s && s.name !== undefined ? `'${s.name}'` : "the function";
      fail("E_UNKNOWN_NAME", `${name} is not defined, so the claim cannot be checked`, { span: s.span, source, hint: "define it first, or use a catalog name" });
    }
  }
  const claim = makeClaim(source, a!.value!, b!.value!, [], new Map(), eq.variable);
  const name = "written" in a! && a!.written !== undefined ? a!.written : undefined;
  return name === undefined ? claim : { ...claim, name };
}

/**
 * `k(x) = tanh(2*x)` with k unknown defines k: a definition is never a claim, so it is neither
 * verified nor refuted but refused, with the way to check what the writer means.
 */
function definitionNotClaim(name: string, source: string, span: Span, body: string): never {
  const operator = source.includes("\\") ? "\\frac{d}{dx}" : "d/dx";
  return fail("E_USAGE", `this defines ${name}: a definition is not a claim, so there is nothing to verify`, {
    span, source, hint: `claim something about its formula, as in ${operator} (${body.trim()}) = …, or check a document that defines ${name} and claims something about it with \`actdiff check\``,
  });
}

// ---------------------------------------------------------------------------------------------
// Syntax-level readings that need the scope

/**
 * Two readings before names are resolved:
 *  - `d/dx(u)` parses as d divided by a call of `dx`, and `d^2/dx^2 (u)` as d² / dx^(2·u): both
 *    are the derivative operator applied to u (no one divides by a function named dx);
 *  - a parameter of a catalog or user function that the claim differentiates by or ranges over
 *    (`d/dbeta swish(x)`, `… for beta > 0`) is passed as a free symbol, not left at its default.
 */
function prepare(claim: ClaimSyntax, scope: Scope): ClaimSyntax {
  const free = new Set<string>();
  const collect = (s: Syntax): void => {
    if (s.type === "call" && s.name === "diff" && s.args[1]?.type === "name") free.add(s.args[1].name);
    children(s).forEach(collect);
  };
  const rewritten = { left: operatorForm(claim.left), right: operatorForm(claim.right) };
  collect(rewritten.left);
  collect(rewritten.right);
  for (const c of claim.conditions) namesIn(c).forEach((n) => free.add(n));
  const pass = (s: Syntax): Syntax => passFreeParameters(s, free, scope);
  return { ...claim, left: pass(rewritten.left), right: pass(rewritten.right), where: claim.where.map((b) => ({ ...b, value: pass(b.value) })) };
}

function children(s: Syntax): Syntax[] {
  switch (s.type) {
    case "number": case "name": return [];
    case "call": return [...s.args, ...s.params.map((p) => p.value)];
    case "binary": case "compare": case "logic": return [s.left, s.right];
    case "negate": case "not": return [s.arg];
    case "cases": return [...s.branches.flatMap((b) => [b.when, b.then]), s.otherwise];
    case "index": return [s.target, s.index];
  }
}

const namesIn = (s: Syntax): string[] => (s.type === "name" ? [s.name] : children(s).flatMap(namesIn));

const diffCall = (operand: Syntax, variable: string, order: number, span: Syntax["span"]): Syntax => ({
  type: "call", name: "diff", nameSpan: span, params: [], span,
  args: [operand, { type: "name", name: variable, span }, ...(order === 1 ? [] : [{ type: "number" as const, text: String(order), span }])],
});

/** `d / dx(u)` → diff(u, x); `d^n / dx^(n·u)` → diff(u, x, n). Only at the top of a side. */
function operatorForm(s: Syntax): Syntax {
  if (s.type !== "binary" || s.op !== "/") return s;
  const { left, right } = s;
  if (left.type === "name" && left.name === "d" && right.type === "call" && /^d[A-Za-z]/.test(right.name) && right.args.length === 1 && right.params.length === 0) {
    return diffCall(right.args[0]!, right.name.slice(1), 1, s.span);
  }
  if (left.type === "binary" && left.op === "^" && left.left.type === "name" && left.left.name === "d" && left.right.type === "number" &&
    right.type === "binary" && right.op === "^" && right.left.type === "name" && /^d[A-Za-z]/.test(right.left.name) &&
    right.right.type === "binary" && right.right.op === "*" && right.right.left.type === "number" && right.right.left.text === left.right.text) {
    return diffCall(right.right.right, right.left.name.slice(1), Number(left.right.text), s.span);
  }
  return s;
}

function passFreeParameters(s: Syntax, free: ReadonlySet<string>, scope: Scope): Syntax {
  const walk = (n: Syntax): Syntax => {
    switch (n.type) {
      case "number": case "name": return n;
      case "binary": return { ...n, left: walk(n.left), right: walk(n.right) };
      case "compare": return { ...n, left: walk(n.left), right: walk(n.right) };
      case "logic": return { ...n, left: walk(n.left), right: walk(n.right) };
      case "negate": return { ...n, arg: walk(n.arg) };
      case "not": return { ...n, arg: walk(n.arg) };
      case "cases": return { ...n, branches: n.branches.map((b) => ({ when: walk(b.when), then: walk(b.then) })), otherwise: walk(n.otherwise) };
      case "index": return { ...n, target: walk(n.target), index: walk(n.index) };
      case "call": {
        const args = n.args.map(walk);
        const params = n.params.map((p) => ({ ...p, value: walk(p.value) }));
        const d = scope.lookup(n.name);
        if (d === undefined) return { ...n, args, params };
        const positional = args.length - d.inputs.length + params.filter((p) => p.name === undefined).length;
        const extra: ParamArg[] = d.params
          .filter((p, i) => free.has(p.name) && i >= positional && !params.some((q) => q.name === p.name))
          .map((p) => ({ name: p.name, value: { type: "name", name: p.name, span: n.nameSpan }, span: n.nameSpan }));
        return { ...n, args, params: [...params, ...extra] };
      }
    }
  };
  return walk(s);
}
