import { fail } from "../errors.js";
import { parseNumber } from "./args.js";

/** The `--budget <ms>` option of props and verify, as commander declares it. */
export const BUDGET_FLAGS = "--budget <ms>";

/** `--budget 30000` → 30000: milliseconds of CPU time, a positive number. */
export function parseBudget(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const hint = "for example --budget 60000 (one minute of CPU time)";
  const ms = parseNumber(text, "--budget", hint);
  if (!(ms > 0) || !Number.isFinite(ms)) fail("E_USAGE", `--budget expects a positive number of milliseconds, not '${text}'`, { hint });
  return ms;
}
