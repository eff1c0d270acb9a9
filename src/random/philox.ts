/**
 * Philox-4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC '11; the Random123 library), the counter-based generator behind cuRAND's and PyTorch's GPU
 * draws. Counter-based: a draw is a pure function of (key, counter), a keyed bijection of the
 * 128-bit counter, so element i of a kernel draws from counter offset + i and a kernel over a
 * chunk makes exactly the draws of the kernel over the whole array, with no state carried from
 * call to call and nothing to skip ahead.
 *
 * Written here because no npm package fits: random123 (1.0.0, its only version) has no
 * description or tests to rely on, and pure-rand, seedrandom and random-js are sequential
 * generators without access to draw i. Checked against Random123's known-answer vectors
 * (test/stochastic/generator.test.ts).
 */

// The round multipliers and the Weyl key increments of Philox-4x32.
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/**
 * The high 32 bits of the 64-bit product a·b of two uint32: in doubles, exactly, since each
 * partial product a·(b's 16-bit half) stays below 2^48.
 */
function mulhi(a: number, b: number): number {
  const low = a * (b & 0xffff);
  return Math.floor((a * (b >>> 16) + Math.floor(low / 0x10000)) / 0x10000);
}

/**
 * The 128-bit output for counter (c0, c1, c2, c3) and key (k0, k1), 32-bit words, little word
 * first as in Random123; written into `out`.
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}
