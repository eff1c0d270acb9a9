import { add, call, compare, idx, replaceIndex, sym, ZERO } from "../ast/build.js";
import type { Expr } from "../ast/nodes.js";
import * as Q from "../ast/rational.js";
import { freeIndices, postorder, transform } from "../ast/walk.js";
import { vectorFnSpec } from "../functions/vector-functions.js";
import { reliableValue, type ReliableValue } from "../numeric/evaluate.js";
import { simplify } from "../simplify/simplify.js";

/**
 * Claims in index notation (∂softmax_i/∂x_j = softmax(x)_i (δ_ij − softmax(x)_j)), decided for
 * every length N at once. The free indices are split into the cases they can be in (i = j,
 * i ≠ j); in each case a sum over a whole vector is its terms at those indices plus the rest,
 *   Σ_k b(x_k) = b(x_i) + b(x_j) + R_b,
 * R_b a new unknown standing for the other elements (any value, so N does not matter), and a
 * max likewise. What is left is a claim about numbers — x_i, x_j, R — for the scalar verifier,
 * whose proof (the exp-rational decision procedure) then holds for every N and every vector.
 * A claim the cases cannot prove is compared numerically on concrete vectors of several lengths:
 * a difference there is a genuine counterexample; agreement is reported as the observation it is.
 */
export interface IndexCase {
  /** `i = j`, `i ≠ j`. */
  readonly label: string;
  /** Each free index → the representative of its class. */
  readonly classes: ReadonlyMap<string, string>;
}

/** Every way the free indices can coincide: the set partitions of them (i = j, i ≠ j; five for three). */
export function indexCases(indices: readonly string[]): IndexCase[] {
  const partitions: string[][][] = [[]];
  for (const index of indices) {
    const next: string[][][] = [];
    for (const p of partitions) {
      p.forEach((_, b) => next.push(p.map((block, c) => (c === b ? [...block, index] : block))));
      next.push([...p, [index]]);
    }
    partitions.splice(0, partitions.length, ...next);
  }
  return partitions.map((blocks) => {
    const classes = new Map(blocks.flatMap((block) => block.map((i) => [i, block[0]!] as const)));
    const equal = blocks.filter((b) => b.length > 1).map((b) => b.join(" = "));
    const pairs: string[] = [];
    for (let a = 0; a < blocks.length; a++) for (let b = a + 1; b < blocks.length; b++) pairs.push(`${blocks[a]![0]} ≠ ${blocks[b]![0]}`);
    return { label: [...equal, ...pairs].join(", ") || "one index", classes };
  });
}

/**
 * The claim's sides as expressions of numbers in one case: indices merged by class, deltas
 * decided, vector functions written out, whole sums and maxima split into the representatives'
 * terms and an unknown rest, elements x_c named as numbers. Undefined when something cannot be
 * split this way (a reduction over part of a vector, an argmax).
 */
export function splitCase(sides: readonly Expr[], vectorCase: IndexCase): Expr[] | undefined {
  const reps = [...new Set(vectorCase.classes.values())].sort();
  const rests = new Map<number, Expr>();
  let failed = false;
  const merged = sides.map((side) => {
    let e = side;
    for (const [index, rep] of vectorCase.classes) if (index !== rep) e = replaceIndex(e, index, idx(rep));
    return e;
  });
  const split = merged.map((side) => transform(expandVectorFunctions(side), (n) => {
    if (n.kind === "call" && n.fn === "delta" && n.args[0]!.kind === "idx" && n.args[1]!.kind === "idx") return n.args[0] === n.args[1] ? call("delta", n.args) : ZERO;
    // i == j and i != j between indices of different classes (equal ones fold when built).
    if (isIndexComparison(n) && n.left !== n.right) return n.op === "==" ? FALSE : TRUE;
    if (n.kind === "reduce") {
      const whole = n.from === ZERO && n.to.kind === "len";
      if (!whole || (n.op !== "sum" && n.op !== "max" && n.op !== "min")) {
        failed = true;
        return n;
      }
      let rest = rests.get(n.id);
      if (rest === undefined) rests.set(n.id, (rest = sym(`R${rests.size + 1}`)));
      const terms = reps.map((c) => replaceIndex(n.body, n.index, idx(c)));
      if (n.op === "sum") return add(...terms, rest);
      return [...terms, rest].reduce((a, b) => call(n.op as "max" | "min", [a, b]));
    }
    return n;
  }));
  if (failed) return undefined;
  // x_c as a number named x_c; anything still indexed cannot be split.
  const named = split.map((side) => transform(side, (n) =>
    n.kind === "elem" && n.index.kind === "idx" ? sym(`${n.vector}_${n.index.name}`) : n.kind === "len" ? sym("N") : n));
  if (named.some((e) => postorder(e).some((n) => n.kind === "elem" || n.kind === "reduce" || n.kind === "vcall"))) return undefined;
  return named.map((e) => simplify(e));
}

