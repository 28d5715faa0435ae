/**
 * `fit`: a parametric law L(N, D) fitted to runs (Hoffmann et al.'s Approach 3), its compute-optimal
 * allocation, bootstrap intervals, an optional downstream-error law, and a backtest on held-out targets.
 */
import { numericColumn, toRuns } from '../data/columns.js';
import { runClusters, runGroups } from '../data/groups.js';
import { subsetRuns, type Runs } from '../data/runs.js';
import { splitFitTarget } from '../data/selection.js';
import type { Table } from '../data/table.js';
import { taskMeans } from '../data/task-mean.js';
import { applyFilters } from '../data/where.js';
import { optionRef, UserError, withPrefix } from '../errors.js';
import { bootstrapSlice, resampleGrid } from '../fitting/bootstrap.js';
import { fitControlled, fitLaw, type Bound, type FitResult } from '../fitting/fit.js';
import { constantIndex, constrainedLaw, heldTheta, isUnconstrained, type Constraints } from '../laws/constrained.js';
import { errorLinkByName, errorLinks } from '../laws/error-link.js';
import type { Law, StartGrid } from '../laws/law.js';
import { formulaColumns, formulaStarts, lawOf } from '../laws/formula/options.js';
import { isFormula } from '../laws/registry.js';
import { isFormulaLaw, type FormulaLaw } from '../laws/formula/law.js';
import { M_RANGE, noAllocationReason, numericOptimum, powerLawThrough, type NumericOptimum } from '../laws/formula/optimal.js';
import { sharedLaw, type SharedLaw } from '../laws/shared.js';
import { backtest } from '../methods/backtest.js';
import { logScatter, predictionInterval, type Calibration } from '../methods/calibration.js';
import { bootstrapErrorLaw, fitErrorLaw } from '../methods/downstream.js';
import type { ErrorLawState } from '../methods/forecast.js';
import { objectiveKinds } from '../objectives/objective.js';
import { option, type OptionValues } from '../options/option.js';
import type { FitControls, FitReport, FitSelection } from '../schema/fit.js';
import type { SavedFit } from '../schema/saved-fit.js';
import { extent } from '../stats/extent.js';
import { columnIntervals, interval95, sampleSd } from '../stats/quantile.js';
import { defineAnalysis, type AnalysisEnv } from './analysis.js';
import { columnsOf, groupOption, lossOption, resamplesOf, runsOptions, selectionOptions } from './common-options.js';
import { fitCalibration } from './fit-calibration.js';
import type { ChosenBacktest } from './select.js';
import { fitReport, type BootstrapDraws } from './fit-report.js';
import { savedFit, type SavedErrorLaw } from './saved-fit.js';
import { warning } from '../warnings.js';
import { clusterUnits, runCounts } from '../fitting/bootstrap.js';
import {
  accuracyBacktest,
  savedAccuracyLaw,
  accuracySettingsOf,
  accuracyState,
  accuracyValues,
  chanceOf,
  fitAccuracyChain,
  type AccuracyChain,
  type AccuracySettings,
} from '../methods/accuracy-chain.js';

/** A fit control given as `NAME=…` items: repeated flags (or commas) on the CLI, a list in a study. */
function controlOption(doc: string, arg: string) {
  return option.custom(doc, {
    arg,
    repeated: true,
    default: [] as string[],
    fromText: (values: string[]) => listItems(values),
    studyType: { type: 'array', of: { type: 'string' } },
    fromStudy: (value: unknown) => value as string[],
    toText: (value: string[]) => value,
  });
}

