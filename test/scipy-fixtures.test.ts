// Our objective, gradient and optimisers against scipy on the same problems. The golden values are made by
// bench/reference/make_fixtures.py (scipy 1.17) and committed as test/fixtures/scipy/*.json.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { toRuns } from '../src/data/columns.js';
import { readTables } from '../src/data/read.js';
import { applyFilters, parseFilter } from '../src/data/where.js';
import { chinchilla } from '../src/laws/chinchilla.js';
import { makeObjective, resolveObjective } from '../src/objectives/objective.js';
import { lbfgs } from '../src/optim/lbfgs.js';
import { levenbergMarquardt } from '../src/optim/levenberg-marquardt.js';
import { nelderMead } from '../src/optim/nelder-mead.js';
import { root } from './helpers/cli.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(root, 'test/fixtures/scipy', `${name}.json`), 'utf8'));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test("chinchilla Huber objective and gradient equal scipy's at Hoffmann's constants (Epoch's bootstrap start)", async () => {
  const fx = fixture('chinchilla_single_start');
  const table = applyFilters(await readTables([join(root, 'datasets/chinchilla/epoch_chinchilla_points.csv')]), [parseFilter('in_epoch_fit=1')]);
  const runs = toRuns(table, { params: 'N_params', tokens: 'D_tokens', loss: 'loss' });
  const fn = makeObjective(chinchilla, chinchilla.prepare(runs), runs.loss, resolveObjective({ kind: 'huber', delta: 1e-3 }));
  const g = new Float64Array(5);
  const f = fn(Float64Array.from(fx.theta0), g);
  assert.ok(rel(f, fx.objective_at_theta0) < 1e-12, `${f} vs ${fx.objective_at_theta0}`);
  fx.gradient_at_theta0.forEach((v: number, j: number) => {
    assert.ok(rel(g[j]!, v) < 1e-9, `grad ${j}: ${g[j]} vs ${v}`);
  });

  // From the same start, L-BFGS reaches scipy L-BFGS-B's optimum (or a lower point of the same flat basin).
  const r = lbfgs(fn, Float64Array.from(fx.theta0), { fTol: 1e-15, fFloor: 0, gradTol: 1e-12 });
  assert.ok(r.f <= fx.lbfgsb.objective * (1 + 1e-9), `${r.f} vs scipy ${fx.lbfgsb.objective}`);
  const ours = chinchilla.toPublic(r.x);
  for (const k of ['E', 'alpha', 'beta']) assert.ok(rel(ours[k]!, fx.lbfgsb.params[k]) < 1e-3, `${k}: ${ours[k]} vs ${fx.lbfgsb.params[k]}`);
});

test('Levenberg–Marquardt equals MINPACK (scipy least_squares method="lm") on a noisy exponential decay', () => {
  const fx = fixture('lm_exp_decay');
  const t: number[] = fx.t,
    y: number[] = fx.y;
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
  const r = levenbergMarquardt(res, Float64Array.from(fx.start), t.length, { fTol: 1e-15, xTol: 1e-15 });
  fx.solution.forEach((v: number, j: number) => {
    assert.ok(rel(r.x[j]!, v) < 1e-7, `p${j}: ${r.x[j]} vs ${v}`);
  });
  assert.ok(rel(r.f, fx.cost) < 1e-9, `cost ${r.f} vs ${fx.cost}`);
});

test("Nelder–Mead with scipy's defaults lands where scipy's does on Rosenbrock", () => {
  const fx = fixture('nelder_mead_rosenbrock');
  const rosen = (x: Float64Array) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
  const r = nelderMead(rosen, Float64Array.from(fx.start));
  assert.ok(r.converged, r.reason);
  fx.x.forEach((v: number, j: number) => {
    assert.ok(Math.abs(r.x[j]! - v) < 1e-4, `x${j}: ${r.x[j]} vs ${v}`);
  });
  assert.ok(r.f < 1e-8);
});
