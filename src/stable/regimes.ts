import { add, call, compare, cond, mul, neg, num, piecewise, pow, splitCoefficient, sym } from "../ast/build.js";
import type { Branch, Call, Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { dagSize, freeSymbols, mapChildren, postorder, substitute, transform } from "../ast/walk.js";
import { simplify } from "../simplify/simplify.js";
import { diff } from "../diff/diff.js";
import type { Big } from "../numeric/big.js";
import { evaluateFloat } from "../numeric/evaluate.js";
import { ReferenceCache } from "../numeric/reference.js";
import { expand } from "../simplify/expand.js";

/**
 * Regime splitting, as Herbie's regime inference: where no one form of an expression is accurate
 * over the whole range but two are, each on a side of a point, the code branches there. log(e^x − 1)
 * (the inverse of softplus) is log(expm1(x)) for small x — and ∞ from x = 709.78 on, where e^x
 * overflows — or x + log1p(−e^(−x)), which cannot overflow but loses the digits of x near 0 (1 − e^(−x)
 * rounds them away); e^x/(e^x − 1), its derivative, is ∞/∞ = NaN from 709.78 on as written and −0
 * below −709.78 with e^x divided out. Neither alone is within the audit's bound, max(4, 4κ) ulps;
 * `x < T ? one : other` is.
 *
 * The candidates: the stable form `stabilize` made, and forms the generators below write from the
 * mathematics (each an identity, stabilised in turn): a sum of exponentials with one factored out
 * (log S = u + log(S·e^(−u)), N/S^k = N·e^(−ku)/(S·e^(−u))^k), and a logarithm absorbing the terms
 * beside it (a + log S = log(e^a·S), so softplus(x) − x is softplus(−x)). They are compared on a
 * sweep like the audit's (SWEEP below), against the audit's 40-digit reference (ReferenceCache)
 * and with its bound:
 *   - in float64 first, everywhere: where every candidate gives the same double (to 2 ulps), no
 *     choice matters and no reference is computed — the common case costs no more than that;
 *   - where they differ (at most MAX_MEASURED of those points, spread by rank), each is measured
 *     against the reference of the mathematical expression;
 *   - one candidate within the bound at every point is taken as it is; else a pair, the first
 *     within it below some point and the second above, is split: the edge of each one's accurate
 *     side is found by bisection on the measured error between the sweep points that bracket
 *     it, and the split point T is the shortest decimal halfway between the edges, so both forms
 *     are accurate around it;
 *   - the result is measured again at those points and on both sides of T, and kept only where it is within the bound wherever the stable form was and never
 *     further from the truth where it was not.
 * The branch tests the input of the subexpression: the exponent u through which alone it depends on
 * its one free name (log(e^(x²) − 1) splits in x², whose regimes are not x's), else that name. A
 * subexpression of more names (a softmax of three inputs) is left to the rules, as the series
 * near a zero is.
 */
type Visit = (e: Expr) => Expr;

/**
 * Sweep points: the audit's fixed points, a grid over [−1000, 1000], a finer one over [−40, 40] and
 * magnitudes down to 1e−40. Not to 1e−300 as the audit: a reference there can cost seconds
 * (log(e^x − 1) at 1e−300 needs e^x to 500 digits), and a form that loses digits near 0 has lost
 * them by 1e−8 already.
 */
const SWEEP: readonly number[] = (() => {
  const xs = new Set<number>([0, 1e-8, -1e-8, 1, -1, 20, -20, 40, -40, 709.78, -709.78, 710, -710, 745, -745, 1000, -1000]);
  // Irrational-looking steps: points such as k/8 round better than typical inputs would.
  for (let i = 0; i < 80; i++) xs.add(-1000 + (i + 0.37) * 25);
  for (let i = 0; i < 80; i++) xs.add(-40 + (i + 0.61) * 1);
  for (let i = 0; i < 40; i++) xs.add(-4 + (i + 0.29) * 0.2);
  for (let k = -40; k <= 3; k += 1) xs.add(1.37 * 10 ** k).add(-1.37 * 10 ** k);
  return [...xs].filter((x) => Math.abs(x) <= 1000).sort((a, b) => a - b);
})();

/** The tolerance, in ulps, within which two candidates' doubles count as the same. */
const SAME = 2;
/** Bisection steps for an edge: to 2⁻¹⁴ of the gap between two sweep points, as the split goes halfway between edges anyway. */
const BISECTION_STEPS = 14;
/**
 * Points measured against the reference, at most: where the candidates differ, evenly spread by
 * rank. A reference costs a millisecond or more (hundreds of digits where the mathematics
 * cancels), and the choice is made on the sides of a crossover, not on every point of them.
 */
const MAX_MEASURED = 64;

/**
 * While candidates are stabilised: the memo they are stabilised with, fresh for each analysis, so
 * that they are made without a further split and leave nothing in stabilize's own memo (a form
 * recorded there without its split would make what a formula compiles to depend on what was
 * compiled before it).
 */
let scratch: WeakMap<Expr, Expr> | undefined;

/** The memo stabilize is to use instead of its own while candidates are stabilised, if they are. */
export const candidateMemo = (): WeakMap<Expr, Expr> | undefined => scratch;

/**
 * The form of `math` (one free name) that regime splitting gives, or undefined where the stable form
 * `stable` is as good as any candidate: see the module comment.
 */
export function splitRegimes(math: Expr, stable: Expr, visit: Visit): Expr | undefined {
  if (scratch !== undefined || !shaped(math) || ofVectors(math)) return undefined;
  const names = freeSymbols(math);
  if (names.size !== 1 || candidatesOf(math).length === 0) return undefined;
  // The regimes are those of the subexpression's input u (log(e^(x²) − 1) has them in x², not in x):
  // the forms are written in t = u, chosen over t's sweep, and the branch tests u.
  const variable = [...names][0]!;
  const u = inputOf(math, variable);
  const t = u.kind === "sym" ? u : sym(INPUT);
  const reduced = u === t ? math : replaceNode(math, u, t);
  scratch = new WeakMap();
  let forms: Expr[];
  try {
    forms = [u === t ? stable : visit(reduced), ...candidatesOf(reduced).map((c) => intoBranches(visit(c)))];
  } finally {
    scratch = undefined;
  }
  forms = forms.filter((f, i) => forms.indexOf(f) === i && freeSymbols(f).size <= 1);
  if (forms.length < 2) return undefined;
  const chosen = new Regimes(reduced, t.name, forms).best();
  if (chosen === undefined) return undefined;
  return u === t ? chosen : readable(substitute(chosen, new Map([[t.name, visit(u)]])));
}

/**
 * A product with one piecewise factor, as the factors of each branch: (tan x − x)/(x·tan x) has
 * the series x³·P(x²) for tan x − x near 0, and x³ underflows below |x| ≈ 1e−103 where the
 * quotient x/3 does not; inside the branch, x³·x⁻¹·tan(x)⁻¹ is x²·P/tan x, which code generation
 * computes as (x/tan x)·x·P (a quotient of powers, program.ts).
 */
function intoBranches(e: Expr): Expr {
  if (e.kind !== "mul") return e;
  const branching = e.factors.filter((f) => f.kind === "piecewise");
  if (branching.length !== 1) return e;
  const p = branching[0] as Extract<Expr, { kind: "piecewise" }>;
  const others = e.factors.filter((f) => f !== p);
  return piecewise(p.branches.map((b) => ({ when: b.when, then: mul(b.then, ...others) })), mul(p.otherwise, ...others));
}

/**
 * A form with the branches on `test` inside it taken as `holds` says: the stable form of a product
 * may have split a factor where the product splits again (e^x·(x < 0 ? 1/expm1(x) : …)).
 */
const decided = (form: Expr, test: Expr, holds: boolean): Expr =>
  transform(form, (n) => (n.kind === "piecewise" && n.branches.length === 1 && n.branches[0]!.when === test ? (holds ? n.branches[0]!.then : n.otherwise) : n));

/** A branch on −u < T as a reader writes it: u > −T. */
function readable(e: Expr): Expr {
  if (e.kind !== "piecewise" || e.branches.length !== 1) return e;
  const [{ when, then }] = e.branches as [Branch];
  if (when.kind !== "compare" || when.op !== "<" || !Q.isNegative(splitCoefficient(when.left)[0])) return e;
  return cond(compare(">", neg(when.left), neg(when.right)), then, e.otherwise);
}

/** Whether e reads vectors (an element, a length, a reduction): its regimes are not a scalar sweep's to find. */
const VECTOR_KINDS: ReadonlySet<Expr["kind"]> = new Set(["elem", "idx", "len", "reduce", "vcall"]);
const ofVectors = (e: Expr): boolean => postorder(e).some((n) => VECTOR_KINDS.has(n.kind));

/** The name the input of a subexpression goes by while its regimes are found (never a name a definition can use). */
const INPUT = "input of the subexpression";

/**
 * The input u of e: the exponent of one of its exponentials where e depends on its variable only
 * through it (e^(2x)/(e^(2x) − 1): 2x), else the variable itself.
 */
function inputOf(e: Expr, variable: string): Expr {
  const placeholder = sym(INPUT);
  for (const n of postorder(e)) {
    if (!isExp(n) || n.args[0]!.kind === "sym") continue;
    const u = n.args[0]!;
    if (!freeSymbols(replaceNode(e, u, placeholder)).has(variable)) return u;
  }
  return sym(variable);
}

/** e with every occurrence of the node `from` (as it stands in e) replaced by `to`. */
function replaceNode(e: Expr, from: Expr, to: Expr): Expr {
  const memo = new Map<number, Expr>();
  const replaced = (c: Expr): Expr => memo.get(c.id)!;
  for (const n of postorder(e)) memo.set(n.id, n === from ? to : mapChildren(n, replaced));
  return memo.get(e.id)!;
}

// ---------------------------------------------------------------------------------------------
// Candidates: identities written from the mathematics.

const isExp = (e: Expr): e is Call => e.kind === "call" && e.fn === "exp";

/** S for log S, and with `softplus` for softplus(u) = log(1 + e^u) (a builtin, stable alone, but not beside −u). */
function logArgument(e: Expr, softplus = false): Expr | undefined {
  if (e.kind !== "call") return undefined;
  if (e.fn === "log") return e.args[0];
  if (e.fn === "softplus" && softplus) return add(num(Q.ONE), call("exp", [e.args[0]!]));
  return undefined;
}

/** A sum with expm1(u), however written, as e^u − 1: log(expm1(x)) is log(e^x − 1). */
const asExponentials = (s: Expr): Expr => (s.kind === "call" && s.fn === "expm1" ? add(call("exp", [s.args[0]!]), num(Q.neg(Q.ONE))) : s);

/** The exponents u of the terms c·e^u of a sum that depend on its free names (c > 0 only where `positive`). */
function exponentialTerms(s: Expr, positive: boolean): Expr[] {
  if (s.kind !== "add") return [];
  return s.terms.flatMap((t) => {
    const [c, rest] = splitCoefficient(t);
    return isExp(rest) && !(positive && Q.isNegative(c)) && freeSymbols(rest).size > 0 ? [rest.args[0]!] : [];
  });
}

/** A product multiplied out, with the exponentials of each term combined: (e^x − 1)·e^(−x) = 1 − e^(−x). */
function expandExponentials(e: Expr): Expr {
  const expanded = expand(e);
  const terms = expanded.kind === "add" ? expanded.terms : [expanded];
  return add(...terms.map((t) => {
    const factors = t.kind === "mul" ? t.factors : [t];
    const exponents = factors.filter(isExp).map((f) => f.args[0]!);
    if (exponents.length < 2) return t;
    const rest = factors.filter((f) => !isExp(f));
    const sum = add(...exponents);
    return mul(...rest, sum.kind === "num" && Q.isZero(sum.value) ? num(Q.ONE) : call("exp", [sum]));
  }));
}

/**
 * Whether e has the shape of one the generators below take (a log, a power −k of a sum or a product
 * with one, a sum with a log in it): a test of node kinds only, as stabilize asks it of every node.
 */
function shaped(e: Expr): boolean {
  const negativePowerOfSum = (f: Expr): boolean =>
    f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value) && (f.base.kind === "add" || (f.base.kind === "call" && f.base.fn === "expm1"));
  if (e.kind === "call") return e.fn === "log";
  if (e.kind === "pow") return negativePowerOfSum(e);
  if (e.kind === "mul") return e.factors.some(negativePowerOfSum);
  if (e.kind === "add") return e.terms.some((t) => t.kind === "call" && (t.fn === "log" || t.fn === "softplus")) || e.terms.filter(isReciprocal).length >= 2;
  return false;
}

