/**
 * A fit's prediction-interval calibration: the same law and objective backtested on the fit's own runs with a
 * rolling origin (src/analyses/backtest.ts), and the conformal calibration of its errors
 * (src/methods/calibration.ts). Runs with many distinct budgets (compute read off a figure) are cut at
 * quantiles of C instead of at every budget, so the calibration costs at most {@link MAX_CUTS} extra fits.
 */
import type { Runs } from '../data/runs.js';
import { distinctBudgets } from '../data/selection.js';
import { UserError } from '../errors.js';
import { lawForRuns } from '../laws/shared.js';
import { MIN_CUTS, type Calibration } from '../methods/calibration.js';
import { extent } from '../stats/extent.js';
import type { AnalysisEnv } from './analysis.js';
import type { Candidate } from './backtest.js';
import { calibrationFrom, rollingOrigin, type CutFitSettings, type Fitter, type RollingOrigin } from './rolling-origin.js';

/** Cuts a fit's calibration makes at most. */
export const MAX_CUTS = 8;

/**
 * The fit's calibration, or null when its runs have too few budgets for enough cuts. `prior`: the candidate's
 * rolling origin on these runs with these settings, already made (by `--select backtest`).
 */
export async function fitCalibration(
  runs: Runs,
  candidate: Candidate,
  settings: Omit<CutFitSettings, 'bootstrap' | 'minFit'>,
  sigma0: number,
  env: Pick<AnalysisEnv, 'bootstrap'>,
  fitter: Fitter,
  prior?: { budgets: readonly number[]; minFit: number; rolled: RollingOrigin },
  budgetTolerance = 1e-6,
): Promise<Calibration | null> {
  let budgets = distinctBudgets(runs.C, budgetTolerance);
  if (budgets.length > MAX_CUTS + 3) budgets = quantileStarts(runs.C, MAX_CUTS + 3);
  // The first cut fits at least 3 budgets and twice as many runs as the law has constants.
  const p = lawForRuns(candidate.law, runs, settings.share).thetaNames.length;
  let minFit = 3;
  while (minFit < budgets.length && countBelow(runs.C, budgets[minFit]!) < 2 * p + 1) minFit++;
  // Cuts run from the minFit-th budget to the last but one: budgets.length − minFit of them.
  if (budgets.length - minFit < MIN_CUTS) return null;
  let rolled: RollingOrigin;
  try {
    // The same cuts already fitted with the same settings (by --select backtest) are the same fits.
    const same = prior && prior.minFit === minFit && prior.budgets.length === budgets.length && prior.budgets.every((b, i) => b === budgets[i]);
    rolled = same ? prior.rolled : await rollingOrigin(runs, runs.C, budgets, candidate, { ...settings, bootstrap: 0, minFit }, env, fitter);
  } catch (err) {
    // A cut the law cannot be fitted on leaves the fit without pi95, not without its result.
    if (err instanceof UserError) return null;
    throw err;
  }
  const [, cMax] = extent(runs.C);
  return calibrationFrom(rolled.cuts, budgets.length - 1, sigma0, cMax);
}

function countBelow(C: Float64Array, start: number): number {
  let n = 0;
  for (const c of C) if (c < start) n++;
  return n;
}

/** `k` budget starts at quantiles of C (the first the smallest C), for runs whose C barely repeats. */
function quantileStarts(C: Float64Array, k: number): number[] {
  const sorted = Float64Array.from(C).sort();
  const starts: number[] = [];
  for (let j = 0; j < k; j++) {
    const v = sorted[Math.floor((j * sorted.length) / k)]!;
    if (starts.length === 0 || v > starts[starts.length - 1]!) starts.push(v);
  }
  return starts;
}
