// fit --select backtest: the candidate that extrapolated best on the fit runs' own rolling origin is chosen,
// and then fitted exactly as `fit --law LAW --objective OBJECTIVE` fits it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BacktestResult } from '../../src/analyses/backtest.js';
import { fitReportSchema, type FitReport } from '../../src/schema/fit.js';
import { savedFitSchema } from '../../src/schema/saved-fit.js';
import { scalewise, tempFiles, testBadInputs } from '../helpers/cli.js';
import { chinchillaTruth, kaplanTruth, SMALL, sweepCsv } from '../helpers/sweeps.js';

const dir = tempFiles({
  'kaplan.csv': sweepCsv(kaplanTruth),
  'chinchilla.csv': sweepCsv(chinchillaTruth),
  'short.csv': sweepCsv(chinchillaTruth, { ...SMALL, budgets: 4 }),
});
const synthetic = (file: string) => [join(dir, file), '--params', 'N', '--tokens', 'D', '--flops', 'C'];

async function json(...args: string[]): Promise<{ report: FitReport; stdout: string }> {
  const r = await scalewise(...args, '--json');
  assert.equal(r.status, 0, r.stderr);
  return { report: fitReportSchema.parse(JSON.parse(r.stdout)), stdout: r.stdout };
}

/** The report's JSON without its `selection`, as the CLI prints it. */
function withoutSelection(stdout: string): string {
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  delete doc.selection;
  return `${JSON.stringify(doc)}\n`;
}

test('a Kaplan-form truth: --select backtest chooses kaplan:huber, whose forecasts are the better ones', async () => {
  const { report } = await json(
    'fit',
    ...synthetic('kaplan.csv'),
    '--select',
    'backtest',
    '--candidates',
    'chinchilla:huber,kaplan:huber',
    '--score-by',
    'far',
  );
  const s = report.selection!;
  assert.equal(s.chosen, 'kaplan:huber');
  // Scored by the last cut (the default), the same choice.
  const last = (await json('fit', ...synthetic('kaplan.csv'), '--select', 'backtest', '--candidates', 'chinchilla:huber,kaplan:huber')).report.selection!;
  assert.equal(last.chosen, 'kaplan:huber');
  assert.equal(last.scoreBy, 'last');
  assert.deepEqual(
    last.candidates.map((c) => c.scoredForecasts),
    [7, 7],
  );
  assert.equal(report.law, 'kaplan');
  assert.equal(s.budgets, 6);
  assert.equal(s.cuts, 3);
  // Cuts after the 3rd, 4th and 5th budget: 3·7 + 2·7 + 1·7 forecasts; the furthest (8×: budget 6 from cut 3) score.
  assert.deepEqual(s.bin, { from: 8, to: 16 });
  const [chin, kap] = s.candidates;
  assert.deepEqual(
    s.candidates.map((c) => [c.candidate, c.forecasts, c.scoredForecasts]),
    [
      ['chinchilla:huber', 42, 7],
      ['kaplan:huber', 42, 7],
    ],
  );
  assert.ok(kap!.score < chin!.score / 5, `kaplan ${kap!.score} vs chinchilla ${chin!.score}`);
  assert.ok(kap!.meanAbsRelErr < chin!.meanAbsRelErr / 5);
  assert.ok(chin!.score > chin!.meanAbsRelErr, 'the misspecified law errs more the further it reaches');
});

test('a Chinchilla truth: --select backtest chooses chinchilla (default candidates), to within 1e-4 at every distance', async () => {
  const { report } = await json('fit', ...synthetic('chinchilla.csv'), '--select', 'backtest');
  const s = report.selection!;
  assert.deepEqual(
    s.candidates.map((c) => c.candidate),
    ['chinchilla:huber', 'chinchilla:asym', 'kaplan:huber'],
  );
  assert.match(s.chosen, /^chinchilla:/);
  assert.equal(report.law, 'chinchilla');
  const chosen = s.candidates.find((c) => c.candidate === s.chosen)!;
  assert.ok(chosen.score < 1e-4 && chosen.meanAbsRelErr < 1e-4, `${chosen.score} ${chosen.meanAbsRelErr}`);
  assert.ok(s.candidates.every((c) => chosen.score <= c.score));
  assert.match(s.rule, /the forecasts of the last cut/);
});

