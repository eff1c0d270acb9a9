import type { Span } from "../syntax.js";

/**
 * What grammar/latex.ne builds: the LaTeX as written, with spans into the LaTeX source. It
 * decides nothing that needs to know names. `a(e^x - 1)` and `f(x)` are both a juxtaposition
 * of a name and a parenthesised group here; resolve.ts tells the product from the call once it
 * can ask the scope which names are functions.
 */
export type LatexNode =
  | { readonly type: "number"; readonly text: string; readonly span: Span }
  /** A run of italic letters (`x`, `ax`, `ReLU`, `ReLU6`): one name or a product of letters. */
  | { readonly type: "word"; readonly text: string; readonly span: Span }
  /** `\infty`: read only as a bound of a condition (`1 < x < \infty`), where it always holds. */
  | { readonly type: "infinity"; readonly span: Span }
  /** `\alpha` → alpha, `\pi` → pi. */
  | { readonly type: "greek"; readonly name: string; readonly span: Span }
  /** A function command: `\tanh`, `\ln`, `\sigma`, `\max`, `\sech` (a builtin's name, or one names.ts expands). */
  | { readonly type: "function"; readonly name: string; readonly span: Span }
  /** `\text{…}`, `\mathrm{…}`, `\operatorname{…}` with their content unescaped. */
  | { readonly type: "text"; readonly command: string; readonly content: string; readonly span: Span }
  | { readonly type: "partial"; readonly span: Span }
  /** Parentheses may hold a comma-separated list (arguments); the other brackets hold one item. */
  | { readonly type: "group"; readonly delimiter: GroupDelimiter; readonly items: readonly LatexNode[]; readonly span: Span }
  | { readonly type: "abs"; readonly arg: LatexNode; readonly span: Span }
  | { readonly type: "frac"; readonly numerator: LatexNode; readonly denominator: LatexNode; readonly span: Span }
  | { readonly type: "sqrt"; readonly arg: LatexNode; readonly index?: LatexNode; readonly span: Span }
  | { readonly type: "cases"; readonly rows: readonly CaseRow[]; readonly span: Span }
  /** `\mathbb{1}(x > 0)`: 1 where the condition holds, else 0. */
  | { readonly type: "indicator"; readonly when: LatexNode; readonly span: Span }
  | { readonly type: "power"; readonly base: LatexNode; readonly exponent: LatexNode; readonly span: Span }
  /** `f'`, `f''`, `f^{\prime}`: `count` primes. */
  | { readonly type: "prime"; readonly base: LatexNode; readonly count: number; readonly span: Span }
  /** `y_{i}`, `a_1`, `t_{\text{min}}`: the index as written, letters and digits only; `(x)_+` the positive part. */
  | { readonly type: "subscript"; readonly base: LatexNode; readonly index: string; readonly span: Span }
  /** Factors side by side, two or more. */
  | { readonly type: "juxt"; readonly items: readonly LatexNode[]; readonly span: Span }
  | { readonly type: "binary"; readonly op: "+" | "-" | "*" | "/"; readonly left: LatexNode; readonly right: LatexNode; readonly span: Span }
  | { readonly type: "negate"; readonly arg: LatexNode; readonly span: Span }
  /** `a < b`, or a chain `0 < x < 6`: operands.length === ops.length + 1. */
  | { readonly type: "compare"; readonly operands: readonly LatexNode[]; readonly ops: readonly CompareSymbol[]; readonly span: Span }
  | { readonly type: "logic"; readonly op: "and" | "or"; readonly left: LatexNode; readonly right: LatexNode; readonly span: Span }
  | { readonly type: "not"; readonly arg: LatexNode; readonly span: Span }
  /**
   * `\sum_{k=1}^{N} body`. The grammar reads the operator with its limits; how far its body
   * reaches (to the end of the product it starts, like `\frac{d}{dx}`) is decided by notation.ts,
   * which fills `body`. `from` is absent for `\sum_{k}`, `index` for a bare `\sum`.
   */
  | {
    readonly type: "sum"; readonly index?: IndexName; readonly from?: LatexNode; readonly to?: LatexNode; readonly body?: LatexNode;
    /** The operator with its limits, `\sum_{k=1}^{N}`; `span` takes in the body too. */
    readonly limits: Span; readonly span: Span;
  }
  /** A column vector or matrix: `\left[\begin{array}{c} a_1 \\ \dots \\ a_N \end{array}\right]`, row by row. */
  | { readonly type: "matrix"; readonly rows: readonly (readonly LatexNode[])[]; readonly span: Span }
  /** `\dots`, `\cdots`, `\vdots`, `\ddots`: elements left out. */
  | { readonly type: "dots"; readonly span: Span };

/** A name written as an index: the k of `\sum_{k=1}`, the j of `\forall j`. */
export interface IndexName { readonly name: string; readonly span: Span }

export type GroupDelimiter = "(" | "[" | "{" | "\\{";
export type CompareSymbol = "<" | "<=" | ">" | ">=" | "==" | "!=";

/** One row of a cases block; `when` is absent for `\text{otherwise}`. */
export interface CaseRow { readonly value: LatexNode; readonly when?: LatexNode; readonly span: Span }

/** One row of an aligned block: `lhs &= a = b`, or a continuation `&= c` without lhs. */
export interface AlignRow { readonly lhs?: LatexNode; readonly rhs: readonly LatexNode[]; readonly span: Span }

/** `\forall j \in 1 \ldots N` after an equation: the range of its index. */
export interface Quantifier { readonly index: IndexName; readonly from: LatexNode; readonly to: LatexNode; readonly span: Span }

/**
 * A whole display: one chain `a = b = c` (with the range of its index, `\forall j \in 1 \ldots N`),
 * the rows of `\begin{aligned}`, or a map `S(a) : [a_1 … a_N] \rightarrow [S_1 … S_N]`.
 */
export type LatexDisplay =
  | { readonly type: "chain"; readonly sides: readonly LatexNode[]; readonly forall?: Quantifier; readonly span: Span }
  | { readonly type: "aligned"; readonly rows: readonly AlignRow[]; readonly span: Span }
  | { readonly type: "map"; readonly head: LatexNode; readonly from: LatexNode; readonly to: LatexNode; readonly span: Span };
