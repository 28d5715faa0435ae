// Loss-to-loss core: the closed-form line against numpy, a synthetic truth recovered, the bootstrap,
// the spread between groups' lines, and the errors of points below E.
//
// Golden fixture test/fixtures/numpy/l2l_regression.json was written by numpy 2.4.6:
//   rng = np.random.default_rng(20241118); x = round(2.2 + rng.uniform(0, 1.6, 25), 6)
//   y = round(0.7·(x − 1.9)^1.15·exp(rng.normal(0, 0.03, 25)) + 0.8, 6)
//   kappa, logK = np.polyfit(log(x − 1.9), log(y − 0.8), 1)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bootstrapLine, fitLossToLoss, lineSpread, predictLoss, summariseDraws, type GroupLine } from '../../src/methods/loss-to-loss.js';
import { UserError } from '../../src/errors.js';
import { Random } from '../../src/stats/random.js';
import { root } from '../helpers/cli.js';

const golden = JSON.parse(readFileSync(join(root, 'test/fixtures/numpy/l2l_regression.json'), 'utf8'));

test('K, kappa and both R² match numpy polyfit on log(L_y − E_y) vs log(L_x − E_x)', () => {
  const line = fitLossToLoss(golden.x, golden.y, golden.Ex, golden.Ey);
  assert.ok(Math.abs(line.K - golden.K) < 1e-12 * golden.K, `K ${line.K} vs ${golden.K}`);
  assert.ok(Math.abs(line.kappa - golden.kappa) < 1e-12, `kappa ${line.kappa} vs ${golden.kappa}`);
  assert.ok(Math.abs(line.r2 - golden.r2) < 1e-12, `r2 ${line.r2} vs ${golden.r2}`);
  assert.ok(Math.abs(line.r2Log - golden.r2Log) < 1e-12, `r2Log ${line.r2Log} vs ${golden.r2Log}`);
  assert.equal(line.n, 25);
  golden.predictAt.forEach((x: number, i: number) => {
    assert.ok(Math.abs(predictLoss(line, x) - golden.predicted[i]) < 1e-12);
  });
});

/** L_y = 0.63·(L_x − 1.97)^1.1 + 0.85 with multiplicative noise of sd `sigma` on L_y − E_y. */
function synthetic(n: number, sigma: number, seed: number) {
  const rng = new Random(seed);
  const x = Float64Array.from({ length: n }, () => 2.3 + 1.5 * rng.uniform());
  const y = x.map((v) => 0.63 * (v - 1.97) ** 1.1 * Math.exp(sigma * rng.normal()) + 0.85);
  return { x, y };
}

test('a synthetic line is recovered, exactly without noise and inside its 95% interval with noise', () => {
  const exact = synthetic(40, 0, 1);
  const l0 = fitLossToLoss(exact.x, exact.y, 1.97, 0.85);
  assert.ok(Math.abs(l0.K - 0.63) < 1e-10 && Math.abs(l0.kappa - 1.1) < 1e-10);
  assert.ok(Math.abs(l0.r2 - 1) < 1e-12);

  const noisy = synthetic(80, 0.02, 2);
  const l = fitLossToLoss(noisy.x, noisy.y, 1.97, 0.85);
  const s = summariseDraws(bootstrapLine(noisy.x, noisy.y, 1.97, 0.85, { resamples: 2000, seed: 3 }));
  assert.ok(s.ci95.kappa[0] < 1.1 && 1.1 < s.ci95.kappa[1], `kappa interval ${s.ci95.kappa}`);
  assert.ok(s.ci95.K[0] < 0.63 && 0.63 < s.ci95.K[1], `K interval ${s.ci95.K}`);
  // The bootstrap sd of the slope is close to OLS's analytic standard error σ/√Σ(lx − mean)².
  const lx = Array.from(noisy.x, (v) => Math.log(v - 1.97));
  const m = lx.reduce((a, b) => a + b, 0) / lx.length;
  const resid = Array.from(noisy.y, (v, i) => Math.log(v - 0.85) - Math.log(l.K) - l.kappa * lx[i]!);
  const se = Math.sqrt(resid.reduce((a, r) => a + r * r, 0) / (lx.length - 2) / lx.reduce((a, v) => a + (v - m) ** 2, 0));
  assert.ok(Math.abs(s.se.kappa / se - 1) < 0.15, `bootstrap se ${s.se.kappa} vs OLS se ${se}`);
});

