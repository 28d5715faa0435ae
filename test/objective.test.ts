// Objectives: values from their definitions, gradients against central finite differences.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Runs } from '../src/data/runs.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { makeObjective, resolveObjective, rho } from '../src/objectives/objective.js';

test('huber: r²/2 inside δ, δ(|r| − δ/2) outside (Huber 1964)', () => {
  const f = rho(resolveObjective({ kind: 'huber', delta: 1e-3 }));
  const d = new Float64Array(1);
  assert.equal(f(5e-4, d), 0.5 * 5e-4 * 5e-4);
  assert.equal(d[0], 5e-4);
  assert.equal(f(-0.01, d), 1e-3 * (0.01 - 0.5e-3));
  assert.equal(d[0], -1e-3);
});

test('asym: over-prediction (r < 0) costs `weight` times more', () => {
  const f = rho(resolveObjective({ kind: 'asym', delta: 1e-3, weight: 10 }));
  const d = new Float64Array(1);
  assert.ok(Math.abs(f(-0.05, d) - 10 * f(0.05, d)) < 1e-15);
});

const runs: Runs = {
  N: Float64Array.of(7e7, 4e8, 2.5e9, 1.6e10, 3e8, 9e9),
  D: Float64Array.of(3e9, 1e10, 8e10, 3e11, 5e9, 2e10),
  C: new Float64Array(6),
  loss: Float64Array.of(3.2, 2.9, 2.4, 2.1, 3.0, 2.5),
  origin: [],
};

for (const kind of ['huber', 'mse', 'asym'] as const) {
  test(`${kind}: gradient matches central differences`, () => {
    // δ large enough that some residuals fall on each side of it.
    const spec = resolveObjective({ kind, delta: 0.05 });
    const weights = Float64Array.of(1, 2, 0, 1, 3, 1);
    const fn = makeObjective(chinchilla, chinchilla.prepare(runs), runs.loss, spec, weights);
    const theta = Float64Array.of(6.0, 7.0, 0.55, 0.33, 0.36);
    const g = new Float64Array(5);
    fn(theta, g);
    for (let j = 0; j < 5; j++) {
      const h = 1e-7;
      const up = Float64Array.from(theta),
        dn = Float64Array.from(theta);
      up[j]! += h;
      dn[j]! -= h;
      const fd = (fn(up) - fn(dn)) / (2 * h);
      assert.ok(Math.abs(fd - g[j]!) <= 1e-6 * Math.abs(g[j]!) + 1e-9, `${kind} d/d${chinchilla.thetaNames[j]}: ${g[j]} vs ${fd}`);
    }
  });
}
