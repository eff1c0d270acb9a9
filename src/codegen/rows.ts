import { add, MINUS_ONE, replaceIndex, sym } from "../ast/build.js";
import { OUTPUT_INDEX } from "../ast/definition.js";
import type { Expr, Reduce, VCall } from "../ast/nodes.js";
import { freeIndices, mapChildren, postorder, transform } from "../ast/walk.js";
import { fail } from "../errors.js";
import type { FnName } from "../functions/names.js";
import { stableLogSoftmax, vectorFnSpec } from "../functions/vector-functions.js";
import { helpersOf, printBody, printValue, type Naming } from "./js.js";
import { instantiate } from "./compile.js";
import { lower } from "./program.js";

/**
 * Code for functions of vectors, row by row: softmax, log_softmax, logsumexp and maxout along the
 * last axis of a [rows × N] array, their vector–Jacobian products, and anything users write with
 * reductions. The element expressions (index notation, from src/api/vectors.ts) become loops:
 * each reduction is computed once, at the outermost loop where all its indices are known (Σ_k
 * exp(x_k − m) once per row, the max of a group once per output element), and what is left at
 * each place is scalar code, lowered by the one scalar lowering (program.ts) — so a row function
 * computes its scalar parts exactly as compile() of the same formula would, with the same stable
 * forms. Functions of vectors (softmax, logsumexp) are written out in their max-shifted
 * definition first (src/functions/vector-functions.ts).
 */
export interface RowVector {
  readonly name: string;
  /** Its length in a row, in terms of len(first vector) = n (len(z) / k for maxout's gradient). */
  readonly length: Expr;
}

export interface RowOutput {
  /** The element at OUTPUT_INDEX (or a scalar, without `length`). */
  readonly expr: Expr;
  readonly length?: Expr;
}

export interface RowSpec {
  readonly vectors: readonly RowVector[];
  /** Scalar inputs and parameters, in the order the function takes them after n. */
  readonly scalars: readonly string[];
  readonly outputs: readonly RowOutput[];
}

/** The JavaScript of `function name(vectors…, outputs…, rows, n, scalars…)` and the helpers it calls. */
export interface RowSource {
  readonly source: string;
  readonly helpers: readonly FnName[];
}

interface Level {
  /** The loop around this one's loop (undefined for the row itself). */
  readonly parent?: Level;
  /** Index name → JavaScript variable, for every index bound here or outside. */
  readonly indices: ReadonlyMap<string, string>;
  /** Reductions computed here or outside, by node id → variable. */
  readonly computed: Map<number, string>;
  readonly lines: string[];
  readonly indent: string;
}

export function rowSource(name: string, spec: RowSpec): RowSource {
  const emitter = new RowEmitter(spec);
  return emitter.build(name);
}

/**
 * Functions of vectors written out in reductions, max-shifted; an element minus the logsumexp of
 * its vector (log_softmax) as one stable form, since the difference of the two cancels at the max.
 */
export function expandVectorFunctions(e: Expr): Expr {
  // Top down: the difference must be seen before logsumexp alone is written out.
  const memo = new Map<number, Expr>();
  const visit = (n: Expr): Expr => {
    const done = memo.get(n.id);
    if (done !== undefined) return done;
    let out: Expr | undefined;
    if (n.kind === "add") {
      const lse = n.terms.find((t) => t.kind === "mul" && t.factors.length === 2 && t.factors[0] === MINUS_ONE && t.factors[1]!.kind === "vcall" && t.factors[1].fn === "logsumexp");
      const f = lse?.kind === "mul" ? (lse.factors[1] as VCall) : undefined;
      const element = f && n.terms.find((t) => t !== lse && elementOf(f, t));
      if (f !== undefined && element !== undefined) {
        out = add(...n.terms.filter((t) => t !== lse && t !== element).map(visit), visit(stableLogSoftmax(element, f)));
      }
    }
    out ??= n.kind === "vcall" ? visit(vectorFnSpec(n.fn).stable(n)) : mapChildren(n, visit);
    memo.set(n.id, out);
    return out;
  };
  return visit(e);
}

/** Whether t is the argument of f at some index (x_i for logsumexp(x)). */
function elementOf(f: VCall, t: Expr): boolean {
  return postorder(t).some((n) => n.kind === "idx" && replaceIndex(f.body, f.index, n) === t);
}

class RowEmitter {
  private readonly helpers = new Set<FnName>();
  private counter = 0;
  private readonly vectorNames: ReadonlyMap<string, number>;

