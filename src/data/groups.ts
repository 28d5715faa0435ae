import { requireColumn } from './columns.js';
import type { Table } from './table.js';

/** Runs grouped by the value of a column (a configuration, a datamix): keys in order of first appearance. */
export function groupIndices(keys: ArrayLike<unknown>): { key: string; index: number[] }[] {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const key = String(keys[i] ?? '');
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
    }
    g.push(i);
  }
  return [...groups].map(([key, index]) => ({ key, index }));
}

/**
 * The rows of each value of the group columns (`group`, the dashboard's group), in order of first appearance;
 * with several columns a group is a combination of their values, named by them joined with ", ". Without
 * columns, one group (null) of every row.
 */
export function groupsOf(tbl: Table, columns: string | readonly string[] | undefined): { group: string | null; index: number[] }[] {
  const cols = columns === undefined ? [] : typeof columns === 'string' ? [columns] : columns;
  if (cols.length === 0) return [{ group: null, index: tbl.rows.map((_, i) => i) }];
  for (const c of cols) requireColumn(tbl, c);
  const keys = cols.length === 1 ? tbl.rows.map((r) => r.values[cols[0]!]) : tbl.rows.map((r) => cols.map((c) => String(r.values[c] ?? '')).join(', '));
  return groupIndices(keys).map(({ key, index }) => ({ group: key, index }));
}
