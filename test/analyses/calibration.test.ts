// Prediction intervals for new runs (src/methods/calibration.ts) are a claim about coverage, so coverage is
// tested: on synthetic sweeps whose truth is the fitted family, outside it (Kaplan form) and drifting (an
// exponent that grows with scale), over many seeds, and on the 529-run sweep's top budgets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backtestAnalysis, type BacktestForecast } from '../../src/analyses/backtest.js';
import type { Table } from '../../src/data/table.js';
import { calibrate, MIN_CUTS, predictionInterval } from '../../src/methods/calibration.js';
import { Random } from '../../src/stats/random.js';
import { scalewise } from '../helpers/cli.js';
import { chinchillaTruth, kaplanTruth, sweep, WIDE } from '../helpers/sweeps.js';

const truths: Record<string, (N: number, D: number) => number> = {
  // Hoffmann et al.'s constants: the truth is in the fitted (Chinchilla) family.
  'chinchilla (in the family)': chinchillaTruth,
  // Kaplan form (Brandfonbrener et al.'s): outside the family.
  'kaplan form (outside)': kaplanTruth,
  // An N exponent that grows with scale: outside every fixed-exponent law.
  'drifting exponent (outside)': (N, D) => 1.69 + 406.4 / N ** (0.3 + 0.01 * Math.log(N / 1e7)) + 410.7 / D ** 0.28,
};

async function forecastsOf(table: Table, bootstrap = 0): Promise<BacktestForecast[]> {
  const r = await backtestAnalysis.run(table, { params: 'N', tokens: 'D', flops: 'C', candidates: ['chinchilla:huber'], bootstrap, seed: 1 });
  return r.groups[0]!.candidates[0]!.forecasts;
}

const share = (fs: BacktestForecast[], key: 'piCovered' | 'covered') => {
  const withIt = fs.filter((f) => f[key] !== undefined);
  return { share: withIt.filter((f) => f[key]).length / withIt.length, n: withIt.length };
};

for (const [name, truth] of Object.entries(truths)) {
  test(`pi95 covers 90–99.5% of later runs at 2–20× over 8 seeds: ${name}`, async () => {
    const all: BacktestForecast[] = [];
    for (let seed = 1; seed <= 8; seed++) all.push(...(await forecastsOf(sweep(truth, { ...WIDE, sigma: 0.005, seed }))));
    const { share: s, n } = share(all, 'piCovered');
    // The cuts with ≥ 3 earlier cuts: 3 of the 6 (fits on 6, 7, 8 budgets) → 27 + 18 + 9 later runs per seed.
    assert.equal(n, 8 * 54);
    assert.ok(s >= 0.9 && s <= 0.995, `coverage ${s} of ${n}`);
    const far = share(
      all.filter((f) => f.distance > 4),
      'piCovered',
    );
    assert.ok(far.share >= 0.9, `coverage beyond 4×: ${far.share} of ${far.n}`);
  });
}

test('the curve interval (ci95) alone covers far fewer later runs than pi95 on a misspecified truth', async () => {
  const fs: BacktestForecast[] = [];
  for (let seed = 1; seed <= 2; seed++) fs.push(...(await forecastsOf(sweep(kaplanTruth, { ...WIDE, sigma: 0.005, seed }), 20)));
  const ci = share(fs, 'covered'),
    pi = share(
      fs.filter((f) => f.pi95),
      'piCovered',
    );
  assert.ok(ci.share < 0.5, `ci95 covers ${ci.share}`);
  assert.ok(pi.share >= 0.9, `pi95 covers ${pi.share}`);
});

test('529-run sweep: pi95 holds ≥ 90% of the top budget and of the top two budgets over the six datamixes', async () => {
  const r = await scalewise(
    'backtest',
    'datasets/kempner/runs.csv',
    '--params',
    'params',
    '--tokens',
    'tokens',
    '--flops',
    'iso_flop',
    '--loss',
    'loss_val_own',
    '--group',
    'datamix',
    '--json',
  );
  assert.equal(r.status, 0, r.stderr);
  const groups = JSON.parse(r.stdout).groups as { candidates: { cuts: number[]; forecasts: BacktestForecast[] }[] }[];
  const at = (back: number) => groups.flatMap((g) => g.candidates[0]!.forecasts.filter((f) => f.cut === g.candidates[0]!.cuts.at(-back)));
  const top1 = share(at(1), 'piCovered'),
    top2 = share(at(2), 'piCovered');
  // Measured (docs/backtest.md): 63 of 66 runs of the top budget, 135 of 136 of the second (the cut below).
  assert.equal(top1.n, 66);
  assert.ok(top1.share >= 0.9 && top2.share >= 0.9, `top ${top1.share}, second ${top2.share}`);
});

test('calibration: none from fewer than 3 cuts or 19 forecasts; the interval widens with distance and holds both bands', () => {
  const rng = new Random(3, 0);
  const points = Array.from({ length: 60 }, (_, i) => ({
    distance: 2 + (i % 5),
    logError: 0.004 * rng.normal() + 0.002 * Math.log(2 + (i % 5)),
    cutOffset: -Math.floor(i / 20),
  }));
  assert.equal(calibrate(points, 0.002, MIN_CUTS - 1), null);
  assert.equal(calibrate(points.slice(0, 18), 0.002, MIN_CUTS), null);
  const c = calibrate(points, 0.002, MIN_CUTS)!;
  let width = 0;
  for (const d of [1.5, 3, 10, 30]) {
    const [lo, hi] = predictionInterval(c, 2, d);
    assert.ok(lo < 2 && hi > 2 && hi - lo > width, `at ${d}×: [${lo}, ${hi}]`);
    width = hi - lo;
  }
});
