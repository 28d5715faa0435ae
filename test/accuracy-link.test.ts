// The bounded accuracy link (Bhagia et al. 2024, step 2) against scipy's curve_fit, its gradient, the direct law's
// closed form, and the accuracy options' bad input.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { numericColumn } from '../src/data/columns.js';
import { readTables } from '../src/data/read.js';
import { applyFilters, parseFilter } from '../src/data/where.js';
import { boundedSigmoidLink } from '../src/laws/accuracy-link.js';
import { fitDirectAccuracy, predictDirectAccuracy } from '../src/methods/accuracy-direct.js';
import { fitAccuracyLink } from '../src/methods/accuracy-link.js';
import { root, tempFiles, testBadInputs } from './helpers/cli.js';
import { SWEEP, SWEEP_RUNS } from './helpers/kempner.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// Printed by bench/reference/accuracy_link_reference.py (scipy 1.17.1, curve_fit with bounds [0.25, 0, -inf] to
// [1, inf, inf]) on datasets/kempner/runs.csv, datamix=fineweb (90 rows), chance 0.25.
const SCIPY = {
  hellaswag_anchor: { top: 0.9999999999999999, k: 3.2225944190405844, L0: 2.0881455779031657, sse: 0.003688696014820022 },
  hellaswag_none: { top: 0.9999999999999999, k: 3.2223533028235374, L0: 2.088104953144027, sse: 0.0036878935779997312 },
  arc_easy_none: { top: 0.641161187631965, k: 1.3481355200144707, L0: 4.909786463271939, sse: 0.01471653108050485 },
};

for (const [name, lossCol, accCol, anchors] of [
  ['hellaswag_anchor', 'loss_task_hellaswag', 'acc_lennorm_task_hellaswag', [{ loss: 0, accuracy: 1 }]],
  ['hellaswag_none', 'loss_task_hellaswag', 'acc_lennorm_task_hellaswag', []],
  ['arc_easy_none', 'loss_task_arc_easy', 'acc_task_arc_easy', []],
] as const) {
  test(`bounded link ${name}: scipy curve_fit's optimum on kempner fineweb to 1e-6`, async () => {
    const table = applyFilters(await readTables([join(root, SWEEP)]), [parseFilter('datamix=fineweb')]);
    const fit = fitAccuracyLink(boundedSigmoidLink(0.25), numericColumn(table, lossCol), numericColumn(table, accCol), anchors);
    const want = SCIPY[name];
    assert.equal(fit.n, 90);
    for (const k of ['top', 'k', 'L0'] as const) assert.ok(rel(fit.params[k]!, want[k]) < 1e-6, `${k}: ${fit.params[k]} vs scipy ${want[k]}`);
    assert.ok(rel(2 * fit.objective, want.sse) < 1e-6, `sse ${2 * fit.objective} vs ${want.sse}`);
    // The ceiling lands on its bound where scipy's does, and is then held there exactly.
    assert.equal(fit.topHeld, want.top > 1 - 1e-9);
  });
}

test('bounded link: the gradient equals central differences, and the curve runs from 1-ish down to chance', () => {
  const link = boundedSigmoidLink(0.25);
  const theta = Float64Array.of(0.9, 3, 2.1);
  const g = new Float64Array(3);
  for (const L of [0, 1.5, 2.1, 2.6, 4]) {
    link.predict(theta, L, g);
    for (let j = 0; j < 3; j++) {
      const h = 1e-6;
      const up = theta.slice(),
        down = theta.slice();
      up[j]! += h;
      down[j]! -= h;
      const fd = (link.predict(up, L) - link.predict(down, L)) / (2 * h);
      assert.ok(Math.abs(fd - g[j]!) < 1e-8, `L=${L} θ${j}: ${g[j]} vs ${fd}`);
    }
  }
  // At L0 the accuracy is halfway between chance and the ceiling; far above L0 it is chance.
  assert.ok(Math.abs(link.predict(theta, 2.1) - (0.25 + 0.9) / 2) < 1e-15);
  assert.ok(Math.abs(link.predict(theta, 50) - 0.25) < 1e-15);
});

test('direct law: recovers A and alpha exactly from -log Q = A*C^-alpha', () => {
  const C = [1e18, 3e18, 1e19, 4e19, 1e20];
  const truth = { A: 20, alpha: 0.07 };
  const Q = C.map((c) => predictDirectAccuracy(truth, c));
  const fit = fitDirectAccuracy(C, Q);
  assert.ok(rel(fit.params.A, truth.A) < 1e-9, `${fit.params.A}`);
  assert.ok(rel(fit.params.alpha, truth.alpha) < 1e-9, `${fit.params.alpha}`);
});

const bad = tempFiles({
  'runs.csv': 'N,D,loss,acc,chance\n1e8,2e9,3.1,0.3,0.25\n2e8,4e9,2.9,1.3,0.25\n4e8,8e9,2.7,0.4,0.25\n8e8,1.6e10,2.6,0.45,0.3\n1.6e9,3.2e10,2.5,0.5,0.25\n',
});
const RUNS = ['fit', join(bad, 'runs.csv'), '--params', 'N', '--tokens', 'D', '--loss', 'loss', '--no-calibrate'];
testBadInputs([
  ['--accuracy outside [0, 1]', [...RUNS, '--accuracy', 'acc'], `${join(bad, 'runs.csv')}: row 2: column "acc" (--accuracy): accuracy 1.3 is not in [0, 1]`],
  [
    '--chance outside [0, 1)',
    ['fit', SWEEP, ...SWEEP_RUNS, '--loss', 'loss_task_hellaswag', '--accuracy', 'acc_lennorm_task_hellaswag', '--chance', '1'],
    '--chance 1: the chance accuracy must be in [0, 1)',
  ],
  [
    '--chance column that varies',
    [...RUNS, '--where', 'acc<1', '--accuracy', 'acc', '--chance', 'chance'],
    `${join(bad, 'runs.csv')}: row 4: column "chance" (--chance): chance 0.3 differs from 0.25 on the first row (one link has one chance level)`,
  ],
  [
    '--anchor malformed',
    ['fit', SWEEP, ...SWEEP_RUNS, '--loss', 'loss_task_hellaswag', '--accuracy', 'acc_lennorm_task_hellaswag', '--anchor', '0=1'],
    '--anchor "0=1": expected LOSS:ACCURACY, two numbers (e.g. 0:1)',
  ],
  [
    '--anchor accuracy above 1',
    ['fit', SWEEP, ...SWEEP_RUNS, '--loss', 'loss_task_hellaswag', '--accuracy', 'acc_lennorm_task_hellaswag', '--anchor', '0:2'],
    '--anchor "0:2": the accuracy must be in [0, 1]',
  ],
  [
    '--accuracy with --error',
    ['fit', SWEEP, ...SWEEP_RUNS, '--loss', 'loss_task_hellaswag', '--accuracy', 'acc_lennorm_task_hellaswag', '--error', 'acc_task_arc_easy'],
    '--accuracy and --error exclude each other: give the column as accuracy or as error',
  ],
  ['--chance without --accuracy', ['fit', SWEEP, ...SWEEP_RUNS, '--loss', 'loss_task_hellaswag', '--chance', '0.25'], '--chance needs --accuracy COL'],
  [
    '--link exp with --accuracy',
    ['fit', SWEEP, ...SWEEP_RUNS, '--loss', 'loss_task_hellaswag', '--accuracy', 'acc_lennorm_task_hellaswag', '--link', 'exp'],
    '--link exp is a law of error; with --accuracy use bounded or sigmoid',
  ],
]);