export const fitOptions = {
  ...runsOptions,
  ...lossOption,
  law: option.text("chinchilla | kaplan | overtrain | data-constrained (with --unique) | a formula, e.g. 'E + A*N^-alpha + B*D^-beta' (docs/laws.md)", {
    default: 'chinchilla',
    arg: 'name|formula',
  }),
  start: controlOption('with a formula --law: start values of a constant, NAME=V1,V2,… crossed into the start grid (repeatable)', 'NAME=VALUES'),
  objective: option.choice('huber (on log loss) | mse (on loss) | asym (on log loss)', {
    values: objectiveKinds,
    noun: 'objective',
    default: 'huber',
    arg: 'kind',
  }),
  select: option.choice('how the law and objective are chosen: none (--law, --objective) | backtest (the candidate that extrapolated best on these runs)', {
    values: ['none', 'backtest'],
    noun: 'selection',
    default: 'none',
    arg: 'how',
  }),
  candidates: option.names('with --select backtest: the specifications to choose from, each LAW:OBJECTIVE', {
    default: ['chinchilla:huber', 'chinchilla:asym', 'kaplan:huber'],
    arg: 'LAW:OBJ,...',
  }),
  scoreBy: option.choice(
    'with --select backtest: which forecasts score a candidate: last (those of the last cut, the fit most like this one) | far (the largest distance bin every candidate has)',
    { values: ['last', 'far'], noun: 'score', default: 'last', arg: 'which' },
  ),
  delta: option.number('Huber / asym transition δ', { positive: true, default: 0.001, arg: 'x' }),
  asymWeight: option.number('asym: cost of over-predicting relative to under-predicting', { positive: true, default: 10, arg: 'w' }),
  grid: option.choice('start grid: default | hoffmann (4,500 starts)', { values: ['default', 'hoffmann'], noun: 'grid', default: 'default', arg: 'name' }),
  screen: option.count('optimise the k best-ranked starts (or "all")', { all: true, default: 64, arg: 'k' }),
  fix: controlOption('hold a constant of the law at a value, e.g. E=1.69 (repeatable)', 'NAME=VALUE'),
  tie: controlOption('fit two constants of the law as one, e.g. alpha=beta (repeatable)', 'NAME=NAME'),
  bound: controlOption('keep a constant of the law within LO:HI, e.g. alpha=0.2: (either side may be empty; repeatable)', 'NAME=LO:HI'),
  group: groupOption('fit the law jointly to the groups of this column (a datamix): the constants in --share in common, the others per group'),
  share: option.names('with --group: the constants every group shares, e.g. E or E,alpha,beta (default: none; each group has its own)', {
    arg: 'NAME,...',
  }),
  weights: option.text("weight each run's term of the objective: none | C (its compute over the mean) | sqrtC | col:NAME (a column, > 0)", {
    default: 'none',
    arg: 'KIND',
  }),
  bootstrap: option.count('resample runs B times and refit, for standard errors and 95% intervals (0: none)', { arg: 'B' }),
  bootstrapGrid: option.switch('refit each resample from the whole start grid, not only from the full-data optimum'),
  seed: option.count('seed of the bootstrap', { default: 0, arg: 'S' }),
  budget: option.numbers('compute budgets (FLOP) for the compute-optimal allocation; default: the largest budget in the data and 10×, 100×, 1000× it', {
    arg: 'C,...',
  }),
  label: option.text('column naming each run in the held-out targets (default: file:row)', { arg: 'COL' }),
  calibrate: option.switch("calibrate pi95, the 95% interval for a new run, on a rolling-origin backtest of the fit's own runs; --no-calibrate skips it", {
    negatable: true,
    default: true,
  }),
  ...selectionOptions,
  error: option.text("column with each run's downstream error: also fit an error law Err(loss) and score targets on it", { arg: 'COL' }),
  errorFitWhere: option.conditions(
    'fit the error law (with --accuracy: the accuracy link) on rows where the condition holds (repeatable, ANDed; default: the loss-fit rows)',
    { arg: 'COL=VALUE' },
  ),
  link: option.choice(
    'error law: exp (Err = ε − k·exp(−γ·L), Gadre et al.) | sigmoid (logistic in L) | bounded (with --accuracy, the default: sigmoid from chance to 1)',
    {
      values: [...Object.keys(errorLinks), 'bounded'],
      noun: 'link',
      arg: 'name',
    },
  ),
  errorFile: option.text("long-format file (one row per run × task) holding --error; each run's error is the mean over --tasks", { arg: 'FILE', path: true }),
  join: option.text('with --error-file: column naming the run in both files', { arg: 'COL' }),
  taskColumn: option.text('with --error-file: column naming the task', { default: 'task', arg: 'COL' }),
  tasks: option.names('with --error-file: tasks to average (a file with one per line, or a comma-separated list; default: every task in the file)', {
    arg: 'FILE|a,b,c',
  }),
  accuracy: option.text(
    "column with each run's task accuracy in [0, 1] (instead of --error): fit Acc(task loss) (Bhagia et al.) and the direct law -log Acc = A*C^-alpha (Krajewski et al.), and score targets on both",
    { arg: 'COL' },
  ),
  chance: option.text("with --accuracy: the task's chance accuracy, the floor of the bounded link: a number in [0, 1) or a column holding it (default: 0)", {
    arg: 'X|COL',
  }),
  anchor: controlOption('with --accuracy: a point the link is fitted through as one more run, e.g. 0:1 (loss 0, accuracy 1; repeatable)', 'LOSS:ACCURACY'),
};

export type FitAnalysisOptions = OptionValues<typeof fitOptions>;

/** A repeatable list flag's values, each also split at commas (`--fix E=1.69,alpha=0.3`). */
function listItems(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim());
}

/** What `fit` computes: the report (the JSON document), and what the figures and `--save` need. */
export interface FitAnalysisResult {
  report: FitReport;
  /** The runs the law was fitted on. */
  runs: Runs;
  fit: FitResult;
  /** θ per bootstrap resample (row-major), with its seed. */
  draws?: { theta: Float64Array; seed: number };
  /** With --accuracy: step 2's rows, their true task loss and accuracy (what the accuracy-link figure draws). */
  accuracyRows?: { loss: Float64Array; accuracy: Float64Array };
  /** The fit as `predict` reads it (format scalewise-fit). */
  saved(): SavedFit;
}

export const fitAnalysis = defineAnalysis({
  kind: 'fit',
  summary: 'fit a parametric law L(N, D) to runs, with compute-optimal allocation and bootstrap intervals',
  options: fitOptions,
  run: runFitAnalysis,
});

