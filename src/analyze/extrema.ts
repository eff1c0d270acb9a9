/** Extrema, range and monotonicity of f, and the largest slope max |f′|. */
import { ZERO } from "../ast/build.js";
import * as Q from "../ast/rational.js";
import type { Analysis } from "./analysis.js";
import { certificateDescription, certificateKind } from "./interval.js";
import { valueAt } from "./regions.js";
import { SCAN, scanDescription } from "./scan.js";
import { derivativeSigns } from "./sign-certificates.js";
import type { Extended, Extremum, MaxAbsGrad, Method, Range } from "./types.js";

interface Candidate {
  readonly value: number;
  readonly attained: boolean;
  readonly at: Extended | readonly [Extended, Extended];
  /** A numeric limit, known to its resolution only. */
  readonly approximate?: boolean;
}

const near = (a: number, b: number): boolean => a === b || (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)));
const MAX_EXTREMA = 20;

export function extremaOf(a: Analysis): Extremum[] {
  const out: Extremum[] = [];
  a.b.regions.forEach((r, i) => {
    for (const c of a.fZeros[i]!.changes) {
      out.push({ x: c.x, value: valueAt(r.branch, a.x, Q.fromNumber(c.x)).value, kind: c.from > 0 ? "max" : "min" });
    }
  });
  // At a kink f′ may change sign without passing through 0: |x| at 0.
  a.bps.forEach((bp, i) => {
    if (!bp.continuous) return;
    const before = sideSign(a, i, -1);
    const after = sideSign(a, i + 1, 1);
    if (before * after < 0) out.push({ x: bp.x, value: bp.value, kind: before < 0 ? "min" : "max" });
  });
  out.sort((p, q) => p.x - q.x);
  if (out.length <= MAX_EXTREMA) return out;
  // Found exactly (the roots of a polynomial f′), they are a count, not a sign of oscillation.
  const exact = a.fCertificate.complete && certificateKind(a.fCertificate) === "symbolic";
  a.notes.push(`f has ${out.length} local extrema in the scanned range${exact ? "" : " (oscillating?)"}; the ${MAX_EXTREMA} nearest to 0 are listed`);
  return [...out].sort((p, q) => Math.abs(p.x) - Math.abs(q.x)).slice(0, MAX_EXTREMA).sort((p, q) => p.x - q.x);
}

/** The sign of f′ on region i next to its boundary (side −1: at its right end, seen from a breakpoint on its right). */
function sideSign(a: Analysis, i: number, from: 1 | -1): number {
  if (a.constantRegion[i]) return 0;
  const r = a.b.regions[i]!;
  const edge = from < 0 ? r.hi : r.lo;
  const bp = a.bps.find((p) => p.x === edge);
  // The one-sided derivative at the breakpoint (60 digits), when it is not 0, has the sign f′
  // has next to it; when it is 0 (pau's right side at 0), the certificate's proved sign of the
  // piece next to the edge decides, and without a certificate the scan, a little way inside.
  const v = bp ? (from < 0 ? bp.leftDerivative : bp.rightDerivative) : NaN;
  if (v !== 0 && !Number.isNaN(v)) return Math.sign(v);
  const certified = a.fCertificate.regions[i];
  if (certified !== undefined) return certified.ends[from < 0 ? 1 : 0];
  const delta = 1e-7 * Math.max(1, Math.abs(edge));
  return Math.sign(r.numeric(1)(edge + from * delta));
}

export function rangeOf(a: Analysis, extrema: readonly Extremum[]): Range {
  const candidates: Candidate[] = [];
  // A constant tail is attained (below, with the constant branches); another one only approached.
  for (const t of [a.tails.left, a.tails.right]) {
    if (!t.constant && t.f !== undefined) candidates.push({ value: t.f.value, attained: false, at: t.side * Infinity, approximate: t.f.how === "numeric" && Number.isFinite(t.f.value) });
  }
  a.b.regions.forEach((r, i) => {
    if (a.constantRegion[i]) candidates.push({ value: valueAt(r.branch, a.x, Q.fromNumber(r.sample)).value, attained: true, at: r.sample });
  });
  for (const bp of a.bps) {
    candidates.push({ value: bp.value, attained: true, at: bp.x });
    candidates.push({ value: bp.leftValue, attained: near(bp.leftValue, bp.value), at: bp.x });
    candidates.push({ value: bp.rightValue, attained: near(bp.rightValue, bp.value), at: bp.x });
  }
  for (const e of extrema) candidates.push({ value: e.value, attained: true, at: e.x });
  const values = candidates.map((c) => c.value).filter((v) => !Number.isNaN(v));
  // (+ 0: a bound of −0 reads as 0)
  const inf = Math.min(...values) + 0;
  const sup = Math.max(...values) + 0;
  const approximate = (v: number): boolean => !candidates.some((c) => !c.approximate && near(c.value, v)) && candidates.some((c) => c.approximate && near(c.value, v));
  return {
    inf, sup,
    infAttained: candidates.some((c) => c.attained && near(c.value, inf)),
    supAttained: candidates.some((c) => c.attained && near(c.value, sup)),
    boundedBelow: Number.isFinite(inf),
    boundedAbove: Number.isFinite(sup),
    ...(approximate(inf) && { infApproximate: true }),
    ...(approximate(sup) && { supApproximate: true }),
  };
}

