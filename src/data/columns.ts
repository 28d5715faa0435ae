import { at, UserError, optionRef } from '../errors.js';
import type { Runs } from './runs.js';
import { listColumns, type Table } from './table.js';

/** Which columns hold N, D, C and the loss. */
export interface ColumnMapping {
  /** Parameters N. */
  params: string;
  /** Training tokens D; optional when `flops` is given (D = C/(6N)). */
  tokens?: string;
  /** Training compute C in FLOP; default 6·N·D. */
  flops?: string;
  /** The loss to fit. */
  loss: string;
}

/** The column's cells as validated finite numbers; any empty, non-numeric or non-finite cell is an error. */
export function numericColumn(table: Table, column: string, opts: { positive?: boolean } = {}): Float64Array {
  requireColumn(table, column);
  const out = new Float64Array(table.rows.length);
  table.rows.forEach((row, i) => {
    const v = row.values[column];
    const where = at(row.origin, column);
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) throw new UserError(`${where}empty cell`);
    const x = typeof v === 'number' ? v : Number(v);
    if (Number.isNaN(x)) {
      throw new UserError(/^[+-]?nan$/i.test(String(v).trim()) ? `${where}NaN is not a finite number` : `${where}"${v}" is not a number`);
    }
    if (!Number.isFinite(x)) throw new UserError(`${where}${v} is not a finite number`);
    if (opts.positive && !(x > 0)) throw new UserError(`${where}must be > 0, got ${v}`);
    out[i] = x;
  });
  return out;
}

/** A missing column names the first file that lacks it and the columns it has. */
export function requireColumn(table: Table, column: string): void {
  const lacking = table.rows.find((r) => !(column in r.values));
  if (!lacking && table.columns.includes(column)) return;
  const file = lacking?.origin.file ?? table.rows[0]?.origin.file ?? 'input';
  throw new UserError(`${file}: no column "${column}" (columns: ${listColumns(table.columns)})`);
}

/** Runs from a table: N and loss required; D from tokens, or C/(6N) from flops; C from flops, or 6ND. */
export function toRuns(table: Table, m: ColumnMapping): Runs {
  if (!m.tokens && !m.flops) throw new UserError(`need ${optionRef('tokens')} or ${optionRef('flops')} to know each run's training tokens`);
  const N = numericColumn(table, m.params, { positive: true });
  const loss = numericColumn(table, m.loss, { positive: true });
  const C = m.flops ? numericColumn(table, m.flops, { positive: true }) : undefined;
  const D = m.tokens ? numericColumn(table, m.tokens, { positive: true }) : N.map((n, i) => C![i]! / (6 * n));
  return {
    N,
    D,
    C: C ?? N.map((n, i) => 6 * n * D[i]!),
    loss,
    origin: table.rows.map((r) => r.origin),
  };
}
