import type { FnName } from "../functions/names.js";
import {
  intern, sameNodes, shapeHash as H, type Add, type Branch, type Call, type Compare, type CompareOp, type Const, type ConstName,
  type Derivative, type Elem, type Expr, type Idx, type Len, type Logic, type Mul, type Not, type Num, type Piecewise, type Pow,
  type Reduce, type ReduceOp, type Sym, type VCall, type VectorFnName,
} from "./nodes.js";
import { compareExpr, compareFactors, compareTerms } from "./order.js";
import * as Q from "./rational.js";

/**
 * Smart constructors. They keep every tree in canonical form as it is built — sums and
 * products flattened, numbers folded exactly, like terms and equal bases collected, operands
 * sorted — so the rest of actdiff never sees `x + 0`, `x * x` or `(x + 1) + 2`.
 */

export function num(value: Q.Rational | number): Num {
  const v = typeof value === "number" ? Q.fromNumber(value) : value;
  const hash = H.mixNumber(H.mixNumber(H.seed("num"), Number(v.n)), Number(v.d));
  return intern<Num>(hash, (e) => e.kind === "num" && Q.equals(e.value, v), (id) => ({ kind: "num", value: v, id }));
}
export const int = (k: number): Num => num(Q.fromInteger(k));
export const ZERO = int(0);
export const ONE = int(1);
export const MINUS_ONE = int(-1);
export const HALF = num(Q.rational(1n, 2n));
export const TWO = int(2);

export const sym = (name: string): Sym =>
  intern<Sym>(H.mixString(H.seed("sym"), name), (e) => e.kind === "sym" && e.name === name, (id) => ({ kind: "sym", name, id }));
export const constant = (name: ConstName): Const =>
  intern<Const>(H.mixString(H.seed("const"), name), (e) => e.kind === "const" && e.name === name, (id) => ({ kind: "const", name, id }));
export const PI = constant("pi");

export const call = (fn: FnName, args: readonly Expr[]): Call =>
  intern<Call>(
    H.mixIds(H.mixString(H.seed("call"), fn), args),
    (e) => e.kind === "call" && e.fn === fn && sameNodes(e.args, args),
    (id) => ({ kind: "call", fn, args: Object.freeze([...args]), id }),
  );

export const isNum = (e: Expr, value?: number): e is Num =>
  e.kind === "num" && (value === undefined || Q.equals(e.value, Q.fromNumber(value)));

/** Splits a term into its numeric coefficient and the rest: `-3 * x * y` → (-3, x * y). */
export function splitCoefficient(e: Expr): readonly [Q.Rational, Expr] {
  if (e.kind === "num") return [e.value, ONE];
  if (e.kind === "mul" && e.factors[0]!.kind === "num") {
    // Remembered: the rest of a product of three or more is a node of its own, interned anew on
    // every split, and sums, the stable rewrites and lowering split the same terms again and again.
    let split = splits.get(e);
    if (split === undefined) {
      const rest = e.factors.slice(1);
      splits.set(e, (split = [e.factors[0].value, rest.length === 1 ? rest[0]! : makeMul(rest)]));
    }
    return split;
  }
  return [Q.ONE, e];
}

const splits = new WeakMap<Expr, readonly [Q.Rational, Expr]>();

const makeMul = (factors: readonly Expr[]): Mul =>
  intern<Mul>(
    H.mixIds(H.seed("mul"), factors),
    (e) => e.kind === "mul" && sameNodes(e.factors, factors),
    (id) => ({ kind: "mul", factors: Object.freeze([...factors]), id }),
  );

function scaled(coefficient: Q.Rational, rest: Expr): Expr {
  if (Q.isZero(coefficient)) return ZERO;
  if (rest === ONE) return num(coefficient);
  if (Q.isOne(coefficient)) return rest;
  const restFactors = rest.kind === "mul" ? rest.factors : [rest];
  return makeMul([num(coefficient), ...restFactors]);
}

export function add(...terms: readonly Expr[]): Expr {
  return addAll(terms);
}

/**
 * The canonical sum of a list of terms. Long lists (a generated polynomial of 100,000 terms) come
 * here as an array: a spread of that many arguments overflows the engine's stack.
 */
