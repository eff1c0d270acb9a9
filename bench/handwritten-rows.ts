/**
 * The hand-written baseline for functions of vectors: softmax, log_softmax, logsumexp and maxout
 * over [rows × n] arrays along the last axis, forward, backward (the vector–Jacobian product) and
 * fused — the loops a careful engineer writes: shift by the row's max, one exponential per element
 * (kept in a row of float64 scratch, so that a Float32Array kernel computes in float64 and rounds
 * once, on the store, as actdiff's do), the O(N) VJPs s⊙(g − ⟨g, s⟩) and g − softmax·Σg, and
 * maxout with the first maximal element of each group taking the gradient.
 *
 * The conventions are actdiff's, so that both compute the same thing: the shift is the max where
 * it is finite and 0 otherwise (a row of −∞ gives NaN, not a shift of −∞ − −∞); a NaN in a row or
 * a group propagates; each rounding is where actdiff's code puts it (e / S, not e · (1/S)), so that
 * float64 results agree bit for bit and float32 ones within an ulp of the store (bench/rows.ts
 * checks that before it times anything).
 *
 * bench/rows.ts imports this module once per element type (with a query string), so that each copy
 * of a loop only ever sees one kind of typed array, as actdiff's generated loops do.
 */
export type Arr = Float64Array | Float32Array;
export interface RowLoops {
  forward(x: Arr, out: Arr, n: number, k?: number): void;
  backward(x: Arr, gradOut: Arr, gradX: Arr, n: number, k?: number): void;
  fused(x: Arr, gradOut: Arr, out: Arr, gradX: Arr, n: number, k?: number): void;
}

