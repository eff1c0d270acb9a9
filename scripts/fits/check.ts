/**
 * `npm run fits`: reruns the fits behind actdiff's fitted coefficients (the Python scripts beside
 * this file, in mpmath) and checks that the source holds exactly their output, rounded to doubles.
 * Needs python3 with mpmath (Debian: python3-mpmath); a developer's tool, not run by the tests.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DENOMINATOR, NUMERATOR } from "../../src/functions/atan-rem.js";
import { ATAN_TAIL_MID, ATAN_TAIL_NEAR } from "../../src/functions/table.js";

const SHIPPED: Record<string, { readonly where: string; readonly values: readonly number[] }> = {
  ATAN_TAIL_NEAR: { where: "src/functions/table.ts", values: ATAN_TAIL_NEAR },
  ATAN_TAIL_MID: { where: "src/functions/table.ts", values: ATAN_TAIL_MID },
  NUMERATOR: { where: "src/functions/atan-rem.ts", values: NUMERATOR },
  DENOMINATOR: { where: "src/functions/atan-rem.ts", values: DENOMINATOR },
};

function run(script: string): Record<string, number[]> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const out = spawnSync("python3", [path], { encoding: "utf8" });
  if (out.error !== undefined || out.status !== 0) {
    const why = out.error?.message ?? out.stderr.trim().split("\n").pop();
    console.error(`${script}: ${why}\nhint: the fits need python3 with mpmath (apt-get install python3-mpmath)`);
    process.exit(2);
  }
  if (out.stderr.trim() !== "") console.log(`${script}: ${out.stderr.trim()}`);
  return JSON.parse(out.stdout) as Record<string, number[]>;
}

let mismatches = 0;
for (const script of ["atan_tail.py", "atan_rem.py"]) {
  for (const [name, fitted] of Object.entries(run(script))) {
    const shipped = SHIPPED[name]!;
    const differing = fitted.flatMap((v, i) => (Object.is(v, shipped.values[i]) ? [] : [i]));
    const sameLength = fitted.length === shipped.values.length;
    if (differing.length === 0 && sameLength) {
      console.log(`${name} (${shipped.where}): the ${fitted.length} coefficients match the fit`);
      continue;
    }
    mismatches++;
    console.log(`${name} (${shipped.where}): ${sameLength ? "" : `${shipped.values.length} coefficients where the fit has ${fitted.length}; `}` +
      `${differing.length} differ (${differing.map((i) => `c${i}: ${shipped.values[i]} vs ${fitted[i]}`).join(", ")})`);
  }
}
process.exit(mismatches === 0 ? 0 : 1);
