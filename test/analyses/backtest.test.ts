// Leave-future-out backtests (rolling origin): a law recovers its own synthetic truth at every distance; a
// misspecified one errs more the further it extrapolates; the last cut is exactly `fit --holdout-top 1`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backtestAnalysis, type BacktestResult } from '../../src/analyses/backtest.js';
import type { Table } from '../../src/data/table.js';
import { fitReportSchema } from '../../src/schema/fit.js';
import { scalewise } from '../helpers/cli.js';
import { chinchillaTruth, kaplanTruth, sweep } from '../helpers/sweeps.js';
import { SWEEP, SWEEP_LOSS } from '../helpers/kempner.js';

const run = (table: Table, candidates: string[]): Promise<BacktestResult> =>
  backtestAnalysis.run(table, { params: 'N', tokens: 'D', flops: 'C', candidates, minFit: 3 });

test('a law backtested on its own exact truth forecasts every later run, at every distance, to within 1e-4', async () => {
  const r = await run(sweep(chinchillaTruth), ['chinchilla:huber']);
  const c = r.groups[0]!.candidates[0]!;
  // Cuts after the 3rd, 4th and 5th budget: 3·7 + 2·7 + 1·7 later runs.
  assert.equal(c.cuts.length, 3);
  assert.equal(c.forecasts.length, 42);
  assert.ok(c.forecasts.every((f) => f.distance > 1));
  assert.ok(c.summary.meanAbsRelErr < 1e-4, `${c.summary.meanAbsRelErr}`);
  assert.ok(Math.max(...c.forecasts.map((f) => Math.abs(f.relErr))) < 1e-3);
  assert.equal(c.summary.coverage, null, 'no bootstrap, no coverage');
});

test('a misspecified law errs more the further it extrapolates; the right family does not', async () => {
  const r = await run(sweep(kaplanTruth), ['chinchilla:huber', 'kaplan:huber']);
  const [chin, kap] = r.groups[0]!.candidates;
  const near = chin!.byDistance[0]!,
    far = chin!.byDistance.at(-1)!;
  assert.ok(far.from > near.from);
  assert.ok(far.meanAbsRelErr > 2 * near.meanAbsRelErr, `near ${near.meanAbsRelErr}, far ${far.meanAbsRelErr}`);
  assert.ok(kap!.summary.meanAbsRelErr < chin!.summary.meanAbsRelErr / 5, `kaplan ${kap!.summary.meanAbsRelErr} vs chinchilla ${chin!.summary.meanAbsRelErr}`);
  // The bins partition the forecasts.
  assert.equal(
    chin!.byDistance.reduce((s, b) => s + b.forecasts, 0),
    chin!.forecasts.length,
  );
});

test('529-run sweep: the last cut forecasts the top budget exactly as fit --holdout-top 1 does', async () => {
  const common = [SWEEP, ...SWEEP_LOSS, '--where', 'datamix=fineweb', '--json'];
  const bt = await scalewise('backtest', ...common, '--candidates', 'chinchilla:huber');
  assert.equal(bt.status, 0, bt.stderr);
  const fit = await scalewise('fit', ...common, '--holdout-top', '1');
  const targets = fitReportSchema.parse(JSON.parse(fit.stdout)).targets!;
  const c = (JSON.parse(bt.stdout) as BacktestResult).groups[0]!.candidates[0]!;
  const last = c.cuts.at(-1)!;
  const top = c.forecasts.filter((f) => f.cut === last);
  assert.equal(top.length, targets.length);
  for (const [i, t] of targets.entries()) {
    assert.equal(top[i]!.run, `${t.file}:${t.row}`);
    assert.equal(top[i]!.predicted, t.predicted);
  }
  // README / docs/fit.md: every top-budget run of this datamix is over-predicted (0.624% mean error).
  assert.ok(top.every((f) => f.relErr > 0));
  assert.ok(Math.abs(top.reduce((s, f) => s + f.relErr, 0) / top.length - 0.00624) < 5e-6);
});

test('bad backtest options: one line naming the option', async () => {
  const base = ['backtest', SWEEP, ...SWEEP_LOSS, '--where', 'datamix=fineweb'];
  const cases: [string[], string][] = [
    [
      ['--candidates', 'hoffman:huber'],
      '--candidates "hoffman:huber": expected LAW:OBJECTIVE with LAW one of chinchilla, kaplan, overtrain, data-constrained and OBJECTIVE one of huber, mse, asym',
    ],
    [['--min-fit', '8'], '8 budgets of compute: a backtest needs more than --min-fit = 8 (at least one to forecast)'],
    [['--by', 'time'], 'unknown cut variable "time" (known: compute, params, tokens)'],
    [['--label', 'nope'], '--label: no column "nope"'],
  ];
  for (const [args, message] of cases) {
    const r = await scalewise(...base, ...args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `scalewise: error: ${message}\n`);
  }
});
