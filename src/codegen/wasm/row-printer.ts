import { assertNever } from "../../ast/nodes.js";
import { ActdiffError } from "../../errors.js";
import { FLOAT32_LANES, FLOAT64_LANES, type Vec } from "../../functions/vector.js";
import type { Operand, RowPlan, ScalarCode, Step } from "../row-plan.js";
import { Bytes, F64, I32, Op, Simd, TruncSat, type FunctionDef, type ValType } from "./encode.js";
import { VectorEmitter } from "./emitter.js";
import { Translation, type SimdDtype } from "./kernels.js";
import { bestOfLanes, laneOffsets, sumOfLanes } from "./lanes.js";

/**
 * A row plan (src/codegen/row-plan.ts) printed as one WebAssembly SIMD function, the third reader
 * of the plan beside the JavaScript printer and the closure interpreter. Every plan variable is a
 * v128 local. Outside loops its lanes all hold the same value (a row's max, its sum); a loop over
 * a row runs a vector of consecutive elements a step, each lane an element, then the elements
 * left over (fewer than a vector) one at a time with every lane equal — the same statements in
 * both, so the row-level code and the scalar tail need no second translation.
 *
 * Reductions in the vector part keep one accumulator per lane, combined when the part ends: a
 * sum adds its lanes (so it adds in another order than the JavaScript loop: the results differ
 * by the rounding of a sum, a few ulps); a max or min keeps each lane's first best element and
 * its position, and the combination takes the first NaN, else the best value at the smallest
 * position — exactly what the JavaScript loop finds (torch.max's first maximal element), bit
 * for bit. Scalar code (the Programs between the loops) is translated by the SIMD kernels'
 * Translation, with actdiff's vector exp and log.
 *
 * What this printer does not vectorise — a loop inside a loop, a group loop (maxout's groups of
 * k, too short for lanes to pay), a read or write at an index that is not the loop's own — makes
 * it throw RowSimdUnsupported, and the caller runs the JavaScript row kernel instead.
 */
export class RowSimdUnsupported extends Error {}

const unsupported = (why: string): never => {
  throw new RowSimdUnsupported(why);
};

type Loop = Extract<Step, { kind: "loop" }>;

interface Binding {
  readonly vec?: Vec;
  readonly i32?: number;
  readonly lit?: number;
  /** A `let`: a const taking its value copies it. */
  readonly mutable?: boolean;
}

/** The loop being emitted, and how: a vector of consecutive elements, or one element in every lane. */
interface LoopContext {
  readonly step: Loop;
  readonly i: number;
  readonly mode: "lanes" | "uniform";
  readonly index: Vec | undefined;
  /** The range's start, and start + lanes (the first element of each lane is below it). */
  readonly start: Vec;
  readonly firstLimit: Vec;
  /** Lanes mode: the lane accumulators of the loop's reductions, by the plan's variable. */
  readonly lanes: ReadonlyMap<string, Vec>;
}

/** Everything the wasm function needs besides its code: where each array is, by parameter. */
export interface RowFunctionLayout {
  /** The arrays in parameter order after (rows, n): v0 …, out0 …, the scratch rows. */
  readonly arrays: readonly string[];
}

export function rowFunctionLayout(plan: RowPlan): RowFunctionLayout {
  const range = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  return { arrays: [...range(plan.vectors, "v"), ...range(plan.outputs, "out"), ...plan.scratch.map((w) => w.name)] };
}

/**
 * `name(rows, n, base of each array…, scalars…)`: the plan over `rows` rows whose arrays start
 * at the given byte addresses (rows one after another; a scratch row holds one row, in the lanes'
 * format). Elements are `dtype`; the lanes compute in `lanes`.
 */
export function rowFunction(plan: RowPlan, name: string, dtype: SimdDtype, lanes: SimdDtype, constantBase: number): FunctionDef {
  return new RowPrinter(plan, dtype, lanes, constantBase).build(name);
}

