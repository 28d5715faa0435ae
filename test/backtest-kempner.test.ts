// The README's backtest on Brandfonbrener et al.'s 529-run sweep: hold out the top budget (4.84e19 FLOP) of each
// datamix, fit L(N, D) on the seven below, score the held-out runs. The expected numbers are the README's table
// ("Backtest: forecasting the top budget of the 529-run sweep"), measured with this command; the test keeps the
// README honest and fails if the selection, the fit or the scoring changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitReportSchema } from '../src/schema/fit.js';
import { predictReportSchema } from '../src/schema/predict.js';
import { scalewise, tempFiles } from './helpers/cli.js';

// datamix → [held-out runs, mean |relative error| in % for chinchilla, for kaplan]
const table: Record<string, [number, number, number]> = {
  fineweb: [11, 0.624, 1.358],
  fineweb_edu: [10, 0.757, 1.56],
  proof_pile_2: [11, 0.638, 1.721],
  slimpajama: [12, 0.608, 1.29],
  smollm: [11, 0.88, 1.859],
  starcoder: [11, 0.799, 2.293],
};

async function backtest(datamix: string, law: string, ...more: string[]) {
  const r = await scalewise(
    'fit',
    'datasets/kempner/runs.csv',
    '--law',
    law,
    '--params',
    'params',
    '--tokens',
    'tokens',
    '--flops',
    'iso_flop',
    '--loss',
    'loss_val_own',
    '--where',
    `datamix=${datamix}`,
    '--holdout-top',
    '1',
    '--json',
    ...more,
  );
  assert.equal(r.status, 0, r.stderr);
  return fitReportSchema.parse(JSON.parse(r.stdout));
}

for (const [datamix, [runs, chinchilla, kaplan]] of Object.entries(table)) {
  test(`529-run sweep, ${datamix}: top budget held out, L(N, D) forecasts as in the README`, async () => {
    const c = await backtest(datamix, 'chinchilla');
    assert.equal(c.targets!.length, runs);
    assert.ok(c.targets!.every((t) => Math.abs((6 * t.N * t.D) / 4.84e19 - 1) < 1e-3));
    assert.ok(Math.abs(c.meanAbsRelErr! * 100 - chinchilla) < 5e-4, `chinchilla ${c.meanAbsRelErr! * 100}%`);
    // Every held-out run did better than the law fitted below it forecasts (README: "biased").
    assert.ok(c.targets!.every((t) => t.predicted > t.loss));
    const k = await backtest(datamix, 'kaplan');
    assert.ok(Math.abs(k.meanAbsRelErr! * 100 - kaplan) < 5e-4, `kaplan ${k.meanAbsRelErr! * 100}%`);
  });
}

test('529-run sweep: the bootstrap interval of the forecast loss rarely covers a held-out run (README)', async () => {
  const r = await backtest('fineweb', 'chinchilla', '--bootstrap', '200', '--seed', '1');
  const covered = r.targets!.filter((t) => t.ci95![0] <= t.loss && t.loss <= t.ci95![1]).length;
  assert.ok(covered <= 1, `${covered} of ${r.targets!.length} covered`);
});

test('529-run sweep: fit --holdout-top 1 gives every held-out run a pi95, and pi95 holds ≥ 90% of the 66 (ci95 a few)', async () => {
  let held = 0;
  let covered = 0;
  for (const datamix of Object.keys(table)) {
    const r = await backtest(datamix, 'chinchilla');
    // Seven budgets fitted: four rolling-origin cuts calibrate the interval (docs/backtest.md).
    assert.equal(r.calibration!.cuts, 4);
    for (const t of r.targets!) {
      assert.ok(t.pi95![0] < t.predicted && t.predicted < t.pi95![1]);
      held++;
      if (t.pi95![0] <= t.loss && t.loss <= t.pi95![1]) covered++;
    }
  }
  assert.equal(held, 66);
  // Measured: 63 of 66, as the backtest's last cut (test/analyses/calibration.test.ts).
  assert.ok(covered >= 60, `${covered} of ${held}`);
});

test('save → predict: the saved calibration gives predict the pi95 the fit gave its held-out runs', async () => {
  const dir = tempFiles({});
  const file = join(dir, 'fw.json');
  const fit = await backtest('fineweb', 'chinchilla', '--save', file);
  const t = fit.targets![0]!;
  const p = await scalewise('predict', file, '--n', String(t.N), '--d', String(t.D), '--json');
  assert.equal(p.status, 0, p.stderr);
  const pred = predictReportSchema.parse(JSON.parse(p.stdout)).predictions[0]!;
  // predict's C is 6ND; the fit's distance used the run's own compute column (iso_flop), equal to 1e-3 here.
  assert.ok(Math.abs(pred.pi95![0] / t.pi95![0] - 1) < 1e-4 && Math.abs(pred.pi95![1] / t.pi95![1] - 1) < 1e-4, `${pred.pi95} vs ${t.pi95}`);
});

test("the forecast figure draws each held-out run's pi95 behind its ci95, and says how many it holds", async () => {
  const dir = tempFiles({});
  const r = await scalewise(
    'fit',
    ...['datasets/kempner/runs.csv', '--params', 'params', '--tokens', 'tokens', '--flops', 'iso_flop', '--loss', 'loss_val_own'],
    '--where',
    'datamix=fineweb',
    '--holdout-top',
    '1',
    '--bootstrap',
    '50',
    '--seed',
    '1',
    '--plot',
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  const svg = readFileSync(join(dir, 'fit-forecasts.svg'), 'utf8');
  // One wide bar (pi95) and one thin bar (ci95) per held-out run: 11 of each.
  assert.equal(svg.match(/class="sw-new-run"/g)?.length ?? 0, 1);
  assert.equal((svg.split('class="sw-new-run"')[1]!.split('</g>')[0]!.match(/<line/g) ?? []).length, 11);
  assert.equal((svg.split('class="sw-interval"')[1]!.split('</g>')[0]!.match(/<line/g) ?? []).length, 11);
  assert.match(svg, /holding 11 of 11/);
});
