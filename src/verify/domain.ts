import type { Expr } from "../ast/nodes.js";
import { print } from "../ast/print.js";
import * as Q from "../ast/rational.js";
import { fail } from "../errors.js";

/**
 * Where a claim is claimed to hold: `for beta > 0`, `for 0 < beta < 2`, `for x >= 0`. Each name
 * gets an interval; a parameter is then tried at values inside it (including values next to its
 * ends), the variable is sampled only inside it.
 */
export interface Interval {
  readonly lo?: Q.Rational;
  readonly hi?: Q.Rational;
  readonly loClosed: boolean;
  readonly hiClosed: boolean;
}

export type Domain = ReadonlyMap<string, Interval>;

export const EVERYWHERE: Interval = { loClosed: false, hiClosed: false };

export function contains(i: Interval, p: Q.Rational): boolean {
  if (i.lo !== undefined) {
    const c = Q.compare(p, i.lo);
    if (c < 0 || (c === 0 && !i.loClosed)) return false;
  }
  if (i.hi !== undefined) {
    const c = Q.compare(p, i.hi);
    if (c > 0 || (c === 0 && !i.hiClosed)) return false;
  }
  return true;
}

export function describeInterval(name: string, i: Interval): string {
  const lo = i.lo === undefined ? undefined : `${Q.toString(i.lo)} ${i.loClosed ? "<=" : "<"} `;
  const hi = i.hi === undefined ? undefined : ` ${i.hiClosed ? "<=" : "<"} ${Q.toString(i.hi)}`;
  if (lo !== undefined && hi !== undefined) return `${lo}${name}${hi}`;
  if (lo !== undefined) return `${name} ${i.loClosed ? ">=" : ">"} ${Q.toString(i.lo!)}`;
  if (hi !== undefined) return `${name}${hi}`;
  return `${name} any`;
}

export const describeDomain = (d: Domain): string => [...d].map(([n, i]) => describeInterval(n, i)).join(", ");

/** Narrows `i` by one bound. */
function bound(i: Interval, side: "lo" | "hi", value: Q.Rational, closed: boolean): Interval {
  if (side === "lo") {
    const keep = i.lo !== undefined && (Q.compare(i.lo, value) > 0 || (Q.equals(i.lo, value) && !i.loClosed));
    return keep ? i : { ...i, lo: value, loClosed: closed };
  }
  const keep = i.hi !== undefined && (Q.compare(i.hi, value) < 0 || (Q.equals(i.hi, value) && !i.hiClosed));
  return keep ? i : { ...i, hi: value, hiClosed: closed };
}

const FLIP = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const;

/**
 * The domain stated by `for` conditions: each a comparison of one name with a number, or an
 * `and` of such (what `0 < beta < 2` becomes). Anything else is bad input.
 */
export function domainOf(conditions: readonly Expr[]): Domain {
  const out = new Map<string, Interval>();
  const visit = (c: Expr): void => {
    if (c.kind === "logic" && c.op === "and") return c.args.forEach(visit);
    if (c.kind === "compare" && c.op !== "==" && c.op !== "!=") {
      let { op } = c;
      let name: string | undefined;
      let value: Q.Rational | undefined;
      if (c.left.kind === "sym" && c.right.kind === "num") [name, value] = [c.left.name, c.right.value];
      else if (c.right.kind === "sym" && c.left.kind === "num") [name, value, op] = [c.right.name, c.left.value, FLIP[op]];
      if (name !== undefined && value !== undefined) {
        const i = out.get(name) ?? EVERYWHERE;
        const closed = op === "<=" || op === ">=";
        out.set(name, op === ">" || op === ">=" ? bound(i, "lo", value, closed) : bound(i, "hi", value, closed));
        const j = out.get(name)!;
        if (j.lo !== undefined && j.hi !== undefined && !contains(j, j.lo) && !contains(j, j.hi) && Q.compare(j.lo, j.hi) >= 0) {
          fail("E_USAGE", `the range of '${name}' is empty: ${describeInterval(name, j)}`);
        }
        return;
      }
    }
    fail("E_USAGE", `cannot read the condition '${print(c)}' as a range`, { hint: "bound one name by numbers: for beta > 0, for 0 < beta < 2, for x >= 0" });
  };
  conditions.forEach(visit);
  return out;
}

const r = (n: number, d = 1): Q.Rational => Q.rational(BigInt(n), BigInt(d));

/**
 * Values to try for a parameter: a few ordinary ones, and next to each end of its range (an
 * open end is approached to 10⁻³, a closed end is included).
 */
export function parameterValues(i: Interval = EVERYWHERE): Q.Rational[] {
  const { lo, hi } = i;
  let values: Q.Rational[];
  // With no range stated the claim is for every value: a negative one too.
  if (lo === undefined && hi === undefined) values = [r(1), r(1, 2), r(7, 4), r(-3, 2)];
  else if (hi === undefined) values = [r(1), r(1, 2), r(7, 4), r(1, 1000), r(20)].map((v) => Q.add(lo!, v));
  else if (lo === undefined) values = [r(1), r(1, 2), r(7, 4), r(1, 1000), r(20)].map((v) => Q.sub(hi, v));
  else {
    const w = Q.sub(hi, lo);
    values = [r(1, 2), r(1, 4), r(7, 8), r(1, 1000), r(999, 1000)].map((f) => Q.add(lo, Q.mul(w, f)));
  }
  if (lo !== undefined && i.loClosed) values.push(lo);
  if (hi !== undefined && i.hiClosed) values.push(hi);
  const unique = new Map(values.map((v) => [`${v.n}/${v.d}`, v]));
  return [...unique.values()];
}

/** Parameter assignments: crossed when that stays small, otherwise walked in step (a Latin-square-like diagonal). */
export function parameterAssignments(names: readonly string[], domain: Domain): Map<string, Q.Rational>[] {
  const lists = names.map((n) => parameterValues(domain.get(n)));
  const crossed = lists.reduce((k, l) => k * l.length, 1);
  if (crossed <= 9) {
    let sets: Map<string, Q.Rational>[] = [new Map()];
    names.forEach((n, j) => {
      sets = sets.flatMap((s) => lists[j]!.map((v) => new Map([...s, [n, v]])));
    });
    return sets;
  }
  const rows = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: rows }, (_, i) => new Map(names.map((n, j) => [n, lists[j]![(i + j) % lists[j]!.length]!])));
}

/** Extra sample points for the variable when its range is bounded: next to each end. */
export function pointsNearEnds(i: Interval): Q.Rational[] {
  const out: Q.Rational[] = [];
  for (const d of [r(1, 10 ** 8), r(1, 1000), r(1, 10)]) {
    if (i.lo !== undefined) out.push(Q.add(i.lo, d));
    if (i.hi !== undefined) out.push(Q.sub(i.hi, d));
  }
  if (i.lo !== undefined && i.loClosed) out.push(i.lo);
  if (i.hi !== undefined && i.hiClosed) out.push(i.hi);
  return out.filter((p) => contains(i, p));
}
