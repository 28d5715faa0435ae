// Paired against unpaired resamples (simple-scaling-laws' point): two arms run the same configurations (N, D), and
// each configuration carries an effect shared by both arms' runs (the same seed, data order, evaluation batch) on
// top of each run's own noise. Resampling configurations for both arms at once keeps that effect common to the two
// fits, so it cancels in the multiplier; resampling runs on their own does not. Over seeds with a known truth the
// paired 95% interval is narrower and still covers the true multiplier.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareAnalysis } from '../src/analyses/compare.js';
import { concatTables, type Table } from '../src/data/table.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { compareAt } from '../src/methods/compare.js';
import { Random } from '../src/stats/random.js';

type Consts = { E: number; A: number; B: number; alpha: number; beta: number };
const base: Consts = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const better: Consts = { ...base, A: 300, B: 300 };
const law = (c: Consts) => ({ law: chinchilla, theta: chinchilla.fromPublic!(c) });
const C = 1e21;
/** The truth: both laws share E, α, β, so the multiplier is what the laws themselves give (a constant in C). */
const truth = compareAt(law(better), law(base), C).computeMultiplier!;
const truthAdvantage = compareAt(law(better), law(base), C).lossAdvantage;

const SHARED = 0.02; // sd of the per-configuration effect on log loss
const OWN = 0.002; // sd of each run's own noise on log loss

/** 5 budgets × 5 sizes, both arms at every configuration, loss × exp(u_config + ε_run). */
function pairedArms(seed: number): Table {
  const rng = new Random(seed, 0);
  const rows = [];
  for (let b = 0; b < 5; b++) {
    const budget = 1e18 * 4 ** b;
    for (let s = 0; s < 5; s++) {
      const N = 2e7 * 2 ** b * 2 ** (s - 2);
      const D = budget / (6 * N);
      const u = SHARED * rng.normal();
      for (const [arm, k] of [
        ['base', base],
        ['better', better],
      ] as const) {
        const loss = (k.E + k.A / N ** k.alpha + k.B / D ** k.beta) * Math.exp(u + OWN * rng.normal());
        rows.push({ origin: { file: 'paired.csv', row: rows.length + 1 }, values: { N, D, C: budget, loss, arm } });
      }
    }
  }
  return concatTables([{ columns: ['N', 'D', 'C', 'loss', 'arm'], rows }]);
}

const SEEDS = Number(process.env.PAIRING_SEEDS ?? 40);
const B = 40;

test(`paired resamples: over ${SEEDS} seeds the 95% interval of the multiplier is narrower than unpaired and covers the truth in ≥ 90% of seeds`, async (t) => {
  let pairedCovers = 0,
    unpairedCovers = 0,
    narrower = 0,
    advantageCovers = 0;
  const ratios: number[] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const table = pairedArms(seed);
    const o = { params: 'N', tokens: 'D', flops: 'C', arm: 'arm', share: ['E', 'alpha', 'beta'], budget: [C], bootstrap: B, seed };
    const paired = (await compareAnalysis.run(table, o)).report;
    const unpaired = (await compareAnalysis.run(table, { ...o, unpaired: true })).report;
    assert.equal(paired.paired, true);
    assert.equal(unpaired.paired, false);
    const p = paired.arms[0]!.budgets[0]!.ci95!,
      u = unpaired.arms[0]!.budgets[0]!.ci95!;
    if (p[0] <= truth && truth <= p[1]) pairedCovers++;
    if (u[0] <= truth && truth <= u[1]) unpairedCovers++;
    const a = paired.arms[0]!.budgets[0]!.lossAdvantageCi95!;
    if (a[0] <= truthAdvantage && truthAdvantage <= a[1]) advantageCovers++;
    const ratio = Math.log(p[1] / p[0]) / Math.log(u[1] / u[0]);
    ratios.push(ratio);
    if (ratio < 1) narrower++;
  }
  ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)]!;
  t.diagnostic(
    `truth ${truth.toFixed(4)}; paired covers ${pairedCovers}/${SEEDS}, unpaired ${unpairedCovers}/${SEEDS}; paired narrower in ${narrower}/${SEEDS}, median width ratio ${median.toFixed(3)}; paired loss-advantage interval covers ${advantageCovers}/${SEEDS}`,
  );
  assert.ok(pairedCovers >= Math.ceil(0.9 * SEEDS), `paired covers ${pairedCovers}/${SEEDS}`);
  assert.ok(narrower >= Math.ceil(0.9 * SEEDS), `paired narrower in ${narrower}/${SEEDS}`);
  assert.ok(median < 0.85, `median width ratio ${median}`);
  assert.ok(advantageCovers >= Math.ceil(0.9 * SEEDS), `loss advantage covers ${advantageCovers}/${SEEDS}`);
});
