import { scaleLinear, type ScaleLinear } from "d3-scale";
import { line } from "d3-shape";
import type { Kink, Point, Sampled } from "./sample.js";
import { escapeXml } from "./text.js";

/** One curve of a plot: the activation at one set of parameter values. */
export interface Series {
  /** Legend text, e.g. `β = 0.5`. */
  readonly label: string;
  readonly sampled: Sampled;
  /** The curve at the default parameters: drawn solid and on top. */
  readonly main: boolean;
  /** A guide rather than a curve of the function (a piece maxout takes the max of): thin, grey, underneath. */
  readonly faint?: boolean;
}

export interface PlotOptions {
  /** Prefix of every id inside the SVG; unique within the page that embeds it. */
  readonly id: string;
  /** Short name of what is plotted, e.g. `swish′(x)`; the accessible name of the image. */
  readonly title: string;
  /** What the plot shows, in words: the text alternative for a reader who cannot see it. */
  readonly description: string;
  readonly series: readonly Series[];
  readonly xDomain: readonly [number, number];
  readonly size: "full" | "thumbnail";
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
const MAIN_COLOUR = "#0072b2";
const VARIANT_STYLES = [
  { colour: "#d55e00", dash: "7 4" },
  { colour: "#009e73", dash: "2 3" },
  { colour: "#cc79a7", dash: "9 3 2 3" },
  { colour: "#e69f00", dash: "4 2" },
  { colour: "#56b4e9", dash: "1 2" },
  { colour: "#000000", dash: "12 4" },
] as const;

const LAYOUT = {
  full: { width: 560, height: 310, margin: { top: 24, right: 14, bottom: 28, left: 46 }, fontSize: 11, stroke: 2, radius: 3.5, xTicks: 8, yTicks: 6 },
  thumbnail: { width: 240, height: 130, margin: { top: 6, right: 6, bottom: 18, left: 30 }, fontSize: 9, stroke: 1.75, radius: 2.5, xTicks: 3, yTicks: 3 },
} as const;

/** Where a full-size plot's x axis lies, as fractions of its width: the page maps a pointer to x with it. */
export const FULL_PLOT_X = {
  left: LAYOUT.full.margin.left / LAYOUT.full.width,
  right: (LAYOUT.full.width - LAYOUT.full.margin.right) / LAYOUT.full.width,
} as const;

export interface SeriesStyle { readonly colour: string; readonly dash?: string }

/** Guides: one grey, told apart by their dashes. */
const FAINT_STYLES = [
  { colour: "#8c8c8c", dash: "1 3" }, { colour: "#8c8c8c", dash: "6 3" }, { colour: "#8c8c8c", dash: "3 2 1 2" }, { colour: "#8c8c8c", dash: "10 3" },
] as const;

/** The colour and dash pattern of each series, in the order given; the main one is solid. */
export function seriesStyles(series: readonly Series[]): SeriesStyle[] {
  let variant = 0;
  let faint = 0;
  return series.map((s) => (s.main ? { colour: MAIN_COLOUR } : s.faint ? FAINT_STYLES[faint++ % FAINT_STYLES.length]! : VARIANT_STYLES[variant++ % VARIANT_STYLES.length]!));
}

/**
 * An SVG line chart of one or more curves over xDomain: grid and tick labels from d3-scale's
 * ticks, paths from d3-shape's line (broken wherever a sample is null), a dot at each kink and,
 * at a jump, an open circle at each one-sided limit the function does not take.
 */
export function plotSvg(options: PlotOptions): string {
  const layout = LAYOUT[options.size];
  const { width, height, margin } = layout;
  const plotArea = { left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom };
  const x = scaleLinear().domain(options.xDomain).range([plotArea.left, plotArea.right]);
  const y = scaleLinear().domain(yDomain(options.series)).range([plotArea.bottom, plotArea.top])
    // Rounded out to a finer step than the labels use, so the frame hugs the curves.
    .nice(layout.yTicks * 2);
  const styles = seriesStyles(options.series);
  // Escaped like text: an id is an attribute value, and names reach it.
  const id = (suffix: string): string => escapeXml(`${options.id}-${suffix}`);
  // Far off-scale values (a pole) are pinned a few heights outside; the clip path hides them.
  const py = (v: number): number => Math.max(-4 * height, Math.min(5 * height, y(v)));
  const path = line<Point | null>()
    .defined((p): p is Point => p !== null)
    .x((p) => x(p![0]))
    .y((p) => py(p![1]))
    .digits(2);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot plot-${options.size}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `role="img" aria-labelledby="${id("title")} ${id("desc")}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="${layout.fontSize}">`,
    `<title id="${id("title")}">${escapeXml(options.title)}</title>`,
    `<desc id="${id("desc")}">${escapeXml(options.description)}</desc>`,
    `<defs><clipPath id="${id("clip")}"><rect x="${plotArea.left}" y="${plotArea.top}" width="${plotArea.right - plotArea.left}" height="${plotArea.bottom - plotArea.top}"/></clipPath></defs>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  out.push(axes(x, y, plotArea, layout));
  out.push(`<g class="curves" clip-path="url(#${id("clip")})" fill="none" stroke-linejoin="round" stroke-linecap="round">`);
  // Guides underneath, then variants, the main curve last so that it stays visible where they overlap.
  const layer = (s: Series): number => (s.faint ? -1 : Number(s.main));
  const order = options.series.map((s, i) => i).sort((a, b) => layer(options.series[a]!) - layer(options.series[b]!));
  for (const i of order) {
    const s = options.series[i]!;
    const style = styles[i]!;
    const d = path(s.sampled.points as (Point | null)[]) ?? "";
    out.push(`<path class="${s.main ? "curve main" : s.faint ? "curve guide" : "curve variant"}" d="${d}" stroke="${style.colour}" stroke-width="${s.main ? layout.stroke : s.faint ? layout.stroke * 0.5 : layout.stroke * 0.75}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""}><title>${escapeXml(s.label)}</title></path>`);
  }
  out.push(`</g>`);
  out.push(`<g class="kinks">`);
  for (const i of order) {
    for (const k of options.series[i]!.sampled.kinks) out.push(kinkMarks(k, x, y, styles[i]!.colour, options.series[i]!.main ? layout.radius : layout.radius * 0.8));
  }
  out.push(`</g>`);
  if (options.size === "full") {
    out.push(`<text class="plot-label" x="${plotArea.left}" y="${plotArea.top - 8}" font-size="${layout.fontSize + 2}" font-weight="600" fill="#333333">${escapeXml(options.title)}</text>`);
    if (options.series.length > 1) out.push(legend(options.series, styles, plotArea, layout.fontSize, x, y));
  }
  out.push(`</svg>`);
  return out.join("\n");
}