/** c·N·U^(−k), k a positive integer and N free of negative powers: a term with a pole where U vanishes. */
function asQuotient(t: Expr): { numerator: Expr; denominator: Expr } | undefined {
  const [c, rest] = splitCoefficient(t);
  const factors = rest.kind === "mul" ? rest.factors : [rest];
  const poles = factors.filter((f) => f.kind === "pow" && f.exponent.kind === "num" && Q.isInteger(f.exponent.value) && Q.isNegative(f.exponent.value));
  if (poles.length !== 1) return undefined;
  const pole = poles[0] as Extract<Expr, { kind: "pow" }>;
  return { numerator: mul(num(c), ...factors.filter((f) => f !== pole)), denominator: pow(pole.base, neg(pole.exponent)) };
}

const isReciprocal = (t: Expr): boolean => asQuotient(t) !== undefined;

/** Forms equal to e, written with one exponential of a sum divided out, or a logarithm absorbing its neighbours. */
function candidatesOf(e: Expr): Expr[] {
  const out: Expr[] = [];
  // log S = u + log(S·e^(−u)) for each term e^u of S: the term becomes 1, the others e^(v − u).
  const logOf = logArgument(e);
  if (logOf !== undefined) {
    const s = asExponentials(logOf);
    for (const u of exponentialTerms(s, true)) out.push(add(u, call("log", [expandExponentials(mul(s, call("exp", [neg(u)])))])));
  }
  // N/S^k = N·e^(−ku)/(S·e^(−u))^k
  if (e.kind === "mul" || e.kind === "pow") {
    const factors = e.kind === "mul" ? e.factors : [e];
    for (const f of factors) {
      if (f.kind !== "pow" || f.exponent.kind !== "num" || !Q.isInteger(f.exponent.value) || !Q.isNegative(f.exponent.value)) continue;
      const k = Q.neg(f.exponent.value);
      const others = factors.filter((g) => g !== f);
      const s = asExponentials(f.base);
      for (const u of exponentialTerms(s, false)) {
        const numerator = expandExponentials(mul(...others, call("exp", [mul(num(Q.neg(k)), u)])));
        out.push(mul(numerator, pow(expandExponentials(mul(s, call("exp", [neg(u)]))), f.exponent)));
      }
    }
  }
  // a + log S = log(e^a·S): softplus(x) − x = log(e^(−x)·(1 + e^x)) = softplus(−x).
  if (e.kind === "add") {
    const logs = e.terms.filter((t) => logArgument(t, true) !== undefined);
    const others = e.terms.filter((t) => t !== logs[0]);
    // A constant beside the logarithm only scales its argument (softplus(x) − log 2 has a rule of its own).
    if (logs.length === 1 && others.some((t) => freeSymbols(t).size > 0)) {
      out.push(call("log", [expandExponentials(mul(call("exp", [add(...others)]), asExponentials(logArgument(logs[0]!, true)!)))]));
    }
  }
  // a/U + b/V = (a·V + b·U)/(U·V): poles that cancel (1/x − 1/tan x at 0, and its
  // derivative 1/sin²x − 1/x²) become a numerator that vanishes there, which the rules can write
  // without cancellation (tan x − x, x² − sin²x by their series).
  if (e.kind === "add") {
    const reciprocals = e.terms.filter(isReciprocal);
    if (reciprocals.length >= 2) {
      const [{ numerator: a, denominator: u }, { numerator: b, denominator: v }] = reciprocals.slice(0, 2).map((t) => asQuotient(t)!) as [{ numerator: Expr; denominator: Expr }, { numerator: Expr; denominator: Expr }];
      const rest = e.terms.filter((t) => t !== reciprocals[0] && t !== reciprocals[1]);
      out.push(add(mul(add(mul(a, v), mul(b, u)), pow(mul(u, v), num(Q.neg(Q.ONE)))), ...rest));
    }
  }
  return out.filter((c) => c !== e && postorder(c).length < 4 * postorder(e).length);
}

