import { UserError } from '../../errors.js';
import type { Cell, Table, TableRow } from '../table.js';
import { notFound } from './names.js';

// The canonical run table every importer writes: identity columns first (run, step, model …), then the
// metrics. Same input, same table: rows in input order (checkpoints by step), metric columns sorted by name
// unless the source gives an order (a W&B export's header).

/** One input file as an importer sees it: its name (for messages and the names it carries) and its bytes. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** What an importer returns: the table, and notes for the user (units, files without a loss). */
export interface Imported {
  table: Table;
  /** Columns that say which run (and checkpoint) a row is; `--metrics` always keeps them. */
  keys: string[];
  notes: string[];
}

/**
 * Rows of (run, step) checkpoints, merged: metrics logged at one step in several records become one row. The
 * same metric twice at one step with two values is an error naming both places.
 */
export class Checkpoints {
  private readonly rows = new Map<
    string,
    { origin: TableRow['origin']; run: string | null; step: number; values: Map<string, Cell>; from: Map<string, string> }
  >();
  private readonly metrics = new Set<string>();

  add(origin: TableRow['origin'], where: string, run: string | null, step: number, metric: string, value: Cell): void {
    const key = JSON.stringify([run, step]);
    let row = this.rows.get(key);
    if (!row) {
      row = { origin, run, step, values: new Map(), from: new Map() };
      this.rows.set(key, row);
    }
    this.metrics.add(metric);
    if (value === null) return;
    const before = row.values.get(metric);
    if (before !== undefined && before !== null && String(before) !== String(value)) {
      throw new UserError(
        `${where}run ${run === null ? '(unnamed)' : `"${run}"`}, step ${step}: "${metric}" is ${value} here but ${before} in ${row.from.get(metric)}`,
      );
    }
    row.values.set(metric, value);
    row.from.set(metric, where.replace(/: $/, ''));
  }

  /**
   * run, step, then the metrics by name; rows by run (first seen) and step. Each row is numbered in the table
   * (as written by `scalewise import`), or with `keepOrigins` keeps the place its checkpoint was first logged
   * (an analysis reading the file directly names the file's own rows).
   */
  table(keepOrigins = false): Table {
    const metrics = [...this.metrics].sort(byName);
    const runs = new Map<string | null, number>();
    for (const r of this.rows.values()) if (!runs.has(r.run)) runs.set(r.run, runs.size);
    const rows = [...this.rows.values()]
      .sort((a, b) => runs.get(a.run)! - runs.get(b.run)! || a.step - b.step)
      .map((r, i) => {
        const values: Record<string, Cell> = { run: r.run, step: r.step };
        for (const m of metrics) values[m] = r.values.get(m) ?? null;
        return { origin: keepOrigins ? r.origin : { file: r.origin.file, row: i + 1 }, values };
      });
    return { columns: ['run', 'step', ...metrics], rows };
  }
}

/** Code-point order: the same in every locale. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A step: a whole number ≥ 0 (a number, or text holding one). */
export function stepOf(v: unknown, where: string): number {
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(x) || x < 0)
    throw new UserError(`${where}expected a step (a whole number >= 0), got ${v === null || v === undefined ? 'nothing' : JSON.stringify(v)}`);
  return x;
}

/** The table with only its key columns and `wanted` (in the order asked); a name it lacks lists the nearest. */
export function keepColumns(imported: Imported, wanted: readonly string[], flag: string): Imported {
  const { table, keys } = imported;
  const metrics = table.columns.filter((c) => !keys.includes(c));
  for (const w of wanted) if (!table.columns.includes(w)) throw new UserError(`${flag}: ${notFound('column', w, metrics)}`);
  const columns = [...keys.filter((k) => table.columns.includes(k)), ...wanted.filter((w) => !keys.includes(w))];
  const rows = table.rows.map((r) => ({ origin: r.origin, values: Object.fromEntries(columns.map((c) => [c, r.values[c] ?? null])) }));
  return { ...imported, table: { columns, rows } };
}

/** The file's name without its folders. */
export function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** The name of the folder holding the file (`ckpt/run-7/metrics_step10.json` → `run-7`), or null at top level. */
export function folderName(file: string): string | null {
  const parts = file.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  return parts.length >= 2 ? parts[parts.length - 2]! : null;
}