export function monotonicityOf(a: Analysis): { monotonic: boolean; direction: "increasing" | "decreasing" | null } {
  const signs = new Set<number>();
  a.fZeros.forEach((z) => z.signs.forEach((s) => signs.add(s)));
  // At a jump (or a removable point, x == 0 ? 1 : x) the steps into and out of f(b) count too.
  for (const bp of a.bps) {
    if (!bp.continuous) signs.add(Math.sign(bp.value - bp.leftValue)).add(Math.sign(bp.rightValue - bp.value));
  }
  signs.delete(0);
  if (signs.size > 1) return { monotonic: false, direction: null };
  if (signs.size === 0) {
    a.notes.push("f is constant: monotonic in both directions");
    return { monotonic: true, direction: null };
  }
  return { monotonic: true, direction: signs.has(1) ? "increasing" : "decreasing" };
}

// --- the largest slope -----------------------------------------------------------------------

export function maxAbsGradOf(a: Analysis): { value: MaxAbsGrad; method: Method } {
  const candidates: Candidate[] = [];
  let scanned = false;
  const flat = a.b.regions.map((r) => r.derivative(2) === ZERO);
  const { certificate, zeros } = derivativeSigns(a.b.regions, 2, flat, a.notes, "max |f′| is a numeric observation");
  for (const t of [a.tails.left, a.tails.right]) {
    if (t.df !== undefined) candidates.push({ value: Math.abs(t.df.value), attained: false, at: t.side * Infinity });
    else if (t.dfNoLimit !== undefined) a.notes.push(`f′ has no limit as x → ${t.side < 0 ? "−∞" : "+∞"} (proved: ${t.dfNoLimit}); max |f′| covers the scanned window only`);
    else a.notes.push(`the limit of f′ as x → ${t.side < 0 ? "−∞" : "+∞"} was not found; max |f′| covers the scanned window only`);
  }
  a.b.regions.forEach((r, i) => {
    if (r.derivative(2) === ZERO) {
      candidates.push({ value: Math.abs(valueAt(r.derivative(1), a.x, Q.fromNumber(r.sample)).value), attained: true, at: [r.lo, r.hi] });
      return;
    }
    scanned = true;
    for (const c of zeros[i]!.changes) {
      candidates.push({ value: Math.abs(valueAt(r.derivative(1), a.x, Q.fromNumber(c.x)).value), attained: true, at: c.x });
    }
  });
  a.bps.forEach((bp, i) => {
    const convention = Math.abs(valueAt(a.b.df, a.x, a.b.exactBreakpoints[i]!).value);
    for (const v of [Math.abs(bp.leftDerivative), Math.abs(bp.rightDerivative)]) candidates.push({ value: v, attained: near(v, convention), at: bp.x });
  });
  const valid = candidates.filter((c) => !Number.isNaN(c.value));
  const value = Math.max(...valid.map((c) => c.value));
  const best = valid.filter((c) => near(c.value, value));
  const rank = (c: Candidate): number => (c.attained ? (Array.isArray(c.at) ? 0 : 1) : 2);
  const chosen = best.sort((p, q) => rank(p) - rank(q))[0]!;
  const method: Method = !scanned
    ? { kind: "symbolic", detail: "f′ is constant on every branch: the largest |f′| among the branches and the limits at ±∞" }
    : certificate.complete
      ? { kind: certificateKind(certificate), detail: `sign of f″ on every branch by ${certificateDescription(certificate)}; zeros of f″ by bisection; |f′| there at 60 digits, with the one-sided limits at breakpoints and the limits at ±∞` }
      : { kind: "numeric", detail: `zeros of f″ on each branch (${scanDescription()}), |f′| there at 60 digits, with the one-sided limits at breakpoints and the limits at ±∞`, resolution: SCAN.step, window: [-SCAN.far, SCAN.far] };
  return { value: { value, at: chosen.at, attained: best.some((c) => c.attained) }, method };
}
