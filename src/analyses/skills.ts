/**
 * `skills`: skill-dependent compute-optimal scaling (Roberts et al. 2025) — per-skill IsoFLOP optima against an
 * aggregate validation loss, per datamix group, and the sweep over validation mixes.
 */
import { extent } from '../stats/extent.js';
import { numericColumn, toRuns } from '../data/columns.js';
import { groupsOf, runClusters } from '../data/groups.js';
import { subsetRuns } from '../data/runs.js';
import type { Table } from '../data/table.js';
import { optionRef, UserError } from '../errors.js';
import { budgetsOf } from '../methods/isoflop.js';
import type { CovariateSkill } from '../methods/skill-covariate.js';
import { compareGroups, type GroupComparison, type GroupFits } from '../methods/skill-groups.js';
import { skillsAnalysisWithDraws, type SkillsGroupResult, type SkillSpec } from '../methods/skills.js';
import { referenceLawOf } from './reference-law-option.js';
import { covariateOf, sharesOf } from './skills-covariate.js';
import { option, type OptionValues } from '../options/option.js';
import type { Warning } from '../warnings.js';
import { defineAnalysis } from './analysis.js';
import { isoflopOptions, runsOptions } from './common-options.js';
import { columnsOf } from './common-options.js';
import { isoflopSettings, readCurves } from './isoflop.js';
import type { BudgetReach } from '../data/checkpoints.js';

/** A skill as the options give it: a name and its loss columns with weights (columns are checked against the table). */
export interface SkillDeclaration {
  name: string;
  members: { column: string; weight: number }[];
  /** As the CLI spells it (`code=a,b:2`), for messages and for the command a report shows. */
  text: string;
}

export const skillsOptions = {
  ...runsOptions,
  ...isoflopOptions,
  skills: option.custom('a skill: the (weighted) mean of these loss columns; repeatable', {
    arg: 'NAME=COL[:W],...',
    flag: 'skill',
    repeated: true,
    default: [] as SkillDeclaration[],
    fromText: (values: string[], flag: string): SkillDeclaration[] => values.map((v) => parseSkill(v, flag)),
    // A study gives {"NAME": ["COL", …]} (equal weights) or {"NAME": {"COL": weight, …}}.
    studyType: {
      type: 'record',
      of: {
        type: 'union',
        of: [
          { type: 'array', of: { type: 'string' }, min: 1 },
          { type: 'record', of: { type: 'number', nonNegative: true } },
        ],
      },
    },
    fromStudy: (value: unknown): SkillDeclaration[] =>
      Object.entries(value as Record<string, string[] | Record<string, number>>).map(([name, cols]) => {
        const members = Array.isArray(cols)
          ? cols.map((column) => ({ column, weight: 1 }))
          : Object.entries(cols).map(([column, weight]) => ({ column, weight }));
        // The report shows the command that reproduces it: a name the CLI's NAME=COL[:W],... would re-split cannot be in it.
        for (const n of [name, ...members.map((m) => m.column)]) {
          if (/[,:=]/.test(n)) throw new UserError(`${optionRef('skills')}: "${n}" contains ',', ':' or '=', which --skill NAME=COL[:W],... cannot spell`);
        }
        const list = Array.isArray(cols) ? cols.join(',') : members.map((m) => `${m.column}:${m.weight}`).join(',');
        return { name, members, text: `${name}=${list}` };
      }),
    toText: (skills: SkillDeclaration[]) => skills.map((s) => s.text),
  }),
  aggregate: option.text('the aggregate validation loss: a column, or one of the skills', { arg: 'COL|NAME' }),
  mix: option.names('sweep validation sets mixing these skills', { arg: 'NAME,NAME,...' }),
  steps: option.count('grid steps per weight in the mix sweep', { default: 11, arg: 'K' }),
  pooled: option.switch('the pooled parametric (Chinchilla) fit per skill; --no-pooled (a study: false) skips it', { negatable: true, default: true }),
  budget: option.numbers("compute budgets (FLOP) at which to read N* off each skill's power law N* = k·C^a; default: the largest budget in the data", {
    arg: 'C,...',
  }),
  referenceLaw: option.text('a published compute-optimal law to compare N* with: llama3 (D* = 0.29·C^0.53, N* = C/(6D*)) or D=K*C^B', {
    arg: 'llama3|D=K*C^B',
  }),
  referenceGroup: option.text('with --group: the group every other is compared with (default: the first)', { arg: 'NAME' }),
  covariate: option.text(
    'with --group: CSV with columns group,skill,share (the share of skill-relevant data in each datamix); a and N* are fitted against it',
    {
      arg: 'FILE',
      path: true,
    },
  ),
  perDataset: option.switch('each member column of a skill as its own IsoFLOP curve: per budget the distribution of ln(N*_column/N*_reference)'),
};
export type SkillsAnalysisOptions = OptionValues<typeof skillsOptions>;

