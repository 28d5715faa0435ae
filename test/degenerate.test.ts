// Degenerate data (issue 15, item 4): each case is a refusal (exit 2, one line naming the problem) or a warning
// that names it, never a confident number.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../src/errors.js';
import { isoflop } from '../src/methods/isoflop.js';
import { fitLossToLoss } from '../src/methods/loss-to-loss.js';
import { fitPowerLaw } from '../src/methods/power-law.js';
import { scalewise, tempFiles } from './helpers/cli.js';
import { chinchillaTruth, sweep } from './helpers/sweeps.js';

const base = sweep(chinchillaTruth, { budgets: 6, ratio: 2, sizes: 7, sizeRatio: 1.6, baseN: 2e7, sigma: 0.01, seed: 3 }).rows.map(
  (r) => r.values as Record<string, number>,
);
const csv = (rows: Record<string, number>[]) => `${Object.keys(rows[0]!).join(',')}\n${rows.map((r) => Object.values(r).join(',')).join('\n')}\n`;
// A wiggle that is not noise from the law's family, so a fit cannot pass through every point.
const wiggle = (i: number) => 1 + 0.01 * Math.sin(i);
const dir = tempFiles({
  'const-loss.csv': csv(base.map((r) => ({ ...r, loss: 3.2 }))),
  'same-n.csv': csv(base.map((r, i) => ({ N: 1e8, D: r.D!, loss: chinchillaTruth(1e8, r.D!) * wiggle(i) }))),
  'same-d.csv': csv(base.map((r, i) => ({ N: r.N!, D: 2e10, loss: chinchillaTruth(r.N!, 2e10) * wiggle(i) }))),
  // Run 18 (budget 4e18) with its N typed ×1e10.
  'iso-outlier.csv': csv(base.map((r, i) => ({ ...r, N: i === 17 ? r.N! * 1e10 : r.N! }))),
  'l2l-const-x.csv': csv(base.map((r) => ({ ...r, lx: 3, ly: r.loss! }))),
  'l2l-huge-y.csv': csv(base.map((r, i) => ({ ...r, lx: r.loss!, ly: i === 5 ? 1e308 : r.loss! * 0.9 }))),
});
const at = (name: string) => join(dir, name);
const fitArgs = ['--params', 'N', '--tokens', 'D', '--loss', 'loss', '--no-calibrate'];

test('fit of a constant loss: refused, naming the problem (was a = 0.5 [0.5, 0.5], the start point)', async () => {
  const r = await scalewise('fit', at('const-loss.csv'), ...fitArgs);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'scalewise: error: the loss does not vary (every run has 3.2): there is nothing for the chinchilla law to fit\n');
});

