// `scalewise plan`: a saved fit read as a plan. The compute-optimal run at a budget is fit's own allocation;
// the target-loss inverse, the inference-aware allocation and the deadweight compute are checked against
// their closed forms, Sardana et al.'s Figure 1, and each other; every bad input has its one-line error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { planAnalysis } from '../src/analyses/plan.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { kaplan } from '../src/laws/kaplan.js';
import { overtrain } from '../src/laws/overtrain.js';
import { logConstants, type Law } from '../src/laws/law.js';
import { optimalAt } from '../src/methods/allocation.js';
import { predictionInterval } from '../src/methods/calibration.js';
import { allocationOf, budgetForLoss, flopsOf, inferenceOptimal, lossAt, tokensForLoss } from '../src/methods/plan.js';
import { fitReportSchema } from '../src/schema/fit.js';
import { planReportSchema, type PlanReport } from '../src/schema/plan.js';
import type { SavedFit } from '../src/schema/saved-fit.js';
import { nodeEnv } from '../src/node/env.js';
import { scalewise, tempFiles, testBadInputs } from './helpers/cli.js';

// The README's Epoch fit (datasets/chinchilla/SOURCE.md), with fewer draws to keep the test quick.
const dir = tempFiles({});
const saved = join(dir, 'epoch.json');
const noDraws = join(dir, 'epoch-no-draws.json');
const epoch = [
  'datasets/chinchilla/epoch_chinchilla_points.csv',
  '--params',
  'N_params',
  '--tokens',
  'D_tokens',
  '--loss',
  'loss',
  '--where',
  'in_epoch_fit=1',
];
const budgets = [1e22, 1e24];
const fitRun = await scalewise('fit', ...epoch, '--bootstrap', '200', '--seed', '1', '--budget', budgets.join(','), '--save', saved, '--json');
assert.equal(fitRun.status, 0, fitRun.stderr);
const fitJson = fitReportSchema.parse(JSON.parse(fitRun.stdout));
const noDrawsRun = await scalewise('fit', ...epoch, '--no-calibrate', '--save', noDraws);
assert.equal(noDrawsRun.status, 0, noDrawsRun.stderr);
const savedDoc = JSON.parse(readFileSync(saved, 'utf8')) as SavedFit;
const theta = Float64Array.from(savedDoc.theta);
const E = savedDoc.theta.length === 5 ? Math.exp(savedDoc.theta[2]!) : NaN;

async function plan(...args: string[]): Promise<{ report: PlanReport; stderr: string }> {
  const r = await scalewise('plan', saved, ...args, '--json');
  assert.equal(r.status, 0, r.stderr);
  // Strict: the document holds no field the schema does not name.
  return { report: planReportSchema.parse(JSON.parse(r.stdout)), stderr: r.stderr };
}

test('at a budget: N, D, the loss and their intervals are exactly fit’s optimal.budgets for the same fit', async () => {
  const { report } = await plan('--budget', budgets.join(','));
  assert.equal(report.E, E);
  assert.equal(report.plans.length, 2);
  report.plans.forEach((p, j) => {
    const f = fitJson.optimal!.budgets[j]!;
    assert.equal(p.from, 'budget');
    assert.equal(p.C, f.C);
    assert.equal(p.N, f.N);
    assert.equal(p.D, f.D);
    assert.equal(p.loss, f.loss);
    assert.equal(p.tokensPerParam, f.tokensPerParam);
    assert.equal(p.extrapolation, f.extrapolation);
    assert.deepEqual(p.ci95, f.ci95);
  });
});

test('pi95 is predictionInterval(calibration, loss, C / largest fitted C), with the warnings predict gives', async () => {
  const { report } = await plan('--budget', '1e22,1e26');
  const cal = savedDoc.calibration!;
  assert.ok(cal, 'the Epoch fit has a calibration');
  for (const p of report.plans) assert.deepEqual(p.pi95, predictionInterval(cal, p.loss, p.C / savedDoc.data.C[1]));
  const codes = report.warnings.map((w) => w.code);
  // 1e26 is ~7700× the largest fitted C (1.30e22): far, and beyond the 512× the calibration checked.
  assert.ok(report.plans[1]!.extrapolation > cal.maxDistance);
  assert.ok(codes.includes('far-extrapolation') && codes.includes('pi-extrapolated'), codes.join(', '));
  assert.ok(!report.warnings.some((w) => w.message.startsWith('C = 1.00e22')), 'the budget inside the data is not flagged');
});

