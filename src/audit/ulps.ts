/**
 * Floating-point formats as the audit sees them: rounding a reference to the format, the
 * smallest normal number, and the distance between two values in units in the last place,
 * counted as the number of representable values between them (0 = equal, 1 = neighbours).
 */
export type Dtype = "float64" | "float32";
export const DTYPES: readonly Dtype[] = ["float64", "float32"];

export interface Format {
  readonly name: Dtype;
  /** Rounds a double to the nearest value of the format (identity for float64). */
  readonly round: (x: number) => number;
  readonly smallestNormal: number;
  readonly largest: number;
}

export const FORMATS: Record<Dtype, Format> = {
  float64: { name: "float64", round: (x) => x, smallestNormal: 2 ** -1022, largest: Number.MAX_VALUE },
  float32: { name: "float32", round: Math.fround, smallestNormal: 2 ** -126, largest: 3.4028234663852886e38 },
};

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/**
 * The position of x on the line of representable values: bit patterns are monotone in the
 * magnitude, so negatives mirror positives and −0 and +0 share position 0.
 */
function ordinal64(x: number): bigint {
  f64[0] = x;
  const bits = i64[0]!;
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

function ordinal32(x: number): number {
  f32[0] = x;
  const bits = i32[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** Number of representable values of the format from a to b (both already in the format). */
export function ulpDistance(a: number, b: number, dtype: Dtype): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === b) return 0;
  if (dtype === "float32") return Math.abs(ordinal32(a) - ordinal32(b));
  const d = ordinal64(a) - ordinal64(b);
  return Number(d < 0n ? -d : d);
}

/** The next representable value above x (float64). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = i64[0]! + (x > 0 ? 1n : -1n);
  return f64[0]!;
}

/** The next representable value below x (float64). */
export const nextDown = (x: number): number => -nextUp(-x);

/** The next float32 above and below x (x a float32 value). */
export function nextUp32(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return 2 ** -149;
  f32[0] = x;
  i32[0] = i32[0]! + (x > 0 ? 1 : -1);
  return f32[0]!;
}
export const nextDown32 = (x: number): number => -nextUp32(-x);
