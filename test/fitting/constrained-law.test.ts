// The constrained-law wrapper (src/laws/constrained.ts): its θ layout, its Jacobian against central
// finite differences, its starts and its map back to the full θ of the base law.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runsAt } from '../../src/data/runs.js';
import { UserError } from '../../src/errors.js';
import { chinchilla } from '../../src/laws/chinchilla.js';
import { constantIndex, constrainedLaw, type Constraints } from '../../src/laws/constrained.js';
import { kaplan } from '../../src/laws/kaplan.js';
import type { Law } from '../../src/laws/law.js';
import { overtrain } from '../../src/laws/overtrain.js';
import { isoflopGrid } from './synthetic.js';
import { assertJacobian } from '../helpers/jacobian.js';

const grid = isoflopGrid();
const runs = runsAt(grid.N, grid.D);

function checkJacobian(base: Law<unknown>, c: Constraints, theta: Float64Array) {
  const law = constrainedLaw(base, c);
  const f = law.prepare(runs);
  const out = assertJacobian(law, f, runs.N.length, theta, base.name);
  // predict without a Jacobian gives the same losses, and the base law at the full θ does too.
  const plain = new Float64Array(out.length),
    viaBase = new Float64Array(out.length);
  law.predict(theta, f, plain);
  base.predict(law.full(theta), f, viaBase);
  assert.deepEqual(plain, out);
  assert.deepEqual(viaBase, out);
  return law;
}

test('constrained law: θ entries of the reported constants (chinchilla: E is log E, entry 2)', () => {
  assert.deepEqual(
    chinchilla.publicNames.map((k) => constantIndex(chinchilla, k)),
    [2, 0, 1, 3, 4],
  );
  assert.deepEqual(
    overtrain.publicNames.map((k) => constantIndex(overtrain, k)),
    [3, 0, 1, 2],
  );
});

test('constrained law: the Jacobian matches central differences (rel 1e-6), fixed and tied, every law', () => {
  const cases: [Law<unknown>, Constraints, number[]][] = [
    [chinchilla, { fix: { E: 1.69 } }, [6, 6.1, 0.34, 0.28]],
    [chinchilla, { tie: [['alpha', 'beta']] }, [6, 6.1, 0.5, 0.3]],
    [chinchilla, { fix: { E: 1.69 }, tie: [['alpha', 'beta']] }, [6, 6.1, 0.3]],
    [chinchilla, { fix: { alpha: 0.3 }, tie: [['A', 'B']] }, [6, 0.5, 0.28]],
    [kaplan, { fix: { E: 1.5 }, tie: [['alpha', 'beta']] }, [20, 21, 0.3]],
    [kaplan, { fix: { beta: 0.3 } }, [20, 21, 0.5, 0.1]],
    [overtrain, { fix: { E: 1.5 } }, [6, 6, 0.15]],
    [overtrain, { tie: [['a', 'b']] }, [6, 0.15, 1.5]],
  ];
  for (const [law, c, theta] of cases) checkJacobian(law, c, Float64Array.from(theta));
});

test('constrained law: θ names, full θ, constants, starts and delegation', () => {
  const law = constrainedLaw(chinchilla, { fix: { E: 1.69 }, tie: [['alpha', 'beta']] });
  assert.deepEqual(law.thetaNames, ['a', 'b', 'alpha=beta']);
  assert.deepEqual(law.fixedNames, ['E']);
  const theta = Float64Array.of(6, 6.1, 0.3);
  const full = law.full(theta);
  assert.deepEqual(Array.from(full), [6, 6.1, Math.log(1.69), 0.3, 0.3]);
  assert.deepEqual(law.toPublic(theta), chinchilla.toPublic(full));
  assert.deepEqual(Array.from(law.free(full)), [6, 6.1, 0.3]);
  assert.deepEqual(
    Array.from(law.fromPublic!(chinchilla.toPublic(full))),
    Array.from(theta).map((v, j) => (j < 2 ? Math.log(Math.exp(v)) : v)),
  );
  assert.deepEqual(law.allocate!(theta), chinchilla.allocate!(full));
  // Starts: the base grid with E dropped and alpha = beta merged, without duplicates (6·6·3 of 6·6·3·3·3).
  const starts = law.starts('default');
  assert.equal(starts.length, 6 * 6 * 3);
  assert.equal(new Set(starts.map((s) => s.join(','))).size, starts.length);
  assert.ok(starts.every((s) => s.length === 3));
  // The over-training law keeps its equivalent Chinchilla constants and optimal M through the wrapper.
  const ot = constrainedLaw(overtrain, { fix: { E: 1.5 } });
  const otTheta = Float64Array.of(6, 6.2, 0.15);
  assert.deepEqual(ot.chinchilla!(otTheta), overtrain.chinchilla!(ot.full(otTheta)));
  assert.equal(ot.optimalM!(otTheta), overtrain.optimalM!(ot.full(otTheta)));
});

test('constrained law: refuses what it cannot do, as a UserError', () => {
  const refuses = (c: Constraints, message: RegExp) =>
    assert.throws(
      () => constrainedLaw(chinchilla, c),
      (e: unknown) => e instanceof UserError && message.test(e.message),
    );
  refuses({ fix: { G: 1 } }, /unknown constant "G" of the chinchilla law \(constants: E, A, B, alpha, beta\)/);
  refuses({ fix: { E: 0 } }, /E must be > 0 for the chinchilla law/);
  refuses({ tie: [['alpha', 'alpha']] }, /cannot tie alpha to itself/);
  refuses({ fix: { beta: 0.3 }, tie: [['alpha', 'beta']] }, /beta is fixed/);
  refuses({ tie: [['E', 'alpha']] }, /different scales/);
  // Three fixed and the two exponents tied still leave one value to fit.
  assert.deepEqual(constrainedLaw(chinchilla, { fix: { E: 1, A: 1, B: 1 }, tie: [['alpha', 'beta']] }).thetaNames, ['alpha=beta']);
  refuses({ fix: { E: 1, A: 1, B: 1, alpha: 0.3, beta: 0.3 } }, /every constant of the chinchilla law is fixed/);
});
