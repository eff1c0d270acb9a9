import { all, create, erf } from "mathjs";
import type { Mathjs } from "./mathjs-loader.js";

/**
 * mathjs in the playground's worker bundle (scripts/bundle.ts), in place of mathjs-loader.ts:
 * all of it, for the BigNumber reference of verification, the property sheet and the audit —
 * imported, since a browser has no require.
 */
const workerMathjs = { all, create, erf } as unknown as Mathjs;
export const loadMathjs = (): Mathjs => workerMathjs;
