import { cond, MINUS_ONE, neg, num, ONE, sub, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { dependsOn, substitute, transform } from "../ast/walk.js";
import type { Activation } from "../api/activation.js";
import { compileExpr } from "../codegen/compile.js";
import { diff } from "../diff/diff.js";
import { fail } from "../errors.js";
import { evaluateBig, evaluateFloat } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";
import { breakpoints } from "../verify/points.js";
import { nameRecord } from "../ast/records.js";
import { exactForm, valueOf } from "./real-roots.js";

/**
 * An activation with its parameters bound to numbers, cut at its breakpoints into open regions
 * on each of which it is one analytic formula (a "branch": no piecewise, abs, sign, min, max or
 * clip left). Everything the analysis says is said region by region and breakpoint by
 * breakpoint; this module only does the cutting.
 */
export interface Bound {
  readonly variable: string;
  /** Parameter values as used (the exact default when a parameter keeps it). */
  readonly params: Readonly<Record<string, number>>;
  /** f with the parameters substituted, simplified; still piecewise. */
  readonly f: Expr;
  /** f′, f″ of the whole (piecewise) f, with the definition's conventions at kinks. */
  readonly df: Expr;
  readonly breakpoints: readonly number[];
  readonly exactBreakpoints: readonly Q.Rational[];
  readonly regions: readonly Region[];
  /** Compiled f and f′ (float64). */
  readonly fNumber: (x: number) => number;
  readonly dfNumber: (x: number) => number;
}

export interface Region {
  readonly variable: string;
  /** The open interval (lo, hi); ±Infinity at the tails. */
  readonly lo: number;
  readonly hi: number;
  /** A point inside, where the branch was chosen. */
  readonly sample: number;
  /** The analytic formula of f on the region. */
  readonly branch: Expr;
  /** k-th derivative of the branch, simplified (k = 0 is the branch). */
  derivative(k: number): Expr;
  /** The same, compiled to float64. */
  numeric(k: number): (x: number) => number;
  /** The sign of the k-th derivative at x, evaluated at 40 digits (for confirming float64 signs). */
  preciseSign(k: number): (x: number) => number;
}

/** Substitutes the parameters (exactly: a default stays the rational it was written as). */
export function bind(activation: Activation, given?: Readonly<Record<string, number>>): Bound {
  if (activation.inputs.length !== 1) {
    fail("E_USAGE", `${activation.name} has ${activation.inputs.length} inputs; properties are computed for functions of one input`);
  }
  const variable = activation.inputs[0]!;
  const values = activation.paramValues(given);
  const bindings = new Map<string, Expr>();
  const params: Record<string, number> = nameRecord();
  activation.params.forEach((p, i) => {
    const v = values[i]!;
    if (!Number.isFinite(v)) fail("E_PARAM", `parameter '${p.name}' must be a finite number, not ${v}`);
    params[p.name] = v;
    const explicit = given !== undefined && Object.hasOwn(given, p.name);
    // The default as written (0.01 is 1/100, not the double nearest to it) unless overridden.
    const exactDefault = p.defaultValue !== undefined && (!explicit || evaluateFloat(p.defaultValue, new Map()) === v);
    bindings.set(p.name, exactDefault ? simplify(p.defaultValue!) : num(Q.fromNumber(v)));
  });
  const f = simplify(substitute(activation.expr, bindings));
  const df = simplify(diff(f, variable));
  const exact = breakpoints([f, df], variable, new Map());
  const bps = exact.map(Q.toNumber);
  const regions = cut(f, variable, bps);
  const fNumber = compile(f, variable);
  requireDefinedEverywhere(activation.name, fNumber);
  return {
    variable, params, f, df, breakpoints: bps, exactBreakpoints: exact, regions,
    fNumber, dfNumber: compile(df, variable),
  };
}

/**
 * The analysis describes a function on the whole real line: one undefined somewhere (log x for
 * x ≤ 0, 1/x at 0) is refused rather than described wrongly. Checked on [−100, 100] in steps of
 * 1/32; far out, an overflow to ±∞ is float64's limit, not the function's.
 */
function requireDefinedEverywhere(name: string, f: (x: number) => number): void {
  for (let k = -3200; k <= 3200; k++) {
    const x = k / 32;
    const v = f(x);
    if (!Number.isFinite(v)) {
      fail("E_USAGE", `${name} is ${Number.isNaN(v) ? "undefined" : "infinite"} at x = ${x}; properties are computed for functions defined on the whole real line`, {
        hint: "restrict the formula to its domain with a piecewise definition, e.g. x > 0 ? log(x) : 0",
      });
    }
  }
}

function cut(f: Expr, variable: string, bps: readonly number[]): Region[] {
  const edges = [-Infinity, ...bps, Infinity];
  const regions: Region[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const lo = edges[i]!;
    const hi = edges[i + 1]!;
    const sample = !Number.isFinite(lo) && !Number.isFinite(hi) ? 0.5 : !Number.isFinite(lo) ? hi - 1 : !Number.isFinite(hi) ? lo + 1 : (lo + hi) / 2;
    regions.push(makeRegion(lo, hi, sample, resolveBranch(f, variable, sample), variable));
  }
  return regions;
}

function makeRegion(lo: number, hi: number, sample: number, branch: Expr, variable: string): Region {
  const derivatives: Expr[] = [branch];
  const compiled = new Map<number, (x: number) => number>();
  const derivative = (k: number): Expr => {
    while (derivatives.length <= k) derivatives.push(simplify(diff(derivatives[derivatives.length - 1]!, variable)));
    return derivatives[k]!;
  };
  return {
    variable, lo, hi, sample, branch, derivative,
    numeric: (k) => {
      let fn = compiled.get(k);
      if (fn === undefined) compiled.set(k, (fn = compile(derivative(k), variable)));
      return fn;
    },
    preciseSign: (k) => (x) => {
      try {
        const v = evaluateBig(derivative(k), new Map([[variable, Q.fromNumber(x)]]), 40);
        return v.isNaN() ? NaN : v.isZero() ? 0 : v.isNegative() ? -1 : 1;
      } catch {
        return NaN;
      }
    },
  };
}

/**
 * The formula that f is on the region containing `at`: each piecewise node replaced by the
 * branch whose condition holds there, abs(u) by ±u, sign(u) by ±1, min/max/clip by the argument
 * they select. Valid on the whole region because no condition flips inside it.
 */
export function resolveBranch(e: Expr, variable: string, at: number): Expr {
  const env = new Map([[variable, at]]);
  const value = (u: Expr): number => evaluateFloat(u, env);
  const holds = (c: Expr): boolean => value(cond(c, ONE, ZERO)) !== 0;
  const resolved = transform(e, (node) => {
    if (!dependsOn(node, variable)) return node;
    if (node.kind === "piecewise") return node.branches.find((b) => holds(b.when))?.then ?? node.otherwise;
    if (node.kind !== "call") return node;
    const [a, b, c] = node.args;
    switch (node.fn) {
      case "abs": return value(a!) < 0 ? neg(a!) : a!;
      case "sign": { const s = Math.sign(value(a!)); return s > 0 ? ONE : s < 0 ? MINUS_ONE : ZERO; }
      case "min": return value(a!) <= value(b!) ? a! : b!;
      case "max": return value(a!) >= value(b!) ? a! : b!;
      // min(max(u, lo), hi): hi wherever max(u, lo) exceeds it, which is everywhere when lo > hi.
      case "clip": { const above = value(a!) < value(b!) ? b! : a!; return value(above) > value(c!) ? c! : above; }
      default: return node;
    }
  });
  return simplify(resolved);
}

/** float64 closure of an expression in one variable; the tree walker when code generation fails. */
export function compile(e: Expr, variable: string): (x: number) => number {
  try {
    const fn = compileExpr(e, { inputs: [variable], params: [] });
    return (x) => fn(x);
  } catch {
    return (x) => evaluateFloat(e, new Map([[variable, x]]));
  }
}

/** Digits used for exact-ish evaluation at a point. */
export const DIGITS = 60;

/**
 * The value of e at an exact point as a double: exact when substitution folds to a number, else
 * from a 60-digit evaluation (with `snapToZero`, |v| < 1e-45 is taken for 0). NaN where e is
 * undefined.
 */
export function valueAt(e: Expr, variable: string, at: Q.Rational, options: { snapToZero?: boolean } = {}): { value: number; exact: boolean } {
  // A polynomial by Horner's rule in integers: substituting into a product of 40 factors folds
  // rationals of thousands of digits, each reduced by a gcd (seconds for every extremum).
  const form = exactForm(e, variable);
  const exact = form?.polynomial ? valueOf(form, at) : undefined;
  if (exact !== undefined) return { value: Q.toNumber(exact), exact: true };
  const folded = simplify(substitute(e, new Map([[variable, num(at)]])));
  if (folded.kind === "num") return { value: Q.toNumber(folded.value), exact: true };
  try {
    const v = evaluateBig(e, new Map([[variable, at]]), DIGITS);
    // A true 0 reached through cancellation (log 2 − log 2) comes back as ~1e-60; where a value
    // is expected to be an ordinary number (f(0), a limit at a breakpoint) that is a 0.
    const value = v.isNaN() ? NaN : options.snapToZero && v.abs().lt(1e-45) ? 0 : v.toNumber();
    return { value, exact: false };
  } catch {
    return { value: NaN, exact: false };
  }
}

/** Whether two values at a point are equal: exactly, or to 1e-30 relative (absolute near 0). */
export function sameAt(e1: Expr, e2: Expr, variable: string, at: Q.Rational): boolean {
  const point = new Map([[variable, num(at)]]);
  const difference = simplify(sub(simplify(substitute(e1, point)), simplify(substitute(e2, point))));
  if (difference.kind === "num") return Q.isZero(difference.value);
  try {
    const a = evaluateBig(e1, new Map([[variable, at]]), DIGITS);
    const b = evaluateBig(e2, new Map([[variable, at]]), DIGITS);
    if (a.isNaN() || b.isNaN() || !a.isFinite() || !b.isFinite()) return false;
    const scale = Math.max(1, Math.abs(a.toNumber()), Math.abs(b.toNumber()));
    return a.sub(b).abs().toNumber() <= 1e-30 * scale;
  } catch {
    return false;
  }
}
