/**
 * An analysis, declared once: its kind, a one-line summary, its options (the single declaration every
 * front end derives from: CLI flags, study keys, docs), and its pipeline — a function from a table and typed
 * options to a result object. Front ends parse their own input into the options, call `run`, and show the
 * result through the presenter of the same kind (`src/present/`).
 */
import type { Runs } from '../data/runs.js';
import type { Table } from '../data/table.js';
import { applyFilters, type Filter } from '../data/where.js';
import { at, optionRef, UserError } from '../errors.js';
import { budgetInName } from '../data/budget-label.js';
import { numericColumn, requireColumn } from '../data/columns.js';
import { flopConvention, isNearSix, type FlopConvention } from '../data/flop-convention.js';
import { flopsPerToken, nonEmbeddingParams, type FlopConventionName } from '../data/flop-count.js';
import { num } from '../format/number.js';
import { warning, type Warning } from '../warnings.js';
import { selectCheckpoints, type CheckpointKind } from '../data/checkpoints.js';
import type { BootstrapTask } from '../fitting/bootstrap.js';
import { checkOptions } from '../options/check.js';
import { withDefaults, type OptionSpecs, type OptionValues } from '../options/option.js';

export interface Analysis<S extends OptionSpecs = OptionSpecs, R = unknown> {
  /** The command (`scalewise fit`) and the study's `kind`. */
  kind: string;
  /** One line: what it computes. */
  summary: string;
  /** Every option it takes, with defaults and docs (the runs options included). */
  options: S;
  /** `runs` (default): it reads run tables; `none`: its options name everything it reads (a saved fit). */
  reads?: 'runs' | 'none';
  /**
   * The pipeline: the table and the options → the result. Options not given take their declared defaults;
   * every value is checked against its declaration, and the rows `where` names are kept, before the
   * analysis runs. `env` is needed only when an option names a file (default: none can be read).
   */
  run(table: Table, options: OptionInput<S>, env?: AnalysisEnv): Promise<R>;
}

/** Options as a caller gives them: the required ones, and any others (the rest take their defaults). */
export type OptionInput<S extends OptionSpecs> = Partial<OptionValues<S>> & {
  [K in keyof S as S[K] extends { required: true } ? K : never]: OptionValues<S>[K & keyof OptionValues<S>];
};

/** What a pipeline may ask of its front end: other files its options name, and how to run bootstraps. */
export interface AnalysisEnv {
  /** A table an option names (an error file); the front end resolves the path (a study: against its folder). */
  readTable(path: string): Promise<Table>;
  /** A text file an option may name (a task list); undefined when there is no such file. */
  readText(path: string): Promise<string | undefined>;
  /** Runs bootstrap resamples [0, B) of a fit (the CLI: on worker threads); default: in this thread. */
  bootstrap?: BootstrapRunner;
}

/** Resamples [0, resamples) of a bootstrap, as `bootstrapSlice` computes them; the result may not depend on how they are split. */
export type BootstrapRunner = (
  runs: Runs,
  task: Omit<BootstrapTask, 'from' | 'to'>,
  resamples: number,
) => Promise<{ theta: Float64Array; converged: Uint8Array }>;

/** What an analysis declares: its `run` receives every option, defaults filled in, checked, `where` applied. */
export interface AnalysisDeclaration<S extends OptionSpecs, R> extends Omit<Analysis<S, R>, 'run'> {
  run(table: Table, options: OptionValues<S>, env: AnalysisEnv): Promise<R>;
}

/** Without an environment, no option may name a file. */
const noFiles: AnalysisEnv = {
  readTable: (path) => Promise.reject(new UserError(`${path}: this call gave no environment to read files with (pass env to run)`)),
  readText: () => Promise.resolve(undefined),
};

/** Declares an analysis: the declaration's pipeline, behind the defaults, checks and row selection every caller gets. */
export function defineAnalysis<S extends OptionSpecs, R>(declaration: AnalysisDeclaration<S, R>): Analysis<S, R> {
  return {
    ...declaration,
    async run(table, given, env = noFiles) {
      const options = withDefaults(declaration.options, given as Partial<OptionValues<S>>);
      checkOptions(declaration.options, options as Record<string, unknown>);
      const where = (options as { where?: Filter[] }).where;
      const rows = where && where.length > 0 ? applyFilters(table, where) : table;
      const counted = flopsCounted(...nonEmbeddingCounted(rows, options as CheckpointOptionValues));
      const run = counted.options as OptionValues<S>;
      const input = flopsScaled(checkpointsOf(counted.table, run as CheckpointOptionValues), run as CheckpointOptionValues);
      const result = await declaration.run(input, run, env);
      const warnings = inputWarnings(input, run as CheckpointOptionValues);
      if (warnings.length > 0 && typeof result === 'object' && result !== null) Object.defineProperty(result, INPUT_WARNINGS, { value: warnings });
      return result;
    },
  };
}

