import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { define, verify } from "../../src/index.js";
import { pairwiseAssignments, screeningValues } from "../../src/verify/screen.js";
import * as Q from "../../src/ast/rational.js";
import { actdiff, json, ROOT } from "../support/cli.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * verify is right where identities of real powers fail: at negative bases, even and odd integer
 * exponents, half-integers, 0 and 1 (issue 17 §4). The oracle is plain JavaScript on a grid of
 * those values, written independently of the formula language.
 */
type F = (x: number, y: number, z: number) => number;
interface Law { readonly claim: string; readonly lhs: F; readonly rhs: F }

/** Laws of exponents that hold for positive bases; most fail somewhere else. */
const LAWS: readonly Law[] = [
  { claim: "(x^y)^z = x^(y*z)", lhs: (x, y, z) => (x ** y) ** z, rhs: (x, y, z) => x ** (y * z) },
  { claim: "x^(y*z) = (x^z)^y", lhs: (x, y, z) => x ** (y * z), rhs: (x, y, z) => (x ** z) ** y },
  { claim: "(x*y)^z = x^z * y^z", lhs: (x, y, z) => (x * y) ** z, rhs: (x, y, z) => x ** z * y ** z },
  { claim: "sqrt(x^y) = x^(y/2)", lhs: (x, y) => Math.sqrt(x ** y), rhs: (x, y) => x ** (y / 2) },
  { claim: "sqrt(x*y) = sqrt(x)*sqrt(y)", lhs: (x, y) => Math.sqrt(x * y), rhs: (x, y) => Math.sqrt(x) * Math.sqrt(y) },
  { claim: "log(x^y) = y*log(x)", lhs: (x, y) => Math.log(x ** y), rhs: (x, y) => y * Math.log(x) },
  { claim: "(x^2)^y = x^(2*y)", lhs: (x, y) => (x ** 2) ** y, rhs: (x, y) => x ** (2 * y) },
  { claim: "x^y * x^z = x^(y+z)", lhs: (x, y, z) => x ** y * x ** z, rhs: (x, y, z) => x ** (y + z) },
  { claim: "abs(x)^y = abs(x^y)", lhs: (x, y) => Math.abs(x) ** y, rhs: (x, y) => Math.abs(x ** y) },
];

const GRID = [-3, -2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3];
const EXPONENTS = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3];

/** A point where both sides are finite and differ, by the JavaScript oracle; undefined if none on the grid. */
function oracleWitness(law: Law): [number, number, number] | undefined {
  for (const x of GRID) for (const y of EXPONENTS) for (const z of EXPONENTS) {
    const [l, r] = [law.lhs(x, y, z), law.rhs(x, y, z)];
    if (Number.isFinite(l) && Number.isFinite(r) && Math.abs(l - r) > 1e-9 * Math.max(1, Math.abs(l), Math.abs(r))) return [x, y, z];
  }
  return undefined;
}

/** The claim with its names renamed, so that which one is "the variable" varies too. */
const renamed = (claim: string, names: readonly string[]): string => claim.replace(/\b[xyz]\b/g, (n) => names["xyz".indexOf(n)]!);

