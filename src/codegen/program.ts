import { mul, num, ONE, pow, splitCoefficient, ZERO } from "../ast/build.js";
import { assertNever, type Branch, type CompareOp, type Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { children, postorder } from "../ast/walk.js";
import type { FnName } from "../functions/table.js";
import { stabilizeTogether, type Lanes } from "../stable/stabilize.js";
import { scaledProduct, type ScaledProduct } from "./long-product.js";

/**
 * The one lowering from expressions to code. Every generated artefact — closures (`new Function`
 * and the CSP closure tree), batch kernels, emitted modules — is printed or interpreted from the
 * `Program` that `lower` returns, so they all perform the same floating-point operations in the
 * same order and agree bit for bit by construction. Decisions about arithmetic (how a power, a
 * quotient or a difference is computed) are taken here and nowhere else; printers only spell them.
 *
 * A Program is straight-line code with structured `if`: constants bound once (common
 * subexpressions), `let` targets for piecewise values assigned in exactly one branch (only the
 * taken branch runs, so an untaken branch can never produce NaN or Infinity), and result values.
 */
export interface Signature {
  readonly inputs: readonly string[];
  readonly params: readonly string[];
}

export type BinaryOp = "+" | "-" | "*" | "/" | "**";
export type JsCompareOp = "<" | "<=" | ">" | ">=" | "===" | "!==";

export type Value =
  | { readonly op: "num"; readonly value: number }
  | { readonly op: "const"; readonly name: "pi" | "e" }
  | { readonly op: "input"; readonly index: number }
  | { readonly op: "param"; readonly index: number }
  | { readonly op: "temp"; readonly index: number }
  | { readonly op: "call"; readonly fn: FnName; readonly args: readonly Value[] }
  | { readonly op: "neg"; readonly arg: Value }
  /** A condition as a number, 1 or 0: `c ? 1 : 0` computed without a branch. */
  | { readonly op: "indicator"; readonly arg: Value }
  | { readonly op: BinaryOp; readonly left: Value; readonly right: Value }
  | { readonly op: JsCompareOp; readonly left: Value; readonly right: Value }
  | { readonly op: "&&" | "||"; readonly args: readonly Value[] }
  | { readonly op: "!"; readonly arg: Value };

export type Stmt =
  /** `const t = value;` — a subexpression used more than once. */
  | { readonly kind: "const"; readonly temp: number; readonly value: Value }
  /** `let t;` — the target of a piecewise value, assigned in each branch. */
  | { readonly kind: "let"; readonly temp: number }
  | { readonly kind: "assign"; readonly temp: number; readonly value: Value }
  | { readonly kind: "if"; readonly test: Value; readonly then: readonly Stmt[]; readonly otherwise: readonly Stmt[] };

export interface Program {
  readonly inputs: number;
  readonly params: number;
  /** What each temp holds, by index: a number or a condition. */
  readonly temps: readonly ("number" | "boolean")[];
  readonly body: readonly Stmt[];
  readonly results: readonly Value[];
  /** Every builtin the program calls, sorted (printers inline some and call helpers for the rest). */
  readonly calls: readonly FnName[];
}

const COMPARE: Record<CompareOp, JsCompareOp> = { "<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "===", "!=": "!==" };

/** Whether the value, or any value inside it, passes the test (with a stack of its own: a sum of 100,000 terms is a chain as deep). */
export function someValue(root: Value, test: (v: Value) => boolean): boolean {
  const stack: Value[] = [root];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (test(v)) return true;
    switch (v.op) {
      case "num": case "const": case "input": case "param": case "temp": break;
      case "call": case "&&": case "||": for (let i = v.args.length - 1; i >= 0; i--) stack.push(v.args[i]!); break;
      case "neg": case "indicator": case "!": stack.push(v.arg); break;
      default: stack.push(v.right, v.left);
    }
  }
  return false;
}

/** Values that cost nothing to repeat: never worth a temp. */
export const isLeaf = (v: Value): boolean =>
  v.op === "num" || v.op === "const" || v.op === "input" || v.op === "param" || v.op === "temp";

const isBoolean = (v: Value): boolean =>
  v.op === "<" || v.op === "<=" || v.op === ">" || v.op === ">=" || v.op === "===" || v.op === "!=="
  || v.op === "&&" || v.op === "||" || v.op === "!";

class Block {
  readonly stmts: Stmt[] = [];
  private readonly names = new Map<number, Value>();
  /**
   * @param always what this block computes whatever the conditions inside it are (the values it
   *   assigns, short of the branches of the piecewise values among them)
   */
  constructor(readonly always: ReadonlySet<Expr>, readonly parent?: Block) {}
  lookup(e: Expr): Value | undefined {
    return this.names.get(e.id) ?? this.parent?.lookup(e);
  }
  bind(e: Expr, v: Value): void {
    this.names.set(e.id, v);
  }
}

/** Integer powers up to this size are repeated multiplications (as hand-written code does); larger ones use `**`. */
const MAX_CHAIN = 4;

export interface LowerOptions {
  /**
   * Rewrite into numerically stable forms first (src/stable: log1p, expm1, σ(−u) for 1 − σ(u), …).
   * On by default; `false` compiles the formula as written, which only the audit wants (for its
   * "naive" column).
   */
  readonly stable?: boolean;
  /**
   * What the code runs on: scalar JavaScript (the default), or vector lanes (the SIMD kernels).
   * Two stable forms pay off only one value at a time and are left out for lanes: e^u shared
   * between expm1(u) and exp(u) (vector exp and expm1 share their reduction by themselves), and
   * the far side of softplus(u) − log 2 (lanes would compute a third side, not choose one).
   */
  readonly lanes?: Lanes;
}

/**
 * Lowers `roots` (one function computing them all, sharing common subexpressions) to a Program.
 * This is the single entry point of code generation: the only place where the stable forms are
 * chosen, so closures, kernels, CSP closures and emitted modules all compute the same thing.
 */
export function lower(written: readonly Expr[], signature: Signature, options: LowerOptions = {}): Program {
  const roots = options.stable === false ? written : stabilizeTogether(written, options.lanes);
  const uses = countUses(roots);
  const temps: ("number" | "boolean")[] = [];
  const calls = new Set<FnName>();
  const symbols = new Map<string, Value>();
  signature.inputs.forEach((n, index) => symbols.set(n, { op: "input", index }));
  signature.params.forEach((n, index) => symbols.set(n, { op: "param", index }));

  const root = new Block(unconditionalOf(roots));
  const fresh = (v: Value): number => temps.push(isBoolean(v) ? "boolean" : "number") - 1;

  /** v computed once into a temp of its own. */
  const newTemp = (v: Value, block: Block): Value => {
    const index = fresh(v);
    block.stmts.push({ kind: "const", temp: index, value: v });
    return { op: "temp", index };
  };

  /** v computed once, and e known to be it from here on in the block. */
  const bindTemp = (e: Expr, v: Value, block: Block): Value => {
    const ref = newTemp(v, block);
    block.bind(e, ref);
    return ref;
  };

  const value = (e: Expr, block: Block): Value => {
    const known = block.lookup(e);
    if (known !== undefined) return known;
    // c ? 1 : 0 is the condition as a number: no branch, which on inputs of both signs would
    // mispredict (xwish's π·[βx ≥ 0] ± atan(1/|βx|)).
    if (e.kind === "piecewise" && e.branches.length === 1 && e.branches[0]!.then === ONE && e.otherwise === ZERO) {
      const v: Value = { op: "indicator", arg: value(e.branches[0]!.when, block) };
      return (uses.get(e.id) ?? 0) > 1 ? bindTemp(e, v, block) : v;
    }
    if (e.kind === "piecewise") return lowerPiecewise(e, block);
    const v = build(e, block);
    if ((uses.get(e.id) ?? 0) > 1 && !isLeaf(v)) return bindTemp(e, v, block);
    return v;
  };

  /** The value of e as a leaf: a temp is introduced when it is not one already (a power's base). */
  const leaf = (e: Expr, block: Block): Value => {
    const v = value(e, block);
    return isLeaf(v) ? v : bindTemp(e, v, block);
  };

  // Piecewise values that test the same condition first — f and f′ of elu, relu, trelu,
  // relu_softplus …, σ(v) and σ(−v) in swish′ — share one if: the condition is tested once (one
  // branch, not two that each may mispredict) and the branch values share their subexpressions
  // (elu's e^x, swish's e^(−βx) computed once). The first of them needed brings the others along.
  const piecewiseByFirstTest = new Map<number, Piecewise[]>();
  for (const n of new Set(roots.flatMap((r) => postorder(r)))) {
    if (n.kind !== "piecewise") continue;
    const key = chainOf(n).branches[0]!.when.id;
    piecewiseByFirstTest.set(key, [...(piecewiseByFirstTest.get(key) ?? []), n]);
  }

  // What a block computes whatever the conditions are (not inside a branch), and is needed more
  // than once: computed before the first if that also needs it, in the outermost such block, where
  // the rest of the code sees it too (tanh and tanh′ fused: e^(−2|x|) once, not once in a branch
  // and again after it).
  const hoist = (e: Piecewise, block: Block): void => {
    const blocks: Block[] = [];
    for (let b: Block | undefined = block; b !== undefined; b = b.parent) blocks.unshift(b);
    for (const n of postorder(e)) {
      const numeric = n.kind !== "piecewise" && n.kind !== "compare" && n.kind !== "logic" && n.kind !== "not";
      if (n === e || !numeric || (uses.get(n.id) ?? 0) < 2 || block.lookup(n) !== undefined) continue;
      const outermost = blocks.find((b) => b.always.has(n));
      if (outermost !== undefined) value(n, outermost);
    }
  };

  // Piecewise values whose if is being built: one of them may be needed inside a branch of
  // another (x < 0 ? p·2 : 1 with p = x < 0 ? a : b), where it is lowered on its own.
  const underWay = new Set<Piecewise>();

  const lowerPiecewise = (e: Piecewise, block: Block): Value => {
    const together = piecewiseByFirstTest.get(chainOf(e).branches[0]!.when.id) ?? [];
    const others = together.filter((m) => m !== e && !underWay.has(m) && block.lookup(m) === undefined);
    const members = [e, ...others];
    // Under way before their shared parts are hoisted: a hoisted part may hold another piecewise
    // value of the same first test, whose lowering must not take these in again (it would hoist
    // the same part, and so on without end).
    const fresh = members.filter((m) => !underWay.has(m));
    fresh.forEach((m) => underWay.add(m));
    members.forEach((m) => hoist(m, block));
    const targets = members.map(() => temps.push("number") - 1);
    targets.forEach((temp) => block.stmts.push({ kind: "let", temp }));
    assignTogether(members.map((m, k) => ({ value: m, target: targets[k]! })), block);
    fresh.forEach((m) => underWay.delete(m));
    members.forEach((m, k) => block.bind(m, { op: "temp", index: targets[k]! }));
    return { op: "temp", index: targets[0]! };
  };

  /**
   * `target = value` for each; piecewise values with the same first condition go into one if,
   * whose branches do the same with what each value is there (the rest of its chain when the
   * condition is false: later conditions are tested only then).
   */
  const assignTogether = (items: readonly { value: Expr; target: number }[], block: Block): void => {
    const chains: { chain: Chain; target: number }[] = [];
    for (const item of items) {
      const known = block.lookup(item.value);
      if (item.value.kind !== "piecewise" || known !== undefined) {
        block.stmts.push({ kind: "assign", temp: item.target, value: known ?? value(item.value, block) });
      } else chains.push({ chain: chainOf(item.value), target: item.target });
    }
    assignChains(chains, block);
  };

  const assignChains = (chains: readonly { chain: Chain; target: number }[], block: Block): void => {
    const byTest = new Map<number, { chain: Chain; target: number }[]>();
    for (const c of chains) {
      if (c.chain.branches.length === 0) {
        assignTogether([{ value: c.chain.otherwise, target: c.target }], block);
        continue;
      }
      const key = c.chain.branches[0]!.when.id;
      byTest.set(key, [...(byTest.get(key) ?? []), c]);
    }
    for (const group of byTest.values()) {
      const when = group[0]!.chain.branches[0]!.when;
      // Tested once here: no temp needed for the condition.
      const test = block.lookup(when) ?? build(when, block);
      const thens = group.map(({ chain, target }) => ({ value: chain.branches[0]!.then, target }));
      const taken = new Block(unconditionalOf(thens.map((t) => t.value)), block);
      assignTogether(thens, taken);
      const rests = group.map(({ chain, target }) => ({ chain: { branches: chain.branches.slice(1), otherwise: chain.otherwise }, target }));
      const untaken = new Block(unconditionalOf(rests.map(({ chain }) => chain.branches[0]?.when ?? chain.otherwise)), block);
      assignChains(rests, untaken);
      block.stmts.push({ kind: "if", test, then: taken.stmts, otherwise: untaken.stmts });
    }
  };

  /** base^k for a small integer k ≥ 1: b * b * … (left to right), each factor the same leaf. */
  const power = (base: Expr, k: number, block: Block): Value => (k === 1 ? value(base, block) : chain(leaf(base, block), k));

  /** A positive power (or the base itself) as it appears in a denominator. */
  const positivePower = (base: Expr, k: Q.Rational, block: Block): Value =>
    Q.isInteger(k) && Number(k.n) <= MAX_CHAIN ? power(base, Number(k.n), block) : value(pow(base, num(k)), block);

  const build = (e: Expr, block: Block): Value => {
    const sub = (c: Expr): Value => value(c, block);
    switch (e.kind) {
      case "num": return { op: "num", value: Q.toNumber(e.value) };
      case "sym": {
        const v = symbols.get(e.name);
        if (v === undefined) throw new Error(`internal error: '${e.name}' is neither an input nor a parameter`);
        return v;
      }
      case "const": return { op: "const", name: e.name };
      case "call": {
        calls.add(e.fn);
        return { op: "call", fn: e.fn, args: e.args.map(sub) };
      }
      case "add": {
        // Left to right; a term with a negative coefficient is subtracted: a - 2·b, not a + (-2)·b
        // (the same value: negation is exact). Two terms with the negative one first swap, which
        // is exact too: exp(x) - 1 rather than -1 + exp(x).
        let terms = e.terms.map((t) => {
          const [c, rest] = splitCoefficient(t);
          return Q.isNegative(c) ? { t, negative: true, positive: mul(num(Q.neg(c)), rest) } : { t, negative: false, positive: t };
        });
        if (terms.length === 2 && terms[0]!.negative && !terms[1]!.negative) terms = [terms[1]!, terms[0]!];
        let acc = sub(terms[0]!.t);
        for (const term of terms.slice(1)) {
          acc = term.negative ? { op: "-", left: acc, right: sub(term.positive) } : { op: "+", left: acc, right: sub(term.t) };
        }
        return acc;
      }
      case "mul": {
        // c · a · b / (d · e): one division instead of multiplications by reciprocals (one rounding
        // fewer). A coefficient of -1 is a negation of the rest, which is exact.
        const [c, rest] = splitCoefficient(e);
        const factors = rest.kind === "mul" ? rest.factors : [rest];
        const top: Value[] = [];
        const bottom: Value[] = [];
        const [squares, rest2] = pairSquares(factors);
        for (const { over, under, k, overLeft, underLeft } of squares) {
          // u^a / v^b as (u/v)^k · u^(a−k) / v^(b−k), k = min(a, b), where a ≥ 2: u^a and v^b may
          // each leave the doubles when their quotient does not ((1 − cos x)/x² is 2·sin(x/2)²/x²,
          // both squares 0 below |x| ≈ 1e−154 where the value is 1/2). It costs no more operations.
          // For a = b the quotient's power is the value, so it never leaves the doubles first; for
          // a > b it can, where u and v are of very different scales (u = 1e−10, v = 1e−320 in
          // u²/v), while u and v of one scale — two functions of one input, as in a formula — are
          // what overflows as separate powers.
          const ratio: Value = { op: "/", left: leaf(over, block), right: leaf(under, block) };
          top.push(k === 1 ? ratio : chain(newTemp(ratio, block), k));
          if (overLeft > 0) top.push(power(over, overLeft, block));
          if (underLeft > 0) bottom.push(power(under, underLeft, block));
        }
        for (const f of rest2) {
          if (f.kind === "pow" && f.exponent.kind === "num" && Q.isNegative(f.exponent.value)) {
            bottom.push(positivePower(f.base, Q.neg(f.exponent.value), block));
          } else top.push(sub(f));
        }
        // Many factors, or a coefficient out of range: a running product (long-product.ts).
        const scaled = scaledProduct(c, top.length + bottom.length);
        if (scaled !== undefined) return runningProduct(scaled, top, bottom);
        const negate = Q.equals(c, Q.neg(Q.ONE));
        if (!negate && !Q.isOne(c)) top.unshift({ op: "num", value: Q.toNumber(c) });
        const product = (vs: Value[]): Value => vs.reduce((a, b) => ({ op: "*", left: a, right: b }));
        const numerator = top.length > 0 ? product(top) : { op: "num" as const, value: 1 };
        const quotient: Value = bottom.length > 0 ? { op: "/", left: numerator, right: product(bottom) } : numerator;
        return negate ? { op: "neg", arg: quotient } : quotient;
      }
      case "pow": {
        const k = e.exponent.kind === "num" ? e.exponent.value : undefined;
        if (k !== undefined) {
          // √u and 1/√u: Math.sqrt is correctly rounded, u ** 0.5 is not guaranteed to be.
          if (Q.equals(k, Q.rational(1n, 2n))) {
            calls.add("sqrt");
            return { op: "call", fn: "sqrt", args: [sub(e.base)] };
          }
          if (Q.isNegative(k)) return { op: "/", left: { op: "num", value: 1 }, right: positivePower(e.base, Q.neg(k), block) };
          if (Q.isInteger(k) && Number(k.n) <= MAX_CHAIN) return power(e.base, Number(k.n), block);
        }
        return { op: "**", left: sub(e.base), right: sub(e.exponent) };
      }
      case "compare": return { op: COMPARE[e.op], left: sub(e.left), right: sub(e.right) };
      case "logic": return { op: e.op === "and" ? "&&" : "||", args: e.args.map(sub) };
      case "not": return { op: "!", arg: sub(e.arg) };
      case "piecewise": return lowerPiecewise(e, block);
      case "derivative": throw new Error("internal error: derivatives must be evaluated before code generation");
      case "idx": case "elem": case "len": case "reduce": case "vcall":
        throw new Error(`internal error: a ${e.kind} node reached scalar lowering; vector functions are lowered row by row (rows.ts)`);
      default: return assertNever(e);
    }
  };

  const results = roots.map((r) => value(r, root));
  return {
    inputs: signature.inputs.length, params: signature.params.length,
    temps, body: root.stmts, results, calls: [...calls].sort(),
  };
}

/** b * b * … (k factors, left to right). */
function chain(b: Value, k: number): Value {
  let acc = b;
  for (let i = 1; i < k; i++) acc = { op: "*", left: acc, right: b };
  return acc;
}

interface SquarePair {
  readonly over: Expr;
  readonly under: Expr;
  /** The power the quotient over/under is raised to, and what is left of each side's. */
  readonly k: number;
  readonly overLeft: number;
  readonly underLeft: number;
}

/** A factor as base^k with k a small integer (a plain factor has k = 1; k < 0 in a denominator). */
function integerPower(f: Expr): { base: Expr; k: number } | undefined {
  if (f.kind !== "pow") return f.kind === "num" ? undefined : { base: f, k: 1 };
  if (f.exponent.kind !== "num" || !Q.isInteger(f.exponent.value)) return undefined;
  const k = Number(f.exponent.value.n);
  return Math.abs(k) <= MAX_CHAIN ? { base: f.base, k } : undefined;
}

/**
 * Numerator powers u^a with a ≥ 2 matched with denominator powers v^(−b), each pair to be computed
 * as a quotient first; the other factors as they were.
 */
function pairSquares(factors: readonly Expr[]): [SquarePair[], Expr[]] {
  const powers = factors.map(integerPower);
  const used = new Set<number>();
  const pairs: SquarePair[] = [];
  factors.forEach((_, i) => {
    const over = powers[i];
    if (over === undefined || over.k < 2) return;
    const j = powers.findIndex((p, jj) => p !== undefined && p.k < 0 && !used.has(jj));
    if (j < 0) return;
    const under = powers[j]!;
    const k = Math.min(over.k, -under.k);
    used.add(i).add(j);
    pairs.push({ over: over.base, under: under.base, k, overLeft: over.k - k, underLeft: -under.k - k });
  });
  return [pairs, factors.filter((_, i) => !used.has(i))];
}

/**
 * c·a₁·…·aₚ/(b₁·…·b_q) as ((lead·a₁)/b₁·s₂·a₂)/b₂ …: numerator and denominator factors in turn, the
 * coefficient spread over the steps as the powers of two of `scaled` (see long-product.ts).
 */
function runningProduct(scaled: ScaledProduct, top: readonly Value[], bottom: readonly Value[]): Value {
  const steps: { op: "*" | "/"; factor: Value }[] = [];
  for (let i = 0; i < Math.max(top.length, bottom.length); i++) {
    if (i < top.length) steps.push({ op: "*", factor: top[i]! });
    if (i < bottom.length) steps.push({ op: "/", factor: bottom[i]! });
  }
  const times = (left: Value, s: number): Value => (s === 1 ? left : { op: "*", left, right: { op: "num", value: s } });
  // ±1 is a sign: the first factor itself, negated at the end (negation is exact).
  const sign = Math.abs(scaled.lead) === 1 ? scaled.lead : 1;
  const [first, ...others] = steps;
  let acc: Value = first!.op === "*"
    ? (sign === scaled.lead ? first!.factor : { op: "*", left: { op: "num", value: scaled.lead }, right: first!.factor })
    : { op: "/", left: { op: "num", value: sign === scaled.lead ? 1 : scaled.lead }, right: first!.factor };
  others.forEach((step, i) => {
    acc = { op: step.op, left: times(acc, scaled.before[i]!), right: step.factor };
  });
  for (const s of scaled.after) acc = times(acc, s);
  return sign < 0 ? { op: "neg", arg: acc } : acc;
}

type Piecewise = Extract<Expr, { kind: "piecewise" }>;

/**
 * A piecewise value as the if chain that computes it, with `a or b ? t : …` tested as
 * `a ? t : b ? t : …` (the same value: `or` stops at the first true operand too), so that it can
 * share its first test with f's chain (relu6′'s `x <= 0 or x >= 6` and relu6's `x <= 0`, `x >= 6`).
 */
interface Chain {
  readonly branches: readonly Branch[];
  readonly otherwise: Expr;
}

function chainOf(p: Piecewise): Chain {
  const branches = p.branches.flatMap((b) => (b.when.kind === "logic" && b.when.op === "or" ? b.when.args.map((when) => ({ when, then: b.then })) : [b]));
  return { branches, otherwise: p.otherwise };
}

/** The nodes evaluated whenever these expressions are: all but the branches of piecewise values (their first test is). */
function unconditionalOf(exprs: readonly Expr[]): Set<Expr> {
  const seen = new Set<Expr>();
  const mark = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    if (e.kind === "piecewise") mark(chainOf(e).branches[0]!.when);
    else children(e).forEach(mark);
  };
  exprs.forEach(mark);
  return seen;
}

function countUses(roots: readonly Expr[]): Map<number, number> {
  const uses = new Map<number, number>();
  const seen = new Set<number>();
  const visit = (e: Expr): void => {
    uses.set(e.id, (uses.get(e.id) ?? 0) + 1);
    if (seen.has(e.id)) return;
    seen.add(e.id);
    children(e).forEach(visit);
  };
  roots.forEach(visit);
  return uses;
}