class RowPrinter {
  private readonly v: VectorEmitter;
  private readonly layout: RowFunctionLayout;
  private readonly params: ValType[];
  private readonly bindings = new Map<string, Binding>();
  private readonly translations = new Map<ScalarCode, Translation>();
  private readonly laneCount: number;
  private readonly f64Lanes: boolean;

  constructor(private readonly plan: RowPlan, private readonly dtype: SimdDtype, lanes: SimdDtype, private readonly constantBase: number) {
    if (dtype === "float64" && lanes === "float32") throw new Error("internal error: float64 elements in float32 lanes");
    this.layout = rowFunctionLayout(plan);
    this.params = [I32, I32, ...this.layout.arrays.map((): ValType => I32), ...Array.from({ length: plan.scalars }, (): ValType => F64)];
    this.v = new VectorEmitter(lanes === "float64" ? FLOAT64_LANES : FLOAT32_LANES, this.params.length, constantBase);
    this.f64Lanes = lanes === "float64";
    this.laneCount = this.f64Lanes ? 2 : 4;
  }

  build(name: string): FunctionDef {
    const { v, plan } = this;
    const code = v.code;
    this.bindings.set("rows", { i32: 0 });
    this.bindings.set("n", { i32: 1, vec: this.fromI32(1) });
    const scalarBase = 2 + this.layout.arrays.length;
    for (let k = 0; k < plan.scalars; k++) this.bindings.set(`p${k}`, { vec: v.splat(scalarBase + k) });
    for (const l of plan.lengths) {
      const vec = this.vec(l.value, undefined);
      const i32 = v.local(I32);
      this.pushI32(l.value, undefined, vec);
      code.byte(Op.localSet).u32(i32);
      this.bindings.set(l.name, { vec, i32 });
    }
    const r = v.local(I32);
    const offsets = plan.offsets.map((o) => [o.name, this.i32Of(o.length), v.local(I32)] as const);
    for (const [name, , local] of offsets) this.bindings.set(name, { i32: local });
    this.bindings.set("r", { i32: r });
    code.byte(Op.block, 0x40, Op.loop, 0x40);
    code.byte(Op.localGet).u32(r).byte(Op.localGet).u32(0).byte(Op.i32GeS).byte(Op.brIf).u32(1);
    for (const [, length, local] of offsets) code.byte(Op.localGet).u32(r).byte(Op.localGet).u32(length).byte(Op.i32Mul).byte(Op.localSet).u32(local);
    v.scoped(() => this.steps(plan.body, undefined));
    code.byte(Op.localGet).u32(r).byte(Op.i32Const).s32(1).byte(Op.i32Add).byte(Op.localSet).u32(r);
    code.byte(Op.br).u32(0).byte(Op.end, Op.end);
    const body = new Bytes().append(v.prologue).append(code);
    return { name, params: this.params, locals: v.locals, body, data: { address: this.constantBase, bytes: v.constantData } };
  }

  // --- values ---------------------------------------------------------------------------------

  private binding(name: string): Binding {
    const b = this.bindings.get(name);
    if (b === undefined) throw new Error(`internal error: the row variable ${name} is not bound`);
    return b;
  }

  /** An i32 local as a vector: the number in every lane. */
  private fromI32(local: number): Vec {
    this.v.get(local).code.byte(this.f64Lanes ? Op.f64ConvertI32S : Op.f32ConvertI32S);
    return this.v.simd(this.f64Lanes ? Simd.f64x2Splat : Simd.f32x4Splat).result();
  }

  private vecOfName(name: string, loop: LoopContext | undefined): Vec {
    if (loop !== undefined && name === loop.step.index) {
      if (loop.index === undefined) throw new Error("internal error: the loop's index is read but was not made");
      return loop.index;
    }
    const b = this.binding(name);
    if (b.vec !== undefined) return b.vec;
    if (b.i32 !== undefined) return this.fromI32(b.i32);
    throw new Error(`internal error: ${name} has no value`);
  }

