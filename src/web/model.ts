// What the dashboard computes, without the DOM: a run table and the user's choices → runs per group,
// each skill's loss, and on every slider move the validation mix's IsoFLOP analysis. The same functions
// `scalewise skills` uses (skillLoss, mixLoss, isoflop), with the same defaults, so the numbers agree.
import { groupsOf } from '../data/groups.js';
import { isoflop, type IsoflopPoints, type IsoflopResult } from '../methods/isoflop.js';
import { mixIntervals, mixResamples, type BudgetInterval, type MixResamples } from '../methods/mix-band.js';
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
  /**
   * The band of the mix's N*: resamples B and seed S of `scalewise skills --bootstrap B --seed S` (a study's
   * `bootstrap` and `seed`), each defaulting to {@link DEFAULT_BAND}'s. `resamples: 0`: no band.
   */
  band?: { resamples?: number; seed?: number };
}

/** The band's resamples when the study names none: 200 (the CLI's default seed 0), drawn once per table and configuration. */
export const DEFAULT_BAND = { resamples: 200, seed: 0 };

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
  /** The bootstrap resamples of every budget, drawn once: the band of any mix is refitted on them. */
  resamples?: MixResamples;
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
  /** The plain analysis (as `skills --mix`); with resamples, each budget with an interval carries it as `ci95` (the figure's band). */
  result: IsoflopResult;
  /** Per budget: the 95% interval of N* and D* from the resamples (`skills --mix … --bootstrap B --seed S`'s `Nci95`), null where there is none. */
  band?: (BudgetInterval | null)[];
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
    const band = { ...DEFAULT_BAND, ...config.band };
    // Drawn once here; a slider move refits the mix on them (no random numbers), see src/methods/mix-band.ts.
    const resamples = band.resamples > 0 ? mixResamples(sub, { method: config.method, ...band }) : undefined;
    return { group, runs: sub, losses: sl, skills: sl.map((loss) => analyse(sub, loss, config.method)), ...(resamples ? { resamples } : {}) };
  });
  return { config, groups };
}

/** Slider positions (integers, as the range inputs give them) → weights summing to 1. */
export function sliderWeights(positions: readonly number[]): number[] {
  const total = positions.reduce((s, v) => s + v, 0);
  // All sliders at 0 is no mix at all; treat it as equal weights rather than dividing by zero.
  return total > 0 ? positions.map((v) => v / total) : positions.map(() => 1 / positions.length);
}

/**
 * The slider's work: the mixed loss per run, its IsoFLOP analysis (as `scalewise skills --mix`), and with
 * resamples the 95% interval of N* per budget refitted on them (as `--bootstrap B --seed S`).
 */
export function mixView(data: GroupData, weights: readonly number[], method: DashboardConfig['method']): MixView {
  const loss = mixLoss(data.losses, weights);
  const points = { C: data.runs.C, N: data.runs.N, loss };
  const result = analyse(data.runs, loss, method);
  if (!data.resamples || data.resamples.method !== method) return { weights: [...weights], points, result };
  const band = mixIntervals(data.resamples, loss, result);
  const budgets = result.budgets.map((b, j) => (band[j] ? { ...b, ci95: band[j]! } : b));
  return { weights: [...weights], points, result: { ...result, budgets }, band };
}

function analyse(runs: Runs, loss: Float64Array, method: DashboardConfig['method']): IsoflopResult {
  return isoflop({ C: runs.C, N: runs.N, loss }, { method });
}
