/**
 * Input size: the time of each stage for flat sums of 1k, 10k and 100k terms and for calls nested
 * 100, 300 and 1,000 deep (issue 17). `npm run bench -- --sizes`. Each case runs once in a fresh
 * input (a new variable name, so no cache helps) after one small warm-up of every stage: these
 * are seconds-long single runs, where a median of many would take an hour.
 */
import { define, print, simplify, type Activation } from "../src/index.js";

export interface SizeRow {
  readonly input: string;
  readonly characters: number;
  /** Milliseconds per stage; undefined where the stage was not run (its cost is not linear in the input). */
  readonly ms: Readonly<Record<Stage, number | undefined>>;
}

export const STAGES = ["parse", "print", "simplify", "latex", "diff", "compile f", "compile f′", "emit"] as const;
type Stage = (typeof STAGES)[number];

let fresh = 0;

const flatSum = (n: number, x: string): string => Array.from({ length: n }, (_, i) => `${(i % 9) + 1}*sin(${x} + ${i})`).join(" + ");
const nesting = (fn: string, n: number, x: string): string => `${fn}(`.repeat(n) + x + ")".repeat(n);

function timeStages(source: string): Record<Stage, number | undefined> {
  const ms = {} as Record<Stage, number | undefined>;
  const time = <T>(stage: Stage, f: () => T): T => {
    const start = performance.now();
    const out = f();
    ms[stage] = Number((performance.now() - start).toFixed(1));
    return out;
  };
  const f: Activation = time("parse", () => define(source));
  time("print", () => print(f.expr));
  time("simplify", () => simplify(f.written));
  time("latex", () => f.toLatex());
  const d = time("diff", () => f.derivative());
  time("compile f", () => f.compile()(0.5));
  time("compile f′", () => d.compile()(0.5));
  time("emit", () => f.emitModule());
  return ms;
}

export function sizeSection(progress: (text: string) => void, quick = false): SizeRow[] {
  // One small case of each shape first, so that no case pays for compiling the stages' code.
  timeStages(`warm1(w) = ${flatSum(50, "w")}`);
  timeStages(`warm2(w) = ${nesting("sigmoid", 20, "w")}`);
  const cases: { label: string; source: (x: string) => string }[] = [
    ...(quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]).map((n) => ({ label: `flat sum, ${n.toLocaleString("en-US")} terms`, source: (x: string) => flatSum(n, x) })),
    ...[100, 300, 1_000].flatMap((n) => ["exp", "sigmoid"].map((fn) => ({ label: `${fn}( nested ${n.toLocaleString("en-US")} deep`, source: (x: string) => nesting(fn, n, x) }))),
  ];
  return cases.map(({ label, source }) => {
    progress(`input size: ${label}`);
    // A definition in a new input name: f_k(x_k) = …, so no cache of an earlier case helps.
    const k = fresh++;
    const text = `f_${k}(x_${k}) = ${source(`x_${k}`)}`;
    return { input: label, characters: text.length, ms: timeStages(text) };
  });
}

export function sizeTable(rows: readonly SizeRow[]): string {
  const header = `| input | characters | ${STAGES.join(" | ")} |`;
  const align = `| :-- | --: | ${STAGES.map(() => "--:").join(" | ")} |`;
  const cell = (v: number | undefined): string => (v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
  return [header, align, ...rows.map((r) => `| ${r.input} | ${r.characters.toLocaleString("en-US")} | ${STAGES.map((s) => cell(r.ms[s])).join(" | ")} |`)].join("\n");
}
