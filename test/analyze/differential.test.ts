import { Decimal as BaseDecimal } from "decimal.js";
import { beforeAll, describe, expect, test } from "vitest";
import { analyze } from "../../src/analyze/index.js";
import type { PropertySheet } from "../../src/analyze/types.js";
import type { Activation } from "../../src/api/activation.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { ActdiffError } from "../../src/errors.js";
import { define } from "../../src/index.js";
import { PUBLISHED, randomFormulas } from "../support/activation-formulas.js";
import { mpScan, toPython, type ScanJob, type ScanResult } from "../support/mpscan.js";

/**
 * Every fact a property sheet states, checked against an independent dense scan at 40 digits
 * (mpmath, test/support/mpscan.py): for the catalog, for published activations outside it and
 * for seeded random activation-like formulas. A fact is what the sheet says without "≈": a
 * value, a bound, "monotonic", "no extremum here", "f′ = 0 there". Where the scan cannot refute
 * a claim (strictness, what happens beyond 10¹²) it checks what a scan can see.
 */

/** 60 digits: x ± 1e-25 must not round back to x. */
const Decimal = BaseDecimal.clone({ precision: 60 });
type Decimal = BaseDecimal;

interface Case {
  readonly label: string;
  readonly source: string;
}

const RANDOM = randomFormulas(112, 20261207);
const CASES: Case[] = [
  ...oneInputActivations().map((e) => ({ label: `catalog ${e.name}`, source: e.name })),
  ...PUBLISHED.map((p) => ({ label: `published ${p.name}`, source: p.formula })),
  ...RANDOM.map((formula, i) => ({ label: `random #${i} ${formula}`, source: formula })),
];

// The scan: steps of 1/2 on [−100, 100] and points out to 10¹², f′ (one-sided) in steps of 1/4 on [−20, 20].
const GRID = Array.from({ length: 401 }, (_, k) => (k - 200) / 2);
const FAR = [150, 300, 1e3, 3e3, 1e4, 31415.9, 1e5, 1e6, 1e8, 1e10, 1e12].flatMap((v) => [v, -v]);
const DERIVATIVE_GRID = Array.from({ length: 161 }, (_, k) => (k - 80) / 4);
/**
 * How far from a breakpoint its one-sided values are read: a breakpoint where two branches cross
 * (max(x/4, σ(x))) is a double within an ulp or so of the true one, so the offset is well above
 * that, and small enough that f and f′ change by less than the tolerances over it.
 */
const offset = (x: number): number => 1e-10 * Math.max(1, Math.abs(x));

interface Scanned {
  readonly sheet: PropertySheet;
  readonly f: (x: number | string) => Decimal;
  readonly dl: (x: number) => Decimal;
  readonly dr: (x: number) => Decimal;
  readonly fPoints: readonly { x: number; f: Decimal }[];
  readonly dPoints: readonly { x: number; dl: Decimal; dr: Decimal }[];
  readonly result: ScanResult;
}

const key = (x: number | string): string => (typeof x === "number" ? String(x) : x);

/** The points each fact of the sheet needs, besides the grid. */
function pointsFor(sheet: PropertySheet): { f: string[]; d: number[] } {
  const f: string[] = [];
  const d: number[] = [];
  for (const e of sheet.extrema) {
    const s = Math.max(1, Math.abs(e.x));
    f.push(String(e.x), ...[1e-4, 1e-7].flatMap((h) => [String(e.x - h * s), String(e.x + h * s)]));
  }
  for (const b of sheet.smoothness.breakpoints) {
    f.push(String(b.x), String(b.x - offset(b.x)), String(b.x + offset(b.x)));
    d.push(b.x - offset(b.x), b.x + offset(b.x));
  }
  const at = sheet.maxAbsGrad.at;
  if (typeof at === "number" && Number.isFinite(at)) d.push(at);
  if (Array.isArray(at)) d.push(...inside(at[0]!, at[1]!));
  for (const [lo, hi] of sheet.deadZones) d.push(...inside(lo, hi));
  for (const side of [sheet.saturation.left, sheet.saturation.right]) {
    if (side.kind === "hard") d.push(...[1, 10, 1e3, 1e6].flatMap((t) => [side.c + t, side.c - t]));
  }
  return { f, d };
}

/** Points strictly inside an interval, some far out when it is unbounded. */
function inside(lo: number, hi: number): number[] {
  if (Number.isFinite(lo) && Number.isFinite(hi)) return [0.25, 0.5, 0.75].map((t) => lo + (hi - lo) * t);
  if (Number.isFinite(lo)) return [1, 10, 1e6].map((t) => lo + t);
  if (Number.isFinite(hi)) return [1, 10, 1e6].map((t) => hi - t);
  return [-1e6, 0.5, 1e6];
}

