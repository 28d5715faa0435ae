/** Option groups several analyses share, declared once. */
import type { ColumnMapping } from '../data/columns.js';
import { optionRef, UserError } from '../errors.js';
import { laws } from '../laws/registry.js';
import { flopConventions } from '../data/flop-count.js';
import { option } from '../options/option.js';
import { warning, type Warning } from '../warnings.js';

/** How to read runs: which rows, and which columns hold N, D, C and the loss. */
export const runsOptions = {
  where: option.conditions('keep rows where the condition holds (=, !=, <, <=, >, >=; repeatable, ANDed)', { arg: 'COL=VALUE', study: 'where' }),
  params: option.text('column with parameter counts N', { default: 'params', arg: 'COL', study: 'columns' }),
  tokens: option.text('column with training tokens D', { arg: 'COL', study: 'columns' }),
  flops: option.text('column with training compute C (FLOP); default 6·N·D', { arg: 'COL', study: 'columns' }),
  unique: option.text('column with unique training tokens U (≤ D; D/U − 1 repeated epochs), for --law data-constrained', { arg: 'COL' }),
  flopsScale: option.number('multiply the --flops column by this (1e9 for GFLOPs, 3 for a forward-only count)', { positive: true, arg: 'X' }),
  flopsFrom: option.choice(
    'compute C from model shape, D times FLOPs per token: 6nd | 6nd-nonembedding (12·layers·width²) | kaplan (+ attention) | chinchilla (+ embeddings); with --tokens, --layers, --width, --context, --vocab',
    { values: [...flopConventions], noun: 'FLOP convention', arg: 'convention' },
  ),
  budgetFrom: option.text("read each run's compute C from this column's text: its first number in scientific notation (olmo_1e19_190m → 1e19)", {
    arg: 'COL',
  }),
  nonEmbedding: option.switch('N is the non-embedding count 12·layers·width² (Kaplan et al. 2020), from --layers and --width'),
  layers: option.text('with --flops-from or --non-embedding: column with the number of layers', { arg: 'COL' }),
  width: option.text('with --flops-from or --non-embedding: column with the model width d_model', { arg: 'COL' }),
  context: option.number('with --flops-from kaplan | chinchilla: the context length n_ctx', { positive: true, arg: 'T' }),
  vocab: option.number('with --flops-from chinchilla: the vocabulary size', { positive: true, arg: 'V' }),
  ...checkpointOptions(),
};

/** Rows as checkpoints of runs (src/data/checkpoints.ts): which of them an analysis reads. */
function checkpointOptions() {
  return {
    run: option.text('column naming the run: rows sharing a value are checkpoints of one run (bootstraps then resample whole runs)', {
      arg: 'COL',
    }),
    step: option.text("column ordering a run's checkpoints (a step or token count; default: the tokens column, else file order)", {
      arg: 'COL',
    }),
    checkpoints: option.choice("with --run: final (each run's last checkpoint) | all | post-decay (the end of each decay of a WSD schedule, with --phase)", {
      values: ['final', 'all', 'post-decay'],
      noun: 'checkpoint selection',
      default: 'final',
      arg: 'which',
    }),
    phase: option.text("with --checkpoints post-decay: column with each checkpoint's schedule phase (decay, cooldown or anneal while the rate decays)", {
      arg: 'COL',
    }),
    skipFirst: option.number("with --run: drop this fraction of each run's first checkpoints", { nonNegative: true, arg: 'FRAC' }),
    smooth: option.text("with --run: each kept checkpoint's metrics averaged over its last K evaluations (last:K) or an EMA (ema:A)", { arg: 'last:K' }),
    bestPer: option.names('with --run: keep one run per combination of these columns, the one with the lowest loss (a learning-rate sweep)', {
      arg: 'COL,...',
    }),
  };
}

/** The loss column, for analyses that fit one loss (skills and l2l name theirs otherwise). */
export const lossOption = {
  loss: option.text('column with the loss to fit', { default: 'loss', arg: 'COL', study: 'columns' }),
};

