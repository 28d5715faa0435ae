// A synthetic truth for the accuracy chain: a Chinchilla task-loss law and a bounded accuracy link, runs drawn
// with noise on both, and the true accuracy of a held-out run beyond them (test/accuracy-chain.test.ts,
// bench/accuracy-coverage.ts).
import type { Table } from '../../src/data/table.js';
import { parseFilter } from '../../src/data/where.js';
import { boundedSigmoidLink } from '../../src/laws/accuracy-link.js';
import { Random } from '../../src/stats/random.js';

/** The truth: L = E + A/N^α + B/D^β, Acc = 0.25 + (top − 0.25)/(1 + exp(k·(L − L0))). */
export const TRUTH = { E: 1.7, A: 400, B: 400, alpha: 0.34, beta: 0.28, chance: 0.25, top: 1, k: 3, L0: 2.2 };
/** Noise: log loss ± 1%, accuracy ± 0.005 (Gaussian). */
export const NOISE = { logLoss: 0.01, accuracy: 0.005 };

const link = boundedSigmoidLink(TRUTH.chance);
export const trueLoss = (N: number, D: number) => TRUTH.E + TRUTH.A / N ** TRUTH.alpha + TRUTH.B / D ** TRUTH.beta;
export const trueAccuracy = (N: number, D: number) => link.predict([TRUTH.top, TRUTH.k, TRUTH.L0], trueLoss(N, D));

/** The held-out run: 2.5× the largest size, at 20 tokens per parameter. */
export const TARGET = { N: 1e9, D: 2e10 };

/** 6 sizes × 3 ratios (10, 20, 40 tokens per parameter) of noisy runs, and the target row (target=1). */
export function truthTable(seed: number): Table {
  const rng = new Random(seed, 7);
  const rows: Table['rows'] = [];
  let row = 0;
  const add = (N: number, D: number, target: number) => {
    const loss = trueLoss(N, D) * Math.exp(NOISE.logLoss * rng.normal());
    const acc = trueAccuracy(N, D) + NOISE.accuracy * rng.normal();
    rows.push({ origin: { file: 'truth', row: ++row }, values: { N, D, loss, acc, target } });
  };
  for (const N of [2e7, 4e7, 8e7, 1.2e8, 2e8, 4e8]) for (const m of [10, 20, 40]) add(N, m * N, 0);
  add(TARGET.N, TARGET.D, 1);
  return { columns: ['N', 'D', 'loss', 'acc', 'target'], rows };
}

/** The chain's fit of the truth table (`fit --accuracy acc --chance 0.25 --anchor 0:1`, target row held out), B resamples. */
export const chainOptions = (seed: number, B: number) => ({
  params: 'N',
  tokens: 'D',
  loss: 'loss',
  fitWhere: [parseFilter('target=0')],
  targetWhere: [parseFilter('target=1')],
  accuracy: 'acc',
  chance: '0.25',
  anchor: ['0:1'],
  bootstrap: B,
  seed,
  calibrate: false,
});
