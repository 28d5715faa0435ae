import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { backtest } from '../../methods/backtest.js';
import { bootstrapErrorLaw, fitErrorLaw } from '../../methods/downstream.js';
import { fitReport } from '../../analyses/fit-report.js';
import type { ErrorLawState } from '../../methods/forecast.js';
import { savedFit, type SavedErrorLaw } from '../../analyses/saved-fit.js';
import { numericColumn, toRuns } from '../../data/columns.js';
import type { Runs } from '../../data/runs.js';
import { splitFitTarget } from '../../data/selection.js';
import { applyFilters } from '../../data/where.js';
import { UserError } from '../../errors.js';
import { fitLaw, type FitResult } from '../../fitting/fit.js';
import { interval95 } from '../../stats/quantile.js';
import type { StartGrid } from '../../laws/law.js';
import { lawByName } from '../../laws/registry.js';
import { runBootstrap } from '../../node/bootstrap-pool.js';
import { parseObjectiveKind } from '../../objectives/objective.js';
import type { FitReport } from '../../schema/fit.js';
import { num, range, table } from '../format.js';
import { count, positiveList, positiveNumber } from '../parse.js';
import { progressBar } from '../progress.js';
import { addPlotOption, ensureDir } from '../plot-option.js';
import { emit, type AnalysisOutput } from '../analysis-output.js';
import { fitFigures } from '../../plots/sets.js';
import { addErrorOptions, parseErrorSource, type ErrorFlags } from '../error-options.js';
import { addRunsOptions, loadTable, mapping, type RunsFlags } from '../runs-options.js';
import { addSelectionOptions, parseSelection, type SelectionFlags } from '../selection-options.js';

export interface FitFlags extends RunsFlags, SelectionFlags, ErrorFlags {
  law: string;
  objective: string;
  delta?: string;
  asymWeight?: string;
  grid: string;
  screen: string;
  bootstrap?: string;
  bootstrapGrid?: boolean;
  seed: string;
  budget?: string;
  threads?: string;
  json?: boolean;
  timing?: boolean;
  save?: string;
  plot?: string;
}

export function registerFit(program: Command): void {
  const cmd = program
    .command('fit')
    .description('fit a parametric law L(N, D) to runs, with compute-optimal allocation and bootstrap intervals')
    .argument('<files...>', 'run tables: .csv, .tsv, .json, .jsonl or .parquet');
  addPlotOption(addRunsOptions(cmd))
    .option('--law <name>', 'chinchilla | kaplan | overtrain', 'chinchilla')
    .option('--objective <kind>', 'huber (on log loss) | mse (on loss) | asym (on log loss)', 'huber')
    .option('--delta <x>', 'Huber / asym transition δ', '0.001')
    .option('--asym-weight <w>', 'asym: cost of over-predicting relative to under-predicting', '10')
    .option('--grid <name>', 'start grid: default | hoffmann (4,500 starts)', 'default')
    .option('--screen <k>', 'optimise the k best-ranked starts (or "all")', '64')
    .option('--bootstrap <B>', 'resample runs B times and refit, for standard errors and 95% intervals')
    .option('--bootstrap-grid', 'refit each resample from the whole start grid, not only from the full-data optimum')
    .option('--seed <S>', 'seed of the bootstrap', '0')
    .option('--budget <C,...>', 'compute budgets (FLOP) for the compute-optimal allocation; default: the largest budget in the data and 10×, 100×, 1000× it')
    .option('--threads <T>', 'worker threads for the bootstrap (default: all cores)')
    .option('--json', 'print one JSON document (see README) instead of tables')
    .option('--timing', 'add wall time in seconds ("seconds") to the output')
    .option('--save <FILE>', 'write the fit (θ, data ranges, bootstrap draws, error law) for `scalewise predict`');
  addSelectionOptions(cmd);
  addErrorOptions(cmd);
  cmd.action(async (files: string[], flags: FitFlags) => {
    const started = performance.now();
    ensureDir('--plot', flags.plot);
    const out = await fitCommand(files, flags);
    if (flags.timing) (out.json as FitReport).seconds = Number(((performance.now() - started) / 1000).toFixed(3));
    emit(out, flags);
  });
}

