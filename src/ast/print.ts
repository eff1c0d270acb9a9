import { BOUND_PREFIX, num, splitCoefficient } from "./build.js";
import type { RandomVariable } from "./definition.js";
import { assertNever, type Expr } from "./nodes.js";
import * as Q from "./rational.js";
import { boundIndexNames, renderIndexed, type IndexNames } from "./print-vectors.js";

/**
 * Prints an expression in the formula language with the fewest parentheses that still parse
 * back to the same tree (`parse(print(e)) === e`, property-tested).
 */
const enum Prec { Ternary = 0, Or = 1, And = 2, Not = 3, Compare = 4, Sum = 5, Product = 6, Unary = 7, Power = 8, Atom = 9 }

export function print(e: Expr): string {
  const outer = names;
  // Bound indices (§1, §2, …) print as letters no free name of e uses: k, l, m, …
  if (outer === undefined) names = boundIndexNames(e);
  try {
    return printAt(e, Prec.Ternary);
  } finally {
    names = outer;
  }
}

/**
 * A vector-valued body written as its element at an index (softmax's exp(x_i) / Σ_k exp(x_k)),
 * printed as the whole vector, as its author wrote it: `exp(x) / sum(exp(x))`. Elements at the
 * index drop their subscript; anything else that reads the index prints it.
 */
export function printVector(element: Expr, index: string): string {
  const outer = wholeAt;
  wholeAt = index;
  try {
    return print(element);
  } finally {
    wholeAt = outer;
  }
}

/** The index whose elements print as whole vectors, inside printVector. */
let wholeAt: string | undefined;
export const printsWhole = (name: string): boolean => name === wholeAt;

/** The letters of the bound indices of the expression being printed. */
let names: IndexNames | undefined;

/** How a bound or free index prints. */
export const indexName = (name: string): string => (name.startsWith(BOUND_PREFIX) ? names?.get(name) ?? name : name);

/** `a ~ uniform(lower, upper)`: one random variable, as written. */
export const printRandom = (r: RandomVariable): string => `${r.name} ~ ${r.distribution}(${r.args.map(print).join(", ")})`;

/** `where a ~ uniform(lower, upper), y ~ normal(0, sigma)`: a definition's random variables, as written. */
export const printRandoms = (randoms: readonly RandomVariable[]): string => `where ${randoms.map(printRandom).join(", ")}`;

function printAt(e: Expr, context: Prec): string {
  const [text, prec] = render(e);
  return prec < context ? `(${text})` : text;
}

/** For print-vectors.ts: an expression at the loosest or tightest context. */
export const printInner = (e: Expr, tight = false): string => printAt(e, tight ? Prec.Atom : Prec.Ternary);

function render(e: Expr): [string, Prec] {
  switch (e.kind) {
    case "num": {
      const v = e.value;
      if (Q.isNegative(v)) return [`-${printAt(num(Q.neg(v)), Prec.Unary)}`, Prec.Unary];
      const s = Q.toString(v);
      return [s, s.includes("/") ? Prec.Product : Prec.Atom];
    }
    case "sym": case "const": return [e.name, Prec.Atom];
    case "call": return [`${e.fn}(${e.args.map(print).join(", ")})`, Prec.Atom];
    case "add": return renderSum(e.terms);
    case "mul": return renderProduct(e);
    case "pow": {
      if (e.exponent.kind === "num" && Q.isNegative(e.exponent.value)) return renderProduct(e);
      return [`${printAt(e.base, Prec.Atom)}^${printAt(e.exponent, Prec.Unary)}`, Prec.Power];
    }
    case "piecewise": {
      const parts = e.branches.map((b) => `${printAt(b.when, Prec.Or)} ? ${printAt(b.then, Prec.Ternary)} : `);
      return [parts.join("") + printAt(e.otherwise, Prec.Ternary), Prec.Ternary];
    }
    case "compare": return [`${printAt(e.left, Prec.Sum)} ${e.op} ${printAt(e.right, Prec.Sum)}`, Prec.Compare];
    case "logic": {
      const inner = e.op === "and" ? Prec.Not : Prec.And;
      return [e.args.map((a) => printAt(a, inner)).join(` ${e.op} `), e.op === "and" ? Prec.And : Prec.Or];
    }
    case "not": return [`not ${printAt(e.arg, Prec.Not)}`, Prec.Not];
    case "derivative": {
      const order = e.order === 1 ? "" : `, ${e.order}`;
      return [`diff(${print(e.expr)}, ${e.wrt}${order})`, Prec.Atom];
    }
    case "idx": return [indexName(e.name), Prec.Atom];
    case "elem": case "len": case "reduce": case "vcall": return [renderIndexed(e), Prec.Atom];
    default: return assertNever(e);
  }
}

