import { describe, expect, test } from "vitest";
import { plotSvg, yDomain, type Series } from "../../src/docs/plot.js";
import { sampleCurve, type Point, type Sampled } from "../../src/docs/sample.js";

/** The drawn pieces: runs of points between the nulls. */
function pieces(s: Sampled): Point[][] {
  const out: Point[][] = [[]];
  for (const p of s.points) {
    if (p === null) out.push([]);
    else out.at(-1)!.push(p);
  }
  return out.filter((piece) => piece.length > 0);
}

const DOMAIN = [-6, 6] as const;
const relu = (x: number): number => (x > 0 ? x : 0);
const reluPrime = (x: number): number => (x > 0 ? 1 : 0);

describe("sampling: where the path breaks and what is marked", () => {
  test("a jump breaks the path: relu′ is two pieces, each running up to the breakpoint from its side", () => {
    const s = sampleCurve(reluPrime, DOMAIN, [0]);
    const [left, right, ...rest] = pieces(s);
    expect(rest).toEqual([]);
    expect(left!.every(([, y]) => y === 0)).toBe(true);
    expect(right!.every(([, y]) => y === 1)).toBe(true);
    expect(left!.at(-1)![0]).toBeCloseTo(0, 8);
    expect(right![0]![0]).toBeCloseTo(0, 8);
    expect(s.kinks).toEqual([{ x: 0, value: 0, left: 0, right: 1, kind: "jump" }]);
  });

  test("a corner stays one path with its vertex at the breakpoint, and is marked: relu", () => {
    const s = sampleCurve(relu, DOMAIN, [0]);
    expect(pieces(s)).toHaveLength(1);
    // The breakpoint is a sample point (a hair inside its left piece): the corner is sharp.
    expect(s.points.some((p) => p !== null && Math.abs(p[0]) < 1e-8 && Math.abs(p[1]) < 1e-8)).toBe(true);
    expect(s.kinks).toHaveLength(1);
    expect(s.kinks[0]).toMatchObject({ x: 0, value: 0, kind: "corner" });
  });

  test("a breakpoint where the curve is smooth is not marked: softsign is C¹ at 0", () => {
    const s = sampleCurve((x) => x / (1 + Math.abs(x)), DOMAIN, [0]);
    expect(pieces(s)).toHaveLength(1);
    expect(s.kinks).toEqual([]);
  });

  test("a value set apart from equal limits is a point of its own", () => {
    const s = sampleCurve((x) => (x === 2 ? 5 : x), DOMAIN, [2]);
    expect(pieces(s)).toHaveLength(1);
    expect(s.kinks).toEqual([{ x: 2, value: 5, left: expect.closeTo(2, 6), right: expect.closeTo(2, 6), kind: "point" }]);
  });

  test("relu6's two kinks, with the value at each its own piece's", () => {
    const relu6 = (x: number): number => (x <= 0 ? 0 : x >= 6 ? 6 : x);
    const s = sampleCurve(relu6, [-6, 7], [0, 6]);
    expect(s.kinks.map((k) => [k.x, k.kind, k.value])).toEqual([[0, "corner", 0], [6, "corner", 6]]);
  });

  test("a pole breaks the path without any breakpoint: no line joins 1/x across 0", () => {
    const s = sampleCurve((x) => 1 / x, DOMAIN);
    const ps = pieces(s);
    expect(ps.length).toBeGreaterThanOrEqual(2);
    for (const piece of ps) expect(piece.every(([x]) => x < 0) || piece.every(([x]) => x > 0)).toBe(true);
  });

  test("a jump inside a piece (a switch the breakpoint search missed) breaks the path too", () => {
    const s = sampleCurve((x) => (x > 0.123 ? 3 : -1), DOMAIN);
    const ps = pieces(s);
    expect(ps).toHaveLength(2);
    expect(ps[0]!.at(-1)![0]).toBeCloseTo(0.123, 4);
  });

  test("values that are not finite are left out, and the boundary is found: log(x)", () => {
    const s = sampleCurve(Math.log, DOMAIN);
    const ps = pieces(s);
    expect(ps).toHaveLength(1);
    expect(ps[0]!.every(([x]) => x > 0)).toBe(true);
    expect(ps[0]![0]![0]).toBeLessThan(1e-3);
  });

  test("a steep continuous curve is refined, not broken: the polyline stays within 0.1% of tanh(40x)", () => {
    const f = (x: number): number => Math.tanh(40 * x);
    const [only, ...rest] = pieces(sampleCurve(f, DOMAIN));
    expect(rest).toEqual([]);
    const worst = Math.max(...only!.slice(1).map(([x1, y1], i) => {
      const [x0, y0] = only![i]!;
      return Math.abs(f((x0 + x1) / 2) - (y0 + y1) / 2);
    }));
    expect(worst).toBeLessThan(2e-3); // 0.1% of the range, 2
  });

  test("steep near a boundary is not a jump: log(x) near 0 is one piece", () => {
    expect(pieces(sampleCurve(Math.log, [0, 6]))).toHaveLength(1);
  });

  test("a function that throws is treated as undefined there, not as a crash", () => {
    const s = sampleCurve((x) => {
      if (x < 0) throw new Error("no");
      return x;
    }, DOMAIN);
    expect(pieces(s)).toHaveLength(1);
    expect(s.points.every((p) => p === null || p[0] >= 0)).toBe(true);
  });

  test("breakpoints outside the domain change nothing", () => {
    expect(sampleCurve(relu, DOMAIN, [-50, 50])).toEqual(sampleCurve(relu, DOMAIN));
  });
});

