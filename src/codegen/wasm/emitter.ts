import type { LaneFormat, Vec, VectorOps } from "../../functions/vector.js";
import { Bytes, F32X4, F64X2, Op, Simd, V128, type LaneOpcodes, type ValType } from "./encode.js";

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * VectorOps that write WebAssembly: every operation reads its operands from locals and stores
 * its result in a new local (V8 allocates registers over them as SSA values, so locals cost
 * nothing), which keeps the emitted code a flat list in the order the mathematics is written.
 */
export class VectorEmitter implements VectorOps {
  /** Set once before the loop: constants and parameters (so one first needed inside an `if` is still set after it). */
  readonly prologue = new Bytes();
  readonly code = new Bytes();
  /** Types of the locals declared so far, after the function's parameters. */
  readonly locals: ValType[] = [];
  /** The constants' 16-byte patterns, in memory order from `constantBase`. */
  readonly constantData = new Bytes();

  /**
   * @param constantBase where in memory the constants go (the module's data segment). They are
   *   loaded from there rather than written as v128.const, which V8 re-materialises at every use
   *   inside the loop (three instructions each, a third of an exp's cost).
   */
  constructor(readonly format: LaneFormat, private readonly paramCount: number, private readonly constantBase = 0) {
    this.ops = format.name === "float64" ? F64X2 : F32X4;
    this.width = format.name === "float64" ? 64 : 32;
  }

  private readonly ops: LaneOpcodes;
  private readonly width: 32 | 64;

  local(type: ValType): number {
    return this.paramCount + this.locals.push(type) - 1;
  }

  simd(opcode: number): this {
    this.code.byte(0xfd).u32(opcode);
    return this;
  }

  get(index: number): this {
    this.code.byte(Op.localGet).u32(index);
    return this;
  }

  /** Pops the value on the stack into a new v128 local. */
  result(): Vec {
    const vec = this.local(V128);
    this.code.byte(Op.localSet).u32(vec);
    return { vec };
  }

  /** Overwrites a local made by `result`/`variable` (the target of a piecewise value). */
  assign(target: Vec, value: Vec): void {
    this.get(value.vec).code.byte(Op.localSet).u32(target.vec);
  }

  /** Every lane the f64 parameter `index` (rounded to float32 for float32 lanes), set before the loop. */
  splat(index: number): Vec {
    // Stored to a slot of its own and loaded back, as the constants are: a splat left in a local
    // is redone inside the loop at every use, as a v128.const is.
    const address = this.constantBase + this.constantData.length;
    this.constantData.v128(0n, this.width);
    this.prologue.byte(Op.i32Const).s32(0).byte(Op.localGet).u32(index);
    if (this.width === 32) this.prologue.byte(Op.f32DemoteF64);
    this.prologue.byte(0xfd).u32(this.ops.splat).byte(0xfd).u32(Simd.store).u32(4).u32(address);
    return this.loadInPrologue(address);
  }

  /** A new local set before the loop from the 16 bytes at `address`. */
  private loadInPrologue(address: number): Vec {
    const v = { vec: this.local(V128) };
    this.prologue.byte(Op.i32Const).s32(0).byte(0xfd).u32(Simd.load).u32(4).u32(address).byte(Op.localSet).u32(v.vec);
    return v;
  }

  /** A v128 local that starts as zeros. */
  variable(): Vec {
    return { vec: this.local(V128) };
  }

  /** The blocks the code being emitted is in, outermost first (each `if` and `else` a new one). */
  private readonly blocks: number[] = [0];
  private blockCount = 1;
  private readonly memos = new Map<string, { readonly blocks: readonly number[]; readonly value: unknown }>();

  memo<T>(key: string, compute: () => T): T {
    const known = this.memos.get(key);
    if (known !== undefined && known.blocks.every((b, i) => this.blocks[i] === b)) return known.value as T;
    const value = compute();
    this.memos.set(key, { blocks: [...this.blocks], value });
    return value;
  }

  private inBlock(body: () => void): void {
    this.blocks.push(this.blockCount++);
    body();
    this.blocks.pop();
  }

  /**
   * Code emitted in a block of the caller's own (a loop's body): values memoised inside are not
   * reused after it, where the block may not have run.
   */
  scoped(body: () => void): void {
    this.inBlock(body);
  }

  rarely(mask: Vec, compute: () => Vec, otherwise: Vec): Vec {
    const out = this.variable();
    this.assign(out, otherwise);
    this.whenAny(mask, () => this.assign(out, this.select(mask, compute(), out)));
    return out;
  }

  /** `if (any lane of mask is set) { body }`. */
  whenAny(mask: Vec, body: () => void): void {
    this.branch("any", mask, body);
  }

