// Budgets found in messy data (src/data/budgets.ts): jitter within a budget joins it, the gaps between budgets
// separate them, and a chain of close distinct values is not mistaken for one budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { budgetClusters } from '../../src/data/budgets.js';
import { Random } from '../../src/stats/random.js';
import { isoflopAnalysis } from '../../src/analyses/isoflop.js';
import { chinchillaTruth, sweep, WIDE } from '../helpers/sweeps.js';

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

test('isoflop: budgets that jitter by 1e-5 (a W&B export) give the answer of exact budgets by default; a 1e-6 tolerance splits them', async () => {
  const exact = sweep(chinchillaTruth, { ...WIDE, sigma: 0.003, seed: 4 });
  const rng = new Random(9, 0);
  const jittered = { ...exact, rows: exact.rows.map((r) => ({ ...r, values: { ...r.values, C: (r.values.C as number) * (1 + 1e-5 * rng.normal()) } })) };
  const o = { params: 'N', tokens: 'D', flops: 'C' };
  const a = (await isoflopAnalysis.run(exact, o)).groups[0]!;
  const b = (await isoflopAnalysis.run(jittered, o)).groups[0]!;
  assert.equal(b.budgets.length, WIDE.budgets);
  assert.ok(Math.abs(a.fit!.a - b.fit!.a) < 1e-3, `${a.fit!.a} vs ${b.fit!.a}`);
  const split = (await isoflopAnalysis.run(jittered, { ...o, budgetTolerance: 1e-6 })).groups[0]!;
  assert.ok(split.budgets.length > 5 * WIDE.budgets, `${split.budgets.length} budgets`);
  // Split into one- and two-size 'budgets', most of them cannot locate a minimum.
  assert.ok(split.budgets.filter((x) => x.excluded === null).length < WIDE.budgets);
});

test('isoflop: compute read off a figure (no gaps between budgets) is said, each value its own budget', async () => {
  const C = Array.from({ length: 60 }, (_, i) => 1e18 * 1.004 ** i);
  const t = {
    columns: ['N', 'C', 'loss'],
    rows: C.map((c, i) => ({ origin: { file: 'fig.csv', row: i + 1 }, values: { N: 1e8 * (1 + (i % 5)), C: c, loss: 3 } })),
  };
  const r = (await isoflopAnalysis.run(t, { params: 'N', flops: 'C' })).groups[0]!;
  assert.ok(r.warnings.some((w) => w.code === 'budgets-unclear'));
});

test("--budget-from: each run's budget read from its name (the first number in scientific notation); a name without one is an error", async () => {
  const { budgetInName } = await import('../../src/data/budget-label.js');
  assert.equal(budgetInName('olmo_1e19_190m'), 1e19);
  assert.equal(budgetInName('c=3.2E+20-n=1b'), 3.2e20);
  assert.equal(budgetInName('budget_6.0e18_seed2'), 6e18);
  assert.ok(Number.isNaN(budgetInName('run-190m-seed1')));
  // An IsoFLOP sweep whose C lives only in the run names: the same answer as the C column.
  const t = sweep(chinchillaTruth, { ...WIDE, sigma: 0.003, seed: 5 });
  const named = {
    columns: [...t.columns, 'name'],
    rows: t.rows.map((r) => ({ ...r, values: { ...r.values, name: `ladder_${(r.values.C as number).toExponential()}_x` } })),
  };
  const byName = (await isoflopAnalysis.run(named, { params: 'N', tokens: 'D', budgetFrom: 'name' })).groups[0]!;
  const byColumn = (await isoflopAnalysis.run(t, { params: 'N', tokens: 'D', flops: 'C' })).groups[0]!;
  assert.equal(byName.fit!.a, byColumn.fit!.a);
  const bad = { ...named, rows: [...named.rows, { origin: { file: 'runs.csv', row: 99 }, values: { N: 1e8, D: 1e9, C: 6e17, loss: 3, name: 'baseline' } }] };
  await assert.rejects(
    isoflopAnalysis.run(bad, { params: 'N', tokens: 'D', budgetFrom: 'name' }),
    /^UserError: runs\.csv, row 99, column "name": "baseline" holds no budget in scientific notation \(like 1e19\)$/,
  );
  // A shape option beside --budget-from reads nothing: refused, not silently ignored.
  await assert.rejects(
    isoflopAnalysis.run(named, { params: 'N', tokens: 'D', budgetFrom: 'name', layers: 'N' }),
    /^UserError: layers is read only with flopsFrom CONVENTION or nonEmbedding$/,
  );
});
