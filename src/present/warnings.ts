/** Each group's warnings, prefixed with `[group] ` when there are groups. */
export function groupWarnings(groups: readonly { group: string | null; warnings: readonly string[] }[]): string[] {
  return groups.flatMap((g) => g.warnings.map((w) => `${g.group === null ? '' : `[${g.group}] `}${w}`));
}
