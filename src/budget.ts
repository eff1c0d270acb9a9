/**
 * Cost budgets for the commands that search rather than compute (`props`, `verify`): a limit on
 * the CPU time they may spend, proportional to the size of their input. The passes check it in
 * their loops; past it, a check throws `BudgetExceeded`, which the pass catches where it can
 * still say something true — a fact becomes "not established", a verdict "undecided", each with
 * the reason — so that no input makes a command run on.
 *
 * CPU time of this process rather than wall time: on a loaded machine the wall clock runs on
 * while nothing is computed, and what a command states should not depend on its neighbours.
 * Only the budget's own passes look at it, and only while it is in force (`withBudget`): the
 * same functions called from elsewhere (the audit, the docs) are not limited.
 */

export interface Budget {
  /** The allowance in milliseconds of CPU time. */
  readonly ms: number;
  /** How it was set, for messages: "the default for 40 nodes" or "--budget". */
  readonly origin: string;
}

/** Thrown by `checkBudget` past the deadline; never reaches the user (the passes turn it into words). */
export class BudgetExceeded extends Error {
  constructor(readonly budget: Budget) {
    super(budgetReason(budget));
    this.name = "BudgetExceeded";
  }
}

/** "budget of 12000 ms of CPU time exceeded": the reason a fact or verdict is left open. */
export const budgetReason = (b: Budget): string => `budget of ${Math.round(b.ms)} ms of CPU time exceeded`;

// In a browser (the playground's worker) there is no process: wall time stands in.
const hasCpuUsage = typeof process !== "undefined" && typeof process.cpuUsage === "function";
const cpuMs = (): number => {
  if (!hasCpuUsage) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Active { readonly budget: Budget; readonly deadline: number }
let active: Active | undefined;
let exceeded = false;
// process.cpuUsage is a system call (1–40 µs on a busy machine): a check looks at it only when
// 5 ms of wall time have passed since it last did (CPU time never runs ahead of the wall clock
// by more than the GC threads add), and performance.now() costs tens of nanoseconds.
const CHECK_EVERY_MS = 5;
let lastLook = -Infinity;

/**
 * Runs f with the budget in force (an enclosing budget's deadline still applies, whichever is
 * earlier). The budget starts now.
 */
export function withBudget<T>(budget: Budget, f: () => T): T {
  const outer = active;
  const outerExceeded = exceeded;
  const deadline = cpuMs() + budget.ms;
  active = outer !== undefined && outer.deadline < deadline ? outer : { budget, deadline };
  exceeded = false;
  lastLook = -Infinity;
  try {
    return f();
  } finally {
    active = outer;
    exceeded = outerExceeded;
  }
}

/** Whether the budget in force is spent (false when none is). */
export function budgetSpent(): boolean {
  if (active === undefined) return false;
  if (exceeded) return true;
  const now = performance.now();
  if (now - lastLook < CHECK_EVERY_MS) return false;
  lastLook = now;
  exceeded = cpuMs() > active.deadline;
  return exceeded;
}

/** Throws BudgetExceeded once the budget in force is spent. */
export function checkBudget(): void {
  if (budgetSpent()) throw new BudgetExceeded(active!.budget);
}

/** The budget in force, if any (for the reason of a result that was cut short). */
export const currentBudget = (): Budget | undefined => active?.budget;

/**
 * The default allowance for an input of `size` nodes (its DAG): a base and a share per node,
 * both per command. An explicit `ms` (the `--budget` option) replaces it.
 */
export function budgetFor(size: number, base: number, perNode: number, ms?: number): Budget {
  if (ms !== undefined) return { ms, origin: "as given" };
  return { ms: base + perNode * size, origin: `the default for ${size} nodes: ${base} ms + ${perNode} ms a node` };
}
