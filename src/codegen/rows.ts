import { add, div, idx, MINUS_ONE, mul, ONE, replaceIndex, sym } from "../ast/build.js";
import { groupSizeOf, OUTPUT_INDEX } from "../ast/definition.js";
import type { Expr, Reduce, VCall } from "../ast/nodes.js";
import { freeIndices, mapChildren, postorder, transform } from "../ast/walk.js";
import { fail } from "../errors.js";
import type { FnName } from "../functions/names.js";
import { stableLogSoftmax, vectorFnSpec } from "../functions/vector-functions.js";
import { helpersOf } from "./js.js";
import { instantiate } from "./compile.js";
import { lower } from "./program.js";
import { interpretRowPlan, printRowPlan, type Operand, type RowPlan, type Step } from "./row-plan.js";
import { simdRowLoops } from "./wasm/row-kernels.js";
import { elementTerm, groupKey, positionsOfExtremes, sharedElementTerms, type ElementTerm } from "./row-sharing.js";

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
  readonly steps: Step[];
  /** Set on the body of a row-level loop over every element of a vector: it may fill scratch rows. */
  readonly visitsAll?: { readonly index: string; readonly vector: string };
  /** Keys of the element terms this loop's body may store or read (none outside loops). */
  readonly sharing: ReadonlySet<number>;
}

export interface RowOptions {
  /**
   * Whether work shared between loops is done once (row-sharing.ts); on by default. Off, the
   * source is the plain translation the shared one must equal bit for bit (a test compares them).
   */
  readonly share?: boolean;
  /** TypeScript: typed parameters (`v0: FloatArray`, a type the module declares), `!` on reads. */
  readonly types?: boolean;
}

export function rowSource(name: string, spec: RowSpec, options: RowOptions = {}): RowSource {
  const plan = rowPlan(spec, options);
  return { source: printRowPlan(name, plan, { types: options.types ?? false }), helpers: plan.helpers };
}

/** The loops of the row function as data (row-plan.ts), for printing or for running without code. */
export function rowPlan(spec: RowSpec, options: Pick<RowOptions, "share"> = {}): RowPlan {
  return new RowEmitter(spec, options.share ?? true).build();
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
      const element = f && n.terms.map((t) => ({ t, at: t === lse ? undefined : indexOfElement(f, t) })).find((e) => e.at !== undefined);
      if (f !== undefined && element !== undefined) {
        out = add(...n.terms.filter((t) => t !== lse && t !== element.t).map(visit), visit(stableLogSoftmax(element.at!, f)));
      }
    }
    out ??= n.kind === "vcall" ? visit(vectorFnSpec(n.fn).stable(n)) : mapChildren(n, visit);
    memo.set(n.id, out);
    return out;
  };
  return visit(e);
}

/** The index at which t is the argument of f (i for x_i and logsumexp(x)), if it is one. */
function indexOfElement(f: VCall, t: Expr): Expr | undefined {
  return postorder(t).find((n) => n.kind === "idx" && replaceIndex(f.body, f.index, n) === t);
}

const NONE: ReadonlySet<number> = new Set();

/** `§00000026e26` for e26: the creation number first (see emit), the name after. */
const leafSymbol = (jsName: string): string => `§${(/\d+$/.exec(jsName)?.[0] ?? "0").padStart(8, "0")}${jsName}`;

class RowEmitter {
  private readonly helpers = new Set<FnName>();
  private counter = 0;
  private readonly vectorNames: ReadonlyMap<string, number>;
  /** For each loop body (by id), the element terms it may take from a scratch row (row-sharing.ts). */
  private sharing: ReadonlyMap<number, ReadonlySet<number>> = new Map();
  /** Scratch rows filled so far: element term key → the Float64Array holding it. */
  private readonly scratch = new Map<number, { readonly name: string; readonly vector: string }>();
  /** The arg max (arg min) of each max (min) reduction that has one, found in the same loop. */
  private positions: ReadonlyMap<number, Reduce> = new Map();
  /** Element terms being computed for their scratch row (computed, not read back). */
  private readonly filling = new Set<number>();
  /** Row offsets with a loop-invariant part of an index added (address): `o0 + h16` → its constant. */
  private readonly bases = new Map<string, string>();

  constructor(private readonly spec: RowSpec, private readonly share: boolean) {
    this.vectorNames = new Map(spec.vectors.map((v, i) => [v.name, i]));
  }

