import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { define, parse } from "../../src/index.js";
import * as Q from "../../src/ast/rational.js";
import { audit, ulpBound, type AuditReport, type Measurement } from "../../src/audit/audit.js";
import { catalogMarkdown, reportJson, reportText } from "../../src/audit/format.js";
import { referenceValue } from "../../src/numeric/reference.js";
import { FIXED_POINTS, RANGE, sweepPoints, sweepPoints32 } from "../../src/audit/sweep.js";
import { nextDown, nextUp, nextUp32, ulpDistance } from "../../src/audit/ulps.js";

/**
 * The audit itself: its ulp arithmetic, its sweep, its reference (which must not trust a zero
 * reached through cancellation), and what it finds on functions whose failures are known —
 * 1 − σ(x) is 0 from x = 36.7368 on and 1 − tanh²(x) from |x| = 18.715 on — with few points,
 * so that it runs in CI.
 */
const DENSITY = 12;

const find = (r: AuditReport, order: number, dtype: "float64" | "float32", variant: "stable" | "naive"): Measurement =>
  r.functions.find((f) => f.order === order)!.measurements.find((m) => m.dtype === dtype && m.variant === variant)!;

describe("ulps", () => {
  test("neighbours are 1 apart, across zero too, and −0 is +0", () => {
    expect(ulpDistance(1, nextUp(1), "float64")).toBe(1);
    expect(ulpDistance(nextDown(1), nextUp(1), "float64")).toBe(2);
    expect(ulpDistance(-Number.MIN_VALUE, Number.MIN_VALUE, "float64")).toBe(2);
    expect(ulpDistance(-0, 0, "float64")).toBe(0);
    expect(ulpDistance(1, nextUp32(1), "float32")).toBe(1);
    expect(ulpDistance(1, 2, "float32")).toBe(2 ** 23);
    expect(ulpDistance(1, 2, "float64")).toBe(2 ** 52);
  });

  test("the bound: base ulps where κ ≤ 1, 4κ beyond", () => {
    expect(ulpBound("float64", 0.5)).toBe(4);
    expect(ulpBound("float32", 0.5)).toBe(2);
    expect(ulpBound("float64", 10)).toBe(40);
    expect(ulpBound("float32", undefined)).toBe(2);
  });
});

describe("the sweep", () => {
  const points = sweepPoints({ density: DENSITY, kinks: [6] });

  test("sorted, distinct, within the range, with the named points and both sides of each kink", () => {
    expect(points).toEqual([...new Set(points)].sort((a, b) => a - b));
    expect(points.every((p) => Math.abs(p) <= RANGE)).toBe(true);
    for (const p of FIXED_POINTS) expect(points).toContain(p);
    for (const p of [6, nextUp(6), nextDown(6), 6 - 1e-3, 6 + 1e-3]) expect(points).toContain(p);
  });

  test("reproducible: the same seed gives the same points", () => {
    expect(sweepPoints({ density: DENSITY, seed: 7 })).toEqual(sweepPoints({ density: DENSITY, seed: 7 }));
  });

  test("float32 inputs are float32 values", () => {
    expect(sweepPoints32(points, [6]).every((p) => Math.fround(p) === p)).toBe(true);
  });
});

describe("the reference", () => {
  const at = (source: string, x: number) => referenceValue(parse(source).body, new Map([["x", Q.fromNumber(x)]]));

  test("1 − σ(300) is 3.1e-131, not the 0 that 60 and 120 digits give", () => {
    expect(at("1 - sigmoid(x)", 300)!.toSignificantDigits(5).toString()).toBe("5.1482e-131");
  });

  test("log(1 − σ(300)) is −300, not log(0)", () => {
    expect(at("log(1 - sigmoid(x))", 300)!.toSignificantDigits(10).toNumber()).toBe(-300);
  });

  test("a true zero stays 0, and an undefined value is NaN", () => {
    expect(at("x > 0 ? x : 0", -1)!.isZero()).toBe(true);
    expect(at("log(x)", -1)!.isNaN()).toBe(true);
  });
});

