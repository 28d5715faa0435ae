// Checkpoint-scale tables (issue 15, item 2): 200,000 rows through fit, l2l and isoflop, past V8's ~125,000
// argument limit that `Math.max(...values)` hit, and the fit's subsample search against the full one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { scaleCsv, scaleTable } from '../bench/scale-data.js';
import { fitLaw, SEARCH_SUBSAMPLE } from '../src/fitting/fit.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { isoflop } from '../src/methods/isoflop.js';
import { lineSpread, type GroupLine } from '../src/methods/loss-to-loss.js';
import { subsampleIndex } from '../src/stats/subsample.js';
import { scalewise, tempFiles } from './helpers/cli.js';

const ROWS = 200_000;
const dir = tempFiles({ 'ckpt.csv': scaleCsv({ rows: ROWS }) });
const file = join(dir, 'ckpt.csv');

test(`fit on ${ROWS} checkpoint rows: completes, and recovers the truth's exponents`, async () => {
  const r = await scalewise('fit', file, '--params', 'N', '--tokens', 'D', '--loss', 'loss', '--no-calibrate', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.n, ROWS);
  // The table's truth: Hoffmann's α 0.34, β 0.28 (noise 0.5%).
  assert.ok(Math.abs(report.params.alpha - 0.34) < 0.01, `alpha ${report.params.alpha}`);
  assert.ok(Math.abs(report.params.beta - 0.28) < 0.01, `beta ${report.params.beta}`);
  assert.equal(report.search.converged, true);
});

test(`l2l on ${ROWS} pairs: completes with a finite line and intervals`, async () => {
  const r = await scalewise('l2l', file, '--x', 'loss', '--y', 'loss_b', '--ex', '1.5', '--ey', '1', '--bootstrap', '20', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.n, ROWS);
  assert.ok(report.r2 > 0.99, `R² ${report.r2}`);
  assert.ok(report.ci95.kappa[0] < report.kappa && report.kappa < report.ci95.kappa[1]);
});

test(`isoflop on ${ROWS} rows (22,224 budgets, one per checkpoint fraction and budget): completes`, async () => {
  const r = await scalewise('isoflop', file, '--flops', 'C', '--params', 'N', '--tokens', 'D', '--loss', 'loss', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const g = report.groups[0];
  assert.equal(g.budgets.length, 22_224);
  assert.ok(g.fit.a > 0.4 && g.fit.a < 0.6, `a ${g.fit.a}`);
});

test('isoflop with intervals over 130,000 budgets: no argument-limit RangeError', () => {
  // Three sizes a budget around N* = 0.1·√C, a parabola in log N: every budget has an interior minimum.
  const budgets = 130_000,
    C: number[] = [],
    N: number[] = [],
    loss: number[] = [];
  for (let b = 0; b < budgets; b++) {
    const c = 1e18 * 1.0001 ** b,
      star = 0.1 * Math.sqrt(c);
    for (const f of [0.5, 1, 2]) {
      C.push(c);
      N.push(star * f);
      loss.push(3 + Math.log(f) ** 2);
    }
  }
  const r = isoflop({ C, N, loss }, { intervals: { kind: 'noise', sigma: 1e-4, draws: 2, seed: 1 } });
  assert.equal(r.fit?.budgets, budgets);
  assert.ok(Math.abs(r.fit!.a - 0.5) < 1e-3, `a ${r.fit!.a}`);
});

test('lineSpread over 130,000 groups: no argument-limit RangeError', () => {
  const groups: GroupLine[] = Array.from({ length: 130_000 }, (_, i) => ({
    group: `g${i}`,
    line: { K: 1 + i * 1e-6, kappa: 1, Ex: 0, Ey: 0, n: 3, r2: 1, r2Log: 1 },
    xMin: 2,
    xMax: 4,
  }));
  const s = lineSpread(groups)!;
  assert.equal(s.from, 2);
  assert.equal(s.to, 4);
  assert.ok(Math.abs(s.maxSpread - 4 * 0.129999) < 1e-9, `max spread ${s.maxSpread}`);
});

test('the subsample search reaches the optimum a search on every run finds', () => {
  // A subsample of 1,024 (the default is SEARCH_SUBSAMPLE), so the full search stays affordable in a test.
  const t = scaleTable({ rows: 2600, seed: 4 });
  const runs = { N: t.N, D: t.D, C: t.C, loss: t.loss, origin: [] };
  const sampled = fitLaw(chinchilla, runs, { searchSubsample: 1024 });
  assert.equal(sampled.screenedOn, 1024);
  assert.equal(fitLaw(chinchilla, runs).screenedOn, undefined, `${SEARCH_SUBSAMPLE} is the default`);
  const full = fitLaw(chinchilla, runs, { searchSubsample: Infinity });
  assert.equal(full.screenedOn, undefined);
  assert.ok(Math.abs(sampled.objective.value - full.objective.value) <= 1e-9 * full.objective.value);
  for (const k of ['alpha', 'beta', 'E']) assert.ok(Math.abs(sampled.params[k]! - full.params[k]!) <= 1e-5 * Math.abs(full.params[k]!), k);
  assert.equal(sampled.converged, true);
  assert.deepEqual(sampled.warnings, []);
});

test('subsampleIndex: m distinct indices, ascending, the same for the same n', () => {
  const a = subsampleIndex(100_000, 4096),
    b = subsampleIndex(100_000, 4096);
  assert.deepEqual(a, b);
  assert.equal(new Set(a).size, 4096);
  for (let i = 1; i < a.length; i++) assert.ok(a[i]! > a[i - 1]!);
  assert.ok(a[0]! < 1000 && a[a.length - 1]! > 99_000, 'spread over the whole range');
  assert.deepEqual(subsampleIndex(5, 10), Int32Array.from([0, 1, 2, 3, 4]));
});
