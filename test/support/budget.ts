import fc from "fast-check";

/**
 * For the budget tests of props and verify (test/analyze/budget.test.ts, test/verify/budget.test.ts):
 * what a call costs, and the inputs that cost the most.
 */

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** What a call cost, in CPU and wall milliseconds (the budget counts CPU time, so the bound holds on a loaded machine). */
export function cost<T>(f: () => T): { value: T; cpu: number; wall: number } {
  const [c, t] = [cpuMs(), performance.now()];
  const value = f();
  return { value, cpu: cpuMs() - c, wall: performance.now() - t };
}

/**
 * What a pass may spend beyond its budget: the parts that run without a check (binding the
 * parameters, the float scans, the breakpoints), each bounded by the size of the input.
 */
export const SLACK_MS = 5000;

/** A random piecewise formula of the fuzz campaign's kind: its symmetry check alone took 40 s of CPU time. */
export const SLOW = "clip((pi > (-1 ^ min(e, e)) ? swish(1e-3) : ((x > 2 ? x : x) > x ? e : (x * 1e-3))), (0.5 ^ ((0.5 + x) / (max(x, 1e-3) ^ x))), log(1))";
/**
 * SLOW with an upper bound above its lower one. SLOW itself is clip(u, lo, 0) with lo > 0: the
 * constant 0 (clip gives hi when lo > hi, as torch.clamp), which props now says at once.
 */
export const SLOW_VARYING = SLOW.replace("log(1))", "log(3))");

/** Piecewise formulas in x as the fuzz campaign writes them: conditions, clip, min, max, abs, relu. */
export const piecewiseFormula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", maxDepth: 5 },
    fc.constantFrom("x", "x", "x", "1", "2", "0.5", "pi", "e", "-1", "3.072", "1e-3", "100"),
    fc.tuple(fc.constantFrom("exp", "sigmoid", "tanh", "softplus", "relu", "abs", "erf", "sin", "atan", "swish", "mish"), tie("e")).map(([f, u]) => `${f}(${u})`),
    fc.tuple(fc.constantFrom("max", "min"), tie("e"), tie("e")).map(([f, u, v]) => `${f}(${u}, ${v})`),
    fc.tuple(tie("e"), fc.constantFrom("+", "-", "*", "/", "^"), tie("e")).map(([u, op, v]) => `(${u} ${op} ${v})`),
    fc.tuple(tie("e"), fc.constantFrom("<", "<=", ">", ">="), tie("e"), tie("e"), tie("e")).map(([u, op, v, p, q]) => `(${u} ${op} ${v} ? ${p} : ${q})`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([u, lo, hi]) => `clip(${u}, ${lo}, ${hi})`),
  ),
})).e.filter((s) => s.includes("x") && /[?]|clip|max|min|relu|abs/.test(s));