// ---------------------------------------------------------------------------------------------
// Measurement: the candidates on the sweep, against the mathematics' 40-digit reference.

interface Point {
  readonly x: number;
  /** Ulps from the truth, per form; 0 where the truth is undefined (every form is as good as any). */
  readonly ulps: readonly number[];
  readonly bound: number;
}

class Regimes {
  private readonly derivative: Expr;
  private readonly measured = new Map<number, Point>();
  /** The audit's reference (40 digits, the precision chosen from the cancellation each evaluation sees). */
  private readonly references: ReferenceCache;

  constructor(private readonly math: Expr, private readonly variable: string, private readonly forms: readonly Expr[]) {
    // Simplified: e^x/(e^x − 1) − e^(2x)/(e^x − 1)² at 1000 cancels beyond any precision the ladder tries.
    this.derivative = simplify(diff(math, variable));
    this.references = new ReferenceCache(new Map(), variable);
  }

  best(): Expr | undefined {
    const differing = spread(SWEEP.filter((x) => this.differ(x)), MAX_MEASURED);
    if (differing.length === 0) return undefined;
    const points = differing.map((x) => this.at(x));
    const good = (i: number) => (p: Point): boolean => p.ulps[i]! <= p.bound;
    if (points.every(good(0))) return undefined;
    // One form within the bound everywhere: no branch needed.
    const whole = this.forms.findIndex((_, i) => i > 0 && points.every(good(i)));
    if (whole > 0) return this.kept(this.forms[whole]!, differing);
    // Pairs, the smallest code first.
    const pairs = this.forms.flatMap((_, i) => this.forms.map((_, j) => [i, j] as const)).filter(([i, j]) => i !== j);
    const size = ([i, j]: readonly [number, number]): number => dagSize(this.forms[i]!) + dagSize(this.forms[j]!);
    for (const pair of pairs.sort((a, b) => size(a) - size(b))) {
      const split = this.split(pair[0], pair[1], points);
      if (split !== undefined) return this.kept(split, [...differing, ...around(split)]);
    }
    return undefined;
  }

