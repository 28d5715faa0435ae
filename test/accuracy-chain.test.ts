// The chained accuracy forecast N, D → task loss → accuracy (fit --accuracy): coverage of its interval on a
// synthetic truth over seeds, how its draws pair with the loss law's, the saved fit and predict.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fitAnalysis } from '../src/analyses/fit.js';
import { parseFilter } from '../src/data/where.js';
import { boundedSigmoidLink } from '../src/laws/accuracy-link.js';
import { fitReportSchema } from '../src/schema/fit.js';
import { predictReportSchema } from '../src/schema/predict.js';
import { readSavedFit } from '../src/schema/saved-fit.js';
import { studySchema, type Study } from '../src/schema/study.js';
import { studyCommand } from '../src/report/study.js';
import { chainOptions, TARGET, trueAccuracy, truthTable } from './helpers/accuracy-truth.js';
import { scalewise, tempFiles } from './helpers/cli.js';
import { SWEEP, SWEEP_RUNS } from './helpers/kempner.js';

test('chained accuracy ci95 holds the true accuracy of a run 2.5x beyond the fitted sizes in at least 28 of 30 seeds', async () => {
  // bench/accuracy-coverage.ts over 200 seeds with B = 200 counts 197/200 (and 194/200 for the loss interval).
  let held = 0;
  const truth = trueAccuracy(TARGET.N, TARGET.D);
  for (let seed = 0; seed < 30; seed++) {
    const t = (await fitAnalysis.run(truthTable(seed), chainOptions(seed, 100))).report.targets![0]!;
    if (t.accuracyCi95![0] <= truth && truth <= t.accuracyCi95![1]) held++;
  }
  assert.ok(held >= 28, `${held}/30`);
});

test('the chained forecast is the link at the predicted loss, its draws paired with the loss law on the same resampled runs', async () => {
  const r = await fitAnalysis.run(truthTable(3), chainOptions(3, 50));
  const a = r.report.accuracyLaw!;
  const t = r.report.targets![0]!;
  assert.equal(a.paired, true);
  const link = boundedSigmoidLink(0.25);
  assert.equal(t.accuracyPredicted, link.predict([a.params.top!, a.params.k!, a.params.L0!], t.predicted));
  assert.equal(t.accuracyRelErr, (t.accuracyPredicted! - t.accuracy!) / t.accuracy!);
  assert.ok(t.accuracyCi95![0] < t.accuracyPredicted! && t.accuracyPredicted! < t.accuracyCi95![1]);
  fitReportSchema.parse(r.report);
  // Rows of its own for step 2 (--error-fit-where): its draws resample them on a stream of their own.
  const own = await fitAnalysis.run(truthTable(3), { ...chainOptions(3, 50), errorFitWhere: [parseFilter('target=0')] });
  assert.equal(own.report.accuracyLaw!.paired, false);
  assert.deepEqual(own.report.accuracyLaw!.params, a.params);
  // Checkpoints of runs (--run, --checkpoints all): both steps' draws resample the same whole runs.
  const table = truthTable(3);
  table.columns.push('run');
  table.rows.forEach((r, i) => {
    r.values.run = `r${Math.floor(i / 3)}`;
  });
  const runs = await fitAnalysis.run(table, { ...chainOptions(3, 20), run: 'run', checkpoints: 'all' });
  assert.equal(runs.report.bootstrap!.unit, 'run');
  assert.equal(runs.report.accuracyLaw!.paired, true);
});

test("kempner hellaswag: --save carries the accuracy link, and predict at a held-out run gives the fit's chained and direct accuracy", async () => {
  const dir = tempFiles({});
  const file = join(dir, 'fit.json');
  const args = ['fit', SWEEP, ...SWEEP_RUNS, '--loss', 'loss_task_hellaswag', '--where', 'datamix=fineweb', '--holdout-top', '1'];
  const acc = ['--accuracy', 'acc_lennorm_task_hellaswag', '--chance', '0.25', '--anchor', '0:1', '--bootstrap', '40', '--seed', '1', '--no-calibrate'];
  const fit = await scalewise(...args, ...acc, '--json', '--save', file);
  assert.equal(fit.status, 0, fit.stderr);
  const report = fitReportSchema.parse(JSON.parse(fit.stdout));
  const saved = readSavedFit(JSON.parse(readFileSync(file, 'utf8')), file);
  assert.deepEqual(saved.accuracyLaw!.params, report.accuracyLaw!.params);
  assert.equal(saved.accuracyLaw!.bootstrap!.theta.length, 40);
  const t = report.targets![0]!;
  const p = await scalewise('predict', file, '--n', String(t.N), '--d', String(t.D), '--json');
  assert.equal(p.status, 0, p.stderr);
  const out = predictReportSchema.parse(JSON.parse(p.stdout)).predictions[0]!;
  assert.ok(Math.abs(out.accuracy! - t.accuracyPredicted!) < 1e-12, `${out.accuracy} vs ${t.accuracyPredicted}`);
  assert.deepEqual(out.accuracyCi95, t.accuracyCi95);
  // The fit evaluates the direct law at the run's iso_flop C, predict at 6ND: the same law, a slightly different C.
  assert.ok(Math.abs(out.accuracyDirect! - t.accuracyDirect!) / t.accuracyDirect! < 0.01);
  assert.equal(out.error, undefined);
});

test('a study entry takes accuracy, chance and anchor, and prints the fit command they stand for', () => {
  const study = studySchema.parse({
    title: 'accuracy',
    data: ['kempner/runs.csv'],
    columns: { params: 'params', tokens: 'tokens', flops: 'iso_flop', loss: 'loss_task_hellaswag' },
    analyses: [{ kind: 'fit', where: ['datamix=fineweb'], holdoutTop: 1, accuracy: 'acc_lennorm_task_hellaswag', chance: '0.25', anchor: ['0:1'] }],
  }) as Study;
  const args = studyCommand(study, study.analyses[0]!);
  const text = args.join(' ');
  for (const part of ['--accuracy acc_lennorm_task_hellaswag', '--chance 0.25', '--anchor 0:1']) assert.ok(text.includes(part), text);
});