test('the chosen fit is exactly fit --law LAW --objective OBJECTIVE: JSON, text and saved fit, apart from the selection', async () => {
  const out = tempFiles({});
  const sel = ['fit', ...synthetic('kaplan.csv'), '--select', 'backtest', '--candidates', 'chinchilla:huber,kaplan:huber', '--bootstrap', '20', '--seed', '3'];
  const plain = ['fit', ...synthetic('kaplan.csv'), '--law', 'kaplan', '--objective', 'huber', '--bootstrap', '20', '--seed', '3'];
  const a = await json(...sel, '--save', join(out, 'sel.json'));
  const b = await json(...plain, '--save', join(out, 'plain.json'));
  assert.deepEqual(a.report.params, b.report.params);
  assert.equal(withoutSelection(a.stdout), b.stdout);
  const saved = savedFitSchema.parse(JSON.parse(readFileSync(join(out, 'sel.json'), 'utf8')));
  assert.deepEqual(saved.selection, a.report.selection);
  assert.equal(saved.version, 1);
  const doc = JSON.parse(readFileSync(join(out, 'sel.json'), 'utf8')) as Record<string, unknown>;
  delete doc.selection;
  assert.equal(`${JSON.stringify(doc)}\n`, readFileSync(join(out, 'plain.json'), 'utf8'));
  // Text: the selection's lines and table, then exactly the plain fit's text.
  const text = await scalewise(...sel);
  const plainText = await scalewise(...plain);
  assert.equal(text.status, 0, text.stderr);
  const lines = text.stdout.split('\n');
  assert.match(
    lines[3]!,
    /^Specification chosen by backtest: kaplan:huber \(rolling origin on these runs, 3 cuts of 6 budgets; score: mean \|error\| of the forecasts of the last cut\)/,
  );
  assert.match(lines.find((l) => l.startsWith('kaplan:huber'))!, /chosen$/);
  // Lines 0–1 (law, objective), then the selection (a gap, its line, the table: header, rule, 2 rows).
  assert.equal([...lines.slice(0, 2), ...lines.slice(2 + 1 + 1 + 4)].join('\n'), plainText.stdout);
});

test('529-run sweep, FineWeb, top budget held out: the choice is deterministic and its scores are the backtest command’s', async () => {
  const common = [
    'datasets/kempner/runs.csv',
    '--where',
    'datamix=fineweb',
    '--params',
    'params',
    '--tokens',
    'tokens',
    '--flops',
    'iso_flop',
    '--loss',
    'loss_val_own',
  ];
  const a = await json('fit', ...common, '--holdout-top', '1', '--select', 'backtest');
  const again = await json('fit', ...common, '--holdout-top', '1', '--select', 'backtest');
  assert.equal(again.stdout, a.stdout);
  const s = a.report.selection!;
  // Measured: scored by the last cut (fitted on six budgets, forecasting the seventh), chinchilla:asym (0.33%
  // against huber 0.47%, kaplan 1.30%); its 11 top-budget forecasts err 0.33% (chinchilla:huber: 0.62%).
  assert.equal(s.chosen, 'chinchilla:asym');
  assert.equal(a.report.targets!.length, 11);
  assert.ok(Math.abs(a.report.meanAbsRelErr! - 0.0033) < 0.0005, `target MAE ${a.report.meanAbsRelErr}`);
  // Scored by the furthest bin instead: chinchilla:huber, whose top-budget forecasts err twice as much.
  const far = await json('fit', ...common, '--holdout-top', '1', '--select', 'backtest', '--score-by', 'far');
  assert.equal(far.report.selection!.chosen, 'chinchilla:huber');
  assert.ok(Math.abs(far.report.meanAbsRelErr! - 0.0062) < 0.0005, `target MAE ${far.report.meanAbsRelErr}`);
  const fs = far.report.selection!;
  // The fit runs are every budget below the top one (48.4e18): the backtest command on them gives the same scores.
  const bt = await scalewise('backtest', ...common, '--where', 'iso_flop<4e19', '--candidates', s.candidates.map((c) => c.candidate).join(','), '--json');
  assert.equal(bt.status, 0, bt.stderr);
  const g = (JSON.parse(bt.stdout) as BacktestResult).groups[0]!;
  assert.equal(g.budgets.length, s.budgets);
  for (const c of s.candidates) {
    // The last cut's forecasts: the backtest's forecasts from its last cut.
    const b = g.candidates.find((x) => x.candidate === c.candidate)!;
    const lastCut = b.forecasts.filter((f) => f.cut === b.cuts.at(-1));
    assert.equal(lastCut.length, c.scoredForecasts);
    assert.ok(Math.abs(lastCut.reduce((t, f) => t + Math.abs(f.relErr), 0) / lastCut.length - c.score) < 1e-12);
  }
  for (const c of fs.candidates) {
    const b = g.candidates.find((x) => x.candidate === c.candidate)!;
    const bin = b.byDistance.find((x) => x.from === fs.bin!.from)!;
    assert.equal(bin.to, fs.bin!.to);
    assert.equal(b.byDistance.at(-1), bin, 'the scored bin is the furthest');
    assert.equal(bin.forecasts, c.scoredForecasts);
    assert.ok(Math.abs(bin.meanAbsRelErr - c.score) < 1e-12, `${c.candidate}: bin ${bin.meanAbsRelErr} vs score ${c.score}`);
    assert.equal(b.summary.forecasts, c.forecasts);
    assert.ok(Math.abs(b.summary.meanAbsRelErr - c.meanAbsRelErr) < 1e-12);
    assert.ok(Math.abs(b.summary.bias - c.bias) < 1e-12);
  }
});