  /** forms[i] below T, forms[j] from T on, where forms[i] is accurate up to past T and forms[j] from before it. */
  private split(i: number, j: number, points: readonly Point[]): Expr | undefined {
    const firstBadLeft = points.findIndex((p) => p.ulps[i]! > p.bound);
    const lastBadRight = points.length - 1 - [...points].reverse().findIndex((p) => p.ulps[j]! > p.bound);
    if (lastBadRight === points.length) return undefined;
    if (firstBadLeft < 0 || lastBadRight >= firstBadLeft) return undefined;
    // Both are within the bound on the differing points strictly between: bisect each edge between the sweep points around it.
    const leftEdge = this.edge(i, points[firstBadLeft]!.x, points[firstBadLeft - 1]?.x ?? points[lastBadRight]!.x);
    const rightEdge = this.edge(j, points[lastBadRight]!.x, points[lastBadRight + 1]?.x ?? points[firstBadLeft]!.x);
    if (!(rightEdge < leftEdge)) return undefined;
    const T = shortestBetween(rightEdge, leftEdge);
    const test = compare("<", sym(this.variable), decimal(T));
    return cond(test, decided(this.forms[i]!, test, true), decided(this.forms[j]!, test, false));
  }

  /** The point nearest `bad` from which forms[k] is within the bound all the way to `good` (as bisection finds it). */
  private edge(k: number, bad: number, good: number): number {
    for (let step = 0; step < BISECTION_STEPS; step++) {
      const mid = (bad + good) / 2;
      if (mid === bad || mid === good) break;
      const p = this.at(mid);
      if (p.ulps[k]! <= p.bound) good = mid;
      else bad = mid;
    }
    return good;
  }

