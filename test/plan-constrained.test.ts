// Compute-optimal allocation under a unique-token limit (src/methods/constrained-allocation.ts) on Muennighoff et
// al.'s published data-constrained law (datasets/datablations/SOURCE.md: the C4 coefficients of cell 29 and
// R_D* = 15.387756, R_N* = 5.309743): against a brute-force grid minimum, and against the unconstrained
// allocation when the limit is at or above D_opt (they must agree); then `plan --unique-tokens` end to end.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataConstrained } from '../src/laws/data-constrained.js';
import { optimalAt } from '../src/methods/allocation.js';
import { constrainedOptimal, constrainedPoint } from '../src/methods/constrained-allocation.js';
import { allocationOf } from '../src/methods/plan.js';
import { planReportSchema } from '../src/schema/plan.js';
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

testBadInputs([
  [
    '--unique-tokens with a target loss',
    ['plan', saved, '--target-loss', '2.3', '--unique-tokens', '1e10'],
    '--unique-tokens plans at --budget only, not with --target-loss',
  ],
  [
    '--unique-tokens without a budget',
    ['plan', saved, '--n', '1e9', '--d', '1e10', '--unique-tokens', '1e10'],
    '--unique-tokens plans at --budget only, not with --n',
  ],
  ['--unique-tokens of 0', ['plan', saved, '--budget', '1e21', '--unique-tokens', '0'], '--unique-tokens "0": expected a positive number'],
]);