describe("identities of real powers", () => {
  test("(x^y)^z = x^(y*z) is refuted, at a point where both sides are finite", () => {
    const r = verify("(x^y)^z = x^(y*z)");
    expect(r.verdict).toBe("refuted");
    const at = r.counterexample!.at;
    expect(((at["x"]! ** at["y"]!) ** at["z"]!)).not.toBeCloseTo(at["x"]! ** (at["y"]! * at["z"]!), 6);
    expect(Number.isFinite(Number(r.counterexample!.lhs)) && Number.isFinite(Number(r.counterexample!.rhs))).toBe(true);
  });

  test("law: a claim the oracle refutes on the special values is refuted, by a finite witness that the oracle confirms", () => {
    fc.assert(fc.property(
      fc.constantFrom(...LAWS),
      fc.constantFrom(["x", "y", "z"], ["a", "b", "x"], ["u", "v", "w"], ["x", "z", "y"]),
      (law, names) => {
        const r = verify(renamed(law.claim, names));
        const witness = oracleWitness(law);
        if (witness === undefined) {
          expect(r.verdict).not.toBe("refuted");
          return;
        }
        expect(r.verdict).toBe("refuted");
        const c = r.counterexample!;
        const [x, y, z] = names.map((n) => c.at[n] ?? 0) as [number, number, number];
        const [l, rr] = [law.lhs(x, y, z), law.rhs(x, y, z)];
        expect(Number.isFinite(l) && Number.isFinite(rr)).toBe(true);
        expect(Math.abs(l - rr)).toBeGreaterThan(1e-9);
      },
    ), { numRuns: 14, seed: 17 });
  }, 240_000);

  test("the special values are tried for every free symbol, pairwise: every pair of values of every two symbols meets", () => {
    const values = screeningValues();
    for (const v of ["0", "1", "-1", "2", "3", "1/2", "-1/2", "3/2", "-3/2", "-2"]) {
      expect(values.map(Q.toString)).toContain(v);
    }
    fc.assert(fc.property(fc.integer({ min: 2, max: 6 }), (k) => {
      const names = Array.from({ length: k }, (_, i) => `p${i}`);
      const rows = pairwiseAssignments(names, names.map(() => values));
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) {
        const pairs = new Set(rows.map((row) => `${Q.toString(row.get(names[a]!)!)},${Q.toString(row.get(names[b]!)!)}`));
        expect(pairs.size).toBe(values.length ** 2);
      }
    }), { numRuns: 5 });
  });

  test("a domain is respected: for x > 0 the law holds and is not refuted", () => {
    expect(verify("(x^y)^z = x^(y*z) for x > 0").verdict).not.toBe("refuted");
  });
});

describe("powers with a constant base", () => {
  test("0^g: its derivative is 0 where 0^g is (g > 0), not 0 * log(0) = NaN", () => {
    for (const claim of ["diff(0^x, x) = 0 for x > 0", "diff(0^(x^2 + 1), x) = 0"]) {
      expect(verify(claim).verdict, claim).not.toBe("refuted");
    }
    const d = define("0^(x^2 + 1)").derivative().compile();
    for (const x of [-2, -0.5, 0, 1, 3]) expect(d(x)).toBe(0);
  });

  test("c^g for c > 0 is c^g·ln(c)·g′; for a parameter base, the case of 0 too", () => {
    const two = define("2^(x^2)").derivative().compile();
    for (const x of [-1, 0.5, 2]) expect(two(x)).toBeCloseTo(2 ** (x * x) * Math.log(2) * 2 * x, 12);
    const a = define("f(x; a = 2) = a^x").derivative().compile();
    expect(a(1.5, { a: 3 })).toBeCloseTo(3 ** 1.5 * Math.log(3), 12);
    expect(a(1.5, { a: 0 })).toBe(0);
  });

  test("a refutation's witness is a point where both sides are finite (0^x·log(0) is −∞ at 0, not a witness)", () => {
    const r = verify("diff(0^x, x) = 1");
    expect(r.verdict).toBe("refuted");
    expect(Number.isFinite(Number(r.counterexample!.lhs))).toBe(true);
    expect(r.counterexample!.at["x"]).toBeGreaterThan(0);
  });
});

describe("the order and the variable of a derivative", () => {
  test("diff(f, x, 0) is f", () => {
    expect(verify("diff(x^2 * sigmoid(x), x, 0) = x^2 * sigmoid(x)").verdict).toBe("proved");
    const f = define("swish");
    expect(f.derivative("x", 0)).toBe(f);
  });

  test("with respect to a name the expression does not contain, the derivative is 0", () => {
    expect(verify("diff(softplus(x), y) = 0").verdict).toBe("proved");
    expect(define("softplus").derivative("y").compile()(3)).toBe(0);
  });
});

describe("the command line", () => {
  test("a claim or a definition beginning with '-' is read as one, not as an option", () => {
    const r = actdiff("verify", "-2 + x = x - 2", "--json");
    expect(r.status).toBe(0);
    expect(json(r).verdict).toBe("proved");
    const d = actdiff("diff", "-x * exp(x)");
    expect(d.status).toBe(0);
    expect(d.stdout).toContain("f(x) = -x * exp(x)");
    // An option's own value that begins with '-' is still its value; `--` still works.
    expect(actdiff("eval", "elu", "--at", "-1,0", "--json").status).toBe(0);
    expect(actdiff("diff", "--", "-x^2").stdout).toContain("f'(x) = -2 * x");
    expect(actdiff("diff", "x", "--bogus").status).toBe(2);
  }, 120_000);

  test("actdiff --version prints the package's version", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    for (const flag of ["--version", "-V"]) {
      const r = actdiff(flag);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  }, 60_000);
});