testBadInputs([
  [
    '--select backtest with --law',
    ['fit', ...synthetic('kaplan.csv'), '--select', 'backtest', '--law', 'kaplan'],
    '--select backtest chooses the law and objective: drop --law/--objective or list them in --candidates',
  ],
  [
    '--select backtest with --objective',
    ['fit', ...synthetic('kaplan.csv'), '--select', 'backtest', '--objective', 'mse'],
    '--select backtest chooses the law and objective: drop --law/--objective or list them in --candidates',
  ],
  ['--candidates without --select', ['fit', ...synthetic('kaplan.csv'), '--candidates', 'kaplan:huber'], '--candidates needs --select backtest'],
  ['--select with an unknown value', ['fit', ...synthetic('kaplan.csv'), '--select', 'aic'], 'unknown selection "aic" (known: none, backtest)'],
  [
    'a candidate that is not LAW:OBJECTIVE',
    ['fit', ...synthetic('kaplan.csv'), '--select', 'backtest', '--candidates', 'kaplan:l1'],
    '--candidates "kaplan:l1": expected LAW:OBJECTIVE with LAW one of chinchilla, kaplan, overtrain, data-constrained and OBJECTIVE one of huber, mse, asym',
  ],
  [
    'a candidate listed twice',
    ['fit', ...synthetic('kaplan.csv'), '--select', 'backtest', '--candidates', 'kaplan,kaplan:huber'],
    '--candidates: kaplan:huber is listed twice',
  ],
  [
    'a control a candidate law cannot take',
    ['fit', ...synthetic('kaplan.csv'), '--select', 'backtest', '--candidates', 'chinchilla,overtrain:mse', '--tie', 'alpha=beta'],
    '--candidates overtrain:mse: --tie "alpha=beta": unknown constant "alpha" of the overtrain law (constants: E, a, b, eta)',
  ],
  [
    'too few budgets for two cuts',
    ['fit', ...synthetic('short.csv'), '--select', 'backtest'],
    '--select backtest needs at least 5 compute budgets among the fit runs (cuts from the 3rd budget, at least 2 cuts); they have 4',
  ],
  [
    'weights from a column',
    ['fit', ...synthetic('kaplan.csv'), '--select', 'backtest', '--weights', 'col:N'],
    '--select backtest: --weights col:N cannot follow the runs into each cut yet; weight by C or sqrtC',
  ],
]);
