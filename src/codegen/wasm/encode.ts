/**
 * The WebAssembly binary format, as far as actdiff's SIMD kernels use it: one module with its
 * own memory and a few exported functions. Written here rather than taken from binaryen or wabt
 * (10+ MB of runtime for an optimiser and a text parser we do not need): the subset is LEB128
 * numbers, six sections (the last the constants' data) and the opcodes below, and every module it writes is checked by
 * `WebAssembly.validate` in the tests.
 */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

/** Plain opcodes (one byte). */
export const Op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d,
  localGet: 0x20, localSet: 0x21,
  f32Load: 0x2a, f32Store: 0x38, f64Store: 0x39,
  i32Const: 0x41, i32Ne: 0x47, i32LtS: 0x48, i32GeS: 0x4e, i32GeU: 0x4f,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32Shl: 0x74, f32Add: 0x92, f64Add: 0xa0,
  f32ConvertI32S: 0xb2, f32DemoteF64: 0xb6, f64ConvertI32S: 0xb7, f64PromoteF32: 0xbb,
} as const;

/** Saturating truncations: the prefix, then i32.trunc_sat_f32_s or i32.trunc_sat_f64_s (LEB128). */
export const TruncSat = { prefix: 0xfc, f32: 0x00, f64: 0x02 } as const;

/** SIMD opcodes (after the 0xfd prefix, as LEB128) that do not depend on the lane format. */
export const Simd = {
  load: 0x00, load32Splat: 0x09, load64Splat: 0x0a, store: 0x0b, const: 0x0c, load64Zero: 0x5d, store64Lane: 0x5b,
  f32x4Splat: 0x13, f64x2Splat: 0x14, f32x4ExtractLane: 0x1f, f64x2ExtractLane: 0x21,
  not: 0x4d, and: 0x4e, andNot: 0x4f, or: 0x50, bitselect: 0x52, anyTrue: 0x53,
  /** i32x4.all_true: every 32 bits set, which for a lane mask of either format is every lane true. */
  allTrue32: 0xa3,
  f32x4DemoteF64x2Zero: 0x5e, f64x2PromoteLowF32x4: 0x5f,
} as const;

/** The SIMD opcodes of one lane format: f64x2 with i64x2, or f32x4 with i32x4. */
export interface LaneOpcodes {
  readonly splat: number;
  readonly eq: number; readonly ne: number; readonly lt: number; readonly gt: number; readonly le: number; readonly ge: number;
  readonly abs: number; readonly neg: number; readonly sqrt: number;
  readonly add: number; readonly sub: number; readonly mul: number; readonly div: number;
  readonly min: number; readonly max: number; readonly pmin: number; readonly pmax: number;
  readonly iadd: number; readonly isub: number; readonly shl: number; readonly shru: number;
}

export const F64X2: LaneOpcodes = {
  splat: 0x14, eq: 0x47, ne: 0x48, lt: 0x49, gt: 0x4a, le: 0x4b, ge: 0x4c,
  abs: 0xec, neg: 0xed, sqrt: 0xef, add: 0xf0, sub: 0xf1, mul: 0xf2, div: 0xf3,
  min: 0xf4, max: 0xf5, pmin: 0xf6, pmax: 0xf7,
  iadd: 0xce, isub: 0xd1, shl: 0xcb, shru: 0xcd,
};

export const F32X4: LaneOpcodes = {
  splat: 0x13, eq: 0x41, ne: 0x42, lt: 0x43, gt: 0x44, le: 0x45, ge: 0x46,
  abs: 0xe0, neg: 0xe1, sqrt: 0xe3, add: 0xe4, sub: 0xe5, mul: 0xe6, div: 0xe7,
  min: 0xe8, max: 0xe9, pmin: 0xea, pmax: 0xeb,
  iadd: 0xae, isub: 0xb1, shl: 0xab, shru: 0xad,
};

/** A growing byte buffer with the encodings the format needs. */
export class Bytes {
  private readonly data: number[] = [];
  get length(): number { return this.data.length; }
  byte(...bs: number[]): this {
    this.data.push(...bs);
    return this;
  }
  u32(n: number): this {
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      this.data.push(b);
    } while (n !== 0);
    return this;
  }
  s32(n: number): this {
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.data.push(b | 0x80);
    }
  }
  /** 16 bytes: the pattern in every lane of `width` bits, little-endian. */
  v128(lane: bigint, width: 32 | 64): this {
    const view = new DataView(new ArrayBuffer(16));
    for (let at = 0; at < 16; at += width / 8) {
      if (width === 64) view.setBigUint64(at, BigInt.asUintN(64, lane), true);
      else view.setUint32(at, Number(BigInt.asUintN(32, lane)), true);
    }
    return this.byte(...new Uint8Array(view.buffer));
  }
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).byte(...utf8);
  }
  /** This buffer's bytes, preceded by their count (a section or a function body). */
  sized(): Bytes {
    return new Bytes().u32(this.data.length).append(this);
  }
  append(other: Bytes): this {
    // One push per byte: a spread of a large function body (softclip′'s SIMD kernel) overflows the stack.
    for (const byte of other.data) this.data.push(byte);
    return this;
  }
  toUint8Array(): Uint8Array {
    return Uint8Array.from(this.data);
  }
}

export interface FunctionDef {
  readonly name: string;
  readonly params: readonly ValType[];
  /** Types of the locals after the parameters, in index order. */
  readonly locals: readonly ValType[];
  /** The instructions, without the final `end`. */
  readonly body: Bytes;
  /** Bytes the module's memory starts with at `address` (the function's constants). */
  readonly data?: { readonly address: number; readonly bytes: Bytes };
}

const section = (id: number, content: Bytes): Bytes => new Bytes().byte(id).append(content.sized());

/** A module that defines and exports `memory` (a fixed number of 64 KiB pages) and the functions. */
export function moduleBytes(functions: readonly FunctionDef[], memoryPages: number): Uint8Array {
  const types = new Bytes().u32(functions.length);
  for (const f of functions) types.byte(0x60).u32(f.params.length).byte(...f.params).u32(0);
  const indices = new Bytes().u32(functions.length);
  functions.forEach((_, i) => indices.u32(i));
  const memory = new Bytes().u32(1).byte(0x00).u32(memoryPages);
  const exports = new Bytes().u32(functions.length + 1).name("memory").byte(0x02).u32(0);
  functions.forEach((f, i) => exports.name(f.name).byte(0x00).u32(i));
  const code = new Bytes().u32(functions.length);
  for (const f of functions) {
    const body = new Bytes();
    // Locals as runs of one type.
    const runs: [number, ValType][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    body.u32(runs.length);
    for (const [count, t] of runs) body.u32(count).byte(t);
    body.append(f.body).byte(Op.end);
    code.append(body.sized());
  }
  const segments = functions.flatMap((f) => (f.data === undefined ? [] : [f.data]));
  const data = new Bytes().u32(segments.length);
  // Active segments of memory 0: the offset as a constant expression, then the bytes.
  for (const s of segments) data.byte(0x00, Op.i32Const).s32(s.address).byte(Op.end).append(s.bytes.sized());
  return new Bytes()
    .byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)
    .append(section(1, types))
    .append(section(3, indices))
    .append(section(5, memory))
    .append(section(7, exports))
    .append(section(10, code))
    .append(section(11, data))
    .toUint8Array();
}