/** The checkpoint options (`runsOptions`), as an analysis receives them. */
interface CheckpointOptionValues {
  run?: string;
  step?: string;
  checkpoints?: CheckpointKind;
  phase?: string;
  skipFirst?: number;
  smooth?: string;
  bestPer?: string[];
  params?: string;
  tokens?: string;
  flops?: string;
  loss?: string;
  atBudgets?: number[];
  flopsScale?: number;
  flopsFrom?: FlopConventionName;
  budgetFrom?: string;
  nonEmbedding?: boolean;
  layers?: string;
  width?: string;
  context?: number;
  vocab?: number;
}

/** `--non-embedding`: N counted as 12·layers·width² (Kaplan et al. 2020), the column `N_nonembedding` read as `--params`. */
function nonEmbeddingCounted<O extends CheckpointOptionValues>(table: Table, o: O): [Table, O] {
  if (!o.nonEmbedding) return [table, o];
  for (const key of ['layers', 'width'] as const) if (o[key] === undefined) throw new UserError(`${optionRef('nonEmbedding')} needs ${optionRef(key)} COL`);
  const L = numericColumn(table, o.layers!, { positive: true });
  const W = numericColumn(table, o.width!, { positive: true });
  const column = 'N_nonembedding';
  const rows = table.rows.map((r, i) => ({ origin: r.origin, values: { ...r.values, [column]: nonEmbeddingParams(L[i]!, W[i]!) } }));
  return [
    { columns: [...table.columns, column], rows },
    { ...o, params: column },
  ];
}

/** `--budget-from COL`: each run's C read from its name (src/data/budget-label.ts), as the column `C_from_COL`. */
function budgetsNamed<O extends CheckpointOptionValues>(table: Table, o: O, source: string): { table: Table; options: O } {
  if (o.flops !== undefined || o.flopsFrom !== undefined) {
    throw new UserError(`give one of ${optionRef('flops')}, ${optionRef('flopsFrom')} and ${optionRef('budgetFrom')}`);
  }
  requireColumn(table, source);
  const column = `C_from_${source}`;
  const rows = table.rows.map((r) => {
    const text = String(r.values[source] ?? '');
    const C = budgetInName(text);
    if (!(C > 0 && Number.isFinite(C))) throw new UserError(`${at(r.origin, source)}"${text}" holds no budget in scientific notation (like 1e19)`);
    return { origin: r.origin, values: { ...r.values, [column]: C } };
  });
  return { table: { columns: [...table.columns, column], rows }, options: { ...o, flops: column } };
}

/**
 * `--flops-from CONVENTION`: a compute column counted from each run's shape (src/data/flop-count.ts), named
 * `C_CONVENTION`, and the options reading it as `--flops`.
 */
function flopsCounted<O extends CheckpointOptionValues>(table: Table, o: O): { table: Table; options: O } {
  const shapeUsed = o.flopsFrom !== undefined || o.nonEmbedding === true;
  if (o.budgetFrom !== undefined) return budgetsNamed(table, o, o.budgetFrom);
  if (o.flopsFrom === undefined) {
    for (const key of ['layers', 'width', 'context', 'vocab'] as const)
      if (o[key] !== undefined && !(shapeUsed && (key === 'layers' || key === 'width')))
        throw new UserError(`${optionRef(key)} needs ${optionRef('flopsFrom')} CONVENTION`);
    return { table, options: o };
  }
  const c = o.flopsFrom;
  if (o.flops !== undefined) throw new UserError(`give ${optionRef('flops')} COL or ${optionRef('flopsFrom')} ${c}, not both`);
  if (o.tokens === undefined) throw new UserError(`${optionRef('flopsFrom')} ${c} needs ${optionRef('tokens')} COL: C is D times the FLOPs per token`);
  const needs = [
    ...(c === '6nd' ? [] : (['layers', 'width'] as const)),
    ...(c === 'kaplan' || c === 'chinchilla' ? (['context'] as const) : []),
    ...(c === 'chinchilla' ? (['vocab'] as const) : []),
  ];
  for (const key of needs) if (o[key] === undefined) throw new UserError(`${optionRef('flopsFrom')} ${c} needs ${optionRef(key)}`);
  const D = numericColumn(table, o.tokens, { positive: true });
  const N = c === '6nd' ? numericColumn(table, o.params ?? 'params', { positive: true }) : undefined;
  const L = o.layers !== undefined ? numericColumn(table, o.layers, { positive: true }) : undefined;
  const W = o.width !== undefined ? numericColumn(table, o.width, { positive: true }) : undefined;
  const column = `C_${c}`;
  const rows = table.rows.map((r, i) => {
    const perToken = flopsPerToken(c, { params: N?.[i] ?? 0, layers: L?.[i] ?? 0, width: W?.[i] ?? 0, context: o.context ?? 0, vocab: o.vocab ?? 0 });
    return { origin: r.origin, values: { ...r.values, [column]: D[i]! * perToken } };
  });
  return { table: { columns: [...table.columns, column], rows }, options: { ...o, flops: column } };
}