  /** `if (any / every lane of mask is set) { then } else { otherwise }`. */
  branch(lanes: "any" | "all", mask: Vec, then: () => void, otherwise?: () => void): void {
    this.get(mask.vec).simd(lanes === "any" ? Simd.anyTrue : Simd.allTrue32);
    this.code.byte(Op.if, 0x40);
    this.inBlock(then);
    if (otherwise !== undefined) {
      this.code.byte(Op.else);
      this.inBlock(otherwise);
    }
    this.code.byte(Op.end);
  }

  private binary(opcode: number, a: Vec, b: Vec): Vec {
    return this.get(a.vec).get(b.vec).simd(opcode).result();
  }

  private unary(opcode: number, a: Vec): Vec {
    return this.get(a.vec).simd(opcode).result();
  }

  private readonly constants = new Map<bigint, Vec>();

  bits(pattern: bigint): Vec {
    const key = BigInt.asUintN(this.width, pattern);
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const address = this.constantBase + this.constantData.length;
    this.constantData.v128(key, this.width);
    const v = this.loadInPrologue(address);
    this.constants.set(key, v);
    return v;
  }

  num(x: number): Vec {
    const view = new DataView(new ArrayBuffer(8));
    if (this.width === 64) view.setFloat64(0, x);
    // A finite constant stays finite in float32 lanes (the largest float32 for 1.8e308, the bound
    // of the stable forms' finiteness tests), so that |m| ≤ 1.8e308 is false at m = ±∞ there too.
    else view.setFloat32(0, Number.isFinite(x) && Math.abs(Math.fround(x)) === Infinity ? Math.sign(x) * FLOAT32_MAX : x);
    return this.bits(this.width === 64 ? view.getBigUint64(0) : BigInt(view.getUint32(0)));
  }

  add(a: Vec, b: Vec): Vec { return this.binary(this.ops.add, a, b); }
  sub(a: Vec, b: Vec): Vec { return this.binary(this.ops.sub, a, b); }
  mul(a: Vec, b: Vec): Vec { return this.binary(this.ops.mul, a, b); }
  div(a: Vec, b: Vec): Vec { return this.binary(this.ops.div, a, b); }
  min(a: Vec, b: Vec): Vec { return this.binary(this.ops.min, a, b); }
  max(a: Vec, b: Vec): Vec { return this.binary(this.ops.max, a, b); }
  pmin(a: Vec, b: Vec): Vec { return this.binary(this.ops.pmin, a, b); }
  pmax(a: Vec, b: Vec): Vec { return this.binary(this.ops.pmax, a, b); }
  abs(a: Vec): Vec { return this.unary(this.ops.abs, a); }
  neg(a: Vec): Vec { return this.unary(this.ops.neg, a); }
  sqrt(a: Vec): Vec { return this.unary(this.ops.sqrt, a); }
  lt(a: Vec, b: Vec): Vec { return this.binary(this.ops.lt, a, b); }
  le(a: Vec, b: Vec): Vec { return this.binary(this.ops.le, a, b); }
  gt(a: Vec, b: Vec): Vec { return this.binary(this.ops.gt, a, b); }
  ge(a: Vec, b: Vec): Vec { return this.binary(this.ops.ge, a, b); }
  eq(a: Vec, b: Vec): Vec { return this.binary(this.ops.eq, a, b); }
  ne(a: Vec, b: Vec): Vec { return this.binary(this.ops.ne, a, b); }
  and(a: Vec, b: Vec): Vec { return this.binary(Simd.and, a, b); }
  or(a: Vec, b: Vec): Vec { return this.binary(Simd.or, a, b); }
  andNot(a: Vec, b: Vec): Vec { return this.binary(Simd.andNot, a, b); }
  not(a: Vec): Vec { return this.unary(Simd.not, a); }
  select(mask: Vec, ifSet: Vec, ifClear: Vec): Vec {
    return this.get(ifSet.vec).get(ifClear.vec).get(mask.vec).simd(Simd.bitselect).result();
  }
  iadd(a: Vec, b: Vec): Vec { return this.binary(this.ops.iadd, a, b); }
  isub(a: Vec, b: Vec): Vec { return this.binary(this.ops.isub, a, b); }
  private shift(opcode: number, a: Vec, k: number): Vec {
    this.get(a.vec).code.byte(Op.i32Const).s32(k);
    return this.simd(opcode).result();
  }
  shl(a: Vec, k: number): Vec { return this.shift(this.ops.shl, a, k); }
  shru(a: Vec, k: number): Vec { return this.shift(this.ops.shru, a, k); }
}
