// "Did you mean": the names nearest to one that is not there, so an error line points at the fix.

import { editDistance } from '../../format/edit-distance.js';

/** Up to `k` of `names` closest to `wanted` (a name containing it or contained in it first, then by edit distance per character). */
export function nearestNames(wanted: string, names: readonly string[], k = 3): string[] {
  const w = wanted.toLowerCase();
  const scored = [...new Set(names)].map((name) => {
    const n = name.toLowerCase();
    // Containment counts only for names long enough to mean something ("rn" is not "N" misspelt).
    const contains = (w.length >= 3 && n.includes(w)) || (n.length >= 3 && w.includes(n)) ? 0 : 1;
    return { name, contains, distance: editDistance(w, n) / Math.max(w.length, n.length, 1) };
  });
  scored.sort((a, b) => a.contains - b.contains || a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, k).map((s) => s.name);
}

/** `no column "x" (nearest: a, b, c)`; with no names at all, says so. */
export function notFound(noun: string, wanted: string, names: readonly string[]): string {
  if (names.length === 0) return `no ${noun} "${wanted}" (there are none)`;
  return `no ${noun} "${wanted}" (nearest: ${nearestNames(wanted, names).join(', ')})`;
}
