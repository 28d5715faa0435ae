/**
 * `fit --select backtest`: the fit specification (law and objective) chosen by how it extrapolated on the
 * user's own runs. Every candidate is backtested with a rolling origin on the fit runs (src/analyses/
 * rolling-origin.ts, the same cuts and forecasts as `scalewise backtest`), scored on the furthest forecasts
 * every candidate has, and the lowest score wins. `fit` loads this module only with `--select backtest`.
 */
import type { Runs } from '../data/runs.js';
import { distinctBudgets } from '../data/selection.js';
import { optionRef, UserError, withPrefix } from '../errors.js';
import { lawByName } from '../laws/registry.js';
import type { FitSelection } from '../schema/fit.js';
import type { AnalysisEnv } from './analysis.js';
import { DISTANCE_EDGES, distanceBin, parseCandidate, type Candidate } from './backtest.js';
import { controlsOf, type FitAnalysisOptions, type fitRuns } from './fit.js';
import { rollingOrigin, type RollingOrigin } from './rolling-origin.js';

/** The first cut fits this many of the smallest budgets (as `backtest`'s default `--min-fit`). */
const MIN_FIT = 3;
/** Cuts the selection needs at least: one cut cannot tell a near forecast from a far one. */
const MIN_CUTS = 2;
/** Runs whose compute agrees within this relative tolerance are one budget (`backtest`'s default). */
const BUDGET_TOLERANCE = 1e-6;

/** The chosen candidate's rolling origin, for the fit's calibration to reuse instead of refitting every cut. */
export interface ChosenBacktest {
  budgets: readonly number[];
  minFit: number;
  rolled: RollingOrigin;
}

/** The rule, as the report and the saved fit state it. */
export function selectionRule(scoreBy: 'last' | 'far'): string {
  const scored =
    scoreBy === 'last'
      ? 'score = mean |relative error| of the forecasts of the last cut (the fit on the most runs, the most like the final fit, forecasting the budgets above it)'
      : 'score = mean |relative error| of its forecasts in the largest factor-of-2 distance bin every candidate has';
  return (
    'each candidate is backtested on the fit runs with a rolling origin (a cut at every compute budget from the 3rd; the fit controls apply to every candidate); ' +
    `${scored}; ties go to the lower overall mean |relative error|, then to the earlier candidate; the lowest score is chosen`
  );
}

/** The candidates `--candidates` names, checked: each a law and objective, each once, each able to take the fit controls. */
export function selectionCandidates(o: Pick<FitAnalysisOptions, 'candidates' | 'fix' | 'tie' | 'bound'>): Candidate[] {
  const candidates = o.candidates.map(parseCandidate);
  if (candidates.length === 0) throw new UserError(`${optionRef('candidates')}: give at least one LAW:OBJECTIVE`);
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.name)) throw new UserError(`${optionRef('candidates')}: ${c.name} is listed twice`);
    seen.add(c.name);
    // A control names a constant of the law: every candidate's law must have it.
    try {
      controlsOf(lawByName(c.law), o);
    } catch (err) {
      throw withPrefix(`${optionRef('candidates')} ${c.name}: `, err);
    }
  }
  return candidates;
}

/**
 * Backtests every candidate on `runs` and returns the selection (the report's `selection`) and the chosen
 * candidate. `o` gives the fit settings every cut shares; `fitter` is `fitRuns` (passed in: no import cycle).
 */
export async function selectSpecification(
  runs: Runs,
  candidates: readonly Candidate[],
  o: Pick<FitAnalysisOptions, 'delta' | 'asymWeight' | 'grid' | 'screen' | 'seed' | 'fix' | 'tie' | 'bound' | 'weights' | 'share' | 'scoreBy'>,
  env: Pick<AnalysisEnv, 'bootstrap'>,
  fitter: typeof fitRuns,
): Promise<{ selection: FitSelection; chosen: Candidate; backtest: ChosenBacktest }> {
  if (o.weights?.startsWith('col:')) {
    throw new UserError(`${optionRef('select')} backtest: ${optionRef('weights')} ${o.weights} cannot follow the runs into each cut yet; weight by C or sqrtC`);
  }
  const budgets = distinctBudgets(runs.C, BUDGET_TOLERANCE);
  const cuts = budgets.length - MIN_FIT;
  if (cuts < MIN_CUTS) {
    throw new UserError(
      `${optionRef('select')} backtest needs at least ${MIN_FIT + MIN_CUTS} compute budgets among the fit runs (cuts from the ${MIN_FIT}rd budget, at least ${MIN_CUTS} cuts); they have ${budgets.length}`,
    );
  }
  const { delta, asymWeight, grid, screen, seed, fix, tie, bound, weights, share } = o;
  const settings = { delta, asymWeight, grid, screen, seed, fix, tie, bound, weights, share, bootstrap: 0, minFit: MIN_FIT };
  const scored: { c: Candidate; relErr: number[]; distance: number[]; last: boolean[]; rolled: RollingOrigin }[] = [];
  for (const c of candidates) {
    let rolled: RollingOrigin;
    try {
      rolled = await rollingOrigin(runs, runs.C, budgets, c, settings, env, fitter);
    } catch (err) {
      throw withPrefix(`${optionRef('select')} backtest: `, err);
    }
    const relErr: number[] = [];
    const distance: number[] = [];
    const last: boolean[] = [];
    rolled.cuts.forEach((cut, k) => {
      for (const f of cut.forecasts) {
        const loss = runs.loss[f.index]!;
        relErr.push((f.predicted - loss) / loss);
        distance.push(f.distance);
        last.push(k === rolled.cuts.length - 1);
      }
    });
    scored.push({ c, relErr, distance, last, rolled });
  }
  // The largest bin every candidate has a forecast in.
  let bin = DISTANCE_EDGES.length - 1;
  for (const s of scored)
    bin = Math.min(
      bin,
      s.distance.reduce((m, d) => Math.max(m, distanceBin(d)), 0),
    );
  const far = o.scoreBy === 'far';
  const rows = scored.map(({ c, relErr, distance, last }) => {
    const inScore = relErr.filter((_, j) => (far ? distanceBin(distance[j]!) === bin : last[j]));
    return {
      candidate: c.name,
      forecasts: relErr.length,
      meanAbsRelErr: meanAbs(relErr),
      bias: relErr.reduce((s, v) => s + v, 0) / relErr.length,
      score: meanAbs(inScore),
      scoredForecasts: inScore.length,
    };
  });
  let best = 0;
  rows.forEach((r, j) => {
    const b = rows[best]!;
    if (r.score < b.score || (r.score === b.score && r.meanAbsRelErr < b.meanAbsRelErr)) best = j;
  });
  const chosen = candidates[best]!;
  return {
    chosen,
    backtest: { budgets, minFit: MIN_FIT, rolled: scored[best]!.rolled },
    selection: {
      rule: selectionRule(far ? 'far' : 'last'),
      scoreBy: far ? 'far' : 'last',
      chosen: chosen.name,
      budgets: budgets.length,
      cuts,
      ...(far ? { bin: { from: DISTANCE_EDGES[bin]!, to: DISTANCE_EDGES[bin + 1] ?? null } } : {}),
      candidates: rows,
    },
  };
}

function meanAbs(v: readonly number[]): number {
  return v.reduce((s, x) => s + Math.abs(x), 0) / v.length;
}
