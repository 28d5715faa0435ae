// The README's backtest on Brandfonbrener et al.'s 529-run sweep: hold out the top budget (4.84e19 FLOP) of each
// datamix, fit L(N, D) on the seven below, score the held-out runs. The expected numbers are the README's table
// ("Backtest: forecasting the top budget of the 529-run sweep"), measured with this command; the test keeps the
// README honest and fails if the selection, the fit or the scoring changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitReportSchema } from '../src/schema/fit.js';
import { scalewise } from './helpers/cli.js';

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