  build(): RowPlan {
    const { vectors, outputs, scalars } = this.spec;
    const root: Level = { indices: new Map(), computed: new Map(), steps: [], sharing: NONE };
    // Row lengths and offsets: the first vector's length is n.
    const lengths = [
      ...vectors.map((v, i) => ({ name: `L${i}`, value: i === 0 ? variable("n") : this.index(v.length, root) })),
      ...outputs.map((o, i) => ({ name: `M${i}`, value: o.length === undefined ? literal(1) : this.index(o.length, root) })),
    ];
    // Lengths are computed before the rows: their scalar code must be a value without statements.
    if (root.steps.length > 0) throw new Error("internal error: a row length needs statements");
    const offsets = [...vectors.map((_, i) => ({ name: `o${i}`, length: `L${i}` })), ...outputs.map((_, i) => ({ name: `q${i}`, length: `M${i}` }))];
    // What the outputs have in common (the max, the sum of exponentials) is computed once per row.
    // An output that reads its group's reductions through ⌊i / K⌋, in a row of whole groups, is
    // computed group by group, with ⌊i / K⌋ as the group's own index (groupSplit).
    const splits = outputs.map((o) => (this.share && o.length !== undefined ? groupSplit(expandVectorFunctions(o.expr), o.length, this.spec) : undefined));
    // An output with one element per group (maxout's value beside its gradient, in the fused
    // kernel) is computed in that loop too, at the group's index: its max and the gradient's arg
    // max then come from one loop over the group.
    const perGroup = outputs.map((o, i) => {
      if (splits[i] !== undefined || o.length === undefined) return undefined;
      const owner = splits.findIndex((s) => s !== undefined && groupSizeOf(o.length, { exact: true }) === s.size);
      return owner < 0 ? undefined : owner;
    });
    const expanded = outputs.map((o, i) => splits[i]?.expr ?? (perGroup[i] === undefined ? expandVectorFunctions(o.expr) : replaceIndex(expandVectorFunctions(o.expr), OUTPUT_INDEX, idx(GROUP_INDEX))));
    if (this.share) {
      this.sharing = sharedElementTerms(expanded);
      this.positions = positionsOfExtremes(expanded);
    }
    expanded.forEach((e, i) => {
      const out = outputs[i]!;
      if (out.length === undefined) {
        const value = this.emit(e, root);
        root.steps.push({ kind: "write", array: `out${i}`, at: variable(`q${i}`), value });
        return;
      }
      // Reductions that do not depend on the output index are hoisted out of its loop.
      this.hoist(e, root);
      if (perGroup[i] !== undefined) return;
      const split = splits[i];
      if (split !== undefined) {
        const members = perGroup.flatMap((owner, j) => (owner === i ? [j] : []));
        members.forEach((j) => this.hoist(expanded[j]!, root));
        this.groupByGroup(e, i, split, root, members.map((j) => ({ expr: expanded[j]!, output: j })));
        return;
      }
      const v = this.fresh("i");
      const level: Level = { parent: root, indices: new Map([...root.indices, [OUTPUT_INDEX, v]]), computed: new Map(root.computed), steps: [], sharing: this.sharingOf(e) };
      const value = this.emit(e, level);
      level.steps.push({ kind: "write", array: `out${i}`, offset: `q${i}`, at: variable(v), value });
      root.steps.push({ kind: "loop", index: v, from: literal(0), to: variable(`M${i}`), body: level.steps });
    });
    return {
      vectors: vectors.length, outputs: outputs.length, scalars: scalars.length,
      lengths,
      // One allocation per call, none per row.
      scratch: [...this.scratch.values()].map((w) => ({ name: w.name, length: `L${this.vectorNames.get(w.vector)}` })),
      offsets,
      body: root.steps,
      helpers: [...this.helpers].sort(),
    };
  }

