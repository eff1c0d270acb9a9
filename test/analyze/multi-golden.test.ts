import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { analyzeMulti } from "../../src/analyze/multi.js";
import type { MultiSheet, RangeEnd, SeveralInputsSheet, VectorSheet } from "../../src/analyze/multi-types.js";
import type { SideSaturation } from "../../src/analyze/types.js";
import { availableActivations, inputCount } from "../../src/catalog/catalog.js";
import { define } from "../../src/index.js";

/**
 * test/analyze/multi-properties.txt: the sheets of the catalog's functions of several inputs and
 * of vectors (and of two definitions that are neither proved nor provable the same way), as facts
 * written by hand, with how each must have been established. Rendered from the sheet in the
 * file's notation and compared token by token, numbers to 1e-7.
 */
interface Block {
  readonly line: number;
  readonly subject: string;
  readonly params: Record<string, number>;
  readonly expected: { line: number; key: string; value: string }[];
}

const FILE = fileURLToPath(new URL("./multi-properties.txt", import.meta.url));

function blocks(): Block[] {
  const out: Block[] = [];
  readFileSync(FILE, "utf8").split("\n").forEach((raw, i) => {
    const text = raw.trim();
    const line = i + 1;
    if (text === "" || text.startsWith("#")) return;
    if (text.startsWith("==")) {
      const rest = text.slice(2).trim();
      // A definition is the whole rest of the line; a catalog name may be followed by param=value.
      const [subject, ...assignments] = rest.includes("=") && !/^\w+(\s+\w+=\S+)*$/.test(rest) ? [rest] : rest.split(/\s+/);
      const params = Object.fromEntries(assignments.map((a) => [a.split("=")[0]!, Number(a.split("=")[1])]));
      out.push({ line, subject: subject!, params, expected: [] });
      return;
    }
    const m = /^(how \w+|\w+)\s+(.+)$/.exec(text);
    if (!m || out.length === 0) throw new Error(`multi-properties.txt:${line}: expected "key  value" inside a "== name" block`);
    out.at(-1)!.expected.push({ line, key: m[1]!, value: m[2]! });
  });
  return out;
}

const n = (v: number): string => (v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(Number(v.toPrecision(10))));
const interval = (inf: RangeEnd, sup: RangeEnd): string =>
  `${inf.attained ? "[" : "("}${n(inf.value)}, ${n(sup.value)}${sup.attained ? "]" : ")"}`;
const side = (s: SideSaturation): string => (s.kind === "hard" ? `hard ${n(s.c)}` : s.kind);

const SEVERAL: Record<string, (s: SeveralInputsSheet) => string> = {
  origin: (s) => `${n(s.atOrigin.value)} | ${s.inputs.map((u) => n(s.atOrigin.gradient[u]!)).join(", ")}`,
  factors: (s) => (s.separation === null ? "-" : [...(s.separation.constant === 1 ? [] : [n(s.separation.constant)]), ...s.separation.factors.map((f) => f.formula)].join(" | ")),
  range: (s) => (s.range.inf.status === "observed" ? `observed ${n(s.range.inf.value)}..${n(s.range.sup.value)}` : interval(s.range.inf, s.range.sup)),
  affine: (s) => s.inputs.map((u) => (s.linear[u] === null ? "?" : s.linear[u] ? "yes" : "no")).join(" | "),
  monotonic: (s) => s.inputs.map((u) => {
    const m = s.monotonic[u]!;
    return m.kind === "sign of" ? `sign ${m.coefficient}` : m.kind;
  }).join(" | "),
  saturation: (s) => s.inputs.map((u) => {
    const g = s.saturation[u];
    if (!g) return "?";
    return [g.left, g.right].map((x) => `${side(x.saturation)}${x.factorLimit === null ? "" : `->${n(x.factorLimit)}`}`).join(" ");
  }).join(" | "),
  lipschitz: (s) => (s.lipschitz.upper === null ? "?" : s.lipschitz.lower === s.lipschitz.upper ? n(s.lipschitz.upper) : `${n(s.lipschitz.lower)}..${n(s.lipschitz.upper)}`),
};

const VECTOR: Record<string, (s: VectorSheet) => string> = {
  jacobian: (s) => s.jacobian.element,
  rowsum: (s) => s.jacobian.rowSum ?? "-",
  range: (s) => `${interval(s.range.inf, s.range.sup)} ${s.range.inf.status} ${s.range.sup.status}`,
  sum: (s) => (s.sumToOne === null ? "-" : s.sumToOne.holds ? s.sumToOne.claim : "no"),
  shift: (s) => s.shift ?? "?",
  lipschitz: (s) => {
    const b = s.lipschitz.bound;
    if (b === null) return "none";
    return `${b.value === null ? b.text.replace(/^√N.*/, "sqrtN") : n(b.value)} ${b.attained ? "attained" : "approached"}`;
  },
  saturation: (s) => s.saturation.map((o) => `${side(o.left)} ${side(o.right)}`).join(" | "),
};

/** The file's key for a property, and the sheet's. */
const SHEET_KEY: Record<string, string> = { origin: "atOrigin", factors: "separation", affine: "linear", sum: "sumToOne" };

const how = (s: MultiSheet, key: string): string => {
  const method = (s.method as Record<string, { kind: string } | undefined>)[SHEET_KEY[key] ?? key];
  if (method === undefined) return `no method for ${key}`;
  return method.kind === "numeric" ? "observed" : "proved";
};

const TOKEN = /-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|-?inf|[A-Za-z_']+\d*|\S/g;

function matches(actual: string, expected: string): boolean {
  const a = actual.match(TOKEN) ?? [];
  const e = expected.match(TOKEN) ?? [];
  if (a.length !== e.length) return false;
  return a.every((t, i) => {
    const u = e[i]!;
    const [x, y] = [Number(t.replace("inf", "Infinity")), Number(u.replace("inf", "Infinity"))];
    if (/^-?(\d|\.|inf)/.test(u) && !Number.isNaN(x) && !Number.isNaN(y)) return x === y || Math.abs(x - y) <= 1e-9 + 1e-7 * Math.max(Math.abs(x), Math.abs(y));
    return t === u;
  });
}

const ALL = blocks();

describe("the golden file covers the catalog", () => {
  test("every available function of several inputs or of a vector has a block at its defaults", () => {
    const covered = new Set(ALL.filter((b) => Object.keys(b.params).length === 0).map((b) => b.subject));
    const multi = availableActivations().filter((e) => inputCount(e) > 1 || define(e.name).isVector).map((e) => e.name);
    expect(multi.filter((name) => !covered.has(name))).toEqual([]);
  });
});

describe.each(ALL.map((b) => [`${b.subject}${Object.entries(b.params).map(([k, v]) => ` ${k}=${v}`).join("")}`, b] as const))("%s", (_label, block) => {
  let sheet: MultiSheet | undefined;
  test.each(block.expected.map((e) => [e.key, e] as const))("%s", (_key, e) => {
    sheet ??= analyzeMulti(define(block.subject), { params: block.params });
    let actual: string;
    if (e.key.startsWith("how ")) actual = how(sheet, e.key.slice(4));
    else {
      const render = sheet.kind === "vector" ? VECTOR[e.key] : SEVERAL[e.key];
      actual = render === undefined ? `no key ${e.key} for a ${sheet.kind} sheet` : (render as (s: MultiSheet) => string)(sheet);
    }
    if (!matches(actual, e.value)) {
      expect(`multi-properties.txt:${e.line}: ${e.key} ${actual}`).toBe(`multi-properties.txt:${e.line}: ${e.key} ${e.value}`);
    }
  });
});
