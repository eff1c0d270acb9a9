/** The survey's checklist: yes/no properties derived from the sheet, each with its reason. */
import { ZERO } from "../ast/build.js";
import type { Analysis, Tail } from "./analysis.js";
import { fmt, interval } from "./format.js";
import type { Checklist, ChecklistItem, MaxAbsGrad, Method, PropertyKey, PropertySheet, Range, SideSaturation, SmoothnessClass } from "./types.js";

export function checklist(a: Analysis, p: {
  range: Range; maxAbsGrad: MaxAbsGrad; deadZones: readonly unknown[]; moments: { mean: number; rms: number };
  saturation: { left: SideSaturation; right: SideSaturation }; smoothnessClass: SmoothnessClass; opCount: PropertySheet["opCount"];
}): Checklist {
  const derived = (from: PropertyKey[], detail: string): Method => ({ kind: "derived", detail, from });
  const item = (value: boolean, reason: string, method: Method): ChecklistItem => ({ value, reason, method });
  const affine = a.b.regions.every((r) => r.derivative(2) === ZERO) && (p.smoothnessClass === "Cinf" || /^C[1-9]/.test(p.smoothnessClass));
  const passing = [a.tails.left, a.tails.right].filter((t) => t.df !== undefined && Math.abs(t.df.value) >= 1);
  const sides = (ts: readonly Tail[]): string => ts.map((t) => (t.side < 0 ? "x → −∞" : "x → +∞")).join(" and ");
  const zeroBranches = a.b.regions.filter((r) => r.branch === ZERO);
  const { mean, rms } = p.moments;
  const ops = p.opCount.detail;
  const soft = (["left", "right"] as const).filter((s) => p.saturation[s].kind === "soft");
  return {
    nonLinear: item(!affine, affine ? "f is affine: every branch has f″ = 0 and f′ does not jump" : "f is not affine", { kind: "symbolic", detail: "f″ of every branch, and the jumps of f′ at breakpoints" }),
    differentiableAlmostEverywhere: item(true, a.bps.length === 0 ? "differentiable everywhere" : `differentiable except at ${a.bps.length} breakpoint${a.bps.length > 1 ? "s" : ""} (${a.bps.map((b) => fmt(b.x)).join(", ")})`, { kind: "symbolic", detail: "the breakpoints are finitely many; each branch is differentiable" }),
    mitigatesVanishingGradient: item(passing.length > 0, passing.length > 0 ? `|f′| → ${passing.map((t) => fmt(Math.abs(t.df!.value))).join(", ")} as ${sides(passing)}: the gradient passes undiminished there` : noPassingTail(a), derived(["asymptotes"], "lim |f′| ≥ 1 as x → −∞ or +∞")),
    avoidsExplodingGradient: item(p.maxAbsGrad.value <= 1 + 1e-12, `max |f′| = ${fmt(p.maxAbsGrad.value)}`, derived(["maxAbsGrad"], "max |f′| ≤ 1")),
    avoidsDeadNeurons: item(p.deadZones.length === 0, p.deadZones.length === 0 ? "f′ vanishes on no interval" : "f′ = 0 on a dead zone", derived(["deadZone"], "no dead zone")),
    nearZeroMean: item(Math.abs(mean) <= rms / 4, `E f(Z) = ${fmt(mean)}, √E f(Z)² = ${fmt(rms)} for Z ~ N(0, 1)`, derived(["meanUnderNormal"], "|E f(Z)| ≤ ¼·√E f(Z)²")),
    bothSigns: item(p.range.inf < 0 && p.range.sup > 0, `range from ${fmt(p.range.inf)} to ${fmt(p.range.sup)}`, derived(["range"], "inf < 0 < sup")),
    sparse: item(zeroBranches.length > 0, zeroBranches.length > 0 ? `f = 0 exactly on ${zeroBranches.map((r) => interval(r.lo, r.hi)).join(", ")}` : "f = 0 on no interval", { kind: "symbolic", detail: "branches that simplify to 0" }),
    softSaturation: item(soft.length > 0, soft.length > 0 ? `soft saturation on the ${soft.join(" and ")}` : "no soft saturation", derived(["saturation"], "soft saturation on some side")),
    cheap: item(ops.f.transcendental + ops.df.transcendental === 0,
      `f: ${ops.f.total} operations (${ops.f.transcendental} transcendental); f′: ${ops.df.total} (${ops.df.transcendental} transcendental)`,
      derived(["opCount"], "no transcendental call in f or f′")),
  };
}

/** Why neither side passes the gradient undiminished, side by side, saying only what is known. */
function noPassingTail(a: Analysis): string {
  const sides = [a.tails.left, a.tails.right].map((t) => {
    const where = t.side < 0 ? "x → −∞" : "x → +∞";
    if (t.df !== undefined) return `|f′| → ${t.df.how === "numeric" ? "≈ " : ""}${fmt(Math.abs(t.df.value))} as ${where}`;
    if (t.dfNoLimit !== undefined) return `f′ has no limit as ${where} (${t.dfNoLimit})`;
    return `the limit of f′ as ${where} was not found`;
  });
  return sides.join("; ");
}
