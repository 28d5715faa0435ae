import { at, UserError } from '../../errors.js';
import { parseTable } from '../parse.js';
import { type Cell, listColumns, type Table } from '../table.js';
import { baseName, Checkpoints, type Imported, type InputFile, stepOf } from './canonical.js';
import { notFound } from './names.js';

// W&B run history, in the two shapes it leaves W&B in:
// - long: one row per logged value, (run, step, metric, value) — `run.scan_history()` melted, or a warehouse export;
// - wide: one row per step, `_step` and one column per metric — `run.history()` saved, or the run-history
//   Parquet W&B keeps per run (`run-<id>-history`), which has no run column: the run is named by its file.
// Both become one row per (run, step) checkpoint with one column per metric.

export interface HistoryColumns {
  /** The run column (default: the first of run, run_id, run_name, name, id). */
  run?: string;
  /** The step column (default: the first of step, _step, global_step, trainer/global_step). */
  step?: string;
}

const runNames = ['run', 'run_id', 'run_name', 'name', 'id'];
const stepNames = ['step', '_step', 'global_step', 'trainer/global_step'];

export async function importWandbHistory(files: readonly InputFile[], cols: HistoryColumns = {}): Promise<Imported> {
  const out = new Checkpoints();
  for (const f of files) addHistory(out, await parseTable(f.name, f.bytes), f.name, cols);
  return { table: out.table(), keys: ['run', 'step'], notes: [] };
}

/**
 * Whether a table read as it is is W&B history that an analysis should read as checkpoints: the long layout, told
 * by its header alone (a step column, metric and value, at most a run column, nothing else), or a run-history
 * Parquet by W&B's name for it (`run-<id>-history.parquet`).
 */
export function isHistory(file: string, columns: readonly string[]): boolean {
  if (/^run-.+-history\.parquet$/i.test(baseName(file))) return true;
  if (!columns.includes('metric') || !columns.includes('value')) return false;
  const rest = columns.filter((c) => c !== 'metric' && c !== 'value');
  const steps = rest.filter((c) => stepNames.includes(c)),
    runs = rest.filter((c) => runNames.includes(c));
  return steps.length === 1 && runs.length <= 1 && rest.length === steps.length + runs.length;
}

/** W&B history already parsed (an analysis's input file) as one row per (run, step) checkpoint, rows keeping the file's row numbers. */
export function historyTable(t: Table, file: string): Table {
  const out = new Checkpoints();
  addHistory(out, t, file, {});
  return out.table(true);
}

function addHistory(out: Checkpoints, t: Table, file: string, cols: HistoryColumns): void {
  const step = column(t, file, cols.step, stepNames, 'step column', '--step');
  const run = cols.run !== undefined ? column(t, file, cols.run, [], 'run column', '--run') : runNames.find((c) => t.columns.includes(c));
  const long = t.columns.includes('metric') && t.columns.includes('value');
  for (const row of t.rows) {
    const name = run === undefined ? runOfFile(file) : text(row.values[run] ?? null);
    const s = stepOf(row.values[step], at(row.origin, step));
    if (long) {
      const metric = text(row.values.metric ?? null);
      if (metric === null) throw new UserError(`${at(row.origin, 'metric')}empty metric name`);
      out.add(row.origin, at(row.origin), name, s, metric, row.values.value ?? null);
    } else {
      for (const c of t.columns) if (c !== step && c !== run) out.add(row.origin, at(row.origin, c), name, s, c, row.values[c] ?? null);
    }
  }
}

/** The named column, or the first of `defaults` the table has; neither is an error listing the nearest. */
function column(t: Table, file: string, given: string | undefined, defaults: string[], noun: string, flag: string): string {
  if (given !== undefined) {
    if (!t.columns.includes(given)) throw new UserError(`${file}: ${flag} "${given}": ${notFound('column', given, t.columns)}`);
    return given;
  }
  const hit = defaults.find((c) => t.columns.includes(c));
  if (!hit) throw new UserError(`${file}: no ${noun} (looked for ${defaults.join(', ')}; name it with ${flag}; columns: ${listColumns(t.columns)})`);
  return hit;
}

function text(v: Cell): string | null {
  return v === null ? null : String(v);
}

/** A run-history file without a run column is one run, named by its file (`run-abc123-history.parquet` → `abc123`). */
function runOfFile(file: string): string {
  const base = baseName(file).replace(/\.[^.]+$/, '');
  return /^run-(.+)-history$/.exec(base)?.[1] ?? base;
}