  private vec(o: Operand, loop: LoopContext | undefined): Vec {
    switch (o.kind) {
      case "lit": return this.v.num(o.value);
      case "var": return this.vecOfName(o.name, loop);
      case "code": {
        const program = o.code.program;
        const t = program.body.length > 0 ? this.translations.get(o.code) : this.translate(o.code, loop);
        if (t === undefined) throw new Error("internal error: scalar code is read before it runs");
        return t.value(program.results[0]!);
      }
      default: return assertNever(o, "operand");
    }
  }

  private translate(code: ScalarCode, loop: LoopContext | undefined): Translation {
    const t = new Translation(this.v, code.inputs.map((name) => this.vecOfName(name, loop)), []);
    this.translations.set(code, t);
    return t;
  }

  /** Pushes an operand as an i32 (an index or a length): lane 0, truncated. */
  private pushI32(index: Operand, loop: LoopContext | undefined, known?: Vec): void {
    const code = this.v.code;
    const o = plain(index);
    if (o.kind === "lit") {
      code.byte(Op.i32Const).s32(o.value);
      return;
    }
    if (o.kind === "var") {
      if (loop !== undefined && o.name === loop.step.index) {
        code.byte(Op.localGet).u32(loop.i);
        return;
      }
      const b = this.binding(o.name);
      if (b.i32 !== undefined) {
        code.byte(Op.localGet).u32(b.i32);
        return;
      }
      if (b.lit !== undefined) {
        code.byte(Op.i32Const).s32(b.lit);
        return;
      }
    }
    const vec = known ?? this.vec(o, loop);
    this.v.get(vec.vec).simd(this.f64Lanes ? Simd.f64x2ExtractLane : Simd.f32x4ExtractLane).code.byte(0);
    code.byte(TruncSat.prefix).u32(this.f64Lanes ? TruncSat.f64 : TruncSat.f32);
  }

  private i32Of(name: string): number {
    const b = this.binding(name);
    if (b.i32 === undefined) throw new Error(`internal error: ${name} has no integer value`);
    return b.i32;
  }

  // --- memory ---------------------------------------------------------------------------------

  private isScratch(array: string): boolean {
    return this.plan.scratch.some((w) => w.name === array);
  }

  /** The element format of an array: the kernel's dtype, or the lanes' for a scratch row. */
  private elementOf(array: string): SimdDtype {
    return this.isScratch(array) ? (this.f64Lanes ? "float64" : "float32") : this.dtype;
  }

  /** Pushes the byte address of array[offset + at]. */
  private address(array: string, offset: string | undefined, at: Operand, loop: LoopContext | undefined): void {
    const code = this.v.code;
    const base = 2 + this.layout.arrays.indexOf(array);
    if (base < 2) throw new Error(`internal error: no array ${array}`);
    code.byte(Op.localGet).u32(base);
    this.pushI32(at, loop);
    if (offset !== undefined) code.byte(Op.localGet).u32(this.i32Of(offset)).byte(Op.i32Add);
    code.byte(Op.i32Const).s32(this.elementOf(array) === "float64" ? 3 : 2).byte(Op.i32Shl).byte(Op.i32Add);
  }

  /** Whether an access is at the loop's own index (consecutive elements, one a lane). */
  private atIndex(index: Operand, loop: LoopContext | undefined): loop is LoopContext {
    const at = plain(index);
    return loop !== undefined && loop.mode === "lanes" && at.kind === "var" && at.name === loop.step.index;
  }

  /** An index that is one number for every lane: a literal, or a variable set outside the loop. */
  private isUniform(index: Operand, loop: LoopContext | undefined): boolean {
    const at = plain(index);
    if (loop === undefined || loop.mode === "uniform" || at.kind === "lit") return true;
    if (at.kind !== "var" || at.name === loop.step.index) return false;
    const b = this.binding(at.name);
    return b.i32 !== undefined || b.lit !== undefined || this.isRowLevel(at.name);
  }

