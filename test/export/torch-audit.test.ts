import { describe, expect, test } from "vitest";
import { define } from "../../src/api/activation.js";
import { auditTorch, torchAuditText, type TorchAuditReport } from "../../src/audit/torch.js";
import { actdiff, json } from "../support/cli.js";

/**
 * `actdiff audit --lang torch`: the exported module under python3-torch, float64 and float32,
 * against the 40-digit reference, beside torch's built-in. Sparse sweeps (density 20): the
 * targets are the audit's, the full sweep is the CLI's default.
 */
const find = (r: TorchAuditReport, order: number, dtype: string, variant: string) =>
  r.measurements.find((m) => m.order === order && m.dtype === dtype && m.variant === variant)!;

describe("sigmoid", () => {
  const r = auditTorch(define("sigmoid"), { density: 20 });

  test("the export holds the float64 targets for f and f′, and is measured in float32 and for f″", () => {
    expect(r.pass).toBe(true);
    expect(r.builtin).toBe("lambda x: torch.sigmoid(x)");
    for (const order of [0, 1]) expect(find(r, order, "float64", "export").target).toBe("pass");
    expect(find(r, 0, "float32", "export").target).toBe("none");
    expect(find(r, 2, "float64", "export").max!.ulps).toBeLessThan(16);
  });

  test("beside torch's built-in, whose σ′ = σ(1 − σ) is 0 in the right tail where the truth is e^−x", () => {
    expect(find(r, 1, "float64", "export").max!.ulps).toBeLessThanOrEqual(4);
    expect(find(r, 1, "float64", "builtin").max!.ulps).toBeGreaterThan(1e6);
    expect(torchAuditText(r)).toContain("torch built-in");
  });
});

test("a user definition has no built-in column, and a user's own 'elu' is not compared with torch's", () => {
  const r = auditTorch(define("mish(x) = x * tanh(softplus(x))"), { density: 10 });
  expect(r.builtin).toBeUndefined();
  expect(r.measurements.every((m) => m.variant === "export")).toBe(true);
  expect(auditTorch(define("elu(x) = x > 0 ? x : 2 * (exp(x) - 1)"), { density: 5 }).builtin).toBeUndefined();
}, 120_000);

test("the CLI: audit relu --lang torch --json", () => {
  const r = actdiff("audit", "relu", "--lang", "torch", "--density", "10", "--json");
  expect(r.status).toBe(0);
  const out = json(r);
  expect(out.name).toBe("relu");
  expect(out.pass).toBe(true);
  expect(out.builtin).toBe("lambda x: torch.relu(x)");
}, 120_000);