describe("audit", () => {
  const sigmoid = audit(define("sigmoid"), { density: DENSITY });

  test("sigmoid passes; 1 − σ in the naive f′ is 0 from x = 36.7368 on, where the truth is 1.1e-16", () => {
    expect(sigmoid.pass).toBe(true);
    const naive = find(sigmoid, 1, "float64", "naive");
    expect(naive.target).toBe("fail");
    expect(naive.thresholds.positive.zero!.x).toBeCloseTo(36.7368005696771, 10);
    expect(Number(naive.thresholds.positive.zero!.expected)).toBeCloseTo(1.11e-16, 18);
    const stable = find(sigmoid, 1, "float64", "stable");
    expect(stable.max!.ulps).toBeLessThanOrEqual(4);
    expect(stable.nonFiniteCount).toBe(0);
    // The stable σ′ = e/(1 + e)² flushes to 0 only where the truth is below the smallest subnormal.
    expect(Number(stable.thresholds.positive.zero!.expected)).toBeLessThanOrEqual(Number.MIN_VALUE);
  });

  test("the simd rows measure what the SIMD kernels compute: their own stable form, for vector lanes", () => {
    // xwish′ in scalar code is a reduced arctangent; the SIMD kernel calls the vector atan_tail.
    const r = audit(define("xwish"), { density: DENSITY, orders: [1], dtypes: ["float64"], variants: ["simd"] });
    const simd = r.functions[0]!.measurements[0]!;
    const kernel = define("xwish").derivative().kernel({ simd: true });
    const x = new Float64Array([simd.max!.x]);
    const out = new Float64Array(1);
    kernel(x, out);
    const truth = referenceValue(define("xwish").derivative().expr, new Map([["x", Q.fromNumber(simd.max!.x)], ["beta", Q.ONE]]))!.toNumber();
    expect(ulpDistance(out[0]!, truth, "float64")).toBe(simd.max!.ulps);
  });

  test("the report names the formula and the generated form", () => {
    const f1 = sigmoid.functions[1]!;
    expect([f1.label, f1.formula, f1.stable]).toEqual(["f′", "sigmoid(x) * (1 - sigmoid(x))", "x < -40 ? exp(x) / (1 + exp(x))^2 : exp(-x) / (1 + exp(-x))^2"]);
    expect(reportText(sigmoid)).toContain("→ x < -40 ? exp(x) / (1 + exp(x))^2 : exp(-x) / (1 + exp(-x))^2");
  });

  test("tanh′: the naive 1 − tanh² is 0 for |x| ≥ 18.715 on both sides (where tanh rounds to ±1)", () => {
    const r = audit(define("tanh"), { density: DENSITY, orders: [1], dtypes: ["float64"] });
    const naive = find(r, 1, "float64", "naive");
    expect(naive.thresholds.positive.zero!.x).toBeCloseTo(18.714973875118524, 9);
    expect(naive.thresholds.negative.zero!.x).toBeCloseTo(-18.714973875118524, 9);
    expect(find(r, 1, "float64", "stable").target).toBe("pass");
  });

  test("NaN or ±Infinity where the truth is finite fails the target: log(cosh(x)) overflows past 710", () => {
    const r = audit(define("log(cosh(x))"), { density: DENSITY, orders: [0] });
    const m = find(r, 0, "float64", "stable");
    expect(r.pass).toBe(false);
    expect(m.target).toBe("fail");
    expect(m.nonFiniteCount).toBeGreaterThan(0);
    expect(m.nonFinite.every((p) => Math.abs(p.x) > 710 && p.got === Infinity)).toBe(true);
    expect(m.thresholds.positive.overflow!.x).toBeCloseTo(710.4758600739439, 9);
  });

  test("parameters: elu with alpha = 2 is measured with alpha = 2", () => {
    const r = audit(define("elu"), { density: DENSITY, params: { alpha: 2 }, orders: [0], dtypes: ["float64"] });
    expect(r.params).toEqual({ alpha: 2 });
    expect(r.kinks).toEqual([0]);
    expect(find(r, 0, "float64", "stable").max!.ulps).toBeLessThanOrEqual(4);
    expect(find(r, 0, "float64", "naive").target).toBe("fail"); // alpha·(exp(x) − 1) near 0⁻
  });

  test("JSON carries ±Infinity and NaN as strings; the catalog table has a row per order", () => {
    const r = audit(define("log(cosh(x))"), { density: DENSITY, orders: [0], dtypes: ["float64"] });
    expect(JSON.stringify(reportJson(r))).toContain('"got":"Infinity"');
    const table = catalogMarkdown([sigmoid]).split("\n");
    expect(table).toHaveLength(2 + 3);
    expect(table[3]).toMatch(/^\|  \| f′ \| \d \|/);
  });
});

describe("actdiff audit", () => {
  const ROOT = fileURLToPath(new URL("../..", import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "audit", ...args], { cwd: ROOT, encoding: "utf8" });

  test("--json: one object; exit 0 when the targets hold", () => {
    const r = run("softsign", "--density", "8", "--json");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.name).toBe("softsign");
    expect(report.pass).toBe(true);
    expect(report.functions.map((f: { label: string }) => f.label)).toEqual(["f", "f′", "f″"]);
  });

  test("--simd: the SIMD kernels' rows, in both lane formats, and the reason where there are none", () => {
    const r = run("elu", "--density", "8", "--simd");
    expect(r.status).toBe(0);
    for (const row of ["float64 simd", "float32 simd", "float32 simd32"]) expect(r.stdout).toContain(row);
    const x = run("x * erf(x)", "--density", "4", "--simd");
    expect(x.stdout).toContain("simd: not audited, no WebAssembly SIMD form for erf()");
  });

  test("exit 1 when a target fails, 2 without a definition", () => {
    expect(run("log(cosh(x))", "--density", "8").status).toBe(1);
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("audit needs a definition or --catalog");
  });
});