/** Where a result keeps the warnings about its input (not its own field: the result's JSON stays its own). */
const INPUT_WARNINGS = Symbol('input warnings');

/** The warnings about the input an analysis read (a FLOP column off the 6·N·D convention), attached to its result by `run`. */
export function inputWarningsOf(result: unknown): Warning[] {
  return typeof result === 'object' && result !== null ? ((result as Record<symbol, Warning[]>)[INPUT_WARNINGS] ?? []) : [];
}

/** `--flops-scale X`: the compute column times X, before anything reads it. */
function flopsScaled(table: Table, o: CheckpointOptionValues): Table {
  if (o.flopsScale === undefined) return table;
  if (o.flops === undefined) throw new UserError(`${optionRef('flopsScale')} needs ${optionRef('flops')} COL`);
  const C = numericColumn(table, o.flops, { positive: true });
  const column = o.flops;
  return { columns: table.columns, rows: table.rows.map((r, i) => ({ origin: r.origin, values: { ...r.values, [column]: C[i]! * o.flopsScale! } })) };
}

/**
 * With a compute column and N and D: k in C = k·N·D. Far from 6, the column is in another unit or counts
 * another way, and every D* = C/(6N*) would be off by k/6: said, not silently used. A table the analysis
 * refused never gets here; one whose columns cannot be read is left to the analysis's own errors.
 */
function inputWarnings(table: Table, o: CheckpointOptionValues): Warning[] {
  if (o.flops === undefined || o.tokens === undefined || o.params === undefined) return [];
  let k: FlopConvention | null;
  try {
    k = flopConvention(numericColumn(table, o.params), numericColumn(table, o.tokens), numericColumn(table, o.flops));
  } catch {
    return [];
  }
  if (!k || isNearSix(k.median)) return [];
  return [
    warning(
      'flops-convention',
      `${o.flops} is ${num(k.median, 3)}·N·D (median over the runs; ${num(k.min, 3)} to ${num(k.max, 3)}), not 6·N·D: another unit (GFLOPs: --flops-scale 1e9) or a forward-only count (--flops-scale 3)? Compute-optimal D* = C/(6N*) assumes 6·N·D`,
    ),
  ];
}

/** The rows an analysis reads: with `run`, the selected checkpoints of each run; without, the rows as they are. */
function checkpointsOf(table: Table, o: CheckpointOptionValues): Table {
  if (o.run === undefined) {
    for (const [key, given] of [
      ['step', o.step !== undefined],
      ['checkpoints', o.checkpoints !== undefined && o.checkpoints !== 'final'],
      ['phase', o.phase !== undefined],
      ['skipFirst', o.skipFirst !== undefined],
      ['smooth', o.smooth !== undefined],
      ['bestPer', o.bestPer !== undefined],
    ] as const) {
      if (given) throw new UserError(`${optionRef(key)} needs ${optionRef('run')} COL (the column naming each row's run)`);
    }
    return table;
  }
  const structural = [o.params, o.tokens, o.flops, o.step].filter((c): c is string => c !== undefined);
  return selectCheckpoints(table, {
    run: o.run,
    step: o.step ?? o.tokens,
    // Reading curves at budgets needs the whole curve: `final` then means every checkpoint.
    checkpoints: o.atBudgets !== undefined && (o.checkpoints ?? 'final') === 'final' ? 'all' : (o.checkpoints ?? 'final'),
    ...(o.phase !== undefined ? { phase: o.phase } : {}),
    ...(o.skipFirst !== undefined ? { skipFirst: o.skipFirst } : {}),
    ...(o.smooth !== undefined ? { smooth: o.smooth } : {}),
    ...(o.bestPer !== undefined ? { bestPer: o.bestPer } : {}),
    ...(o.loss !== undefined ? { loss: o.loss } : {}),
    structural,
  }).table;
}