  /**
   * Output i's loop taken group by group: the group's reductions once per group. Two plain loops,
   * over the groups of the row and over the K members of each, the output written at K·G + j
   * (K·G added to the row's offset once per group, as the group's reads do).
   */
  private groupByGroup(e: Expr, i: number, split: GroupSplit, root: Level, members: readonly { expr: Expr; output: number }[]): void {
    const k = this.hoisted(split.size, root);
    const [g, v] = [this.fresh("G"), this.fresh("i")];
    const group: Level = { parent: root, indices: new Map([...root.indices, [GROUP_INDEX, g]]), computed: new Map(root.computed), steps: [], sharing: NONE };
    // Outputs of one element per group first: a max there finds the arg max the gradient reads.
    for (const m of members) {
      const value = this.emit(m.expr, group);
      group.steps.push({ kind: "write", array: `out${m.output}`, offset: `q${m.output}`, at: variable(g), value });
    }
    this.hoist(e, group);
    const level: Level = { parent: group, indices: new Map([...group.indices, [MEMBER_INDEX, v]]), computed: new Map(group.computed), steps: [], sharing: this.sharingOf(e) };
    const value = this.emit(e, level);
    const { offset, at } = this.address(`q${i}`, memberIndex(split.size), level);
    level.steps.push({ kind: "write", array: `out${i}`, offset, at, value });
    group.steps.push({ kind: "loop", index: v, from: literal(0), to: variable(k), body: level.steps });
    root.steps.push({ kind: "loop", index: g, from: literal(0), to: variable(this.lengthNamed(split.groups) ?? this.hoisted(split.groups, root)), body: group.steps });
  }

