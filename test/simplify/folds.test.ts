import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { call, num } from "../../src/ast/build.js";
import * as Q from "../../src/ast/rational.js";
import { FN_NAMES } from "../../src/functions/names.js";
import { fnSpec } from "../../src/functions/table.js";
import { evaluateBig } from "../../src/numeric/evaluate.js";
import { agreeTo } from "../support/numeric.js";

/**
 * A builtin's exact fold (exp(0) = 1, clip(5, 0, 1) = 1, …) is a second implementation of the
 * function next to its evaluation: both live in the builtin's one table entry, and they must
 * agree wherever the fold gives an answer.
 */
const rationalArb = fc.oneof(
  fc.integer({ min: -6, max: 6 }).map((k) => Q.rational(BigInt(k))),
  fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: 1, max: 8 })).map(([n, d]) => Q.rational(BigInt(n), BigInt(d))),
  fc.constantFrom(Q.ZERO, Q.ONE, Q.rational(4n), Q.rational(9n, 4n), Q.rational(-1n)),
);

describe("exact folds agree with evaluation", () => {
  test.each([...FN_NAMES])("%s", (fn) => {
    const spec = fnSpec(fn);
    let folded = 0;
    fc.assert(fc.property(fc.array(rationalArb, { minLength: spec.arity, maxLength: spec.arity }), (args) => {
      const exact = spec.fold?.(args);
      if (exact === undefined) return;
      folded++;
      const want = evaluateBig(call(fn, args.map((a) => num(a))), new Map(), 50);
      const got = evaluateBig(exact, new Map(), 50);
      expect(agreeTo(got, want, 45, 1e-50), `${fn}(${args.map(Q.toString).join(", ")}) folds to ${got}, evaluates to ${want}`).toBe(true);
    }), { numRuns: 150 });
    if (spec.fold !== undefined) expect(folded, `${fn}: the fold never applied`).toBeGreaterThan(0);
  });

  test("clip(u, lo, hi) with lo > hi is hi (min(max(u, lo), hi), as torch.clamp)", () => {
    const fold = fnSpec("clip").fold!;
    expect(fold([Q.ONE, Q.rational(2n), Q.ZERO])).toBe(num(Q.ZERO));
    expect(fold([Q.rational(5n), Q.rational(2n), Q.ZERO])).toBe(num(Q.ZERO));
  });
});