test('the bootstrap is deterministic in its seed, and one unit per pair is the plain pair bootstrap', () => {
  const { x, y } = synthetic(30, 0.02, 4);
  const a = bootstrapLine(x, y, 1.97, 0.85, { resamples: 200, seed: 9 });
  const b = bootstrapLine(x, y, 1.97, 0.85, { resamples: 200, seed: 9 });
  const c = bootstrapLine(x, y, 1.97, 0.85, { resamples: 200, seed: 10 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.kappa, c.kappa);
  const units = { of: Int32Array.from({ length: 30 }, (_, i) => i), count: 30 };
  assert.deepEqual(bootstrapLine(x, y, 1.97, 0.85, { resamples: 200, seed: 9, units }), a);
  // Two pairs in one unit are always drawn together.
  const tied = { of: Int32Array.from({ length: 30 }, (_, i) => Math.floor(i / 2)), count: 15 };
  assert.notDeepEqual(bootstrapLine(x, y, 1.97, 0.85, { resamples: 200, seed: 9, units: tied }).kappa, a.kappa);
});

test('a point at or below E is an error that names it, and so are too few or degenerate pairs', () => {
  const x = [2.5, 2.2, 1.9, 3.0],
    y = [1.2, 1.1, 1.0, 1.4];
  assert.throws(
    () => fitLossToLoss(x, y, 2.0, 0.8),
    new UserError('pair 3: L_x = 1.9 is at or below E_x = 2; E_x must lie below every L_x (the smallest is 1.9)'),
  );
  assert.throws(
    () => fitLossToLoss([2.5, 2.6, 2.7], [1.2, 0.8, 1.3], 2.0, 0.8),
    new UserError('pair 2: L_y = 0.8 is at or below E_y = 0.8; E_y must lie below every L_y (the smallest is 0.8)'),
  );
  assert.throws(() => fitLossToLoss([2.5, 2.6], [1.2, 1.3], 2.0, 0.8), new UserError('a loss-to-loss line needs at least 3 pairs; got 2'));
  assert.throws(
    () => fitLossToLoss([2.5, 2.5, 2.5], [1.2, 1.3, 1.1], 2.0, 0.8),
    new UserError("every pair has the same L_x, so the line's slope is not determined"),
  );
});

test('spread across groups: zero for equal lines, the offset for shifted ones, null without overlap', () => {
  const base = { K: 0.63, kappa: 1.1, Ex: 1.97, Ey: 0.85, n: 10, r2: 1, r2Log: 1 };
  const g = (group: string, Ey: number, xMin = 2.3, xMax = 3.8): GroupLine => ({ group, line: { ...base, Ey }, xMin, xMax });
  const same = lineSpread([g('a', 0.85), g('b', 0.85)])!;
  assert.equal(same.maxSpread, 0);
  assert.equal(same.beyondNoise, null);
  const shifted = lineSpread([g('a', 0.85), g('b', 0.95, 2.5, 3.5), g('c', 0.9)])!;
  assert.equal(shifted.from, 2.5);
  assert.equal(shifted.to, 3.5);
  for (const p of shifted.points) {
    assert.ok(Math.abs(p.spread - 0.1) < 1e-12);
    assert.equal(p.highest, 'b');
    assert.equal(p.lowest, 'a');
  }
  assert.equal(lineSpread([g('a', 0.85, 2, 2.5), g('b', 0.85, 2.6, 3)]), null);
  assert.equal(lineSpread([g('a', 0.85)]), null);
});

test("noise95 comes from the two extreme lines' bootstrap predictions: a real offset is beyond it, a tiny one is not", () => {
  const { x, y } = synthetic(60, 0.02, 5);
  const mk = (group: string, dy: number): GroupLine => {
    const yy = y.map((v) => v + dy);
    const line = fitLossToLoss(x, yy, 1.97, 0.85 + dy);
    return { group, line, xMin: Math.min(...x), xMax: Math.max(...x), draws: bootstrapLine(x, yy, 1.97, 0.85 + dy, { resamples: 500, seed: 1 }) };
  };
  const far = lineSpread([mk('a', 0), mk('b', 0.1)])!;
  assert.equal(far.beyondNoise, 5);
  const near = lineSpread([mk('a', 0), mk('b', 1e-4)])!;
  assert.equal(near.beyondNoise, 0);
  assert.ok(near.points.every((p) => p.noise95! > 0));
});