/** The fit pipeline: select fit and target runs, fit, bootstrap, fit the error law, score targets. */
export async function runFitAnalysis(table: Table, given: FitAnalysisOptions, env: AnalysisEnv): Promise<FitAnalysisResult> {
  let o = given;
  const select = await selectionOf(o);
  const accuracy = accuracySettingsOf(o);
  const errorSource = await errorSourceOf(o, env);
  const columns = columnsOf(o);
  let all: Runs | undefined;
  const split = splitFitTarget(table, o, (i) => {
    all ??= toRuns(table, columns);
    return all.C[i]!;
  });
  // The backtest that --select runs forecasts its held-out runs without their U (read as U = D).
  if (select?.candidates.some((c) => c.law === 'data-constrained'))
    throw new UserError(
      `${optionRef('candidates')}: the data-constrained law cannot be chosen by ${optionRef('select')} backtest yet (its forecasts do not carry U)`,
    );
  if (o.law === 'data-constrained') {
    if (o.unique === undefined) throw new UserError(`${optionRef('law')} data-constrained needs ${optionRef('unique')} COL, the column of unique tokens U`);
    // Held-out runs are read with their U (toRuns with --unique), and their forecasts carry it (src/methods/forecast.ts).
  }
  const runs = toRuns(split.fit, columns);
  // A formula law: parsed now (its errors name --law), its columns read from the fit rows.
  const formula = formulaOf(o);
  if (formula) {
    if (formula.variables.includes('U') && o.unique === undefined)
      throw new UserError(`${optionRef('law')}: the formula reads U: give ${optionRef('unique')} COL`);
    if (formula.columns.length > 0) runs.columns = formulaColumns(formula, split.fit);
    if (split.target && formula.columns.length > 0)
      throw new UserError(`${optionRef('law')}: a formula that reads a column cannot score held-out runs yet (their forecasts carry N, D and U only)`);
  }
  // The accuracy rows are read (and refused) before any fit: step 2 on TRUE task losses, by default of the
  // loss-fit rows; --error-fit-where picks others.
  const accuracyRows = accuracy ? accuracyInputOf(accuracy, table, split.fit, o, columns.loss) : undefined;
  if (o.share !== undefined && o.group === undefined) throw new UserError(`${optionRef('share')} needs ${optionRef('group')} COL`);
  if (o.group !== undefined) runs.group = runGroups(split.fit, o.group);
  if (o.run !== undefined) runs.cluster = runClusters(split.fit, o.run);
  let selection: FitSelection | undefined;
  let chosenBacktest: ChosenBacktest | undefined;
  if (select) {
    // The chosen candidate is then fitted exactly as `fit --law LAW --objective OBJECTIVE` fits it.
    const chosen = await select.module.selectSpecification(runs, select.candidates, o, env, fitRuns);
    selection = chosen.selection;
    chosenBacktest = chosen.backtest;
    o = { ...o, law: chosen.chosen.law, objective: chosen.chosen.objective };
  }
  const { report, fit, draws, law } = await fitRuns(runs, o, env, split.fit);
  // The calibration's backtest forecasts runs without their unique tokens: none for a law that needs them.
  const calibration = o.calibrate && !runs.U && !runs.columns ? await calibrationOfFit(runs, law, fit, o, env, chosenBacktest) : null;
  if (calibration) report.calibration = calibration;
  if (selection) report.selection = selection;

  let errorLaw: SavedErrorLaw | undefined;
  let errorState: ErrorLawState | undefined;
  if (errorSource) {
    // The error law is fitted on the TRUE losses of its runs (Gadre et al.), by default the loss-fit runs.
    const rows = o.errorFitWhere.length > 0 ? applyFilters(table, o.errorFitWhere, optionRef('errorFitWhere')) : split.fit;
    const loss = numericColumn(rows, columns.loss, { positive: true });
    const error = errorSource.values(rows);
    const efit = fitErrorLaw(errorSource.link, loss, error);
    const edraws = draws ? bootstrapErrorLaw(errorSource.link, loss, error, efit.theta, draws.theta.length / law.thetaNames.length, draws.seed) : undefined;
    const ci95 = edraws ? columnIntervals(edraws, errorSource.link.paramNames) : undefined;
    errorLaw = {
      fit: efit,
      column: errorSource.column,
      ...(errorSource.tasks ? { tasks: errorSource.tasks } : {}),
      loss,
      ...(edraws ? { draws: edraws, ci95 } : {}),
    };
    errorState = { link: errorSource.link, theta: efit.theta, ...(edraws ? { draws: edraws } : {}) };
    report.errorLaw = {
      link: efit.link as 'exp' | 'sigmoid',
      formula: efit.formula,
      params: efit.params,
      n: efit.n,
      objective: efit.objective,
      ...(ci95 ? { ci95 } : {}),
    };
    report.warnings.push(...efit.warnings);
  }
  let chain: AccuracyChain | undefined;
  if (accuracy && accuracyRows) {
    const counts = draws ? runCounts(runs.N.length, clusterUnits(runs)) : undefined;
    chain = fitAccuracyChain(
      accuracy,
      accuracyRows.step2,
      { C: runs.C, accuracy: accuracyRows.fitAccuracy, tokensPerParam: runs.D.map((d, i) => d / runs.N[i]!) },
      draws ? { resamples: draws.theta.length / law.thetaNames.length, seed: draws.seed, counts: (b) => counts!(draws.seed, b) } : undefined,
    );
    report.accuracyLaw = accuracyReport(chain);
    report.warnings.push(...chain.warnings);
  }
  if (split.target) {
    const targets = toRuns(split.target, columns);
    if (runs.group) {
      try {
        targets.group = runGroups(split.target, o.group!, runs.group.names);
      } catch (err) {
        throw withPrefix('held-out runs: ', err);
      }
    }
    if (chain) {
      const bt = backtest(law, fit.theta, targets, draws?.theta, accuracyState(chain), accuracyValues(split.target, chain.column));
      Object.assign(report, accuracyBacktest(bt, chain, targets.C));
    } else Object.assign(report, backtest(law, fit.theta, targets, draws?.theta, errorState, errorSource?.values(split.target)));
    if (o.label !== undefined) {
      const column = o.label;
      if (!table.columns.includes(column)) throw new UserError(`${optionRef('label')}: no column "${column}"`);
      split.target.rows.forEach((row, i) => {
        report.targets![i]!.label = String(row.values[column] ?? '');
      });
    }
    if (targets.group) {
      const { names, of } = targets.group;
      report.targets!.forEach((t, i) => {
        t.group = names[of[i]!]!;
      });
    }
    if (calibration) {
      const [, cMax] = extent(runs.C);
      report.targets!.forEach((t, i) => {
        t.pi95 = predictionInterval(calibration, t.predicted, targets.C[i]! / cMax);
      });
    }
  }
  return {
    report,
    runs,
    fit,
    ...(draws ? { draws } : {}),
    ...(chain && accuracyRows ? { accuracyRows: { loss: accuracyRows.step2.loss, accuracy: accuracyRows.step2.accuracy } } : {}),
    saved: () => {
      const base = savedFit(law, runs, fit, columns, draws, errorLaw, report.controls, calibration ?? undefined, selection);
      return {
        ...base,
        ...(chain ? savedAccuracyLaw(chain, report.accuracyLaw!, base.warnings) : {}),
        ...(isShared(law) ? { joint: { column: runs.group!.column, groups: [...law.groups], shared: [...law.shared] } } : {}),
      };
    },
  };
}

