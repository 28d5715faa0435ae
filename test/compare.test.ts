// `scalewise compare`: the closed-form multiplier of two Chinchilla laws that differ only in their coefficients,
// paired resamples, P(better), decision accuracy, a crossover, and the errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareAnalysis } from '../src/analyses/compare.js';
import { concatTables, type Table } from '../src/data/table.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { compareAt, crossover } from '../src/methods/compare.js';
import { Random } from '../src/stats/random.js';
import { WIDE } from './helpers/sweeps.js';

type Consts = { E: number; A: number; B: number; alpha: number; beta: number };
const base: Consts = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const better: Consts = { ...base, A: 300, B: 300 };
const law = (c: Consts) => ({ law: chinchilla, theta: chinchilla.fromPublic!(c) });

/** The frontier E + c·(C/6)^(−γ): c from the law at one budget, and the multiplier (c_base/c_arm)^(1/γ). */
function closedFormMultiplier(arm: Consts, baseline: Consts): number {
  const gamma = (arm.alpha * arm.beta) / (arm.alpha + arm.beta);
  const c = (k: Consts) => (compareAt(law(k), law(k), 1e21).loss - k.E) * (1e21 / 6) ** gamma;
  return (c(baseline) / c(arm)) ** (1 / gamma);
}

function arms(noise = 0, seed = 0): Table {
  const rng = new Random(seed, 0);
  const rows = [];
  for (const [name, k] of [
    ['base', base],
    ['better', better],
  ] as const)
    for (let b = 0; b < WIDE.budgets; b++) {
      const C = 1e18 * WIDE.ratio ** b;
      for (let s = 0; s < WIDE.sizes; s++) {
        const N = WIDE.baseN * WIDE.ratio ** (b / 2) * WIDE.sizeRatio ** (s - (WIDE.sizes - 1) / 2);
        const D = C / (6 * N);
        const loss = (k.E + k.A / N ** k.alpha + k.B / D ** k.beta) * Math.exp(noise * rng.normal());
        rows.push({ origin: { file: 'arms.csv', row: rows.length + 1 }, values: { N, D, C, loss, arm: name } });
      }
    }
  return concatTables([{ columns: ['N', 'D', 'C', 'loss', 'arm'], rows }]);
}

test('two Chinchilla laws differing only in A and B: a constant multiplier, (c_base/c_arm)^(1/γ), to 1e-9 from the laws and 1e-3 from their fits', async () => {
  const want = closedFormMultiplier(better, base);
  assert.ok(want > 1.2, String(want));
  for (const C of [1e19, 1e21, 1e24]) {
    const m = compareAt(law(better), law(base), C).computeMultiplier!;
    assert.ok(Math.abs(m / want - 1) < 1e-9, `${C}: ${m} vs ${want}`);
  }
  const { report: r } = await compareAnalysis.run(arms(), {
    params: 'N',
    tokens: 'D',
    flops: 'C',
    arm: 'arm',
    share: ['E', 'alpha', 'beta'],
    budget: [1e20, 1e22],
  });
  assert.equal(r.baseline, 'base');
  assert.equal(r.paired, true);
  for (const b of r.arms[0]!.budgets) assert.ok(Math.abs(b.computeMultiplier! / want - 1) < 1e-3, `${b.C}: ${b.computeMultiplier} vs ${want}`);
  assert.equal(r.arms[0]!.crossover, null);
  // Exact data: every budget ranks the two arms as the largest does.
  assert.ok(r.decisionAccuracy.every((d) => d.accuracy === 1 && d.pairs === 1));
});

