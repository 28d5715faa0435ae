// Downstream-error laws: gradients of both links, Gadre et al.'s error fit against scipy, recovery of a
// known sigmoid, and the long-format 17-task mean against the tabulated err_avg17.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bootstrapErrorLaw, fitErrorLaw } from '../../src/methods/downstream.js';
import { numericColumn } from '../../src/data/columns.js';
import { readTables } from '../../src/data/read.js';
import { taskMeans } from '../../src/data/task-mean.js';
import { applyFilters, parseFilter } from '../../src/data/where.js';
import { errorLinks, expLink, sigmoidLink } from '../../src/laws/error-link.js';
import { root } from '../helpers/cli.js';

const models = join(root, 'datasets/overtraining/models.csv');
const long = join(root, 'datasets/overtraining/downstream-redpajama-17.csv');

const thetas: Record<string, number[]> = { exp: [2.2, 0.71, 0.86], sigmoid: [0.3, 0.9, 2.5, 3.4] };
for (const [name, link] of Object.entries(errorLinks)) {
  test(`${name} link: analytic gradient matches central differences`, () => {
    const theta = thetas[name]!;
    const grad = new Float64Array(theta.length);
    for (const L of [2.2, 3.1, 3.4, 4.7]) {
      link.predict(theta, L, grad);
      theta.forEach((v, j) => {
        const h = 1e-6 * Math.max(1, Math.abs(v));
        const up = [...theta],
          dn = [...theta];
        up[j]! += h;
        dn[j]! -= h;
        const fd = (link.predict(up, L) - link.predict(dn, L)) / (2 * h);
        assert.ok(Math.abs(fd - grad[j]!) <= 1e-7 * Math.max(1, Math.abs(fd)), `d/d${link.paramNames[j]} at L=${L}: ${grad[j]} vs ${fd}`);
      });
    }
  });
}

test("exp link: Gadre et al.'s error fit on the 6 RedPajama error-fit runs matches scipy curve_fit", async () => {
  const table = applyFilters(await readTables([models]), [parseFilter('dataset=redpajama'), parseFilter('default_fit_error=1')]);
  const fit = fitErrorLaw(expLink, numericColumn(table, 'loss_c4_val'), numericColumn(table, 'err_avg17'));
  assert.equal(fit.n, 6);
  // scipy 1.17 curve_fit(lambda t, a, b, E: E - a*exp(-b*t), loss, err, maxfev=10000) from p0 = (1, 1, 1), as in
  // mlfoundations/scaling scaling/shared.py `fit_ds`, run on these rows: a = 2.20649007, b = 0.71459055, E = 0.85699193.
  const want = { k: 2.20649007, gamma: 0.71459055, epsilon: 0.85699193 };
  for (const [k, v] of Object.entries(want)) assert.ok(Math.abs(fit.params[k]! - v) <= 2e-6 * v, `${k}: ${fit.params[k]} vs ${v}`);
  assert.ok(fit.converged);
});

test('sigmoid link: least squares recovers a known curve from noiseless points', () => {
  const truth = [0.25, 0.75, 3, 3.2];
  const loss = Float64Array.from({ length: 12 }, (_, i) => 2.2 + 0.2 * i);
  const error = loss.map((L) => sigmoidLink.predict(truth, L));
  const fit = fitErrorLaw(sigmoidLink, loss, error);
  truth.forEach((v, j) => {
    assert.ok(Math.abs(fit.theta[j]! - v) <= 1e-6 * Math.abs(v), `${sigmoidLink.paramNames[j]}: ${fit.theta[j]} vs ${v}`);
  });
  assert.deepEqual(fit.warnings, []);
});

test('sigmoid link on runs that sit on one tail says the floor is not identified', async () => {
  const table = applyFilters(await readTables([models]), [parseFilter('dataset=redpajama'), parseFilter('default_fit_error=1')]);
  const fit = fitErrorLaw(sigmoidLink, numericColumn(table, 'loss_c4_val'), numericColumn(table, 'err_avg17'));
  assert.ok(
    fit.warnings.some((w) => w.code === 'error-law-unidentified' && /^error law: lo = .* is outside \[0, 1\]/.test(w.message)),
    fit.warnings.map((w) => w.message).join('; '),
  );
});

test('error-law bootstrap: same seed, same draws; the draws spread around the fit', () => {
  const loss = Float64Array.of(4.7, 3.7, 3.4, 3.1, 3.9, 2.8, 2.6, 3.3);
  const error = loss.map((L, i) => expLink.predict([2.2, 0.71, 0.86], L) + 0.003 * Math.sin(7 * i));
  const fit = fitErrorLaw(expLink, loss, error);
  const a = bootstrapErrorLaw(expLink, loss, error, fit.theta, 50, 3);
  assert.deepEqual(a, bootstrapErrorLaw(expLink, loss, error, fit.theta, 50, 3));
  const eps = Array.from({ length: 50 }, (_, i) => a[i * 3 + 2]!).sort((x, y) => x - y);
  assert.ok(eps[2]! < fit.params.epsilon! && fit.params.epsilon! < eps[47]!, `epsilon ${fit.params.epsilon} outside [${eps[2]}, ${eps[47]}]`);
});

test('long format: the 17-task mean of each RedPajama run equals models.csv err_avg17', async () => {
  const table = applyFilters(await readTables([models]), [parseFilter('dataset=redpajama')]);
  const tasks = [...new Set((await readTables([long])).rows.map((r) => String(r.values.task)))];
  assert.equal(tasks.length, 17);
  const mean = taskMeans(await readTables([long]), { join: 'run_name', taskColumn: 'task', value: 'error', tasks });
  const want = numericColumn(table, 'err_avg17');
  assert.equal(table.rows.length, 35);
  table.rows.forEach((r, i) => {
    const got = mean(r.values.run_name ?? null, r.origin);
    assert.ok(Math.abs(got - want[i]!) <= 1e-12, `${r.values.run_name}: ${got} vs ${want[i]}`);
  });
});

test('long format: a run without a listed task, or with one twice, is an error naming it', async () => {
  const t = await readTables([long]);
  const mean = taskMeans(t, { join: 'run_name', taskColumn: 'task', value: 'error', tasks: ['arc_easy', 'no_such_task'] });
  assert.throws(() => mean('rpj-open_lm_7b-1.0', { file: 'models.csv', row: 3 }), {
    message: `models.csv, row 3, column "run_name": run "rpj-open_lm_7b-1.0" has no row for task "no_such_task" in ${long}`,
  });
  const twice = { columns: t.columns, rows: [...t.rows, t.rows[0]!] };
  assert.throws(() => taskMeans(twice, { join: 'run_name', taskColumn: 'task', value: 'error', tasks: ['arc_easy', String(t.rows[0]!.values.task)] }), {
    message: `${long}, row 1: run "${t.rows[0]!.values.run_name}" has task "${t.rows[0]!.values.task}" a second time`,
  });
});
