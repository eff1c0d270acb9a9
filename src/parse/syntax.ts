/**
 * The syntax tree the grammar builds: what was written, where. It keeps every source span so
 * that name resolution can point at the exact token; `resolve` turns it into an `Expr`.
 */
export interface Span {
  /** 0-based offset of the first character. */
  readonly offset: number;
  readonly length: number;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
}

export interface Token {
  readonly type?: string | undefined;
  readonly value: string;
  readonly text: string;
  readonly offset: number;
  readonly line: number;
  readonly col: number;
}

export type Syntax =
  | { readonly type: "number"; readonly text: string; readonly span: Span }
  | { readonly type: "name"; readonly name: string; readonly span: Span }
  | { readonly type: "call"; readonly name: string; readonly nameSpan: Span; readonly args: readonly Syntax[]; readonly params: readonly ParamArg[]; readonly span: Span }
  | { readonly type: "binary"; readonly op: "+" | "-" | "*" | "/" | "^"; readonly left: Syntax; readonly right: Syntax; readonly span: Span }
  | { readonly type: "negate"; readonly arg: Syntax; readonly span: Span }
  | { readonly type: "compare"; readonly op: "<" | "<=" | ">" | ">=" | "==" | "!="; readonly left: Syntax; readonly right: Syntax; readonly span: Span }
  | { readonly type: "logic"; readonly op: "and" | "or"; readonly left: Syntax; readonly right: Syntax; readonly span: Span }
  | { readonly type: "not"; readonly arg: Syntax; readonly span: Span }
  | { readonly type: "cases"; readonly branches: readonly { readonly when: Syntax; readonly then: Syntax }[]; readonly otherwise: Syntax; readonly span: Span }
  /** An element of a vector: `softmax(x)_i`, `x[i + 1]`. */
  | { readonly type: "index"; readonly target: Syntax; readonly index: Syntax; readonly span: Span };

/** A parameter passed at a call site: `swish(x; beta = 2)` or positionally `swish(x; 2)`. */
export interface ParamArg { readonly name?: string; readonly value: Syntax; readonly span: Span }

export interface ParamDecl { readonly name: string; readonly span: Span; readonly defaultValue?: Syntax }

export interface DefinitionSyntax {
  readonly type: "definition";
  readonly name: string;
  readonly nameSpan: Span;
  /** `x[]` declares a vector input. */
  readonly inputs: readonly { readonly name: string; readonly span: Span; readonly vector?: boolean }[];
  readonly params: readonly ParamDecl[];
  readonly body: Syntax;
  /** `where a ~ uniform(lower, upper), …`: absent when the definition draws nothing. */
  readonly randoms?: readonly RandomSyntax[];
  readonly span: Span;
}

/** `a ~ uniform(lower, upper)`: the variable, the distribution's name and its arguments. */
export interface RandomSyntax {
  readonly name: string;
  readonly nameSpan: Span;
  readonly distribution: string;
  readonly distributionSpan: Span;
  readonly args: readonly Syntax[];
  readonly span: Span;
}

/**
 * A claim `lhs = rhs`, optionally followed by `where y = tanh(x)` (names the right side may use)
 * and `for beta > 0` / `for 0 < beta < 2` (the parameter values it is claimed for). Derivative
 * notations (`f'(x)`, `d/dx f(x)`) arrive as calls to `diff`, so resolution has one form to read.
 */
export interface ClaimSyntax {
  readonly type: "claim";
  readonly left: Syntax;
  readonly right: Syntax;
  readonly where: readonly ClaimBinding[];
  /** Each a comparison, or an `and` of two for a chained range. */
  readonly conditions: readonly Syntax[];
  readonly span: Span;
}

export interface ClaimBinding { readonly name: string; readonly value: Syntax; readonly span: Span }

export type TopLevel = DefinitionSyntax | Syntax;

// Span helpers for the grammar's postprocessors.
export const tokenSpan = (t: Token): Span => ({ offset: t.offset, length: t.text.length, line: t.line, column: t.col });

type Spanned = { readonly span: Span } | Token;
const spanOfPart = (p: Spanned): Span => ("span" in p ? p.span : tokenSpan(p));

/** The span from the start of `first` to the end of `last`. */
export function join(first: Spanned, last: Spanned): Span {
  const a = spanOfPart(first);
  const b = spanOfPart(last);
  return { offset: a.offset, line: a.line, column: a.column, length: b.offset + b.length - a.offset };
}

/** The direct subtrees of a syntax node, in the order they were written. */
export function syntaxChildren(s: Syntax): readonly Syntax[] {
  switch (s.type) {
    case "number": case "name": return [];
    case "call": return s.params.length === 0 ? s.args : [...s.args, ...s.params.map((p) => p.value)];
    case "binary": case "compare": case "logic": return [s.left, s.right];
    case "negate": case "not": return [s.arg];
    case "cases": return [...s.branches.flatMap((b) => [b.when, b.then]), s.otherwise];
    case "index": return [s.target, s.index];
  }
}

/**
 * Every node of a syntax tree, parents first, in the order written. An explicit stack, not
 * recursion: a sum of 100,000 terms is a chain of 100,000 binary nodes.
 */
export function* syntaxNodes(root: Syntax): Generator<Syntax> {
  const stack: Syntax[] = [root];
  while (stack.length > 0) {
    const s = stack.pop()!;
    yield s;
    const kids = syntaxChildren(s);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}