interface Area { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number }

/** Grid lines and labels at d3's ticks; the axes themselves where x = 0 and y = 0. */
function axes(x: ScaleLinear<number, number>, y: ScaleLinear<number, number>, area: Area, layout: (typeof LAYOUT)[keyof typeof LAYOUT]): string {
  const out: string[] = [`<g class="axes">`];
  const xTicks = x.ticks(layout.xTicks);
  const yTicks = y.ticks(layout.yTicks);
  const fx = x.tickFormat(layout.xTicks);
  const fy = y.tickFormat(layout.yTicks);
  const grid = (x1: number, y1: number, x2: number, y2: number, colour: string): string =>
    `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${colour}" stroke-width="1"/>`;
  for (const t of xTicks) out.push(grid(x(t), area.top, x(t), area.bottom, t === 0 ? "#8a8a8a" : "#e8e8e8"));
  for (const t of yTicks) out.push(grid(area.left, y(t), area.right, y(t), t === 0 ? "#8a8a8a" : "#e8e8e8"));
  out.push(`<rect x="${area.left}" y="${area.top}" width="${area.right - area.left}" height="${area.bottom - area.top}" fill="none" stroke="#b0b0b0"/>`);
  out.push(`<g class="tick-labels" fill="#444444">`);
  for (const t of xTicks) out.push(`<text x="${round(x(t))}" y="${area.bottom + layout.fontSize + 3}" text-anchor="middle">${escapeXml(fx(t))}</text>`);
  for (const t of yTicks) out.push(`<text x="${area.left - 4}" y="${round(y(t) + layout.fontSize / 3)}" text-anchor="end">${escapeXml(fy(t))}</text>`);
  out.push(`</g>`, `</g>`);
  return out.join("\n");
}

/** A dot at the value the function takes; at a jump, open circles at the limits it does not take. */
function kinkMarks(k: Kink, x: ScaleLinear<number, number>, y: ScaleLinear<number, number>, colour: string, r: number): string {
  const [lo, hi] = y.domain() as [number, number];
  const visible = (v: number): boolean => Number.isFinite(v) && v >= lo && v <= hi;
  const dot = (v: number, open: boolean): string =>
    `<circle class="kink ${open ? "open" : "filled"}" cx="${round(x(k.x))}" cy="${round(y(v))}" r="${r}" fill="${open ? "#ffffff" : colour}" stroke="${colour}" stroke-width="1.5"/>`;
  const out: string[] = [];
  const near = (u: number, v: number): boolean => Math.abs(u - v) <= 1e-9 * Math.max(1, Math.abs(u), Math.abs(v));
  if (k.kind !== "corner") {
    for (const limit of k.kind === "jump" ? [k.left, k.right] : [k.left]) {
      if (visible(limit) && !near(limit, k.value)) out.push(dot(limit, true));
    }
  }
  if (visible(k.value)) out.push(dot(k.value, false));
  return out.join("");
}