  constructor(private readonly spec: RowSpec) {
    this.vectorNames = new Map(spec.vectors.map((v, i) => [v.name, i]));
  }

  build(name: string): RowSource {
    const { vectors, outputs, scalars } = this.spec;
    const arrays = [...vectors.map((_, i) => `v${i}`), ...outputs.map((_, i) => `out${i}`)];
    const root: Level = { indices: new Map(), computed: new Map(), lines: [], indent: "    " };
    // Row lengths and offsets: the first vector's length is n.
    const lengthLines = vectors.map((v, i) => `  const L${i} = ${i === 0 ? "n" : this.index(v.length, root)};`);
    const outLengths = outputs.map((o, i) => `  const M${i} = ${o.length === undefined ? "1" : this.index(o.length, root)};`);
    const offsets = [...vectors.map((_, i) => `o${i} = r * L${i}`), ...outputs.map((_, i) => `q${i} = r * M${i}`)];
    // What the outputs have in common (the max, the sum of exponentials) is computed once per row.
    outputs.map((o) => expandVectorFunctions(o.expr)).forEach((e, i) => {
      const out = outputs[i]!;
      if (out.length === undefined) {
        root.lines.push(`${root.indent}out${i}[q${i}] = ${this.emit(e, root)};`);
        return;
      }
      // Reductions that do not depend on the output index are hoisted out of its loop.
      this.hoist(e, root);
      const v = this.fresh("i");
      const level: Level = { parent: root, indices: new Map([...root.indices, [OUTPUT_INDEX, v]]), computed: new Map(root.computed), lines: [], indent: `${root.indent}  ` };
      const value = this.emit(e, level);
      root.lines.push(`${root.indent}for (let ${v} = 0; ${v} < M${i}; ${v}++) {`, ...level.lines, `${level.indent}out${i}[q${i} + ${v}] = ${value};`, `${root.indent}}`);
    });
    const source = [
      `function ${name}(${[...arrays, "rows", "n", ...scalars.map((_, i) => `p${i}`)].join(", ")}) {`,
      ...lengthLines, ...outLengths,
      "  for (let r = 0; r < rows; r++) {",
      `    const ${offsets.join(", ")};`,
      ...root.lines,
      "  }",
      "}",
    ].join("\n");
    return { source, helpers: [...this.helpers].sort() };
  }

  private fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  /** Computes, at this level, every reduction in e whose indices are all known here (inner ones first). */
  private hoist(e: Expr, level: Level): void {
    for (const n of postorder(e)) {
      if (n.kind !== "reduce" || level.computed.has(n.id)) continue;
      if ([...freeIndices(n)].every((i) => level.indices.has(i))) this.reduction(n, level);
    }
  }

  /** One reduction as a loop at this level; its value is then a variable there. */
  private reduction(r: Reduce, level: Level): string {
    const acc = this.fresh("a");
    const k = this.fresh("k");
    const from = this.index(r.from, level);
    const to = this.index(r.to, level);
    const start = this.fresh("s");
    const inner: Level = { parent: level, indices: new Map([...level.indices, [r.index, k]]), computed: new Map(level.computed), lines: [], indent: `${level.indent}  ` };
    const value = this.emit(r.body, inner);
    const v = this.fresh("y");
    const better = r.op === "max" || r.op === "argmax" ? ">" : "<";
    const init = { sum: "0", max: "-Infinity", min: "Infinity", argmax: "-1", argmin: "-1" }[r.op];
    const best = r.op === "argmax" || r.op === "argmin" ? this.fresh("b") : acc;
    const lines = [`${level.indent}const ${start} = ${from};`, `${level.indent}let ${acc} = ${init};`];
    if (best !== acc) lines.push(`${level.indent}let ${best} = NaN;`);
    lines.push(`${level.indent}for (let ${k} = ${start}; ${k} < ${to}; ${k}++) {`, ...inner.lines, `${inner.indent}const ${v} = ${value};`);
    // The first element starts it; the first strictly better one wins after (torch.max(dim) gives
    // the gradient to the first maximal element); a NaN wins and stays, as torch.max propagates it.
    const wins = `${k} === ${start} || ${v} ${better} ${best} || (${v} !== ${v} && ${best} === ${best})`;
    switch (r.op) {
      case "sum": lines.push(`${inner.indent}${acc} += ${v};`); break;
      case "max": case "min": lines.push(`${inner.indent}if (${wins}) ${acc} = ${v};`); break;
      case "argmax": case "argmin": lines.push(`${inner.indent}if (${wins}) { ${best} = ${v}; ${acc} = ${k}; }`); break;
    }
    lines.push(`${level.indent}}`);
    level.lines.push(...lines);
    level.computed.set(r.id, acc);
    return acc;
  }

