import { define } from "../src/index.js";
import { dagSize, treeSize } from "../src/ast/walk.js";
import { availableActivations } from "../src/catalog/catalog.js";
import { median, type Budget } from "./measure.js";

/**
 * The symbolic side. actdiff memoises derivatives and simplifications per node, and nodes are
 * hash-consed, so repeating `define("swish").derivative()` is a cache hit. To time the real
 * work, every iteration renames the input (x → x_17): a new variable gives new nodes, so parse,
 * simplify, diff, simplify and code generation all run from scratch — with a warm JIT.
 */
let fresh = 0;

/** The catalog definition under a new name and a new input name. */
function renamed(source: string): { source: string; input: string } {
  const k = fresh++;
  const input = `x_${k}`;
  const body = source.slice(source.indexOf("("));
  return { source: `bench_${k}${body.replace(/\bx\b/g, input)}`, input };
}

export interface PipelineRow {
  readonly name: string;
  /** parse + simplify + diff + simplify + compile (f and f′ fused), from scratch: median µs. */
  readonly freshUs: number;
  /** The same through the caches (the catalog activation by name): median µs. */
  readonly cachedUs: number;
}

/** Rounds of the whole catalog's pipeline before any is timed: see `pipeline`. */
const WARM_ROUNDS = 30;

/**
 * The target is a median with a warm JIT. The pipeline's code is shared by every activation, so
 * it is warmed on all of them first: otherwise the first activation timed pays for compiling
 * the parser, simplifier and code generator (sigmoid measured 1.2 ms first, 0.5 ms after).
 */
export async function pipeline(budget: Budget, names?: readonly string[]): Promise<PipelineRow[]> {
  const entries = availableActivations().filter((e) => names === undefined || names.includes(e.name));
  for (let round = 0; round < WARM_ROUNDS; round++) {
    for (const entry of entries) define(renamed(entry.source).source).compileValueAndGrad();
  }
  // Rounds over the whole catalog, each activation keeping its best round: a major collection
  // (marking and sweeping on the other core, counted in this process's CPU time) lands in
  // whichever case is sampling when the heap fills, and once in a round of all of them.
  const options = { collectFirst: false };
  const best = entries.map(() => ({ freshUs: Infinity, cachedUs: Infinity }));
  for (let round = 0; round < budget.rounds; round++) {
    for (const [i, entry] of entries.entries()) {
      const freshUs = (await median(() => define(renamed(entry.source).source).compileValueAndGrad(), budget, options)) / 1e3;
      const cachedUs = (await median(() => define(entry.name).compileValueAndGrad(), budget, options)) / 1e3;
      best[i] = { freshUs: Math.min(best[i]!.freshUs, freshUs), cachedUs: Math.min(best[i]!.cachedUs, cachedUs) };
    }
  }
  return entries.map((entry, i) => ({ name: entry.name, ...best[i]! }));
}

export interface OrderRow {
  readonly order: number;
  readonly dag: number;
  readonly tree: number;
  /** Time to the n-th derivative from the definition, simplified after each order: median ms. */
  readonly ms: number;
  readonly mathjs?: { readonly tree: number; readonly distinct: number; readonly ms: number } | undefined;
}

type MathNode = import("mathjs").MathNode;

/** Nodes of a mathjs tree, and how many are structurally distinct (its size if shared as a DAG). */
function mathjsSizes(root: MathNode): { tree: number; distinct: number } {
  const ids = new Map<string, number>();
  let tree = 0;
  const visit = (n: MathNode): number => {
    tree++;
    const kids: number[] = [];
    n.forEach((child: MathNode) => kids.push(visit(child)));
    const any = n as unknown as { op?: string; fn?: unknown; name?: string; value?: unknown };
    const label = `${n.type}:${any.op ?? ""}:${typeof any.fn === "string" ? any.fn : ""}:${any.name ?? ""}:${any.value ?? ""}`;
    const key = `${label}(${kids.join(",")})`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  };
  visit(root);
  return { tree, distinct: ids.size };
}

/**
 * d^n/dx^n for n = 1 … maxOrder: actdiff (median of `repeats` fresh runs) and mathjs's
 * `derivative` applied n times (it simplifies after each step, as by default). mathjs's time
 * grows so fast that it stops after the first order that takes longer than `mathjsLimitMs`.
 */
export async function orders(
  actdiffSource: string, mathjsSource: string, maxOrder: number, repeats: number, mathjsLimitMs: number,
): Promise<OrderRow[]> {
  const math = await import("mathjs");
  const rows: OrderRow[] = [];
  let mathjsNode: MathNode | undefined = math.parse(mathjsSource);
  let mathjsTotal = 0;
  for (let n = 1; n <= maxOrder; n++) {
    const times: number[] = [];
    let sizes = { dag: 0, tree: 0 };
    for (let r = 0; r < repeats; r++) {
      const { source, input } = renamed(actdiffSource);
      const t0 = performance.now();
      const d = define(source).derivative(input, n);
      times.push(performance.now() - t0);
      sizes = { dag: dagSize(d.expr), tree: treeSize(d.expr) };
    }
    times.sort((a, b) => a - b);
    let mathjs: OrderRow["mathjs"];
    if (mathjsNode !== undefined) {
      const t0 = performance.now();
      mathjsNode = math.derivative(mathjsNode, "x");
      const step = performance.now() - t0;
      mathjsTotal += step;
      mathjs = { ...mathjsSizes(mathjsNode), ms: mathjsTotal };
      if (step > mathjsLimitMs) mathjsNode = undefined;
    }
    rows.push({ order: n, ...sizes, ms: times[Math.floor(times.length / 2)]!, mathjs });
  }
  return rows;
}
