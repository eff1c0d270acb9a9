import { createRequire } from "node:module";

/** The part of mathjs actdiff uses: its BigNumber (through create and all) and erf. */
export type Mathjs = Pick<typeof import("mathjs"), "create" | "all" | "erf">;

// mathjs takes most of a second to load, so it is loaded on first use: the CLI's diff, latex
// and eval never pay for it, and verification pays once. The browser bundle replaces this
// module by mathjs-loader.browser.ts (scripts/bundle.ts), which has no node: import.
const requireModule = createRequire(import.meta.url);
let mathjs: Mathjs | undefined;
export const loadMathjs = (): Mathjs => (mathjs ??= requireModule("mathjs") as typeof import("mathjs"));
