import { at, UserError, optionRef } from '../errors.js';
import { decimal, numericColumn, requireColumn } from './columns.js';
import type { Table, TableRow } from './table.js';

/** Loss pairs (L_x, L_y) and the rows they came from. */
export interface LossPairs {
  x: Float64Array;
  y: Float64Array;
  xRows: TableRow[];
  yRows: TableRow[];
  /** Rows of each side that found no partner (0 when x and y come from the same row). */
  unpaired: { x: number; y: number };
}

/**
 * Pairs L_x and L_y. Without `pairOn`, x and y are two columns of the same row (train-to-test,
 * test-to-test on one model), and `xSide` and `ySide` are the same table. With `pairOn`, row r of `xSide`
 * pairs with the row of `ySide` that has the same values in every `pairOn` column (train-to-train: runs of
 * two datamixes with equal params and tokens); a key that occurs twice on one side is an error, since the
 * pair would be ambiguous, and so is a join with no pair at all.
 */
export function pairLosses(xSide: Table, ySide: Table, xColumn: string, yColumn: string, pairOn?: string[]): LossPairs {
  if (!pairOn) {
    return {
      x: numericColumn(xSide, xColumn, { positive: true }),
      y: numericColumn(ySide, yColumn, { positive: true }),
      xRows: xSide.rows,
      yRows: ySide.rows,
      unpaired: { x: 0, y: 0 },
    };
  }
  const flag = `${optionRef('pairOn')} ${pairOn.join(',')}`;
  const xKeys = keysOf(xSide, pairOn, optionRef('xWhere'), flag);
  const yKeys = keysOf(ySide, pairOn, optionRef('yWhere'), flag);
  const xRows: TableRow[] = [],
    yRows: TableRow[] = [];
  const matched = new Set<number>();
  xSide.rows.forEach((row) => {
    const j = yKeys.get(pairKey(row, pairOn));
    if (j === undefined) return;
    xRows.push(row);
    yRows.push(ySide.rows[j]!);
    matched.add(j);
  });
  if (xRows.length === 0) {
    throw new UserError(
      `${flag}: no row of the ${optionRef('xWhere')} side (${xKeys.size}) has the same ${pairOn.join(', ')} as a row of the ${optionRef('yWhere')} side (${yKeys.size})`,
    );
  }
  const x = numericColumn({ columns: xSide.columns, rows: xRows }, xColumn, { positive: true });
  const y = numericColumn({ columns: ySide.columns, rows: yRows }, yColumn, { positive: true });
  return { x, y, xRows, yRows, unpaired: { x: xSide.rows.length - xRows.length, y: ySide.rows.length - matched.size } };
}

/** key → row index; a repeated key is an error naming both rows. */
function keysOf(side: Table, pairOn: string[], where: string, flag: string): Map<string, number> {
  for (const c of pairOn) requireColumn(side, c);
  const keys = new Map<string, number>();
  side.rows.forEach((row, i) => {
    const key = pairKey(row, pairOn);
    const first = keys.get(key);
    if (first !== undefined) {
      const other = side.rows[first]!.origin;
      throw new UserError(
        `${at(row.origin)}${flag}: the ${where} side has another row with ${pairOn.map((c) => `${c}=${row.values[c]}`).join(', ')} (row ${other.row}); a pair must be unique`,
      );
    }
    keys.set(key, i);
  });
  return keys;
}

/** A row's pairing key. Numbers compare as numbers (`1e9` pairs with `1000000000`), text as text. */
export function pairKey(row: TableRow, columns: string[]): string {
  return columns
    .map((c) => {
      const v = row.values[c];
      const s = v === null || v === undefined ? '' : String(v).trim();
      // Decimal only: `0x10` is text here, as it is to every column reader.
      const x = decimal(s);
      return Number.isFinite(x) ? String(x) : s;
    })
    .join('\u0000');
}
