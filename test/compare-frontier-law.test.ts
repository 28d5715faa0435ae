// Frontier laws L(C) = E + A·C^(−α) (src/methods/frontier-law.ts): exact recovery from exact points, the closed-form
// multiplier (A_base/A_arm)^(1/α) of two laws with equal E and α, fixed tokens per parameter in closed form, P(best),
// and the law's extrapolated ranking beating the small-scale ranking when two arms' frontiers cross.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareAnalysis } from '../src/analyses/compare.js';
import { concatTables, type Table } from '../src/data/table.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { compareCurves, fixedRatioCurve, probabilityBest } from '../src/methods/compare.js';
import { fitFrontierLaw, frontierBudgetFor, frontierLoss, frontierMultiplier, type FrontierLaw } from '../src/methods/frontier-law.js';

const Cs = [1e17, 3e17, 1e18, 3e18, 1e19, 3e19, 1e20];

test('fitFrontierLaw recovers an exact law, with E fitted (to 1e-6) and with E fixed (to 1e-9)', () => {
  const truth: FrontierLaw = { E: 1.8, A: 2.4e3, alpha: 0.17 };
  const pts = Cs.map((C) => ({ C, loss: frontierLoss(truth, C) }));
  const free = fitFrontierLaw(pts)!;
  assert.ok(free.fittedE);
  assert.ok(Math.abs(free.law.E - truth.E) < 1e-6, String(free.law.E));
  assert.ok(Math.abs(free.law.alpha / truth.alpha - 1) < 1e-6, String(free.law.alpha));
  assert.ok(Math.abs(free.law.A / truth.A - 1) < 1e-4, String(free.law.A));
  const fixed = fitFrontierLaw(pts, { E: 1.8 })!;
  assert.ok(Math.abs(fixed.law.alpha / truth.alpha - 1) < 1e-9 && Math.abs(fixed.law.A / truth.A - 1) < 1e-9, JSON.stringify(fixed.law));
  assert.ok(fixed.rss < 1e-20);
  // Too few points, losses at or below a fixed E, a rising curve: no law.
  assert.equal(fitFrontierLaw(pts.slice(0, 2)), undefined);
  assert.equal(fitFrontierLaw(pts, { E: 5 }), undefined);
  assert.equal(fitFrontierLaw(Cs.map((C, k) => ({ C, loss: 2 + 0.1 * k }))), undefined);
});

test('two frontier laws with equal E and α: the multiplier is the constant (A_base/A_arm)^(1/α); C_base(L) inverts L(C)', () => {
  const base: FrontierLaw = { E: 1.7, A: 3000, alpha: 0.2 };
  const arm: FrontierLaw = { ...base, A: 2000 };
  const want = (3000 / 2000) ** (1 / 0.2);
  for (const C of [1e18, 1e21, 1e25]) assert.ok(Math.abs(frontierMultiplier(arm, base, C)! / want - 1) < 1e-12, String(C));
  assert.ok(Math.abs(frontierBudgetFor(base, frontierLoss(base, 4e20))! / 4e20 - 1) < 1e-12);
  assert.equal(frontierBudgetFor(base, 1.7), undefined);
  assert.equal(frontierMultiplier({ E: 1.5, A: 3000, alpha: 0.2 }, base, 1e40), null); // the arm goes below the baseline's E
});

test('--tokens-per-param: two Chinchilla laws with α = β differing in A and B have the constant multiplier ((A_b + B_b·R^−α)/(A_a + B_a·R^−α))^(2/α)', () => {
  const k = { E: 1.69, alpha: 0.3, beta: 0.3 };
  const base = { law: chinchilla, theta: chinchilla.fromPublic!({ ...k, A: 400, B: 410 }) };
  const arm = { law: chinchilla, theta: chinchilla.fromPublic!({ ...k, A: 300, B: 250 }) };
  // L = E + A·N^−α + B·(R·N)^−α with N = √(C/(6R)): E + (A + B·R^−α)·(C/(6R))^(−α/2).
  for (const R of [5, 20, 200]) {
    const want = ((400 + 410 * R ** -0.3) / (300 + 250 * R ** -0.3)) ** (2 / 0.3);
    for (const C of [1e19, 1e22]) {
      const m = compareCurves(fixedRatioCurve(arm, R), fixedRatioCurve(base, R), C).computeMultiplier!;
      assert.ok(Math.abs(m / want - 1) < 1e-9, `R ${R}, C ${C}: ${m} vs ${want}`);
    }
  }
});

