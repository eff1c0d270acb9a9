import { LABELS, TARGET_ULPS, type AuditReport, type FunctionAudit, type Measurement, type PointError, type Side, type Variant } from "./audit.js";
import type { Region } from "./regions.js";
import { RANGE } from "./sweep.js";
import type { Dtype } from "./ulps.js";

/** Text, Markdown and JSON for audit reports. */

/** JSON has no NaN or ±Infinity: they travel as strings, as everywhere in the CLI. */
export function reportJson(r: object): object {
  return JSON.parse(JSON.stringify(r, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v))) as object;
}

/** Ulps as a reader wants them: exact when small, rounded when the digits are gone anyway. */
export function ulpsText(n: number): string {
  if (n < 1e4) return String(n);
  return n.toExponential(1).replace("e+", "e");
}

const num = (x: number, digits = 6): string => {
  if (x === 0) return "0";
  const a = Math.abs(x);
  const s = a >= 1e-3 && a < 1e6 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1).replace(/\.?0+e/, "e").replace("e+", "e");
  return s.replace(/^-/, "−");
};

const at = (e: PointError | null, x: string): string =>
  e === null ? "—" : `${ulpsText(e.ulps)} at ${x} = ${num(e.x)}${e.kappa !== undefined ? ` (κ = ${num(e.kappa, 3)})` : ""}`;

function find(f: FunctionAudit, dtype: Dtype, variant: Variant): Measurement | undefined {
  return f.measurements.find((m) => m.dtype === dtype && m.variant === variant);
}

function thresholdText(side: Side, sign: string, x: string): string[] {
  const out: string[] = [];
  if (side.overflow) out.push(`±∞ for ${x} ${sign} ${num(side.overflow.x)} (truth there ${side.overflow.expected})`);
  if (side.zero) out.push(`0 for ${x} ${sign} ${num(side.zero.x)} (truth there ${side.zero.expected})`);
  else if (side.underflow) out.push(`below the smallest normal for ${x} ${sign} ${num(side.underflow.x)} (truth there ${side.underflow.expected})`);
  return out;
}

/** Tail thresholds of one measurement, in words: "0 for x ≥ 36.74 (truth there 1.1e-16)". */
export function thresholds(m: Measurement, x = "x"): string {
  const parts = [...thresholdText(m.thresholds.negative, "≤", x), ...thresholdText(m.thresholds.positive, "≥", x)];
  return parts.join("; ");
}

/** The text report of `actdiff audit`. */
export function reportText(r: AuditReport): string {
  const lines: string[] = [];
  const params = Object.entries(r.params).map(([k, v]) => `${k} = ${v}`).join(", ");
  lines.push(`${r.name}${params ? ` (${params})` : ""}: ${r.pass ? "PASS" : "FAIL"}`);
  if (r.simdUnavailable !== undefined) lines.push(`simd: not audited, ${r.simdUnavailable}`);
  lines.push(
    `sweep: ${r.points.float64} float64 and ${r.points.float32} float32 inputs over [−${RANGE}, ${RANGE}]` +
      `${r.kinks.length ? `, both sides of the kinks at ${r.kinks.map((k) => num(k)).join(", ")}` : ""}; reference ≥ 40 digits (BigNumber); ${r.seconds.toFixed(1)} s`,
  );
  lines.push(
    `target: f and f′ within ${TARGET_ULPS.float64} ulps (float64) / ${TARGET_ULPS.float32} ulps (float32) where κ ≤ 1, max(that, 4κ) where κ > 1; ` +
      "no NaN or ±Infinity where the truth is finite. Ulps: representable values between the output and the truth rounded to the dtype.",
  );
  for (const f of r.functions) {
    lines.push("", `${f.label} = ${f.formula}`);
    if (f.stable !== f.formula) lines.push(`${" ".repeat(f.label.length)} → ${f.stable}   (generated code)`);
    const rows: string[][] = [];
    for (const m of f.measurements) {
      rows.push([
        `${m.dtype} ${m.variant}`,
        at(m.max, r.input),
        m.maxWellConditioned ? ulpsText(m.maxWellConditioned.ulps) : "—",
        String(m.overBound),
        String(m.nonFiniteCount),
        m.target,
      ]);
    }
    lines.push(table(["code", "max error", "κ ≤ 1", "over bound", "NaN/±∞", "target"], rows));
    const regions = r.regions.filter((g) => g.order === f.order);
    if (regions.length > 0) {
      lines.push(`regions of ${f.label} over its bound (max(${TARGET_ULPS.float64}, 4κ) ulps in float64, max(${TARGET_ULPS.float32}, 4κ) in float32) or NaN/±∞:`);
      lines.push(regionTable(regions, r.input));
    }
    for (const m of f.measurements) {
      const t = thresholds(m, r.input);
      if (t) lines.push(`  ${m.dtype} ${m.variant}: ${t}`);
      for (const p of m.nonFinite) lines.push(`  ${m.dtype} ${m.variant}: ${p.got} at ${r.input} = ${num(p.x)} where the truth is ${p.expected}`);
      if (m.nonFiniteCount > m.nonFinite.length) lines.push(`  … and ${m.nonFiniteCount - m.nonFinite.length} more`);
    }
  }
  return lines.join("\n");
}

