// What the dashboard computes, without the DOM: a run table and the user's choices → runs per group,
// each skill's loss, and on every slider move the validation mix's IsoFLOP analysis. The same functions
// `scalewise skills` uses (skillLoss, mixLoss, isoflop), with the same defaults, so the numbers agree.
import { groupsOf } from '../data/groups.js';
import { isoflop, type IsoflopPoints, type IsoflopResult } from '../methods/isoflop.js';
import { mixLoss, skillLoss, type SkillSpec } from '../methods/skills.js';
import { numericColumn, toRuns } from '../data/columns.js';
import { subsetRuns, type Runs } from '../data/runs.js';
import type { Table } from '../data/table.js';
import { UserError } from '../errors.js';

/** The user's choices: column mapping, skills, grouping. */
export interface DashboardConfig {
  /** Column with parameters N. */
  params: string;
  /** Column with training tokens D (optional when `flops` is given). */
  tokens?: string;
  /** Column with training compute C; default 6·N·D. */
  flops?: string;
  /** Analyse the runs of one value of this column (a datamix) at a time. */
  group?: string;
  /** Skills: name → loss columns, averaged with these weights (default equal), as `--skill NAME=COL[:W],...`. */
  skills: { name: string; columns: string[]; weights?: number[] }[];
  /** IsoFLOP minimum per budget, as `--method`. */
  method: 'parabola' | 'akima';
}

/** What `scalewise serve` gives the page at /api/study. */
export interface DashboardInfo {
  title: string;
  files: { name: string; url: string }[];
  /** --where filters to apply to the tables, as the CLI would. */
  where: string[];
  config: DashboardConfig;
}

/** One group's runs and each skill's per-run loss, with the per-skill analyses that do not move with the slider. */
export interface GroupData {
  group: string | null;
  runs: Runs;
  /** Per skill, per run: the mean of its columns. */
  losses: Float64Array[];
  /** Per skill: the IsoFLOP analysis of that skill alone. */
  skills: IsoflopResult[];
}

/** Everything the slider needs, computed once per table and configuration. */
export interface Prepared {
  config: DashboardConfig;
  groups: GroupData[];
}

/** The mix at one slider position: the runs with the mixed loss, and their IsoFLOP analysis. */
export interface MixView {
  weights: number[];
  points: IsoflopPoints;
  result: IsoflopResult;
}

/** Columns that look like N, D and C by their names (the user can change them). */
export function guessMapping(columns: string[]): Pick<DashboardConfig, 'params' | 'tokens' | 'flops'> {
  const find = (...names: string[]) => columns.find((c) => names.includes(c.toLowerCase()));
  return {
    params: find('params', 'n', 'n_params', 'parameters') ?? columns[0] ?? '',
    tokens: find('tokens', 'd', 'd_tokens', 'n_tokens'),
    flops: find('flops', 'iso_flop', 'c', 'compute', 'flop'),
  };
}

/** Columns whose cells are all positive numbers: the candidates for N, D, C and losses. */
export function numericColumns(table: Table): string[] {
  return table.columns.filter((c) =>
    table.rows.every((r) => {
      const v = r.values[c];
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return x > 0 && Number.isFinite(x);
    }),
  );
}

/** Columns with few distinct values (≤ 20, fewer than the rows): the candidates for grouping. */
export function groupColumns(table: Table): string[] {
  return table.columns.filter((c) => {
    const seen = new Set(table.rows.map((r) => String(r.values[c] ?? '')));
    return seen.size > 1 && seen.size <= 20 && seen.size < table.rows.length;
  });
}

/** Validates the choices against the table (errors word for word as the CLI's) and splits it into groups. */
export function prepare(table: Table, config: DashboardConfig): Prepared {
  if (config.skills.length === 0) throw new UserError('choose at least one skill (one or more loss columns)');
  const specs: SkillSpec[] = config.skills.map((s) => {
    if (s.columns.length === 0) throw new UserError(`skill "${s.name}" has no columns`);
    return {
      name: s.name,
      members: s.columns.map((column, j) => ({ column, weight: s.weights?.[j] ?? 1, loss: numericColumn(table, column, { positive: true }) })),
    };
  });
  const runs = toRuns(table, { params: config.params, tokens: config.tokens, flops: config.flops, loss: config.skills[0]!.columns[0]! });
  const losses = specs.map(skillLoss);
  const groups = groupsOf(table, config.group).map(({ group, index }) => {
    const sub = subsetRuns(runs, index);
    const sl = losses.map((l) => Float64Array.from(index, (i) => l[i]!));
    return { group, runs: sub, losses: sl, skills: sl.map((loss) => analyse(sub, loss, config.method)) };
  });
  return { config, groups };
}

/** Slider positions (integers, as the range inputs give them) → weights summing to 1. */
export function sliderWeights(positions: readonly number[]): number[] {
  const total = positions.reduce((s, v) => s + v, 0);
  // All sliders at 0 is no mix at all; treat it as equal weights rather than dividing by zero.
  return total > 0 ? positions.map((v) => v / total) : positions.map(() => 1 / positions.length);
}

/** The slider's work: the mixed loss per run and its IsoFLOP analysis (as `scalewise skills --mix`, no intervals). */
export function mixView(data: GroupData, weights: readonly number[], method: DashboardConfig['method']): MixView {
  const loss = mixLoss(data.losses, weights);
  const points = { C: data.runs.C, N: data.runs.N, loss };
  return { weights: [...weights], points, result: analyse(data.runs, loss, method) };
}

function analyse(runs: Runs, loss: Float64Array, method: DashboardConfig['method']): IsoflopResult {
  return isoflop({ C: runs.C, N: runs.N, loss }, { method });
}
