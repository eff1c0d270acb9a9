import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { auditVector, vectorAuditText } from "../../src/audit/vectors.js";

/** The audit of functions of vectors: every output held to max(4, 4κ) ulps of a 40-digit reference. */
describe.each(["softmax", "log_softmax", "logsumexp", "softmin", "maxout"])("%s", (name) => {
  test("within the bound on random, one-huge and all-equal vectors (short lengths; the CLI adds N = 1000)", () => {
    const r = auditVector(define(name), { lengths: [1, 2, 3, 10] });
    expect(r.rows.length).toBeGreaterThan(0);
    for (const row of r.rows) expect(row.pass, `${row.kind} N=${row.n} ${row.dtype}: ${row.maxUlps} ulps, bound ${row.worst.bound}`).toBe(true);
    expect(vectorAuditText(r)).toContain("every output within max(4, 4κ) ulps");
  });
});

test("a user's log of a softmax written with exp is finite at a vector with one huge entry (naively ∞/∞)", () => {
  const r = auditVector(define("f(x[]) = log(exp(x) / sum(exp(x)))"), { lengths: [2, 3] });
  expect(r.rows.every((row) => row.nonFinite === 0)).toBe(true);
});