let scanned: Map<string, Scanned | "undefined">;

beforeAll(() => {
  const sheets = new Map<string, { activation: Activation; sheet: PropertySheet } | "undefined">();
  for (const c of CASES) {
    const activation = define(c.source);
    try {
      sheets.set(c.label, { activation, sheet: analyze(activation) });
    } catch (error) {
      // A random formula undefined somewhere on the line is refused, as it must be.
      if (error instanceof ActdiffError && error.code === "E_USAGE" && c.label.startsWith("random")) sheets.set(c.label, "undefined");
      else throw error;
    }
  }
  const jobs: ScanJob[] = [];
  for (const [label, entry] of sheets) {
    if (entry === "undefined") continue;
    const { activation, sheet } = entry;
    const extra = pointsFor(sheet);
    const params = new Map(Object.entries(sheet.params));
    jobs.push({
      id: label,
      expr: toPython(activation.expr, activation.inputs[0]!, params),
      points: [...[...GRID, ...FAR].map(String), ...extra.f],
      deriv: [...[...DERIVATIVE_GRID, ...FAR].map(String), ...extra.d.map(String)],
      edges: sheet.smoothness.breakpoints.map((b) => b.x),
    });
  }
  const results = mpScan(jobs);
  scanned = new Map();
  for (const [label, entry] of sheets) {
    if (entry === "undefined") {
      scanned.set(label, "undefined");
      continue;
    }
    const job = jobs.find((j) => j.id === label)!;
    const result = results.get(label)!;
    const fs = new Map(job.points.map((p, i) => [p, result.f[i]!]));
    const dls = new Map(job.deriv.map((p, i) => [p, result.dl[i]!]));
    const drs = new Map(job.deriv.map((p, i) => [p, result.dr[i]!]));
    const get = (m: Map<string, Decimal>, x: number | string): Decimal => {
      const v = m.get(key(x));
      if (v === undefined) throw new Error(`${label}: no scan value at ${key(x)}`);
      return v;
    };
    scanned.set(label, {
      sheet: entry.sheet,
      f: (x) => get(fs, x),
      dl: (x) => get(dls, x),
      dr: (x) => get(drs, x),
      fPoints: job.points.map((p, i) => ({ x: Number(p), f: result.f[i]! })).filter((p) => p.f.isFinite()).sort((a, b) => a.x - b.x),
      dPoints: job.deriv.map((p, i) => ({ x: Number(p), dl: result.dl[i]!, dr: result.dr[i]! })).sort((a, b) => a.x - b.x),
      result,
    });
  }
}, 600_000);

describe("the formulas", () => {
  test("at least 100 random and 40 published formulas are analysed (the catalog counts as published)", () => {
    const analysed = [...scanned].filter(([, v]) => v !== "undefined").map(([k]) => k);
    expect(analysed.filter((l) => l.startsWith("random")).length).toBeGreaterThanOrEqual(100);
    expect(analysed.filter((l) => !l.startsWith("random")).length).toBeGreaterThanOrEqual(40);
  });
});

