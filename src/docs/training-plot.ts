import type { Activation, ParamValues } from "../api/activation.js";
import { printRandoms } from "../ast/print.js";
import { breakpoints as findBreakpoints } from "../verify/points.js";
import * as Q from "../ast/rational.js";
import { plotSvg, type Series } from "./plot.js";
import { sampleCurve } from "./sample.js";
import { formatNumber, listInWords } from "./text.js";

/**
 * A function that draws random variables (rrelu's slope a ~ uniform(lower, upper)) in training
 * mode: f given a few seeded draws, each a thin grey line, around the evaluation-mode curve
 * (each variable at its mean) — for rrelu the band of slopes its negative half is drawn from.
 * The draws are those of `define(name).train()` with seed 0, elements 0 … DRAWS − 1.
 */
export const DRAWS = 6;

export interface TrainingPlot {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly svg: string;
}

export function trainingPlot(f: Activation, values: ParamValues, domain: readonly [number, number], evaluation: Series): TrainingPlot | undefined {
  const stochastic = f.definition.stochastic;
  if (stochastic === undefined || f.inputs.length !== 1) return undefined;
  const training = f.train();
  const draws = training.draw({ seed: 0 }, DRAWS, values);
  const compiled = training.compile();
  const input = f.inputs[0]!;
  const names = training.randoms.map((r) => r.name);
  const exact = new Map(Object.entries(values).map(([k, v]) => [k, Q.fromNumber(v)] as const));
  const series: Series[] = [
    { ...evaluation, label: `evaluation mode (${names.join(", ")} at ${names.length > 1 ? "their means" : "its mean"})` },
    ...Array.from({ length: DRAWS }, (_, k): Series => {
      const drawn = draws.map((d) => d[k]!);
      const at = new Map([...exact, ...names.map((n, i) => [n, Q.fromNumber(drawn[i]!)] as const)]);
      const bps = findBreakpoints([training.expr], input, at).map(Q.toNumber);
      return {
        label: names.map((n, i) => `${n} = ${formatNumber(drawn[i]!)}`).join(", "),
        main: false, faint: true,
        sampled: sampleCurve((x) => compiled(x, ...drawn, values), domain, bps),
      };
    }),
  ];
  const title = `${f.name}(${input}) in training mode`;
  const description = `Plot of ${title} for ${input} from ${formatNumber(domain[0])} to ${formatNumber(domain[1])}: the evaluation-mode curve (solid line) ` +
    `and f given ${DRAWS} draws ${printRandoms(training.randoms)} (thin grey lines: ${listInWords(series.slice(1).map((s) => s.label))}).`;
  const id = `${f.name}-train`;
  return { id, title, description, svg: plotSvg({ id, title, description, series, xDomain: domain, size: "full" }) };
}
