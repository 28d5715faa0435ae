// Optimisers on textbook problems with known minima (Rosenbrock 1960: minimum 0 at (1, …, 1)).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lbfgs } from '../src/optim/lbfgs.js';
import { levenbergMarquardt } from '../src/optim/levenberg-marquardt.js';
import { nelderMead } from '../src/optim/nelder-mead.js';

function rosenbrock(x: Float64Array, g?: Float64Array): number {
  let f = 0;
  if (g) g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!,
      b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    if (g) {
      g[i]! += -400 * x[i]! * a - 2 * b;
      g[i + 1]! += 200 * a;
    }
  }
  return f;
}

test('L-BFGS finds the 2-D and 5-D Rosenbrock minimum', () => {
  for (const x0 of [Float64Array.of(-1.2, 1), Float64Array.of(-1.2, 1, -1.2, 1, -1.2)]) {
    const r = lbfgs(rosenbrock, x0, { gradTol: 1e-10, fFloor: 0, fTol: 1e-16 });
    assert.ok(r.converged, r.reason);
    for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-6, `x = ${Array.from(r.x)}`);
  }
});

test('L-BFGS backs off when the objective leaves its domain (returns Infinity)', () => {
  // f = x − log x on x > 0, minimum at x = 1; a unit step from x = 0.1 lands outside the domain.
  const fn = (x: Float64Array, g?: Float64Array) => {
    const v = x[0]!;
    if (g) g[0] = 1 - 1 / v;
    return v > 0 ? v - Math.log(v) : Infinity;
  };
  const r = lbfgs(fn, Float64Array.of(0.1), { gradTol: 1e-12 });
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-8, String(r.x[0]));
});

test('Nelder–Mead finds the 2-D Rosenbrock minimum', () => {
  const r = nelderMead((x) => rosenbrock(x), Float64Array.of(-1.2, 1), { xTol: 1e-8, fTol: 1e-12, maxIterations: 5000, maxEvaluations: 10000 });
  assert.ok(r.converged, r.reason);
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-6 && Math.abs(r.x[1]! - 1) < 1e-6, `x = ${Array.from(r.x)}`);
});

test('Levenberg–Marquardt recovers an exponential decay exactly from noise-free data', () => {
  const t = Array.from({ length: 10 }, (_, i) => i);
  const truth = [2.5, 0.35, 0.7];
  const y = t.map((ti) => truth[0]! * Math.exp(-truth[1]! * ti) + truth[2]!);
  const res = (p: Float64Array, r: Float64Array, J?: Float64Array) => {
    t.forEach((ti, i) => {
      const e = Math.exp(-p[1]! * ti);
      r[i] = y[i]! - (p[0]! * e + p[2]!);
      if (J) {
        J[i * 3] = -e;
        J[i * 3 + 1] = p[0]! * ti * e;
        J[i * 3 + 2] = -1;
      }
    });
  };
  const r = levenbergMarquardt(res, Float64Array.of(1, 1, 0), 10, { fTol: 1e-15, xTol: 1e-15 });
  assert.ok(r.converged, r.reason);
  truth.forEach((v, j) => {
    assert.ok(Math.abs(r.x[j]! - v) < 1e-8, `p${j} = ${r.x[j]}`);
  });
});