export function addAll(terms: readonly Expr[]): Expr {
  let constantPart = Q.ZERO;
  const collected = new Map<number, { rest: Expr; coefficient: Q.Rational }>();
  const visit = (t: Expr): void => {
    if (t.kind === "add") return t.terms.forEach(visit);
    if (t.kind === "num") {
      constantPart = Q.add(constantPart, t.value);
      return;
    }
    const [c, rest] = splitCoefficient(t);
    const entry = collected.get(rest.id);
    if (entry) entry.coefficient = Q.add(entry.coefficient, c);
    else collected.set(rest.id, { rest, coefficient: c });
  };
  terms.forEach(visit);
  const out: Expr[] = [];
  for (const { rest, coefficient } of collected.values()) {
    if (!Q.isZero(coefficient)) out.push(scaled(coefficient, rest));
  }
  out.sort(compareTerms);
  if (!Q.isZero(constantPart)) out.unshift(num(constantPart));
  if (out.length === 0) return ZERO;
  if (out.length === 1) return out[0]!;
  return intern<Add>(H.mixIds(H.seed("add"), out), (e) => e.kind === "add" && sameNodes(e.terms, out), (id) => ({ kind: "add", terms: Object.freeze(out), id }));
}

export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));
export const neg = (a: Expr): Expr => mul(MINUS_ONE, a);

export function mul(...factors: readonly Expr[]): Expr {
  return mulAll(factors);
}

/** The canonical product of a list of factors (an array, as `addAll` takes its terms). */
export function mulAll(factors: readonly Expr[]): Expr {
  let coefficient = Q.ONE;
  const bases = new Map<number, { base: Expr; exponents: Expr[] }>();
  const visit = (f: Expr): void => {
    if (f.kind === "mul") return f.factors.forEach(visit);
    if (f.kind === "num") {
      coefficient = Q.mul(coefficient, f.value);
      return;
    }
    const [base, exponent] = f.kind === "pow" ? [f.base, f.exponent] : [f, ONE];
    const entry = bases.get(base.id);
    if (entry) entry.exponents.push(exponent);
    else bases.set(base.id, { base, exponents: [exponent] });
  };
  factors.forEach(visit);
  if (Q.isZero(coefficient)) return ZERO;

  const out: Expr[] = [];
  let needsAnotherPass = false;
  for (const { base, exponents } of bases.values()) {
    const p = pow(base, exponents.length === 1 ? exponents[0]! : addAll(exponents));
    if (p === ONE) continue;
    // e^k comes back as exp(k), which may meet an exp(k) factor already collected: e * e * exp(2).
    if (p.kind === "num" || p.kind === "mul" || (base.kind === "const" && p.kind === "call")) needsAnotherPass = true;
    out.push(p);
  }
  if (needsAnotherPass) return mulAll([num(coefficient), ...out]);
  out.sort(compareFactors);
  // A lone numeric coefficient times a sum distributes, so that -(a - b) is b - a and like terms meet.
  if (out.length === 1 && out[0]!.kind === "add" && !Q.isOne(coefficient)) {
    return addAll(out[0].terms.map((t) => mul(num(coefficient), t)));
  }
  if (out.length === 0) return num(coefficient);
  if (Q.isOne(coefficient) && out.length === 1) return out[0]!;
  return makeMul(Q.isOne(coefficient) ? out : [num(coefficient), ...out]);
}

export const div = (a: Expr, b: Expr): Expr => mul(a, pow(b, MINUS_ONE));

const MAX_EXACT_POWER_DIGITS = 400;

export function pow(base: Expr, exponent: Expr): Expr {
  if (exponent === ZERO) return ONE;
  if (exponent === ONE) return base;
  if (base === ONE) return ONE;
  if (base.kind === "const" && base.name === "e") return call("exp", [exponent]);
  if (exponent.kind === "num") {
    const k = exponent.value;
    if (base.kind === "num") {
      const folded = foldNumericPower(base.value, k);
      if (folded !== undefined) return num(folded);
    }
    if (Q.isInteger(k)) {
      // (x^a)^n = x^(a·n) and (x·y)^n = x^n·y^n hold for every integer n.
      if (base.kind === "pow") return pow(base.base, mul(base.exponent, exponent));
      // √c^(2m) = c^m for a number c ≥ 0 (for a symbol it would hide that √u is undefined below 0;
      // odd powers stay roots, as a reader writes them).
      if (k.n % 2n === 0n && base.kind === "call" && base.fn === "sqrt" && base.args[0]!.kind === "num" && !Q.isNegative(base.args[0].value)) {
        return pow(base.args[0], num(Q.div(k, Q.fromInteger(2))));
      }
      if (base.kind === "mul") return mulAll(base.factors.map((f) => pow(f, exponent)));
    }
  }
  return intern<Pow>(
    H.mix(H.mix(H.seed("pow"), base.id), exponent.id),
    (e) => e.kind === "pow" && e.base === base && e.exponent === exponent,
    (id) => ({ kind: "pow", base, exponent, id }),
  );
}