  private read(array: string, offset: string | undefined, at: Operand, loop: LoopContext | undefined): Vec {
    const v = this.v;
    const element = this.elementOf(array);
    const consecutive = this.atIndex(at, loop);
    if (!consecutive && !this.isUniform(at, loop)) unsupported(`a read of ${array} at an index that differs between lanes`);
    this.address(array, offset, at, loop);
    if (consecutive) {
      if (element === "float64") {
        v.simd(Simd.load).code.u32(3).u32(0);
      } else if (this.f64Lanes) {
        v.simd(Simd.load64Zero).code.u32(3).u32(0);
        v.simd(Simd.f64x2PromoteLowF32x4);
      } else {
        v.simd(Simd.load).code.u32(2).u32(0);
      }
      return v.result();
    }
    // One element, in every lane.
    if (element === "float64") {
      v.simd(Simd.load64Splat).code.u32(3).u32(0);
    } else if (this.f64Lanes) {
      v.code.byte(Op.f32Load).u32(2).u32(0).byte(Op.f64PromoteF32);
      v.simd(Simd.f64x2Splat);
    } else {
      v.simd(Simd.load32Splat).code.u32(2).u32(0);
    }
    return v.result();
  }

  private write(array: string, offset: string | undefined, at: Operand, value: Vec, loop: LoopContext | undefined): void {
    const v = this.v;
    const element = this.elementOf(array);
    if (loop?.mode === "lanes" && !this.atIndex(at, loop)) unsupported(`a write of ${array} inside a loop, not at its index`);
    this.address(array, offset, at, loop);
    v.get(value.vec);
    if (this.atIndex(at, loop)) {
      if (element === "float64") v.simd(Simd.store).code.u32(3).u32(0);
      else if (this.f64Lanes) v.simd(Simd.f32x4DemoteF64x2Zero).simd(Simd.store64Lane).code.u32(3).u32(0).byte(0);
      else v.simd(Simd.store).code.u32(2).u32(0);
      return;
    }
    // Lane 0 (every lane holds the element).
    v.simd(this.f64Lanes ? Simd.f64x2ExtractLane : Simd.f32x4ExtractLane).code.byte(0);
    if (element === "float64") v.code.byte(Op.f64Store).u32(3).u32(0);
    else if (this.f64Lanes) v.code.byte(Op.f32DemoteF64).byte(Op.f32Store).u32(2).u32(0);
    else v.code.byte(Op.f32Store).u32(2).u32(0);
  }

  /** Names bound outside every loop hold one value in every lane. */
  private readonly rowLevel = new Set<string>();
  private isRowLevel(name: string): boolean {
    return this.rowLevel.has(name) || name === "n" || /^p\d+$/.test(name);
  }

  // --- steps ----------------------------------------------------------------------------------

  private bind(name: string, b: Binding, loop: LoopContext | undefined): void {
    this.bindings.set(name, b);
    if (loop === undefined) this.rowLevel.add(name);
  }