const TRUE = compare("==", ZERO, ZERO);
const FALSE = compare("!=", ZERO, ZERO);

const isIndexComparison = (n: Expr): n is Expr & { kind: "compare"; op: "==" | "!=" } =>
  n.kind === "compare" && (n.op === "==" || n.op === "!=") && n.left.kind === "idx" && n.right.kind === "idx";

/**
 * Whether a condition on the indices (`i == j`, `i != j`, and, or, not of them) holds in a case
 * of them; undefined when it says something the case does not settle (i < j).
 */
export function holdsInCase(condition: Expr, vectorCase: IndexCase): boolean | undefined {
  const classOf = (e: Expr): string | undefined => (e.kind === "idx" ? vectorCase.classes.get(e.name) ?? e.name : undefined);
  switch (condition.kind) {
    case "compare": {
      const [a, b] = [classOf(condition.left), classOf(condition.right)];
      if (a === undefined || b === undefined || (condition.op !== "==" && condition.op !== "!=")) return undefined;
      return (a === b) === (condition.op === "==");
    }
    case "not": {
      const v = holdsInCase(condition.arg, vectorCase);
      return v === undefined ? undefined : !v;
    }
    case "logic": {
      const vs = condition.args.map((a) => holdsInCase(a, vectorCase));
      if (vs.includes(undefined)) return undefined;
      return condition.op === "and" ? vs.every((v) => v === true) : vs.some((v) => v === true);
    }
    default: return undefined;
  }
}

/** Whether a condition on the indices holds at concrete index values. */
export function holdsAt(condition: Expr, indices: ReadonlyMap<string, number>): boolean {
  const value = (e: Expr): number => {
    if (e.kind === "idx" && indices.has(e.name)) return indices.get(e.name)!;
    if (e.kind === "num") return Q.toNumber(e.value);
    throw new Error(`internal error: ${e.kind} in a condition on indices`);
  };
  switch (condition.kind) {
    case "compare": {
      const [a, b] = [value(condition.left), value(condition.right)];
      return { "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a === b, "!=": a !== b }[condition.op];
    }
    case "not": return !holdsAt(condition.arg, indices);
    case "logic": return condition.op === "and" ? condition.args.every((a) => holdsAt(a, indices)) : condition.args.some((a) => holdsAt(a, indices));
    default: throw new Error(`internal error: ${condition.kind} as a condition on indices`);
  }
}

const expandVectorFunctions = (e: Expr): Expr =>
  transform(e, (n) => (n.kind === "vcall" ? expandVectorFunctions(vectorFnSpec(n.fn).definition(n)) : n));

export interface VectorPoint {
  readonly vectors: ReadonlyMap<string, readonly Q.Rational[]>;
  readonly indices: ReadonlyMap<string, number>;
}

/** Concrete vectors to compare on: lengths 1 to 5, values from −3 to 3, every assignment of the indices up to the length. */
export function samplePoints(vectorNames: readonly string[], indices: readonly string[]): VectorPoint[] {
  const points: VectorPoint[] = [];
  let seed = 12345;
  const next = (): Q.Rational => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Q.rational(BigInt(Math.round((seed / 2147483648) * 600 - 300)), 100n);
  };
  for (const n of [1, 2, 3, 5]) {
    for (let trial = 0; trial < 3; trial++) {
      const vectors = new Map(vectorNames.map((v) => [v, Array.from({ length: n }, next)] as const));
      const assignments = indices.reduce<number[][]>((acc) => acc.flatMap((a) => Array.from({ length: n }, (_, k) => [...a, k])), [[]]);
      for (const a of assignments.slice(0, 12)) points.push({ vectors, indices: new Map(indices.map((i, k) => [i, a[k]!])) });
    }
  }
  return points;
}

/** Both sides at a concrete point, to 40 digits; undefined where a side is undefined. */
export function valuesAt(sides: readonly Expr[], point: VectorPoint, params: ReadonlyMap<string, Q.Rational>): (ReliableValue | undefined)[] {
  return sides.map((e) => {
    try {
      return reliableValue(e, params, 40, { vectors: point.vectors, indices: point.indices });
    } catch {
      return undefined;
    }
  });
}

export const describePoint = (point: VectorPoint): Record<string, number> => Object.fromEntries([
  ...[...point.indices].map(([i, k]) => [i, k] as const),
  ...[...point.vectors].flatMap(([v, xs]) => xs.map((x, k) => [`${v}_${k}`, Q.toNumber(x)] as const)),
]);

export const vectorNamesOf = (sides: readonly Expr[]): string[] =>
  [...new Set(sides.flatMap((e) => postorder(e).flatMap((n) => (n.kind === "elem" || n.kind === "len" ? [n.vector] : []))))].sort();

export const freeIndicesOf = (sides: readonly Expr[]): string[] => [...new Set(sides.flatMap((e) => [...freeIndices(e)]))].sort();
