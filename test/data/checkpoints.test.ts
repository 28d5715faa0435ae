// Rows as checkpoints of runs (src/data/checkpoints.ts): the selections (final, all, post-decay, skip-first,
// smoothing, best per configuration), curves read at budgets, and the cluster bootstrap — each against a known
// synthetic truth: WSD curves whose decay ends lie on a Chinchilla law recover its N*(C) exponent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitAnalysis } from '../../src/analyses/fit.js';
import { isoflopAnalysis } from '../../src/analyses/isoflop.js';
import { curvesAtBudgets, selectCheckpoints } from '../../src/data/checkpoints.js';
import type { Table } from '../../src/data/table.js';
import { Random } from '../../src/stats/random.js';
import { testBadInputs, tempFiles } from '../helpers/cli.js';
import { chinchillaTruth } from '../helpers/sweeps.js';
import { join } from 'node:path';

function table(columns: string[], rows: (string | number)[][]): Table {
  return { columns, rows: rows.map((r, i) => ({ origin: { file: 't.csv', row: i + 1 }, values: Object.fromEntries(columns.map((c, j) => [c, r[j]!])) })) };
}

const small = table(
  ['run', 'step', 'N', 'loss', 'lr', 'phase'],
  [
    ['a', 3, 1, 2.0, 1e-3, 'decay'],
    ['a', 1, 1, 3.0, 1e-3, 'stable'],
    ['a', 2, 1, 2.5, 1e-3, 'decay'],
    ['b', 1, 2, 2.8, 3e-3, 'stable'],
    ['b', 2, 2, 2.2, 3e-3, 'decay'],
    ['b', 3, 2, 2.4, 3e-3, 'stable'],
    ['b', 4, 2, 1.9, 3e-3, 'decay'],
    ['c', 1, 2, 2.1, 1e-3, 'stable'],
  ],
);
const base = { run: 'run', step: 'step', structural: ['N', 'step'] };
const losses = (t: Table) => t.rows.map((r) => r.values.loss);

test('checkpoints: final per run in step order, all, post-decay (the end of each decay), skip-first, smoothing, best per configuration', () => {
  assert.deepEqual(losses(selectCheckpoints(small, { ...base, checkpoints: 'final' }).table), [2.0, 1.9, 2.1]);
  assert.deepEqual(losses(selectCheckpoints(small, { ...base, checkpoints: 'all' }).table), [3.0, 2.5, 2.0, 2.8, 2.2, 2.4, 1.9, 2.1]);
  assert.deepEqual(losses(selectCheckpoints(small, { ...base, checkpoints: 'post-decay', phase: 'phase' }).table), [2.0, 2.2, 1.9]);
  // The first half of each run's checkpoints dropped (floor of 0.5·count).
  assert.deepEqual(losses(selectCheckpoints(small, { ...base, checkpoints: 'all', skipFirst: 0.5 }).table), [2.5, 2.0, 2.4, 1.9, 2.1]);
  // The mean of the last 2 evaluations; lr is a constant column, so its mean is itself.
  const s = selectCheckpoints(small, { ...base, checkpoints: 'final', smooth: 'last:2' }).table;
  assert.deepEqual(losses(s), [2.25, 2.15, 2.1]);
  assert.deepEqual(
    s.rows.map((r) => r.values.step),
    [3, 4, 1],
  );
  const ema = selectCheckpoints(small, { ...base, checkpoints: 'final', smooth: 'ema:0.5' }).table;
  assert.equal(ema.rows[0]!.values.loss, 0.5 * 2.0 + 0.5 * (0.5 * 2.5 + 0.5 * 3.0));
  // Runs b and c share N = 2 (two learning rates): c's final loss 2.1 is worse than b's 1.9.
  const best = selectCheckpoints(small, { ...base, checkpoints: 'final', bestPer: ['N'], loss: 'loss' });
  assert.deepEqual(losses(best.table), [2.0, 1.9]);
  assert.equal(best.summary.droppedByBestPer, 1);
});

