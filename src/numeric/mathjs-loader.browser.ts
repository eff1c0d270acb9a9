import { erf } from "mathjs";
import { fail } from "../errors.js";
import type { Mathjs } from "./mathjs-loader.js";

/**
 * mathjs in the browser bundle, in place of mathjs-loader.ts: erf for float evaluation, and no
 * high-precision arithmetic — all of mathjs would triple the bundle, and the page plots with
 * compiled closures, which need none of it. Verification and the accuracy audit, which do, get
 * a bundle of their own when they move to the browser.
 */
const unavailable = (): never =>
  fail("E_UNSUPPORTED", "high-precision reference arithmetic (verification, the accuracy audit) is not part of the browser bundle", {
    hint: "run it with the command-line tool: npx actdiff verify …",
  });

const browserMathjs = { erf, all: {}, create: unavailable } as unknown as Mathjs;
export const loadMathjs = (): Mathjs => browserMathjs;