function renderSum(canonical: readonly Expr[]): [string, Prec] {
  // Lead with a positive term where there is one: `exp(x) - 1`, not `-1 + exp(x)`.
  const lead = canonical.findIndex((t) => !Q.isNegative(splitCoefficient(t)[0]));
  const terms = lead > 0 ? [canonical[lead]!, ...canonical.filter((_, i) => i !== lead)] : canonical;
  let out = "";
  terms.forEach((term, i) => {
    const [c, rest] = splitCoefficient(term);
    if (i > 0 && Q.isNegative(c)) {
      out += ` - ${printProductOf(Q.neg(c), rest, Prec.Product)}`;
    } else {
      out += (i > 0 ? " + " : "") + printAt(term, Prec.Product);
    }
  });
  return [out, Prec.Sum];
}

function printProductOf(c: Q.Rational, rest: Expr, context: Prec): string {
  const [text, prec] = renderScaled(c, rest.kind === "mul" ? rest.factors : rest.kind === "num" ? [] : [rest]);
  return prec < context ? `(${text})` : text;
}

function renderProduct(e: Expr): [string, Prec] {
  const [c, rest] = splitCoefficient(e);
  return renderScaled(c, rest.kind === "mul" ? rest.factors : rest.kind === "num" ? [] : [rest]);
}

/** c · Π factors, written as `-a * b / (c * d)`. */
function renderScaled(c: Q.Rational, factors: readonly Expr[]): [string, Prec] {
  // The parser applies a coefficient to the first factor before the others, and a number times
  // a lone sum distributes: `-30 * (x - 1) / y` would come back as (30 - 30x)/y. Where a
  // coefficient would meet a sum first, the rest is grouped: `-30 * ((x - 1) / y)`.
  if (!Q.isOne(c) && meetsSumFirst(c, factors)) {
    const [inner] = renderScaled(Q.ONE, factors);
    if (Q.equals(c, Q.neg(Q.ONE))) return [`-(${inner})`, Prec.Unary];
    const sign = Q.isNegative(c) ? "-" : "";
    return [`${sign}${Q.toString(Q.isNegative(c) ? Q.neg(c) : c)} * (${inner})`, Prec.Product];
  }
  if (Q.isNegative(c)) {
    // `-a * b` binds as a product: in an exponent it needs parentheses, x^(-a * b).
    const [text, prec] = renderScaled(Q.neg(c), factors);
    return [`-${text}`, prec < Prec.Unary ? prec : Prec.Unary];
  }
  const numerator: string[] = [];
  const denominator: string[] = [];
  // A coefficient with a finite decimal expansion stays a decimal, as it was most likely written: 0.01 * x.
  const decimal = Q.toString(c);
  if (!decimal.includes("/")) {
    if (!Q.isOne(c) || factors.length === 0) numerator.push(decimal);
  } else {
    if (c.n !== 1n || factors.length === 0) numerator.push(c.n.toString());
    denominator.push(c.d.toString());
  }
  for (const f of factors) {
    if (f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value)) {
      const positive = Q.neg(f.exponent.value);
      denominator.push(Q.isOne(positive) ? printAt(f.base, Prec.Power) : `${printAt(f.base, Prec.Atom)}^${printAt(num(positive), Prec.Unary)}`);
    } else {
      numerator.push(printAt(f, Prec.Unary));
    }
  }
  if (numerator.length === 0) numerator.push("1");
  const top = numerator.join(" * ");
  if (denominator.length === 0) return [top, numerator.length > 1 ? Prec.Product : lowestOf(factors, c)];
  const bottom = denominator.length === 1 ? denominator[0]! : `(${denominator.join(" * ")})`;
  return [`${top} / ${bottom}`, Prec.Product];
}

const isReciprocal = (f: Expr): boolean => f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value);

/** Whether the coefficient, as printed, would be multiplied into a lone sum while parsing back. */
function meetsSumFirst(c: Q.Rational, factors: readonly Expr[]): boolean {
  const firstUp = factors.find((f) => !isReciprocal(f));
  const firstDown = factors.find(isReciprocal);
  const coefficientUp = Q.isNegative(c) || !Q.isOne(Q.toString(c).includes("/") ? Q.rational(c.n) : c);
  const coefficientDown = c.d !== 1n && Q.toString(c).includes("/");
  return (coefficientUp && firstUp?.kind === "add")
    || (coefficientDown && firstDown?.kind === "pow" && firstDown.base.kind === "add" && Q.equals((firstDown.exponent as { value: Q.Rational }).value, Q.neg(Q.ONE)));
}

/** A product of one factor binds as tightly as that factor. */
function lowestOf(factors: readonly Expr[], c: Q.Rational): Prec {
  if (factors.length === 0) return Q.isInteger(c) ? Prec.Atom : Prec.Product;
  if (factors.length > 1) return Prec.Product;
  const own = render(factors[0]!)[1];
  return own < Prec.Unary ? Prec.Atom : own; // it was parenthesised above
}