/**
 * `--select backtest`: its candidates, checked before any fit, and the module that backtests them (loaded only
 * then). Without it `--candidates` must keep its default, and with it `--law`/`--objective` theirs.
 */
async function selectionOf(o: FitAnalysisOptions) {
  const defaults = fitOptions.candidates.default;
  if (o.select !== 'backtest') {
    if (o.candidates.length !== defaults.length || o.candidates.some((c, i) => c !== defaults[i]))
      throw new UserError(`${optionRef('candidates')} needs ${optionRef('select')} backtest`);
    return undefined;
  }
  if (o.law !== fitOptions.law.default || o.objective !== fitOptions.objective.default) {
    throw new UserError(
      `${optionRef('select')} backtest chooses the law and objective: drop ${optionRef('law')}/${optionRef('objective')} or list them in ${optionRef('candidates')}`,
    );
  }
  const module = await import('./select.js');
  return { module, candidates: module.selectionCandidates(o) };
}

/** The options {@link fitRuns} reads: the law, objective, search, controls, bootstrap and budgets. */
export type FitRunsOptions = Pick<
  FitAnalysisOptions,
  'law' | 'objective' | 'delta' | 'asymWeight' | 'grid' | 'screen' | 'bootstrap' | 'bootstrapGrid' | 'seed' | 'budget'
> &
  Partial<Pick<FitAnalysisOptions, 'fix' | 'tie' | 'bound' | 'weights' | 'share' | 'start'>>;

/** What {@link fitRuns} gives: the report, the fit, the law fitted (with groups, the joint law) and the bootstrap's θ rows. */
export interface FittedRuns {
  report: FitReport;
  fit: FitResult;
  law: Law<unknown>;
  draws?: { theta: Float64Array; seed: number };
}

/**
 * Fits the law to runs, bootstraps it and assembles the report (the core of `fit`, without selection or error
 * law). Runs that carry groups (`runs.group`) are fitted jointly, the constants in `o.share` in common.
 */
export async function fitRuns(runs: Runs, o: FitRunsOptions, env: Pick<AnalysisEnv, 'bootstrap'> = {}, table?: Table): Promise<FittedRuns> {
  const grid = o.grid as StartGrid;
  const objective = { kind: o.objective as 'huber' | 'mse' | 'asym', delta: o.delta, weight: o.asymWeight };
  if (o.screen === 0) throw new UserError(`${optionRef('screen')} must be at least 1`);
  const law = runs.group ? jointLaw(runs, o, objective) : lawOf(o.law, o.start);
  // A joint fit starts from the groups' separate fits; a few grid starts beside it find the same optimum (kempner: 16 as 64).
  const screen = isShared(law) ? Math.min(o.screen, JOINT_SCREEN) : o.screen;
  const B = resamplesOf(o.bootstrap);
  const budgets = o.budget ?? defaultBudgets(runs);
  const controls = controlsOf(law, isShared(law) ? perGroupControls(law, o) : o);
  const weights = weightsOf(o.weights ?? 'none', runs, table);
  if (weights) controls.report.weights = o.weights!;
  controls.given ||= weights !== undefined;
  let fit: FitResult;
  let constraints = controls.constraints;
  if (controls.given) {
    const controlled = fitControlled(law, runs, {
      objective,
      starts: grid,
      screen,
      constraints,
      bounds: controls.bounds,
      ...(weights ? { weights } : {}),
    });
    // The bootstrap refits under the final constraints: a constant the bounds hold stays held in every resample.
    constraints = controlled.constraints;
    for (const [k, side] of Object.entries(controlled.active)) {
      const b = controls.report.bounds?.[k];
      if (b) b.active = side;
    }
    fit = controlled;
  } else fit = fitLaw(law, runs, { objective, starts: grid, screen });

  let draws: BootstrapDraws | undefined;
  if (B > 0) {
    const units = clusterUnits(runs);
    const task = {
      law: law.name,
      objective: fit.objective,
      start: fit.theta,
      seed: o.seed,
      ...(o.bootstrapGrid ? { grid } : {}),
      ...(isUnconstrained(constraints) ? {} : { constraints }),
      ...(weights ? { weights } : {}),
      ...(isShared(law) ? { shared: law.shared } : {}),
      // Checkpoints of one run are not independent draws: resample whole runs (a cluster bootstrap).
      ...(units ? { units } : {}),
    };
    // A formula law's resamples are refitted here, not on the worker pool: the pool rebuilds a law from its name,
    // which does not carry a formula's --start scales or its columns.
    const pool = env.bootstrap && !isFormula(law.name) ? env.bootstrap : undefined;
    const out = pool ? await pool(runs, task, B) : bootstrapSlice(law, runs, { ...task, from: 0, to: B });
    draws = {
      ...out,
      seed: o.seed, // Runs of one N or one D are refitted from the grid in every resample (src/fitting/bootstrap.ts), and said so.
      start: resampleGrid(runs, task) ? ('grid' as const) : ('optimum' as const),
      unit: task.units ? ('run' as const) : ('row' as const),
    };
  }
  const report = fitReport(law, runs, fit, budgets, grid, draws, controls.given ? controls.report : undefined);
  if (isFormulaLaw(law)) formulaAllocation(report, law, fit.theta, runs, budgets, draws);
  refuseNonFinite(report);
  if (isShared(law)) report.joint = jointReport(law, runs, fit, budgets, grid, draws);
  return { report, fit, law, ...(draws ? { draws: { theta: draws.theta, seed: draws.seed } } : {}) };
}

