import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BudgetExceeded, budgetSpent, checkBudget, withBudget } from "../../src/budget.js";
import { ActdiffError, define, print, verify } from "../../src/index.js";
import { VERIFY_BUDGET } from "../../src/verify/verify.js";
import { cost, piecewiseFormula, SLACK_MS, SLOW } from "../support/budget.js";
import { actdiff } from "../support/cli.js";

// verify samples at rising precision (60, 120, … 1920 digits) within a budget of CPU time
// proportional to the claim: past it, the verdict is undecided with that reason — never verified
// on the points it had time for.

const MIRRORED = SLOW.replace(/\bx\b/g, "(-x)");

beforeAll(() => {
  verify("tanh(x) = tanh(x)");
}, 120_000);

describe("the budget in force (src/budget.ts)", () => {
  const spin = (ms: number): void => {
    const end = process.cpuUsage().user / 1000 + ms;
    while (process.cpuUsage().user / 1000 < end) { /* burn CPU time */ }
  };

  it("without one, a check never throws; with one, a check past it throws BudgetExceeded with the reason", () => {
    spin(20);
    expect(() => checkBudget()).not.toThrow();
    expect(() => withBudget({ ms: 10, origin: "test" }, () => {
      spin(40);
      checkBudget();
    })).toThrow(new BudgetExceeded({ ms: 10, origin: "test" }));
    expect(budgetSpent()).toBe(false);
  });

  it("nested budgets: the earlier deadline applies, and the outer one is back in force afterwards", () => {
    withBudget({ ms: 60_000, origin: "outer" }, () => {
      expect(() => withBudget({ ms: 10, origin: "inner" }, () => {
        spin(40);
        checkBudget();
      })).toThrow(/budget of 10 ms of CPU time exceeded/);
      expect(budgetSpent()).toBe(false);
    });
    withBudget({ ms: 10, origin: "outer" }, () => {
      spin(40);
      expect(() => withBudget({ ms: 60_000, origin: "inner" }, () => checkBudget())).toThrow(/budget of 10 ms/);
    });
  });
});

describe("verify within its budget", () => {
  it("a claim whose sampling would take a minute is undecided, with the budget as the reason", () => {
    const { value: r, cpu } = cost(() => verify(`${MIRRORED} = ${SLOW}`, { budgetMs: 1500 }));
    expect(cpu).toBeLessThan(1500 + SLACK_MS);
    expect(r.verdict).toBe("undecided");
    expect(r.evidence.budgetExceeded).toBe(1500);
    expect(r.detail).toMatch(/budget of 1500 ms of CPU time exceeded/);
  }, 180_000);

  it("the default budget is 20 s and 100 ms for each node of the claim", () => {
    expect(VERIFY_BUDGET).toEqual({ base: 20_000, perNode: 100 });
  });

  it("random piecewise formulas: actdiff's own derivative is never refuted, and the verdict comes within the budget", () => {
    fc.assert(
      fc.property(piecewiseFormula, (source) => {
        let f;
        try {
          f = define(source);
        } catch (err) {
          if (err instanceof ActdiffError) return;
          throw err;
        }
        const claim = `diff(${print(f.expr)}, x) = ${print(f.derivative().expr)}`;
        const { value: r, cpu } = cost(() => verify(claim, { budgetMs: 800 }));
        expect(cpu).toBeLessThan(800 + SLACK_MS);
        expect(r.verdict).not.toBe("refuted");
        if (r.evidence.budgetExceeded !== undefined) expect(r.verdict).toBe("undecided");
      }),
      { seed: 17, numRuns: 5 },
    );
  }, 600_000);

  it("verify --budget: undecided (exit 3) with the reason", () => {
    const r = actdiff("verify", `${MIRRORED} = ${SLOW}`, "--budget", "1000", "--json");
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: "undecided", evidence: { budgetExceeded: 1000 } });
  }, 180_000);
});
