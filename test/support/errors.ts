import { ActdiffError } from "../../src/errors.js";

/** The ActdiffError that `run` raises; fails the test if it raises nothing or something else. */
export function errorOf(run: () => unknown): ActdiffError {
  try {
    run();
  } catch (err) {
    if (err instanceof ActdiffError) return err;
    throw new Error(`expected an ActdiffError, got ${String(err)}`);
  }
  throw new Error("expected an ActdiffError, but nothing was thrown");
}