/** Which runs a law is fitted on and which it is scored on (a backtest). */
export const selectionOptions = {
  fitWhere: option.conditions('fit on rows where the condition holds (as --where; repeatable, ANDed)', { arg: 'COL=VALUE' }),
  targetWhere: option.conditions('score the fitted law on rows where the condition holds (repeatable, ANDed)', { arg: 'COL=VALUE' }),
  holdoutTop: option.count('hold the K largest compute budgets out of the fit and score the law on them', { arg: 'K' }),
};

/** Resamples for intervals: one contract for every analysis (0: none; else at least {@link MIN_RESAMPLES}). */
export const MIN_RESAMPLES = 10;

/** One analysis per value of a column: the same option, under the same name, in every analysis that has it. */
export function groupOption(doc: string) {
  return option.names(doc, { arg: 'COL[,COL...]' });
}

/** The IsoFLOP options `isoflop` and `skills` share. */
export const isoflopOptions = {
  method: option.choice('parabola | akima', { values: ['parabola', 'akima'], noun: 'method', default: 'parabola', arg: 'm' }),
  group: groupOption('run the analysis separately for each value of this column (a datamix); several columns: each combination of their values'),
  bootstrap: option.count(
    'intervals by resampling the runs within each budget, B times (with --run, whole runs across budgets when a run gives points at several)',
    { arg: 'B' },
  ),
  noise: option.number('intervals by adding Gaussian noise of this sd to the losses', { positive: true, arg: 'SIGMA' }),
  draws: option.count('noisy draws with --noise', { default: 1000, arg: 'K' }),
  seed: option.count('seed of the draws', { default: 0, arg: 'S' }),
  budgetTolerance: option.number(
    'runs whose compute agrees within this relative tolerance are one budget (default: the budgets found in the data, runs within 1% of each other one budget)',
    { positive: true, arg: 'r' },
  ),
  atBudgets: option.numbers(
    "with --run: read each run's loss curve at these budgets (log-log between its checkpoints), so a few runs give points on several IsoFLOP curves",
    { arg: 'C,...' },
  ),
};

/**
 * The checkpoint warning an analysis gives: every checkpoint read as if it were a finished run, without a phase
 * column to say which checkpoints had annealed (Porian et al. 2024; Hägele et al. 2024).
 */
export function checkpointWarnings(o: { run?: string; checkpoints?: string; atBudgets?: number[] }): Warning[] {
  if (o.run === undefined || (o.checkpoints !== 'all' && o.atBudgets === undefined) || o.checkpoints === 'post-decay') return [];
  return [
    warning(
      'intermediate-checkpoints',
      `${o.atBudgets ? 'each run is read between its checkpoints' : 'every checkpoint is fitted'} as if it were a finished run: before a decaying (e.g. cosine) schedule ends, a checkpoint has not annealed and its loss sits above a run trained to that length; with a WSD schedule use --checkpoints post-decay --phase COL`,
    ),
  ];
}

/** The law names, as `--law` takes them. */
export const lawNames = Object.keys(laws);

/** The columns that hold N, D, C and the loss. */
export function columnsOf(o: { params: string; tokens?: string; flops?: string; loss: string; unique?: string }): ColumnMapping {
  return { params: o.params, tokens: o.tokens, flops: o.flops, loss: o.loss, ...(o.unique !== undefined ? { unique: o.unique } : {}) };
}

/** The bootstrap contract every analysis shares: absent or 0 means no intervals, else at least {@link MIN_RESAMPLES}. */
export function resamplesOf(B: number | undefined): number {
  if (B === undefined || B === 0) return 0;
  if (B < MIN_RESAMPLES) throw new UserError(`${optionRef('bootstrap')} needs 0 (no intervals) or at least ${MIN_RESAMPLES} resamples, got ${B}`);
  return B;
}