  /** The split (or the one form) where it is within the bound wherever the stable form is, and nowhere further from the truth. */
  private kept(form: Expr, xs: readonly number[]): Expr | undefined {
    for (const x of xs) {
      const p = this.at(x);
      const stable = p.ulps[0]!;
      const got = this.ulpsOf(form, x);
      if (got > Math.max(p.bound, stable)) return undefined;
    }
    return form;
  }

  private differ(x: number): boolean {
    const values = this.forms.map((f) => evaluateFloat(f, new Map([[this.variable, x]])));
    const [first] = values;
    return values.some((v) => !sameDouble(v, first!));
  }

  private readonly truths = new Map<number, { readonly f: Big | undefined; readonly kappa: number }>();

  private truth(x: number): { readonly f: Big | undefined; readonly kappa: number } {
    let t = this.truths.get(x);
    if (t === undefined) {
      const f = this.references.get(this.math, x);
      // κ = |x·f′/f|, the condition number the audit's bound is made of. One digit of f′ is enough:
      // its double where that is finite, else (e^x/(e^x − 1) at 710 is ∞/∞) its reference.
      const slope = evaluateFloat(this.derivative, new Map([[this.variable, x]]));
      const d = Number.isFinite(slope) ? slope : f === undefined || !f.isFinite() ? undefined : this.references.get(this.derivative, x)?.toNumber();
      const kappa = f === undefined || d === undefined || f.isZero() ? Infinity : Math.abs(f.pow(-1).mul(x).mul(d).toNumber());
      t = { f, kappa: Number.isNaN(kappa) ? Infinity : kappa };
      this.truths.set(x, t);
    }
    return t;
  }

