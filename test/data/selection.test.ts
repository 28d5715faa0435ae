// Fit/target selection (--fit-where, --target-where, --holdout-top): which runs a law is fitted and scored on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distinctBudgets, splitFitTarget } from '../../src/data/selection.js';
import type { Table } from '../../src/data/table.js';
import { parseFilter } from '../../src/data/where.js';

// Three budgets (1e18 twice within tolerance, 1e19, 1e20), two datamixes.
const C = [1e18, 1e18 * (1 + 1e-9), 1e19, 1e19, 1e20, 1e20];
const table: Table = {
  columns: ['C', 'mix'],
  rows: C.map((c, i) => ({ origin: { file: 't.csv', row: i + 1 }, values: { C: c, mix: i % 2 ? 'b' : 'a' } })),
};
const rowsOf = (t: Table | null) => t?.rows.map((r) => r.origin.row);
const computeOf = (i: number) => C[i]!;

test('without targets every run is fitted', () => {
  const s = splitFitTarget(table, { fitWhere: [], targetWhere: [] });
  assert.deepEqual(rowsOf(s.fit), [1, 2, 3, 4, 5, 6]);
  assert.equal(s.target, null);
});

test('--fit-where and --target-where choose the two sets independently', () => {
  const s = splitFitTarget(table, { fitWhere: [parseFilter('mix=a')], targetWhere: [parseFilter('C>=1e19')] });
  assert.deepEqual(rowsOf(s.fit), [1, 3, 5]);
  assert.deepEqual(rowsOf(s.target), [3, 4, 5, 6]);
});

test('--holdout-top K moves the K largest budgets from fit to target', () => {
  const s = splitFitTarget(table, { fitWhere: [], targetWhere: [], holdoutTop: 2 }, computeOf);
  assert.deepEqual(rowsOf(s.fit), [1, 2]);
  assert.deepEqual(rowsOf(s.target), [3, 4, 5, 6]);
  assert.equal(s.heldOutFrom, 1e19);
  const narrowed = splitFitTarget(table, { fitWhere: [], targetWhere: [parseFilter('mix=b')], holdoutTop: 1 }, computeOf);
  assert.deepEqual(rowsOf(narrowed.target), [6]);
});

test('budgets within the tolerance are one budget', () => {
  assert.deepEqual(distinctBudgets(C, 1e-6), [1e18, 1e19, 1e20]);
});

test('holding out every budget, or selecting nothing, is a clear error', () => {
  // The library names options by their keys; the CLI renders the same error with its flags (--holdout-top).
  assert.throws(() => splitFitTarget(table, { fitWhere: [], targetWhere: [], holdoutTop: 3 }, computeOf), {
    message: 'holdoutTop 3: the runs have 3 compute budgets; at least one must stay in the fit',
  });
  assert.throws(() => splitFitTarget(table, { fitWhere: [parseFilter('mix=c', '--fit-where')], targetWhere: [] }), {
    message: 'no runs left after fitWhere mix=c (6 rows before)',
  });
  assert.throws(() => splitFitTarget(table, { fitWhere: [], targetWhere: [parseFilter('C<1e19')], holdoutTop: 1 }, computeOf), {
    message: 'no targets: targetWhere selects no run in the top 1 budget',
  });
});
