import { BOUND_PREFIX, HALF, idx, len, num, pow, splitCoefficient, sym } from "../ast/build.js";
import { assertNever, type CompareOp, type Expr } from "../ast/nodes.js";
import { boundIndexNames, type IndexNames } from "../ast/print-vectors.js";
import { freeIndices, transform } from "../ast/walk.js";
import * as Q from "../ast/rational.js";
import { fnSpec } from "../functions/table.js";
import { readSelfValue } from "../ast/self-value.js";

/**
 * How tightly a piece of LaTeX binds, loosest first. A piece is parenthesised when its context
 * asks for more than it has; text inside braces (`\frac{…}{…}`, `^{…}`, `\sqrt{…}`) and inside a
 * function's own parentheses is a fresh context, so it never needs parentheses of its own.
 */
const enum Prec { Cases = 0, Logic = 1, Compare = 2, Sum = 3, Product = 4, Power = 5, Atom = 6 }

type Rendered = readonly [text: string, prec: Prec];

/** LaTeX for an expression, in textbook form: `x \sigma(\beta x)`, `1 - \tanh^{2}(x)`, `\frac{x}{1 + \left|x\right|}`. */
export function toLatex(e: Expr): string {
  const outer = indexNames;
  if (outer === undefined) indexNames = boundIndexNames(e);
  try {
    return render(e)[0];
  } finally {
    indexNames = outer;
  }
}

/** The letters of the bound indices of the expression being rendered (as print.ts names them). */
let indexNames: IndexNames | undefined;
const indexSymbol = (name: string): string => symbol(name.startsWith(BOUND_PREFIX) ? indexNames?.get(name) ?? name : name);

function at(e: Expr, context: Prec): string {
  return parenthesise(render(e), context);
}

function parenthesise([text, prec]: Rendered, context: Prec): string {
  return prec < context ? wrap(text) : text;
}

// Plain parentheses look too short next to a fraction, a radical or a cases block.
const TALL = /\\(?:frac|sqrt|begin)\b/;
const wrap = (inner: string): string => (TALL.test(inner) ? `\\left(${inner}\\right)` : `(${inner})`);

const BINDING: Record<"atom" | "power" | "sum", Prec> = { atom: Prec.Atom, power: Prec.Power, sum: Prec.Sum };

function render(e: Expr): Rendered {
  switch (e.kind) {
    case "num": return renderScaled(e.value, []);
    case "sym": return [symbol(e.name), Prec.Atom];
    case "const": return [e.name === "pi" ? "\\pi" : "e", Prec.Atom];
    case "call": {
      const spec = fnSpec(e.fn);
      return [spec.latex(e.args.map(toLatex), wrap), BINDING[spec.latexBinding ?? "atom"]];
    }
    case "add": return renderSum(e.terms);
    case "mul": {
      const [c, rest] = splitCoefficient(e);
      return renderScaled(c, factorsOf(rest));
    }
    case "pow": return reciprocal(e) === undefined ? renderPower(e.base, e.exponent) : renderScaled(Q.ONE, [e]);
    case "piecewise": {
      const rows = e.branches.map((b) => `${toLatex(b.then)} & \\text{if } ${toLatex(b.when)}`);
      rows.push(`${toLatex(e.otherwise)} & \\text{otherwise}`);
      return [`\\begin{cases} ${rows.join(" \\\\ ")} \\end{cases}`, Prec.Cases];
    }
    case "compare": return [`${at(e.left, Prec.Sum)} ${COMPARE[e.op]} ${at(e.right, Prec.Sum)}`, Prec.Compare];
    // Mixed and/or is parenthesised even where precedence would allow dropping it: readers of
    // `a \land b \lor c` should not need to know the convention.
    case "logic": return [e.args.map((a) => at(a, Prec.Compare)).join(e.op === "and" ? " \\land " : " \\lor "), Prec.Logic];
    case "not": return [`\\lnot ${at(e.arg, Prec.Sum)}`, Prec.Atom];
    case "derivative": {
      const [d, dx] = e.order === 1 ? ["d", `d${symbol(e.wrt)}`] : [`d^{${e.order}}`, `d${symbol(e.wrt)}^{${e.order}}`];
      return [`\\frac{${d}}{${dx}} ${at(e.expr, Prec.Power)}`, Prec.Product];
    }
    case "idx": return [indexSymbol(e.name), Prec.Atom];
    case "elem": return [`${symbol(e.vector)}_{${toLatex(e.index)}}`, Prec.Atom];
    case "len": return [`N_{${symbol(e.vector)}}`, Prec.Atom];
    case "reduce": {
      const k = indexSymbol(e.index);
      const whole = e.from.kind === "num" && e.from.value.n === 0n && e.to.kind === "len";
      const range = whole ? `_{${k}}` : `_{${k} = ${toLatex(e.from)}}^{${toLatex(e.to)} - 1}`;
      const op = { sum: "\\sum", max: "\\max", min: "\\min", argmax: "\\operatorname*{arg\\,max}", argmin: "\\operatorname*{arg\\,min}" }[e.op];
      return [`${op}${range} ${at(e.body, e.op === "sum" ? Prec.Product : Prec.Atom)}`, e.op === "sum" ? Prec.Sum : Prec.Product];
    }
    case "vcall": {
      // softmax(v)_i over a whole vector: the vector written as in numpy, (−x) or x.
      const k = idx(e.index);
      let whole = true;
      const vector = transform(e.body, (n) => {
        if (n.kind !== "elem" || n.index !== k) return n;
        if (e.length !== len(n.vector)) whole = false;
        return sym(n.vector);
      });
      const arg = whole && !freeIndices(vector).has(e.index) ? toLatex(vector) : `(${toLatex(e.body)})_{${indexSymbol(e.index)}}`;
      const name = `\\operatorname{${e.fn}}\\left(${arg}\\right)`;
      return [e.at === undefined ? name : `${name}_{${toLatex(e.at)}}`, Prec.Atom];
    }
    default: return assertNever(e);
  }
}