test('a fit without draws or calibration: no ci95, no pi95, and both said', async () => {
  const r = await scalewise('plan', noDraws, '--budget', '1e22', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = planReportSchema.parse(JSON.parse(r.stdout));
  assert.equal(report.plans[0]!.ci95, undefined);
  assert.equal(report.plans[0]!.pi95, undefined);
  assert.deepEqual(
    report.warnings.map((w) => w.code),
    ['no-draws', 'no-calibration'],
  );
});

test('target loss: the budget found gives the target loss to 1e-9, and its interval holds it', async () => {
  for (const L of [2.0, 1.95, 2.3]) {
    const { report } = await plan('--target-loss', String(L));
    const p = report.plans[0]!;
    assert.equal(p.from, 'target-loss');
    assert.equal(p.targetLoss, L);
    assert.ok(Math.abs(p.loss - L) < 1e-9, `loss ${p.loss} for target ${L}`);
    // Round trip through the CLI: plan at the budget found.
    const back = (await plan('--budget', String(p.C))).report.plans[0]!;
    assert.ok(Math.abs(back.loss - L) < 1e-9, `plan --budget ${p.C} gives ${back.loss}`);
    assert.ok(Math.abs(back.N / p.N - 1) < 1e-12);
    // Each draw's budget for L: an interval around the estimate; each draw's own loss at C straddles L.
    assert.ok(p.ci95!.C![0] < p.C && p.C < p.ci95!.C![1]);
    assert.ok(p.ci95!.N[0] < p.N && p.N < p.ci95!.N[1]);
    assert.ok(p.ci95!.loss[0] < L && L < p.ci95!.loss[1]);
  }
});

test('target loss: the frontier is L* − E = k·C^(−αβ/(α+β)), so the budget has a closed form to compare with', () => {
  // Hoffmann et al. (2022) eq. (4): at the optimum A/N^α + B/D^β is a power of C with exponent −αβ/(α+β).
  const alloc = allocationOf(chinchilla, theta);
  const { alpha, beta } = chinchilla.toPublic(theta) as { alpha: number; beta: number };
  const C1 = 1e22;
  const k = optimalAt(chinchilla, theta, alloc, C1).loss - E;
  const g = (alpha * beta) / (alpha + beta);
  for (const L of [2.1, 1.9, 1.82]) {
    const closed = C1 * Math.pow((L - E) / k, -1 / g);
    const C = budgetForLoss(chinchilla, theta, alloc, L)!;
    assert.ok(Math.abs(C / closed - 1) < 1e-9, `${C} vs ${closed}`);
  }
  assert.equal(budgetForLoss(chinchilla, theta, alloc, E), undefined);
});

test('every law: the target-loss inverse round-trips, and the inference-aware run is the compute-optimal one at T = 0', () => {
  // Constants of the size these laws take on LM data; the checks hold for any with a closed-form allocation.
  const cases: { law: Law<unknown>; theta: Float64Array }[] = [
    { law: chinchilla, theta: logConstants({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }) },
    { law: kaplan, theta: logConstants({ E: 1.7, A: 8.8e13, B: 5.4e13, alpha: 0.076, beta: 0.095 }) },
    { law: overtrain, theta: overtrain.fromPublic!({ E: 1.8, a: 140, b: 360, eta: 0.12 }) },
  ];
  for (const { law, theta: t } of cases) {
    const alloc = allocationOf(law, t);
    const E0 = law.toPublic(t).E!;
    for (const C of [1e20, 1e24]) {
      const pt = optimalAt(law, t, alloc, C);
      const back = budgetForLoss(law, t, alloc, pt.loss)!;
      assert.ok(Math.abs(back / C - 1) < 1e-9, `${law.name}: C ${C} → ${back}`);
      assert.ok(Math.abs(optimalAt(law, t, alloc, back).loss - pt.loss) < 1e-12);
      const zero = inferenceOptimal(law, t, pt.loss, 0, pt.N);
      assert.ok(Math.abs(zero.N / pt.N - 1) < 1e-6, `${law.name}: T = 0 gives N ${zero.N}, not ${pt.N}`);
      const heavy = inferenceOptimal(law, t, pt.loss, 100 * pt.D, pt.N);
      assert.ok(heavy.N < pt.N && heavy.D > pt.D, law.name);
      assert.ok(heavy.totalFlops < flopsOf(pt.N, pt.D, 100 * pt.D).totalFlops, law.name);
      assert.ok(Math.abs(lossAt(law, t, heavy.N, heavy.D) - pt.loss) < 1e-12, law.name);
    }
    assert.equal(budgetForLoss(law, t, alloc, E0), undefined, law.name);
  }
});

test('a target between E and the draws’ largest E: some draws cannot reach it, said, and the unbounded interval left out', async () => {
  // E = 1.817 here; its bootstrap interval reaches 1.87 (fit's report), so many draws put E above 1.83.
  const { report } = await plan('--target-loss', '1.83');
  const w = report.warnings.find((x) => x.code === 'unreachable-draws');
  assert.ok(w, JSON.stringify(report.warnings));
  assert.match(w.message, /^target loss 1\.83: \d+ of 200 bootstrap draws put E at or above it .*: the budget has no upper 95% bound, so no ci95$/);
  assert.equal(report.plans[0]!.ci95, undefined);
});

test('inference-aware: T = 0 is the compute-optimal run; large T shrinks N, grows D, and lowers the total', async () => {
  const { report } = await plan('--budget', '1e23', '--target-loss', '2', '--inference-tokens', '0');
  for (const p of report.plans) {
    const i = p.inference!;
    // Golden section in ln N on a flat minimum: N to ~1e-8 relative, the total to rounding.
    assert.ok(Math.abs(i.N / p.N - 1) < 1e-6, `N ${i.N} vs ${p.N}`);
    assert.ok(Math.abs(i.D / p.D - 1) < 1e-6, `D ${i.D} vs ${p.D}`);
    assert.ok(Math.abs(i.totalFlops / p.C - 1) < 1e-12);
    assert.equal(i.inferenceFlops, 0);
    assert.ok(i.saving.fraction < 1e-12);
  }
  const big = (await plan('--budget', '1e23', '--inference-tokens', '1e13')).report.plans[0]!;
  const i = big.inference!;
  assert.ok(i.N < big.N && i.D > big.D, `${i.N} ${i.D} vs ${big.N} ${big.D}`);
  assert.ok(Math.abs(i.loss - big.loss) < 1e-9, 'the same loss');
  assert.equal(i.chinchilla.totalFlops, 6 * big.N * big.D + 2 * big.N * 1e13);
  assert.ok(i.totalFlops < i.chinchilla.totalFlops);
  assert.equal(i.saving.flops, i.chinchilla.totalFlops - i.totalFlops);
  // The optimum: nearby configurations on the same iso-loss curve cost more.
  for (const f of [0.98, 1.02]) {
    const N = i.N * f;
    const D = tokensForLoss(chinchilla, theta, N, i.loss)!;
    assert.ok(flopsOf(N, D, 1e13).totalFlops > i.totalFlops);
  }
});

test('inference-aware: Sardana et al. (2023) Figure 1 — a 13B Chinchilla-optimal model with 2T inference tokens', () => {
  // arXiv 2401.00448, Figure 1: "a 13B model ... 2 trillion tokens of inference demand ... can reduce their total
  // compute by 1.7 × 10^22 FLOPs (17%) by instead training a 7B model on more data" (the figure's caption, as
  // retrieved). The caption's constants were not in the text retrieved: Hoffmann et al.'s eq. (10) E, A, B with
  // α = 0.336, β = 0.283 reproduce all three numbers (7.0B, 1.69e22, 17.4%); with the unrounded α = 0.33917,
  // β = 0.28491 (datasets/chinchilla/SOURCE.md) the same calculation gives 7.1B, 1.63e22, 16.3%, checked below.
  const h = logConstants({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.336, beta: 0.283 });
  const alloc = allocationOf(chinchilla, h);
  const C = 6 * Math.pow(13e9 / alloc.G, 1 / alloc.a);
  const pt = optimalAt(chinchilla, h, alloc, C);
  assert.ok(Math.abs(pt.N / 13e9 - 1) < 1e-12);
  const best = inferenceOptimal(chinchilla, h, pt.loss, 2e12, pt.N);
  const chin = flopsOf(pt.N, pt.D, 2e12);
  const saving = chin.totalFlops - best.totalFlops;
  assert.equal(Math.round(best.N / 1e9), 7);
  assert.equal(Number((saving / 1e22).toFixed(1)), 1.7);
  assert.equal(Math.round((100 * saving) / chin.totalFlops), 17);
  assert.ok(Math.abs(lossAt(chinchilla, h, best.N, best.D) - pt.loss) < 1e-12);
  const u = logConstants({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.33917084, beta: 0.2849083 });
  const ua = allocationOf(chinchilla, u);
  const upt = optimalAt(chinchilla, u, ua, 6 * Math.pow(13e9 / ua.G, 1 / ua.a));
  const ub = inferenceOptimal(chinchilla, u, upt.loss, 2e12, upt.N);
  const uSaving = flopsOf(upt.N, upt.D, 2e12).totalFlops - ub.totalFlops;
  assert.equal(Number((ub.N / 1e9).toFixed(1)), 7.1);
  assert.equal(Number((uSaving / 1e22).toFixed(2)), 1.63);
});

test('deadweight: 0 for the compute-optimal run, positive off the frontier, with the optimal run of the same loss', async () => {
  const at = (await plan('--budget', '1e22')).report.plans[0]!;
  const { report } = await plan('--n', `${at.N},1e10,1e11`, '--d', `${at.D},1e13,1e11`);
  const [opt, small, big] = report.proposed;
  assert.ok(Math.abs(opt!.deadweight.fraction) < 1e-9, String(opt!.deadweight.fraction));
  assert.ok(Math.abs(opt!.optimal.N / at.N - 1) < 1e-9);
  for (const p of [small!, big!]) {
    assert.ok(p.deadweight.flops > 0 && p.deadweight.fraction > 0 && p.deadweight.fraction < 1);
    assert.equal(p.C, 6 * p.N * p.D);
    assert.equal(p.deadweight.flops, p.C - p.optimal.C);
    // The optimal run reaches the proposed run's loss.
    const check = (await plan('--budget', String(p.optimal.C))).report.plans[0]!;
    assert.ok(Math.abs(check.loss - p.loss) < 1e-9);
    assert.ok(p.ci95!.loss[0] < p.loss && p.loss < p.ci95!.loss[1]);
  }
  // D/N = 1000 and D/N = 1 are far from the ~20 the frontier wants: most of their compute is wasted.
  assert.ok(small!.deadweight.fraction > 0.3 && big!.deadweight.fraction > 0.3);
});

test('cost: GPU-hours = FLOPs / (throughput × utilisation) / 3600, and money at the price', async () => {
  const { report } = await plan('--budget', '1e24', '--throughput', '989e12', '--price', '2.5', '--inference-tokens', '1e12');
  const p = report.plans[0]!;
  assert.equal(p.cost!.gpuHours, 1e24 / (989e12 * 0.4) / 3600);
  assert.equal(p.cost!.dollars, p.cost!.gpuHours * 2.5);
  assert.equal(p.inference!.cost!.gpuHours, p.inference!.trainingFlops / (989e12 * 0.4) / 3600);
  const u = (await plan('--budget', '1e24', '--throughput', '989e12', '--utilisation', '0.5')).report.plans[0]!;
  assert.equal(u.cost!.gpuHours, 1e24 / (989e12 * 0.5) / 3600);
  assert.equal(u.cost!.dollars, undefined);
});

test('the text output: the tables', async () => {
  const r = await scalewise('plan', saved, '--budget', '1e22', '--target-loss', '2', '--inference-tokens', '1e12', '--n', '1e10', '--d', '1e12');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^chinchilla plan from .*epoch\.json; asymptote E = 1\.817\n/);
  assert.match(r.stdout, /\nCompute-optimal runs \(C = 6ND\)\n/);
  assert.match(r.stdout, /\nInference-aware runs \(Sardana et al\. 2023\)/);
  assert.match(r.stdout, /\nProposed runs against the frontier/);
});