/** The formula law of `--law FORMULA` (with its `--start`), or undefined for a built-in law; refuses `--start` without one. */
function formulaOf(o: Pick<FitAnalysisOptions, 'law' | 'start'>) {
  const starts = formulaStarts(o.law, o.start);
  return starts ? starts.law : undefined;
}

/**
 * A formula law's compute-optimal allocation, found numerically at each budget (src/laws/formula/optimal.ts);
 * a, b and G are the power law through those optima. A law of U or a column, or one without a minimum inside
 * the range searched at some budget, has none, with a `no-allocation` warning saying why.
 */
function formulaAllocation(report: FitReport, law: FormulaLaw, theta: Float64Array, runs: Runs, budgets: number[], draws?: BootstrapDraws): void {
  const reason = noAllocationReason(law);
  const points = reason ? [] : budgets.map((C) => numericOptimum(law, theta, C));
  const missing = budgets.find((_, j) => !points[j]);
  const power = missing === undefined ? powerLawThrough(points as NumericOptimum[]) : undefined;
  if (reason || missing !== undefined || !power) {
    const why =
      reason ??
      (missing !== undefined
        ? `at C = ${missing.toPrecision(3)} the loss has no minimum over D/N in [${M_RANGE.join(', ')}]`
        : 'one budget does not determine a power law');
    report.warnings.push(warning('no-allocation', `the formula law has no numeric compute-optimal allocation: ${why}`));
    return;
  }
  const [, maxC] = extent(runs.C);
  const p = law.thetaNames.length;
  const B = draws ? draws.converged.length : 0;
  // Each draw's optima at every budget (undefined where a draw has no minimum in range).
  const drawn = Array.from({ length: B }, (_, i) => budgets.map((C) => numericOptimum(law, draws!.theta.subarray(i * p, i * p + p), C)));
  const complete = drawn.every((row) => row.every((d) => d !== undefined));
  report.optimal = {
    ...power,
    budgets: (points as NumericOptimum[]).map((pt, j) => {
      const out: NonNullable<FitReport['optimal']>['budgets'][number] = { ...pt, extrapolation: pt.C / maxC };
      if (B > 0 && complete) {
        const col = (k: 'N' | 'D' | 'loss') => Float64Array.from(drawn, (row) => row[j]![k]);
        out.ci95 = { N: interval95(col('N')), D: interval95(col('D')), loss: interval95(col('loss')) };
      }
      return out;
    }),
  };
  // The exponents' intervals, as for the built-in laws (unless the formula has constants of those names).
  if (report.bootstrap && !law.publicNames.includes('a') && !law.publicNames.includes('b')) {
    const powers = complete ? drawn.map((row) => powerLawThrough(row as NumericOptimum[])) : [];
    const a = Float64Array.from(powers, (q) => q?.a ?? Number.NaN);
    if (complete && a.every(Number.isFinite)) {
      const b = a.map((v) => 1 - v);
      report.bootstrap.se.a = sampleSd(a);
      report.bootstrap.se.b = sampleSd(b);
      report.bootstrap.ci95.a = interval95(a);
      report.bootstrap.ci95.b = interval95(b);
    } else {
      delete report.optimal;
      report.warnings.push(
        warning('no-allocation', 'the formula law has no numeric compute-optimal allocation: some bootstrap draws have no minimum in the range searched'),
      );
    }
  }
}

/** Grid starts a joint fit optimises at most, beside its start from the separate fits. */
const JOINT_SCREEN = 16;

/**
 * A fit whose constants overflow (runs far from any law of this form: N read from a loss column, a loss of 1e19)
 * has no numbers to report: refused, never printed as null. An allocation that is not finite (exponents that
 * trade nothing between N and D) is left out, with a warning, and the constants stay.
 */
function refuseNonFinite(r: FitReport): void {
  const check = (what: string, v: number) => {
    if (!Number.isFinite(v)) {
      throw new UserError(`the ${r.law} fit gives ${what} = ${v}: the runs are far from any law of this form (check which columns hold N, D and the loss)`);
    }
  };
  for (const [k, v] of Object.entries(r.params)) check(k, v);
  for (const [k, v] of Object.entries(r.chinchilla ?? {})) check(`${k} (as Chinchilla constants)`, v);
  const o = r.optimal;
  const bad = o
    ? ((['a', 'b', 'G'] as const).find((k) => !Number.isFinite(o[k])) ??
      o.budgets.flatMap((b) => (['N', 'D', 'loss', 'tokensPerParam'] as const).filter((k) => !Number.isFinite(b[k])))[0])
    : undefined;
  if (o && bad !== undefined) {
    delete r.optimal;
    delete r.optimalM;
    r.warnings.push(warning('no-allocation', `the fitted law has no finite compute-optimal allocation (${bad} is not finite): none is reported`));
  } else if (r.optimalM !== undefined && !Number.isFinite(r.optimalM)) {
    delete r.optimalM;
    r.warnings.push(warning('no-allocation', 'the fitted law has no finite compute-optimal D/N: none is reported'));
  }
}