/** What one marked point weighs against the sampled points of curves when the legend looks for a corner. */
const MARK_WEIGHT = 1000;

/** The legend, in whichever corner of the plot the curves leave emptiest. */
function legend(
  series: readonly Series[], styles: readonly SeriesStyle[], area: Area, fontSize: number,
  x: ScaleLinear<number, number>, y: ScaleLinear<number, number>,
): string {
  const rowHeight = fontSize + 5;
  const widest = Math.max(...series.map((s) => [...s.label].length));
  const box = { width: 34 + widest * fontSize * 0.62, height: series.length * rowHeight + 6 };
  const corners = [
    [area.left + 8, area.top + 6], [area.right - 8 - box.width, area.top + 6],
    [area.right - 8 - box.width, area.bottom - 6 - box.height], [area.left + 8, area.bottom - 6 - box.height],
  ] as const;
  const covered = ([cx, cy]: readonly [number, number]): number => {
    let n = 0;
    const inside = (u: number, v: number): boolean => {
      const [px, py] = [x(u), y(v)];
      return px >= cx - 4 && px <= cx + box.width + 4 && py >= cy - 4 && py <= cy + box.height + 4;
    };
    for (const s of series) {
      for (const p of s.sampled.points) if (p !== null && inside(p[0], p[1])) n++;
      // A marked point (a kink's dot or circle) must not hide under the legend where a corner is free of them.
      for (const k of s.sampled.kinks) for (const v of [k.value, k.left, k.right]) if (Number.isFinite(v) && inside(k.x, v)) n += MARK_WEIGHT;
    }
    return n;
  };
  // The first corner wins a tie, so the legend sits top left unless a curve runs through it.
  const [left, top] = corners.reduce((best, c) => (covered(c) < covered(best) ? c : best));
  const out = [
    `<g class="legend" transform="translate(${round(left)},${round(top)})">`,
    `<rect x="0" y="0" width="${round(box.width)}" height="${box.height}" fill="#ffffff" fill-opacity="0.9" stroke="#d0d0d0"/>`,
  ];
  series.forEach((s, i) => {
    const style = styles[i]!;
    const cy = 3 + rowHeight * i + rowHeight / 2;
    out.push(
      `<line x1="6" y1="${round(cy)}" x2="26" y2="${round(cy)}" stroke="${style.colour}" stroke-width="2"${style.dash ? ` stroke-dasharray="${style.dash}"` : ""}/>`,
      `<text x="31" y="${round(cy + fontSize / 3)}" fill="#222222">${escapeXml(s.label)}</text>`,
    );
  });
  out.push(`</g>`);
  return out.join("\n");
}

/**
 * The values to show: all of them, unless a few (a pole) are far outside the bulk — then the
 * bulk with a margin. A constant gets a unit-high window around it.
 */
export function yDomain(series: readonly Series[]): [number, number] {
  const weighted: [value: number, weight: number][] = [];
  for (const s of series) {
    for (const [i, p] of s.sampled.points.entries()) {
      if (p === null) continue;
      // Each value counts for the stretch of x it stands for: refinement near a pole adds many
      // points there, and they must not outvote the rest of the curve.
      const before = s.sampled.points[i - 1];
      const after = s.sampled.points[i + 1];
      weighted.push([p[1], ((after ? after[0] : p[0]) - (before ? before[0] : p[0])) / 2]);
    }
    for (const k of s.sampled.kinks) weighted.push(...[k.value, k.left, k.right].filter(Number.isFinite).map((v): [number, number] => [v, 0]));
  }
  if (weighted.length === 0) return [-1, 1];
  weighted.sort((a, b) => a[0] - b[0]);
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  const quantile = (q: number): number => {
    let seen = 0;
    for (const [v, w] of weighted) {
      seen += w;
      if (seen >= q * total) return v;
    }
    return weighted.at(-1)![0];
  };
  let [lo, hi] = [weighted[0]![0], weighted.at(-1)![0]];
  const bulk = quantile(0.98) - quantile(0.02);
  if (bulk > 0 && hi - lo > 25 * bulk) [lo, hi] = [Math.max(lo, quantile(0.02) - bulk / 2), Math.min(hi, quantile(0.98) + bulk / 2)];
  if (hi - lo < 1e-9 * Math.max(1, Math.abs(lo))) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}

const round = (v: number): number => {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? 0 : r; // no "-0" in the markup
};
