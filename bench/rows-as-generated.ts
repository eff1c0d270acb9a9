/**
 * Why the row kernels' backward and fused passes are slower than the hand-written loops: the
 * hand-written loops of bench/handwritten-rows.ts transcribed with actdiff's algorithm — every loop
 * that needs exp(x_k − m) computes it again (softmax forward: 2 per element, VJP: 3, fused: 4;
 * log_softmax and logsumexp VJP: 2), and maxout's VJP finds its group's argmax once per element
 * (k times per group) through Math.floor(i / k) — timed side by side with actdiff's kernel and
 * the hand-written loop, float64. If actdiff's kernel runs as fast as the transcription, the
 * difference from the hand-written loop is the algorithm, not the code around it.
 *
 *   node --expose-gc --import tsx bench/rows-as-generated.ts
 */
import { define } from "../src/index.js";
import { HANDWRITTEN_ROWS as H } from "./handwritten-rows.js";
import { KERNEL_BUDGET, pairedRounds, uniform } from "./measure.js";

type A = Float64Array;
const shiftOf = (m: number): number => (Math.abs(m) <= Number.MAX_VALUE ? m : 0);
function rowMax(x: A, o: number, n: number): number {
  let m = x[o]!;
  for (let k = 1; k < n; k++) {
    const v = x[o + k]!;
    if (v > m || (v !== v && m === m)) m = v;
  }
  return m;
}
function sumExp(x: A, o: number, n: number, m: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.exp(x[o + k]! - m);
  return s;
}

const AS_GENERATED = {
  softmaxForward(x: A, out: A, n: number): void {
    for (let o = 0; o < x.length; o += n) {
      const m = shiftOf(rowMax(x, o, n));
      const s = sumExp(x, o, n, m);
      for (let k = 0; k < n; k++) out[o + k] = Math.exp(x[o + k]! - m) / s;
    }
  },
  softmaxBackward(x: A, g: A, gx: A, n: number): void {
    for (let o = 0; o < x.length; o += n) {
      const m = shiftOf(rowMax(x, o, n));
      const s = sumExp(x, o, n, m);
      let dot = 0;
      for (let k = 0; k < n; k++) dot += (g[o + k]! * Math.exp(x[o + k]! - m)) / s;
      for (let k = 0; k < n; k++) gx[o + k] = (Math.exp(x[o + k]! - m) * (g[o + k]! - dot)) / s;
    }
  },
  softmaxFused(x: A, g: A, out: A, gx: A, n: number): void {
    for (let o = 0; o < x.length; o += n) {
      const m = shiftOf(rowMax(x, o, n));
      const s = sumExp(x, o, n, m);
      for (let k = 0; k < n; k++) out[o + k] = Math.exp(x[o + k]! - m) / s;
      let dot = 0;
      for (let k = 0; k < n; k++) dot += (g[o + k]! * Math.exp(x[o + k]! - m)) / s;
      for (let k = 0; k < n; k++) gx[o + k] = (Math.exp(x[o + k]! - m) * (g[o + k]! - dot)) / s;
    }
  },
  logSoftmaxBackward(x: A, g: A, gx: A, n: number): void {
    for (let o = 0; o < x.length; o += n) {
      const m = shiftOf(rowMax(x, o, n));
      let sumG = 0;
      for (let k = 0; k < n; k++) sumG += g[o + k]!;
      const s = sumExp(x, o, n, m);
      for (let k = 0; k < n; k++) gx[o + k] = g[o + k]! - (sumG * Math.exp(x[o + k]! - m)) / s;
    }
  },
  logsumexpBackward(x: A, g: A, gx: A, n: number): void {
    for (let o = 0, r = 0; o < x.length; o += n, r++) {
      const m = shiftOf(rowMax(x, o, n));
      const s = sumExp(x, o, n, m);
      for (let k = 0; k < n; k++) gx[o + k] = (g[r]! * Math.exp(x[o + k]! - m)) / s;
    }
  },
  maxoutBackward(x: A, g: A, gx: A, n: number, k = 2): void {
    const groups = n / k;
    for (let o = 0, q = 0; o < x.length; o += n, q += groups) {
      for (let i = 0; i < n; i++) {
        const base = k * Math.floor(i / k);
        let at = -1;
        let best = NaN;
        for (let t = 0; t < k; t++) {
          const v = x[o + base + t]!;
          if (t === 0 || v > best || (v !== v && best === best)) {
            best = v;
            at = t;
          }
        }
        const j = Math.floor(i / k);
        gx[o + i] = j < groups && j >= 0 ? g[q + j]! * +(i - k * j === at) : 0;
      }
    }
  },
};

