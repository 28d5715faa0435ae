/**
 * `backtest`: leave-future-out with a rolling origin (OLMo-core's ladder "rollout", Marin #4447). For each cut
 * — a compute budget by default, or a parameter or token count — every candidate law is fitted on the runs at
 * or below the cut and forecasts every later run. Per forecast: the signed relative error, the distance (the
 * run's value over the largest fitted one) and whether the curve's 95% interval covered it; per candidate:
 * mean absolute error, bias and coverage, overall and by distance. This is how a fit specification earns
 * trust: by how it extrapolated on the user's own runs, not by how well it fits them.
 */
import { numericColumn, toRuns } from '../data/columns.js';
import { groupsOf } from '../data/groups.js';
import { subsetRuns, type Runs } from '../data/runs.js';
import { distinctBudgets } from '../data/selection.js';
import type { Table } from '../data/table.js';
import { at, optionRef, UserError, withPrefix } from '../errors.js';
import { predictionInterval } from '../methods/calibration.js';
import { columnNoiseFloor, replicateNoiseFloor, type NoiseFloor } from '../methods/noise-floor.js';
import { objectiveKinds } from '../objectives/objective.js';
import { option, type OptionValues } from '../options/option.js';
import type { Warning } from '../warnings.js';
import { defineAnalysis, type AnalysisEnv } from './analysis.js';
import { groupOption, lawNames, lossOption, runsOptions } from './common-options.js';
import { columnsOf } from './common-options.js';
import { fitRuns } from './fit.js';
import { calibrationAt, rollingOrigin } from './rolling-origin.js';

export const backtestOptions = {
  ...runsOptions,
  ...lossOption,
  candidates: option.names('fit specifications to compare, each LAW:OBJECTIVE (laws: chinchilla, kaplan, overtrain; objectives: huber, mse, asym)', {
    default: ['chinchilla:huber'],
    arg: 'LAW:OBJ,...',
  }),
  by: option.choice('what the cuts and distances are measured in: compute C | params N | tokens D', {
    values: ['compute', 'params', 'tokens'],
    noun: 'cut variable',
    default: 'compute',
    arg: 'VAR',
  }),
  minFit: option.count('the first cut fits on this many of the smallest budgets (distinct values of the cut variable)', { default: 3, arg: 'K' }),
  group: groupOption('one backtest per value of this column (a datamix)'),
  label: option.text('column naming each run in the forecasts (default: file:row)', { arg: 'COL' }),
  noise: option.text(
    "column with each run's loss noise, an sd in loss units (e.g. the spread of its last checkpoints): the errors are compared with the floor it sets (default: runs repeated at one N, D, if any)",
    { arg: 'COL' },
  ),
  delta: option.number('Huber / asym transition δ', { positive: true, default: 0.001, arg: 'x' }),
  asymWeight: option.number('asym: cost of over-predicting relative to under-predicting', { positive: true, default: 10, arg: 'w' }),
  grid: option.choice('start grid of every fit: default | hoffmann (4,500 starts)', {
    values: ['default', 'hoffmann'],
    noun: 'grid',
    default: 'default',
    arg: 'name',
  }),
  screen: option.count('optimise the k best-ranked starts of every fit (or "all")', { all: true, default: 64, arg: 'k' }),
  bootstrap: option.count("resamples per fit for the curve's 95% interval, and its coverage of the later runs (0: none)", { arg: 'B' }),
  seed: option.count('seed of the bootstraps', { default: 0, arg: 'S' }),
  budgetTolerance: option.number('runs whose cut values agree within this relative tolerance are one budget', { positive: true, default: 1e-6, arg: 'r' }),
};
export type BacktestOptions = OptionValues<typeof backtestOptions>;

/** One fit specification. */
export interface Candidate {
  law: string;
  objective: 'huber' | 'mse' | 'asym';
  /** As given: `chinchilla:huber`. */
  name: string;
}

/** One later run forecast from one cut. */
export interface BacktestForecast {
  /** The run: its `label` column, or file:row. */
  run: string;
  /** The largest value of the cut variable among the fitted runs. */
  cut: number;
  N: number;
  D: number;
  C: number;
  loss: number;
  predicted: number;
  /** (predicted − loss) / loss: positive when the law over-predicts. */
  relErr: number;
  /** The run's value of the cut variable over the cut: how far the forecast extrapolates (> 1). */
  distance: number;
  /** The 95% interval of the fitted curve at the run, and whether it holds the run's loss (with a bootstrap). */
  ci95?: [number, number];
  covered?: boolean;
  /**
   * Where a new run would land (95%), calibrated on the earlier cuts' forecasts of the runs this cut fitted
   * (src/methods/calibration.ts), and whether it holds the run; absent until enough earlier cuts exist.
   */
  pi95?: [number, number];
  piCovered?: boolean;
}