// WSD runs: each of 10 sizes trained with decays at 8 token counts; a decay's end lies on the Chinchilla law, every
// other checkpoint (stable phase, mid-decay) 3% above it.
const sizes = Array.from({ length: 10 }, (_, i) => 2e7 * 1.6 ** i);
function wsdCurves(noise = 0, seed = 0, excess = 1.03): Table {
  const rng = new Random(seed, 0);
  const rows: (string | number)[][] = [];
  sizes.forEach((N, r) => {
    const offset = Math.exp(noise * rng.normal());
    for (let k = 0; k < 8; k++) {
      const end = 2e8 * 2 ** k * (N / 2e7) ** 0.5;
      for (const [frac, phase] of [
        [0.8, 'stable'],
        [0.9, 'decay'],
        [1, 'decay'],
      ] as const) {
        const D = end * frac;
        const annealed = frac === 1;
        rows.push([`r${r}`, D, N, chinchillaTruth(N, D) * (annealed ? 1 : excess) * offset, phase]);
      }
    }
  });
  return table(['run', 'tokens', 'params', 'loss', 'phase'], rows);
}
// Hoffmann et al.'s constants: a = β/(α + β) = 0.28/0.62.
const trueA = 0.28 / 0.62;
const budgets = Array.from({ length: 7 }, (_, k) => 1e18 * 3 ** k);

test('isoflop --run --checkpoints post-decay --at-budgets: WSD decay ends read at budgets recover the true N*(C) exponent within 0.02', async () => {
  const r = await isoflopAnalysis.run(wsdCurves(), {
    run: 'run',
    tokens: 'tokens',
    checkpoints: 'post-decay',
    phase: 'phase',
    atBudgets: budgets,
    budgetTolerance: 1e-9,
  });
  const fit = r.groups[0]!.fit!;
  assert.ok(Math.abs(fit.a - trueA) < 0.02, `a = ${fit.a}, truth ${trueA}`);
  // Which runs reach which budget is reported; a budget beyond every run's last decay has none.
  assert.ok(r.checkpoints!.reached!.every((b) => b.runs >= 0));
  assert.ok(r.checkpoints!.reached!.filter((b) => b.runs >= 3).length >= 5, JSON.stringify(r.checkpoints!.reached));
  assert.deepEqual(r.checkpoints!.warnings, []);
  // Every checkpoint read as a finished run: warned (the stable-phase checkpoints sit 3% high).
  const all = await isoflopAnalysis.run(wsdCurves(), { run: 'run', tokens: 'tokens', atBudgets: budgets, budgetTolerance: 1e-9 });
  assert.deepEqual(
    all.checkpoints!.warnings.map((w) => w.code),
    ['intermediate-checkpoints'],
  );
});

test('curves at budgets: log-log interpolation between the checkpoints around each budget; a run reaches only the budgets it spans', () => {
  const t = table(
    ['run', 'tokens', 'N', 'loss'],
    [
      ['a', 1e9, 1e8, 4],
      ['a', 4e9, 1e8, 2],
    ],
  );
  // C = 6·N·D: 6e17 to 2.4e18; at 1.2e18 (half-way in log C) the loss is √(4·2).
  const r = curvesAtBudgets(t, { run: 'run', params: 'N', tokens: 'tokens', structural: [] }, [1e17, 1.2e18, 1e19]);
  assert.equal(r.table.rows.length, 1);
  assert.ok(Math.abs((r.table.rows[0]!.values.loss as number) - Math.sqrt(8)) < 1e-12);
  assert.ok(Math.abs((r.table.rows[0]!.values.tokens as number) - 2e9) < 1e-3);
  assert.deepEqual(
    r.reached.map((b) => b.runs),
    [0, 1, 0],
  );
});