test('probabilityBest: the share of draws each arm is lowest, ties split', () => {
  const draws = [
    [1, 2, 3],
    [2, 1, 3],
    [1, 1, 3],
    [Number.NaN, 2, 1],
  ];
  assert.deepEqual(probabilityBest(draws, 3), [1.5 / 4, 1.5 / 4, 1 / 4]);
});

/** Arms on frontier laws: at each budget 3 sizes, the middle one on the law and the others 2% above it. */
function frontierArms(laws: Record<string, FrontierLaw>, budgets = Cs): Table {
  const rows = [];
  for (const [arm, law] of Object.entries(laws))
    for (const C of budgets)
      for (const [s, up] of [
        [0.5, 1.02],
        [1, 1],
        [2, 1.02],
      ] as const) {
        const N = s * Math.sqrt(C / 120);
        rows.push({ origin: { file: 'f.csv', row: rows.length + 1 }, values: { N, D: C / (6 * N), C, loss: frontierLoss(law, C) * up, arm } });
      }
  return concatTables([{ columns: ['N', 'D', 'C', 'loss', 'arm'], rows }]);
}

test('compare --frontier: recovers each arm’s law and the closed-form multiplier from exact runs', async () => {
  const base: FrontierLaw = { E: 1.7, A: 3000, alpha: 0.2 };
  const { report } = await compareAnalysis.run(frontierArms({ base, arm: { ...base, A: 2000 } }), {
    params: 'N',
    tokens: 'D',
    flops: 'C',
    arm: 'arm',
    frontier: true,
    budget: [1e21, 1e22],
  });
  assert.equal(report.along, 'frontier-law');
  assert.equal(report.law, 'frontier');
  const want = 1.5 ** 5;
  for (const b of report.arms[0]!.budgets) assert.ok(Math.abs(b.computeMultiplier! / want - 1) < 1e-4, `${b.C}: ${b.computeMultiplier}`);
  assert.ok(Math.abs(report.frontierLaws![1]!.A / 2000 - 1) < 1e-3);
  // With E held at the truth the fit is exact.
  const fixed = await compareAnalysis.run(frontierArms({ base, arm: { ...base, A: 2000 } }), {
    params: 'N',
    tokens: 'D',
    flops: 'C',
    arm: 'arm',
    frontier: true,
    fix: ['E=1.7'],
    budget: [1e22],
  });
  assert.ok(Math.abs(fixed.report.arms[0]!.budgets[0]!.computeMultiplier! / want - 1) < 1e-9);
});

test('decision accuracy: when two arms’ frontiers cross above the small budgets, the small-scale ranking is wrong and the law’s extrapolated ranking right', async () => {
  // "steep" starts worse (higher A) but scales better (larger α): the frontiers cross near 1e18.
  const flat: FrontierLaw = { E: 1.8, A: 60, alpha: 0.08 };
  const steep: FrontierLaw = { E: 1.8, A: 900, alpha: 0.145 };
  const budgets = [1e16, 3e16, 1e17, 3e17, 1e20];
  assert.ok(frontierLoss(steep, 3e17) > frontierLoss(flat, 3e17) && frontierLoss(steep, 1e20) < frontierLoss(flat, 1e20));
  const { report } = await compareAnalysis.run(frontierArms({ flat, steep }, budgets), { params: 'N', tokens: 'D', flops: 'C', arm: 'arm', budget: [1e21] });
  const d = report.decisionAccuracy;
  assert.deepEqual(
    d.map((x) => x.accuracy),
    [0, 0, 0, 0, 1],
  );
  // Laws from the first 3 and 4 budgets (exact points: the exact laws) rank the arms as the top budget does.
  assert.deepEqual(
    d.map((x) => x.lawAccuracy),
    [null, null, 1, 1, null],
  );
});