describe.each(CASES.map((c) => [c.label, c] as const))("%s", (label) => {
  test("every stated fact agrees with the 40-digit scan", () => {
    const s = scanned.get(label);
    if (s === undefined || s === "undefined") return;
    expect(checkSheet(s)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

const n = (d: Decimal): number => d.toNumber();
const close = (a: number, b: number, rel: number, abs = rel): boolean =>
  a === b || Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b));
const tol = (v: number): number => 1e-9 * Math.max(1, Math.abs(v));

/** Scan points whose difference quotients do not straddle a jump of f. */
function smoothPoints(s: Scanned): Scanned["dPoints"] {
  const jumps = s.sheet.smoothness.breakpoints.filter((b) => !b.continuous).map((b) => b.x);
  return s.dPoints.filter((p) => !jumps.some((x) => Math.abs(p.x - x) <= 1e-15 * Math.max(1, Math.abs(x))));
}

/** The failures, each naming the fact and what the scan saw. */
function checkSheet(s: Scanned): string[] {
  const { sheet } = s;
  const out: string[] = [];
  const fail = (fact: string, saw: string): void => void out.push(`${fact} — the scan: ${saw}`);
  const values = s.fPoints.map((p) => n(p.f));
  const far = (side: 1 | -1, x = 1e12): number => side * x;

  // f(0), f′(0): the convention at a kink lies between the one-sided derivatives.
  if (!close(sheet.f0, n(s.f(0)), 1e-10)) fail(`f(0) = ${sheet.f0}`, `${s.f(0)}`);
  const [l0, r0] = [n(s.dl(0)), n(s.dr(0))];
  if (!(close(sheet.df0, l0, 1e-8) || close(sheet.df0, r0, 1e-8) || (sheet.df0 - Math.min(l0, r0)) * (sheet.df0 - Math.max(l0, r0)) <= 0)) {
    fail(`f′(0) = ${sheet.df0}`, `${l0} | ${r0}`);
  }

  // The range: no value outside it; an attained bound is reached, another one approached.
  const { inf, sup } = sheet.range;
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (low < inf - tol(inf) - (sheet.range.infApproximate ? 1e-9 : 0)) fail(`inf f = ${inf}`, `f = ${low}`);
  if (high > sup + tol(sup) + (sheet.range.supApproximate ? 1e-9 : 0)) fail(`sup f = ${sup}`, `f = ${high}`);
  for (const [bound, seen, attained, name] of [[inf, low, sheet.range.infAttained, "inf"], [sup, high, sheet.range.supAttained, "sup"]] as const) {
    if (!Number.isFinite(bound)) {
      if (Math.abs(seen) < 10 || Math.sign(seen) !== Math.sign(bound)) fail(`${name} f = ${bound}`, `${name === "inf" ? "min" : "max"} ${seen}`);
    } else if (!close(seen, bound, attained ? 1e-7 : 1e-3)) fail(`${name} f = ${bound} (${attained ? "attained" : "approached"})`, `${seen}`);
  }

  // Monotonic: no step against the direction; "no": steps both ways.
  const steps = s.fPoints.slice(1).map((p, i) => ({ x: p.x, d: n(p.f.sub(s.fPoints[i]!.f)), scale: Math.abs(n(p.f)) }));
  const up = steps.some((t) => t.d > tol(t.scale)) || smoothPoints(s).some((p) => n(p.dr) > 1e-9);
  const down = steps.some((t) => t.d < -tol(t.scale)) || smoothPoints(s).some((p) => n(p.dr) < -1e-9);
  if (sheet.monotonic && sheet.monotonicDirection === "increasing" && down) fail("non-decreasing", "f decreases somewhere");
  if (sheet.monotonic && sheet.monotonicDirection === "decreasing" && up) fail("non-increasing", "f increases somewhere");
  if (!sheet.monotonic && !(up && down)) fail("not monotonic", `f only ${up ? "increases" : "decreases"}`);

  // Extrema: the value, and strictly lower (higher) values on both sides close by.
  for (const e of sheet.extrema) {
    const v = n(s.f(e.x));
    if (!close(v, e.value, 1e-9)) fail(`${e.kind} ${e.value} at ${e.x}`, `f = ${v}`);
    const scale = Math.max(1, Math.abs(e.x));
    for (const h of [1e-4, 1e-7]) {
      for (const y of [String(e.x - h * scale), String(e.x + h * scale)]) {
        const d = s.f(y).sub(s.f(e.x));
        if (e.kind === "max" ? d.gt(0) : d.lt(0)) fail(`${e.kind} at ${e.x}`, `f(${y}) − f(x) = ${d.toPrecision(3)}`);
      }
    }
  }
  // … and no extremum missed: f′ changing sign between grid points has a stated extremum or a jump there.
  if (!sheet.notes.some((t) => t.includes("local extrema in the scanned range"))) {
    const grid = s.dPoints.filter((p) => Math.abs(p.x) <= 20);
    for (let i = 0; i + 1 < grid.length; i++) {
      const [a, b] = [grid[i]!, grid[i + 1]!];
      const [da, db] = [n(a.dr), n(b.dl)];
      if (!(Math.abs(da) > 1e-9 && Math.abs(db) > 1e-9 && Math.sign(da) !== Math.sign(db))) continue;
      const explained = sheet.extrema.some((e) => e.x >= a.x && e.x <= b.x) ||
        sheet.smoothness.breakpoints.some((bp) => !bp.continuous && bp.x >= a.x && bp.x <= b.x);
      if (!explained) fail(`extrema ${sheet.extrema.map((e) => `${e.kind} at ${e.x}`).join(", ") || "none"}`, `f′ changes sign on [${a.x}, ${b.x}]`);
    }
  }

  // Symmetry.
  if (sheet.symmetry !== null) {
    for (const x of GRID.filter((v) => v > 0)) {
      const [a, b] = [n(s.f(x)), n(s.f(-x))];
      const ok = sheet.symmetry === "odd" ? close(b, -a, 1e-9) : sheet.symmetry === "even" ? close(b, a, 1e-9)
        : close(a + b, 2 * sheet.symmetry.point[1], 1e-9);
      if (!ok) { fail(`symmetry ${JSON.stringify(sheet.symmetry)}`, `f(${x}) = ${a}, f(${-x}) = ${b}`); break; }
    }
  }

  // Saturation and the limits of f′ at ±∞.
  for (const [side, sat] of [[-1, sheet.saturation.left], [1, sheet.saturation.right]] as const) {
    const d = n(s.dr(far(side)));
    const dFar = FAR.filter((x) => Math.sign(x) === side).map((x) => Math.abs(n(s.dr(x))));
    if (sat.kind === "soft" && Math.abs(d) > 1e-3) fail(`soft saturation at ${side}∞`, `f′(${far(side)}) = ${d}`);
    if (sat.kind === "none" && Math.max(...dFar.slice(-3)) < 1e-6) fail(`no saturation at ${side}∞`, `|f′| ≤ 1e-6 far out`);
    if (sat.kind === "hard") {
      for (const t of [1, 10, 1e3, 1e6]) {
        const x = sat.c + side * t;
        if (!s.dl(x).isZero() || !s.dr(x).isZero()) fail(`hard saturation beyond ${sat.c}`, `f′(${x}) = ${s.dr(x)}`);
      }
    }
  }

  // The largest slope: nothing steeper on the scan, and reached where stated.
  const { value: g, at } = sheet.maxAbsGrad;
  const steepest = Math.max(...smoothPoints(s).flatMap((p) => [Math.abs(n(p.dl)), Math.abs(n(p.dr))]).filter(Number.isFinite));
  if (steepest > g * (1 + 1e-8) + 1e-12 && !(g === Infinity)) fail(`max |f′| = ${g}`, `|f′| = ${steepest}`);
  const slopeAt = (x: number): number => {
    // At a jump, the one-sided slopes next to it (the difference quotients across it are not slopes).
    const jump = s.sheet.smoothness.breakpoints.find((b) => b.x === x && !b.continuous);
    if (jump !== undefined) return Math.max(Math.abs(n(s.dl(x - offset(x)))), Math.abs(n(s.dr(x + offset(x)))));
    return Math.max(Math.abs(n(s.dl(x))), Math.abs(n(s.dr(x))));
  };
  if (typeof at === "number" && Number.isFinite(at) && sheet.maxAbsGrad.attained && !close(slopeAt(at), g, 1e-7)) fail(`max |f′| = ${g} at ${at}`, `|f′| = ${slopeAt(at)}`);
  if (typeof at === "number" && !Number.isFinite(at) && !close(Math.abs(n(s.dr(far(Math.sign(at) as 1 | -1)))), g, 1e-3)) {
    fail(`|f′| → ${g} as x → ${at}`, `|f′(${far(Math.sign(at) as 1 | -1)})| = ${n(s.dr(far(Math.sign(at) as 1 | -1)))}`);
  }
  if (Array.isArray(at)) for (const x of inside(at[0]!, at[1]!)) if (!close(slopeAt(x), g, 1e-9)) fail(`|f′| = ${g} on [${at}]`, `|f′(${x})| = ${slopeAt(x)}`);

  // Dead zones: f′ = 0 inside each; none elsewhere on the grid.
  for (const [lo, hi] of sheet.deadZones) {
    for (const x of inside(lo, hi)) if (!s.dl(x).isZero() || !s.dr(x).isZero()) fail(`f′ = 0 on (${lo}, ${hi})`, `f′(${x}) = ${s.dr(x)}`);
  }
  // (on [−10, 10]: beyond, f′ of a saturating f falls below even 400 digits of f)
  const grid = s.dPoints.filter((p) => Math.abs(p.x) <= 10);
  for (let i = 0; i + 2 < grid.length; i++) {
    const flat = [grid[i]!, grid[i + 1]!, grid[i + 2]!].every((p) => p.dl.isZero() && p.dr.isZero());
    if (flat && !sheet.deadZones.some(([lo, hi]) => lo <= grid[i]!.x && grid[i + 2]!.x <= hi)) {
      fail(`dead zones ${JSON.stringify(sheet.deadZones)}`, `f′ = 0 on [${grid[i]!.x}, ${grid[i + 2]!.x}]`);
      break;
    }
  }

  // Breakpoints: values and one-sided limits of f and f′.
  for (const b of sheet.smoothness.breakpoints) {
    const [xl, xr] = [b.x - offset(b.x), b.x + offset(b.x)];
    const [fl, fm, fr] = [n(s.f(xl)), n(s.f(b.x)), n(s.f(xr))];
    if (!close(fm, b.value, 1e-9)) fail(`f(${b.x}) = ${b.value}`, `${fm}`);
    if (!close(fl, b.leftValue, 1e-8)) fail(`f(${b.x}−) = ${b.leftValue}`, `${fl}`);
    if (!close(fr, b.rightValue, 1e-8)) fail(`f(${b.x}+) = ${b.rightValue}`, `${fr}`);
    const continuous = close(fl, fm, 1e-8) && close(fr, fm, 1e-8);
    if (b.continuous !== continuous) fail(`${b.continuous ? "continuous" : "discontinuous"} at ${b.x}`, `${fl} | ${fm} | ${fr}`);
    const [dl, dr] = [n(s.dl(xl)), n(s.dr(xr))];
    if (!close(dl, b.leftDerivative, 1e-6)) fail(`f′(${b.x}−) = ${b.leftDerivative}`, `${dl}`);
    if (!close(dr, b.rightDerivative, 1e-6)) fail(`f′(${b.x}+) = ${b.rightDerivative}`, `${dr}`);
    if (b.class === "C0" && close(dl, dr, 1e-9)) fail(`C0 at ${b.x} (f′ jumps)`, `f′ ${dl} | ${dr}`);
  }

  // Asymptotes, from f at ±10¹⁰ and ±10¹² (a stated limit, ≈ or not, must be what f is near).
  for (const [side, a] of [[-1, sheet.asymptotes.left], [1, sheet.asymptotes.right]] as const) {
    const X = far(side);
    const fX = s.f(X);
    if (a.kind === "horizontal" && !close(n(fX), a.value, 1e-6)) fail(`f → ${a.value} as x → ${side}∞`, `f(${X}) = ${fX}`);
    if (a.kind === "linear") {
      const residual = n(fX.sub(new Decimal(a.slope).mul(X)).sub(a.intercept));
      if (Math.abs(residual) > 1e-5 * Math.max(1, Math.abs(a.intercept))) fail(`f ~ ${a.slope}·x + ${a.intercept} as x → ${side}∞`, `f(${X}) − line = ${residual}`);
    }
    if (a.kind === "none" && a.limit !== null && !(Math.sign(n(fX)) === Math.sign(a.limit) && fX.abs().gt(s.f(far(side, 1e10)).abs()))) {
      fail(`f → ${a.limit} as x → ${side}∞`, `f(${X}) = ${fX}`);
    }
  }

  // The checklist's claims about the gradient at ±∞, and the signs of f.
  const c = sheet.checklist;
  for (const [side, where] of [[-1, "−∞"], [1, "+∞"]] as const) {
    const d = Math.abs(n(s.dr(far(side))));
    const m = new RegExp(`\\|f′\\| → (≈ )?([-\\d.e+]+) as x → ${where}`).exec(c.mitigatesVanishingGradient.reason);
    if (m && !close(d, Number(m[2]), 1e-3)) fail(`|f′| → ${m[2]} as x → ${where}`, `|f′(${far(side)})| = ${d}`);
    if (c.mitigatesVanishingGradient.reason.includes(`no limit as x → ${where}`)) {
      const ds = FAR.filter((x) => Math.sign(x) === side).map((x) => n(s.dr(x)));
      if (Math.max(...ds) - Math.min(...ds) < 0.1) fail(`f′ has no limit as x → ${where}`, `f′ far out: ${ds.join(", ")}`);
    }
  }
  if (c.bothSigns.value !== (values.some((v) => v < -1e-12) && values.some((v) => v > 1e-12))) fail(`both signs: ${c.bothSigns.value}`, `f from ${low} to ${high}`);

  // The moments under N(0, 1).
  if (!(close(sheet.meanUnderNormal.mean, n(s.result.mean), 1e-8) && close(sheet.meanUnderNormal.rms, n(s.result.rms), 1e-8))) {
    fail(`mean ${sheet.meanUnderNormal.mean}, rms ${sheet.meanUnderNormal.rms}`, `${s.result.mean.toPrecision(12)}, ${s.result.rms.toPrecision(12)}`);
  }
  return out;
}
