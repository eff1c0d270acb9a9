import { describe, expect, test } from "vitest";
import * as Q from "../../src/ast/rational.js";
import { catalogScope } from "../../src/catalog/catalog.js";
import { postorder } from "../../src/ast/walk.js";
import { expandDerivatives } from "../../src/diff/diff.js";
import { reliableValue } from "../../src/numeric/evaluate.js";
import { readClaim } from "../../src/verify/claims.js";
import { verifyClaim } from "../../src/verify/verify.js";
import { errorOf } from "../support/errors.js";

/**
 * Claims in index notation as papers write them: elements a_j read in a sum over k, the
 * Kronecker delta by any spelling, conditions on the indices inside a cases form (`i == j`
 * compares indices, not numbers) and after `for` (the case a claim is stated for). Each
 * counterexample is recomputed here from the claim's own sides.
 */
const verify = (claim: string) => verifyClaim(claim, catalogScope);

describe("proved for every length N", () => {
  test.each<[string, string]>([
    ["diff(exp(a_i) / sum(exp(a_k), k), a_j) = exp(a_i) / sum(exp(a_k), k) * (delta(i, j) - exp(a_j) / sum(exp(a_k), k))",
      "softmax written out, its elements a_k read in the sum over k"],
    ["delta(i, j) = {1 if i == j, 0 otherwise}", "the Kronecker delta's definition: i == j compares indices"],
    ["δ_ij = i != j ? 0 : 1", "the same with δ_ij and i != j"],
    ["delta_ij = delta(j, i)", "delta is symmetric"],
    ["diff(softmax(x)_i, x_j) = {softmax(x)_i * (1 - softmax(x)_j) if i == j, -softmax(x)_j * softmax(x)_i otherwise}", "the cases form of D_j S_i"],
  ])("%s  (%s)", (claim) => {
    const r = verify(claim);
    expect([r.verdict, r.method]).toEqual(["proved", "symbolic"]);
    expect(r.detail).toMatch(/^proved for every length N/);
  });
});

describe("`for` states the case of the indices", () => {
  test("a step right only when i ≠ j is proved in that case", () => {
    const r = verify("diff(softmax(x)_i, x_j) = -softmax(x)_i * softmax(x)_j for i != j");
    expect(r.verdict).toBe("proved");
    expect(r.detail).toBe("proved for every length N in the case i ≠ j (exp-rational), with the rest of every sum and max an unknown");
  });

  test("… and when i = j", () => {
    expect(verify("diff(softmax(x)_i, x_j) = softmax(x)_i * (1 - softmax(x)_j) for i == j").verdict).toBe("proved");
  });

  test("a claim wrong in its stated case is refuted there", () => {
    const r = verify("diff(softmax(x)_i, x_j) = softmax(x)_i * (1 - softmax(x)_j) for i != j");
    expect(r.verdict).toBe("refuted");
    expect(r.counterexample!.at.i).not.toBe(r.counterexample!.at.j);
  });

  test("the condition is kept apart from a parameter's domain", () => {
    expect(readClaim("diff(softmax(x)_i, x_j) = 0 for i != j", catalogScope).domain.size).toBe(0);
  });

  test("a name compared with an index must be an index of the claim", () => {
    const e = errorOf(() => readClaim("diff(softmax(x)_i, x_j) = 0 for k != j", catalogScope));
    expect([e.code, e.summary, e.span?.column, e.span?.length]).toEqual(["E_USAGE", "'k' is compared with an index here, but it is not an index of the claim", 33, 6]);
  });
});

describe("refuted with a concrete vector, and where the claim does hold", () => {
  test("σ_i(1 − σ_j) for every i, j: wrong at i ≠ j, proved at i = j", () => {
    const claim = "diff(softmax(x)_i, x_j) = softmax(x)_i * (1 - softmax(x)_j)";
    const r = verify(claim);
    expect(r.verdict).toBe("refuted");
    expect(r.detail).toMatch(/\(i ≠ j\); it holds only in the case i = j \(proved there\)$/);
    // The counterexample, recomputed from the claim's sides at the reported vector and indices.
    const { left, right } = readClaim(claim, catalogScope);
    const at = r.counterexample!.at;
    const x = Object.keys(at).filter((k) => k.startsWith("x_")).sort().map((k) => Q.fromNumber(at[k]!));
    const point = { vectors: new Map([["x", x]]), indices: new Map([["i", at.i!], ["j", at.j!]]) };
    const [l, rr] = [left, right].map((e) => reliableValue(expandDerivatives(e), new Map(), 30, point)!.value.toNumber());
    expect(l).toBeCloseTo(Number(r.counterexample!.lhs), 12);
    expect(rr).toBeCloseTo(Number(r.counterexample!.rhs), 12);
    expect(Math.abs(l! - rr!)).toBeGreaterThan(0.1);
  });
});

describe("evidence is counted, and every scalar name of a vector claim has a value", () => {
  test("a scalar next to a vector is held at 2 (not left without a value): maxout commutes with adding c", () => {
    const r = verify("maxout(z + c)_i = maxout(z)_i + c");
    expect(r.verdict).toBe("verified");
    expect(r.points).toBeGreaterThan(0);
    expect(r.detail).toMatch(/on [1-9]\d* vectors/);
  });

  test("… and a wrong factor on it is refuted, with c in the counterexample", () => {
    const r = verify("maxout(z + c)_i = maxout(z)_i + 2 * c");
    expect(r.verdict).toBe("refuted");
    expect(r.counterexample?.at.c).toBe(2);
  });

  test("agreement on no vector at all is undecided, never verified", () => {
    const r = verify("maxout(z)_i = z[i + 9]");
    expect(r.verdict).toBe("undecided");
    expect(r.detail).toMatch(/nothing was compared/);
  });
});

describe("indices are told from numbers by how a name is used", () => {
  const stated = "diff(maxout(z)_i, z_j) = delta(j, k * i + argmax(z[k * i + t], t, 0, k))";

  test("a name that only scales an index (maxout's group size k in k·i) is a number; i, j and t are indices", () => {
    const claim = readClaim(stated, catalogScope);
    const named = (kind: "idx" | "sym"): string[] => postorder(claim.right).flatMap((n) => (n.kind === kind ? [n.name] : []));
    expect(named("sym")).toContain("k");
    expect(new Set(named("idx"))).toEqual(new Set(["i", "j", ...named("idx").filter((n) => n.startsWith("§"))]));
    const r = verify(stated);
    expect(r.verdict).toBe("verified");
  });

  test("a wrong group range is refuted with k held at a value, shown in the counterexample", () => {
    const r = verify(stated.replace("0, k))", "0, k + 1))"));
    expect(r.verdict).toBe("refuted");
    expect(r.counterexample?.at.k).toBe(2);
    expect(Object.keys(r.counterexample?.at ?? {})).not.toContain("z[j]");
  });

  test("a product of names none of which is an index elsewhere stays all indices (x[a * b])", () => {
    const claim = readClaim("x[a * b] = x[b * a]", catalogScope);
    expect(postorder(claim.left).flatMap((n) => (n.kind === "idx" ? [n.name] : [])).sort()).toEqual(["a", "b"]);
    expect(verify("x[a * b] = x[b * a]").verdict).not.toBe("refuted");
  });
});