  private steps(list: readonly Step[], loop: LoopContext | undefined): void {
    const v = this.v;
    for (const s of list) {
      switch (s.kind) {
        case "code": {
          const t = this.translate(s.code, loop);
          t.statements(s.code.program.body, undefined);
          break;
        }
        case "const": {
          let vec = this.vec(s.value, loop);
          if (s.value.kind === "var" && this.bindings.get(s.value.name)?.mutable) {
            const copy = v.variable();
            v.assign(copy, vec);
            vec = copy;
          }
          this.bind(s.name, { vec, ...(s.value.kind === "lit" && Number.isInteger(s.value.value) && { lit: s.value.value }) }, loop);
          break;
        }
        case "let":
          for (const d of s.vars) {
            const vec = v.variable();
            v.assign(vec, this.vec(d.init, loop));
            this.bind(d.name, { vec, mutable: true }, loop);
          }
          break;
        case "set": v.assign(this.binding(s.name).vec!, this.vec(s.value, loop)); break;
        case "read": this.bind(s.name, { vec: this.read(s.array, s.offset, s.at, loop) }, loop); break;
        case "write": this.write(s.array, s.offset, s.at, this.vec(s.value, loop), loop); break;
        case "loop":
          if (loop !== undefined) unsupported("a loop inside a loop");
          this.loop(s);
          break;
        case "whenChanged": unsupported("a reduction recomputed when its group changes"); break;
        case "ifNonEmpty": unsupported("a max started from its first element (one inside another loop)"); break;
        case "sum": {
          if (loop === undefined) throw new Error("internal error: a sum outside its loop");
          const acc = loop.mode === "lanes" ? loop.lanes.get(s.acc)! : this.binding(s.acc).vec!;
          v.assign(acc, v.add(acc, this.vecOfName(s.value, loop)));
          break;
        }
        case "better": {
          if (loop === undefined) throw new Error("internal error: a max outside its loop");
          if (s.index !== loop.step.index) unsupported("a max over another loop's index");
          const lanes = loop.mode === "lanes";
          const best = lanes ? loop.lanes.get(s.best)! : this.binding(s.best).vec!;
          const position = lanes ? loop.lanes.get(`${s.best}#position`)! : s.position === undefined ? undefined : this.binding(s.position).vec!;
          const value = this.vecOfName(s.value, loop);
          const index = loop.index!;
          // Each lane's first element, in lanes mode; the range's first, one at a time.
          const first = lanes ? v.lt(index, loop.firstLimit) : v.eq(index, loop.start);
          const better = s.op === ">" ? v.gt(value, best) : v.lt(value, best);
          const firstNaN = v.and(v.ne(value, value), v.eq(best, best));
          const wins = v.or(v.or(first, better), firstNaN);
          v.assign(best, v.select(wins, value, best));
          if (position !== undefined) v.assign(position, v.select(wins, index, position));
          break;
        }
        // Nothing to mend: `better` above takes each range's first element itself (`first`), so a
        // position is unset after the loop only when the range was empty, and then it stays −1.
        case "firstWhenUnset": break;
        default: assertNever(s, "row step");
      }
    }
  }

  /** A loop over a row: vectors of consecutive elements, their lanes combined, then the rest one at a time. */
  private loop(s: Loop): void {
    const { v } = this;
    const code = v.code;
    const [i, from, end] = [v.local(I32), v.local(I32), v.local(I32)];
    this.pushI32(s.from, undefined);
    code.byte(Op.localSet).u32(from);
    this.pushI32(s.to, undefined);
    code.byte(Op.localSet).u32(end);
    code.byte(Op.localGet).u32(from).byte(Op.localSet).u32(i);
    const reductions = s.body.filter((b): b is Extract<Step, { kind: "sum" | "better" }> => b.kind === "sum" || b.kind === "better");
    const usesIndex = reductions.some((r) => r.kind === "better") || mentions(s.body, s.index);
    const start = this.vec(s.from, undefined);
    const firstLimit = v.add(start, v.num(this.laneCount));
    // Lane accumulators: a sum's start at 0 in every lane; a max's are set by each lane's first element.
    const lanes = new Map<string, Vec>();
    for (const r of reductions) {
      if (r.kind === "sum") {
        const acc = v.variable();
        v.assign(acc, v.num(0));
        lanes.set(r.acc, acc);
      } else {
        lanes.set(r.best, v.variable());
        lanes.set(`${r.best}#position`, v.variable());
      }
    }
    const offsets = laneOffsets(v);
    const L = this.laneCount;
    // while (end − i ≥ L) { lanes }
    code.byte(Op.block, 0x40, Op.loop, 0x40);
    code.byte(Op.localGet).u32(end).byte(Op.localGet).u32(i).byte(Op.i32Sub).byte(Op.i32Const).s32(L).byte(Op.i32LtS).byte(Op.brIf).u32(1);
    v.scoped(() => {
      const index = usesIndex ? v.add(this.fromI32(i), offsets) : undefined;
      this.steps(s.body, { step: s, i, mode: "lanes", index, start, firstLimit, lanes });
    });
    code.byte(Op.localGet).u32(i).byte(Op.i32Const).s32(L).byte(Op.i32Add).byte(Op.localSet).u32(i);
    code.byte(Op.br).u32(0).byte(Op.end, Op.end);
    if (reductions.length > 0) {
      // if (the vector part ran) { combine its lanes }
      code.byte(Op.localGet).u32(i).byte(Op.localGet).u32(from).byte(Op.i32Ne).byte(Op.if, 0x40);
      v.scoped(() => reductions.forEach((r) => this.combine(r, lanes)));
      code.byte(Op.end);
    }
    // while (i < end) { one element }
    code.byte(Op.block, 0x40, Op.loop, 0x40);
    code.byte(Op.localGet).u32(i).byte(Op.localGet).u32(end).byte(Op.i32GeS).byte(Op.brIf).u32(1);
    v.scoped(() => {
      const index = usesIndex ? this.fromI32(i) : undefined;
      this.steps(s.body, { step: s, i, mode: "uniform", index, start, firstLimit, lanes });
    });
    code.byte(Op.localGet).u32(i).byte(Op.i32Const).s32(1).byte(Op.i32Add).byte(Op.localSet).u32(i);
    code.byte(Op.br).u32(0).byte(Op.end, Op.end);
  }

