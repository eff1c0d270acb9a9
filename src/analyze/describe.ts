import { fmt } from "./format.js";
import type { Breakpoint, Checklist, Extended, Method, PropertyKey, PropertySheet, SideSaturation } from "./types.js";

/**
 * The sheet as rows a reader can scan: a label, the value in words and symbols, and how it was
 * established. The command line prints these; a documentation page can render them as a table.
 */
export interface SheetRow {
  readonly key: PropertyKey;
  readonly label: string;
  readonly value: string;
  readonly method: Method;
}

export interface ChecklistRow {
  readonly key: keyof Checklist;
  readonly label: string;
  readonly value: boolean;
  readonly reason: string;
  readonly method: Method;
}

const LABELS: { readonly [K in PropertyKey]: string } = {
  f0: "f(0)",
  df0: "f′(0)",
  range: "range",
  monotonic: "monotonic",
  extrema: "local extrema",
  symmetry: "symmetry",
  zeroCentred: "zero-centred",
  saturation: "saturation",
  maxAbsGrad: "max |f′|",
  deadZone: "dead zone",
  smoothness: "smoothness",
  lipschitz: "Lipschitz constant",
  asymptotes: "asymptotes",
  opCount: "operations (f, f′, both)",
  universalApproximation: "universal approximation",
  meanUnderNormal: "E f(Z), Z ~ N(0,1)",
};

const CHECKLIST_LABELS: { readonly [K in keyof Checklist]: string } = {
  nonLinear: "non-linear",
  differentiableAlmostEverywhere: "differentiable almost everywhere",
  mitigatesVanishingGradient: "mitigates vanishing gradients",
  avoidsExplodingGradient: "avoids exploding gradients",
  avoidsDeadNeurons: "avoids dead neurons",
  nearZeroMean: "near zero-mean",
  bothSigns: "outputs of both signs",
  sparse: "sparse",
  softSaturation: "soft saturation",
  cheap: "cheap to compute",
};

export function describeSheet(s: PropertySheet): SheetRow[] {
  const values: { readonly [K in PropertyKey]: string } = {
    f0: fmt(s.f0),
    df0: fmt(s.df0),
    range: `${rangeText(s)}${s.range.boundedAbove && s.range.boundedBelow ? ", bounded" : s.range.boundedBelow ? ", bounded below" : s.range.boundedAbove ? ", bounded above" : ", unbounded"}`,
    monotonic: `${s.monotonic ? `yes${s.monotonicDirection ? ` (${s.monotonicDirection === "increasing" ? "non-decreasing" : "non-increasing"})` : " (constant)"}` : "no"}${observedText(s.method.monotonic)}`,
    extrema: `${s.extrema.length === 0 ? "none" : s.extrema.map((e) => `${e.kind} ${fmt(e.value)} at x = ${fmt(e.x)}`).join("; ")}${observedText(s.method.extrema)}`,
    symmetry: s.symmetry === null ? (s.method.symmetry.undecided !== undefined ? `none found; not established (${s.method.symmetry.undecided})` : "none found") : typeof s.symmetry === "string" ? s.symmetry : `point-symmetric about (${fmt(s.symmetry.point[0])}, ${fmt(s.symmetry.point[1])})`,
    zeroCentred: s.zeroCentred ? "yes" : "no",
    saturation: `left ${sideText(s.saturation.left)}, right ${sideText(s.saturation.right)}`,
    maxAbsGrad: `${fmt(s.maxAbsGrad.value)} ${atText(s.maxAbsGrad.at)}${s.maxAbsGrad.attained ? "" : " (not attained)"}`,
    deadZone: s.deadZones.length === 0 ? "none" : s.deadZones.map((z, i) => `f′ = 0 on ${deadZoneText(z, s.deadZoneClosed[i]!)}`).join(", "),
    smoothness: `${classText(s.smoothness.class)}${s.smoothness.breakpoints.map((b) =>
      `; at x = ${fmt(b.x)}: ${continuity(b)}, f′ ${fmt(b.leftDerivative)} | ${fmt(b.rightDerivative)}, ${classText(b.class)}`).join("")}`,
    lipschitz: fmt(s.lipschitz),
    asymptotes: `x → −∞: ${s.asymptotes.left.text}; x → +∞: ${s.asymptotes.right.text}`,
    opCount: `${s.opCount.f}, ${s.opCount.df}, ${s.opCount.both} (transcendental: ${s.opCount.detail.f.transcendental}, ${s.opCount.detail.df.transcendental}, ${s.opCount.detail.both.transcendental})`,
    universalApproximation: `Cybenko ${s.universalApproximation.cybenko ? "yes" : "no"}, Leshno ${s.universalApproximation.leshno ? "yes" : "no"}${failedConditions(s)}`,
    meanUnderNormal: `mean ${s.method.meanUnderNormal.kind === "numeric" ? "≈ " : ""}${fmt(s.meanUnderNormal.mean)}, rms ≈ ${fmt(s.meanUnderNormal.rms)}`,
  };
  return (Object.keys(LABELS) as PropertyKey[]).map((key) => ({ key, label: LABELS[key], value: values[key], method: s.method[key] }));
}

