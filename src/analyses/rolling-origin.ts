/**
 * A rolling origin: for each cut from the `minFit`-th budget up, a candidate law fitted on the runs at or
 * below the cut forecasts every later run (what `backtest` reports), and the conformal calibration of those
 * forecasts' errors (what `pi95` is made from). The fitter is passed in (`fitRuns` of src/analyses/fit.ts),
 * so `fit` can calibrate itself with it without an import cycle.
 */
import { subsetRuns, type Runs } from '../data/runs.js';
import { withPrefix } from '../errors.js';
import { num } from '../format/number.js';
import { calibrate, logScatter, type Calibration } from '../methods/calibration.js';
import { forecast } from '../methods/forecast.js';
import { prefixed, type Warning } from '../warnings.js';
import type { AnalysisEnv } from './analysis.js';
import type { BacktestOptions, Candidate } from './backtest.js';
import type { fitRuns, FitRunsOptions } from './fit.js';

/** The fitter a rolling origin refits with. */
export type Fitter = typeof fitRuns;

/** The fit settings every cut shares (a fit's calibration passes its controls too). */
export type CutFitSettings = Pick<BacktestOptions, 'delta' | 'asymWeight' | 'grid' | 'screen' | 'bootstrap' | 'seed' | 'minFit'> &
  Pick<FitRunsOptions, 'fix' | 'tie' | 'bound' | 'weights' | 'share'>;

/** One cut of a rolling origin: its budget index and value, its fit's in-sample scatter, and its forecasts of every later run. */
export interface RollingCut {
  /** Index of the cut's budget: the fit holds the runs of budgets 0…k. */
  k: number;
  value: number;
  /** sd of log(loss / fitted) over the fitted runs (n − p degrees of freedom). */
  sigma0: number;
  /** Each later run: its index, budget, forecast, distance, log(loss / forecast) and the curve's interval. */
  forecasts: { index: number; budget: number; predicted: number; distance: number; logError: number; ci95?: [number, number] }[];
}

export interface RollingOrigin {
  cuts: RollingCut[];
  warnings: Warning[];
}

/**
 * Every cut from budget `minFit − 1` to the last but one: the candidate fitted on the runs of budgets 0…k
 * forecasts every run of a later budget. `value` is each run's cut variable, `budgets` its distinct values.
 */
export async function rollingOrigin(
  runs: Runs,
  value: Float64Array,
  budgets: readonly number[],
  c: Candidate,
  o: CutFitSettings,
  env: Pick<AnalysisEnv, 'bootstrap'>,
  fitter: Fitter,
  by = 'compute',
): Promise<RollingOrigin> {
  // A run's budget: the last budget that starts at or below its value.
  const budgetOf = Int32Array.from(value, (v) => {
    let k = 0;
    while (k + 1 < budgets.length && budgets[k + 1]! <= v) k++;
    return k;
  });
  const warnings: Warning[] = [];
  const cuts: RollingCut[] = [];
  for (let k = o.minFit - 1; k < budgets.length - 1; k++) {
    const fitIdx: number[] = [];
    const targetIdx: number[] = [];
    budgetOf.forEach((b, i) => {
      (b <= k ? fitIdx : targetIdx).push(i);
    });
    const fitted = subsetRuns(runs, fitIdx);
    let cut = 0;
    for (const i of fitIdx) if (value[i]! > cut) cut = value[i]!;
    const where = `${c.name}, cut at ${by} ${num(cut, 3)}: `;
    let result: Awaited<ReturnType<Fitter>>;
    try {
      result = await fitter(
        fitted,
        {
          law: c.law,
          objective: c.objective,
          delta: o.delta,
          asymWeight: o.asymWeight,
          grid: o.grid,
          screen: o.screen,
          bootstrap: o.bootstrap,
          seed: o.seed,
          budget: [1],
          ...(o.fix ? { fix: o.fix } : {}),
          ...(o.tie ? { tie: o.tie } : {}),
          ...(o.bound ? { bound: o.bound } : {}),
          ...(o.weights ? { weights: o.weights } : {}),
          ...(o.share ? { share: o.share } : {}),
        },
        env,
      );
    } catch (err) {
      throw withPrefix(where, err);
    }
    for (const w of result.report.warnings) warnings.push(prefixed(where, w));
    const sigma0 = logScatter(result.law, result.fit.theta, fitted);
    const targets = subsetRuns(runs, targetIdx);
    const f = forecast(result.law, result.fit.theta, targets, result.draws?.theta);
    cuts.push({
      k,
      value: cut,
      sigma0,
      forecasts: f.map((p, j) => {
        const i = targetIdx[j]!;
        return {
          index: i,
          budget: budgetOf[i]!,
          predicted: p.loss,
          distance: value[i]! / cut,
          logError: Math.log(runs.loss[i]! / p.loss),
          ...(p.ci95 ? { ci95: p.ci95 } : {}),
        };
      }),
    });
  }
  return { cuts, warnings };
}

/**
 * The calibration of the fit at cut k: the earlier cuts' forecasts of runs that cut k fitted (budgets ≤ k),
 * the same leave-future-out its own forecasts face, with cut k's in-sample scatter.
 */
export function calibrationAt(rolled: RollingOrigin, k: number): Calibration | null {
  const at = rolled.cuts.find((c) => c.k === k);
  return at
    ? calibrationFrom(
        rolled.cuts.filter((c) => c.k < k),
        k,
        at.sigma0,
        at.value,
      )
    : null;
}

/** The calibration from the given cuts' forecasts of runs in budgets ≤ `upTo`, for a fit at `cutValue` with scatter `sigma0`. */
export function calibrationFrom(cuts: readonly RollingCut[], upTo: number, sigma0: number, cutValue: number): Calibration | null {
  const points = cuts.flatMap((c) =>
    c.forecasts.filter((f) => f.budget <= upTo).map((f) => ({ distance: f.distance, logError: f.logError, cutOffset: Math.log(c.value / cutValue) })),
  );
  return calibrate(points, sigma0, cuts.length);
}
