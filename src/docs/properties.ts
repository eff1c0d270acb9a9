import { describeMulti } from "../analyze/describe-multi.js";
import { deadZoneText, observedText } from "../analyze/describe.js";
import type { MultiMethod, MultiSheet } from "../analyze/multi-types.js";
import type {
  Breakpoint, ChecklistItem, Extended, Method, PropertySheet, Range, SideSaturation, Symmetry,
} from "../analyze/types.js";
import { formatNumber, listInWords } from "./text.js";

/**
 * The property sheet as rows of plain text — property, value, how it was established — that
 * both the HTML and the Markdown pages lay out as tables.
 */
export interface PropertyRow {
  readonly property: string;
  readonly value: string;
  readonly method: string;
}

export interface PropertyTables {
  readonly properties: readonly PropertyRow[];
  /** The survey's checklist: item, yes or no, and why. */
  readonly checklist: readonly PropertyRow[];
  readonly notes: readonly string[];
}

const n = (v: Extended): string => formatNumber(v);
const yesNo = (b: boolean): string => (b ? "yes" : "no");

export function propertyTables(sheet: PropertySheet): PropertyTables {
  const m = sheet.method;
  const row = (property: string, value: string, method: Method): PropertyRow => ({ property, value, method: methodText(method) });
  const properties: PropertyRow[] = [
    row("f(0)", n(sheet.f0), m.f0),
    row("f′(0)", n(sheet.df0), m.df0),
    row("Range", rangeText(sheet.range), m.range),
    row("Monotonic", `${sheet.monotonic ? `yes, ${sheet.monotonicDirection ?? "constant"}` : "no"}${observedText(m.monotonic)}`, m.monotonic),
    row("Local extrema", `${sheet.extrema.length
      ? sheet.extrema.map((e) => `${e.kind === "min" ? "minimum" : "maximum"} ${n(e.value)} at x = ${n(e.x)}`).join("; ")
      : "none"}${observedText(m.extrema)}`, m.extrema),
    row("Symmetry", symmetryText(sheet.symmetry), m.symmetry),
    row("Zero-centred", yesNo(sheet.zeroCentred), m.zeroCentred),
    row("Saturation", `left: ${saturationText(sheet.saturation.left)}; right: ${saturationText(sheet.saturation.right)}`, m.saturation),
    row("Largest |f′|", maxGradText(sheet), m.maxAbsGrad),
    row("Dead zone (f′ = 0)", sheet.deadZones.length ? sheet.deadZones.map((z, i) => deadZoneText(z, sheet.deadZoneClosed[i]!, n)).join(", ") : "none", m.deadZone),
    row("Smoothness", smoothnessText(sheet), m.smoothness),
    row("Lipschitz constant", n(sheet.lipschitz), m.lipschitz),
    row("Asymptotes", `x → −∞: ${sheet.asymptotes.left.text}; x → +∞: ${sheet.asymptotes.right.text}`, m.asymptotes),
    row("Operations", `f: ${sheet.opCount.f} (${sheet.opCount.detail.f.transcendental} transcendental), f′: ${sheet.opCount.df}, f and f′ together: ${sheet.opCount.both}`, m.opCount),
    row("Mean and RMS under N(0, 1)", `${m.meanUnderNormal.kind === "numeric" ? "≈ " : ""}${n(sheet.meanUnderNormal.mean)}, ≈ ${n(sheet.meanUnderNormal.rms)}`, m.meanUnderNormal),
    row("Universal approximation", universalText(sheet), m.universalApproximation),
  ];
  const c = sheet.checklist;
  const item = (label: string, i: ChecklistItem): PropertyRow => ({ property: label, value: `${yesNo(i.value)}: ${i.reason}`, method: methodText(i.method) });
  const checklist = [
    item("Non-linear", c.nonLinear),
    item("Differentiable almost everywhere", c.differentiableAlmostEverywhere),
    item("Mitigates vanishing gradients", c.mitigatesVanishingGradient),
    item("Avoids exploding gradients", c.avoidsExplodingGradient),
    item("Avoids dead neurons", c.avoidsDeadNeurons),
    item("Near zero mean", c.nearZeroMean),
    item("Takes both signs", c.bothSigns),
    item("Sparse", c.sparse),
    item("Soft saturation", c.softSaturation),
    item("Cheap to compute", c.cheap),
  ];
  return { properties, checklist, notes: sheet.notes };
}

/**
 * The sheet of a function of several inputs or of a vector as the same three columns; for a
 * product of one-input factors, a second table sums up each factor's own sheet.
 */
