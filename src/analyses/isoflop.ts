/**
 * `isoflop`: the IsoFLOP analysis (Hoffmann et al.'s Approach 2) — the loss-minimising N per compute budget and
 * N* = k·C^a across budgets, per group.
 */
import { toRuns } from '../data/columns.js';
import { groupsOf, runClusters } from '../data/groups.js';
import type { Table } from '../data/table.js';
import { optionRef, UserError } from '../errors.js';
import { isoflop, type IsoflopIntervals, type IsoflopOptions, type IsoflopPoints, type IsoflopResult } from '../methods/isoflop.js';
import type { OptionValues } from '../options/option.js';
import { defineAnalysis } from './analysis.js';
import { checkpointWarnings, isoflopOptions, lossOption, MIN_RESAMPLES, runsOptions } from './common-options.js';
import { curvesAtBudgets, type BudgetReach } from '../data/checkpoints.js';
import type { Warning } from '../warnings.js';
import { columnsOf, resamplesOf } from './common-options.js';

export const isoflopAnalysisOptions = { ...runsOptions, ...lossOption, ...isoflopOptions };
export type IsoflopAnalysisOptions = OptionValues<typeof isoflopAnalysisOptions>;

/** One group's analysis (`group` null without a group column). */
export type IsoflopGroup = { group: string | null } & IsoflopResult;

export interface IsoflopAnalysisResult {
  groups: IsoflopGroup[];
  /** Each group's runs as the analysis took them (what the figures draw). */
  points: IsoflopPoints[];
  /** The method's settings, as used. */
  settings: IsoflopOptions;
  /** With --run: the checkpoint warnings, and with --at-budgets how many runs' curves reach each budget. */
  checkpoints?: { reached?: BudgetReach[]; warnings: Warning[] };
}

export const isoflopAnalysis = defineAnalysis({
  kind: 'isoflop',
  summary: 'IsoFLOP analysis (Approach 2): the loss-minimising N per compute budget, and N* = k·C^a across budgets',
  options: isoflopAnalysisOptions,
  async run(given: Table, o: IsoflopAnalysisOptions): Promise<IsoflopAnalysisResult> {
    let table = given;
    const settings = isoflopSettings(o);
    const curves = readCurves(table, o);
    table = curves.table;
    const runs = toRuns(table, columnsOf(o));
    // With --run, each point's run: a bootstrap then draws whole runs when one gives points at several budgets.
    const cluster = o.run !== undefined ? runClusters(table, o.run) : undefined;
    const inputs = groupsOf(table, o.group).map(({ group, index }) => {
      const pick = (a: ArrayLike<number>) => index.map((i) => a[i]!);
      // With a tokens column, D* is read off the runs' own tokens at N*, not C/(6N*): the data's FLOP convention.
      const points: IsoflopPoints = { C: pick(runs.C), N: pick(runs.N), loss: pick(runs.loss), ...(o.tokens !== undefined ? { D: pick(runs.D) } : {}) };
      if (cluster) points.run = pick(cluster.of);
      return { group, points };
    });
    return {
      groups: inputs.map(({ group, points }) => ({ group, ...isoflop(points, settings) })),
      points: inputs.map((g) => g.points),
      settings,
      ...(curves.checkpoints ? { checkpoints: curves.checkpoints } : {}),
    };
  },
});

/** With --at-budgets, each run's curve read at the budgets (src/data/checkpoints.ts); the checkpoint warnings with --run. */
export function readCurves(
  table: Table,
  o: Pick<IsoflopAnalysisOptions, 'run' | 'step' | 'checkpoints' | 'phase' | 'atBudgets' | 'params' | 'tokens' | 'flops'>,
): { table: Table; checkpoints?: { reached?: BudgetReach[]; warnings: Warning[] } } {
  if (o.run === undefined) {
    if (o.atBudgets !== undefined) throw new UserError(`${optionRef('atBudgets')} needs ${optionRef('run')} COL: the column naming each checkpoint's run`);
    return { table };
  }
  const warnings = checkpointWarnings(o);
  if (o.atBudgets === undefined) return { table, checkpoints: { warnings } };
  const structural = o.phase !== undefined ? [o.phase] : [];
  const read = curvesAtBudgets(table, { run: o.run, step: o.step, params: o.params, tokens: o.tokens, flops: o.flops, structural }, o.atBudgets);
  return { table: read.table, checkpoints: { reached: read.reached, warnings } };
}

/** The IsoFLOP method's settings from the options `isoflop` and `skills` share. */
export function isoflopSettings(o: OptionValues<typeof isoflopOptions>): IsoflopOptions {
  if (o.bootstrap !== undefined && o.noise !== undefined) throw new UserError(`choose one of ${optionRef('bootstrap')} and ${optionRef('noise')}`);
  let intervals: IsoflopIntervals | undefined;
  if (o.noise !== undefined) {
    if (o.draws < MIN_RESAMPLES) throw new UserError(`${optionRef('draws')} needs at least ${MIN_RESAMPLES}, got ${o.draws}`);
    intervals = { kind: 'noise', sigma: o.noise, draws: o.draws, seed: o.seed };
  }
  const B = resamplesOf(o.bootstrap);
  if (B > 0) intervals = { kind: 'bootstrap', resamples: B, seed: o.seed };
  return {
    method: o.method as 'parabola' | 'akima',
    ...(intervals ? { intervals } : {}),
    ...(o.budgetTolerance !== undefined ? { budgetTolerance: o.budgetTolerance } : {}),
  };
}
