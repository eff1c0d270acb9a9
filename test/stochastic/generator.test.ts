import { describe, expect, test } from "vitest";
import { checkedState, fillDraws } from "../../src/random/draws.js";
import { philox4x32 } from "../../src/random/philox.js";
import { errorOf } from "../support/errors.js";

/**
 * The generator behind training mode: Philox-4x32-10, keyed by the seed, one counter per
 * element. Its words are checked against the reference implementation's published answers;
 * the rest are the laws training relies on: a draw depends only on (seed, stream, counter).
 */

/** The exact bits of an array of doubles, so that -0 ≠ 0 and NaNs compare by payload. */
const bits = (a: Float64Array | Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");

const uniforms = (seed: number, n: number, offset = 0, stream = 0): Float64Array => {
  const out = new Float64Array(n);
  fillDraws(out, "uniform", [0, 1], { seed, offset }, stream);
  return out;
};

describe("Philox-4x32-10", () => {
  // Random123's tests/kat_vectors, the three `philox4x32 10` lines: counter (4 words), key (2 words) → output (4 words).
  test.each([
    [[0x00000000, 0x00000000, 0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ])("Random123's known answer for counter %j, key %j", (counter, key, expected) => {
    const out = new Uint32Array(4);
    philox4x32(counter[0]!, counter[1]!, counter[2]!, counter[3]!, key[0]!, key[1]!, out);
    expect([...out]).toEqual(expected);
  });
});

describe("draws are a function of (seed, stream, offset + i) alone", () => {
  test("the same seed gives the same draws, bit for bit", () => {
    expect(bits(uniforms(7, 1000))).toBe(bits(uniforms(7, 1000)));
  });

  test("a chunk with its offset draws what the whole array draws there", () => {
    const whole = uniforms(7, 1000);
    expect(bits(uniforms(7, 500, 0))).toBe(bits(whole.subarray(0, 500)));
    expect(bits(uniforms(7, 500, 500))).toBe(bits(whole.subarray(500)));
    expect(bits(uniforms(7, 1, 999))).toBe(bits(whole.subarray(999)));
  });

  test("across the counter's 32-bit boundary, and at the last counters below 2^53", () => {
    const across = uniforms(3, 4, 2 ** 32 - 2);
    expect(bits(uniforms(3, 1, 2 ** 32 + 1))).toBe(bits(across.subarray(3)));
    expect(new Set(across).size).toBe(4);
    const last = uniforms(3, 2, 2 ** 53 - 2);
    expect(bits(uniforms(3, 1, 2 ** 53 - 1))).toBe(bits(last.subarray(1)));
  });

  test("different seeds, and different streams of one seed, draw differently", () => {
    const a = uniforms(7, 1000);
    for (const other of [uniforms(8, 1000), uniforms(7, 1000, 0, 1), uniforms(2 ** 40 + 7, 1000)]) {
      expect(other.some((u, i) => u === a[i])).toBe(false);
    }
  });

  test("uniforms have 53 random bits: multiples of 2^-53 in [0, 1), the low bits used", () => {
    const u = uniforms(11, 10000);
    expect(u.every((v) => v >= 0 && v < 1 && Number.isInteger(v * 2 ** 53))).toBe(true);
    // A float from 32 bits would leave the low 21 bits of every draw zero.
    expect(u.filter((v) => (v * 2 ** 53) % 2 === 1).length).toBeGreaterThan(4500);
  });

  test("a Float32Array holds each draw rounded once from its float64 value", () => {
    const f32 = new Float32Array(100);
    fillDraws(f32, "normal", [0, 1], { seed: 5 }, 0);
    const f64 = new Float64Array(100);
    fillDraws(f64, "normal", [0, 1], { seed: 5 }, 0);
    expect([...f32]).toEqual([...f64].map(Math.fround));
  });
});

describe("the generator's state is checked", () => {
  test.each<[unknown, number, string]>([
    [{ seed: -1 }, 10, "the seed must be an integer from 0 to 2^53 − 1, not -1"],
    [{ seed: 1.5 }, 10, "the seed must be an integer from 0 to 2^53 − 1, not 1.5"],
    [{ seed: 2 ** 53 }, 10, "the seed must be an integer from 0 to 2^53 − 1, not 9007199254740992"],
    [{ seed: 1, offset: -3 }, 10, "the offset must be an integer from 0 with offset + n ≤ 2^53, not -3 (n = 10)"],
    [{ seed: 1, offset: 2 ** 53 - 5 }, 10, "the offset must be an integer from 0 with offset + n ≤ 2^53, not 9007199254740987 (n = 10)"],
    [7, 10, "a training kernel takes its generator's state { seed, offset? } after the arrays"],
  ])("%j for %i elements: %s", (state, n, summary) => {
    const err = errorOf(() => checkedState(state as never, n));
    expect([err.code, err.summary]).toEqual(["E_USAGE", summary]);
  });
});