const series = (label: string, f: (x: number) => number, breakpoints: number[] = [], main = true): Series =>
  ({ label, main, sampled: sampleCurve(f, DOMAIN, breakpoints) });

const plot = (s: readonly Series[], size: "full" | "thumbnail" = "full"): string =>
  plotSvg({ id: "t", title: "relu′(x)", description: "Plot of relu′(x) & friends", series: s, xDomain: DOMAIN, size });

const attribute = (svg: string, element: string, name: string): string[] =>
  [...svg.matchAll(new RegExp(`<${element}\\b[^>]*\\b${name}="([^"]*)"`, "g"))].map((m) => m[1]!);

describe("the SVG", () => {
  test("an accessible image: role img, named by its title and described by its desc, text escaped", () => {
    const svg = plot([series("f", reluPrime, [0])]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img" aria-labelledby="t-title t-desc"/);
    expect(svg).toContain(`<title id="t-title">relu′(x)</title>`);
    expect(svg).toContain(`<desc id="t-desc">Plot of relu′(x) &amp; friends</desc>`);
  });

  test("a jump: the path has two subpaths, with an open circle at the limit not taken and a dot at the value", () => {
    const svg = plot([series("f", reluPrime, [0])]);
    const [d] = attribute(svg, "path", "d");
    expect(d!.match(/M/g)).toHaveLength(2);
    expect(svg.match(/class="kink open"/g)).toHaveLength(1);
    expect(svg.match(/class="kink filled"/g)).toHaveLength(1);
    // The open circle sits higher on the screen (y = 1) than the filled dot (y = 0).
    const [openY] = [...svg.matchAll(/class="kink open" cx="[^"]*" cy="([^"]*)"/g)].map((m) => Number(m[1]));
    const [dotY] = [...svg.matchAll(/class="kink filled" cx="[^"]*" cy="([^"]*)"/g)].map((m) => Number(m[1]));
    expect(openY!).toBeLessThan(dotY!);
  });

  test("a corner: one subpath and a filled dot at the kink", () => {
    const svg = plot([series("f", relu, [0])]);
    const [d] = attribute(svg, "path", "d");
    expect(d!.match(/M/g)).toHaveLength(1);
    expect(svg.match(/class="kink filled"/g)).toHaveLength(1);
    expect(svg).not.toContain("kink open");
  });

  test("variants are overlaid: a path each, dashed, under the solid main curve, and named in the legend", () => {
    const swish = (b: number) => (x: number): number => x / (1 + Math.exp(-b * x));
    const svg = plot([series("β = 1", swish(1)), series("β = 0.5", swish(0.5), [], false), series("β = 2", swish(2), [], false)]);
    const classes = attribute(svg, "path", "class");
    expect(classes).toEqual(["curve variant", "curve variant", "curve main"]);
    expect(attribute(svg, "path", "stroke-dasharray")).toHaveLength(2);
    expect(svg).toMatch(/<g class="legend"[\s\S]*β = 1[\s\S]*β = 0\.5[\s\S]*β = 2/);
  });

  test("guides (the pieces of a max) are drawn first, thin and grey, and named in the legend", () => {
    const pieceA = { ...series("piece x", (x) => x, [], false), faint: true };
    const pieceB = { ...series("piece 1 - x", (x) => 1 - x, [], false), faint: true };
    const svg = plot([series("max(x, 1 - x)", (x) => Math.max(x, 1 - x), [0.5]), pieceA, pieceB]);
    expect(attribute(svg, "path", "class")).toEqual(["curve guide", "curve guide", "curve main"]);
    expect(attribute(svg, "path", "stroke")).toEqual(["#8c8c8c", "#8c8c8c", "#0072b2"]);
    expect(new Set(attribute(svg, "path", "stroke-dasharray")).size).toBe(2);
    expect(svg).toMatch(/<g class="legend"[\s\S]*piece x<[\s\S]*piece 1 - x</);
  });

  test("the legend keeps off a marked point when some corner is free of them", () => {
    // A step at x = −3: its open circle (−3, 1) is in the top left, where the fewest curve
    // points are; a legend there would hide it.
    const step = (x: number): number => (x > -3 ? 1 : 0);
    const svg = plot([series("a step at x = −3", step, [-3]), series("zero", () => 0, [], false)]);
    const [tx, ty] = /<g class="legend" transform="translate\(([\d.]+),([\d.]+)\)"/.exec(svg)!.slice(1).map(Number);
    const [width, height] = /<rect x="0" y="0" width="([\d.]+)" height="([\d.]+)" fill="#ffffff" fill-opacity/.exec(svg)!.slice(1).map(Number);
    const marks = [...svg.matchAll(/class="kink (?:open|filled)" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(marks).toHaveLength(2);
    for (const [cx, cy] of marks) expect(cx >= tx! - 4 && cx <= tx! + width! + 4 && cy >= ty! - 4 && cy <= ty! + height! + 4).toBe(false);
  });

  test("tick labels come from the scale's ticks, with true minus signs", () => {
    const svg = plot([series("f", relu, [0])]);
    const labels = [...svg.matchAll(/<text x="[^"]*" y="[^"]*" text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(["−6", "−4", "−2", "0", "2", "4", "6"]);
  });

  test("a thumbnail has no legend and no label, and still its title and desc", () => {
    const svg = plot([series("f", relu, [0])], "thumbnail");
    expect(svg).not.toContain(`class="legend"`);
    expect(svg).not.toContain(`class="plot-label"`);
    expect(svg).toContain(`<title id="t-title">`);
  });

  test("a pole does not set the scale: 1/x is shown over the bulk of its values", () => {
    const [lo, hi] = yDomain([series("f", (x) => 1 / x)]);
    expect(hi - lo).toBeLessThan(100);
  });

  test("a constant gets a window around it", () => {
    expect(yDomain([series("f", () => 0)])).toEqual([-0.5, 0.5]);
  });

  test("the same input gives the same bytes", () => {
    const make = (): string => plot([series("f", (x) => x * Math.tanh(Math.log1p(Math.exp(x))), [])]);
    expect(make()).toBe(make());
  });
});
