// Run-clustered bootstrap draws in the IsoFLOP analysis (src/methods/isoflop.ts, IsoflopPoints.run): when one run's
// loss curve gives points at several budgets (--at-budgets, --checkpoints all), a resample draws whole runs, each
// bringing its points at every budget. Coverage on synthetic truths over seeds: loss curves of a Chinchilla law
// (Hoffmann et al.'s constants, test/helpers/sweeps.ts) with a 1% offset per run (its seed, its data order) shared
// by all its checkpoints, read at budgets 3× apart; the truth is the law's a = β/(α + β) = 0.28/0.62.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoflopAnalysis } from '../../src/analyses/isoflop.js';
import { isoflop, type IsoflopPoints } from '../../src/methods/isoflop.js';
import type { Table } from '../../src/data/table.js';
import { Random } from '../../src/stats/random.js';
import { chinchillaTruth, SMALL, sweep } from '../helpers/sweeps.js';

const trueA = 0.28 / 0.62;
const budgets = Array.from({ length: 7 }, (_, k) => 1e18 * 3 ** k);

/**
 * Loss curves of `runs` sizes (2e7 to 1.4e9), each logged at 24 token counts 2^(1/3) apart (as the WSD curves of
 * test/data/checkpoints.test.ts, without the stable-phase excess: every checkpoint on the law), its loss times
 * the run's own offset exp(σ_run·z) and a checkpoint's exp(0.002·z).
 */
function lossCurves(runs: number, seed: number, sigmaRun = 0.01): Table {
  const rng = new Random(seed, 0);
  const rows: Table['rows'] = [];
  for (let r = 0; r < runs; r++) {
    const N = 2e7 * 1.6 ** ((9 * r) / (runs - 1));
    const offset = Math.exp(sigmaRun * rng.normal());
    for (let k = 0; k < 24; k++) {
      const D = 2e8 * 2 ** (k / 3) * (N / 2e7) ** 0.5;
      const loss = chinchillaTruth(N, D) * offset * Math.exp(0.002 * rng.normal());
      rows.push({ origin: { file: 'curves.csv', row: rows.length + 1 }, values: { run: `r${r}`, tokens: D, params: N, loss } });
    }
  }
  return { columns: ['run', 'tokens', 'params', 'loss'], rows };
}

const read = { run: 'run', tokens: 'tokens', checkpoints: 'all' as const, atBudgets: budgets };
const holds = (ci: [number, number] | undefined) => !!ci && ci[0] <= trueA && trueA <= ci[1];
/** The same points without their runs: the draws resample within each budget. */
const withinBudget = ({ run: _, ...points }: IsoflopPoints) => points;

test('isoflop --at-budgets --bootstrap: whole runs resampled across budgets; a’s 95% interval holds the truth about 95% of the time, within-budget draws far less', async () => {
  const seeds = 100;
  const count = { run: 0, row: 0, runData: 0, rowData: 0 };
  for (let seed = 0; seed < seeds; seed++) {
    const r = await isoflopAnalysis.run(lossCurves(20, seed), { ...read, bootstrap: 200, seed });
    const g = r.groups[0]!;
    assert.deepEqual(g.bootstrap, { unit: 'run', runs: 20 });
    if (holds(g.fit?.ci95?.a)) count.run++;
    const points = r.points[0]!;
    const within = isoflop(withinBudget(points), r.settings);
    assert.equal(within.bootstrap, undefined);
    if (holds(within.fit?.ci95?.a)) count.row++;
    // The point estimate skills uses (each budget's own minimum; src/methods/isoflop.ts pointEstimate 'data').
    const data = { ...r.settings, pointEstimate: 'data' as const };
    if (holds(isoflop(points, data).fit?.ci95?.a)) count.runData++;
    if (holds(isoflop(withinBudget(points), data).fit?.ci95?.a)) count.rowData++;
  }
  console.log(
    `# a's 95% interval holds a = ${trueA.toFixed(4)} in ${seeds} seeds: run draws ${count.run} (data point ${count.runData}), within-budget draws ${count.row} (data point ${count.rowData})`,
  );
  // 95 of 100 expected; a binomial(100, 0.95) falls in [89, 99] 99% of the time.
  assert.ok(count.run >= 89 && count.run <= 99, `run draws ${count.run}/${seeds}`);
  assert.ok(count.runData >= 89 && count.runData <= 99, `run draws, data point ${count.runData}/${seeds}`);
  // Within budgets the draws miss that a run's offset moves its points at every budget together.
  assert.ok(count.row <= 80, `within-budget draws ${count.row}/${seeds}`);
  assert.ok(count.rowData <= count.runData - 5, `within-budget draws, data point ${count.rowData} vs ${count.runData}`);
});