  /** The row length (L0 …, M0 …) that is e, if one is: computed once per call, not per row. */
  private lengthNamed(e: Expr): string | undefined {
    const vector = this.spec.vectors.findIndex((v) => v.length === e);
    if (vector >= 0) return `L${vector}`;
    const output = this.spec.outputs.findIndex((o) => o.length === e);
    return output >= 0 ? `M${output}` : undefined;
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

  /**
   * One reduction as a loop at this level; its value is then a variable there. Inside an output
   * loop, a reduction that depends on the output index through one group key is recomputed only
   * when the key changes (its variables then live one level out).
   */
  private reduction(r: Reduce, level: Level): string {
    const acc = this.fresh("a");
    const k = this.fresh("k");
    const key = this.groupKeyOf(r, level);
    const from = this.index(r.from, level);
    const to = this.index(r.to, level);
    const start = this.fresh("s");
    const visitsAll = level.parent === undefined && r.from.kind === "num" && r.from.value.n === 0n && r.to.kind === "len"
      ? { index: r.index, vector: r.to.vector } : undefined;
    const inner: Level = { parent: level, indices: new Map([...level.indices, [r.index, k]]), computed: new Map(level.computed), steps: [], visitsAll, sharing: this.sharingOf(r.body) };
    const value = this.emit(r.body, inner);
    const v = this.fresh("y");
    const better = r.op === "max" || r.op === "argmax" ? ">" : "<";
    const worst = better === ">" ? -Infinity : Infinity;
    // A max whose arg max is also wanted finds both in one loop: the arg max's variable is `acc`,
    // the max is its best value.
    const position = this.positions.get(r.id);
    const best = r.op === "argmax" || r.op === "argmin" || position !== undefined ? this.fresh("b") : acc;
    // An empty range leaves the initial values: −∞ for a max, −1 for an arg max.
    const state = r.op === "sum" ? [{ name: acc, init: literal(0) }]
      : best === acc ? [{ name: acc, init: literal(worst) }]
      : [{ name: acc, init: literal(-1) }, { name: best, init: literal(worst) }];
    inner.steps.push({ kind: "const", name: v, value });
    // The first strictly better element wins (torch.max(dim) gives the gradient to the first
    // maximal element); a NaN wins and stays, as torch.max propagates it.
    if (r.op === "sum") inner.steps.push({ kind: "sum", acc, value: v });
    else inner.steps.push({ kind: "better", op: better, index: k, value: v, best, ...(best !== acc && { position: acc }) });
    const loop: Step = { kind: "loop", index: k, from: variable(start), to, body: inner.steps };
    const after: Step[] = best === acc ? [] : [{ kind: "firstWhenUnset", position: acc, start, to }];
    if (this.share && r.op !== "sum" && key === undefined && level.parent !== undefined) {
      // Inside another loop (a group's max, once per group), the max starts from the range's
      // first element rather than from −∞: one comparison fewer per range, the same bits (the
      // first element is what −∞ would give way to; an all-(−∞) range keeps its first position),
      // which the plain translation (share off, starting from −∞) checks. A sum does not start
      // from its first term (0 + −0 is 0), nor a row's max (its loop is one of WebAssembly lanes).
      const first: Level = { parent: level, indices: new Map([...level.indices, [r.index, start]]), computed: new Map(level.computed), steps: [], sharing: NONE };
      first.steps.push({ kind: "set", name: best, value: this.emit(r.body, first) });
      if (best !== acc) first.steps.push({ kind: "set", name: acc, value: variable(start) });
      const next = this.fresh("s");
      level.steps.push(
        { kind: "const", name: start, value: from }, ...state.map((d): Step => ({ kind: "let", vars: [d] })),
        { kind: "ifNonEmpty", start, to, body: first.steps },
        { kind: "const", name: next, value: this.successor(start) },
        { ...loop, from: variable(next) },
      );
    } else if (key === undefined) {
      level.steps.push({ kind: "const", name: start, value: from }, ...state.map((d): Step => ({ kind: "let", vars: [d] })), loop, ...after);
    } else {
      const last = this.fresh("g");
      level.parent!.steps.push({ kind: "let", vars: [{ name: last, init: literal(NaN) }, ...state] });
      level.steps.push({
        kind: "whenChanged", key, last,
        body: [{ kind: "set", name: last, value: key }, ...state.map((d): Step => ({ kind: "set", name: d.name, value: d.init })), { kind: "const", name: start, value: from }, loop, ...after],
      });
    }
    if (position === undefined) {
      level.computed.set(r.id, acc);
      return acc;
    }
    level.computed.set(position.id, acc);
    level.computed.set(r.id, best);
    return best;
  }

  private sharingOf(body: Expr): ReadonlySet<number> {
    return this.sharing.get(body.id) ?? NONE;
  }

  /** The variable holding r's group key at this level (computed here), if r has one. */
  private groupKeyOf(r: Reduce, level: Level): Operand | undefined {
    if (!this.share || level.parent === undefined) return undefined;
    const own = [...level.indices.keys()].filter((i) => !level.parent!.indices.has(i));
    if (own.length !== 1) return undefined;
    const key = groupKey(r, own[0]!, new Set(level.indices.keys()));
    if (key === undefined) return undefined;
    return variable(level.computed.get(key.id) ?? this.hoisted(key, level));
  }

  /**
   * An element term's value here: read from its scratch row once a loop has filled it; computed
   * and stored when this is the first loop over every element that needs it; else undefined
   * (computed in place, as any expression).
   */
  private elementTermValue(e: Expr, term: ElementTerm, level: Level): string | undefined {
    const at = level.indices.get(term.index);
    if (at === undefined) return undefined;
    const stored = this.scratch.get(term.key.id);
    if (stored !== undefined) {
      const read = this.fresh("e");
      level.steps.push({ kind: "read", name: read, array: stored.name, at: variable(at) });
      return read;
    }
    if (level.visitsAll?.index !== term.index || level.visitsAll.vector !== term.vector) return undefined;
    this.filling.add(e.id);
    const value = this.emit(e, level);
    this.filling.delete(e.id);
    const name = this.fresh("u");
    const row = this.fresh("w");
    level.steps.push({ kind: "const", name, value }, { kind: "write", array: row, at: variable(at), value: variable(name) });
    this.scratch.set(term.key.id, { name: row, vector: term.vector });
    return name;
  }

  /**
   * The value of e at this level, as a JavaScript expression: reductions become their variables,
   * elements reads of the row, indices their loop variables; the scalar rest is lowered as
   * compile() lowers it, its statements appended to the level.
   */
  private emit(e: Expr, level: Level): Operand {
    this.hoist(e, level);
    const names: string[] = [];
    // A leaf's symbol sorts by when its variable was made, so that a sum adds in the order its
    // terms were computed: x_i − m before − log1p(R) in log_softmax (the shift exists before the
    // sum it shifts, and that sum before its log), which keeps x_i − m exact at the max. Sorted
    // by name instead, the order would hang on the digits of the counter (h9 after h10).
    const leaf = (jsName: string): Expr => {
      if (!names.includes(jsName)) names.push(jsName);
      return sym(leafSymbol(jsName));
    };
    // Top down, and never into a reduction: its body is its own loop's business.
    const memo = new Map<number, Expr>();
    const visit = (n: Expr): Expr => {
      const done = memo.get(n.id);
      if (done !== undefined) return done;
      let out: Expr;
      const known = level.computed.get(n.id);
      if (known !== undefined) {
        out = leaf(known);
        memo.set(n.id, out);
        return out;
      }
      switch (n.kind) {
        case "reduce": out = leaf(this.reduction(n, level)); break;
        case "elem": {
          const slot = this.vectorNames.get(n.vector);
          if (slot === undefined) fail("E_USAGE", `'${n.vector}' is not a vector input here`);
          // An element the inner loop reads at an outer index (gradOut's element of a group) is
          // read once, out there.
          const home = outermost(level, n);
          if (home !== level) {
            out = leaf(home.computed.get(n.id) ?? this.hoisted(n, home));
            break;
          }
          const read = this.fresh("e");
          const { offset, at } = this.address(`o${slot}`, n.index, level);
          level.steps.push({ kind: "read", name: read, array: `v${slot}`, offset, at });
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
          const term = level.sharing.size === 0 || this.filling.has(n.id) ? undefined : elementTerm(n);
          const shared = term !== undefined && level.sharing.has(term.key.id) ? this.elementTermValue(n, term, level) : undefined;
          if (shared !== undefined) {
            out = leaf(shared);
            break;
          }
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
    const inputs = names.map(leafSymbol);
    const program = lower([scalar], { inputs, params: [] });
    helpersOf(program).forEach((h) => this.helpers.add(h));
    const code = { program, inputs: names, block: this.fresh("t") };
    if (program.body.length > 0) level.steps.push({ kind: "code", code });
    return { kind: "code", code };
  }

  /** e computed at this level into a constant, remembered there. */
  private hoisted(e: Expr, level: Level): string {
    const value = this.emit(e, level);
    const name = this.fresh("h");
    level.steps.push({ kind: "const", name, value });
    level.computed.set(e.id, name);
    return name;
  }

  /**
   * Where element `index` of a row is (`row` is its offset: o0 for v0's, q0 for out0's): the
   * row's offset plus the index, with the part of the index an outer loop already knows (a
   * group's K·j in maxout) added to the offset out there, once. The inner loop then adds one
   * number per read or write, as a hand-written loop does; the sums are of integers below 2⁵³, so
   * the order of the additions cannot change the address.
   */
  private address(row: string, index: Expr, level: Level): { readonly offset: string; readonly at: Operand } {
    const known = index.kind === "add" && level.parent !== undefined ? index.terms.filter((t) => outermost(level, t) !== level) : [];
    if (index.kind !== "add" || known.length === 0) return { offset: row, at: this.index(index, level) };
    const part = add(...known);
    const home = outermost(level, part);
    const partName = home.computed.get(part.id) ?? this.hoisted(part, home);
    const at = this.index(add(...index.terms.filter((t) => !known.includes(t))), level);
    // One sum per offset and part: the part's name belongs to one level, where the sum is made.
    const key = `${row} + ${partName}`;
    const made = this.bases.get(key);
    if (made !== undefined) return { offset: made, at };
    const inputs = [row, partName];
    const program = lower([add(...inputs.map((name) => sym(leafSymbol(name))))], { inputs: inputs.map(leafSymbol), params: [] });
    const base = this.fresh("c");
    home.steps.push({ kind: "const", name: base, value: { kind: "code", code: { program, inputs, block: this.fresh("t") } } });
    this.bases.set(key, base);
    return { offset: base, at };
  }

  /** `name + 1`, as scalar code. */
  private successor(name: string): Operand {
    const program = lower([add(sym(leafSymbol(name)), ONE)], { inputs: [leafSymbol(name)], params: [] });
    return { kind: "code", code: { program, inputs: [name], block: this.fresh("t") } };
  }

  /** An index expression (integer arithmetic of indices, lengths and parameters) in JavaScript. */
  private index(e: Expr, level: Level): Operand {
    return this.emit(e, level);
  }
}

/** A row function over typed arrays: (vectors…, outputs…, rows, n, scalars…). */
export type RowLoop = (...args: unknown[]) => void;

export interface RowLoopOptions {
  /** The plan run as closures (row-plan.ts): the same bits without `new Function`. */
  readonly csp?: boolean;
  /**
   * WebAssembly SIMD (src/codegen/wasm/row-kernels.ts), as the elementwise kernels' option: float64
   * lanes, or with "float32" Float32Array rows in float32 lanes. Plans it does not vectorise
   * (maxout's group loops) run the JavaScript row function: see `rowSimdFallback`.
   */
  readonly simd?: boolean | "float32";
}

/**
 * The row function for each element type, compiled on first use (as the elementwise kernels are);
 * with `csp`, the plan run as closures instead (row-plan.ts), for the same bits without `new Function`.
 */
export function rowLoops(spec: RowSpec, options: RowLoopOptions = {}): Record<"float64" | "float32", () => RowLoop> {
  if (options.simd) {
    const simd = simdRowLoops(rowPlan(spec), options.simd === "float32" ? "float32" : "float64");
    if (!("unsupported" in simd)) return simd;
  }
  const cache: Partial<Record<"float64" | "float32", RowLoop>> = {};
  const get = (dtype: "float64" | "float32") => (): RowLoop => {
    if (cache[dtype] === undefined) {
      if (options.csp) cache[dtype] = interpretRowPlan(rowPlan(spec));
      else {
        const { source, helpers } = rowSource(`actdiff_rows_${dtype}`, spec);
        cache[dtype] = instantiate<RowLoop>(helpers, source);
      }
    }
    return cache[dtype]!;
  };
  return { float64: get("float64"), float32: get("float32") };
}

/** Why `{ simd }` runs this row function as JavaScript, or undefined when it runs as WebAssembly SIMD. */
export function rowSimdFallback(spec: RowSpec): string | undefined {
  const simd = simdRowLoops(rowPlan(spec), "float64");
  return "unsupported" in simd ? simd.unsupported : undefined;
}

/** The outermost level, from this one out, whose indices include every free index of e. */
function outermost(level: Level, e: Expr): Level {
  const needs = [...freeIndices(e)];
  let home = level;
  while (home.parent !== undefined && needs.every((i) => home.parent!.indices.has(i))) home = home.parent;
  return home;
}

const variable = (name: string): Operand => ({ kind: "var", name });
const literal = (value: number): Operand => ({ kind: "lit", value });

/** The index of a group, ⌊i / K⌋ for the output index i, in an output computed group by group. */
const GROUP_INDEX = "§group";
/** The index within a group, i − K·⌊i / K⌋, in an output computed group by group. */
const MEMBER_INDEX = "§member";
/** The output index i of member j of group G: K·G + j. */
const memberIndex = (size: Expr): Expr => add(mul(size, idx(GROUP_INDEX)), idx(MEMBER_INDEX));

interface GroupSplit {
  /** The output with ⌊i / K⌋ as an index of its own, G, and i as K·G + j. */
  readonly expr: Expr;
  /** K. */
  readonly size: Expr;
  /** How many groups a row holds: len(x) / K. */
  readonly groups: Expr;
}

/**
 * An output whose every use of the output index i in a reduction goes through ⌊i / K⌋ (maxout's
 * gradient: the arg max of i's group), with K a group size the kernel checks to be a positive
 * integer, in a row of whole groups: the output with ⌊i / K⌋ as an index of its own, G, and i
 * written as K·G + j for member j of group G. Else undefined (the output is computed element by
 * element).
 *
 * The groups are whole when the output's length is a vector's, len(x), and some length of the
 * spec is exactly len(x) / K: that number is whole at every call (row kernels, closures and
 * emitted modules refuse a row length that K does not divide; the row offsets r · L assume it),
 * so K divides the row and no group is cut short by its end (a test for one, Math.min(base + K,
 * n) per group, made maxout's VJP 1.18× the hand-written loop; 1.04× without).
 */
function groupSplit(e: Expr, length: Expr, spec: RowSpec): GroupSplit | undefined {
  const floors = new Set(postorder(e).filter((n) => n.kind === "call" && n.fn === "floor"));
  if (floors.size !== 1) return undefined;
  const floor = [...floors][0] as Expr & { kind: "call" };
  const quotient = floor.args[0]!;
  if (quotient.kind !== "mul" || quotient.factors.length !== 2) return undefined;
  const inverse = quotient.factors.find((f) => f !== idx(OUTPUT_INDEX));
  if (!quotient.factors.includes(idx(OUTPUT_INDEX)) || inverse?.kind !== "pow" || inverse.exponent !== MINUS_ONE || freeIndices(inverse.base).size > 0) return undefined;
  const size = inverse.base;
  const lengths = [...spec.vectors.map((v) => v.length), ...spec.outputs.flatMap((o) => (o.length === undefined ? [] : [o.length]))];
  if (length.kind !== "len" || !lengths.some((l) => groupSizeOf(l, { exact: true }) === size)) return undefined;
  const reductions = postorder(e).filter((n): n is Reduce => n.kind === "reduce" && freeIndices(n).has(OUTPUT_INDEX));
  if (reductions.length === 0) return undefined;
  const grouped = transform(e, (n) => (n === floor ? idx(GROUP_INDEX) : n));
  // Every reduction must now be free of i itself, or the split saves nothing.
  if (postorder(grouped).some((n) => n.kind === "reduce" && freeIndices(n).has(OUTPUT_INDEX))) return undefined;
  return { expr: replaceIndex(grouped, OUTPUT_INDEX, memberIndex(size)), size, groups: div(length, size) };
}