for (const n of [1000, 32768]) {
  const rows = n === 32768 ? 32 : 1_000_000 / n;
  const size = rows * n;
  const [rx, rg] = [uniform(1, -8, 8), uniform(2, -1, 1)];
  const x = Float64Array.from({ length: size }, rx);
  const g = Float64Array.from({ length: size }, rg);
  const [out, gx, outB, gxB] = [0, 0, 0, 0].map(() => new Float64Array(size)) as [A, A, A, A];
  type K = (...args: unknown[]) => void;
  const kernel = (name: string, pass: "kernel" | "backward" | "fusedKernel"): K => define(name)[pass]() as unknown as K;
  const [sf, sb, sx, lb, eb, mb] = [kernel("softmax", "kernel"), kernel("softmax", "backward"), kernel("softmax", "fusedKernel"),
    kernel("log_softmax", "backward"), kernel("logsumexp", "backward"), kernel("maxout", "backward")];
  const [gRow, gHalf] = [g.subarray(0, rows), g.subarray(0, size / 2)];
  // [label, actdiff, hand-written, as generated, the arrays the last two write (compared bit for bit)]
  const cases: [string, () => void, () => void, () => void, A][] = [
    ["softmax f", () => sf(x, out, n), () => H.softmax.forward(x, out, n), () => AS_GENERATED.softmaxForward(x, outB, n), out],
    ["softmax VJP", () => sb(x, g, gx, n), () => H.softmax.backward(x, g, gx, n), () => AS_GENERATED.softmaxBackward(x, g, gxB, n), gx],
    ["softmax fused", () => sx(x, g, out, gx, n), () => H.softmax.fused(x, g, out, gx, n), () => AS_GENERATED.softmaxFused(x, g, outB, gxB, n), gx],
    ["log_softmax VJP", () => lb(x, g, gx, n), () => H.log_softmax.backward(x, g, gx, n), () => AS_GENERATED.logSoftmaxBackward(x, g, gxB, n), gx],
    ["logsumexp VJP", () => eb(x, gRow, gx, n), () => H.logsumexp.backward(x, gRow, gx, n), () => AS_GENERATED.logsumexpBackward(x, gRow, gxB, n), gx],
    ["maxout VJP", () => mb(x, gHalf, gx, n), () => H.maxout.backward(x, gHalf, gx, n), () => AS_GENERATED.maxoutBackward(x, gHalf, gxB, n), gx],
  ];
  for (const [label, ours, hand, asGenerated, written] of cases) {
    ours();
    asGenerated();
    const same = written.every((v, i) => Object.is(v, (written === out ? outB : gxB)[i]));
    const rounds = await pairedRounds([ours, hand, asGenerated], KERNEL_BUDGET);
    const [a, h, t] = [0, 1, 2].map((i) => Math.min(...rounds.map((r) => r[i]!)) / size) as [number, number, number];
    const perRound = rounds.map((r) => (r[0]! / r[2]!).toFixed(2)).join(" ");
    console.log(`N=${n} ${label}: actdiff ${a.toFixed(2)}, hand ${h.toFixed(2)}, as generated ${t.toFixed(2)} ns/element; ` +
      `actdiff / hand ${(a / h).toFixed(2)}×, actdiff / as generated ${(a / t).toFixed(2)}× (rounds ${perRound}); as generated ${same ? "=" : "≠"} actdiff bit for bit`);
  }
}
