// The backtest's noise floor (src/methods/noise-floor.ts): a known noise level recovered from replicates and
// from a noise column, and the errors of an exact law sitting on the floor while a misspecified law's do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backtestAnalysis } from '../../src/analyses/backtest.js';
import { concatTables } from '../../src/data/table.js';
import { columnNoiseFloor, replicateNoiseFloor } from '../../src/methods/noise-floor.js';
import { Random } from '../../src/stats/random.js';
import { testBadInputs, tempFiles } from '../helpers/cli.js';
import { chinchillaTruth, kaplanTruth, sweep, sweepCsv, WIDE } from '../helpers/sweeps.js';
import { join } from 'node:path';

test('replicates: the pooled sd of log loss recovers a known run-to-run noise (σ = 1%, 300 configurations × 3 seeds)', () => {
  const rng = new Random(5, 0);
  const N: number[] = [],
    D: number[] = [],
    loss: number[] = [];
  for (let c = 0; c < 300; c++)
    for (let k = 0; k < 3; k++) {
      N.push(1e8 * (1 + c));
      D.push(2e10);
      loss.push(3 * Math.exp(0.01 * rng.normal()));
    }
  // A configuration run once adds nothing.
  N.push(5);
  D.push(5);
  loss.push(9);
  const f = replicateNoiseFloor(N, D, loss)!;
  assert.equal(f.configurations, 300);
  assert.ok(Math.abs(f.relSd / 0.01 - 1) < 0.05, String(f.relSd));
  assert.ok(Math.abs(f.meanAbsRelErr - f.relSd * Math.sqrt(2 / Math.PI)) < 1e-15);
  assert.equal(replicateNoiseFloor([1, 2], [1, 1], [3, 3]), null);
  // A column: the root mean square of noise / loss.
  const c = columnNoiseFloor([0.03, 0.04], [3, 2])!;
  assert.ok(Math.abs(c.relSd - Math.sqrt((0.01 ** 2 + 0.02 ** 2) / 2)) < 1e-15);
});

const sigma = 0.004;
function replicated(truth: (N: number, D: number) => number) {
  return concatTables([0, 1, 2].map((seed) => sweep(truth, { ...WIDE, sigma, seed })));
}

test('backtest: an exact law errs at the noise floor; a misspecified one far above it (3 seeds per configuration)', async () => {
  const options = { params: 'N', tokens: 'D', flops: 'C', candidates: ['chinchilla:huber'] };
  const exact = (await backtestAnalysis.run(replicated(chinchillaTruth), options)).groups[0]!;
  assert.equal(exact.noiseFloor!.source, 'replicates');
  assert.equal(exact.noiseFloor!.configurations, WIDE.budgets * WIDE.sizes);
  assert.ok(Math.abs(exact.noiseFloor!.relSd / sigma - 1) < 0.15, String(exact.noiseFloor!.relSd));
  const vs = exact.candidates[0]!.vsNoise!;
  assert.ok(vs > 0.8 && vs < 1.5, `exact law: ${vs}× the floor`);
  const wrong = (await backtestAnalysis.run(replicated(kaplanTruth), options)).groups[0]!;
  assert.ok(wrong.candidates[0]!.vsNoise! > 3, `Kaplan-form truth fitted with the Chinchilla form: ${wrong.candidates[0]!.vsNoise}× the floor`);
  // Runs never repeated, no noise column: no floor.
  const single = (await backtestAnalysis.run(sweep(chinchillaTruth, { ...WIDE, sigma, seed: 0 }), options)).groups[0]!;
  assert.equal(single.noiseFloor, undefined);
  assert.equal(single.candidates[0]!.vsNoise, undefined);
});

const csv = sweepCsv(chinchillaTruth, { ...WIDE, sigma, seed: 0 });
const lines = csv.trim().split('\n');
const dir = tempFiles({
  'noisy.csv': `${lines[0]},sd\n${lines
    .slice(1)
    .map((l, i) => `${l},${i === 4 ? -1 : 0.01}`)
    .join('\n')}\n`,
});
testBadInputs([
  [
    'a negative noise sd',
    ['backtest', join(dir, 'noisy.csv'), '--params', 'N', '--tokens', 'D', '--flops', 'C', '--noise', 'sd'],
    `--noise: ${join(dir, 'noisy.csv')}, row 5, column "sd": a noise sd must be ≥ 0, got -1`,
  ],
]);