test('compare --bootstrap: the multiplier interval holds the closed form and P(better) is 1 when the arm is far better (0.3% noise)', async () => {
  const want = closedFormMultiplier(better, base);
  const { report: r } = await compareAnalysis.run(arms(0.003, 2), {
    params: 'N',
    tokens: 'D',
    flops: 'C',
    arm: 'arm',
    share: ['E', 'alpha', 'beta'],
    budget: [1e21],
    bootstrap: 100,
    seed: 1,
  });
  const b = r.arms[0]!.budgets[0]!;
  assert.ok(b.ci95![0] <= want && want <= b.ci95![1], `${b.ci95} vs ${want}`);
  assert.equal(b.pBetter, 1);
  // P(best) over both arms: the far better arm in every resample, the baseline in none; they sum to 1.
  assert.equal(b.pBest, 1);
  assert.equal(r.baselineBudgets![0]!.pBest, 0);
  assert.ok(b.lossAdvantageCi95![0] > 0 && b.lossAdvantageCi95![0] <= b.lossAdvantage && b.lossAdvantage <= b.lossAdvantageCi95![1]);
  assert.equal(r.resamples, 100);
});

test('crossover: an arm with a lower coefficient but a worse exponent is better small and worse large, and the crossing is found', () => {
  const steep: Consts = { ...base, A: 150, B: 150, alpha: 0.3, beta: 0.24 };
  const C = crossover(law(steep), law(base))!;
  assert.ok(C > 1e15 && C < 1e30, String(C));
  assert.ok(Math.abs(compareAt(law(steep), law(base), C).lossAdvantage) < 1e-9);
  assert.ok(compareAt(law(steep), law(base), C / 10).lossAdvantage > 0);
  assert.ok(compareAt(law(steep), law(base), C * 10).lossAdvantage < 0);
});

test('compare: one arm, an unknown baseline', async () => {
  const one = { ...arms(), rows: arms().rows.filter((r) => r.values.arm === 'base') };
  await assert.rejects(
    compareAnalysis.run(one, { params: 'N', tokens: 'D', arm: 'arm' }),
    /^UserError: arm arm: one arm \("base"\); compare needs at least two$/,
  );
  await assert.rejects(
    compareAnalysis.run(arms(), { params: 'N', tokens: 'D', arm: 'arm', baseline: 'x' }),
    /^UserError: baseline "x": not an arm \(arms: base, better\)$/,
  );
});

test('compare: an arm with too few runs, too few budgets for a frontier law, and controls a frontier law does not take', async () => {
  // "better" keeps 4 runs of its smallest budget.
  let kept = 0;
  const few = { ...arms(), rows: arms().rows.filter((r) => r.values.arm === 'base' || ((r.values.C as number) < 1.5e18 && kept++ < 4)) };
  const better = few.rows.filter((r) => r.values.arm === 'better').length;
  assert.ok(better < 6, String(better));
  await assert.rejects(
    compareAnalysis.run(few, { params: 'N', tokens: 'D', flops: 'C', arm: 'arm' }),
    new RegExp(`^UserError: arm arm: arm "better" has ${better} runs; the chinchilla law needs at least 6 per arm \\(its 5 constants \\+ 1\\)$`),
  );
  await assert.rejects(
    compareAnalysis.run(few, { params: 'N', tokens: 'D', flops: 'C', arm: 'arm', frontier: true }),
    /^UserError: arm arm: arm "better" has runs at 1 budget; a frontier law needs at least 3 \(E, A, α \+ 1\)$/,
  );
  await assert.rejects(
    compareAnalysis.run(arms(), { params: 'N', tokens: 'D', flops: 'C', arm: 'arm', frontier: true, fix: ['alpha=0.3'] }),
    /^UserError: fix "alpha=0.3": with frontier only the asymptote can be fixed \(E=V\)$/,
  );
  await assert.rejects(
    compareAnalysis.run(arms(), { params: 'N', tokens: 'D', flops: 'C', arm: 'arm', frontier: true, share: ['E'] }),
    /^UserError: share shares constants of a joint L\(N, D\) fit; with frontier each arm has its own law \(hold E with fix E=V\)$/,
  );
  await assert.rejects(
    compareAnalysis.run(arms(), { params: 'N', tokens: 'D', flops: 'C', arm: 'arm', frontier: true, tokensPerParam: 20 }),
    /^UserError: tokensPerParam compares L\(N, D\) laws along D = R·N; a frontier law \(frontier\) has no N and D$/,
  );
});