/** Errors of a set of forecasts. */
export interface ErrorSummary {
  forecasts: number;
  /** Mean |relErr|. */
  meanAbsRelErr: number;
  /** Mean relErr: positive when the law over-predicts on average. */
  bias: number;
  /** Share of forecasts whose ci95 held the run's loss; null without a bootstrap. */
  coverage: number | null;
  /** Share of the forecasts with a pi95 whose pi95 held the run's loss, and how many had one; null when none did. */
  piCoverage: number | null;
  withPi: number;
}

/** Errors of the forecasts whose distance lies in [from, to). */
export interface DistanceBin extends ErrorSummary {
  from: number;
  to: number | null;
  /** Geometric mean of the bin's distances (where the figure draws it). */
  center: number;
}

export interface CandidateBacktest {
  candidate: string;
  law: string;
  objective: string;
  /** Fits made: one per cut. */
  cuts: number[];
  forecasts: BacktestForecast[];
  summary: ErrorSummary;
  byDistance: DistanceBin[];
  /** Its mean |error| over the group's noise floor's: near 1, the errors are run noise; far above, the law's. */
  vsNoise?: number;
}

export interface BacktestGroup {
  group: string | null;
  /** The cut variable's distinct values (budgets), ascending. */
  budgets: number[];
  candidates: CandidateBacktest[];
  /** How large the errors would be from run-to-run noise alone (a noise column, or repeated runs); absent without either. */
  noiseFloor?: NoiseFloor;
  warnings: Warning[];
}

export interface BacktestResult {
  by: 'compute' | 'params' | 'tokens';
  groups: BacktestGroup[];
}

/** Distance bins: factor-of-2 steps from 1, the last open above. */
export const DISTANCE_EDGES = [1, 2, 4, 8, 16, 32];

/** The bin of a distance (≥ 1): the index of the last edge at or below it. */
export function distanceBin(distance: number): number {
  let e = 0;
  while (e + 1 < DISTANCE_EDGES.length && distance >= DISTANCE_EDGES[e + 1]!) e++;
  return e;
}

export const backtestAnalysis = defineAnalysis({
  kind: 'backtest',
  summary: 'leave-future-out backtest with a rolling origin: fit on the runs up to each cut, forecast every later run, per fit specification',
  options: backtestOptions,
  run: runBacktest,
});

async function runBacktest(table: Table, o: BacktestOptions, env: AnalysisEnv): Promise<BacktestResult> {
  const candidates = o.candidates.map(parseCandidate);
  if (o.minFit < 2) throw new UserError(`${optionRef('minFit')} needs at least 2, got ${o.minFit}`);
  const runs = toRuns(table, columnsOf(o));
  if (o.label !== undefined && !table.columns.includes(o.label)) throw new UserError(`${optionRef('label')}: no column "${o.label}"`);
  const noise = o.noise === undefined ? undefined : noiseColumn(table, o.noise);
  const names = table.rows.map((r) => (o.label === undefined ? `${r.origin.file}:${r.origin.row}` : String(r.values[o.label] ?? '')));
  const by = o.by as BacktestResult['by'];
  const groups: BacktestGroup[] = [];
  for (const { group, index } of groupsOf(table, o.group)) {
    const sub = subsetRuns(runs, index);
    const at = group === null ? '' : `group ${group}: `;
    try {
      groups.push(
        await backtestGroup(
          sub,
          index.map((i) => names[i]!),
          group,
          candidates,
          by,
          o,
          env,
          noise ? Float64Array.from(index, (i) => noise[i]!) : undefined,
        ),
      );
    } catch (err) {
      throw withPrefix(at, err);
    }
  }
  return { by, groups };
}

