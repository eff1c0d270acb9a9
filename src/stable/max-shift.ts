import { add, call, compare, int, mul, neg, num, ONE, piecewise, pow, splitCoefficient, ZERO } from "../ast/build.js";
import type { Call, Compare, Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { postorder } from "../ast/walk.js";
import type { FnName } from "../functions/names.js";

/**
 * Max-shifted forms of sums of exponentials S = Σ_j c_j·e^(u_j) (c_j > 0; a constant term k is
 * k·e^0): the softmax family as users write it with several inputs. With m = max_j u_j every
 * shifted exponential e^(u_j − m) lies in (0, 1] and one of them is exactly 1, so nothing
 * overflows and S' = S·e^(−m) stays in [min c, Σ c]:
 *   log S            = m + log S'                        (log-sum-exp)
 *   e^w / S^p        = e^(w − p·m) / S'^p                 (softmax ratios and their derivatives)
 *   c·u_k − c·log S  = −c·log Σ_j c_j·e^(u_j − u_k)       (log-softmax, then log-sum-exp)
 *   k − k·e^(u_k)/S  = k·Σ_(j≠k) c_j·e^(u_j) / S          (1 − softmax, over one denominator)
 * Textbook forms are Inf/Inf = NaN (softmax at x = 710) or lose every digit (log-softmax from
 * x ≈ 33 on). A ratio shifts by m less clip(m, 0, T) instead (clippedShift): by nothing where
 * nothing can overflow, so that a − b is not rounded where b is a large constant. The rules are listed, with examples, in STABLE_RULES (stabilize.ts). max and min
 * have vector forms, so vector lanes (SIMD kernels) take the same forms.
 *
 * Only sums with two or more exponentials of different arguments are touched: log(1 + e^u) is
 * softplus's, 1/(1 + e^u) sigmoid's. A sum already shifted (every argument is a leaf of the max
 * it is shifted by, less that max) is left alone, so a second stabilize changes nothing.
 */
export type Visit = (e: Expr) => Expr;

/** One term c·e^u of a sum of exponentials; u = 0 for the constant term. */
interface ExpTerm {
  readonly c: Q.Rational;
  readonly u: Expr;
}

const isCall = (e: Expr, fn: FnName): e is Call => e.kind === "call" && e.fn === fn;

/** The terms of S when e is a sum of exponentials not yet shifted. */
function expSum(e: Expr): readonly ExpTerm[] | undefined {
  if (e.kind !== "add") return undefined;
  const terms: ExpTerm[] = [];
  for (const t of e.terms) {
    const [c, rest] = splitCoefficient(t);
    if (Q.isNegative(c)) return undefined;
    if (rest === ONE) terms.push({ c, u: ZERO });
    else if (isCall(rest, "exp")) terms.push({ c, u: rest.args[0]! });
    else return undefined;
  }
  // The smart constructors collect like terms: the arguments are different already.
  const exps = terms.filter((t) => t.u !== ZERO);
  if (exps.length < 2 || exps.every((t) => shiftedBy(t.u) !== undefined)) return undefined;
  return terms;
}

const leavesOf = (e: Expr, fn: "max" | "min"): Expr[] => (isCall(e, fn) ? e.args.flatMap((a) => leavesOf(a, fn)) : [e]);

/** The max m when u is v − m with v a leaf of m, a min of its leaves or of maxes of them, or 0 (a leaf): an output of this module. */
function shiftedBy(u: Expr): Expr | undefined {
  const terms = u.kind === "add" ? u.terms : [u];
  const subtracted = terms.map((t) => splitCoefficient(t)).filter(([c]) => Q.equals(c, Q.neg(Q.ONE))).map(([, rest]) => rest);
  // A ratio's clipped shift (clippedShift, below) or the max itself.
  const shift = subtracted.find((r) => isCall(r, "max") || (r.kind === "piecewise" && r === clippedShiftOf(r)));
  if (shift === undefined) return undefined;
  const m = shift.kind === "piecewise" ? (shift.branches[0]!.when as Compare).left : shift;
  const leaves = new Set(leavesOf(m, "max"));
  const v = add(u, shift);
  return leavesOf(v, "min").flatMap((l) => leavesOf(l, "max")).every((l) => leaves.has(l)) ? m : undefined;
}

/** max(u₁, max(u₂, …)) as nested calls of the arity-2 builtin, left to right. */
const maxOf = (us: readonly Expr[]): Expr => us.reduce((a, b) => call("max", [a, b]));

/** Σ_j c_j·e^(u_j − m). */
const shiftedSum = (terms: readonly ExpTerm[], m: Expr): Expr => add(...terms.map((t) => mul(num(t.c), call("exp", [add(t.u, neg(m))]))));

/**
 * Where a sum of exponentials makes e overflow or cancel: the log-sum-exp, the softmax ratio, the
 * log-softmax and 1 − softmax, as above; undefined anywhere else. Its pieces are stabilised by `visit`.
 */
export function maxShift(e: Expr, visit: Visit): Expr | undefined {
  if (e.kind === "call" && (e.fn === "log" || e.fn === "log1p")) {
    const terms = expSum(e.fn === "log" ? e.args[0]! : add(ONE, e.args[0]!));
    return terms && logSumExp(terms.map((t) => ({ c: t.c, u: visit(t.u) })));
  }
  if (e.kind === "mul" || e.kind === "pow") return ratio(e.kind === "mul" ? e.factors : [e], visit);
  if (e.kind === "add") return logSoftmax(e.terms, visit) ?? complement(e.terms, visit);
  return undefined;
}

/**
 * log Σ_j c_j·e^(v_j) = m + log1p(Σ_(j≥2) e^(l_j − m)), v_j = u_j + log c_j, by a scan that keeps
 * the running max m_j = max(m_(j−1), v_j) and sets the smaller l_j = min(m_(j−1), v_j) aside:
 * {l_2, …, l_n} is {v_1, …, v_n} less one copy of its max, exactly (min + max = a + b), with no
 * branch and ties included. The max term contributes exactly 1, so log1p of the others keeps
 * the digits log(1 + r) rounds away when m ≈ 0 and r is small (lse(1e-20, −50)).
 * Equal coefficients c leave the arguments as they are: log c + lse(u). Two terms: m + softplus(l − m),
 * and c·(1 + e^u) is log c + softplus(u) (the log-softmax of two inputs).
 */
function logSumExp(terms: readonly ExpTerm[]): Expr {
  const c = terms[0]!.c;
  const same = terms.every((t) => Q.equals(t.c, c));
  const logC = same && !Q.isOne(c) ? call("log", [num(c)]) : ZERO;
  const vs = terms.map((t) => (same || Q.isOne(t.c) ? t.u : add(t.u, call("log", [num(t.c)]))));
  if (same && vs.length === 2 && vs[0] === ZERO) return add(logC, call("softplus", [vs[1]!]));
  let m = vs[0]!;
  const lows: Expr[] = [];
  for (const v of vs.slice(1)) {
    lows.push(call("min", [m, v]));
    m = call("max", [m, v]);
  }
  const shifted = lows.map((l) => add(l, neg(m)));
  const rest = shifted.length === 1 ? call("softplus", shifted) : call("log1p", [add(...shifted.map((s) => call("exp", [s])))]);
  return add(logC, m, rest);
}

/**
 * c·u_k − c·log Σ_j c_j·e^(u_j) = −c·log Σ_j c_j·e^(u_j − u_k): the shift by u_k first, so that
 * u_k − m is never rounded against a large m (x − lse(x, y, z) at x = 40 would otherwise be
 * 40 − 40 = 0, where the truth is −e^(−40)·…); the log-sum-exp of the differences then has
 * m ≥ 0 and adds two non-negative parts, without cancellation.
 */
function logSoftmax(terms: readonly Expr[], visit: Visit): Expr | undefined {
  for (const t of terms) {
    const [c, rest] = splitCoefficient(t);
    if (!isCall(rest, "log")) continue;
    const sum = expSum(rest.args[0]!);
    if (sum === undefined) continue;
    const others = terms.filter((o) => o !== t);
    for (const k of sum) {
      if (k.u === ZERO) continue;
      const linear = add(mul(num(Q.neg(c)), k.u));
      const needed = linear.kind === "add" ? linear.terms : [linear];
      if (!needed.every((n) => others.includes(n))) continue;
      // The shifted-by term is the constant now, first as in a canonical sum.
      const shifted = [{ c: k.c, u: ZERO }, ...sum.filter((j) => j !== k).map((j) => ({ c: j.c, u: visit(add(j.u, neg(k.u))) }))];
      const left = others.filter((o) => !needed.includes(o));
      return add(mul(num(c), logSumExp(shifted)), ...(left.length > 0 ? [visit(add(...left))] : []));
    }
  }
  return undefined;
}

/** A product of exponentials c·e^w (w = 0 for a number). */
interface Monomial {
  readonly c: Q.Rational;
  readonly w: Expr;
}

/**
 * The products of exponentials a term is the sum of: c·∏ e^(a_i)^(k_i)·(Σ_l c_l·e^(w_l)), integer
 * k_i, as Σ_l c·c_l·e^(w_l + Σ k_i·a_i) (a derivative's e^y·(e^(x + y) + e^(x + z))).
 */
function monomials(t: Expr): Monomial[] | undefined {
  const [c, rest] = splitCoefficient(t);
  const ws: Expr[] = [];
  let sum: readonly Monomial[] = [{ c: Q.ONE, w: ZERO }];
  for (const f of rest === ONE ? [] : rest.kind === "mul" ? rest.factors : [rest]) {
    const w = exponentOf(f);
    if (w !== undefined) ws.push(w);
    else if (f.kind === "add" && sum.length === 1) {
      const terms = f.terms.map((x) => monomials(x));
      if (terms.some((x) => x === undefined || x.length !== 1)) return undefined;
      sum = terms.map((x) => x![0]!);
    } else return undefined;
  }
  const a = add(...ws);
  return sum.map((m) => ({ c: Q.mul(c, m.c), w: add(m.w, a) }));
}

/** a for e^a, k·a for (e^a)^k with k an integer. */
function exponentOf(f: Expr): Expr | undefined {
  if (isCall(f, "exp")) return f.args[0];
  if (f.kind === "pow" && isCall(f.base, "exp") && f.exponent.kind === "num" && Q.isInteger(f.exponent.value)) return mul(f.exponent, f.base.args[0]!);
  return undefined;
}

const hasExp = (e: Expr): boolean => postorder(e).some((n) => isCall(n, "exp"));

/** p when f is S^(−p) with S a sum of exponentials and p a positive integer. */
function denominatorPower(f: Expr): { sum: readonly ExpTerm[]; base: Expr; p: number } | undefined {
  if (f.kind !== "pow" || f.exponent.kind !== "num" || !Q.isInteger(f.exponent.value) || !Q.isNegative(f.exponent.value)) return undefined;
  const sum = expSum(f.base);
  return sum && { sum, base: f.base, p: -Number(f.exponent.value.n) };
}

/**
 * (Σ_i c_i·e^(w_i))·S^(−p)·(factors without e) = (Σ_i c_i·e^(w_i − p·m))·S'^(−p)·(…): shifted by m
 * per degree of the denominator. Where w_i is a sum of p of the u_j (softmax s_k: u_k; s_k·s_l:
 * u_k + u_l; with a constant term, fewer), e^(w − p·m) is the product of the e^(u_j − m) that S'
 * computes already, each ≤ 1; elsewhere e^(w − p·m) itself, which overflows only where the value
 * does (S' is within [min c, Σ c]). A product with e elsewhere (in a log, in a sum with other
 * terms) is left as it is: shifting only part of its exponentials could overflow what did not.
 */
function ratio(factors: readonly Expr[], visit: Visit): Expr | undefined {
  const index = factors.findIndex((f) => denominatorPower(f) !== undefined);
  if (index < 0) return undefined;
  const { sum, p } = denominatorPower(factors[index]!)!;
  const rest = factors.filter((_, i) => i !== index);
  const numerator = monomials(mul(...rest.filter(hasExp)));
  if (numerator === undefined) return undefined;
  const others = rest.filter((f) => !hasExp(f));
  const t = commonPart(sum);
  const us = sum.map((x) => visit(add(x.u, neg(t))));
  const m = clippedShift(maxOf(us), sum, p);
  const shiftedTerms = sum.map((x, j) => ({ c: x.c, u: us[j]! }));
  const each = numerator.map(({ c, w }) => mul(num(c), shiftedMonomial(visit(add(w, mul(int(-p), t))), us, p, m)));
  return mul(visit(mul(...others)), add(...each), pow(shiftedSum(shiftedTerms, m), int(-p)));
}

/**
 * The shift of a ratio: s = m − clip(m, 0, T), T = (log(max double) − log Σ c_j)/p less one, so
 * S'^p cannot overflow. Where 0 ≤ m ≤ T, s = 0 and the exponentials are the unshifted ones: a ratio
 * e^a/(e^a + e^b) at b = 700 (a parameter) and a ≈ 0 keeps the digits that a − 700 would round
 * away (429 ulps where κ = |a|·σ(700 − a) ≈ 0.01, Herbie's "Quotient of sum of exps"). Where it
 * shifts, u_j − s rounds relative to |u_j| ≥ |s| wherever the ratio is a normal number (m > T: the
 * value is below e^(u_k − m), normal only for u_k > m − 708 ≥ s; m < 0: s = m and u_k ≤ m < 0),
 * within the condition number in u_k; and S' ≥ e^(m − s) ≥ 1, so nothing overflows or vanishes.
 */
function clippedShift(m: Expr, sum: readonly ExpTerm[], p: number): Expr {
  const total = sum.reduce((acc, x) => acc + Q.toNumber(x.c), 0);
  const T = num(Q.fromInteger(Math.floor((Math.log(Number.MAX_VALUE) - Math.log(total)) / p) - 1));
  // One value, subtracted as such: written m − clip(m, 0, T), the sum u − m + clip(…) would be
  // computed term by term, and u − m rounds what the shift by 0 keeps.
  return piecewise([{ when: compare(">", m, T), then: add(m, neg(T)) }, { when: compare("<", m, ZERO), then: m }], ZERO);
}

/** The clipped shift that a piecewise value would be, were it one (a max compared with T first). */
function clippedShiftOf(e: Expr): Expr | undefined {
  if (e.kind !== "piecewise" || e.branches.length !== 2) return undefined;
  const first = e.branches[0]!.when;
  if (first.kind !== "compare" || first.op !== ">" || !isCall(first.left, "max") || first.right.kind !== "num") return undefined;
  const m = first.left;
  const T = first.right;
  return piecewise([{ when: compare(">", m, T), then: add(m, neg(T)) }, { when: compare("<", m, ZERO), then: m }], ZERO);
}

/**
 * The terms every exponent of S has (−x in y − x and z − x), which a ratio, of degree 0 in the
 * e^(u_j), loses: S = e^t·Σ_j c_j·e^(u_j − t). 1/(1 + e^(y − x) + e^(z − x)) is then the softmax
 * of (x, y, z), and z − x, which overflows at (−1e308, 0, 1e308) where the value is 0, is not computed.
 */
function commonPart(sum: readonly ExpTerm[]): Expr {
  const termsOf = (u: Expr): readonly Expr[] => (u.kind === "add" ? u.terms : [u]);
  const [first, ...rest] = sum.filter((x) => x.u !== ZERO).map((x) => termsOf(x.u));
  return add(...first!.filter((t) => rest.every((r) => r.includes(t))));
}

/** e^(w − p·m), as ∏_j e^(u_j − m)^(k_j) where w = Σ_j k_j·u_j with Σ_j k_j = p. */
function shiftedMonomial(w: Expr, us: readonly Expr[], p: number, m: Expr): Expr {
  const k = degrees(w, us, p);
  if (k === undefined) return call("exp", [add(w, mul(int(-p), m))]);
  return mul(...us.map((u, j) => pow(call("exp", [add(u, neg(m))]), int(k[j]!))));
}

/** Beyond this many multisets of p arguments, w is not looked for among them. */
const MAX_MULTISETS = 5000;

/** Non-negative k_j with Σ_j k_j = p and Σ_j k_j·u_j = w, if there are. */
function degrees(w: Expr, us: readonly Expr[], p: number): number[] | undefined {
  let count = 1;
  for (let i = 1; i <= p; i++) count = (count * (us.length - 1 + i)) / i;
  if (count > MAX_MULTISETS) return undefined;
  const k = us.map(() => 0);
  const search = (from: number, left: number): boolean => {
    if (left === 0) return add(...us.map((u, j) => mul(int(k[j]!), u))) === w;
    for (let j = from; j < us.length; j++) {
      k[j]!++;
      if (search(j, left - 1)) return true;
      k[j]!--;
    }
    return false;
  };
  return search(0, p) ? k : undefined;
}

/**
 * k·e^(w₀) − Σ c_i·e^(w_i)/S^(p_i) … over the common denominator S^P: the numerator's terms are
 * multiplied out and collected, so that 1 − s_k = Σ_(j≠k) s_j, without the cancellation, and
 * every term is shifted as one ratio. Where the terms are left apart, the common factor S^(−p)
 * would be taken out of them (stabilize's common-factor) and S left unshifted beside shifted
 * ones: ∞·0 at (−1e308, −1e308, −1e308) in ∂²s_x/∂x∂y. Terms that are neither products of
 * exponentials nor have S in the denominator are left as they are.
 */
function complement(terms: readonly Expr[], visit: Visit): Expr | undefined {
  const ds = terms.map((t) => (t.kind === "mul" ? t.factors : [t]).map(denominatorPower).find((x) => x !== undefined));
  const sum = ds.find((d) => d !== undefined);
  if (sum === undefined || ds.some((d) => d !== undefined && d.base !== sum.base)) return undefined;
  const parts: { t: Expr; monos: Monomial[]; p: number }[] = [];
  terms.forEach((t, i) => {
    const d = ds[i];
    const monos = monomials(d === undefined ? t : mul(t, pow(d.base, int(d.p))));
    if (monos !== undefined) parts.push({ t, monos, p: d?.p ?? 0 });
  });
  const P = Math.max(...parts.map((x) => x.p));
  // Multiplied out, S^(P − p) has n^(P − p) terms: as far as expand goes (src/simplify/expand.ts).
  if (parts.length < 2 || P === 0 || P > 4) return undefined;
  const collected = new Map<Expr, Q.Rational>();
  for (const { monos, p } of parts) {
    let acc = monos;
    for (let i = p; i < P; i++) acc = acc.flatMap((x) => sum.sum.map((s) => ({ c: Q.mul(x.c, s.c), w: add(x.w, s.u) })));
    for (const x of acc) collected.set(x.w, Q.add(collected.get(x.w) ?? Q.ZERO, x.c));
  }
  const numerator = add(...[...collected].map(([w, c]) => mul(num(c), w === ZERO ? ONE : call("exp", [w]))));
  const left = terms.filter((t) => !parts.some((x) => x.t === t));
  return add(visit(mul(numerator, pow(sum.base, int(-P)))), ...left.map(visit));
}
