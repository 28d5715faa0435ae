import { prefixed, type Warning } from '../warnings.js';

/** Each group's warnings, prefixed with `[group] ` when there are groups. */
export function groupWarnings(groups: readonly { group: string | null; warnings: readonly Warning[] }[]): Warning[] {
  return groups.flatMap((g) => g.warnings.map((w) => (g.group === null ? w : prefixed(`[${g.group}] `, w))));
}
