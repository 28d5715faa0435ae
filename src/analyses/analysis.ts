/**
 * An analysis, declared once: its kind, a one-line summary, its options (the single declaration every
 * front end derives from: CLI flags, study keys, docs), and its pipeline — a function from a table and typed
 * options to a result object. Front ends parse their own input into the options, call `run`, and show the
 * result through the presenter of the same kind (`src/present/`).
 */
import type { Table } from '../data/table.js';
import type { BootstrapTask } from '../fitting/bootstrap.js';
import type { Runs } from '../data/runs.js';
import type { OptionSpecs, OptionValues } from '../options/option.js';

export interface Analysis<S extends OptionSpecs = OptionSpecs, R = unknown> {
  /** The command (`scalewise fit`) and the study's `kind`. */
  kind: string;
  /** One line: what it computes. */
  summary: string;
  /** Every option it takes, with defaults and docs (the runs options included). */
  options: S;
  /** `runs` (default): it reads run tables; `none`: its options name everything it reads (a saved fit). */
  reads?: 'runs' | 'none';
  /** The pipeline: the table (already filtered by `where`) and the options → the result. */
  run(table: Table, options: OptionValues<S>, env: AnalysisEnv): Promise<R>;
}

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
export type BootstrapRunner = (runs: Runs, task: Omit<BootstrapTask, 'from' | 'to'>, resamples: number) => Promise<{ theta: Float64Array; converged: Uint8Array }>;

/** The analysis with its option types kept (a helper for declaring). */
export function defineAnalysis<S extends OptionSpecs, R>(a: Analysis<S, R>): Analysis<S, R> {
  return a;
}