export type SkillsGroup = { group: string | null } & SkillsGroupResult;

export interface SkillsAnalysisResult {
  groups: SkillsGroup[];
  /** With at least two groups: each group against the reference group, per skill. */
  groupComparison?: GroupComparison;
  /** With --covariate: per skill, a and log N* at the first --budget against the share. */
  covariate?: { budget: number; skills: CovariateSkill[]; warnings: Warning[] };
  /** With --run: the checkpoint warnings, and with --at-budgets how many runs' curves reach each budget. */
  checkpoints?: { reached?: BudgetReach[]; warnings: Warning[] };
}

/** Mixes a validation-mix sweep analyses at most (each is an IsoFLOP analysis of every group). */
const MAX_MIXES = 20000;

export const skillsAnalysis = defineAnalysis({
  kind: 'skills',
  summary: 'skill-dependent compute-optimal scaling: per-skill IsoFLOP optima vs an aggregate, datamix groups, validation-mix sweep',
  options: skillsOptions,
  async run(given: Table, o: SkillsAnalysisOptions, env): Promise<SkillsAnalysisResult> {
    const curves = readCurves(given, o);
    const table = curves.table;
    if (o.skills.length === 0) throw new UserError(`give at least one ${optionRef('skills')} NAME=COL[,COL...]`);
    if (!o.aggregate) throw new UserError(`give ${optionRef('aggregate')} COL (or the name of one of the skills)`);
    const skills = o.skills.map((s) => skillOf(s, table));
    const names = new Set<string>();
    for (const s of skills) {
      if (names.has(s.name)) throw new UserError(`${optionRef('skills')}: "${s.name}" is given twice`);
      names.add(s.name);
    }
    const aggregate = skills.find((s) => s.name === o.aggregate) ?? aggregateColumn(o.aggregate, table);
    let mix: { skills: string[]; steps: number } | undefined;
    if (o.mix !== undefined) {
      for (const n of o.mix) if (!names.has(n)) throw new UserError(`${optionRef('mix')}: "${n}" is not a skill (skills: ${[...names].join(', ')})`);
      if (o.mix.length < 2) throw new UserError(`${optionRef('mix')} needs at least two skills`);
      if (o.steps < 2) throw new UserError(`${optionRef('steps')} needs at least 2`);
      // The grid holds every mix of the skills in steps of 1/steps: C(steps + k − 1, k − 1) of them, each a full analysis.
      let mixes = 1;
      for (let j = 1; j < o.mix.length; j++) mixes = (mixes * (o.steps + j)) / j;
      if (mixes > MAX_MIXES)
        throw new UserError(
          `${optionRef('mix')} of ${o.mix.length} skills in steps of 1/${o.steps} makes ${Math.round(mixes)} mixes; at most ${MAX_MIXES} (fewer skills or ${optionRef('steps')})`,
        );
      mix = { skills: o.mix, steps: o.steps };
    }
    const settings = isoflopSettings(o);
    const reference = o.referenceLaw === undefined ? undefined : referenceLawOf(o.referenceLaw);
    const runs = toRuns(table, { ...columnsOf({ ...o, loss: '' }), loss: aggregate.members[0]!.column });
    // With --run, rows sharing a run: the draws resample whole runs across budgets when one gives several points.
    if (o.run !== undefined) runs.cluster = runClusters(table, o.run);
    const parts = groupsOf(table, o.group);
    if (o.referenceGroup !== undefined && parts.length < 2)
      throw new UserError(`${optionRef('referenceGroup')} needs ${optionRef('group')} with at least two groups`);
    if (o.covariate !== undefined && o.group === undefined) throw new UserError(`${optionRef('covariate')} needs ${optionRef('group')} (one share per group)`);
    if (o.referenceGroup !== undefined && !parts.some((p) => p.group === o.referenceGroup))
      throw new UserError(`${optionRef('referenceGroup')} "${o.referenceGroup}": no such group (groups: ${parts.map((p) => p.group).join(', ')})`);
    const skillNames = [...skills.map((s) => s.name), ...(skills.includes(aggregate) ? [] : [aggregate.name])];
    const shares = o.covariate === undefined ? undefined : sharesOf(o.covariate, await env.readTable(o.covariate), skillNames);
    const budgets = o.budget ?? [extent(runs.C)[1]];
    const atBudgets = o.budget !== undefined || reference !== undefined;
    const perGroup = parts.map(({ group, index: idx }) => {
      const pick = (s: SkillSpec): SkillSpec => ({ ...s, members: s.members.map((m) => ({ ...m, loss: Float64Array.from(idx, (i) => m.loss[i]!) })) });
      const sub = subsetRuns(runs, idx);
      const { result, draws, isoflopDraws } = skillsAnalysisWithDraws(sub, skills.map(pick), pick(aggregate), {
        isoflop: settings,
        mix,
        pooled: o.pooled,
        ...(atBudgets ? { budgets } : {}),
        ...(reference ? { reference } : {}),
        ...(o.perDataset ? { perDataset: true } : {}),
      });
      // What the comparisons across groups need of this one: its sizes per budget, and per skill its fit and draws.
      const fits: GroupFits = {
        group: group ?? '',
        sizes: sizesOf(sub, settings.budgetTolerance),
        skills: [...result.skills, result.aggregate].map((s) => {
          const law = draws.get(s.name),
            iso = isoflopDraws.get(s.name);
          return { name: s.name, result: s.isoflop, ...(law ? { draws: law } : {}), ...(iso ? { isoflopDraws: iso } : {}) };
        }),
      };
      return { group: { group, ...result }, fits };
    });
    const out: SkillsAnalysisResult = { groups: perGroup.map((g) => g.group), ...(curves.checkpoints ? { checkpoints: curves.checkpoints } : {}) };
    const fits = perGroup.map((g) => g.fits);
    if (fits.length >= 2) out.groupComparison = compareGroups(fits, o.referenceGroup ?? fits[0]!.group, budgets);
    if (shares) out.covariate = covariateOf(o.covariate!, shares, fits, skillNames, budgets[0]!);
    return out;
  },
});