/** `scalewise fit FILES FLAGS` as a value: what the command prints and draws (shared with `report`). */
export async function fitCommand(files: string[], flags: FitFlags): Promise<AnalysisOutput> {
  const table = await loadTable(files, flags);
  const selection = parseSelection(flags);
  const errorSource = await parseErrorSource(flags);
  const columns = mapping(flags);
  let all: Runs | undefined;
  const split = splitFitTarget(table, selection, (i) => (all ??= toRuns(table, columns)).C[i]!);
  const runs = toRuns(split.fit, columns);
  const { report, fit, draws } = await runFit(runs, flags);
  const law = lawByName(flags.law);

  let errorLaw: SavedErrorLaw | undefined;
  let errorState: ErrorLawState | undefined;
  if (errorSource) {
    // The error law is fitted on the TRUE losses of its runs (Gadre et al.), by default the loss-fit runs.
    const rows = errorSource.fitWhere.length > 0 ? applyFilters(table, errorSource.fitWhere, '--error-fit-where') : split.fit;
    const loss = numericColumn(rows, columns.loss, { positive: true });
    const error = errorSource.values(rows);
    const efit = fitErrorLaw(errorSource.link, loss, error);
    const edraws = draws ? bootstrapErrorLaw(errorSource.link, loss, error, efit.theta, draws.theta.length / law.thetaNames.length, draws.seed) : undefined;
    const ci95 = edraws ? columnIntervals(edraws, errorSource.link.paramNames) : undefined;
    errorLaw = { fit: efit, column: errorSource.column, ...(errorSource.tasks ? { tasks: errorSource.tasks } : {}), loss, ...(edraws ? { draws: edraws, ci95 } : {}) };
    errorState = { link: errorSource.link, theta: efit.theta, ...(edraws ? { draws: edraws } : {}) };
    report.errorLaw = { link: efit.link as 'exp' | 'sigmoid', formula: efit.formula, params: efit.params, n: efit.n, objective: efit.objective, ...(ci95 ? { ci95 } : {}) };
    report.warnings.push(...efit.warnings);
  }
  if (split.target) {
    const targets = toRuns(split.target, columns);
    const bt = backtest(law, fit.theta, targets, draws?.theta, errorState, errorSource?.values(split.target));
    Object.assign(report, bt);
  }
  if (flags.save !== undefined) {
    const doc = savedFit(law, runs, fit, columns, draws, errorLaw);
    try {
      writeFileSync(flags.save, JSON.stringify(doc) + '\n');
    } catch (err) {
      throw new UserError(`--save ${flags.save}: cannot write the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  return { json: report, text: formatFit(report), warnings: report.warnings, figures: (doc) => fitFigures(doc, report, runs) };
}

/** 95% interval of each column of row-major draws. */
function columnIntervals(draws: Float64Array, names: readonly string[]): Record<string, [number, number]> {
  const p = names.length;
  const B = draws.length / p;
  return Object.fromEntries(names.map((k, j) => [k, interval95(Float64Array.from({ length: B }, (_, i) => draws[i * p + j]!))]));
}

/** A fit, its report and its bootstrap draws (θ per resample, row-major). */
export interface FitRun {
  report: FitReport;
  fit: FitResult;
  draws?: { theta: Float64Array; seed: number };
}

/** Fits, bootstraps and reports; shared by `fit` and the demo. */
export async function runFit(runs: Runs, flags: Omit<FitFlags, keyof SelectionFlags | keyof ErrorFlags>): Promise<FitRun> {
  const law = lawByName(flags.law);
  const grid = parseGrid(flags.grid);
  const objective = {
    kind: parseObjectiveKind(flags.objective),
    delta: positiveNumber('--delta', flags.delta ?? '0.001'),
    weight: positiveNumber('--asym-weight', flags.asymWeight ?? '10'),
  };
  const screen = flags.screen === 'all' ? Infinity : count('--screen', flags.screen);
  if (screen === 0) throw new UserError('--screen must be at least 1');
  const budgets = flags.budget ? positiveList('--budget', flags.budget) : defaultBudgets(runs);
  const fit = fitLaw(law, runs, { objective, starts: grid, screen });

  let draws;
  if (flags.bootstrap !== undefined) {
    const B = count('--bootstrap', flags.bootstrap);
    if (B < 2) throw new UserError('--bootstrap needs at least 2 resamples');
    const seed = count('--seed', flags.seed);
    const bar = progressBar('bootstrap', B);
    const out = await runBootstrap(
      runs,
      { law: law.name, objective: fit.objective, start: fit.theta, seed, ...(flags.bootstrapGrid ? { grid } : {}) },
      B,
      { threads: flags.threads ? count('--threads', flags.threads) || 1 : undefined, onProgress: bar.update },
    );
    bar.stop();
    draws = { ...out, seed, start: flags.bootstrapGrid ? ('grid' as const) : ('optimum' as const) };
  }
  return { report: fitReport(law, runs, fit, budgets, grid, draws), fit, ...(draws ? { draws: { theta: draws.theta, seed: draws.seed } } : {}) };
}

function parseGrid(name: string): StartGrid {
  if (name === 'hoffmann' || name === 'default') return name;
  throw new UserError(`unknown grid "${name}" (known: default, hoffmann)`);
}

/** The largest budget in the data, then 10×, 100×, 1000× it (2 significant digits). */
function defaultBudgets(runs: Runs): number[] {
  const maxC = Math.max(...runs.C);
  return [1, 10, 100, 1000].map((k) => Number((k * maxC).toPrecision(2)));
}

/** The human-readable fit: constants with intervals, then the allocation per budget. */
export function formatFit(r: FitReport): string {
  const out: string[] = [];
  const bs = r.bootstrap;
  out.push(`${r.law} fit: ${r.formula}`);
  out.push(
    `${r.n} runs; objective ${r.objective.kind}${r.objective.kind !== 'mse' ? ` (δ = ${r.objective.delta})` : ''} on ${r.objective.space} loss = ${r.objective.value.toPrecision(10)}; ` +
      `${r.search.optimised} of ${r.search.starts} starts optimised (${r.search.grid} grid), ${r.search.agreeing} reached the best`,
  );
  out.push('');
  const names = [...Object.keys(r.params), ...(r.optimal && !('a' in r.params) ? ['a', 'b'] : [])];
  const value = (k: string) => (k in r.params ? r.params[k]! : k === 'a' ? r.optimal!.a : r.optimal!.b);
  out.push(
    table(
      bs ? ['', 'estimate', 'SE', '95% interval'] : ['', 'estimate'],
      names.map((k) => (bs ? [k, num(value(k)), num(bs.se[k]!, 3), range(bs.ci95[k]![0], bs.ci95[k]![1])] : [k, num(value(k))])),
    ),
  );
  if (bs) out.push(`(${bs.resamples} bootstrap resamples, seed ${bs.seed}, each refitted from the ${bs.start === 'grid' ? 'start grid' : 'full-data optimum'})`);
  if (r.optimal) {
    out.push('');
    out.push(`Compute-optimal allocation (C = 6ND): N_opt = ${num(r.optimal.G)}·(C/6)^${num(r.optimal.a)}, D_opt ∝ (C/6)^${num(r.optimal.b)}`);
    out.push(
      table(
        ['C (FLOP)', 'N_opt', ...(bs ? ['95% interval'] : []), 'D_opt', ...(bs ? ['95% interval'] : []), 'D/N', 'loss', 'vs largest run'],
        r.optimal.budgets.map((b) => [
          num(b.C, 3),
          num(b.N, 3),
          ...(b.ci95 ? [range(b.ci95.N[0], b.ci95.N[1], 3)] : []),
          num(b.D, 3),
          ...(b.ci95 ? [range(b.ci95.D[0], b.ci95.D[1], 3)] : []),
          num(b.tokensPerParam, 3),
          num(b.loss),
          b.extrapolation <= 1 ? 'within data' : `${num(b.extrapolation, 2)}× beyond`,
        ]),
      ),
    );
  }
  if (r.chinchilla) {
    const c = r.chinchilla;
    out.push('');
    out.push(`As Chinchilla constants: E = ${num(c.E)}, A = ${num(c.A)}, B = ${num(c.B)}, alpha = beta = ${num(c.alpha)}; compute-optimal D/N = ${num(r.optimalM!)}`);
  }
  if (r.errorLaw) {
    const e = r.errorLaw;
    out.push('');
    out.push(`Error law (${e.link}, ${e.n} runs, fitted on their true losses): ${e.formula}`);
    out.push(Object.entries(e.params).map(([k, v]) => `${k} = ${num(v)}${e.ci95 ? ` ${range(e.ci95[k]![0], e.ci95[k]![1])}` : ''}`).join(', '));
  }
  if (r.targets) out.push('', ...formatTargets(r));
  return out.join('\n');
}

/** The backtest: each held-out run's true and predicted loss (and error), and the relative errors. */
function formatTargets(r: FitReport): string[] {
  const t = r.targets!;
  const ci = t.some((x) => x.ci95);
  const err = t.some((x) => x.error !== undefined);
  const pct = (v: number) => `${(100 * v).toFixed(4)}%`;
  const header = ['target', 'N', 'D', 'loss', 'predicted', ...(ci ? ['95% interval'] : []), 'rel. error'];
  if (err) header.push('error', 'predicted', ...(ci ? ['95% interval'] : []), 'rel. error');
  const rows = t.map((x) => [
    `${x.file}:${x.row}`,
    num(x.N, 3),
    num(x.D, 3),
    num(x.loss),
    num(x.predicted),
    ...(ci ? [x.ci95 ? range(x.ci95[0], x.ci95[1]) : ''] : []),
    pct(x.relErr),
    ...(err ? [num(x.error!), num(x.errorPredicted!), ...(ci ? [x.errorCi95 ? range(x.errorCi95[0], x.errorCi95[1]) : ''] : []), pct(x.errorRelErr!)] : []),
  ]);
  const out = [`Held-out targets (${t.length}), scored by the law fitted without them${err ? '; error = error law at the predicted loss' : ''}:`, table(header, rows)];
  out.push(`mean |relative error|: loss ${pct(r.meanAbsRelErr!)}${r.meanAbsErrorRelErr !== undefined ? `, error ${pct(r.meanAbsErrorRelErr)}` : ''}`);
  return out;
}
