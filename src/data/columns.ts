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
  /** Unique tokens U (0 < U ≤ D), for the data-constrained law. */
  unique?: string;
}

/**
 * A number written in decimal (`12`, `-3.5`, `.5`, `1e-3`, `Infinity`); NaN for anything else. Stricter than
 * `Number()`, which also reads `0x10` as 16, `0b11` as 3 and `''` as 0: in a run table those are mistakes.
 */
export function decimal(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) || /^[+-]?infinity$/i.test(t) ? Number(t) : Number.NaN;
}

/** The column's cells as validated finite numbers; any empty, non-numeric or non-finite cell is an error. */
export function numericColumn(table: Table, column: string, opts: { positive?: boolean } = {}): Float64Array {
  requireColumn(table, column);
  const out = new Float64Array(table.rows.length);
  table.rows.forEach((row, i) => {
    const v = row.values[column];
    const where = at(row.origin, column);
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) throw new UserError(`${where}empty cell`);
    const x = typeof v === 'number' ? v : decimal(v);
    if (Number.isNaN(x)) {
      // The cell as a JSON string: a quoted cell with a newline or a quote stays on the message's one line.
      throw new UserError(/^[+-]?nan$/i.test(String(v).trim()) ? `${where}NaN is not a finite number` : `${where}${JSON.stringify(v)} is not a number`);
    }
    if (!Number.isFinite(x)) throw new UserError(`${where}${String(v).trim()} is not a finite number`);
    if (opts.positive && !(x > 0)) throw new UserError(`${where}must be > 0, got ${String(v).trim()}`);
    out[i] = x;
  });
  return out;
}

/**
 * A missing column names the first file that lacks it and the columns it has; when other rows of that file
 * have it (a JSON row without the key), the row.
 */
export function requireColumn(table: Table, column: string): void {
  const lacking = table.rows.find((r) => !(column in r.values));
  if (!lacking && table.columns.includes(column)) return;
  if (lacking && table.rows.some((r) => r.origin.file === lacking.origin.file && column in r.values)) {
    throw new UserError(`${at(lacking.origin, column)}missing (the row has ${listColumns(Object.keys(lacking.values))})`);
  }
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
  const runs: Runs = { N, D, C: C ?? N.map((n, i) => 6 * n * D[i]!), loss, origin: table.rows.map((r) => r.origin) };
  if (m.unique !== undefined) runs.U = uniqueColumn(table, m.unique, D);
  // Finite inputs can still overflow (D = 1e308 gives C = 6ND = Infinity) or underflow (C/(6N) = 0).
  for (let i = 0; i < N.length; i++) {
    const where = at(runs.origin[i]);
    if (!Number.isFinite(runs.C[i]!)) throw new UserError(`${where}C = 6·N·D overflows (N = ${N[i]}, D = ${D[i]}): not a finite number`);
    if (!(runs.D[i]! > 0) || !Number.isFinite(runs.D[i]!))
      throw new UserError(`${where}D = C/(6·N) is not a positive finite number (N = ${N[i]}, C = ${runs.C[i]})`);
  }
  return runs;
}

/** The unique-tokens column: every U > 0 and at most the run's training tokens D (a run cannot see more unique tokens than it trains on). */
function uniqueColumn(table: Table, column: string, D: Float64Array): Float64Array {
  const U = numericColumn(table, column, { positive: true });
  for (let i = 0; i < U.length; i++) {
    // A relative slack of 1e-9: U and D written to a few digits each may round apart when U = D.
    if (U[i]! > D[i]! * (1 + 1e-9)) {
      throw new UserError(`${at(table.rows[i]!.origin, column)}unique tokens U = ${U[i]} exceed the run's training tokens D = ${D[i]}`);
    }
  }
  return U;
}