test('a joint fit: --group plans with that group’s constants, exactly fit’s joint.groups[].optimal', async () => {
  const file = join(dir, 'joint.json');
  const args = ['datasets/kempner/runs.csv', '--params', 'params', '--tokens', 'tokens', '--flops', 'iso_flop', '--loss', 'loss_val_own'];
  const f = await scalewise(
    'fit',
    ...args,
    '--group',
    'datamix',
    '--share',
    'alpha,beta',
    '--no-calibrate',
    '--bootstrap',
    '20',
    '--seed',
    '1',
    '--budget',
    '1e21',
    '--save',
    file,
    '--json',
  );
  assert.equal(f.status, 0, f.stderr);
  const joint = fitReportSchema.parse(JSON.parse(f.stdout)).joint!;
  for (const g of joint.groups.slice(0, 2)) {
    const r = await scalewise('plan', file, '--group', g.group, '--budget', '1e21', '--json');
    assert.equal(r.status, 0, r.stderr);
    const p = planReportSchema.parse(JSON.parse(r.stdout));
    assert.equal(p.group, g.group);
    const want = g.optimal!.budgets[0]!;
    assert.equal(p.plans[0]!.N, want.N);
    assert.equal(p.plans[0]!.D, want.D);
    assert.equal(p.plans[0]!.loss, want.loss);
    assert.deepEqual(p.plans[0]!.ci95, want.ci95);
  }
  const none = await scalewise('plan', file, '--budget', '1e21');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^scalewise: error: .*joint\.json is a joint fit across datamix: give --group NAME \(one of fineweb, /);
});

