/**
 * Where f′ (order 1) or f″ (order 2) changes sign, region by region: proved by the interval
 * certificates of src/analyze/interval.ts where they finish, else observed by the scan.
 */
import type { Expr } from "../ast/nodes.js";
import { certifySigns, type Certificate } from "./interval.js";
import { limitAtInfinity } from "./limits.js";
import type { Region } from "./regions.js";
import { signChanges, type SignChange } from "./scan.js";

/** The sign changes of a derivative on one region, and the signs it takes there. */
export interface Zeros {
  changes: SignChange[];
  signs: Set<number>;
}

export interface DerivativeSigns {
  readonly certificate: Certificate;
  readonly zeros: Zeros[];
}

/** Limits the certificates may rely on: found symbolically, never a numeric guess. */
const provedLimit = (g: Expr, variable: string, side: 1 | -1): number | undefined => {
  const l = limitAtInfinity(g, variable, side);
  return l !== undefined && l.how !== "numeric" ? l.value : undefined;
};

/**
 * The certificate of the order-th derivative's sign on every region not skipped, and its zeros;
 * a certificate cut short leaves a note saying what is then `unproved` (a numeric observation).
 */
export function derivativeSigns(regions: readonly Region[], order: 1 | 2, skip: readonly boolean[], notes: string[], unproved: string): DerivativeSigns {
  const certificate = certifySigns(regions, order, skip, provedLimit);
  if (certificate.cut !== undefined) notes.push(`the interval certificate of ${order === 1 ? "f′" : "f″"}'s sign was not finished (${certificate.cut}): ${unproved}`);
  return { certificate, zeros: zerosOf(regions, order, skip, certificate) };
}

/**
 * Sign changes of the order-th derivative per region, and the signs it takes there: from the
 * certificate where it resolved the region, else from the scan.
 */
function zerosOf(regions: readonly Region[], order: number, skip: readonly boolean[], certificate: Certificate): Zeros[] {
  return regions.map((r, i) => {
    if (skip[i]) return { changes: [], signs: new Set() };
    // A region the certificate resolved is proved even when another one was not.
    const certified = certificate.regions[i];
    if (certified !== undefined) {
      const signs = new Set<number>(certified.sign !== 0 ? [certified.sign] : [1, -1]);
      return { changes: [...certified.zeros], signs };
    }
    const scan = signChanges(r.numeric(order), r.lo, r.hi, r.preciseSign(order));
    return { changes: [...scan.changes], signs: new Set(scan.signs) };
  });
}