  /**
   * The value of e at this level, as a JavaScript expression: reductions become their variables,
   * elements reads of the row, indices their loop variables; the scalar rest is lowered as
   * compile() lowers it, its statements appended to the level.
   */
  private emit(e: Expr, level: Level): string {
    this.hoist(e, level);
    const names: string[] = [];
    const leaf = (jsName: string): Expr => {
      if (!names.includes(jsName)) names.push(jsName);
      return sym(`§${jsName}`);
    };
    // Top down, and never into a reduction: its body is its own loop's business.
    const memo = new Map<number, Expr>();
    const visit = (n: Expr): Expr => {
      const done = memo.get(n.id);
      if (done !== undefined) return done;
      let out: Expr;
      switch (n.kind) {
        case "reduce": out = leaf(level.computed.get(n.id) ?? this.reduction(n, level)); break;
        case "elem": {
          const slot = this.vectorNames.get(n.vector);
          if (slot === undefined) fail("E_USAGE", `'${n.vector}' is not a vector input here`);
          const read = this.fresh("e");
          level.lines.push(`${level.indent}const ${read} = v${slot}[o${slot} + ${this.index(n.index, level)}];`);
          out = leaf(read);
          break;
        }
        case "idx": {
          const v = level.indices.get(n.name);
          if (v === undefined) throw new Error(`internal error: the index ${n.name} is not bound here`);
          out = leaf(v);
          break;
        }
        case "len": out = leaf(`L${this.vectorNames.get(n.vector) ?? 0}`); break;
        case "sym": {
          const k = this.spec.scalars.indexOf(n.name);
          out = k < 0 ? n : leaf(`p${k}`);
          break;
        }
        case "num": case "const": out = n; break;
        default: {
          // Loop-invariant: computed once, in the outermost loop that knows all its indices (the
          // clamp of softmax's shift once per row, not once per element).
          // A reciprocal stays where it is divided by: x / S rounds once, x * (1 / S) twice.
          const reciprocal = n.kind === "pow" && n.exponent.kind === "num" && n.exponent.value.n < 0n;
          const home = reciprocal ? level : outermost(level, n);
          if (home !== level) {
            out = leaf(home.computed.get(n.id) ?? this.hoisted(n, home));
            break;
          }
          out = mapChildren(n, visit);
        }
      }
      memo.set(n.id, out);
      return out;
    };
    const scalar = visit(e);
    const inputs = names.map((n) => `§${n}`);
    const program = lower([scalar], { inputs, params: [] });
    helpersOf(program).forEach((h) => this.helpers.add(h));
    const block = this.fresh("t");
    const naming: Naming = { input: (i) => names[i]!, param: (i) => `p${i}`, temp: (i) => `${block}_${i}` };
    level.lines.push(...printBody(program, { naming, indent: level.indent }));
    return printValue(program.results[0]!, naming);
  }

  /** e computed at this level into a constant, remembered there. */
  private hoisted(e: Expr, level: Level): string {
    const value = this.emit(e, level);
    const name = this.fresh("h");
    level.lines.push(`${level.indent}const ${name} = ${value};`);
    level.computed.set(e.id, name);
    return name;
  }

  /** An index expression (integer arithmetic of indices, lengths and parameters) in JavaScript. */
  private index(e: Expr, level: Level): string {
    return this.emit(e, level);
  }
}

/** A row function over typed arrays: (vectors…, outputs…, rows, n, scalars…). */
export type RowLoop = (...args: unknown[]) => void;

/** The row function for each element type, compiled on first use (as the elementwise kernels are). */
export function rowLoops(spec: RowSpec): Record<"float64" | "float32", () => RowLoop> {
  const cache: Partial<Record<"float64" | "float32", RowLoop>> = {};
  const get = (dtype: "float64" | "float32") => (): RowLoop => {
    if (cache[dtype] === undefined) {
      const { source, helpers } = rowSource(`actdiff_rows_${dtype}`, spec);
      cache[dtype] = instantiate<RowLoop>(helpers, source);
    }
    return cache[dtype]!;
  };
  return { float64: get("float64"), float32: get("float32") };
}

/** The outermost level, from this one out, whose indices include every free index of e. */
function outermost(level: Level, e: Expr): Level {
  const needs = [...freeIndices(e)];
  let home = level;
  while (home.parent !== undefined && needs.every((i) => home.parent!.indices.has(i))) home = home.parent;
  return home;
}