/** The regions of one quantity: where, how bad, and the subexpression whose rounding causes it. */
export function regionTable(regions: readonly Region[], x = "x"): string {
  const rows = regions.map((g) => [
    `${g.dtype} ${g.variant}`,
    `[${num(g.from, 4)}, ${num(g.to, 4)}]`,
    `${Number.isFinite(g.worst.ulps) ? ulpsText(g.worst.ulps) : "NaN/±∞"} at ${x} = ${num(g.worst.x, 4)}${g.worst.kappa !== undefined ? ` (κ = ${num(g.worst.kappa, 3)})` : ""}`,
    g.blame === undefined ? "—" : `${g.blame.expr}   (${Number.isFinite(g.blame.localUlps) ? ulpsText(g.blame.localUlps) : "NaN/±∞"} ulps local)`,
  ]);
  return table(["code", "region", "worst", "blame"], rows);
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const length = (s: string): number => [...s].length;
  const width = headers.map((h, i) => Math.max(length(h), ...rows.map((r) => length(r[i] ?? ""))));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c + " ".repeat(width[i]! - length(c))).join("  ").trimEnd();
  return [line(headers), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** One cell of the catalog table: the largest error, and NaN/±∞ counts when there are any. */
function cell(m: Measurement | undefined): string {
  if (m === undefined) return "—";
  const parts = [m.max === null ? "—" : ulpsText(m.max.ulps)];
  if (m.nonFiniteCount > 0) parts.push(`${m.nonFiniteCount}× NaN/±∞`);
  return parts.join(", ");
}

/**
 * The catalog table for BENCHMARKS.md: per activation and order, the largest error in ulps of the
 * stable (generated) and the naive (formula as written) code, side by side, the verdict on the
 * target for the stable code, and where the naive code flushes to 0 or overflows too early.
 */
export function catalogMarkdown(reports: readonly AuditReport[]): string {
  const header = "| activation | | float64 stable | float64 naive | float32 stable | float32 naive | target (stable) | naive code, tails |";
  const rows = [header, "|---|---|--:|--:|--:|--:|---|---|"];
  for (const r of reports) {
    r.functions.forEach((f, i) => {
      const s64 = find(f, "float64", "stable");
      const verdicts = f.measurements.filter((m) => m.variant === "stable").map((m) => m.target);
      const target = verdicts.includes("none") ? "—" : verdicts.every((v) => v === "pass") ? "pass" : `**fail** (${f.measurements.filter((m) => m.variant === "stable" && m.target === "fail").map((m) => m.dtype).join(", ")})`;
      const naive = find(f, "float64", "naive");
      const tails = naive && s64 ? prematureTails(naive) : "";
      rows.push(`| ${i === 0 ? r.name : ""} | ${LABELS[f.order] ?? f.label} | ${cell(s64)} | ${cell(naive)} | ${cell(find(f, "float32", "stable"))} | ${cell(find(f, "float32", "naive"))} | ${target} | ${tails} |`);
    });
  }
  return rows.join("\n");
}

/**
 * The WebAssembly SIMD kernels' table: per activation and order, the largest error in ulps of
 * the SIMD kernels (float64 lanes; and float32 lanes for float32), next to the JavaScript
 * kernels' figures, and the verdicts on the target.
 */
export function simdMarkdown(reports: readonly AuditReport[]): string {
  const rows = [
    "| activation | | float64 simd | float64 JS | float32 simd | float32 simd, float32 lanes | float32 JS | target (simd) | target (float32 lanes) |",
    "|---|---|--:|--:|--:|--:|--:|---|---|",
  ];
  const verdict = (f: FunctionAudit, variant: Variant): string => {
    const ms = f.measurements.filter((m) => m.variant === variant);
    if (ms.length === 0 || ms.some((m) => m.target === "none")) return "—";
    const failed = ms.filter((m) => m.target === "fail").map((m) => m.dtype);
    return failed.length === 0 ? "pass" : `**fail** (${failed.join(", ")})`;
  };
  for (const r of reports) {
    if (r.simdUnavailable !== undefined) {
      rows.push(`| ${r.name} | | | | | | | ${r.simdUnavailable} | |`);
      continue;
    }
    r.functions.forEach((f, i) => {
      const cells = [
        cell(find(f, "float64", "simd")), cell(find(f, "float64", "stable")), cell(find(f, "float32", "simd")),
        cell(find(f, "float32", "simd32")), cell(find(f, "float32", "stable")), verdict(f, "simd"), verdict(f, "simd32"),
      ];
      rows.push(`| ${i === 0 ? r.name : ""} | ${LABELS[f.order] ?? f.label} | ${cells.join(" | ")} |`);
    });
  }
  return rows.join("\n");
}

/** Thresholds of the naive code where the truth there is still a normal number: lost, not rounded. */
function prematureTails(m: Measurement): string {
  const early = (side: Side, sign: string): string[] => {
    const out: string[] = [];
    const normal = (expected: string): boolean => Math.abs(Number(expected)) >= 2 ** -1022;
    if (side.zero && normal(side.zero.expected)) out.push(`0 for x ${sign} ${num(side.zero.x, 4)} (truth ${side.zero.expected})`);
    if (side.overflow && Number.isFinite(Number(side.overflow.expected))) out.push(`±∞ for x ${sign} ${num(side.overflow.x, 4)}`);
    return out;
  };
  return [...early(m.thresholds.negative, "≤"), ...early(m.thresholds.positive, "≥")].join("; ");
}
