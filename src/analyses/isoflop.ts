/**
 * `isoflop`: the IsoFLOP analysis (Hoffmann et al.'s Approach 2) — the loss-minimising N per compute budget and
 * N* = k·C^a across budgets, per group.
 */
import { toRuns } from '../data/columns.js';
import { groupsOf } from '../data/groups.js';
import type { Table } from '../data/table.js';
import { optionRef, UserError } from '../errors.js';
import { isoflop, type IsoflopIntervals, type IsoflopOptions, type IsoflopPoints, type IsoflopResult } from '../methods/isoflop.js';
import type { OptionValues } from '../options/option.js';
import { defineAnalysis } from './analysis.js';
import { isoflopOptions, lossOption, MIN_RESAMPLES, runsOptions } from './common-options.js';
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
  settings: IsoflopOptions & { budgetTolerance: number };
}

export const isoflopAnalysis = defineAnalysis({
  kind: 'isoflop',
  summary: 'IsoFLOP analysis (Approach 2): the loss-minimising N per compute budget, and N* = k·C^a across budgets',
  options: isoflopAnalysisOptions,
  async run(table: Table, o: IsoflopAnalysisOptions): Promise<IsoflopAnalysisResult> {
    const settings = isoflopSettings(o);
    const runs = toRuns(table, columnsOf(o));
    const inputs = groupsOf(table, o.group).map(({ group, index }) => {
      const pick = (a: Float64Array) => index.map((i) => a[i]!);
      return { group, points: { C: pick(runs.C), N: pick(runs.N), loss: pick(runs.loss) } };
    });
    return {
      groups: inputs.map(({ group, points }) => ({ group, ...isoflop(points, settings) })),
      points: inputs.map((g) => g.points),
      settings,
    };
  },
});

/** The IsoFLOP method's settings from the options `isoflop` and `skills` share. */
export function isoflopSettings(o: OptionValues<typeof isoflopOptions>): IsoflopOptions & { budgetTolerance: number } {
  if (o.bootstrap !== undefined && o.noise !== undefined) throw new UserError(`choose one of ${optionRef('bootstrap')} and ${optionRef('noise')}`);
  let intervals: IsoflopIntervals | undefined;
  if (o.noise !== undefined) {
    if (o.draws < MIN_RESAMPLES) throw new UserError(`${optionRef('draws')} needs at least ${MIN_RESAMPLES}, got ${o.draws}`);
    intervals = { kind: 'noise', sigma: o.noise, draws: o.draws, seed: o.seed };
  }
  const B = resamplesOf(o.bootstrap);
  if (B > 0) intervals = { kind: 'bootstrap', resamples: B, seed: o.seed };
  return { method: o.method as 'parabola' | 'akima', ...(intervals ? { intervals } : {}), budgetTolerance: o.budgetTolerance };
}