export function describeChecklist(s: PropertySheet): ChecklistRow[] {
  return (Object.keys(CHECKLIST_LABELS) as (keyof Checklist)[]).map((key) => ({ key, label: CHECKLIST_LABELS[key], ...s.checklist[key] }));
}

/** `numeric (grid 1/32 on [−1e6, 1e6]): …` */
export function methodText(m: Method): string {
  const name = { symbolic: "symbolic", interval: "interval bound", numeric: "numeric", derived: "derived" }[m.kind];
  const from = m.from?.length ? ` from ${m.from.join(", ")}` : "";
  return `${name}${from}: ${m.detail}`;
}

/**
 * Interval notation: a bracket when the bound is attained, a parenthesis when it is only
 * approached; "≈" before a bound that is a numeric limit, known only to its resolution.
 */
export function rangeText(s: PropertySheet): string {
  return rangeInterval(s.range);
}

export function rangeInterval(r: PropertySheet["range"]): string {
  const { inf, sup, infAttained, supAttained } = r;
  return `${infAttained ? "[" : "("}${r.infApproximate ? "≈" : ""}${fmt(inf)}, ${r.supApproximate ? "≈" : ""}${fmt(sup)}${supAttained ? "]" : ")"}`;
}

/** A dead zone with its ends as the definition's convention for f′ there says: (−∞, −1) for clip. */
export function deadZoneText([lo, hi]: readonly [Extended, Extended], [loIn, hiIn]: readonly [boolean, boolean], format: (v: number) => string = fmt): string {
  return `${loIn && Number.isFinite(lo) ? "[" : "("}${format(lo)}, ${format(hi)}${hiIn && Number.isFinite(hi) ? "]" : ")"}`;
}

/** ", observed on the scan (not proved)" for a property that a numeric scan established. */
export function observedText(m: Method): string {
  return m.kind === "numeric" ? ", numerically observed (not proved; see how)" : "";
}

export function sideText(side: SideSaturation): string {
  return side.kind === "hard" ? `hard (c = ${fmt(side.c)})` : side.kind;
}

export const classText = (c: string): string => (c === "Cinf" ? "C^∞" : c === "discontinuous" ? "discontinuous" : c.replace(/^C/, "C^"));

function atText(at: Extended | readonly [Extended, Extended]): string {
  if (Array.isArray(at)) return `on ${interval(at[0]!, at[1]!)}`;
  const x = at as number;
  return Number.isFinite(x) ? `at x = ${fmt(x)}` : `as x → ${fmt(x)}`;
}

const interval = (lo: number, hi: number): string => `${Number.isFinite(lo) ? "[" : "("}${fmt(lo)}, ${fmt(hi)}${Number.isFinite(hi) ? "]" : ")"}`;

function continuity(b: Breakpoint): string {
  if (b.continuous) return "continuous";
  const limits = b.leftValue === b.rightValue ? `limit ${fmt(b.leftValue)}` : `limits ${fmt(b.leftValue)} | ${fmt(b.rightValue)}`;
  return `discontinuous (f = ${fmt(b.value)}, ${limits})`;
}

function failedConditions(s: PropertySheet): string {
  const c = s.universalApproximation.conditions;
  const missing = [
    !c.nonConstant && "constant", !c.bounded && "unbounded", !c.monotoneIncreasing && "not monotone increasing",
    !c.continuous && "discontinuous", !c.nonPolynomial && "a polynomial",
  ].filter((m): m is string => typeof m === "string");
  return missing.length ? ` (${missing.join(", ")})` : "";
}