function foldNumericPower(b: Q.Rational, k: Q.Rational): Q.Rational | undefined {
  if (Q.isZero(b)) return Q.isNegative(k) || Q.isZero(k) ? undefined : Q.ZERO;
  const sizeDigits = (b.n.toString().length + b.d.toString().length) * Math.abs(Number(k.n));
  if (sizeDigits / Number(k.d) > MAX_EXACT_POWER_DIGITS) return undefined;
  const root = Q.isInteger(k) ? b : k.d <= 64n ? Q.exactRoot(b, Number(k.d)) : undefined;
  return root === undefined ? undefined : Q.powInteger(root, Number(k.n));
}

export function compare(op: CompareOp, left: Expr, right: Expr): Compare {
  return intern<Compare>(
    H.mix(H.mix(H.mixString(H.seed("compare"), op), left.id), right.id),
    (e) => e.kind === "compare" && e.op === op && e.left === left && e.right === right,
    (id) => ({ kind: "compare", op, left, right, id }),
  );
}

/** Decides a condition when both sides are numbers; otherwise undefined. */
export function decide(cond: Expr): boolean | undefined {
  switch (cond.kind) {
    case "compare": {
      if (cond.left.kind !== "num" || cond.right.kind !== "num") return cond.left === cond.right ? cond.op.includes("=") && cond.op !== "!=" : undefined;
      const c = Q.compare(cond.left.value, cond.right.value);
      return { "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0, "==": c === 0, "!=": c !== 0 }[cond.op];
    }
    case "not": {
      const v = decide(cond.arg);
      return v === undefined ? undefined : !v;
    }
    case "logic": {
      const vs = cond.args.map(decide);
      if (cond.op === "and") return vs.includes(false) ? false : vs.every((v) => v === true) ? true : undefined;
      return vs.includes(true) ? true : vs.every((v) => v === false) ? false : undefined;
    }
    default: return undefined;
  }
}

export function logic(op: "and" | "or", args: readonly Expr[]): Expr {
  const flat = args.flatMap((a) => (a.kind === "logic" && a.op === op ? a.args : [a]));
  const unique = [...new Map(flat.map((a) => [a.id, a])).values()].sort(compareExpr);
  if (unique.length === 1) return unique[0]!;
  return intern<Logic>(
    H.mixIds(H.mixString(H.seed("logic"), op), unique),
    (e) => e.kind === "logic" && e.op === op && sameNodes(e.args, unique),
    (id) => ({ kind: "logic", op, args: Object.freeze(unique), id }),
  );
}

export const not = (arg: Expr): Not =>
  intern<Not>(H.mix(H.seed("not"), arg.id), (e) => e.kind === "not" && e.arg === arg, (id) => ({ kind: "not", arg, id }));

/** `when₁ ? then₁ : … : otherwise`, with decidable conditions resolved and nested chains flattened. */
export function piecewise(branches: readonly Branch[], otherwise: Expr): Expr {
  const kept: Branch[] = [];
  for (const b of branches) {
    const v = decide(b.when);
    if (v === false) continue;
    if (v === true) {
      otherwise = b.then;
      break;
    }
    kept.push(b);
  }
  if (otherwise.kind === "piecewise") {
    kept.push(...otherwise.branches);
    otherwise = otherwise.otherwise;
  }
  // Trailing branches that give the same value as `otherwise` are redundant, and neighbours
  // with one value share a branch: `x <= 0 ? 0 : x >= 6 ? 0 : 1` is `x <= 0 or x >= 6 ? 0 : 1`.
  while (kept.length > 0 && kept[kept.length - 1]!.then === otherwise) kept.pop();
  for (let i = kept.length - 1; i > 0; i--) {
    if (kept[i]!.then === kept[i - 1]!.then) kept.splice(i - 1, 2, { when: logic("or", [kept[i - 1]!.when, kept[i]!.when]), then: kept[i]!.then });
  }
  if (kept.length === 0) return otherwise;
  let hash = H.seed("piecewise");
  for (const b of kept) hash = H.mix(H.mix(hash, b.when.id), b.then.id);
  const sameBranches = (bs: readonly Branch[]): boolean =>
    bs.length === kept.length && bs.every((b, i) => b.when === kept[i]!.when && b.then === kept[i]!.then);
  return intern<Piecewise>(
    H.mix(hash, otherwise.id),
    (e) => e.kind === "piecewise" && e.otherwise === otherwise && sameBranches(e.branches),
    (id) => ({ kind: "piecewise", branches: Object.freeze(kept.map((b) => Object.freeze({ when: b.when, then: b.then }))), otherwise, id }),
  );
}

export const cond = (when: Expr, then: Expr, otherwise: Expr): Expr => piecewise([{ when, then }], otherwise);

export const derivative = (expr: Expr, wrt: string, order = 1): Derivative =>
  intern<Derivative>(
    H.mix(H.mixString(H.mix(H.seed("derivative"), expr.id), wrt), order),
    (e) => e.kind === "derivative" && e.expr === expr && e.wrt === wrt && e.order === order,
    (id) => ({ kind: "derivative", expr, wrt, order, id }),
  );

// Vectors: indices, elements, lengths, reductions and vector functions.

export const idx = (name: string): Idx =>
  intern<Idx>(H.mixString(H.seed("idx"), name), (e) => e.kind === "idx" && e.name === name, (id) => ({ kind: "idx", name, id }));

export const elem = (vector: string, index: Expr): Elem =>
  intern<Elem>(
    H.mix(H.mixString(H.seed("elem"), vector), index.id),
    (e) => e.kind === "elem" && e.vector === vector && e.index === index,
    (id) => ({ kind: "elem", vector, index, id }),
  );

export const len = (vector: string): Len =>
  intern<Len>(H.mixString(H.seed("len"), vector), (e) => e.kind === "len" && e.vector === vector, (id) => ({ kind: "len", vector, id }));

/**
 * Bound indices are named §1, §2, …: a binder takes one more than the largest number in its
 * body, bound or free, so its name is fresh there (no capture, also after a substitution grows
 * the body) and is a function of the structure alone — Σ_k e^(x_k) and Σ_t e^(x_t) are one node.
 * `§` is not an identifier character, so no name a user writes can meet them.
 */
export const BOUND_PREFIX = "§";
const boundNumbers = new WeakMap<Expr, number>();

/** The largest n of any §n in e (0 when none). */
export function largestBoundNumber(e: Expr): number {
  const cached = boundNumbers.get(e);
  if (cached !== undefined) return cached;
  let n = 0;
  switch (e.kind) {
    case "idx": n = e.name.startsWith(BOUND_PREFIX) ? Number(e.name.slice(1)) : 0; break;
    case "num": case "sym": case "const": case "len": break;
    default: for (const c of directChildren(e)) n = Math.max(n, largestBoundNumber(c));
  }
  if (e.kind === "reduce" || e.kind === "vcall") n = Math.max(n, Number(e.index.slice(1)));
  boundNumbers.set(e, n);
  return n;
}

/** Children without importing walk.ts (which imports this module). */
function directChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "num": case "sym": case "const": case "idx": case "len": return [];
    case "call": return e.args;
    case "add": return e.terms;
    case "mul": return e.factors;
    case "pow": return [e.base, e.exponent];
    case "piecewise": return [...e.branches.flatMap((b) => [b.when, b.then]), e.otherwise];
    case "compare": return [e.left, e.right];
    case "logic": return e.args;
    case "not": return [e.arg];
    case "derivative": return [e.expr];
    case "elem": return [e.index];
    case "reduce": return [e.from, e.to, e.body];
    case "vcall": return e.at === undefined ? [e.length, e.body] : [e.length, e.body, e.at];
  }
}

