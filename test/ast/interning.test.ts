import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import { add, int, mul, num, pow, sym } from "../../src/ast/build.js";
import { internedNodes, shapeHash as H } from "../../src/ast/nodes.js";
import * as Q from "../../src/ast/rational.js";

const endOfJob = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Two rationals whose num nodes have the same structural hash: a birthday search over 32 bits.
 * (Integers alone never collide: for a fixed denominator the hash is a bijection of the numerator.)
 */
function collidingRationals(): [Q.Rational, Q.Rational] {
  const seen = new Map<number, Q.Rational>();
  for (let d = 1; ; d++) {
    for (let n = 1; n <= 1000; n++) {
      if (gcd(n, d) !== 1) continue;
      const hash = H.mixNumber(H.mixNumber(H.seed("num"), n), d);
      const earlier = seen.get(hash);
      if (earlier !== undefined) return [earlier, Q.rational(BigInt(n), BigInt(d))];
      seen.set(hash, Q.rational(BigInt(n), BigInt(d)));
    }
  }
}

describe("interning", () => {
  test("two structures with one hash are two nodes, and each is found again", async () => {
    const [a, b] = collidingRationals();
    const first = num(a);
    const second = num(b);
    expect(first).not.toBe(second);
    expect(num(Q.rational(a.n, a.d))).toBe(first);
    expect(num(Q.rational(b.n, b.d))).toBe(second);
    // The same once both have left the current job's table for the weak one.
    await endOfJob();
    expect(num(Q.rational(a.n, a.d))).toBe(first);
    expect(num(Q.rational(b.n, b.d))).toBe(second);
    expect(Q.equals(second.value, b)).toBe(true);
  }, 30_000);

  test("a node is the same object before and after its job ends", async () => {
    const x = sym("x_interning_job");
    const before = pow(add(x, int(3)), int(2));
    await endOfJob();
    expect(pow(add(int(3), x), int(2))).toBe(before);
  });

  test("nodes nobody holds are collected once their job has ended", async () => {
    await endOfJob();
    collectGarbage();
    const baseline = internedNodes();
    let kept: unknown[] | undefined = [];
    const x = sym("x_interning_gc");
    for (let k = 0; k < 5000; k++) kept.push(mul(int(k + 7), pow(x, int(k + 2))));
    expect(internedNodes()).toBeGreaterThanOrEqual(baseline + 10000);
    await endOfJob();
    kept = undefined;
    // WeakRef targets stay alive until the end of the job that made or read them; a collection
    // may also leave some for the next one.
    for (let attempt = 0; attempt < 5 && internedNodes() >= baseline + 100; attempt++) {
      await endOfJob();
      collectGarbage();
      await endOfJob();
    }
    expect(internedNodes()).toBeLessThan(baseline + 100);
  });
});
