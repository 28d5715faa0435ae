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

/** Frontier arms: 3 sizes per budget (the middle one on the law, the others 3% above), loss × exp(u_budget + ε_run). */
function frontierArms(seed: number, laws: Record<string, { E: number; A: number; alpha: number }>): Table {
  const rng = new Random(seed, 1);
  const rows = [];
  for (let k = 0; k < 8; k++) {
    const budget = 2e17 * 2.2 ** k;
    const u = 0.01 * rng.normal(); // shared by every arm's runs at this budget
    for (const [arm, l] of Object.entries(laws))
      for (const [s, up] of [
        [0.5, 1.03],
        [1, 1],
        [2, 1.03],
      ] as const) {
        const N = s * Math.sqrt(budget / 120);
        const loss = (l.E + l.A * budget ** -l.alpha) * up * Math.exp(u + 0.001 * rng.normal());
        rows.push({ origin: { file: 'frontier.csv', row: rows.length + 1 }, values: { N, D: budget / (6 * N), C: budget, loss, arm } });
      }
  }
  return concatTables([{ columns: ['N', 'D', 'C', 'loss', 'arm'], rows }]);
}

test('--frontier: budget-paired residual resamples give a narrower multiplier interval than unpaired ones over 40 seeds, and cover the truth in ≥ 85%', async (t) => {
  const laws = { base: { E: 1.8, A: 2500, alpha: 0.18 }, arm: { E: 1.8, A: 2000, alpha: 0.18 } };
  const truthF = (2500 / 2000) ** (1 / 0.18);
  let covers = 0,
    narrower = 0;
  const seeds = Number(process.env.FRONTIER_SEEDS ?? 40);
  for (let seed = 0; seed < seeds; seed++) {
    const table = frontierArms(seed, laws);
    const o = { params: 'N', tokens: 'D', flops: 'C', arm: 'arm', frontier: true, fix: ['E=1.8'], budget: [1e21], bootstrap: 200, seed };
    const p = (await compareAnalysis.run(table, o)).report.arms[0]!.budgets[0]!.ci95!;
    const u = (await compareAnalysis.run(table, { ...o, unpaired: true })).report.arms[0]!.budgets[0]!.ci95!;
    if (p[0] <= truthF && truthF <= p[1]) covers++;
    if (p[1] / p[0] < u[1] / u[0]) narrower++;
  }
  t.diagnostic(`truth ${truthF.toFixed(4)}; paired covers ${covers}/${seeds}, narrower than unpaired in ${narrower}/${seeds}`);
  // A percentile residual bootstrap on 8 budgets, read 20× beyond them, under-covers a little (132/150 seeds: 88%).
  assert.ok(covers >= Math.ceil(0.85 * seeds), `paired covers ${covers}/${seeds}`);
  assert.ok(narrower >= Math.ceil(0.9 * seeds), `narrower in ${narrower}/${seeds}`);
});
