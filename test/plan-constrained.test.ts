// Compute-optimal allocation under a unique-token limit (src/methods/constrained-allocation.ts) on Muennighoff et
// al.'s published data-constrained law (datasets/datablations/SOURCE.md: the C4 coefficients of cell 29 and
// R_D* = 15.387756, R_N* = 5.309743): against a brute-force grid minimum, and against the unconstrained
// allocation when the limit is at or above D_opt (they must agree); then `plan --unique-tokens` end to end.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataConstrained } from '../src/laws/data-constrained.js';
import { optimalAt } from '../src/methods/allocation.js';
import { constrainedBudgetForLoss, constrainedFloor, constrainedOptimal, constrainedPoint } from '../src/methods/constrained-allocation.js';
import { allocationOf, budgetForLoss } from '../src/methods/plan.js';
import { planReportSchema } from '../src/schema/plan.js';
import type { SavedFit } from '../src/schema/saved-fit.js';
import { scalewise, tempFiles, testBadInputs } from './helpers/cli.js';

const published = { A: Math.exp(6.255414), B: Math.exp(7.3049974), E: Math.exp(0.6254804), alpha: 0.3526596, beta: 0.3526596, RD: 15.387756, RN: 5.309743 };
const theta = dataConstrained.fromPublic!(published);
const alloc = allocationOf(dataConstrained, theta);

/** The least loss over a grid of 40,001 sizes, 4 decades either side of the unconstrained N_opt. */
function gridMinimum(C: number, U: number) {
  const n0 = optimalAt(dataConstrained, theta, alloc, C).N;
  let best = { N: NaN, loss: Infinity };
  for (let i = 0; i <= 40000; i++) {
    const N = n0 * Math.pow(10, -4 + (8 * i) / 40000);
    const loss = constrainedPoint(dataConstrained, theta, C, N, U).loss;
    if (loss < best.loss) best = { N, loss };
  }
  return best;
}

test('under a binding limit: the grid minimum, to the grid spacing, and never worse than it', () => {
  for (const [C, U] of [
    [1e20, 1e9],
    [1e21, 1e10],
    [1e22, 1e10],
    [5.76e23, 1e11],
  ] as const) {
    const free = optimalAt(dataConstrained, theta, alloc, C);
    const got = constrainedOptimal(dataConstrained, theta, C, U, free.N);
    const grid = gridMinimum(C, U);
    assert.ok(got.loss <= grid.loss + 1e-13, `C ${C}, U ${U}: ${got.loss} above the grid's ${grid.loss}`);
    // Grid spacing: 8 decades / 40,000 = 4.6e-4 in ln N.
    assert.ok(Math.abs(Math.log(got.N / grid.N)) < 5e-4, `C ${C}, U ${U}: N ${got.N} vs grid ${grid.N}`);
    // It repeats data (more epochs than the unconstrained run would need is not required, but D > U here).
    assert.ok(got.D > U && got.epochs === got.D / U);
    // dD′/dD = e^(−(D/U − 1)/R_D*), and D′ = U·(1 + R_D*·(1 − that)).
    assert.ok(Math.abs(got.lastTokenWorth - Math.exp(-(got.epochs - 1) / published.RD)) < 1e-15);
    assert.ok(Math.abs(got.effectiveD / (U * (1 + published.RD * (1 - got.lastTokenWorth))) - 1) < 1e-14);
    // The limit costs loss: the constrained optimum is above the unconstrained one.
    assert.ok(got.loss > free.loss);
  }
});

test('with U at or above D_opt nothing repeats: the unconstrained allocation, N to 1e-6 and the loss to 1e-12', () => {
  for (const C of [1e19, 1e21, 5.76e23]) {
    const free = optimalAt(dataConstrained, theta, alloc, C);
    for (const U of [free.D, 3 * free.D, 1e15]) {
      const got = constrainedOptimal(dataConstrained, theta, C, U, free.N);
      assert.ok(Math.abs(got.N / free.N - 1) < 1e-6, `C ${C}, U ${U}: N ${got.N} vs ${free.N}`);
      assert.ok(Math.abs(got.loss - free.loss) < 1e-12, `C ${C}, U ${U}: loss ${got.loss} vs ${free.loss}`);
      assert.ok(Math.abs(got.epochs - 1) < 1e-5);
    }
  }
});

test('the tighter the limit, the smaller the model and the more epochs (Muennighoff et al. Figure 3)', () => {
  const C = 1e22;
  const free = optimalAt(dataConstrained, theta, alloc, C);
  const runs = [1e11, 3e10, 1e10, 3e9].map((U) => constrainedOptimal(dataConstrained, theta, C, U, free.N));
  for (let i = 1; i < runs.length; i++) {
    assert.ok(runs[i]!.N < runs[i - 1]!.N);
    assert.ok(runs[i]!.epochs > runs[i - 1]!.epochs);
    assert.ok(runs[i]!.loss > runs[i - 1]!.loss);
  }
});

