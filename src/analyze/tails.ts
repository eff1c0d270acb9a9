/** The tails of f: limits of f and f′ at ±∞ on the outermost branches, and the asymptotes they give. */
import { mul, num, sub, sym } from "../ast/build.js";
import * as Q from "../ast/rational.js";
import { simplify } from "../simplify/simplify.js";
import { within, type Basis, type Tail } from "./analysis.js";
import { fmt } from "./format.js";
import { interceptLimit, limitAtInfinity, noLimitReason, type Limit, type LimitHow } from "./limits.js";
import type { Region } from "./regions.js";
import type { Asymptote, Method } from "./types.js";

/** The tail, or past the budget one that knows no limit (range and saturation there unknown). */
export function tailWithin(a: Basis, region: Region, side: 1 | -1, index: number): Tail {
  const where = side < 0 ? "−∞" : "+∞";
  return within(a, `the limits of f and f′ as x → ${where}`, () => tail(a, region, side, index), (reason) => ({
    side, region, constant: a.constantRegion[index]!,
    asymptote: { kind: "none", limit: null, text: `not established as x → ${where} (${reason})` },
  }));
}

function tail(a: Basis, region: Region, side: 1 | -1, index: number): Tail {
  const constant = a.constantRegion[index]!;
  const f = snapNumeric(limitAtInfinity(region.branch, a.x, side));
  const df = snapNumeric(limitAtInfinity(region.derivative(1), a.x, side));
  const dfNoLimit = df === undefined ? noLimitReason(region.derivative(1), a.x, side) : undefined;
  const where = side < 0 ? "−∞" : "+∞";
  let asymptote: Asymptote;
  let intercept: Limit | undefined;
  if (f === undefined) {
    const none = noLimitReason(region.branch, a.x, side);
    asymptote = { kind: "none", limit: null, text: none !== undefined ? `no limit as x → ${where} (proved: ${none})` : `no limit found as x → ${where}` };
    if (none === undefined) a.notes.push(`the limit of f as x → ${where} was not found; range and saturation there are unknown`);
  } else if (Number.isFinite(f.value)) {
    asymptote = { kind: "horizontal", value: f.value, text: `f → ${limitText(f)}` };
  } else if (df === undefined || df.value === 0 || !Number.isFinite(df.value)) {
    const growth = df === undefined ? "" : df.value === 0 ? ", slower than linearly" : ", faster than linearly";
    asymptote = { kind: "none", limit: f.value, text: `f → ${f.value > 0 ? "+∞" : "-∞"}${growth}` };
  } else {
    const b = (intercept = interceptOf(a, region, side, df));
    const approximate = b !== undefined && (b.how === "numeric" || df.how === "numeric");
    asymptote = b !== undefined && Number.isFinite(b.value)
      ? { kind: "linear", slope: df.value, intercept: b.value, text: `f ~ ${approximate ? approximateLinear(df.value, b.value) : linear(df.value, b.value)}`, ...(approximate && { approximate: true }) }
      : { kind: "none", limit: f.value, text: `f → ${f.value > 0 ? "+∞" : "-∞"} with slope → ${fmt(df.value)}, no finite intercept` };
  }
  return { side, region, constant, ...(f && { f }), ...(df && { df }), ...(dfNoLimit !== undefined && { dfNoLimit }), ...(intercept && { intercept }), asymptote };
}

/**
 * The intercept b of f ~ m·x + b: lim (f − m·x) when m is a short dyadic number (1, 1/2: the
 * double is the exact slope) and that limit is found, which also confirms m (with a wrong m,
 * f − m·x would diverge); else the limit of the tangent's intercept f − x·f′.
 */
function interceptOf(a: Basis, region: Region, side: 1 | -1, slope: Limit): Limit | undefined {
  const m = slope.value;
  if (slope.how !== "numeric" && Number.isInteger(m * 1024) && Math.abs(m) <= 2 ** 20) {
    const direct = limitAtInfinity(simplify(sub(region.branch, mul(num(Q.fromNumber(m)), sym(a.x)))), a.x, side);
    if (direct !== undefined && direct.how !== "numeric" && Number.isFinite(direct.value)) return snapNumeric(direct);
  }
  return snapNumeric(interceptLimit(region.branch, region.derivative(1), a.x, side));
}

/** Limits by dominant terms, composition or L'Hôpital are symbolic; one numeric fallback makes the property numeric. */
export const limitKind = (hows: readonly (LimitHow | undefined)[]): Method["kind"] => (hows.includes("numeric") ? "numeric" : "symbolic");

/**
 * A numeric limit is the value at x = ±10¹² once it has settled to 1e-9: below that it cannot
 * tell a small number from 0 (√(x² + 1) − x at 10¹² is 5e-13), so it is 0 there — and printed
 * with "≈", as every numeric limit is.
 */
function snapNumeric(l: Limit | undefined): Limit | undefined {
  if (l === undefined) return l;
  // (+ 0: a limit of −0, from −x·0, reads as 0)
  if (l.how !== "numeric" || !Number.isFinite(l.value)) return { ...l, value: l.value + 0 };
  return { ...l, value: Math.abs(l.value) < NUMERIC_RESOLUTION ? 0 : l.value };
}
const NUMERIC_RESOLUTION = 1e-9;

function limitText(l: Limit): string {
  return l.how === "numeric" ? `≈ ${fmt(l.value)} (numeric, to 1e-9)` : fmt(l.value);
}

function approximateLinear(slope: number, intercept: number): string {
  const s = slope === 1 ? "x" : slope === -1 ? "-x" : `${fmt(slope)}·x`;
  return `≈ ${s}${Math.abs(intercept) < NUMERIC_RESOLUTION ? "" : ` ${intercept < 0 ? "-" : "+"} ${fmt(Math.abs(intercept))}`} (numeric, to 1e-9)`;
}

function linear(slope: number, intercept: number): string {
  const s = slope === 1 ? "x" : slope === -1 ? "-x" : `${fmt(slope)}·x`;
  if (intercept === 0) return s;
  return `${s} ${intercept < 0 ? "-" : "+"} ${fmt(Math.abs(intercept))}`;
}