let scratch = new Float64Array(0);
/** A float64 row of n elements, reused across calls. */
function row(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

/** The row's max, NaN if the row holds one (the first NaN wins and stays). */
function rowMax(x: Arr, o: number, n: number): number {
  let m = x[o]!;
  for (let k = 1; k < n; k++) {
    const v = x[o + k]!;
    if (v > m || (v !== v && m === m)) m = v;
  }
  return m;
}

/** The row's max and where it is first (a NaN wins and stays). */
function rowMaxAt(x: Arr, o: number, n: number): [number, number] {
  let m = x[o]!;
  let at = 0;
  for (let k = 1; k < n; k++) {
    const v = x[o + k]!;
    if (v > m || (v !== v && m === m)) { m = v; at = k; }
  }
  return [m, at];
}

/** R = Σ_(k ≠ at) exp(x_k − m): the sum of the exponentials without the max's own term. */
function restOfExps(x: Arr, o: number, n: number, m: number, at: number): number {
  let rest = 0;
  for (let k = 0; k < n; k++) rest += k === at ? 0 : Math.exp(x[o + k]! - m);
  return rest;
}

/** The same R from a row of exponentials already computed (expRow's). */
function restOfRow(e: Float64Array, n: number, at: number): number {
  let rest = 0;
  for (let k = 0; k < n; k++) rest += k === at ? 0 : e[k]!;
  return rest;
}

/** The shift: the max where it is finite, else 0 (so ±∞ and NaN rows give NaN, not a NaN shift). */
const shiftOf = (m: number): number => (Math.abs(m) <= Number.MAX_VALUE ? m : 0);

/** e_k = exp(x_k − m) into the scratch row; returns S = Σ e_k. */
function expRow(x: Arr, o: number, n: number, m: number, e: Float64Array): number {
  let s = 0;
  for (let k = 0; k < n; k++) {
    const v = Math.exp(x[o + k]! - m);
    e[k] = v;
    s += v;
  }
  return s;
}

// softmax_i = e_i / S;  VJP: s ⊙ (g − ⟨g, s⟩), with s_i = e_i / S.
function softmaxVjp(g: Arr, gradX: Arr, o: number, n: number, e: Float64Array, s: number): void {
  let dot = 0;
  for (let k = 0; k < n; k++) dot += (g[o + k]! * e[k]!) / s;
  for (let k = 0; k < n; k++) gradX[o + k] = (e[k]! * (g[o + k]! - dot)) / s;
}

const softmax: RowLoops = {
  forward(x, out, n) {
    const e = row(n);
    for (let o = 0; o < x.length; o += n) {
      const m = shiftOf(rowMax(x, o, n));
      const s = expRow(x, o, n, m, e);
      for (let k = 0; k < n; k++) out[o + k] = e[k]! / s;
    }
  },
  backward(x, g, gradX, n) {
    const e = row(n);
    for (let o = 0; o < x.length; o += n) {
      const s = expRow(x, o, n, shiftOf(rowMax(x, o, n)), e);
      softmaxVjp(g, gradX, o, n, e, s);
    }
  },
  fused(x, g, out, gradX, n) {
    const e = row(n);
    for (let o = 0; o < x.length; o += n) {
      const s = expRow(x, o, n, shiftOf(rowMax(x, o, n)), e);
      for (let k = 0; k < n; k++) out[o + k] = e[k]! / s;
      softmaxVjp(g, gradX, o, n, e, s);
    }
  },
};

// log_softmax_i = x_i − m − log1p(R), with R = Σ_{k ≠ a} e_k the sum without the max's own term
// (e_a = 1): log S = log1p(R) keeps the digits log(1 + R) loses when R is small (one dominant
// element). Where the max is not finite, x_i − m.  VJP: g − softmax · Σg.
const logSoftmax: RowLoops = {
  forward(x, out, n) {
    for (let o = 0; o < x.length; o += n) {
      const [m, at] = rowMaxAt(x, o, n);
      // No scratch: the exponentials are only summed.
      const rest = restOfExps(x, o, n, m, at);
      const logS = Math.log1p(rest);
      const finite = Math.abs(m) <= Number.MAX_VALUE;
      for (let k = 0; k < n; k++) out[o + k] = finite ? x[o + k]! - m - logS : x[o + k]! - m;
    }
  },
  backward(x, g, gradX, n) {
    const e = row(n);
    for (let o = 0; o < x.length; o += n) {
      const s = expRow(x, o, n, shiftOf(rowMax(x, o, n)), e);
      let sumG = 0;
      for (let k = 0; k < n; k++) sumG += g[o + k]!;
      for (let k = 0; k < n; k++) gradX[o + k] = g[o + k]! - (sumG * e[k]!) / s;
    }
  },
  fused(x, g, out, gradX, n) {
    const e = row(n);
    for (let o = 0; o < x.length; o += n) {
      const [m, at] = rowMaxAt(x, o, n);
      // One exponential per element serves both: R for the value, S for the VJP.
      const s = expRow(x, o, n, shiftOf(m), e);
      const rest = restOfRow(e, n, at);
      const logS = Math.log1p(rest);
      const finite = Math.abs(m) <= Number.MAX_VALUE;
      let sumG = 0;
      for (let k = 0; k < n; k++) sumG += g[o + k]!;
      for (let k = 0; k < n; k++) {
        out[o + k] = finite ? x[o + k]! - m - logS : x[o + k]! - m;
        gradX[o + k] = g[o + k]! - (sumG * e[k]!) / s;
      }
    }
  },
};

// logsumexp = m + log1p(R) (one output per row; m where the max is not finite);  VJP: g · softmax.
const logsumexp: RowLoops = {
  forward(x, out, n) {
    for (let o = 0, r = 0; o < x.length; o += n, r++) {
      const [m, at] = rowMaxAt(x, o, n);
      const rest = restOfExps(x, o, n, m, at);
      out[r] = Math.abs(m) <= Number.MAX_VALUE ? m + Math.log1p(rest) : m;
    }
  },
  backward(x, g, gradX, n) {
    const e = row(n);
    for (let o = 0, r = 0; o < x.length; o += n, r++) {
      const s = expRow(x, o, n, shiftOf(rowMax(x, o, n)), e);
      const gr = g[r]!;
      for (let k = 0; k < n; k++) gradX[o + k] = (gr * e[k]!) / s;
    }
  },
  fused(x, g, out, gradX, n) {
    const e = row(n);
    for (let o = 0, r = 0; o < x.length; o += n, r++) {
      const [m, at] = rowMaxAt(x, o, n);
      const s = expRow(x, o, n, shiftOf(m), e);
      const rest = restOfRow(e, n, at);
      out[r] = Math.abs(m) <= Number.MAX_VALUE ? m + Math.log1p(rest) : m;
      const gr = g[r]!;
      for (let k = 0; k < n; k++) gradX[o + k] = (gr * e[k]!) / s;
    }
  },
};

// maxout: out_j = max of group j (k elements); the gradient goes to the group's first maximal
// element (a NaN wins and stays, as the max propagates it). Groups never straddle rows (k | n), so
// the loops run over the flat array.
const maxout: RowLoops = {
  forward(x, out, _n, k = 2) {
    for (let j = 0, o = 0; o < x.length; j++, o += k) {
      let m = x[o]!;
      for (let t = 1; t < k; t++) {
        const v = x[o + t]!;
        if (v > m || (v !== v && m === m)) m = v;
      }
      out[j] = m;
    }
  },
  backward(x, g, gradX, _n, k = 2) {
    for (let j = 0, o = 0; o < x.length; j++, o += k) {
      let m = x[o]!;
      let at = 0;
      for (let t = 1; t < k; t++) {
        const v = x[o + t]!;
        if (v > m || (v !== v && m === m)) { m = v; at = t; }
      }
      for (let t = 0; t < k; t++) gradX[o + t] = 0;
      gradX[o + at] = g[j]!;
    }
  },
  fused(x, g, out, gradX, _n, k = 2) {
    for (let j = 0, o = 0; o < x.length; j++, o += k) {
      let m = x[o]!;
      let at = 0;
      for (let t = 1; t < k; t++) {
        const v = x[o + t]!;
        if (v > m || (v !== v && m === m)) { m = v; at = t; }
      }
      out[j] = m;
      for (let t = 0; t < k; t++) gradX[o + t] = 0;
      gradX[o + at] = g[j]!;
    }
  },
};

export const HANDWRITTEN_ROWS = { softmax, log_softmax: logSoftmax, logsumexp, maxout } as const satisfies Record<string, RowLoops>;
export type RowName = keyof typeof HANDWRITTEN_ROWS;
