import { describe, expect, test } from "vitest";
import { analyze } from "../../src/analyze/index.js";
import type { PropertySheet } from "../../src/analyze/types.js";
import { oneInputActivations } from "../../src/catalog/catalog.js";
import { define } from "../../src/index.js";
import { contentLines } from "../support/fixtures.js";

/**
 * test/fixtures/properties.txt: the property sheet of every catalog activation, and of some at
 * other parameter values, as facts written by hand. Each line is rendered from the sheet in the
 * file's notation and compared token by token, numbers to 1e-7.
 */
interface Block {
  readonly line: number;
  readonly name: string;
  readonly params: Record<string, number>;
  readonly expected: { line: number; key: string; value: string }[];
}

function blocks(): Block[] {
  const out: Block[] = [];
  for (const { line, text } of contentLines("properties.txt")) {
    if (text.startsWith("==")) {
      const [name, ...assignments] = text.slice(2).trim().split(/\s+/);
      const params = Object.fromEntries(assignments.map((a) => {
        const [k, v] = a.split("=");
        return [k!, Number(v)];
      }));
      out.push({ line, name: name!, params, expected: [] });
      continue;
    }
    const m = /^(\w+)\s+(.+)$/.exec(text);
    if (!m || out.length === 0) throw new Error(`properties.txt:${line}: expected "key  value" inside a "== name" block`);
    out.at(-1)!.expected.push({ line, key: m[1]!, value: m[2]! });
  }
  return out;
}

const n = (v: number): string => (v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(Number(v.toPrecision(10))));
const yes = (b: boolean): string => (b ? "yes" : "no");

/** Each key of the file, rendered from a sheet in the file's notation. */
const RENDER: Record<string, (s: PropertySheet) => string> = {
  f0: (s) => n(s.f0),
  df0: (s) => n(s.df0),
  range: (s) => `${s.range.infAttained ? "[" : "("}${n(s.range.inf)}, ${n(s.range.sup)}${s.range.supAttained ? "]" : ")"}`,
  monotonic: (s) => (!s.monotonic ? "no" : s.monotonicDirection ?? "constant"),
  extrema: (s) => (s.extrema.length ? s.extrema.map((e) => `${e.kind} ${n(e.value)} at ${n(e.x)}`).join("; ") : "none"),
  symmetry: (s) => (s.symmetry === null ? "none" : typeof s.symmetry === "string" ? s.symmetry : `point (${n(s.symmetry.point[0])}, ${n(s.symmetry.point[1])})`),
  zeroCentred: (s) => yes(s.zeroCentred),
  saturation: (s) => [s.saturation.left, s.saturation.right].map((t) => (t.kind === "hard" ? `hard ${n(t.c)}` : t.kind)).join(" | "),
  maxAbsGrad: (s) => {
    const { value, at, attained } = s.maxAbsGrad;
    if (Array.isArray(at)) return `${n(value)} on ${n(at[0]!)}..${n(at[1]!)}`;
    return attained ? `${n(value)} at ${n(at as number)}` : `${n(value)} as x -> ${n(at as number)}`;
  },
  // An end in brackets belongs to the zone (f′ there is 0 by the definition's convention).
  deadZone: (s) => (s.deadZones.length
    ? s.deadZones.map(([lo, hi], i) => `${s.deadZoneClosed[i]![0] ? "[" : "("}${n(lo)}, ${n(hi)}${s.deadZoneClosed[i]![1] ? "]" : ")"}`).join(", ")
    : "none"),
  smoothness: (s) => s.smoothness.class,
  breakpoints: (s) => s.smoothness.breakpoints
    .map((b) => `${n(b.x)}: ${b.continuous ? "continuous" : "jump"}, f' ${n(b.leftDerivative)} | ${n(b.rightDerivative)}, ${b.class}`).join("; ") || "none",
  lipschitz: (s) => n(s.lipschitz),
  asymptotes: (s) => [s.asymptotes.left, s.asymptotes.right].map((a) => {
    if (a.kind === "horizontal") return n(a.value);
    if (a.kind === "none") return a.limit === null ? "?" : `${n(a.limit)}`;
    const slope = a.slope === 1 ? "x" : a.slope === -1 ? "-x" : `${n(a.slope)}x`;
    return a.intercept === 0 ? slope : `${slope} ${a.intercept < 0 ? "-" : "+"} ${n(Math.abs(a.intercept))}`;
  }).join(" | "),
  cybenko: (s) => yes(s.universalApproximation.cybenko),
  leshno: (s) => yes(s.universalApproximation.leshno),
  mean: (s) => n(s.meanUnderNormal.mean),
  rms: (s) => n(s.meanUnderNormal.rms),
};

const TOKEN = /-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|-?inf|[A-Za-z_']+\d*|\S/g;

/** Token by token; numbers to 1e-7 relative or 1e-9 absolute. */
function matches(actual: string, expected: string): boolean {
  const a = actual.match(TOKEN) ?? [];
  const e = expected.match(TOKEN) ?? [];
  if (a.length !== e.length) return false;
  return a.every((t, i) => {
    const u = e[i]!;
    const [x, y] = [Number(t.replace("inf", "Infinity")), Number(u.replace("inf", "Infinity"))];
    if (/^-?(\d|\.|inf)/.test(u) && !Number.isNaN(x) && !Number.isNaN(y)) {
      return x === y || Math.abs(x - y) <= 1e-9 + 1e-7 * Math.max(Math.abs(x), Math.abs(y));
    }
    return t === u;
  });
}

const ALL = blocks();

describe("the golden file covers the whole catalog", () => {
  test("every available activation has a block at its defaults, with the same keys as sigmoid's", () => {
    const atDefaults = new Set(ALL.filter((b) => Object.keys(b.params).length === 0).map((b) => b.name));
    expect(oneInputActivations().map((e) => e.name).filter((name) => !atDefaults.has(name))).toEqual([]);
  });

  test("every key in the file is one the test knows how to render", () => {
    const unknown = ALL.flatMap((b) => b.expected.filter((e) => !(e.key in RENDER)).map((e) => `properties.txt:${e.line}: ${e.key}`));
    expect(unknown).toEqual([]);
  });
});

describe.each(ALL.map((b) => [`${b.name}${Object.entries(b.params).map(([k, v]) => ` ${k}=${v}`).join("")}`, b] as const))("%s", (_label, block) => {
  let sheet: PropertySheet | undefined;
  test.each(block.expected.map((e) => [e.key, e] as const))("%s", (_key, e) => {
    sheet ??= analyze(define(block.name), { params: block.params });
    const actual = RENDER[e.key]!(sheet);
    if (!matches(actual, e.value)) {
      // The message names the line of the file, so that a reader goes straight to the claim.
      expect(`properties.txt:${e.line}: ${e.key} ${actual}`).toBe(`properties.txt:${e.line}: ${e.key} ${e.value}`);
    }
  });
});
