import type { Origin } from '../errors.js';

/** A cell as read: text from CSV/TSV, numbers and strings from JSON and Parquet; null when empty. */
export type Cell = string | number | null;

export interface TableRow {
  /** File and 1-based data row, for error messages. */
  origin: Origin;
  values: Record<string, Cell>;
}

/** Rows read from one or more files; `columns` in first-seen order. */
export interface Table {
  columns: string[];
  rows: TableRow[];
}

/** Rows of all tables in order; columns are the union (a row lacking a column has no value for it). */
export function concatTables(tables: Table[]): Table {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const t of tables)
    for (const c of t.columns)
      if (!seen.has(c)) {
        seen.add(c);
        columns.push(c);
      }
  return { columns, rows: tables.flatMap((t) => t.rows) };
}

/** The tables at `paths`, read one after another by `read`, stacked (the CLI reads from disk, a study through its env). */
export async function stackTables(paths: readonly string[], read: (path: string) => Promise<Table>): Promise<Table> {
  const tables: Table[] = [];
  for (const p of paths) tables.push(await read(p));
  return concatTables(tables);
}

/** "a, b, c" — or the first 12 and a count, so an error line stays one readable line. */
export function listColumns(columns: string[]): string {
  return columns.length <= 12 ? columns.join(', ') : `${columns.slice(0, 12).join(', ')}, … (${columns.length} in all)`;
}
