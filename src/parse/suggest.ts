import { distance } from "fastest-levenshtein";

/** The closest known name to a misspelt one (`sigmod` → `sigmoid`), if any is close enough. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(name.length / 3));
  // A suggestion must keep part of the name: for `y`, every one-letter name is one edit away.
  return bestDistance <= allowed && bestDistance < name.length ? best : undefined;
}

export const didYouMean = (name: string, candidates: Iterable<string>): string | undefined => {
  const c = closest(name, candidates);
  return c === undefined ? undefined : `did you mean '${c}'?`;
};