function isShared(law: Law<unknown>): law is SharedLaw<unknown> {
  return 'groupTheta' in law;
}

/**
 * The joint law of grouped runs. Its first start is the separate fit of each group (the shared constants at
 * their mean over the groups, in θ): each group starts in its own basin, which a grid start shared by every
 * group need not reach.
 */
function jointLaw(runs: Runs, o: FitRunsOptions, objective: { kind: 'huber' | 'mse' | 'asym'; delta: number; weight: number }): SharedLaw<unknown> {
  const base = lawOf(o.law, o.start);
  const { names, of } = runs.group!;
  const shared = o.share ?? [];
  let law: SharedLaw<unknown>;
  try {
    law = sharedLaw(base, names, shared);
  } catch (err) {
    throw withPrefix(`${optionRef('share')}: `, err);
  }
  const p = base.thetaNames.length;
  const separate = names.map((group, g) => {
    const index: number[] = [];
    for (let i = 0; i < of.length; i++) if (of[i] === g) index.push(i);
    if (index.length <= p) {
      throw new UserError(`${optionRef('group')}: group "${group}" has ${index.length} runs; the ${base.name} law needs more than ${p} per group`);
    }
    return fitLaw(base, subsetRuns(runs, index), { objective, starts: o.grid as StartGrid, screen: o.screen }).theta;
  });
  return sharedLaw(base, names, shared, [law.join(separate)]);
}

/**
 * The controls of a joint fit, each constant named by the base law expanded to the constants it stands for:
 * `--fix alpha=0.3` fixes every group's α when α is not shared; `--tie alpha=beta` ties α and β within each
 * group (or each group's to the shared one). Names already of one group (`A[web]`) are kept.
 */
function perGroupControls(law: SharedLaw<unknown>, o: Partial<Pick<FitAnalysisOptions, 'fix' | 'tie' | 'bound'>>) {
  const names = (k: string) => (law.base.publicNames.includes(k) ? law.namesOf(k) : [k]);
  const valued = (items: string[] | undefined) =>
    (items ?? []).flatMap((item) => {
      const m = /^\s*([^=\s]+)\s*=(.*)$/.exec(item);
      return m ? names(m[1]!).map((k) => `${k}=${m[2]!}`) : [item];
    });
  const tie = (o.tie ?? []).flatMap((item) => {
    const m = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(item);
    if (!m) return [item];
    const a = names(m[1]!),
      b = names(m[2]!);
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, g) => `${a[a.length === 1 ? 0 : g]}=${b[b.length === 1 ? 0 : g]}`);
  });
  return { fix: valued(o.fix), tie, bound: valued(o.bound) };
}

