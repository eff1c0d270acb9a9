/** Numbers and intervals in the prose of a property sheet. */

/** A number for prose: up to 7 significant digits, ±∞ as symbols. */
export function fmt(v: number): string {
  if (v === Infinity) return "+∞";
  if (v === -Infinity) return "-∞";
  if (Number.isNaN(v)) return "?";
  const s = Number(v.toPrecision(7)).toString();
  return s === "-0" ? "0" : s;
}

export function interval(lo: number, hi: number): string {
  return `(${fmt(lo)}, ${fmt(hi)})`;
}
