import { requireColumn } from './columns.js';
import type { Table } from './table.js';

/** Runs grouped by the value of a column (a configuration, a datamix): keys in order of first appearance. */
export function groupIndices(keys: ArrayLike<unknown>): { key: string; index: number[] }[] {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const key = String(keys[i] ?? '');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  return [...groups].map(([key, index]) => ({ key, index }));
}

/**
 * The rows of each value of a group column (`--group`, the dashboard's group), in order of first appearance;
 * one group (null) of every row without a column.
 */
export function groupsOf(tbl: Table, column: string | undefined): { group: string | null; index: number[] }[] {
  if (!column) return [{ group: null, index: tbl.rows.map((_, i) => i) }];
  requireColumn(tbl, column);
  return groupIndices(tbl.rows.map((r) => r.values[column])).map(({ key, index }) => ({ group: key, index }));
}