  private at(x: number): Point {
    let p = this.measured.get(x);
    if (p === undefined) {
      const t = this.truth(x);
      const bound = Math.max(4, 4 * t.kappa);
      p = { x, bound, ulps: this.forms.map((f) => this.ulpsOf(f, x)) };
      this.measured.set(x, p);
    }
    return p;
  }

  private ulpsOf(form: Expr, x: number): number {
    const t = this.truth(x).f;
    if (t === undefined || t.isNaN()) return 0;
    const got = evaluateFloat(form, new Map([[this.variable, x]]));
    const truth = t.toNumber();
    if (Number.isNaN(got)) return Infinity;
    if (!Number.isFinite(truth)) return got === truth ? 0 : Infinity;
    if (!Number.isFinite(got)) return Infinity;
    return Math.abs(got - truth) / ulp(truth);
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers.

/** The spacing of doubles at x (the least subnormal's at 0). */
const ulp = (x: number): number => Math.max(2 ** -1074, 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52));

/**
 * Whether two doubles count as the same answer: within SAME ulps, or both not finite (NaN and
 * −∞ alike) — where the truth is finite neither form helps, and where it is not, either will do.
 */
function sameDouble(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return !Number.isFinite(a) && !Number.isFinite(b);
  return Math.abs(a - b) <= SAME * ulp(Math.max(Math.abs(a), Math.abs(b)));
}

/** At most n of xs, evenly spread by rank, the first and the last among them. */
function spread(xs: readonly number[], n: number): number[] {
  if (xs.length <= n) return [...xs];
  return Array.from({ length: n }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (n - 1))]!);
}

/** Points on both sides of a split's threshold, to measure the branch where it switches. */
function around(split: Expr): number[] {
  if (split.kind !== "piecewise") return [];
  const when = split.branches[0]!.when;
  if (when.kind !== "compare" || when.right.kind !== "num") return [];
  const T = Q.toNumber(when.right.value);
  const h = Math.max(1e-3, Math.abs(T) * 1e-3);
  return [T - h, T, T + h];
}

/** The decimal with fewest significant digits in the middle half of (lo, hi), nearest its centre. */
function shortestBetween(lo: number, hi: number): number {
  const [a, b] = [lo + (hi - lo) / 4, hi - (hi - lo) / 4];
  const middle = (lo + hi) / 2;
  if (a <= 0 && b >= 0) return 0;
  for (let digits = 1; digits <= 17; digits++) {
    const r = Number(middle.toPrecision(digits));
    if (r >= a && r <= b) return r;
  }
  return middle;
}

/** A double as the rational of its shortest decimal, which prints as a reader writes it. */
function decimal(x: number): Expr {
  const r = Q.fromDecimalString(String(Math.abs(x)));
  return num(x < 0 ? Q.neg(r) : r);
}