test('isoflop --run with one point per run (the ordinary table): draws within each budget, the same bytes as without --run', async () => {
  // An IsoFLOP sweep (6 budgets × 7 sizes, 1% noise), each row its own run.
  const t = sweep(chinchillaTruth, { ...SMALL, sigma: 0.01, seed: 1 });
  const runs: Table = { columns: [...t.columns, 'run'], rows: t.rows.map((r, i) => ({ ...r, values: { ...r.values, run: `r${i}` } })) };
  const o = { params: 'N', tokens: 'D', flops: 'C', bootstrap: 100, seed: 5 };
  const withRun = await isoflopAnalysis.run(runs, { ...o, run: 'run' });
  const plain = await isoflopAnalysis.run(t, o);
  const g = withRun.groups[0]!;
  assert.deepEqual(g.bootstrap, { unit: 'row', runs: 42 });
  assert.ok(g.fit?.ci95, 'intervals');
  const { bootstrap: _, ...rest } = g;
  assert.equal(JSON.stringify(rest), JSON.stringify(plain.groups[0]));
});

test('run draws are one resample at every budget: a run drawn once brings all its points; the seed fixes the bytes', async () => {
  const t = lossCurves(20, 7);
  const a = await isoflopAnalysis.run(t, { ...read, bootstrap: 50, seed: 2 });
  const b = await isoflopAnalysis.run(t, { ...read, bootstrap: 50, seed: 2 });
  assert.equal(JSON.stringify(a.groups), JSON.stringify(b.groups));
  // Points from 20 runs at 7 budgets (a run reaches only the budgets its curve spans).
  const points = a.points[0]!;
  assert.equal(new Set(Array.from(points.run!)).size, 20);
  assert.ok(points.C.length > 20);
});

test('skills --run --at-budgets --bootstrap: every skill’s draws and the pooled fit’s resamples are whole runs', async () => {
  const { skillsAnalysis } = await import('../../src/analyses/skills.js');
  const t = lossCurves(20, 11);
  const both: Table = { columns: [...t.columns, 'code'], rows: t.rows.map((r) => ({ ...r, values: { ...r.values, code: 1.1 * (r.values.loss as number) } })) };
  const o = { ...read, bootstrap: 50, seed: 4, aggregate: 'loss' };
  const r = await skillsAnalysis.run(both, { ...o, skills: [{ name: 'code', members: [{ column: 'code', weight: 1 }], text: 'code=code' }] });
  const g = r.groups[0]!;
  for (const s of [...g.skills, g.aggregate]) {
    assert.deepEqual(s.isoflop.bootstrap, { unit: 'run', runs: 20 });
    assert.equal(s.pooled!.unit, 'run');
  }
  // code = 1.1·loss: the same minima on the same draws (paired: one resample of runs for both), so its ratio to
  // the aggregate is 1 with the interval [1, 1] up to rounding.
  const ci = g.skills[0]!.ratioToAggregate.find((x) => x.ci95)!.ci95!;
  assert.ok(Math.abs(ci[0] - 1) < 1e-9 && Math.abs(ci[1] - 1) < 1e-9, `${ci}`);
  // Its a and interval are those of the IsoFLOP analysis of the same points with run draws (the data point estimate).
  const iso = await isoflopAnalysis.run(t, { ...read, bootstrap: 50, seed: 4 });
  const data = isoflop(iso.points[0]!, { ...iso.settings, pointEstimate: 'data' });
  assert.deepEqual(g.aggregate.isoflop.fit!.ci95!.a, data.fit!.ci95!.a);
});
