import type { Command } from 'commander';
import { fitReport } from '../../analyses/fit-report.js';
import type { Runs } from '../../data/runs.js';
import { UserError } from '../../errors.js';
import { fitLaw } from '../../fitting/fit.js';
import type { StartGrid } from '../../laws/law.js';
import { lawByName } from '../../laws/registry.js';
import { runBootstrap } from '../../node/bootstrap-pool.js';
import { parseObjectiveKind } from '../../objectives/objective.js';
import type { FitReport } from '../../schema/fit.js';
import { num, range, table } from '../format.js';
import { count, positiveList, positiveNumber } from '../parse.js';
import { progressBar } from '../progress.js';
import { addRunsOptions, loadRuns, type RunsFlags } from '../runs-options.js';
import { addPlotOption, preparePlotDir } from '../plot-option.js';
import { emit, type AnalysisOutput } from '../analysis-output.js';
import { fitFigures } from '../../plots/sets.js';

export interface FitFlags extends RunsFlags {
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
  plot?: string;
}

export function registerFit(program: Command): void {
  const cmd = program
    .command('fit')
    .description('fit a parametric law L(N, D) to runs, with compute-optimal allocation and bootstrap intervals')
    .argument('<files...>', 'run tables: .csv, .tsv, .json, .jsonl or .parquet');
  addPlotOption(addRunsOptions(cmd))
    .option('--law <name>', 'chinchilla | kaplan', 'chinchilla')
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
    .action(async (files: string[], flags: FitFlags) => {
      const started = performance.now();
      preparePlotDir(flags.plot);
      const out = await fitCommand(files, flags);
      if (flags.timing) (out.json as FitReport).seconds = Number(((performance.now() - started) / 1000).toFixed(3));
      emit(out, flags);
    });
}

/** `scalewise fit FILES FLAGS` as a value: what the command prints and draws (shared with `report`). */
export async function fitCommand(files: string[], flags: FitFlags): Promise<AnalysisOutput> {
  const runs = await loadRuns(files, flags);
  const report = await runFit(runs, flags);
  return { json: report, text: formatFit(report), warnings: report.warnings, figures: (doc) => fitFigures(doc, report, runs) };
}

/** Fits, bootstraps and reports; shared by `fit` and the demo. */
export async function runFit(runs: Runs, flags: FitFlags): Promise<FitReport> {
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
  return fitReport(law, runs, fit, budgets, grid, draws);
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
  const names = [...Object.keys(r.params), ...(r.optimal ? ['a', 'b'] : [])];
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
  return out.join('\n');
}
