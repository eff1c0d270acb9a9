import { add, elem, idx, mul } from "../ast/build.js";
import { OUTPUT_INDEX } from "../ast/definition.js";
import type { Activation } from "../api/activation.js";

/**
 * Bounds on ‖J‖₂, the Lipschitz constant of a map in the Euclidean norm, that follow from a
 * known form of its Jacobian: one entry each, with the argument it rests on, in a list a reader
 * can scan. A bound is stated for a function only when its Jacobian is proved to have the form:
 * a `form` by the verifier (the claim J = form proved symbolically for every N, parameters free),
 * a `structure` by the definition's tree itself. Everything else about ‖J‖₂ on a sheet is an
 * observation on samples, and says so.
 */
export interface KnownJacobian {
  readonly name: string;
  /** What it takes for the Jacobian to have this form. */
  readonly match:
    /** ∂f_i/∂x_j (∂f/∂x_j for a scalar-valued f) equals one of these, with {x} the vector input. */
    | { readonly kind: "form"; readonly vectorValued: boolean; readonly forms: readonly string[] }
    /** The definition's body is this tree (f is a given function of the vector input `vector`). */
    | { readonly kind: "structure"; readonly test: (f: Activation, vector: string) => boolean; readonly shape: string };
  /** sup ‖J‖₂: a number, or null when it depends on N (then `text` says how). */
  readonly value: number | null;
  readonly text: string;
  /** Whether some input reaches it. */
  readonly attained: boolean;
  /** Why the bound holds and why it is the supremum. */
  readonly argument: string;
}

export const KNOWN_JACOBIANS: readonly KnownJacobian[] = [
  {
    name: "softmax",
    match: {
      kind: "form", vectorValued: true,
      // softmax(x), and softmax(−x) (softmin) written with elements, so that x reads as a vector.
      forms: [
        "softmax({x})_i * (delta(i, j) - softmax({x})_j)",
        "exp(-{x}_i) / sum(exp(-{x})) * (exp(-{x}_j) / sum(exp(-{x})) - delta(i, j))",
      ],
    },
    value: 0.5, text: "1/2", attained: true,
    argument: "J = ±(diag(s) − s sᵀ) with s a softmax (s_i > 0, Σ s_i = 1) is symmetric, so ‖J‖₂ is its largest |eigenvalue|, " +
      "at most its largest absolute row sum s_i(1 − s_i) + s_i Σ_{j≠i} s_j = 2 s_i(1 − s_i) ≤ 1/2 (Gershgorin's theorem); " +
      "at N = 2 and equal elements J = [[1/4, −1/4], [−1/4, 1/4]], whose eigenvalue 1/2 attains the bound",
  },
  {
    name: "log_softmax",
    match: { kind: "form", vectorValued: true, forms: ["delta(i, j) - softmax({x})_j"] },
    value: null, text: "√N (vectors of N ≥ 2 elements)", attained: false,
    argument: "J = I − 1 sᵀ with s = softmax(x) is idempotent (sᵀ1 = 1), a projection other than 0 and I for N ≥ 2; " +
      "for such a projection ‖I − P‖₂ = ‖P‖₂ (Szyld 2006, the norm of oblique projections), so ‖J‖₂ = ‖1 sᵀ‖₂ = √N ‖s‖₂, " +
      "below √N for every x (no s_i reaches 1) and tending to it as one element grows: the supremum, not attained",
  },
  {
    name: "gradient of a distribution",
    match: { kind: "form", vectorValued: false, forms: ["softmax({x})_j"] },
    value: 1, text: "1 (vectors of N ≥ 2 elements)", attained: false,
    argument: "∇f = s with s_j > 0 and Σ_j s_j = 1, so ‖∇f‖₂ = ‖s‖₂ ≤ ‖s‖₁ = 1, with equality only if one s_j = 1, " +
      "which no x gives for N ≥ 2; ‖s‖₂ → 1 as one element grows: the supremum, not attained",
  },
  {
    name: "groupmax",
    match: {
      kind: "structure",
      shape: "max (or min) over t < k of z[k·i + t], disjoint groups of k consecutive elements",
      test: (f, z) => {
        const e = f.expr;
        if (e.kind !== "reduce" || (e.op !== "max" && e.op !== "min") || e.from.kind !== "num" || e.from.value.n !== 0n) return false;
        return e.body === elem(z, add(idx(e.index), mul(e.to, idx(OUTPUT_INDEX))));
      },
    },
    value: 1, text: "1", attained: true,
    argument: "each output is the max (min) of its own group, |max u − max v| ≤ max |u − v| ≤ ‖u − v‖₂ over the group, " +
      "and the groups are disjoint, so ‖f(u) − f(v)‖₂ ≤ ‖u − v‖₂; wherever f is differentiable each row of J is a unit " +
      "vector on its own group (one 1, at the group's maximal element), so ‖J‖₂ = 1 there: attained",
  },
];
