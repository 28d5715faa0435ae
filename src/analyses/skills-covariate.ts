/** The covariate file of `skills --covariate`: per group and skill, the share of skill-relevant data in that group's datamix. */
import { numericColumn } from '../data/columns.js';
import { listColumns, type Table } from '../data/table.js';
import { at, UserError } from '../errors.js';

/** share per skill, per group: `shares.get(skill)?.get(group)`. */
export type Shares = Map<string, Map<string, number>>;

export const COVARIATE_COLUMNS = ['group', 'skill', 'share'] as const;

/** The file's rows as shares, each skill checked against `skills` (the skills' names and the aggregate's). */
export function sharesOf(path: string, table: Table, skills: readonly string[]): Shares {
  const missing = COVARIATE_COLUMNS.filter((c) => !table.columns.includes(c));
  if (missing.length > 0) throw new UserError(`${path}: the covariate file needs columns group, skill, share; it has ${listColumns(table.columns)}`);
  const share = numericColumn(table, 'share');
  const out: Shares = new Map();
  table.rows.forEach((row, i) => {
    const group = String(row.values.group ?? '').trim(),
      skill = String(row.values.skill ?? '').trim();
    if (!group) throw new UserError(`${at(row.origin, 'group')}empty cell`);
    if (!skills.includes(skill)) throw new UserError(`${at(row.origin, 'skill')}"${skill}" is not a skill (skills: ${skills.join(', ')})`);
    const byGroup = out.get(skill) ?? new Map<string, number>();
    if (byGroup.has(group)) throw new UserError(`${at(row.origin)}group "${group}", skill "${skill}" is given twice`);
    byGroup.set(group, share[i]!);
    out.set(skill, byGroup);
  });
  return out;
}
