import { children, mapChildren, piecewiseWith, postorder } from "../ast/walk.js";
import { splitCoefficient } from "../ast/build.js";
import type { Branch, CompareOp, Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";

/**
 * What the tests of piecewise values say about the code below them: in the else branch of
 * `x >= 0 ? x : …`, x < 0. Generated code computes only the branch taken, so a rewrite there
 * may rely on it (σ(x) with x < 0 needs no test for the side of 0 it is on).
 *
 * A fact bounds a subject — an expression without its numeric coefficient — from one side.
 * NaN fails every test, so in an else branch x may also be NaN: a rule relying on a fact must
 * give NaN for NaN, as every elementary function does.
 */
interface Bound {
  readonly value: Q.Rational;
  readonly strict: boolean;
}

interface Range {
  readonly below?: Bound;
  readonly above?: Bound;
}

export class PathFacts {
  static readonly NONE = new PathFacts(new Map());

  private constructor(private readonly ranges: ReadonlyMap<Expr, Range>) {}

  /** Whether e ≤ 0 on this path (or e is NaN). */
  nonPositive(e: Expr): boolean {
    return this.compareWithZero(e, "<=") === true;
  }

  /** Whether e ≥ 0 on this path (or e is NaN). */
  nonNegative(e: Expr): boolean {
    return this.compareWithZero(e, ">=") === true;
  }

  /** The facts, with a condition known to have come out `holds`. */
  assume(condition: Expr, holds: boolean): PathFacts {
    switch (condition.kind) {
      case "not":
        return this.assume(condition.arg, !holds);
      case "logic":
        // Only a conjunction that holds, or a disjunction that fails, says something of each part.
        if ((condition.op === "and") !== holds) return this;
        return condition.args.reduce<PathFacts>((facts, a) => facts.assume(a, holds), this);
      case "compare": {
        const fact = boundOf(condition.op, condition.left, condition.right, holds);
        return fact === undefined ? this : this.with(fact.subject, fact.side, fact.bound);
      }
      default:
        return this;
    }
  }

  /**
   * The facts about the given subjects only. A rewrite of a node depends on the facts about what
   * is inside it, so this is the key its memo needs: under the tests of n nested piecewise values
   * a node has 2ⁿ paths, but few sets of facts that concern it.
   */
  restrictedTo(subjects: ReadonlySet<Expr>): PathFacts {
    if (this.ranges.size === 0) return this;
    let all = true;
    for (const s of this.ranges.keys()) if (!subjects.has(s)) { all = false; break; }
    if (all) return this;
    if (subjects.size === 0) return PathFacts.NONE;
    return new PathFacts(new Map([...this.ranges].filter(([s]) => subjects.has(s))));
  }

  private cachedKey: string | undefined;

  /** A key equal for equal facts, for memo tables. */
  get key(): string {
    const part = (b: Bound | undefined): string => (b === undefined ? "" : `${b.strict ? "(" : "["}${Q.toString(b.value)}`);
    return (this.cachedKey ??= [...this.ranges].map(([s, r]) => `${s.id}:${part(r.below)}/${part(r.above)}`).sort().join(";"));
  }

  /** The outcome of `e op 0` where the facts decide it. */
  private compareWithZero(e: Expr, op: "<=" | ">="): boolean | undefined {
    const [c, subject] = splitCoefficient(e);
    if (subject.kind === "num") return undefined;
    const range = this.ranges.get(subject);
    if (range === undefined || Q.isZero(c)) return undefined;
    // c·s ≤ 0 ⇔ s ≤ 0 for c > 0 and s ≥ 0 for c < 0.
    const wantsAbove = (op === "<=") === !Q.isNegative(c);
    const bound = wantsAbove ? range.above : range.below;
    if (bound === undefined) return undefined;
    const sign = Q.compare(bound.value, Q.ZERO);
    return wantsAbove ? sign <= 0 : sign >= 0;
  }

  private with(subject: Expr, side: "below" | "above", bound: Bound): PathFacts {
    const range = this.ranges.get(subject) ?? {};
    const old = range[side];
    const tighter = old === undefined || (side === "above" ? Q.compare(bound.value, old.value) < 0 : Q.compare(bound.value, old.value) > 0) ||
      (Q.equals(bound.value, old.value) && bound.strict && !old.strict);
    if (!tighter) return this;
    const ranges = new Map(this.ranges);
    ranges.set(subject, { ...range, [side]: bound });
    return new PathFacts(ranges);
  }
}

const FLIPPED: Record<CompareOp, CompareOp> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=" };
const NEGATED: Record<CompareOp, CompareOp> = { "<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==" };

/** `left op right`, known to come out `holds`, as a bound on the subject of the side that is not a number. */
function boundOf(op: CompareOp, left: Expr, right: Expr, holds: boolean): { subject: Expr; side: "below" | "above"; bound: Bound } | undefined {
  const numberOnRight = right.kind === "num";
  const limit = numberOnRight ? right : left;
  const expr = numberOnRight ? left : right;
  if (limit.kind !== "num" || expr.kind === "num") return undefined;
  let rel = numberOnRight ? op : FLIPPED[op];
  if (!holds) rel = NEGATED[rel];
  if (rel === "==" || rel === "!=") return undefined;
  const [c, subject] = splitCoefficient(expr);
  if (Q.isZero(c) || subject.kind === "num") return undefined;
  // c·s rel limit ⇔ s rel' limit/c, the relation turned round for c < 0.
  if (Q.isNegative(c)) rel = FLIPPED[rel];
  const strict = rel === "<" || rel === ">";
  return { subject, side: rel === "<" || rel === "<=" ? "above" : "below", bound: { value: Q.div(limit.value, c), strict } };
}

/**
 * The roots with `rule` applied bottom-up to every node, told the facts of the path to it. A node
 * under different facts on different paths is rewritten once per set of facts.
 */
export function rewriteAlongPaths(roots: readonly Expr[], rule: (node: Expr, facts: PathFacts) => Expr): Expr[] {
  const memos = new Map<string, Map<Expr, Expr>>();
  const inside = subjectsInside(roots);
  const visit = (e: Expr, given: PathFacts): Expr => {
    const facts = given.restrictedTo(inside.get(e) ?? NO_SUBJECTS);
    const key = facts.key;
    let memo = memos.get(key);
    if (memo === undefined) memos.set(key, (memo = new Map()));
    const known = memo.get(e);
    if (known !== undefined) return known;
    let out: Expr;
    if (e.kind === "piecewise") {
      let rest = facts;
      const branches: Branch[] = [];
      for (const b of e.branches) {
        branches.push({ when: visit(b.when, rest), then: visit(b.then, rest.assume(b.when, true)) });
        rest = rest.assume(b.when, false);
      }
      out = rule(piecewiseWith(e, branches, visit(e.otherwise, rest)), facts);
    } else {
      out = rule(mapChildren(e, (c) => visit(c, facts)), facts);
    }
    memo.set(e, out);
    return out;
  };
  return roots.map((r) => visit(r, PathFacts.NONE));
}

const NO_SUBJECTS: ReadonlySet<Expr> = new Set();

/**
 * For each node, the subjects of the tests (x in `x < 0`, anywhere in the roots) that occur in
 * it, itself included: the facts a rewrite of the node can use. Sets are shared where a node adds
 * nothing to its one child's.
 */
function subjectsInside(roots: readonly Expr[]): Map<Expr, ReadonlySet<Expr>> {
  const nodes = roots.flatMap((r) => postorder(r));
  const subjects = new Set<Expr>();
  for (const n of nodes) {
    if (n.kind !== "compare") continue;
    for (const side of [n.left, n.right]) {
      const subject = splitCoefficient(side)[1];
      if (subject.kind !== "num") subjects.add(subject);
    }
  }
  const inside = new Map<Expr, ReadonlySet<Expr>>();
  for (const n of nodes) {
    if (inside.has(n)) continue;
    const parts = children(n).map((c) => inside.get(c) ?? NO_SUBJECTS).filter((set) => set.size > 0);
    const own = subjects.has(n);
    if (!own && parts.length === 0) inside.set(n, NO_SUBJECTS);
    else if (!own && parts.length === 1) inside.set(n, parts[0]!);
    else {
      const union = new Set<Expr>(own ? [n] : []);
      for (const set of parts) for (const s of set) union.add(s);
      inside.set(n, union);
    }
  }
  return inside;
}