test('a target loss under a limit: the least budget reaching it, the unconstrained one when U is ample, none below the floor', () => {
  const nAt = (C: number) => optimalAt(dataConstrained, theta, alloc, C).N;
  const U = 1e10;
  const floor = constrainedFloor(dataConstrained, theta, U);
  // The floor: E + A/(U_N(1 + R_N*))^α + B/(U(1 + R_D*))^β, approached from above as C grows (and met in
  // doubles once e^(−R_D/R_D*) underflows against 1, beyond ~1e25 FLOP here).
  let last = Infinity;
  for (const C of [1e22, 1e23, 1e25, 1e28, 1e32]) {
    const l = constrainedOptimal(dataConstrained, theta, C, U, nAt(C)).loss;
    assert.ok(l >= floor && l <= last, `C ${C}: ${l}`);
    last = l;
  }
  assert.ok(constrainedOptimal(dataConstrained, theta, 1e22, U, nAt(1e22)).loss > floor + 0.01);
  assert.ok(last - floor < 1e-12, `${last} vs floor ${floor}`);
  for (const L of [floor + 0.2, floor + 0.05, floor + 0.01]) {
    const C = constrainedBudgetForLoss(dataConstrained, theta, U, L, nAt)!;
    assert.ok(Math.abs(constrainedOptimal(dataConstrained, theta, C, U, nAt(C)).loss - L) < 1e-9, `L ${L}`);
    // Less compute does not reach it.
    assert.ok(constrainedOptimal(dataConstrained, theta, C * 0.99, U, nAt(C * 0.99)).loss > L);
  }
  assert.equal(constrainedBudgetForLoss(dataConstrained, theta, U, floor, nAt), undefined);
  // With more unique tokens than the run needs, the unconstrained frontier's budget.
  for (const L of [2.4, 2.2]) {
    const free = budgetForLoss(dataConstrained, theta, alloc, L)!;
    const ample = constrainedBudgetForLoss(dataConstrained, theta, 1e15, L, nAt)!;
    assert.ok(Math.abs(ample / free - 1) < 1e-6, `L ${L}: ${ample} vs ${free}`);
  }
});

// End to end: the fit of SOURCE.md (base constants fixed at cell 29's), saved, then planned with a limit.
const dir = tempFiles({});
const saved = join(dir, 'dc.json');
const FIX = `E=${published.E},A=${published.A},B=${published.B},alpha=${published.alpha},beta=${published.beta}`;
const fitRun = await scalewise(
  'fit',
  'datasets/datablations/runs.csv',
  '--law',
  'data-constrained',
  '--params',
  'N',
  '--tokens',
  'D',
  '--unique',
  'U',
  '--where',
  'in_dc_fit=1',
  '--fix',
  FIX,
  '--save',
  saved,
);
assert.equal(fitRun.status, 0, fitRun.stderr);

test('plan --unique-tokens: the constrained optimum of the saved fit, with the unconstrained run for comparison', async () => {
  const r = await scalewise('plan', saved, '--budget', '1e21,1e22', '--unique-tokens', '1e10', '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = planReportSchema.parse(JSON.parse(r.stdout));
  const free = await scalewise('plan', saved, '--budget', '1e21,1e22', '--json');
  const unconstrained = planReportSchema.parse(JSON.parse(free.stdout));
  doc.plans.forEach((p, i) => {
    const d = p.dataConstrained!;
    assert.equal(d.U, 1e10);
    assert.equal(d.unconstrained.N, unconstrained.plans[i]!.N);
    assert.ok(p.N < d.unconstrained.N && d.epochs > d.unconstrained.epochs && d.epochs > 1);
    assert.ok(p.loss <= d.unconstrained.loss);
    assert.equal(p.D, p.C / (6 * p.N));
  });
  // A limit above every D_opt changes nothing.
  const loose = planReportSchema.parse(JSON.parse((await scalewise('plan', saved, '--budget', '1e21,1e22', '--unique-tokens', '1e14', '--json')).stdout));
  for (const [i, p] of loose.plans.entries()) assert.ok(Math.abs(p.N / unconstrained.plans[i]!.N - 1) < 1e-6);
});

test('plan --target-loss --unique-tokens: the budget whose constrained run reaches the target', async () => {
  const r = await scalewise('plan', saved, '--target-loss', '2.3', '--unique-tokens', '2e10', '--json');
  assert.equal(r.status, 0, r.stderr);
  const p = planReportSchema.parse(JSON.parse(r.stdout)).plans[0]!;
  assert.equal(p.from, 'target-loss');
  assert.equal(p.targetLoss, 2.3);
  assert.ok(Math.abs(p.loss - 2.3) < 1e-9);
  assert.ok(p.dataConstrained!.epochs > 1 && p.dataConstrained!.unconstrained.loss > 2.3);
});

const savedTheta = Float64Array.from((JSON.parse(readFileSync(saved, 'utf8')) as SavedFit).theta);
testBadInputs([
  [
    'a target below the floor of the limit',
    ['plan', saved, '--target-loss', '2.1', '--unique-tokens', '2e10'],
    `--target-loss 2.1: with at most 2.00e10 unique tokens the law's loss never falls below ${constrainedFloor(dataConstrained, savedTheta, 2e10).toPrecision(6)} (${saved}: D′ ≤ U·(1 + R_D*)), so no budget reaches it`,
  ],
  [
    '--unique-tokens with a proposed run',
    ['plan', saved, '--n', '1e9', '--d', '1e10', '--unique-tokens', '1e10'],
    '--unique-tokens plans at --budget or --target-loss only, not with --n',
  ],
  ['--unique-tokens of 0', ['plan', saved, '--budget', '1e21', '--unique-tokens', '0'], '--unique-tokens "0": expected a positive number'],
]);
