/** Dead zones (intervals where f′ = 0) and saturation at either side. */
import { SNAP, type Analysis, type Tail } from "./analysis.js";
import { valueAt } from "./regions.js";
import type { Extended, SideSaturation } from "./types.js";

export function deadZonesOf(a: Analysis): { zones: [Extended, Extended][]; closed: [boolean, boolean][] } {
  const zones: [Extended, Extended][] = [];
  const closed: [boolean, boolean][] = [];
  // An end is in the zone when f′ there, by the definition's own convention at the kink, is 0
  // (relu: f′(0) = 0, so (−∞, 0]); clip's f′(−1) = 1, so its zone is (−∞, −1).
  const zeroAt = (x: number): boolean => {
    const i = a.b.breakpoints.indexOf(x);
    return i >= 0 && valueAt(a.b.df, a.x, a.b.exactBreakpoints[i]!, SNAP).value === 0;
  };
  a.b.regions.forEach((r, i) => {
    if (!a.constantRegion[i]) return;
    const last = zones.at(-1);
    const bp = a.bps[i - 1];
    if (last !== undefined && last[1] === r.lo && bp?.continuous && zeroAt(r.lo)) {
      last[1] = r.hi;
      closed.at(-1)![1] = zeroAt(r.hi);
    } else {
      zones.push([r.lo, r.hi]);
      closed.push([zeroAt(r.lo), zeroAt(r.hi)]);
    }
  });
  return { zones, closed };
}

export function saturationOf(t: Tail, zones: readonly [Extended, Extended][]): SideSaturation {
  if (t.constant) {
    const zone = t.side < 0 ? zones[0]! : zones.at(-1)!;
    return { kind: "hard", c: t.side < 0 ? zone[1] : zone[0] };
  }
  if (t.df === undefined) return { kind: "none" };
  return t.df.value === 0 ? { kind: "soft" } : { kind: "none" };
}