/** body with the index `from` renamed to `to` (both plain names; `to` fresh in body). */
export function renameIndex(body: Expr, from: string, to: string): Expr {
  return replaceIndex(body, from, idx(to));
}

/** body with every free occurrence of the index `name` replaced by the index expression `by`. */
export function replaceIndex(body: Expr, name: string, by: Expr): Expr {
  const memo = new Map<number, Expr>();
  const visit = (e: Expr): Expr => {
    const done = memo.get(e.id);
    if (done !== undefined) return done;
    let out: Expr;
    switch (e.kind) {
      case "idx": out = e.name === name ? by : e; break;
      case "num": case "sym": case "const": case "len": out = e; break;
      // A binder of the same name shadows it; its range is outside the binder.
      case "reduce": out = e.index === name ? reduce(e.op, e.index, visit(e.from), visit(e.to), e.body) : reduce(e.op, e.index, visit(e.from), visit(e.to), visit(e.body)); break;
      case "vcall": out = vcall(e.fn, e.index, visit(e.length), e.index === name ? e.body : visit(e.body), e.at === undefined ? undefined : visit(e.at)); break;
      default: out = rebuild(e, directChildren(e).map(visit));
    }
    memo.set(e.id, out);
    return out;
  };
  return visit(body);
}

/** A node of a scalar kind with new children, through the smart constructors. */
function rebuild(e: Expr, kids: readonly Expr[]): Expr {
  if (kids.every((k, i) => k === directChildren(e)[i])) return e;
  switch (e.kind) {
    case "call": return call(e.fn, kids);
    case "add": return addAll(kids);
    case "mul": return mulAll(kids);
    case "pow": return pow(kids[0]!, kids[1]!);
    case "piecewise": return piecewise(e.branches.map((_, i) => ({ when: kids[2 * i]!, then: kids[2 * i + 1]! })), kids[kids.length - 1]!);
    case "compare": return compare(e.op, kids[0]!, kids[1]!);
    case "logic": return logic(e.op, kids);
    case "not": return not(kids[0]!);
    case "derivative": return derivative(kids[0]!, e.wrt, e.order);
    case "elem": return elem(e.vector, kids[0]!);
    default: throw new Error(`internal error: rebuild of ${e.kind}`);
  }
}

