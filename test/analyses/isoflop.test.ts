// IsoFLOP analysis (Approach 2): Akima against scipy, parabola vertex, exclusions, synthetic truth, and
// Porian et al. (2024) reproduced on their own IsoFLOP points (datasets/porian, from
// github.com/formll/resolving-scaling-law-discrepancies; published exponents in its fits.csv).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { akima } from '../../src/methods/akima.js';
import { isoflop } from '../../src/methods/isoflop.js';
import { fitParabola } from '../../src/methods/parabola.js';
import { readTables } from '../../src/data/read.js';
import { Random } from '../../src/stats/random.js';
import { join } from 'node:path';
import { root, scalewise } from '../helpers/cli.js';

test('Akima interpolation equals scipy.interpolate.Akima1DInterpolator', async () => {
  // scipy 1.17: Akima1DInterpolator([0,1,2.5,3,4.5,6,7.2], [3.1,2.7,2.5,2.55,2.52,2.9,3.4])([0.3,1.7,2.9,3.3,5.0,7.1,1.0])
  const f = akima([0, 1, 2.5, 3, 4.5, 6, 7.2], [3.1, 2.7, 2.5, 2.55, 2.52, 2.9, 3.4]);
  const want = [2.95144, 2.5538526351638997, 2.542378221415608, 2.5508727678018572, 2.600291506594156, 3.351004373409669, 2.7];
  [0.3, 1.7, 2.9, 3.3, 5.0, 7.1, 1.0].forEach((x, i) => {
    assert.ok(Math.abs(f(x) - want[i]!) < 1e-12, `${x}: ${f(x)} vs ${want[i]}`);
  });
  // Equal slopes on both sides (Akima's 0/0 case): Akima1DInterpolator([0,1,2,3,4],[1,2,3,4,3])([0.5,1.5,2.5,3.5])
  const g = akima([0, 1, 2, 3, 4], [1, 2, 3, 4, 3]);
  [
    [0.5, 1.5],
    [1.5, 2.5],
    [2.5, 3.5],
    [3.5, 3.875],
  ].forEach(([x, y]) => {
    assert.ok(Math.abs(g(x!) - y!) < 1e-12, `${x}: ${g(x!)}`);
  });
});

test('parabola: exact coefficients and vertex from noise-free points', async () => {
  const x = [20, 21, 22, 23.5, 25];
  const y = x.map((v) => 3 - 0.8 * (v - 22.3) + 0.4 * (v - 22.3) ** 2);
  const [c0, c1, c2] = fitParabola(x, y)!;
  assert.ok(Math.abs(-c1 / (2 * c2) - (22.3 + 0.8 / 0.8)) < 1e-9);
  assert.ok(Math.abs(c2 - 0.4) < 1e-10 && Number.isFinite(c0));
});

/** Runs on iso-FLOP curves of L = E + A/N^α + B/D^β, with seeded Gaussian noise of sd `sigma`. */
function synthetic(alpha: number, beta: number, sigma: number, seed: number) {
  const [E, A, B] = [1.8, 400, 1200];
  const rng = new Random(seed);
  const C: number[] = [],
    N: number[] = [],
    loss: number[] = [];
  const G = Math.pow((alpha * A) / (beta * B), 1 / (alpha + beta));
  for (let c = 1e18; c <= 1.1e21; c *= 2) {
    const nOpt = G * Math.pow(c / 6, beta / (alpha + beta));
    for (let j = -4; j <= 4; j++) {
      const n = nOpt * Math.pow(2, j / 2 + 0.3 * Math.sin(c)); // off-centre grids, as in real sweeps
      const d = c / (6 * n);
      C.push(c);
      N.push(n);
      loss.push(E + A / n ** alpha + B / d ** beta + sigma * rng.normal());
    }
  }
  return { C, N, loss, a: beta / (alpha + beta) };
}

