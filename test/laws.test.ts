// Law gradients against central finite differences, and the closed-form compute-optimal allocation
// against a direct numerical minimisation along the iso-FLOP line C = 6ND.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeOptimal } from '../src/methods/allocation.js';
import type { Runs } from '../src/data/runs.js';
import { laws } from '../src/laws/registry.js';

const runs: Runs = {
  N: Float64Array.of(7e7, 4e8, 2.5e9, 1.6e10),
  D: Float64Array.of(3e9, 1e10, 8e10, 3e11),
  C: new Float64Array(4),
  loss: new Float64Array(4),
  origin: [],
};
const thetas: Record<string, number[]> = {
  chinchilla: [6.17, 7.67, 0.597, 0.347, 0.367],
  kaplan: [31.0, 30.5, 0.6, 0.076, 0.095],
  // Gadre et al.'s RedPajama fit, in θ = (log a, log b, η, E).
  overtrain: [Math.log(166.21 * Math.pow(6, 0.13643)), Math.log(366.69), 0.13643, 1.8366],
  // Muennighoff et al.'s C4 base constants with their R_D*, R_N* (datasets/datablations/SOURCE.md); runs without U read as U = D.
  'data-constrained': [6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, Math.log(15.387756), Math.log(5.309743)],
};

for (const [name, law] of Object.entries(laws)) {
  test(`${name}: analytic gradient matches central differences`, () => {
    const theta = Float64Array.from(thetas[name]!);
    const p = theta.length;
    const f = law.prepare(runs);
    const out = new Float64Array(4);
    const jac = new Float64Array(4 * p);
    law.predict(theta, f, out, jac);
    for (let j = 0; j < p; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(theta[j]!));
      const up = Float64Array.from(theta),
        dn = Float64Array.from(theta);
      up[j]! += h;
      dn[j]! -= h;
      const fu = new Float64Array(4),
        fd = new Float64Array(4);
      law.predict(up, f, fu);
      law.predict(dn, f, fd);
      for (let i = 0; i < 4; i++) {
        const fdv = (fu[i]! - fd[i]!) / (2 * h);
        const an = jac[i * p + j]!;
        assert.ok(Math.abs(fdv - an) <= 1e-6 * Math.max(1e-8, Math.abs(an)) + 1e-9, `${name} d/d${law.thetaNames[j]} run ${i}: ${an} vs ${fdv}`);
      }
    }
  });

  test(`${name}: compute-optimal N minimises the law along C = 6ND`, () => {
    const theta = Float64Array.from(thetas[name]!);
    const C = 5.88e23;
    const opt = computeOptimal(law, theta, [C]).budgets[0]!;
    // Golden-section search over log N on the iso-FLOP line.
    const lossAt = (logN: number) => {
      const N = Math.exp(logN);
      const r: Runs = { N: Float64Array.of(N), D: Float64Array.of(C / (6 * N)), C: Float64Array.of(C), loss: Float64Array.of(1), origin: [] };
      const out = new Float64Array(1);
      law.predict(theta, law.prepare(r), out);
      return out[0]!;
    };
    let lo = Math.log(1e6),
      hi = Math.log(1e14);
    const g = (Math.sqrt(5) - 1) / 2;
    for (let k = 0; k < 200; k++) {
      const a = hi - g * (hi - lo),
        b = lo + g * (hi - lo);
      if (lossAt(a) < lossAt(b)) hi = b;
      else lo = a;
    }
    const numeric = Math.exp((lo + hi) / 2);
    assert.ok(Math.abs(opt.N / numeric - 1) < 1e-5, `closed form ${opt.N} vs numeric ${numeric}`);
    assert.ok(Math.abs(opt.loss - lossAt(Math.log(opt.N))) < 1e-12);
    assert.ok(Math.abs((opt.N * opt.D * 6) / C - 1) < 1e-12);
  });
}