test('fit --run --checkpoints all: the cluster bootstrap resamples runs and holds the truth as often as it says; the row bootstrap does not', async () => {
  // Each run's curve shifted by its own 1% offset: rows of a run are not independent, and a row bootstrap
  // treats 240 rows as 240 draws where there are 10.
  let cluster = 0,
    row = 0;
  const seeds = 16;
  for (let seed = 0; seed < seeds; seed++) {
    // Every checkpoint on the law (no stable-phase excess), so every row is a finished run of its length.
    const t = wsdCurves(0.01, seed, 1);
    const o = { params: 'params', tokens: 'tokens', bootstrap: 60, seed, calibrate: false, budget: [1e20] };
    const byRun = await fitAnalysis.run(t, { ...o, run: 'run', checkpoints: 'all' as const });
    const byRow = await fitAnalysis.run(t, o);
    assert.equal(byRun.report.bootstrap!.unit, 'run');
    assert.equal(byRow.report.bootstrap!.unit, 'row');
    const holds = (ci: [number, number]) => ci[0] <= trueA && trueA <= ci[1];
    if (holds(byRun.report.bootstrap!.ci95.a!)) cluster++;
    if (holds(byRow.report.bootstrap!.ci95.a!)) row++;
  }
  console.log(`# a's 95% interval holds the truth: cluster bootstrap ${cluster}/${seeds}, row bootstrap ${row}/${seeds}`);
  assert.ok(cluster >= 13, `cluster ${cluster}/${seeds}`);
  assert.ok(row <= cluster - 3, `row ${row} vs cluster ${cluster}`);
});

const dir = tempFiles({ 'ck.csv': 'run,step,params,tokens,loss\na,1,1e8,1e9,3\na,1,1e8,2e9,2.9\n' });
const f = join(dir, 'ck.csv');
testBadInputs([
  ['step without run', ['fit', f, '--tokens', 'tokens', '--step', 'step'], "--step needs --run COL (the column naming each row's run)"],
  [
    'two checkpoints at one step',
    ['fit', f, '--tokens', 'tokens', '--run', 'run', '--step', 'step'],
    `${f}, row 2, column "step": run "a" has two checkpoints at step = 1`,
  ],
  ['post-decay without phase', ['fit', f, '--tokens', 'tokens', '--run', 'run', '--checkpoints', 'post-decay'], '--checkpoints post-decay needs --phase COL'],
  [
    'bad smoothing',
    ['fit', f, '--tokens', 'tokens', '--run', 'run', '--smooth', 'last:0'],
    '--smooth "last:0": expected last:K (K ≥ 1 evaluations) or ema:A (0 < A ≤ 1, the newest evaluation\'s weight)',
  ],
  [
    'at-budgets without run',
    ['isoflop', f, '--tokens', 'tokens', '--at-budgets', '1e18'],
    "--at-budgets needs --run COL: the column naming each checkpoint's run",
  ],
]);

test('l2l --run --checkpoints all: the line bootstrap draws whole runs (bootstrap.unit run); without --run, pairs', async () => {
  const { l2lAnalysis } = await import('../../src/analyses/l2l.js');
  const t = wsdCurves(0.01, 3, 1);
  const withY = { columns: [...t.columns, 'y'], rows: t.rows.map((r) => ({ ...r, values: { ...r.values, y: 0.9 * (r.values.loss as number) } })) };
  const o = { params: 'params', tokens: 'tokens', x: 'loss', y: 'y', ex: 1, ey: 0.5, bootstrap: 50 };
  const byRun = (await l2lAnalysis.run(withY, { ...o, run: 'run', checkpoints: 'all' })).report as { bootstrap: { unit: string } };
  const byPair = (await l2lAnalysis.run(withY, o)).report as { bootstrap: { unit: string } };
  assert.equal(byRun.bootstrap.unit, 'run');
  assert.equal(byPair.bootstrap.unit, 'pair');
});
