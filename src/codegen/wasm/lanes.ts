import type { Vec } from "../../functions/vector.js";
import { Bytes, Op, Simd } from "./encode.js";
import type { VectorEmitter } from "./emitter.js";

/**
 * Across the lanes of one vector, for the SIMD row kernels (row-printer.ts): each lane's place,
 * one lane in every lane, and a reduction's lanes combined into one value when a row's vector
 * part ends.
 */
const isF64 = (v: VectorEmitter): boolean => v.format.name === "float64";
const laneCount = (v: VectorEmitter): number => (isF64(v) ? 2 : 4);

/** 0, 1 (, 2, 3): each lane's place in a vector. */
export function laneOffsets(v: VectorEmitter): Vec {
  const bytes = new Bytes();
  for (let lane = 0; lane < laneCount(v); lane++) {
    const view = new DataView(new ArrayBuffer(8));
    if (isF64(v)) view.setFloat64(0, lane, true);
    else view.setFloat32(0, lane, true);
    bytes.byte(...new Uint8Array(view.buffer, 0, isF64(v) ? 8 : 4));
  }
  v.simd(Simd.const).code.append(bytes);
  return v.result();
}

/** Lane `lane` of a vector, in every lane. */
export function laneSplat(v: VectorEmitter, vec: Vec, lane: number): Vec {
  v.get(vec.vec).simd(isF64(v) ? Simd.f64x2ExtractLane : Simd.f32x4ExtractLane).code.byte(lane);
  return v.simd(isF64(v) ? Simd.f64x2Splat : Simd.f32x4Splat).result();
}

/** acc (one value in every lane) plus the sum of the lanes: (l0 + l1), or (l0 + l1) + (l2 + l3). */
export function sumOfLanes(v: VectorEmitter, acc: Vec, lanes: Vec): Vec {
  const [extract, add, splat] = isF64(v) ? [Simd.f64x2ExtractLane, Op.f64Add, Simd.f64x2Splat] : [Simd.f32x4ExtractLane, Op.f32Add, Simd.f32x4Splat];
  const at = (k: number): void => {
    v.get(lanes.vec).simd(extract).code.byte(k);
  };
  v.get(acc.vec).simd(extract).code.byte(0);
  at(0);
  at(1);
  v.code.byte(add);
  if (laneCount(v) === 4) {
    at(2);
    at(3);
    v.code.byte(add, add);
  }
  v.code.byte(add);
  return v.simd(splat).result();
}

/**
 * The best of the lanes' (value, position) pairs, each lane's the first best of its elements:
 * the first NaN, else the greatest (least, for "<") value, the earlier of equal ones — what one
 * pass over the elements in order finds (torch.max: the first maximal element; NaN propagates).
 */
export function bestOfLanes(v: VectorEmitter, op: ">" | "<", bests: Vec, positions: Vec): { best: Vec; position: Vec } {
  let best = laneSplat(v, bests, 0);
  let position = laneSplat(v, positions, 0);
  for (let lane = 1; lane < laneCount(v); lane++) {
    const [b, p] = [laneSplat(v, bests, lane), laneSplat(v, positions, lane)];
    const [aNaN, bNaN] = [v.ne(best, best), v.ne(b, b)];
    const earlier = v.lt(p, position);
    const better = op === ">" ? v.gt(b, best) : v.lt(b, best);
    const tie = v.and(v.eq(b, best), earlier);
    const takesB = v.or(v.and(bNaN, v.or(v.not(aNaN), earlier)), v.andNot(v.or(better, tie), v.or(aNaN, bNaN)));
    best = v.select(takesB, b, best);
    position = v.select(takesB, p, position);
  }
  return { best, position };
}