/** The fit controls as given, checked against the law: the constraints θ is fitted under, and how the report shows them. */
interface Controls {
  /** Whether any control was given (without one, the fit and its report are exactly as before controls existed). */
  given: boolean;
  constraints: Constraints;
  bounds: Record<string, Bound>;
  report: FitControls;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** `--fix NAME=VALUE` and `--tie NAME=NAME`, each checked with a message naming the option and the item. */
export function controlsOf(law: Law<unknown>, o: Partial<Pick<FitAnalysisOptions, 'fix' | 'tie' | 'bound'>>): Controls {
  const fix: Record<string, number> = {};
  const tie: [string, string][] = [];
  const items = (key: 'fix' | 'tie' | 'bound') => {
    const v = o[key] ?? [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new UserError(`${optionRef(key)}: expected a list of strings`);
    return v;
  };
  for (const item of items('fix')) {
    const where = `${optionRef('fix')} "${item}": `;
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(item);
    if (!m) throw new UserError(`${where}expected NAME=VALUE (e.g. E=1.69)`);
    const name = m[1]!,
      text = m[2]!;
    if (!NUMBER.test(text) || !Number.isFinite(Number(text))) throw new UserError(`${where}"${text}" is not a finite number`);
    const value = Number(text);
    try {
      heldTheta(law, name, value);
    } catch (err) {
      throw withPrefix(where, err);
    }
    if (name in fix) throw new UserError(`${where}${name} is already fixed (at ${fix[name]})`);
    fix[name] = value;
  }
  for (const item of items('tie')) {
    const where = `${optionRef('tie')} "${item}": `;
    const m = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(item);
    if (!m) throw new UserError(`${where}expected NAME=NAME (e.g. alpha=beta)`);
    const a = m[1]!,
      b = m[2]!;
    try {
      constantIndex(law, a);
      constantIndex(law, b);
    } catch (err) {
      throw withPrefix(where, err);
    }
    if (a === b) throw new UserError(`${where}a constant cannot be tied to itself`);
    for (const k of [a, b]) if (k in fix) throw new UserError(`${where}${k} is fixed by ${optionRef('fix')}; tie it to nothing, or fix both`);
    tie.push([a, b]);
  }
  const bounds: Record<string, Bound> = {};
  for (const item of items('bound')) {
    const where = `${optionRef('bound')} "${item}": `;
    const m = /^\s*([^=\s]+)\s*=\s*([^:\s]*)\s*:\s*([^:\s]*)\s*$/.exec(item);
    if (!m) throw new UserError(`${where}expected NAME=LO:HI (e.g. alpha=0.2: or beta=0:1)`);
    const name = m[1]!;
    try {
      constantIndex(law, name);
    } catch (err) {
      throw withPrefix(where, err);
    }
    const side = (text: string) => {
      if (text === '') return undefined;
      if (!NUMBER.test(text) || !Number.isFinite(Number(text))) throw new UserError(`${where}"${text}" is not a finite number`);
      return Number(text);
    };
    const lo = side(m[2]!),
      hi = side(m[3]!);
    if (lo === undefined && hi === undefined) throw new UserError(`${where}give a lower bound, an upper bound or both`);
    if (lo !== undefined && hi !== undefined && !(lo < hi))
      throw new UserError(`${where}the lower bound must be below the upper (to hold it at one value, use ${optionRef('fix')})`);
    if (name in fix) throw new UserError(`${where}${name} is fixed by ${optionRef('fix')}`);
    if (name in bounds) throw new UserError(`${where}${name} already has a bound`);
    // A bound the law cannot hold the constant at (an upper bound ≤ 0 on a constant fitted as a log) is refused now.
    try {
      if (hi !== undefined) heldTheta(law, name, hi);
    } catch (err) {
      throw withPrefix(where, err);
    }
    bounds[name] = { ...(lo !== undefined ? { lo } : {}), ...(hi !== undefined ? { hi } : {}) };
  }
  const constraints: Constraints = { ...(Object.keys(fix).length > 0 ? { fix } : {}), ...(tie.length > 0 ? { tie } : {}) };
  if (!isUnconstrained(constraints)) {
    try {
      constrainedLaw(law, constraints);
    } catch (err) {
      throw withPrefix(`${optionRef(Object.keys(fix).length > 0 ? 'fix' : 'tie')}: `, err);
    }
  }
  const report: FitControls = {
    ...(Object.keys(fix).length > 0 ? { fix } : {}),
    ...(tie.length > 0 ? { tie } : {}),
    ...(Object.keys(bounds).length > 0 ? { bounds: Object.fromEntries(Object.entries(bounds).map(([k, b]) => [k, { ...b }])) } : {}),
  };
  return { given: Object.keys(report).length > 0, constraints, bounds, report };
}

/**
 * `--weights KIND`: each run's weight in the objective, scaled to mean 1 (the objective stays on the scale of
 * the unweighted sum; the optimum does not depend on the scale). `none` gives no weights. `C`: the run's
 * compute (OLMo-core's ladder weights by training FLOPs); `sqrtC`: its square root; `col:NAME`: a column of
 * the run table, every value finite and > 0.
 */
export function weightsOf(kind: string, runs: Runs, table?: Table): Float64Array | undefined {
  const where = `${optionRef('weights')} ${kind}: `;
  let w: Float64Array;
  if (kind === 'none') return undefined;
  if (kind === 'C') w = Float64Array.from(runs.C);
  else if (kind === 'sqrtC') w = runs.C.map(Math.sqrt);
  else if (kind.startsWith('col:') && kind.length > 4) {
    if (!table) throw new UserError(`${where}this analysis has no run table to read a weight column from`);
    try {
      w = numericColumn(table, kind.slice(4), { positive: true });
    } catch (err) {
      throw withPrefix(where, err);
    }
    if (w.length !== runs.N.length) throw new RangeError(`weights: ${w.length} rows for ${runs.N.length} runs`);
  } else throw new UserError(`${optionRef('weights')} "${kind}": unknown weighting (known: none, C, sqrtC, col:NAME)`);
  let sum = 0;
  for (const v of w) sum += v;
  const mean = sum / w.length;
  return w.map((v) => v / mean);
}

/**
 * Each group of a joint fit as its own fit would report it: the base law's constants at the group's θ, its
 * compute-optimal allocation at the budgets and, with draws, their intervals over the joint resamples.
 */
function jointReport(
  law: SharedLaw<unknown>,
  runs: Runs,
  fit: FitResult,
  budgets: number[],
  grid: StartGrid,
  draws?: BootstrapDraws,
): NonNullable<FitReport['joint']> {
  const { names, of } = runs.group!;
  const groups = names.map((group, g) => {
    const index: number[] = [];
    for (let i = 0; i < of.length; i++) if (of[i] === g) index.push(i);
    const theta = law.groupTheta(fit.theta, g);
    const groupDraws = draws ? { ...draws, theta: law.groupRows(draws.theta, g) } : undefined;
    const r = fitReport(law.base, subsetRuns(runs, index), { ...fit, theta, params: law.base.toPublic(theta), warnings: [] }, budgets, grid, groupDraws);
    return {
      group,
      n: index.length,
      params: r.params,
      ...(r.optimal ? { optimal: r.optimal } : {}),
      ...(r.chinchilla ? { chinchilla: r.chinchilla } : {}),
      ...(r.bootstrap ? { bootstrap: { se: r.bootstrap.se, ci95: r.bootstrap.ci95 } } : {}),
    };
  });
  return { column: runs.group!.column, shared: [...law.shared], groups };
}

/** The largest budget in the data, then 10×, 100×, 1000× it (2 significant digits). */
export function defaultBudgets(runs: Runs): number[] {
  const [, maxC] = extent(runs.C);
  return [1, 10, 100, 1000].map((k) => Number((k * maxC).toPrecision(2)));
}

/** Where the error law's errors come from: a column of the run table, or a long-format file averaged over tasks. */
interface ErrorSource {
  link: ReturnType<typeof errorLinkByName>;
  column: string;
  /** With an error file: the tasks averaged. */
  tasks?: string[];
  /** Each row's error, in row order; errors name the row. */
  values(table: Table): Float64Array;
}

async function errorSourceOf(o: FitAnalysisOptions, env: AnalysisEnv): Promise<ErrorSource | undefined> {
  if (o.error === undefined) {
    // --accuracy reads its own column; --error-fit-where then chooses the rows of its link.
    if (o.accuracy !== undefined) return undefined;
    for (const [key, given] of [
      ['errorFitWhere', o.errorFitWhere.length > 0],
      ['link', o.link !== undefined],
      ['errorFile', o.errorFile !== undefined],
      ['join', o.join !== undefined],
      ['tasks', o.tasks !== undefined],
    ] as const) {
      if (given) throw new UserError(`${optionRef(key)} needs ${optionRef('error')} COL`);
    }
    return undefined;
  }
  const link = errorLinkByName(o.link ?? 'exp');
  const column = o.error;
  if (o.errorFile === undefined) {
    for (const [key, given] of [
      ['join', o.join !== undefined],
      ['tasks', o.tasks !== undefined],
    ] as const) {
      if (given) throw new UserError(`${optionRef(key)} needs ${optionRef('errorFile')} FILE`);
    }
    return { link, column, values: (t) => numericColumn(t, column) };
  }
  if (o.join === undefined) throw new UserError(`${optionRef('errorFile')} needs ${optionRef('join')} COL (the column naming the run in both files)`);
  const join = o.join;
  const long = await env.readTable(o.errorFile);
  const tasks = o.tasks !== undefined ? await taskList(o.tasks, env) : allTasks(long, o.taskColumn);
  const mean = taskMeans(long, { join, taskColumn: o.taskColumn, value: column, tasks });
  return {
    link,
    column,
    tasks,
    values(t) {
      if (!t.columns.includes(join)) throw new UserError(`${optionRef('join')} ${join}: the run table has no column "${join}"`);
      return Float64Array.from(t.rows, (r) => mean(r.values[join] ?? null, r.origin));
    },
  };
}

/** Step 2's rows (their true task losses, accuracies and chance level) and the loss-fit runs' accuracies. */
function accuracyInputOf(accuracy: AccuracySettings, table: Table, fitRows: Table, o: FitAnalysisOptions, lossColumn: string) {
  const sameRows = o.errorFitWhere.length === 0;
  const rows = sameRows ? fitRows : applyFilters(table, o.errorFitWhere, optionRef('errorFitWhere'));
  const fitAccuracy = accuracyValues(fitRows, accuracy.column);
  return {
    fitAccuracy,
    step2: {
      loss: numericColumn(rows, lossColumn, { positive: true }),
      accuracy: sameRows ? fitAccuracy : accuracyValues(rows, accuracy.column),
      chance: chanceOf(accuracy, rows),
      sameRows,
    },
  };
}

/** The accuracy chain as the report shows it: step 2's link, its chance floor and anchors, and the direct law. */
function accuracyReport(chain: AccuracyChain): NonNullable<FitReport['accuracyLaw']> {
  const f = chain.fit;
  return {
    column: chain.column,
    link: f.link as 'bounded' | 'sigmoid',
    formula: f.formula,
    chance: chain.chance,
    anchors: chain.anchors.map((a) => [a.loss, a.accuracy] as [number, number]),
    params: f.params,
    ...(f.topHeld ? { held: ['top'] } : {}),
    n: f.n,
    objective: f.objective,
    ...(chain.draws ? { ci95: columnIntervals(chain.draws, chain.link.paramNames), paired: chain.paired } : {}),
    direct: {
      formula: chain.direct.formula,
      params: chain.direct.params,
      n: chain.direct.n,
      ...(chain.directDraws
        ? {
            ci95: {
              A: interval95(Float64Array.from(chain.directDraws, (p) => p.A)),
              alpha: interval95(Float64Array.from(chain.directDraws, (p) => p.alpha)),
            },
          }
        : {}),
    },
  };
}

/** The tasks option: one name that is a file (one task per line, blank lines ignored), or the names themselves. */
async function taskList(names: string[], env: AnalysisEnv): Promise<string[]> {
  const text = names.join(',');
  const file = names.length === 1 ? await env.readText(names[0]!) : undefined;
  const tasks = (file !== undefined ? file.split(/\r?\n/) : names).map((t) => t.trim()).filter((t) => t !== '');
  if (tasks.length === 0) throw new UserError(`${optionRef('tasks')} "${text}": no task given`);
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t)) throw new UserError(`${optionRef('tasks')} "${text}": task "${t}" is listed twice`);
    seen.add(t);
  }
  return tasks;
}

