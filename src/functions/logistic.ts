import type { HelperSource } from "./table.js";
import { vexp, type VectorForm, type VectorOps, type Vec } from "./vector.js";
import type { Big, BigContext } from "../numeric/big.js";

/**
 * The logistic density σ′(x) = σ(x)(1 − σ(x)) = σ(x)σ(−x), the pdf of the standard logistic
 * distribution (whose cdf is σ), computed as e/(1 + e)² with e = e^(−|x|) ≤ 1: even, no overflow,
 * no cancellation (σ(x)(1 − σ(x)) as written is 0 from x ≈ 37 on, where 1 − σ(x) rounds to 0).
 */
export function logisticPdfNumber(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const s = 1 + e;
  return e / s / s;
}

export const LOGISTIC_PDF_SOURCE: HelperSource = {
  params: ["x"],
  body: [
    "// σ(x)σ(−x) = e/(1 + e)² with e = e^(−|x|): even, and no 1 − σ(x) to round to 0 in the tail.",
    "const e = Math.exp(-Math.abs(x));",
    "const s = 1 + e;",
    "return e / s / s;",
  ],
};

export const logisticPdfVector: VectorForm = (v: VectorOps, [u]: readonly Vec[]) => {
  const e = vexp(v, v.neg(v.abs(u!)));
  const s = v.add(v.num(1), e);
  return v.div(v.div(e, s), s);
};

export function logisticPdfBig(D: BigContext, x: Big): Big {
  const e = x.abs().neg().exp();
  const s = e.add(1);
  return e.div(s.mul(s));
}