export function multiPropertyTables(sheet: MultiSheet): { properties: PropertyRow[]; factors: PropertyRow[]; notes: readonly string[] } {
  const properties = describeMulti(sheet).map((r) => ({ property: capitalise(r.label), value: r.value, method: methodText(r.method) }));
  const factors = sheet.kind === "several" && sheet.separation !== null
    ? sheet.separation.factors.map((f) => ({
      property: `${f.input}: ${f.formula}`,
      value: `range ${rangeText(f.sheet.range)}; ${f.sheet.monotonic ? `monotonic, ${f.sheet.monotonicDirection ?? "constant"}` : "not monotonic"}; ` +
        `saturation left: ${saturationText(f.sheet.saturation.left)}, right: ${saturationText(f.sheet.saturation.right)}`,
      method: `range: ${methodText(f.sheet.method.range)}; monotonic: ${methodText(f.sheet.method.monotonic)}`,
    }))
    : [];
  return { properties, factors, notes: sheet.notes };
}

/** `Range`, but `f(0, 0)` and `∂f_i/∂x_j` as they are. */
const capitalise = (s: string): string => (/^[a-z]{2}/.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s);

function methodText(method: Method | MultiMethod): string {
  const extra: string[] = [];
  if (method.resolution !== undefined) extra.push(`step ${n(method.resolution)}`);
  if (method.window !== undefined) extra.push(`over ${intervalText(method.window)}`);
  if (method.from?.length) extra.push(`from ${method.from.join(", ")}`);
  return `${method.kind}: ${method.detail}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

/** `[−0.2785, ∞)`: a bracket for an attained bound, a parenthesis for one that is not. */
function rangeText(r: Range): string {
  return `${r.infAttained ? "[" : "("}${r.infApproximate ? "≈" : ""}${n(r.inf)}, ${r.supApproximate ? "≈" : ""}${n(r.sup)}${r.supAttained ? "]" : ")"}` +
    `; bounded ${r.boundedBelow && r.boundedAbove ? "on both sides" : r.boundedBelow ? "below only" : r.boundedAbove ? "above only" : "on neither side"}`;
}

/** A closed end where it is a number, an open one at ±∞. */
const intervalText = (i: readonly [Extended, Extended]): string =>
  `${Number.isFinite(i[0]) ? "[" : "("}${n(i[0])}, ${n(i[1])}${Number.isFinite(i[1]) ? "]" : ")"}`;

function symmetryText(s: Symmetry): string {
  if (s === null) return "none found";
  if (s === "odd") return "odd: f(−x) = −f(x)";
  if (s === "even") return "even: f(−x) = f(x)";
  return `point-symmetric about (${n(s.point[0])}, ${n(s.point[1])})`;
}

function saturationText(s: SideSaturation): string {
  switch (s.kind) {
    case "none": return "none";
    case "soft": return "soft (f′ → 0)";
    case "hard": return `hard (f′ = 0 beyond ${n(s.c)})`;
  }
}

function maxGradText(sheet: PropertySheet): string {
  const g = sheet.maxAbsGrad;
  const at = typeof g.at === "number" ? (Number.isFinite(g.at) ? `at x = ${n(g.at)}` : `as x → ${n(g.at)}`) : `on ${intervalText(g.at)}`;
  return `${n(g.value)} ${at}${g.attained ? "" : " (approached, not attained)"}`;
}

function smoothnessText(sheet: PropertySheet): string {
  const s = sheet.smoothness;
  const label = (c: string): string => (c === "Cinf" ? "C∞" : c === "discontinuous" ? "discontinuous" : `C${c.slice(1).replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(d)]!)}`);
  const at = (b: Breakpoint): string =>
    `at x = ${n(b.x)}: ${b.continuous ? "continuous" : `jumps from ${n(b.leftValue)} to ${n(b.rightValue)}`}, ` +
    (b.leftDerivative === b.rightDerivative ? `f′ = ${n(b.leftDerivative)} on both sides` : `f′ goes from ${n(b.leftDerivative)} to ${n(b.rightDerivative)}`) +
    ` (${label(b.class)})`;
  return [label(s.class), ...s.breakpoints.map(at)].join("; ");
}

function universalText(sheet: PropertySheet): string {
  const u = sheet.universalApproximation;
  const failing = Object.entries({
    "non-constant": u.conditions.nonConstant, bounded: u.conditions.bounded,
    "monotone increasing": u.conditions.monotoneIncreasing, continuous: u.conditions.continuous,
  }).filter(([, ok]) => !ok).map(([k]) => k);
  return `Cybenko/Hornik: ${u.cybenko ? "yes" : `no (not ${listInWords(failing)})`}; ` +
    `Leshno et al.: ${u.leshno ? "yes" : `no (${u.conditions.nonPolynomial ? "not continuous" : "a polynomial"})`}`;
}