  /** A reduction's lanes into its variables (which hold one value in every lane after). */
  private combine(r: Extract<Step, { kind: "sum" | "better" }>, lanes: ReadonlyMap<string, Vec>): void {
    if (r.kind === "sum") {
      const acc = this.binding(r.acc).vec!;
      this.v.assign(acc, sumOfLanes(this.v, acc, lanes.get(r.acc)!));
      return;
    }
    const { best, position } = bestOfLanes(this.v, r.op, lanes.get(r.best)!, lanes.get(`${r.best}#position`)!);
    this.v.assign(this.binding(r.best).vec!, best);
    if (r.position !== undefined) this.v.assign(this.binding(r.position).vec!, position);
  }
}

/**
 * Scalar code that is only a variable or a number (an index: rows.ts lowers `k` into a Program
 * whose result is its input) as that operand, so that accesses at the loop's index are seen as such.
 */
function plain(o: Operand): Operand {
  if (o.kind !== "code" || o.code.program.body.length > 0) return o;
  const result = o.code.program.results[0]!;
  if (result.op === "input") return { kind: "var", name: o.code.inputs[result.index]! };
  if (result.op === "num") return { kind: "lit", value: result.value };
  return o;
}

/** Whether a loop body reads the variable (as scalar code's input or an operand). */
function mentions(list: readonly Step[], name: string): boolean {
  const inOperand = (o: Operand): boolean => (o.kind === "var" ? o.name === name : o.kind === "code" ? o.code.inputs.includes(name) : false);
  return list.some((s) => {
    switch (s.kind) {
      case "code": return s.code.inputs.includes(name);
      case "const": case "set": return inOperand(s.value);
      case "let": return s.vars.some((d) => inOperand(d.init));
      case "read": return inOperand(s.at) && plain(s.at).kind !== "var";
      case "write": return inOperand(s.value) || (inOperand(s.at) && plain(s.at).kind !== "var");
      case "sum": return s.value === name;
      case "better": return true;
      case "loop": case "whenChanged": case "ifNonEmpty": case "firstWhenUnset": return true;
      default: return assertNever(s, "row step");
    }
  });
}

/** A builtin without a vector form (E_UNSUPPORTED from the translation) as a reason to fall back. */
export function asUnsupported(err: unknown): RowSimdUnsupported | undefined {
  if (err instanceof RowSimdUnsupported) return err;
  if (err instanceof ActdiffError && err.code === "E_UNSUPPORTED") return new RowSimdUnsupported(err.message);
  return undefined;
}