/** op over `index` = from … to − 1 of body, with the index renamed canonically. */
export function reduce(op: ReduceOp, index: string, from: Expr, to: Expr, body: Expr): Reduce {
  const canonical = canonicalBinding(index, body);
  return intern<Reduce>(
    H.mix(H.mix(H.mix(H.mixString(H.mixString(H.seed("reduce"), op), canonical.index), from.id), to.id), canonical.body.id),
    (e) => e.kind === "reduce" && e.op === op && e.index === canonical.index && e.from === from && e.to === to && e.body === canonical.body,
    (id) => ({ kind: "reduce", op, index: canonical.index, from, to, body: canonical.body, id }),
  );
}

/** fn of the vector (index ↦ body, index < length), at the element `at` if fn is vector-valued. */
export function vcall(fn: VectorFnName, index: string, length: Expr, body: Expr, at: Expr | undefined): VCall {
  const canonical = canonicalBinding(index, body);
  const hash = H.mix(H.mix(H.mixString(H.mixString(H.seed("vcall"), fn), canonical.index), length.id), canonical.body.id);
  return intern<VCall>(
    at === undefined ? hash : H.mix(hash, at.id),
    (e) => e.kind === "vcall" && e.fn === fn && e.index === canonical.index && e.length === length && e.body === canonical.body && e.at === at,
    (id) => ({ kind: "vcall", fn, index: canonical.index, length, body: canonical.body, at, id }),
  );
}

function canonicalBinding(index: string, body: Expr): { index: string; body: Expr } {
  // The free occurrences of the index, as §0 (which no binder is called), do not count.
  const placeholder = replaceIndex(body, index, idx(`${BOUND_PREFIX}0`));
  const name = `${BOUND_PREFIX}${largestBoundNumber(placeholder) + 1}`;
  return name === index ? { index, body } : { index: name, body: replaceIndex(placeholder, `${BOUND_PREFIX}0`, idx(name)) };
}