function allTasks(long: Table, taskColumn: string): string[] {
  if (!long.columns.includes(taskColumn)) {
    throw new UserError(`${long.rows[0]?.origin.file ?? optionRef('errorFile')}: no column "${taskColumn}" (${optionRef('taskColumn')})`);
  }
  return [...new Set(long.rows.map((r) => String(r.values[taskColumn] ?? '')))].sort();
}

/**
 * The calibration of the fit's prediction intervals: the same law, objective and controls backtested on its
 * own runs with a rolling origin (src/analyses/fit-calibration.ts); null when the runs have too few budgets
 * (or weights from a column, which a cut of the runs cannot carry yet).
 */
async function calibrationOfFit(
  runs: Runs,
  law: Law<unknown>,
  fit: FitResult,
  o: FitAnalysisOptions,
  env: AnalysisEnv,
  prior?: ChosenBacktest,
): Promise<Calibration | null> {
  if (o.weights?.startsWith('col:')) return null;
  const sigma0 = logScatter(law, fit.theta, runs);
  const candidate = { law: o.law, objective: o.objective as 'huber' | 'mse' | 'asym', name: `${o.law}:${o.objective}` };
  const { delta, asymWeight, grid, screen, seed, fix, tie, bound, weights, share } = o;
  return fitCalibration(runs, candidate, { delta, asymWeight, grid, screen, seed, fix, tie, bound, weights, share }, sigma0, env, fitRuns, prior);
}