test('synthetic law: recovers a = β/(α+β) inside its interval, by noise draws and by bootstrap', async () => {
  for (const [alpha, beta] of [
    [0.34, 0.28],
    [0.3, 0.4],
  ] as const) {
    const pts = synthetic(alpha, beta, 0.003, 11);
    for (const intervals of [
      { kind: 'noise', sigma: 0.003, draws: 400, seed: 1 },
      { kind: 'bootstrap', resamples: 400, seed: 1 },
    ] as const) {
      const r = isoflop(pts, { method: 'akima', intervals });
      const [lo, hi] = r.fit!.ci95!.a;
      assert.ok(lo <= pts.a && pts.a <= hi, `${intervals.kind}: true a ${pts.a} outside [${lo}, ${hi}] (a = ${r.fit!.a})`);
      assert.ok(hi - lo < 0.1, `interval too wide to mean anything: [${lo}, ${hi}]`);
    }
    const p = isoflop(pts, { method: 'parabola' });
    assert.ok(Math.abs(p.fit!.a - pts.a) < 0.03, `parabola a ${p.fit!.a} vs ${pts.a}`);
  }
});

test('exclusions: too few sizes, minimum at the edge, parabola opening downward', async () => {
  const C = [1e18, 1e18, 2e18, 2e18, 2e18, 4e18, 4e18, 4e18, 4e18, 8e18, 8e18, 8e18, 8e18];
  const N = [1e7, 2e7, 1e7, 2e7, 4e7, 1e7, 2e7, 4e7, 8e7, 1e7, 2e7, 4e7, 8e7];
  const loss = [3.0, 2.9, /* 2e18: still falling at the largest size */ 3.0, 2.9, 2.8, /* 4e18 */ 3.0, 2.7, 2.6, 2.8, /* 8e18: a cap */ 2.5, 2.7, 2.72, 2.5];
  const r = isoflop({ C, N, loss }, { method: 'parabola' });
  assert.deepEqual(
    r.budgets.map((b) => b.excluded),
    ['too-few-sizes', 'edge-min', null, 'concave'],
  );
  assert.equal(r.budgets[0]!.N, null);
  assert.equal(r.fit, null);
  assert.match(
    r.warnings.map((w) => w.message).join('\n'),
    /C = 2\.00e18 left out \(edge-min\): the minimum is at or beyond the largest size tried \(4\.00e7\)/,
  );
  assert.match(r.warnings.map((w) => w.message).join('\n'), /no power law: 1 budget with an interior minimum/);
});

test('Porian et al. (2024): all 15 configurations, Akima + noise draws, a within 0.01 of the published value', async () => {
  const fits = await readTables([join(root, 'datasets/porian/fits.csv')]);
  const ours = new Map<string, { a: number; ci: [number, number] }>();
  for (const [dataset, sigma] of [
    ['rw', '0.002'],
    ['owt2', '0.01'],
  ]) {
    const r = await scalewise(
      'isoflop',
      'datasets/porian/isoflop_points.csv',
      '--flops',
      'flops_budget',
      '--params',
      'n_params',
      '--loss',
      'loss',
      '--where',
      `dataset=${dataset}`,
      '--group',
      'config_id',
      '--method',
      'akima',
      '--noise',
      sigma!,
      '--draws',
      '1000',
      '--seed',
      '42',
      '--json',
    );
    assert.equal(r.status, 0, r.stderr);
    for (const g of JSON.parse(r.stdout).groups) ours.set(g.group, { a: g.fit.a, ci: g.fit.ci95.a });
  }
  assert.equal(ours.size, 15);
  for (const row of fits.rows) {
    const v = row.values;
    const got = ours.get(String(v.config_id))!;
    const a = Number(v.a);
    assert.ok(Math.abs(got.a - a) <= 0.01, `config ${v.config_id} (${v.dataset}, ${v.label}): a ${got.a} vs published ${a}`);
    assert.ok(
      Math.abs(got.ci[0] - Number(v.a_ci95_lo)) <= 0.01 && Math.abs(got.ci[1] - Number(v.a_ci95_hi)) <= 0.01,
      `config ${v.config_id}: interval [${got.ci}] vs published [${v.a_ci95_lo}, ${v.a_ci95_hi}]`,
    );
  }
});

test('isoflop CLI: bad method and unknown group column are one-line errors', async () => {
  const base = ['isoflop', 'datasets/porian/isoflop_points.csv', '--flops', 'flops_budget', '--params', 'n_params'];
  let r = await scalewise(...base, '--method', 'spline');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'scalewise: error: unknown method "spline" (known: parabola, akima)\n');
  r = await scalewise(...base, '--group', 'datamix');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^scalewise: error: datasets\/porian\/isoflop_points\.csv: no column "datamix" \(columns: config_id, dataset, /);
});
