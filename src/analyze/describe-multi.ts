import { fmt } from "./format.js";
import type { Monotonicity, MultiMethod, MultiSheet, RangeEnd, SeveralInputsSheet, SeveralKey, VectorKey, VectorSheet } from "./multi-types.js";
import { sideText } from "./describe.js";

/**
 * The sheets of functions of several inputs and of vectors as rows a reader can scan — label,
 * value in words and symbols, how it was established — for the command line and the
 * documentation pages alike, as describeSheet() does for one input.
 */
export interface MultiRow {
  readonly key: SeveralKey | VectorKey;
  readonly label: string;
  readonly value: string;
  readonly method: MultiMethod;
}

export function describeMulti(sheet: MultiSheet): MultiRow[] {
  return sheet.kind === "vector" ? describeVector(sheet) : describeSeveral(sheet);
}

function describeVector(s: VectorSheet): MultiRow[] {
  const v = s.input;
  const row = (key: VectorKey, label: string, value: string): MultiRow => ({ key, label, value, method: s.method[key] });
  const lip = s.lipschitz;
  const observedNorms = `largest observed ${fmt(lip.observed.max)} on ${lip.observed.samples} samples`;
  return [
    row("jacobian", s.outputLength === null ? `∂f/∂${v}_j` : `∂f_i/∂${v}_j`,
      `${s.jacobian.element}${s.jacobian.rowSum !== null ? `; Σ_j = ${s.jacobian.rowSum}` : ""}`),
    row("range", s.outputLength === null ? "range" : "range of each output", rangeText(s.range.inf, s.range.sup, s.range.observed)),
    row("sumToOne", "sum", s.sumToOne === null ? "f is a number" : s.sumToOne.holds === true ? `${s.sumToOne.claim}${s.method.sumToOne.kind === "numeric" ? " (verified, not proved)" : ""}`
      : s.sumToOne.holds === false ? `no: ${s.sumToOne.claim.replace(" = 1", "")} ≠ 1` : `${s.sumToOne.claim}? not decided`),
    row("shift", "adding a constant c to every element", s.shift === "invariant" ? `invariant: f(${v} + c) = f(${v})`
      : s.shift === "equivariant" ? `equivariant: f(${v} + c) = f(${v}) + c` : s.shift === "neither" ? "neither invariant nor equivariant" : "not established"),
    row("lipschitz", "Lipschitz constant (sup ‖J‖₂)", lip.bound === null ? `no bound proved; ${observedNorms}`
      : `${lip.bound.text}, ${lip.bound.attained ? "attained" : "approached, not attained"}; ${observedNorms}`),
    row("saturation", s.slice ? `saturation along (${s.slice.at.join(", ")})` : "saturation",
      s.saturation.length === 0 ? "not established" : s.saturation.map((o) => `${s.saturation.length > 1 ? `f_${o.output}: ` : ""}left ${sideText(o.left)}, right ${sideText(o.right)}`).join("; ")),
  ];
}

function describeSeveral(s: SeveralInputsSheet): MultiRow[] {
  const row = (key: SeveralKey, label: string, value: string): MultiRow => ({ key, label, value, method: s.method[key] });
  const origin = s.inputs.map(() => "0").join(", ");
  const each = (f: (u: string) => string): string => s.inputs.map((u) => `${u}: ${f(u)}`).join("; ");
  const lip = s.lipschitz;
  return [
    row("atOrigin", `f(${origin}), ∇f(${origin})`, `${fmt(s.atOrigin.value)}, (${s.inputs.map((u) => fmt(s.atOrigin.gradient[u]!)).join(", ")})`),
    row("separation", "factors", s.separation === null ? "not a product of one-input factors"
      : [...(s.separation.constant === 1 ? [] : [fmt(s.separation.constant)]), ...s.separation.factors.map((f) => `(${f.formula})`)].join(" · ")),
    row("range", "range", rangeText(s.range.inf, s.range.sup, s.range.observed)),
    row("linear", "affine in", each((u) => (s.linear[u] === true ? "yes" : s.linear[u] === false ? "no" : "not decided"))),
    row("monotonic", "monotonic in", each((u) => monotoneText(s.monotonic[u]!, s.inputs.filter((v) => v !== u)))),
    row("saturation", "saturation", s.inputs.map((u) => {
      const g = s.saturation[u];
      return g === null || g === undefined ? `${u}: not established` : `${u} → −∞: ${g.left.text}; ${u} → +∞: ${g.right.text}`;
    }).join(". ")),
    row("lipschitz", "Lipschitz constant", lip.upper === Infinity ? `none: ${Object.entries(lip.partials).filter(([, p]) => p === Infinity).map(([u]) => `∂f/∂${u}`).join(" and ")} unbounded`
      : lip.upper === null ? `no bound proved; the largest ‖∇f‖₂ observed is ${fmt(lip.lower)}`
      : lip.lower === lip.upper ? fmt(lip.upper) : `between ${fmt(lip.lower)} and ${fmt(lip.upper)}`),
  ];
}

/** `(0, 1)`, with what is known of each end when it is not a proved bound. */
export function rangeText(inf: RangeEnd, sup: RangeEnd, observed?: { min: number; max: number; samples: number }): string {
  const open = inf.attained && inf.status !== "observed" ? "[" : "(";
  const close = sup.attained && sup.status !== "observed" ? "]" : ")";
  if (inf.status === "observed" && sup.status === "observed") {
    return `observed [${fmt(inf.value)}, ${fmt(sup.value)}] on ${observed?.samples ?? 0} samples; no bound proved`;
  }
  const caveats = [
    ...(inf.status === "bound" ? [`${fmt(inf.value)} a proved bound, not shown to be approached`] : []),
    ...(sup.status === "bound" ? [`${fmt(sup.value)} a proved bound, not shown to be approached`] : []),
    ...(inf.status === "approached" ? [`${fmt(inf.value)} approached, no lower bound proved${observed ? ` (smallest observed ${fmt(observed.min)})` : ""}`] : []),
    ...(sup.status === "approached" ? [`${fmt(sup.value)} approached, no upper bound proved${observed ? ` (largest observed ${fmt(observed.max)})` : ""}`] : []),
    ...(inf.status === "observed" ? [`below: only observed down to ${fmt(inf.value)}`] : []),
    ...(sup.status === "observed" ? [`above: only observed up to ${fmt(sup.value)}`] : []),
  ];
  return `${open}${fmt(inf.value)}, ${fmt(sup.value)}${close}${caveats.length ? `; ${caveats.join("; ")}` : ""}`;
}

function monotoneText(m: Monotonicity, others: readonly string[]): string {
  switch (m.kind) {
    case "increasing": return "non-decreasing";
    case "decreasing": return "non-increasing";
    case "no": return "no";
    case "unknown": return "not established";
    case "sign of": {
      const [up, down] = m.direction === "increasing" ? ["non-decreasing", "non-increasing"] : ["non-increasing", "non-decreasing"];
      return `for each ${others.join(", ")}: ${up} where ${m.coefficient} > 0, ${down} where ${m.coefficient} < 0`;
    }
  }
}

/** `derived from separation: …`, as methodText() words a one-input method. */
export function multiMethodText(m: MultiMethod): string {
  const name = { symbolic: "symbolic", interval: "interval bound", numeric: "numeric", derived: "derived" }[m.kind];
  const from = m.from?.length ? ` from ${m.from.join(", ")}` : "";
  return `${name}${from}: ${m.detail}`;
}
