import { sym } from "../../ast/build.js";
import { OUTPUT_INDEX } from "../../ast/definition.js";
import type { Expr, Reduce } from "../../ast/nodes.js";
import { freeIndices, mapChildren, postorder } from "../../ast/walk.js";
import type { FnName } from "../../functions/names.js";
import type { Naming } from "../js.js";
import { lower } from "../program.js";
import { expandVectorFunctions, type RowSpec } from "../rows.js";
import { TENSOR_LOWERING, tensorCode } from "./print.js";

/**
 * A function of vectors (softmax, its VJP …) as tfjs ops along the last axis: the row is the
 * whole tensor. In the element expressions (index notation, src/api/vectors.ts) an element x_i or
 * x_k is the tensor x itself, a reduction over the whole row is tf.sum / tf.max / tf.min along the
 * last axis with the axis kept (a row constant, which broadcasts), the row length is n; what is
 * left is scalar code, lowered by the one lowering and printed as the scalar functions are
 * (print.ts), with the stable forms of rows.ts (max-shifted exponentials). So softmax's VJP is
 * s ⊙ (g − Σ g ⊙ s): O(N) per row, as actdiff derives it.
 *
 * An index is the float32 tensor 0 … n − 1 along the axis (so k = argmax masks the max out of
 * logsumexp's rest). What has no such form is declined with the reason: an element at a computed
 * index or a reduction over part of a row (maxout's groups are a reshape instead: groups.ts), a
 * reduction that depends on the outer index.
 */
export interface TensorRowCode {
  readonly lines: readonly string[];
  /** One tfjs expression per output: [..., N] for an output element in i, [..., 1] for a row constant. */
  readonly results: readonly string[];
  /** Whether each output depends on the element index (else it is one value per row). */
  readonly elementwise: readonly boolean[];
  readonly helpers: readonly FnName[];
}

export class Untranslatable extends Error {}

/** Each reduction over the last axis, the axis kept: argmax and argmin as float32 indices (the first of a tie, as the row code). */
const REDUCE_OPS: Record<Reduce["op"], (body: string) => string> = {
  sum: (b) => `tf.sum(${b}, -1, true)`,
  max: (b) => `tf.max(${b}, -1, true)`,
  min: (b) => `tf.min(${b}, -1, true)`,
  argmax: (b) => `tf.expandDims(tf.cast(tf.argMax(${b}, -1), "float32"), -1)`,
  argmin: (b) => `tf.expandDims(tf.cast(tf.argMin(${b}, -1), "float32"), -1)`,
};

/**
 * @param vectors each vector of the spec by name: its tfjs variable ([..., N], or [..., 1] for a
 *   vector of length 1 such as the incoming gradient of a scalar-valued f)
 * @param scalars each scalar (parameter) by name: its variable
 */
