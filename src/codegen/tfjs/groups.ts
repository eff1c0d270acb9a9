import { add, idx, len, mul, sub, div } from "../../ast/build.js";
import { OUTPUT_INDEX } from "../../ast/definition.js";
import type { Expr } from "../../ast/nodes.js";
import { simplify } from "../../simplify/simplify.js";
import type { RowSpec } from "../rows.js";

/**
 * maxout and its kind in TensorFlow.js: a function of one vector whose element i is the max (or
 * min) of the group z_(k·i) … z_(k·i + k − 1), k a parameter or a positive integer. Groups of a
 * row have no form as reductions over the whole last axis (rows.ts declines them), but they are
 * one reshape away from one: z as [..., n / k, k], reduced along the new last axis. The gradient
 * is the VJP actdiff derives for it — dy of each group to the element where its extreme is
 * reached, the first of a tie, the first NaN when there is one (as the JavaScript row kernels,
 * and torch.max(dim)) — as a tf.customGrad op of its own whose gradient is exact too (by dy: ddz
 * at those elements; by z: 0), so that gradients of gradients are actdiff's.
 */
export interface GroupReduction {
  readonly op: "max" | "min";
  /** k: a parameter (its index among the spec's scalars), or a number. */
  readonly size: { readonly param: number } | { readonly value: number };
}

const isZero = (e: Expr): boolean => e.kind === "num" && e.value.n === 0n;

/** The group form of a row spec's forward: its one output is op over t < k of z_(k·i + t), n / k of them. */
export function groupReduction(spec: RowSpec): GroupReduction | undefined {
  const [vector] = spec.vectors;
  const [output] = spec.outputs;
  if (spec.vectors.length !== 1 || spec.outputs.length !== 1 || vector === undefined || output?.length === undefined) return undefined;
  const e = output.expr;
  if (e.kind !== "reduce" || (e.op !== "max" && e.op !== "min") || !isZero(e.from)) return undefined;
  if (e.body.kind !== "elem" || e.body.vector !== vector.name) return undefined;
  const k = e.to;
  const size = k.kind === "sym" && spec.scalars.includes(k.name) ? { param: spec.scalars.indexOf(k.name) }
    : k.kind === "num" && k.value.d === 1n && k.value.n > 0n ? { value: Number(k.value.n) } : undefined;
  if (size === undefined) return undefined;
  const sameIndex = isZero(simplify(sub(e.body.index, add(idx(e.index), mul(k, idx(OUTPUT_INDEX))))));
  const sameLength = isZero(simplify(sub(output.length, div(len(vector.name), k))));
  return sameIndex && sameLength ? { op: e.op, size } : undefined;
}

/**
 * forward(z, params…) and vjp(z, dy, params…) of a group reduction, over the module's runtime
 * (GROUP_RUNTIME): z the vector's variable, dy the incoming gradient's, params the parameters' in order.
 */
export function groupFunctions(group: GroupReduction, z: string, dy: string, params: readonly string[]): { forward: string; vjp: string } {
  const k = "param" in group.size ? params[group.size.param]! : String(group.size.value);
  const args = params.join(", ");
  const tail = args === "" ? "" : `, ${args}`;
  const op = JSON.stringify(group.op);
  return {
    forward: [
      `/** The ${group.op} of each group of ${k} consecutive elements along the last axis. */`,
      `function forward(${z}${tail}) {`,
      `  return tf.${group.op}(groupsOf(${z}, ${k}), -1);`,
      "}",
    ].join("\n"),
    vjp: [
      `/** The gradient of ${z} given ${dy} (one per group): ${dy} to the first element where its group's ${group.op} is reached, 0 elsewhere. */`,
      `function vjp(${z}, ${dy}${tail}) {`,
      `  return routed(${z}, ${dy}, ${k}, ${op});`,
      "}",
    ].join("\n"),
  };
}

/** The layer's computeOutputShape: the last axis n / k (k from the layer's values `this.#values`). */
export function groupOutputShape(group: GroupReduction): string {
  const k = "param" in group.size ? `this.#values[${group.size.param}]` : String(group.size.value);
  return `const n = inputShape[inputShape.length - 1];\n    return [...inputShape.slice(0, -1), n === null ? null : n / ${k}];`;
}

/** The fixed part of a group module (no user text): the reshape, the marks of the extremes, the routed gradient. */
export const GROUP_RUNTIME = `/** z as its groups of k along the last axis, [..., n / k, k]; k must be a positive integer that divides n. */
function groupsOf(z, k) {
  const n = z.shape[z.rank - 1];
  if (!Number.isInteger(k) || k <= 0) throw new TypeError(NAME + ": the group size is a positive integer, not " + k);
  if (n % k !== 0) throw new TypeError(NAME + ": rows of " + n + " elements give " + n / k + " outputs, not a whole number; for groups of " + k + ", the row length must be a multiple of " + k);
  return tf.reshape(z, [...z.shape.slice(0, -1), n / k, k]);
}

/**
 * 1 at the first element of each group (the last axis) where its max (min) is reached, or at its
 * first NaN when it has one (the max is then NaN); 0 elsewhere.
 */
function firstExtremes(groups, op) {
  const k = groups.shape[groups.rank - 1];
  const extreme = op === "max" ? tf.max(groups, -1, true) : tf.min(groups, -1, true);
  const hit = tf.logicalOr(tf.equal(groups, extreme), tf.logicalAnd(tf.isNaN(groups), tf.isNaN(extreme)));
  // k − t at a hit, 0 elsewhere: the largest is at the first hit, and no other is as large (no
  // reliance on how tf.argMax breaks ties or treats NaN on a backend).
  const rank = tf.where(hit, tf.range(k, 0, -1, "float32"), tf.zerosLike(groups));
  return tf.cast(tf.equal(rank, tf.max(rank, -1, true)), "float32");
}

/**
 * dy (one per group) to the first extreme of each group of z, as an op whose own gradient is
 * exact: by dy, the incoming ddz at those elements; by z, 0 (the marks are constant between ties).
 */
function routed(z, dy, k, op) {
  const shape = z.shape;
  const route = tf.customGrad((z, dy, save) => {
    const marks = firstExtremes(groupsOf(z, k), op);
    save([marks]);
    return {
      value: tf.reshape(tf.mul(marks, tf.expandDims(dy, -1)), shape),
      gradFunc: (ddz, [saved]) => [tf.zeros(shape), tf.sum(tf.mul(saved, tf.reshape(ddz, saved.shape)), -1)],
    };
  });
  return route(z, dy);
}`;
