import { assertNever, type Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeIndices, freeSymbols, postorder } from "../ast/walk.js";
import { fnSpec } from "../functions/table.js";
import { vectorFnSpec } from "../functions/vector-functions.js";
import { bigContext, type Big, type BigContext } from "./big.js";
import { checkBudget } from "../budget.js";

/**
 * Direct evaluation of an expression DAG, each shared node once and only the taken branch of a
 * piecewise node. One walker serves two number systems: float64 (the builtins' `evaluate`) and
 * mathjs BigNumber at a chosen precision (their `evaluateBig`), the reference for verification.
 */
interface Arithmetic<T> {
  fromRational(r: Q.Rational): T;
  constant(name: "pi" | "e"): T;
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  pow(a: T, b: T): T;
  call(fn: Extract<Expr, { kind: "call" }>["fn"], args: T[]): T;
  compare(op: Extract<Expr, { kind: "compare" }>["op"], a: T, b: T): boolean;
  zero: T;
  one: T;
  /** An index value as a number (an integer), to index a vector or bound a loop. */
  toIndex(v: T): number;
}

/** The values of vector inputs, by name. */
export type VectorEnv<T> = ReadonlyMap<string, readonly T[]>;

/**
 * Values of closed calls (no symbol, index or vector in them: tan(π), erf(1)) and of π and e, kept across
 * evaluations at one precision. Sampling evaluates a formula at many points and every point at
 * rising precisions; a closed call has the same value at every point, and a costly one (tan(π) at
 * 480 digits takes 0.1 s and never settles, its true value being 0) otherwise costs that at each.
 */
export interface ConstantCache<T> {
  get(e: Expr): { value: T } | { error: unknown } | undefined;
  set(e: Expr, outcome: { value: T } | { error: unknown }): void;
}

function evaluateWith<T>(root: Expr, env: ReadonlyMap<string, T>, A: Arithmetic<T>, vectors: VectorEnv<T> = new Map(), at: ReadonlyMap<string, number> = new Map(), memo = new Map<number, T>(), constants?: ConstantCache<T>): T {
  // Nodes with free indices have a value per index: they are memoised only while those indices
  // keep their values (the memo of a reduction's body is cleared for each step of its index).
  // The memo may come from the caller: several roots at one point share their subexpressions.
  const indexed = new Map<number, T>();
  const indices = new Map<string, T>([...at].map(([name, k]) => [name, A.fromRational(Q.fromInteger(k))]));
  const truth = (c: Expr): boolean => {
    switch (c.kind) {
      case "compare": return A.compare(c.op, value(c.left), value(c.right));
      case "logic": return c.op === "and" ? c.args.every(truth) : c.args.some(truth);
      case "not": return !truth(c.arg);
      default: throw new Error(`internal error: ${c.kind} is not a condition`);
    }
  };
  const value = (e: Expr): T => {
    const free = freeIndices(e).size > 0;
    const store = free ? indexed : memo;
    const cached = store.get(e.id);
    if (cached !== undefined) return cached;
    let v: T;
    switch (e.kind) {
      case "num": v = A.fromRational(e.value); break;
      case "const": {
        // π and e at 1920 digits cost milliseconds each (acos(−1), exp(1)): once per precision.
        const known = constants?.get(e);
        if (known !== undefined && "value" in known) v = known.value;
        else {
          v = A.constant(e.name);
          constants?.set(e, { value: v });
        }
        break;
      }
      case "sym": {
        const bound = env.get(e.name);
        if (bound === undefined) throw new Error(`no value for '${e.name}'`);
        v = bound;
        break;
      }
      case "add": v = e.terms.map(value).reduce((a, b) => A.add(a, b), A.zero); break;
      case "mul": v = e.factors.map(value).reduce((a, b) => A.mul(a, b), A.one); break;
      case "pow": v = A.pow(value(e.base), value(e.exponent)); break;
      case "call": {
        if (constants !== undefined && isClosed(e)) {
          const known = constants.get(e);
          if (known !== undefined) {
            if ("error" in known) throw known.error;
            v = known.value;
            break;
          }
          try {
            v = A.call(e.fn, e.args.map(value));
          } catch (error) {
            constants.set(e, { error });
            throw error;
          }
          constants.set(e, { value: v });
          break;
        }
        v = A.call(e.fn, e.args.map(value));
        break;
      }
      case "piecewise": {
        const taken = e.branches.find((b) => truth(b.when));
        v = value(taken ? taken.then : e.otherwise);
        break;
      }
      case "compare": case "logic": case "not": case "derivative":
        throw new Error(`internal error: cannot evaluate a ${e.kind} node as a number`);
      case "idx": {
        const bound = indices.get(e.name);
        if (bound === undefined) throw new Error(`no value for the index '${e.name}'`);
        v = bound;
        break;
      }
      case "len": v = A.fromRational(Q.fromInteger(vectorOf(e.vector).length)); break;
      case "elem": {
        const vector = vectorOf(e.vector);
        const k = A.toIndex(value(e.index));
        if (!Number.isInteger(k) || k < 0 || k >= vector.length) throw new Error(`index ${k} is outside ${e.vector} (length ${vector.length})`);
        v = vector[k]!;
        break;
      }
      case "reduce": {
        const [from, to] = [A.toIndex(value(e.from)), A.toIndex(value(e.to))];
        const outer = indices.get(e.index);
        let acc: T | undefined;
        let at = from;
        for (let k = from; k < to; k++) {
          indices.set(e.index, A.fromRational(Q.fromInteger(k)));
          indexed.clear();
          const x = value(e.body);
          const better = acc === undefined || (e.op === "max" || e.op === "argmax" ? A.compare(">", x, acc) : e.op === "min" || e.op === "argmin" ? A.compare("<", x, acc) : false);
          if (e.op === "sum") acc = acc === undefined ? x : A.add(acc, x);
          else if (better) [acc, at] = [x, k];
        }
        if (outer === undefined) indices.delete(e.index);
        else indices.set(e.index, outer);
        indexed.clear();
        if (e.op === "argmax" || e.op === "argmin") v = A.fromRational(Q.fromInteger(to > from ? at : -1));
        else if (acc !== undefined) v = acc;
        else if (e.op === "sum") v = A.zero;
        else {
          // Over nothing: max is −∞ and min +∞ (0^−1 = +∞ in both number systems).
          const infinity = A.pow(A.zero, A.fromRational(Q.fromInteger(-1)));
          v = e.op === "max" ? A.mul(A.fromRational(Q.fromInteger(-1)), infinity) : infinity;
        }
        break;
      }
      case "vcall": v = value(vectorFnSpec(e.fn).stable(e)); break;
      default: return assertNever(e);
    }
    store.set(e.id, v);
    return v;
  };
  const vectorOf = (name: string): readonly T[] => {
    const vector = vectors.get(name);
    if (vector === undefined) throw new Error(`no value for the vector '${name}'`);
    return vector;
  };
  return value(root);
}

