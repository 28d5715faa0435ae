/** The covariate file of `skills --covariate`: per group and skill, the share of skill-relevant data in that group's datamix. */
import { numericColumn } from '../data/columns.js';
import { listColumns, type Table } from '../data/table.js';
import { at, UserError } from '../errors.js';
import { covariateFit, type CovariateSkill } from '../methods/skill-covariate.js';
import type { GroupFits } from '../methods/skill-groups.js';
import { warning, type Warning } from '../warnings.js';

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

/**
 * Per skill with shares, its fit in each group against the group's share (a group without one is left out, with a
 * warning, as is a row naming a group the data do not have), and the lines at `budget`.
 */
export function covariateOf(
  path: string,
  shares: Shares,
  groups: readonly GroupFits[],
  names: readonly string[],
  budget: number,
): { budget: number; skills: CovariateSkill[]; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const known = new Set(groups.map((g) => g.group));
  for (const [name, byGroup] of shares)
    for (const group of byGroup.keys())
      if (!known.has(group)) warnings.push(warning('covariate-unmatched', `${path}: group "${group}" (skill ${name}) is not a group of the data: left out`));
  const skills = names.flatMap((name) => {
    const byGroup = shares.get(name);
    if (!byGroup) return [];
    const inputs = groups.flatMap((g) => {
      const share = byGroup.get(g.group);
      if (share === undefined) {
        warnings.push(warning('covariate-unmatched', `${path}: no share for group "${g.group}", skill ${name}: left out of its line`));
        return [];
      }
      const s = g.skills.find((x) => x.name === name)!;
      return [{ group: g.group, share, fit: s.result.fit, ...(s.draws ? { draws: s.draws } : {}) }];
    });
    const fit = covariateFit(name, inputs, budget);
    if (!fit.a) warnings.push(warning('no-covariate-line', `skill ${name}: fewer than 2 groups with a share and a power law, or one share value: no line`));
    return [fit];
  });
  return { budget, skills, warnings };
}
