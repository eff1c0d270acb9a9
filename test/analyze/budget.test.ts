import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { PROPS_BUDGET } from "../../src/analyze/analyze.js";
import { ActdiffError, analyze, define } from "../../src/index.js";
import { cost, piecewiseFormula, SLACK_MS, SLOW_VARYING } from "../support/budget.js";
import { actdiff } from "../support/cli.js";

// props searches (limits, interval certificates, symmetry, equality of branches) within a budget
// of CPU time proportional to its input: past it, what is still open is stated as not
// established, never as a fact, and the sheet comes all the same.

beforeAll(() => {
  // The high-precision arithmetic loads on first use (seconds on a busy machine): not a pass's cost.
  analyze(define("tanh(x)"));
}, 120_000);

describe("props within its budget", () => {
  it("min(tan(pi), x): the closed call tan(π) is evaluated once per precision, and it is 0 (not float64's −1.2e-16)", () => {
    const { value: s, cpu, wall } = cost(() => analyze(define("min(tan(pi), x)")));
    expect(cpu).toBeLessThan(10_000);
    expect(wall).toBeLessThan(60_000);
    expect(s.smoothness.breakpoints.map((b) => [b.x, b.continuous, b.class])).toEqual([[0, true, "C0"]]);
    expect(s.asymptotes.right).toMatchObject({ kind: "horizontal", value: 0 });
    expect(s.range).toMatchObject({ sup: 0, supAttained: true, inf: -Infinity });
    expect(s.notes.join("\n")).not.toMatch(/budget/);
  }, 120_000);

  it("π and e are evaluated once per precision too: a formula with e and sin(π) (26 s of CPU time before) needs no budget", () => {
    const source = "clip(clip(min(100, clip(abs(x), 0.5, x)), (e > -1 ? 0.5 : 100), clip(x, x, x)), clip(100, max(0.5, 3.072), clip(100, x, (2 / 1))), sin(pi))";
    const { value: s, cpu } = cost(() => analyze(define(source)));
    expect(cpu).toBeLessThan(10_000);
    expect(s.notes.join("\n")).not.toMatch(/budget/);
    expect(s.method.symmetry.undecided).toBeUndefined();
  }, 120_000);

  it("a formula whose symmetry check would take a minute, on a short budget: what is not finished says so, with the budget as the reason", () => {
    const { value: s, cpu, wall } = cost(() => analyze(define(SLOW_VARYING), { budgetMs: 300 }));
    expect(cpu).toBeLessThan(300 + SLACK_MS);
    expect(wall).toBeLessThan(120_000);
    const reason = "budget of 300 ms of CPU time exceeded";
    const undecided = Object.values(s.method).filter((m) => m?.undecided !== undefined);
    expect(undecided.length).toBeGreaterThan(0);
    for (const m of undecided) expect(m!.undecided).toBe(reason);
    // A fact cut short is never stated: symmetry, when not established, is null.
    if (s.method.symmetry.undecided !== undefined) expect(s.symmetry).toBeNull();
    expect(s.notes.join("\n")).toMatch(/not (established|finished).*budget of 300 ms of CPU time exceeded/);
  }, 180_000);

  it("the default budget is 30 s and 200 ms for each node of the definition", () => {
    expect(PROPS_BUDGET).toEqual({ base: 30_000, perNode: 200 });
  });

  it("random piecewise formulas: every sheet (or a positioned refusal) within the budget and the slack", () => {
    fc.assert(
      fc.property(piecewiseFormula, (source) => {
        const { cpu } = cost(() => {
          try {
            const s = analyze(define(source), { budgetMs: 800 });
            // A property left open says why.
            for (const m of Object.values(s.method)) if (m.undecided !== undefined) expect(m.undecided).toMatch(/budget of 800 ms/);
          } catch (err) {
            if (!(err instanceof ActdiffError)) throw err;
          }
        });
        expect(cpu).toBeLessThan(800 + SLACK_MS);
      }),
      { seed: 17, numRuns: 5 },
    );
  }, 600_000);

  it("props --budget that is not a positive number of milliseconds is refused (exit 2)", () => {
    const bad = actdiff("props", "relu", "--budget", "-5");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--budget expects a positive number of milliseconds/);
  }, 120_000);
});
