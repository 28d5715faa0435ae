import { at, UserError } from '../errors.js';
import { requireColumn } from './columns.js';
import type { RunClusters, RunGroups } from './runs.js';
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

/**
 * Each row's group by the group columns, for a joint fit: the groups in order of first appearance, or, given
 * `names` (the fitted groups, for held-out runs), by index into them, refusing a group that is not among them.
 */
export function runGroups(tbl: Table, columns: readonly string[], names?: readonly string[]): RunGroups {
  const groups = groupsOf(tbl, columns);
  const known = names ?? groups.map((g) => g.group!);
  const of = new Int32Array(tbl.rows.length);
  for (const { group, index } of groups) {
    const g = known.indexOf(group!);
    if (g < 0) {
      const row = tbl.rows[index[0]!]!;
      throw new UserError(`${at(row.origin, columns.join(', '))}group "${group}" has no fitted runs (fitted groups: ${known.join(', ')})`);
    }
    for (const i of index) of[i] = g;
  }
  return { column: columns.join(', '), names: known, of };
}

/** Each row's run by the run column (rows sharing a value are checkpoints of one run), for a cluster bootstrap. */
export function runClusters(tbl: Table, column: string): RunClusters {
  const groups = groupsOf(tbl, [column]);
  const of = new Int32Array(tbl.rows.length);
  groups.forEach(({ index }, k) => {
    for (const i of index) of[i] = k;
  });
  return { of, count: groups.length };
}

/** Each run's configuration (N, D), in order of first appearance: runs at one N and D (seeds, arms of a comparison) share one. */
export function configurations(N: ArrayLike<number>, D: ArrayLike<number>): RunClusters {
  const groups = groupIndices(Array.from({ length: N.length }, (_, i) => `${N[i]}|${D[i]}`));
  const of = new Int32Array(N.length);
  groups.forEach(({ index }, k) => {
    for (const i of index) of[i] = k;
  });
  return { of, count: groups.length };
}