const COMPARE: Record<CompareOp, string> = { "<": "<", "<=": "\\le", ">": ">", ">=": "\\ge", "==": "=", "!=": "\\ne" };

const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
  "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi",
  "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
]);

/** `x`, `\beta`, `\mathrm{negative\_slope}`: a multi-letter name in italics would read as a product. */
function symbol(name: string): string {
  if (GREEK.has(name)) return `\\${name}`;
  // A function's own value in a derivative written in terms of it: \mathrm{softmax0}(x).
  const self = readSelfValue(name);
  if (self !== undefined) {
    // A derivative's own value (its label softmax0′) takes its primes outside the name.
    const [, fn, primes] = /^(.*?)(′*)$/.exec(self.fn)!;
    return `${symbol(fn!)}${"'".repeat(primes!.length)}(${self.args.map(symbol).join(", ")})`;
  }
  // KaTeX sets Greek letters in math mode, other letters beyond ASCII in text mode only.
  if (/[^\x00-\x7f\u0391-\u03a9\u03b1-\u03c9]/.test(name)) return `\\text{${name.replaceAll("_", "\\_")}}`;
  if ([...name].length === 1) return name;
  return `\\mathrm{${name.replaceAll("_", "\\_")}}`;
}

const factorsOf = (rest: Expr): Expr[] => (rest.kind === "mul" ? [...rest.factors] : rest.kind === "num" ? [] : [rest]);

/** `x^-k` as `x^k`, for the denominator; undefined for any other factor. */
function reciprocal(f: Expr): Expr | undefined {
  if (f.kind !== "pow" || f.exponent.kind !== "num" || !Q.isNegative(f.exponent.value)) return undefined;
  return pow(f.base, num(Q.neg(f.exponent.value)));
}

function renderSum(terms: readonly Expr[]): Rendered {
  const signed = terms.map((t) => {
    const [c, rest] = splitCoefficient(t);
    return { negative: Q.isNegative(c), magnitude: renderScaled(Q.isNegative(c) ? Q.neg(c) : c, factorsOf(rest)) };
  });
  // Canonical order puts constants first; `e^{x} - 1` reads better than `-1 + e^{x}`.
  const firstPositive = signed.findIndex((t) => !t.negative);
  if (firstPositive > 0) signed.unshift(...signed.splice(firstPositive, 1));
  const text = signed.map((t, i) => {
    if (!t.negative) return (i === 0 ? "" : " + ") + parenthesise(t.magnitude, Prec.Sum);
    return (i === 0 ? "-" : " - ") + parenthesise(t.magnitude, Prec.Product);
  });
  return [text.join(""), Prec.Sum];
}