/** Per budget C, its distinct sizes: where two groups have the same, draw d resamples the same configurations in both. */
function sizesOf(runs: { C: ArrayLike<number>; N: ArrayLike<number> }, tolerance: number | undefined): Map<number, string> {
  const loss = new Float64Array(runs.C.length).fill(1);
  return new Map(budgetsOf({ C: runs.C, N: runs.N, loss }, tolerance).map((c) => [c.C, Array.from(c.logN).join(',')]));
}

/** `NAME=COL[:W],COL[:W]` → a skill (its columns are checked when the table is known). */
export function parseSkill(text: string, flag: string): SkillDeclaration {
  const eq = text.indexOf('=');
  const name = eq > 0 ? text.slice(0, eq).trim() : '';
  const list = eq > 0 ? text.slice(eq + 1).trim() : '';
  if (!name) throw new UserError(`${flag} "${text}": expected NAME=COL[:W][,COL[:W]...]`);
  if (!list) throw new UserError(`${flag} "${text}": skill "${name}" has no columns`);
  const members = list.split(',').map((part) => {
    const [column, w] = part.trim().split(':') as [string, string | undefined];
    const weight = w === undefined ? 1 : Number(w);
    if (!Number.isFinite(weight) || weight < 0) throw new UserError(`${flag} "${text}": weight "${w}" of ${column} must be a number >= 0`);
    return { column, weight };
  });
  if (members.every((m) => m.weight === 0)) throw new UserError(`${flag} "${text}": all weights are 0`);
  return { name, members, text };
}

/** The skill over the table's columns: each member's loss, validated. */
function skillOf(s: SkillDeclaration, table: Table): SkillSpec {
  for (const m of s.members) if (!table.columns.includes(m.column)) throw new UserError(`${optionRef('skills')} "${s.text}": no column "${m.column}"`);
  if (s.members.every((m) => m.weight === 0)) throw new UserError(`${optionRef('skills')} "${s.text}": all weights are 0`);
  return { name: s.name, members: s.members.map((m) => ({ ...m, loss: numericColumn(table, m.column, { positive: true }) })) };
}

function aggregateColumn(column: string, table: Table): SkillSpec {
  if (!table.columns.includes(column)) throw new UserError(`${optionRef('aggregate')} "${column}": not a column or a skill`);
  return { name: column, members: [{ column, weight: 1, loss: numericColumn(table, column, { positive: true }) }] };
}