export function tensorRows(spec: RowSpec, vectors: ReadonlyMap<string, string>, scalars: ReadonlyMap<string, string>, indent = "  "): TensorRowCode {
  const lines: string[] = [];
  const helpers = new Set<FnName>();
  const reductions = new Map<number, string>();
  const constants = new Map<number, string>();
  // One numbering of temps (t0, t1 …) across the Programs and the reductions: names no input or parameter can take.
  let temps = 0;
  let usesLength = false;

  /** e with its vector parts replaced by tensor variables (§name), whose statements go first. */
  const translate = (e: Expr, bound: ReadonlySet<string>): { scalar: Expr; names: string[] } => {
    const names: string[] = [];
    // The scalar code orders the terms of a sum by their names: elements first, then the row
    // constants in the order they were computed, so that log_softmax is (x_i − m) − log1p(R) as
    // its stable form has it (at the max, −log1p(R) survives: −1.9e−22, not 0).
    const leaf = (js: string): Expr => {
      if (!names.includes(js)) names.push(js);
      return sym(leafName(js));
    };
    const memo = new Map<number, Expr>();
    const visit = (n: Expr): Expr => {
      const done = memo.get(n.id);
      if (done !== undefined) return done;
      let out: Expr;
      switch (n.kind) {
        case "elem": {
          const js = vectors.get(n.vector);
          if (js === undefined) throw new Untranslatable(`'${n.vector}' is not a vector input`);
          const whole = n.index.kind === "idx" && bound.has(n.index.name);
          const single = n.index.kind === "num" && n.index.value.n === 0n && spec.vectors.find((v) => v.name === n.vector)?.length.kind === "num";
          if (!whole && !single) throw new Untranslatable("an element at a computed index (groups of elements)");
          out = leaf(js);
          break;
        }
        case "reduce": out = leaf(reductions.get(n.id) ?? reduction(n)); break;
        case "len": usesLength = true; out = leaf("n"); break;
        case "idx": {
          if (!bound.has(n.name)) throw new Untranslatable(`the index ${n.name} outside its reduction`);
          out = leaf(positions());
          break;
        }
        case "sym": {
          const js = scalars.get(n.name);
          if (js === undefined) throw new Untranslatable(`'${n.name}' is neither a vector nor a parameter`);
          out = leaf(js);
          break;
        }
        default: {
          // A row constant (the clamped max of softmax's shift) is computed once, as the row code
          // computes it once per row; a reciprocal stays where it divides (x / S rounds once).
          const reciprocal = n.kind === "pow" && n.exponent.kind === "num" && n.exponent.value.n < 0n;
          if (n !== e && !reciprocal && freeIndices(n).size === 0 && postorder(n).some((c) => c.kind === "reduce")) {
            out = leaf(constants.get(n.id) ?? constant(n));
            break;
          }
          out = mapChildren(n, visit);
        }
      }
      memo.set(n.id, out);
      return out;
    };
    return { scalar: visit(e), names };
  };

  /** The scalar code of e at tensors: its statements appended, its value returned. */
  const emit = (e: Expr, bound: ReadonlySet<string>): string => {
    const { scalar, names } = translate(e, bound);
    const program = lower([scalar], { inputs: names.map(leafName), params: [] }, TENSOR_LOWERING);
    const base = temps;
    const naming: Naming = { input: (i) => names[i]!, param: () => { throw new Error("internal error: no parameters here"); }, temp: (i) => `t${base + i}` };
    const code = tensorCode(program, naming, indent);
    temps += code.temps;
    code.helpers.forEach((h) => helpers.add(h));
    lines.push(...code.lines);
    return code.results[0]!;
  };

  /** A row constant, computed into a const of its own and remembered. */
  const constant = (e: Expr): string => {
    const value = emit(e, new Set());
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
      constants.set(e.id, value);
      return value;
    }
    const name = `t${temps++}`;
    lines.push(`${indent}const ${name} = ${value};`);
    constants.set(e.id, name);
    return name;
  };

  /** The element indices 0 … n − 1 along the last axis, as float32 (exact up to 2²⁴). */
  let positionsName: string | undefined;
  const positions = (): string => {
    if (positionsName !== undefined) return positionsName;
    usesLength = true;
    positionsName = `t${temps++}`;
    lines.push(`${indent}const ${positionsName} = tf.range(0, n, 1, "float32");`);
    return positionsName;
  };

  const reduction = (r: Reduce): string => {
    const whole = r.from.kind === "num" && r.from.value.n === 0n && r.to.kind === "len";
    if (!whole) throw new Untranslatable("a reduction over part of a row");
    if ([...freeIndices(r.body)].some((i) => i !== r.index)) throw new Untranslatable("a reduction that depends on the element index");
    const body = emit(r.body, new Set([r.index]));
    const name = `t${temps++}`;
    lines.push(`${indent}const ${name} = ${REDUCE_OPS[r.op](body)};`);
    reductions.set(r.id, name);
    return name;
  };

  /** The sort key of a tensor variable: vectors, then positions and n, then computed values by when they were computed. */
  const vectorNames = new Set(vectors.values());
  const leafName = (js: string): string => {
    if (vectorNames.has(js)) return `§0${js}`;
    const computed = /^t(\d+)$/.exec(js);
    return computed === null ? `§1${js}` : `§2${computed[1]!.padStart(8, "0")}`;
  };

  const exprs = spec.outputs.map((o) => expandVectorFunctions(o.expr));
  const elementwise = exprs.map((e) => freeIndices(e).has(OUTPUT_INDEX));
  const results = exprs.map((e) => emit(e, new Set([OUTPUT_INDEX])));
  const first = vectors.get(spec.vectors[0]!.name)!;
  const header = usesLength ? [`${indent}const n = ${first}.shape[${first}.rank - 1];`] : [];
  return { lines: [...header, ...lines], results, elementwise, helpers: [...helpers].sort() };
}