for (const [axis, file, code, exponent, other] of [
  ['N', 'same-n.csv', 'constant-params', 'alpha', 'beta'],
  ['D', 'same-d.csv', 'constant-tokens', 'beta', 'alpha'],
] as const) {
  test(`fit of runs with one ${axis}: ${code}, and the bootstrap interval of ${exponent} is not tight`, async () => {
    const r = await scalewise('fit', at(file), ...fitArgs, '--bootstrap', '40', '--seed', '1', '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const w = report.warnings.find((x: { code: string }) => x.code === code);
    assert.ok(w, `warnings: ${JSON.stringify(report.warnings)}`);
    assert.match(w.message, new RegExp(`^every run has ${axis} = `));
    // Refitted from the full-data optimum, the resamples stayed on it: [0.518, 0.553] for alpha with one N.
    const [lo, hi] = report.bootstrap.ci95[exponent];
    assert.ok(hi - lo > 0.3, `${exponent} interval [${lo}, ${hi}]`);
    // The other exponent is determined by these runs and stays near the truth.
    const truth = other === 'alpha' ? 0.34 : 0.28;
    assert.ok(Math.abs(report.params[other] - truth) < 0.1, `${other} ${report.params[other]}`);
  });
}

test('isoflop with one N typed ×1e10: poor-power-law and outlying-budget name it (was R² 0.01, no warning)', async () => {
  const r = await scalewise('isoflop', at('iso-outlier.csv'), '--flops', 'C', '--params', 'N', '--loss', 'loss', '--json');
  assert.equal(r.status, 0, r.stderr);
  const g = JSON.parse(r.stdout).groups[0];
  const codes = g.warnings.map((w: { code: string }) => w.code);
  assert.ok(codes.includes('poor-power-law'), codes.join(', '));
  const outliers = g.warnings.filter((w: { code: string }) => w.code === 'outlying-budget');
  assert.equal(outliers.length, 1, JSON.stringify(outliers));
  assert.match(outliers[0].message, /^budget C = 4\.00e18: N\* = 4\.95e12 is 3\.61e4× above the power law of the other budgets/);
});

test('isoflop whose optimal size falls as compute grows: implausible-exponent', () => {
  // Minima at N* = 1e9 / 2^b for budgets C = 1e18·4^b: a = −0.5.
  const C: number[] = [],
    N: number[] = [],
    loss: number[] = [];
  for (let b = 0; b < 5; b++)
    for (const f of [0.25, 0.5, 1, 2, 4]) {
      C.push(1e18 * 4 ** b);
      N.push((1e9 / 2 ** b) * f);
      loss.push(3 - 0.1 * b + 0.05 * Math.log(f) ** 2);
    }
  const r = isoflop({ C, N, loss });
  assert.ok(Math.abs(r.fit!.a + 0.5) < 1e-9, `a ${r.fit!.a}`);
  const w = r.warnings.find((x) => x.code === 'implausible-exponent');
  assert.ok(w, JSON.stringify(r.warnings));
  assert.match(w.message, /^N\* ∝ C\^a with a = -0\.5000, outside \(0, 1\): the compute-optimal size would shrink as compute grows/);
});

test('isoflop on clean sweeps: none of the power-law warnings', () => {
  const t = sweep(chinchillaTruth, { budgets: 9, ratio: 2.2, sizes: 9, sizeRatio: 1.5, baseN: 3e7, sigma: 0.003, seed: 2 }).rows;
  const r = isoflop({ C: t.map((x) => x.values.C as number), N: t.map((x) => x.values.N as number), loss: t.map((x) => x.values.loss as number) });
  assert.ok(r.fit);
  const codes = r.warnings.map((w) => w.code);
  for (const c of ['poor-power-law', 'implausible-exponent', 'outlying-budget'] as const) assert.ok(!codes.includes(c), codes.join(', '));
});

test('l2l with a constant L_x: refused (the sxx > 0 test let 1e-30 through: K 4.6, κ −0.40)', async () => {
  const r = await scalewise('l2l', at('l2l-const-x.csv'), '--x', 'lx', '--y', 'ly', '--ex', '0', '--ey', '0');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "scalewise: error: every pair has the same L_x, so the line's slope is not determined\n");
  // Equal values whose mean rounds: sxx ≈ 8e-30 rather than 0.
  const x = new Array(42).fill(3),
    y = Array.from({ length: 42 }, (_, i) => 2 + i / 42);
  assert.equal(fitPowerLaw(x, y), undefined);
  assert.throws(() => fitLossToLoss(x, y, 0, 0), UserError);
});

test('l2l with a constant L_x and fitted E: refused at the E fit, naming the curve', async () => {
  const r = await scalewise('l2l', at('l2l-const-x.csv'), '--x', 'lx', '--y', 'ly', '--params', 'N', '--tokens', 'D');
  assert.equal(r.status, 2);
  assert.equal(
    r.stderr,
    'scalewise: error: E_x (kaplan L(N, D) fit of lx): the loss does not vary (every run has 3): there is nothing for the kaplan law to fit\n',
  );
});

test('l2l with one L_y of 1e308: refused, naming the row (was R² NaN and no poor-line warning)', async () => {
  for (const e of [
    ['--ex', '0', '--ey', '0'],
    ['--params', 'N', '--tokens', 'D'],
  ]) {
    const r = await scalewise('l2l', at('l2l-huge-y.csv'), '--x', 'lx', '--y', 'ly', ...e);
    assert.equal(r.status, 2, r.stdout);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `scalewise: error: ${at('l2l-huge-y.csv')}, row 6, column "ly": L_y = 1e+308 makes the line overflow (R² or its constants are not finite): check this value\n`,
    );
  }
});
