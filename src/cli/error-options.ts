import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { numericColumn } from '../data/columns.js';
import { readTables } from '../data/read.js';
import type { Table } from '../data/table.js';
import { taskMeans } from '../data/task-mean.js';
import { parseFilter, type Filter } from '../data/where.js';
import { UserError } from '../errors.js';
import { errorLinkByName, type ErrorLink } from '../laws/error-link.js';
import { collect } from './parse.js';

/** Flags of the downstream-error law. */
export interface ErrorFlags {
  error?: string;
  errorFitWhere?: string[];
  link?: string;
  errorFile?: string;
  join?: string;
  taskColumn?: string;
  tasks?: string;
}

export function addErrorOptions(cmd: Command): Command {
  return cmd
    .option('--error <COL>', 'column with each run\'s downstream error: also fit an error law Err(loss) and score targets on it')
    .option('--error-fit-where <COL=VALUE>', 'fit the error law on rows where the condition holds (repeatable, ANDed; default: the loss-fit rows)', collect, [])
    .option('--link <name>', 'error law: exp (Err = ε − k·exp(−γ·L), Gadre et al.) | sigmoid (logistic in L)')
    .option('--error-file <FILE>', 'long-format file (one row per run × task) holding --error; each run\'s error is the mean over --tasks')
    .option('--join <COL>', 'with --error-file: column naming the run in both files')
    .option('--task-column <COL>', 'with --error-file: column naming the task', 'task')
    .option('--tasks <FILE|a,b,c>', 'with --error-file: tasks to average (a file with one per line, or a comma-separated list; default: every task in the file)');
}

/** The error law's settings, read from the flags, or undefined without `--error`. */
export interface ErrorSource {
  link: ErrorLink;
  column: string;
  fitWhere: Filter[];
  /** With `--error-file`: the tasks averaged. */
  tasks?: string[];
  /** Each row's error, in row order; errors name the row. */
  values(table: Table): Float64Array;
}

export async function parseErrorSource(flags: ErrorFlags): Promise<ErrorSource | undefined> {
  if (flags.error === undefined) {
    for (const [flag, given] of [
      ['--error-fit-where', (flags.errorFitWhere ?? []).length > 0],
      ['--link', flags.link !== undefined],
      ['--error-file', flags.errorFile !== undefined],
      ['--join', flags.join !== undefined],
      ['--tasks', flags.tasks !== undefined],
    ] as const) {
      if (given) throw new UserError(`${flag} needs --error COL`);
    }
    return undefined;
  }
  const link = errorLinkByName(flags.link ?? 'exp');
  const fitWhere = (flags.errorFitWhere ?? []).map((w) => parseFilter(w, '--error-fit-where'));
  const column = flags.error;
  if (flags.errorFile === undefined) {
    for (const [flag, given] of [['--join', flags.join !== undefined], ['--tasks', flags.tasks !== undefined]] as const) {
      if (given) throw new UserError(`${flag} needs --error-file FILE`);
    }
    return { link, column, fitWhere, values: (t) => numericColumn(t, column) };
  }
  if (flags.join === undefined) throw new UserError('--error-file needs --join COL (the column naming the run in both files)');
  const join = flags.join;
  const long = await readTables([flags.errorFile]);
  const taskColumn = flags.taskColumn ?? 'task';
  const tasks = flags.tasks !== undefined ? parseTasks(flags.tasks) : allTasks(long, taskColumn);
  const mean = taskMeans(long, { join, taskColumn, value: column, tasks });
  return {
    link,
    column,
    fitWhere,
    tasks,
    values(t) {
      if (!t.columns.includes(join)) throw new UserError(`--join ${join}: the run table has no column "${join}"`);
      return Float64Array.from(t.rows, (r) => mean(r.values[join] ?? null, r.origin));
    },
  };
}

/** `--tasks`: an existing file (one task per line, blank lines ignored) or a comma-separated list. */
function parseTasks(text: string): string[] {
  const list = existsSync(text) ? readFileSync(text, 'utf8').split(/\r?\n/) : text.split(',');
  const tasks = list.map((t) => t.trim()).filter((t) => t !== '');
  if (tasks.length === 0) throw new UserError(`--tasks "${text}": no task given`);
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t)) throw new UserError(`--tasks "${text}": task "${t}" is listed twice`);
    seen.add(t);
  }
  return tasks;
}

function allTasks(long: Table, taskColumn: string): string[] {
  if (!long.columns.includes(taskColumn)) {
    throw new UserError(`${long.rows[0]?.origin.file ?? '--error-file'}: no column "${taskColumn}" (--task-column)`);
  }
  return [...new Set(long.rows.map((r) => String(r.values[taskColumn] ?? '')))].sort();
}