const closedCache = new WeakMap<Expr, boolean>();

/** No symbol, free index or vector anywhere in e: its value is the same wherever it is evaluated. */
function isClosed(e: Expr): boolean {
  let closed = closedCache.get(e);
  if (closed === undefined) {
    closed = freeSymbols(e).size === 0 && freeIndices(e).size === 0 &&
      !postorder(e).some((n) => n.kind === "len" || n.kind === "elem" || n.kind === "reduce" || n.kind === "vcall" || n.kind === "idx");
    closedCache.set(e, closed);
  }
  return closed;
}

/** One ConstantCache per precision, its entries dying with their nodes. */
const bigConstants = new Map<number, ConstantCache<Big>>();
function bigConstantsAt(precision: number): ConstantCache<Big> {
  let cache = bigConstants.get(precision);
  if (cache === undefined) {
    const entries = new WeakMap<Expr, { value: Big } | { error: unknown }>();
    cache = { get: (e) => entries.get(e), set: (e, outcome) => void entries.set(e, outcome) };
    bigConstants.set(precision, cache);
  }
  return cache;
}

const floatArithmetic: Arithmetic<number> = {
  fromRational: Q.toNumber,
  constant: (name) => (name === "pi" ? Math.PI : Math.E),
  add: (a, b) => a + b,
  mul: (a, b) => a * b,
  pow: (a, b) => a ** b,
  call: (fn, args) => fnSpec(fn).evaluate(...args),
  compare: (op, a, b) => ({ "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a === b, "!=": a !== b })[op],
  zero: 0,
  one: 1,
  toIndex: (v) => v,
};

/** float64 evaluation, without code generation (the reference for compiled closures is BigNumber). */
export const evaluateFloat = (e: Expr, env: ReadonlyMap<string, number>, vectors?: VectorEnv<number>, indices?: ReadonlyMap<string, number>): number =>
  evaluateWith(e, env, floatArithmetic, vectors, indices);

/**
 * What an evaluation learnt about its own accuracy: the most digits a sum lost to cancellation
 * (log10 of its largest term over the sum; Infinity when nonzero terms summed to 0).
 */
export interface Cancellation {
  lost: number;
  /**
   * For sums of nonzero terms that came out 0: the largest decimal exponent of their terms less
   * the precision, a bound on the exponent of what they truly are (−Infinity when none did).
   */
  zeroBelow?: number;
  /** The largest decimal exponent of any term summed. */
  largest?: number;
}

/**
 * Values that are the exact value of what they were computed for: input points and rational
 * constants with a finite decimal expansion (every double has one), and results of operations
 * that did not round. Big values are immutable, so the mark is the object's for its lifetime.
 * decimal.js rounds a nonzero sum to p significant digits, never to 0: a sum of two exact values
 * that comes out 0 is truly 0 and hides no digits (x_max − max(x) in a max-shifted softmax), while
 * 1 − σ(300) is 0 at 120 digits only because σ(300) was rounded.
 */
const exactValues = new WeakSet<Big>();
const isExact = (v: Big): boolean => exactValues.has(v);
const markExact = (v: Big): Big => {
  exactValues.add(v);
  return v;
};
const mark = (v: Big, exact: boolean): Big => (exact ? markExact(v) : v);

/** The digits a (nonzero) value occupies, from its leading digit's decimal exponent down. */
const lowestDigit = (v: Big): number => v.e - v.sd() + 1;

/** Whether a + b, both exact, fits in p significant digits (so decimal.js did not round it). */
function sumFits(a: Big, b: Big, p: number): boolean {
  if (a.isZero() || b.isZero()) return true;
  if (!a.isFinite() || !b.isFinite()) return false;
  const top = Math.max(a.e, b.e) + 1; // a carry may add a digit above both
  return top - Math.min(lowestDigit(a), lowestDigit(b)) + 1 <= p;
}

function bigArithmetic(D: BigContext, cancellation?: Cancellation): Arithmetic<Big> {
  const p = D.precision;
  return {
    fromRational: (r) => {
      const exact = Q.exactDecimal(r);
      return exact !== undefined ? markExact(new D(exact)) : new D(r.n.toString()).div(r.d.toString());
    },
    constant: (name) => (name === "pi" ? D.acos(-1) : new D(1).exp()),
    add: (a, b) => {
      const s = a.add(b);
      const bothExact = isExact(a) && isExact(b);
      // decimal.js rounds a nonzero sum to p digits, never to 0: exact terms summing to 0 are a true 0.
      if (bothExact && (s.isZero() || sumFits(a, b, p))) return markExact(s);
      // Exact operands carry no error for the sum to amplify: only rounded ones lose digits to it.
      if (cancellation !== undefined && !bothExact && !a.isZero() && !b.isZero() && s.isFinite()) {
        const top = Math.max(a.e, b.e);
        cancellation.lost = Math.max(cancellation.lost, s.isZero() ? Infinity : top - s.e);
        cancellation.largest = Math.max(cancellation.largest ?? -Infinity, top);
        if (s.isZero()) cancellation.zeroBelow = Math.max(cancellation.zeroBelow ?? -Infinity, top - p);
      }
      return s;
    },
    mul: (a, b) => {
      // −u, as a difference's subtrahend is written: decimal.js's negation does not round.
      if (isExact(a) && a.abs().eq(1)) return mark(a.isNegative() ? b.neg() : b, isExact(b));
      const m = a.mul(b);
      const exact = isExact(a) && isExact(b) && (a.isZero() || b.isZero() || (m.isFinite() && a.sd() + b.sd() <= p));
      return exact ? markExact(m) : m;
    },
    pow: (a, b) => {
      if (b.isInteger() && b.abs().lt(1e6)) {
        const v = a.pow(b);
        const exact = isExact(a) && (b.isZero() || (b.isPositive() && a.isFinite() && a.sd() * b.toNumber() <= p));
        return exact ? markExact(v) : v;
      }
      return a.isNegative() ? new D(NaN) : a.pow(b);
    },
    call: (fn, args) => {
      const spec = fnSpec(fn);
      const v = spec.evaluateBig(D, args);
      return spec.exactBig === true && args.every(isExact) ? markExact(v) : v;
    },
    compare: (op, a, b) => ({ "<": a.lt(b), "<=": a.lte(b), ">": a.gt(b), ">=": a.gte(b), "==": a.eq(b), "!=": !a.eq(b) })[op],
    zero: markExact(new D(0)),
    one: markExact(new D(1)),
    toIndex: (v) => v.toNumber(),
  };
}

/** High-precision evaluation at a fixed number of significant digits. Point values are exact rationals. */
export function evaluateBig(e: Expr, env: ReadonlyMap<string, Q.Rational>, precision: number, vectors?: VectorEnv<Q.Rational>, indices?: ReadonlyMap<string, number>, cancellation?: Cancellation): Big {
  const D = bigContext(precision);
  const A = bigArithmetic(D, cancellation);
  const bigEnv = new Map([...env].map(([k, v]) => [k, A.fromRational(v)] as const));
  const bigVectors = new Map([...(vectors ?? [])].map(([k, v]) => [k, v.map((r) => A.fromRational(r))] as const));
  return evaluateWith(e, bigEnv, A, bigVectors, indices, new Map(), bigConstantsAt(precision));
}

/**
 * evaluateBig with the memo in the caller's hands (roots evaluated at one point and precision share
 * their subexpressions: f, f′ and f″ have most of theirs in common) and the cancellation it saw.
 */
export function evaluateBigShared(e: Expr, env: ReadonlyMap<string, Q.Rational>, precision: number, memo: Map<number, Big>, cancellation?: Cancellation): Big {
  const D = bigContext(precision);
  const A = bigArithmetic(D, cancellation);
  const bigEnv = new Map([...env].map(([k, v]) => [k, A.fromRational(v)] as const));
  // With the cancellation wanted, every sum must be seen: a closed call is computed afresh.
  return evaluateWith(e, bigEnv, A, new Map(), new Map(), memo, cancellation === undefined ? bigConstantsAt(precision) : undefined);
}

export interface ReliableValue {
  readonly value: Big;
  /** The working precision at which two successive evaluations agreed. */
  readonly precision: number;
}

export interface SettleOptions {
  /** Significant digits the value must have: two successive precisions agree to 5 more. */
  readonly digits?: number;
  /** The highest working precision tried (decimal.js knows π to 1025 digits only). */
  readonly maxPrecision?: number;
  /**
   * The value a float computation gave, if known: digits lost to cancellation are about how far
   * below 1 it lies, so the ladder jumps straight to the precision that needs. Only ever saves
   * work: a value still stands only when two precisions agree.
   */
  readonly hint?: number;
  /** NaN at the first precision is the answer (undefined there, log of a negative) rather than a suspect. */
  readonly nanAtOnce?: boolean;
  /** Values of vector inputs and of free indices, for expressions in index notation. */
  readonly vectors?: VectorEnv<Q.Rational>;
  readonly indices?: ReadonlyMap<string, number>;
  /**
   * At the top precision, accept a value that was 0 one rung down and lies far below every float
   * (its digits are not settled, but no float can tell): the audit measures floats.
   */
  readonly acceptTinyAtTop?: boolean;
}

const BASE_PRECISION = 60;
export const ZERO_SETTLES_AT = 480;
/** Far below the smallest float64 (4.9e-324), so a value this small is never measured in ulps. */
const TINY = "1e-400";

/**
 * A value correct to at least `digits` significant digits (default 40), from the one precision
 * ladder that the verifier and the audit share: evaluated at rising precision (60, 120, 240, …)
 * until two successive results agree, which absorbs cancellation such as 1 − σ(40). A zero, an
 * infinity or a NaN is trusted only once it survives ZERO_SETTLES_AT digits: 300 + e^−300 − 300
 * is 0 at 60 and at 120 digits, and log(1 − σ(300)) is log(0) = −∞ there. Undefined when the
 * results never agree (a true zero reached through cancellation) or decimal.js gives up: the
 * caller must not trust a value then.
 */
export function reliableValue(e: Expr, env: ReadonlyMap<string, Q.Rational>, digits = 40, options: SettleOptions = {}): ReliableValue | undefined {
  const max = options.maxPrecision ?? 1920;
  const at = (p: number, cancellation: Cancellation): Big | undefined => {
    try {
      return evaluateBig(e, env, p, options.vectors, options.indices, cancellation);
    } catch (err) {
      // Beyond decimal.js's limits ("[DecimalError] Precision limit exceeded": π past 1025 digits).
      if (err instanceof Error && err.message.includes("DecimalError")) return undefined;
      throw err;
    }
  };
  const settled = (a: Big, b: Big, p: number): boolean => rungsAgree(a, b, p, digits);
  let p = BASE_PRECISION;
  while (p < digits + 20) p *= 2;
  let previous: Big | undefined;
  for (let rung = 0; ; rung++) {
    // Each rung costs about twice the one before: the ladder is where a command's budget runs out.
    checkBudget();
    const cancellation: Cancellation = { lost: 0 };
    const v = at(p, cancellation);
    if (v === undefined) return undefined;
    if (rung === 0 && v.isNaN() && options.nanAtOnce === true) return { value: v, precision: p };
    const reveal = revealingPrecision(cancellation, p, v, digits);
    if (previous !== undefined && settled(previous, v, p) && reveal <= p) return { value: v, precision: p };
    // A zero that would still hide digits at the top precision (1 + erf(x/√2) at x = −100, truly
    // 1e−2174 beside a value of 1e−2174) is out of reach: no value, without climbing to learn it.
    if (reveal > max) return undefined;
    if (p >= max) {
      const tiny = v.isZero() || (previous?.isZero() === true && v.abs().lt(TINY));
      return options.acceptTinyAtTop === true && tiny ? { value: v, precision: p } : undefined;
    }
    let next = p * 2;
    if (previous !== undefined && isSuspect(previous) && isSuspect(v)) next = Math.max(next, ZERO_SETTLES_AT);
    else if (rung === 1 && options.hint !== undefined && Number.isFinite(options.hint) && options.hint !== 0) {
      const lost = Math.max(0, -Math.log10(Math.abs(options.hint)));
      next = Math.max(next, Math.ceil((BASE_PRECISION + lost + 10) / 10) * 10);
    }
    previous = v;
    p = Math.min(Math.max(next, reveal), max);
  }
}

/**
 * The least precision at which a sum of rounded values that came out exactly 0 at p digits, as at
 * this rung, could no longer hide digits of v (its first `digits` + 5); 0 where none can: no such
 * sum, or v is 0 or not finite. Above p, two rungs that agree may only agree on the same missing
 * term. gelu′ written as 1/2 + erf(x/√2)/2 + x·φ(x) at x = −29.3: below about 190 digits erf is −1
 * exactly, the first two terms are 0, and every such rung gives x·φ(x) alone (−4.567e−186; the
 * truth is −4.562e−186); σ(px) − 1 + σ(p(1 − x)) at x = 300 likewise. The sum's terms keep their
 * leading digits and the bound on what it truly is falls by one decade per digit.
 */
function revealingPrecision(c: Cancellation, p: number, v: Big, digits: number): number {
  if (c.zeroBelow === undefined || v.isZero() || !v.isFinite()) return 0;
  return c.zeroBelow + p + Math.max(0, c.largest ?? 0) - v.e + digits + 6;
}

/** Whether a sum that is exactly 0 at this rung of p digits may hide digits of v (see revealingPrecision). */
export const hidesDigits = (c: Cancellation, v: Big, digits: number, p: number): boolean => revealingPrecision(c, p, v, digits) > p;

/** A value that settles only high on the ladder: zero (a cancellation may hide its digits) or not finite. */
export const isSuspect = (v: Big): boolean => v.isZero() || !v.isFinite();

/**
 * Whether two successive rungs of a precision ladder, the second at p digits, give one value to
 * `digits` + 5 digits; a NaN, a zero or an infinity only from ZERO_SETTLES_AT digits on.
 */
export function rungsAgree(a: Big, b: Big, p: number, digits: number): boolean {
  if (a.isNaN() || b.isNaN()) return a.isNaN() && b.isNaN() && p >= ZERO_SETTLES_AT;
  if (isSuspect(a) || isSuspect(b)) return p >= ZERO_SETTLES_AT && agree(a, b, digits + 5);
  return agree(a, b, digits + 5);
}

/** True when a and b agree to `digits` significant digits (or are both exactly zero, or equal infinities). */
export function agree(a: Big, b: Big, digits: number): boolean {
  if (a.isNaN() || b.isNaN()) return false;
  if (!a.isFinite() || !b.isFinite()) return a.eq(b);
  if (a.isZero() || b.isZero()) return a.isZero() && b.isZero();
  const scale = a.abs().gt(b.abs()) ? a.abs() : b.abs();
  return a.sub(b).abs().lte(scale.mul(new (a.constructor as BigContext)(10).pow(-digits)));
}
