import { assertNever, type Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { fnSpec } from "../functions/table.js";
import { bigContext, type Big, type BigContext } from "./big.js";

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
}

function evaluateWith<T>(root: Expr, env: ReadonlyMap<string, T>, A: Arithmetic<T>): T {
  const memo = new Map<number, T>();
  const truth = (c: Expr): boolean => {
    switch (c.kind) {
      case "compare": return A.compare(c.op, value(c.left), value(c.right));
      case "logic": return c.op === "and" ? c.args.every(truth) : c.args.some(truth);
      case "not": return !truth(c.arg);
      default: throw new Error(`internal error: ${c.kind} is not a condition`);
    }
  };
  const value = (e: Expr): T => {
    const cached = memo.get(e.id);
    if (cached !== undefined) return cached;
    let v: T;
    switch (e.kind) {
      case "num": v = A.fromRational(e.value); break;
      case "const": v = A.constant(e.name); break;
      case "sym": {
        const bound = env.get(e.name);
        if (bound === undefined) throw new Error(`no value for '${e.name}'`);
        v = bound;
        break;
      }
      case "add": v = e.terms.map(value).reduce((a, b) => A.add(a, b), A.zero); break;
      case "mul": v = e.factors.map(value).reduce((a, b) => A.mul(a, b), A.one); break;
      case "pow": v = A.pow(value(e.base), value(e.exponent)); break;
      case "call": v = A.call(e.fn, e.args.map(value)); break;
      case "piecewise": {
        const taken = e.branches.find((b) => truth(b.when));
        v = value(taken ? taken.then : e.otherwise);
        break;
      }
      case "compare": case "logic": case "not": case "derivative":
        throw new Error(`internal error: cannot evaluate a ${e.kind} node as a number`);
      default: return assertNever(e);
    }
    memo.set(e.id, v);
    return v;
  };
  return value(root);
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
};

/** float64 evaluation, without code generation (the reference for compiled closures is BigNumber). */
export const evaluateFloat = (e: Expr, env: ReadonlyMap<string, number>): number => evaluateWith(e, env, floatArithmetic);

function bigArithmetic(D: BigContext): Arithmetic<Big> {
  return {
    fromRational: (r) => new D(r.n.toString()).div(r.d.toString()),
    constant: (name) => (name === "pi" ? D.acos(-1) : new D(1).exp()),
    add: (a, b) => a.add(b),
    mul: (a, b) => a.mul(b),
    pow: (a, b) => (b.isInteger() && b.abs().lt(1e6) ? a.pow(b) : a.isNegative() ? new D(NaN) : a.pow(b)),
    call: (fn, args) => fnSpec(fn).evaluateBig(D, args),
    compare: (op, a, b) => ({ "<": a.lt(b), "<=": a.lte(b), ">": a.gt(b), ">=": a.gte(b), "==": a.eq(b), "!=": !a.eq(b) })[op],
    zero: new D(0),
    one: new D(1),
  };
}

/** High-precision evaluation at a fixed number of significant digits. Point values are exact rationals. */
export function evaluateBig(e: Expr, env: ReadonlyMap<string, Q.Rational>, precision: number): Big {
  const D = bigContext(precision);
  const A = bigArithmetic(D);
  const bigEnv = new Map([...env].map(([k, v]) => [k, A.fromRational(v)] as const));
  return evaluateWith(e, bigEnv, A);
}

export interface ReliableValue {
  readonly value: Big;
  /** The working precision at which two successive evaluations agreed. */
  readonly precision: number;
}

const PRECISIONS = [60, 120, 240, 480, 960, 1920];
export const ZERO_SETTLES_AT = 480;

/**
 * A value correct to at least `digits` significant digits: evaluated at doubling precision until
 * two successive results agree, which absorbs cancellation such as 1 − σ(40). Undefined when
 * they never agree (a true zero reached through cancellation) — the caller must not trust it.
 */
export function reliableValue(e: Expr, env: ReadonlyMap<string, Q.Rational>, digits = 40): ReliableValue | undefined {
  let previous: Big | undefined;
  for (const p of PRECISIONS) {
    if (p < digits + 20) continue;
    let v: Big;
    try {
      v = evaluateBig(e, env, p);
    } catch {
      return undefined; // beyond decimal.js's limits (π has ~1025 digits): undecided, like no agreement
    }
    // A zero, an infinity or a NaN is trusted only once it survives 480 digits: 300 + e^-300 - 300
    // is 0 at 60 and at 120 digits, and log(1 - σ(300)) is log(0) = -∞ there.
    const settled = (v.isFinite() && !v.isZero()) || p >= ZERO_SETTLES_AT;
    if (previous !== undefined && settled && agree(previous, v, digits + 5)) return { value: v, precision: p };
    if (settled && v.isNaN() && previous?.isNaN()) return { value: v, precision: p };
    previous = v;
  }
  return undefined;
}

/** True when a and b agree to `digits` significant digits (or are both exactly zero, or equal infinities). */
export function agree(a: Big, b: Big, digits: number): boolean {
  if (a.isNaN() || b.isNaN()) return false;
  if (!a.isFinite() || !b.isFinite()) return a.eq(b);
  if (a.isZero() || b.isZero()) return a.isZero() && b.isZero();
  const scale = a.abs().gt(b.abs()) ? a.abs() : b.abs();
  return a.sub(b).abs().lte(scale.mul(new (a.constructor as BigContext)(10).pow(-digits)));
}