test('the library: planAnalysis.run reads the saved fit through the environment and gives the CLI’s document', async () => {
  const lib = await planAnalysis.run({ columns: [], rows: [] }, { fit: saved, budget: [1e24], targetLoss: [2] }, nodeEnv());
  const cli = (await plan('--budget', '1e24', '--target-loss', '2')).report;
  assert.deepEqual(JSON.parse(JSON.stringify(lib)), cli);
});

test('a law without a closed-form allocation is named', () => {
  const { allocate: _, ...noAllocation } = chinchilla;
  assert.throws(() => allocationOf({ ...noAllocation, name: 'custom' }, theta), {
    message: 'the custom law has no closed-form compute-optimal allocation: plan needs one',
  });
});

testBadInputs([
  [
    'a target loss at the asymptote',
    ['plan', saved, '--target-loss', '1.8'],
    `--target-loss 1.8 is at or below the fitted asymptote E = ${E.toPrecision(6)} of ${saved}: no budget reaches it`,
  ],
  ['a budget of 0', ['plan', saved, '--budget', '0'], '--budget "0": expected a positive number'],
  ['a negative budget', ['plan', saved, '--budget', '-1e22'], '--budget "-1e22": expected a positive number'],
  ['nothing to plan', ['plan', saved], 'give --budget C,..., --target-loss L,... or --n N --d D'],
  ['no fit', ['plan', '--budget', '1e22'], '--fit FILE is required (a fit saved with scalewise fit --save)'],
  ['--n without --d', ['plan', saved, '--n', '1e9'], '--n needs --d'],
  ['--price without --throughput', ['plan', saved, '--budget', '1e22', '--price', '2'], '--price needs --throughput (FLOP/s per GPU)'],
  [
    'utilisation above 1',
    ['plan', saved, '--budget', '1e22', '--throughput', '1e15', '--utilisation', '1.5'],
    '--utilisation is a fraction of the peak FLOP/s, at most 1; got 1.5',
  ],
  [
    'inference tokens without a plan',
    ['plan', saved, '--n', '1e9', '--d', '1e10', '--inference-tokens', '1e12'],
    '--inference-tokens needs --budget or --target-loss',
  ],
  ['--group on a fit without groups', ['plan', saved, '--budget', '1e22', '--group', 'x'], `--group needs a joint fit (${saved} was not fitted with --group)`],
  ['a missing file', ['plan', join(dir, 'none.json'), '--budget', '1e22'], `${join(dir, 'none.json')}: cannot read the file (ENOENT)`],
]);