/** c · Π factors as `-\frac{numerator}{denominator}`, with negative powers moved below the bar. */
function renderScaled(c: Q.Rational, factors: readonly Expr[]): Rendered {
  if (Q.isNegative(c)) return [`-${parenthesise(renderScaled(Q.neg(c), factors), Prec.Product)}`, Prec.Sum];
  const top: Rendered[] = [];
  const bottom: Rendered[] = [];
  const asDecimal = decimal(c);
  if (asDecimal !== undefined) top.push(asDecimal);
  else {
    if (c.n !== 1n) top.push([c.n.toString(), Prec.Atom]);
    if (c.d !== 1n) bottom.push([c.d.toString(), Prec.Atom]);
  }
  for (const f of factors) {
    const below = reciprocal(f);
    if (below === undefined) top.push(render(f));
    else bottom.push(render(below));
  }
  if (bottom.length === 0) return juxtapose(top);
  return [`\\frac{${juxtapose(top)[0]}}{${juxtapose(bottom)[0]}}`, Prec.Product];
}

/**
 * Factors side by side; `\cdot` only where digits would run together (`2 \cdot 3^{x}`), and a
 * thin space after a multi-letter name so that `\mathrm{weight}\, x` does not read "weightx". A
 * derivative reaches as far right as it can, so one followed by another factor is closed first.
 */
function juxtapose(factors: readonly Rendered[]): Rendered {
  if (factors.length === 0) return ["1", Prec.Atom];
  if (factors.length === 1) return factors[0]!;
  const texts = factors.map((f, i) => parenthesise(f, i === factors.length - 1 ? Prec.Product : Prec.Power));
  const separator = (left: string, right: string): string =>
    /^[0-9.]/.test(right) ? " \\cdot " : /^\\mathrm\{[^}]*\}$/.test(left) ? "\\, " : " ";
  return [texts.reduce((out, t, i) => out + separator(texts[i - 1]!, t) + t), Prec.Product];
}

/**
 * A rational does not remember whether it was written 0.01 or 1/100. Of its two exact spellings
 * the shorter wins, the fraction on a tie: `0.01 x`, `1.6732`, but `\frac{x}{2}`, `\frac{1}{3}`.
 */
function decimal(c: Q.Rational): Rendered | undefined {
  if (c.d === 1n) return undefined;
  let rest = c.d;
  let twos = 0;
  let fives = 0;
  for (; rest % 2n === 0n; rest /= 2n) twos++;
  for (; rest % 5n === 0n; rest /= 5n) fives++;
  if (rest !== 1n) return undefined;
  const places = Math.max(twos, fives);
  const digits = ((c.n * 10n ** BigInt(places)) / c.d).toString();
  const padded = digits.padStart(places + 1, "0");
  const plain = `${padded.slice(0, -places)}.${padded.slice(-places)}`;
  if (plain.length >= `${c.n}/${c.d}`.length) return undefined;
  // Past a few leading zeros a decimal is unreadable: 1e-300 becomes 1 \times 10^{-300}.
  const exponent = digits.length - 1 - places;
  if (exponent >= -4) return [plain, Prec.Atom];
  const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return [`${mantissa} \\times 10^{${exponent}}`, Prec.Power]; // one number: no parentheses before `x`
}

function renderPower(base: Expr, exponent: Expr): Rendered {
  if (exponent === HALF) return [`\\sqrt{${toLatex(base)}}`, Prec.Atom];
  return [functionPower(base, exponent) ?? `${at(base, Prec.Atom)}^{${toLatex(exponent)}}`, Prec.Power];
}

/**
 * `\tanh^{2}(x)`, the textbook form of a named function raised to a positive integer power. It
 * applies to one-argument functions whose LaTeX is a name followed by the wrapped argument
 * (detected by watching `wrap`); `e^{x}`, `\left|x\right|` and `\sqrt{x}` take a superscript
 * after them, and so does `\max`, whose superscript would become a limit in display style.
 */
function functionPower(base: Expr, exponent: Expr): string | undefined {
  if (base.kind !== "call" || exponent.kind !== "num" || !Q.isInteger(exponent.value) || Q.isNegative(exponent.value)) return undefined;
  const spec = fnSpec(base.fn);
  if (spec.arity !== 1 || (spec.latexBinding ?? "atom") !== "atom") return undefined;
  let argument = "";
  const text = spec.latex(base.args.map(toLatex), (inner) => (argument = wrap(inner)));
  if (argument === "" || !text.endsWith(argument)) return undefined;
  return `${text.slice(0, -argument.length)}^{${exponent.value.n}}${argument}`;
}
