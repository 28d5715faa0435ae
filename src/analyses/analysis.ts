/**
 * An analysis, declared once: its kind, a one-line summary, its options (the single declaration every
 * front end derives from: CLI flags, study keys, docs), and its pipeline — a function from a table and typed
 * options to a result object. Front ends parse their own input into the options, call `run`, and show the
 * result through the presenter of the same kind (`src/present/`).
 */
import type { Runs } from '../data/runs.js';
import type { Table } from '../data/table.js';
import { UserError } from '../errors.js';
import type { BootstrapTask } from '../fitting/bootstrap.js';
import { checkOptions } from '../options/check.js';
import { withDefaults, type OptionSpecs, type OptionValues } from '../options/option.js';
import { analysisInput, withInputWarnings, type InputOptions } from './input.js';

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
      const input = analysisInput(table, options as InputOptions);
      return withInputWarnings(await declaration.run(input.table, input.options as OptionValues<S>, env), input.warnings);
    },
  };
}