async function backtestGroup(
  runs: Runs,
  names: string[],
  group: string | null,
  candidates: Candidate[],
  by: BacktestResult['by'],
  o: BacktestOptions,
  env: AnalysisEnv,
  noise?: Float64Array,
): Promise<BacktestGroup> {
  const value = by === 'compute' ? runs.C : by === 'params' ? runs.N : runs.D;
  const budgets = distinctBudgets(value, o.budgetTolerance);
  if (budgets.length <= o.minFit) {
    throw new UserError(
      `${budgets.length} budget${budgets.length === 1 ? '' : 's'} of ${by}: a backtest needs more than ${optionRef('minFit')} = ${o.minFit} (at least one to forecast)`,
    );
  }
  const warnings: Warning[] = [];
  const out: CandidateBacktest[] = [];
  for (const c of candidates) {
    const rolled = await rollingOrigin(runs, value, budgets, c, o, env, fitRuns, by);
    warnings.push(...rolled.warnings);
    const forecasts: BacktestForecast[] = [];
    for (const cut of rolled.cuts) {
      // The prediction interval of this cut's forecasts, calibrated on the earlier cuts' forecasts of runs this cut fitted.
      const calibration = calibrationAt(rolled, cut.k);
      for (const f of cut.forecasts) {
        const i = f.index;
        const loss = runs.loss[i]!;
        const pi95 = calibration ? predictionInterval(calibration, f.predicted, f.distance) : undefined;
        forecasts.push({
          run: names[i]!,
          cut: cut.value,
          N: runs.N[i]!,
          D: runs.D[i]!,
          C: runs.C[i]!,
          loss,
          predicted: f.predicted,
          relErr: (f.predicted - loss) / loss,
          distance: f.distance,
          ...(f.ci95 ? { ci95: f.ci95, covered: f.ci95[0] <= loss && loss <= f.ci95[1] } : {}),
          ...(pi95 ? { pi95, piCovered: pi95[0] <= loss && loss <= pi95[1] } : {}),
        });
      }
    }
    out.push({
      candidate: c.name,
      law: c.law,
      objective: c.objective,
      cuts: rolled.cuts.map((k) => k.value),
      forecasts,
      summary: summarise(forecasts),
      byDistance: distanceBins(forecasts),
    });
  }
  const noiseFloor = noise ? columnNoiseFloor(noise, runs.loss) : replicateNoiseFloor(runs.N, runs.D, runs.loss);
  if (noiseFloor) for (const c of out) c.vsNoise = c.summary.meanAbsRelErr / noiseFloor.meanAbsRelErr;
  return { group, budgets, candidates: out, ...(noiseFloor ? { noiseFloor } : {}), warnings };
}

/** The noise column: every value finite and ≥ 0, in loss units. */
function noiseColumn(table: Table, column: string): Float64Array {
  try {
    const v = numericColumn(table, column);
    table.rows.forEach((row, i) => {
      if (!(v[i]! >= 0)) throw new UserError(`${at(row.origin, column)}a noise sd must be ≥ 0, got ${v[i]}`);
    });
    return v;
  } catch (err) {
    throw withPrefix(`${optionRef('noise')}: `, err);
  }
}

/** `chinchilla:huber` → a candidate; a bare law takes the Huber objective. */
export function parseCandidate(text: string): Candidate {
  const [law = '', objective = 'huber', ...rest] = text.split(':').map((t) => t.trim());
  if (rest.length > 0 || !lawNames.includes(law) || !(objectiveKinds as readonly string[]).includes(objective)) {
    throw new UserError(
      `${optionRef('candidates')} "${text}": expected LAW:OBJECTIVE with LAW one of ${lawNames.join(', ')} and OBJECTIVE one of ${objectiveKinds.join(', ')}`,
    );
  }
  return { law, objective: objective as Candidate['objective'], name: `${law}:${objective}` };
}

export function summarise(forecasts: readonly BacktestForecast[]): ErrorSummary {
  const n = forecasts.length;
  let abs = 0;
  let signed = 0;
  let covered = 0;
  let withCi = 0;
  let piCovered = 0;
  let withPi = 0;
  for (const f of forecasts) {
    abs += Math.abs(f.relErr);
    signed += f.relErr;
    if (f.covered !== undefined) {
      withCi++;
      if (f.covered) covered++;
    }
    if (f.piCovered !== undefined) {
      withPi++;
      if (f.piCovered) piCovered++;
    }
  }
  return {
    forecasts: n,
    meanAbsRelErr: n ? abs / n : NaN,
    bias: n ? signed / n : NaN,
    coverage: withCi ? covered / withCi : null,
    piCoverage: withPi ? piCovered / withPi : null,
    withPi,
  };
}

function distanceBins(forecasts: readonly BacktestForecast[]): DistanceBin[] {
  const bins: DistanceBin[] = [];
  for (let e = 0; e < DISTANCE_EDGES.length; e++) {
    const from = DISTANCE_EDGES[e]!;
    const to = DISTANCE_EDGES[e + 1] ?? null;
    const inBin = forecasts.filter((f) => distanceBin(f.distance) === e);
    if (inBin.length > 0) bins.push({ from, to, center: Math.exp(inBin.reduce((s, f) => s + Math.log(f.distance), 0) / inBin.length), ...summarise(inBin) });
  }
  return bins;
}
