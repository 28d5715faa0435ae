// Budgets found in messy data (src/data/budgets.ts): jitter within a budget joins it, the gaps between budgets
// separate them, and a chain of close distinct values is not mistaken for one budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetClusters } from '../../src/data/budgets.js';
import { Random } from '../../src/stats/random.js';

test('budgets that jitter by up to 0.5% around 2.2×-spaced nominal values are found exactly, whatever the order', () => {
  const rng = new Random(3, 0);
  const C: number[] = [];
  const nominal: number[] = [];
  for (let b = 0; b < 8; b++)
    for (let k = 0; k < 9; k++) {
      nominal.push(b);
      C.push(1e18 * 2.2 ** b * (1 + 0.005 * (2 * rng.uniform() - 1)));
    }
  // Shuffled: the clustering sorts.
  const order = C.map((_, i) => i).sort((a, b) => ((a * 7919) % 71) - ((b * 7919) % 71));
  const r = budgetClusters(order.map((i) => C[i]!));
  assert.equal(r.starts.length, 8);
  assert.equal(r.split, false);
  order.forEach((i, j) => {
    assert.equal(r.of[j], nominal[i], `run ${i}`);
  });
  for (let b = 0; b < 8; b++) assert.ok(r.ends[b]! / r.starts[b]! < 1.011);
});

test('exact budgets stay exact; a chain of close distinct values (C read off a figure) is split back into exact values', () => {
  const exact = budgetClusters([1e18, 1e18, 2e18, 2e18, 2e18]);
  assert.deepEqual(Array.from(exact.of), [0, 0, 1, 1, 1]);
  // 40 values 0.5% apart: no gap separates them, but they span 22%: not one budget.
  const chain = Array.from({ length: 40 }, (_, i) => 1e20 * 1.005 ** i);
  const r = budgetClusters([...chain, 1e20]);
  assert.equal(r.split, true);
  assert.equal(r.starts.length, 40);
  assert.equal(r.of[40], r.of[0]);
});
