// The over-training law of Gadre et al. (2024): its start grid against their code's parametrisation, its
// equivalence with the Chinchilla law at α = β = 2η, its compute-optimal M, and recovery of a known truth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Runs } from '../../src/data/runs.js';
import { fitLaw } from '../../src/fitting/fit.js';
import { chinchilla } from '../../src/laws/chinchilla.js';
import { gadreStarts, overtrain, overtrainOptimalM, overtrainToChinchilla } from '../../src/laws/overtrain.js';

const runsOf = (N: number[], D: number[], loss?: number[]): Runs => ({
  N: Float64Array.from(N),
  D: Float64Array.from(D),
  C: Float64Array.from(N, (n, i) => 6 * n * D[i]!),
  loss: Float64Array.from(loss ?? N.map(() => 1)),
  origin: N.map((_, i) => ({ file: 'synthetic', row: i + 1 })),
});
const predict = (law: typeof overtrain | typeof chinchilla, theta: Float64Array, runs: Runs) => {
  const out = new Float64Array(runs.N.length);
  law.predict(theta, law.prepare(runs) as never, out);
  return out;
};
const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

const runs = runsOf([1.1e7, 7.9e7, 4.1e8, 1.4e9, 6.9e9], [2.2e8, 4.7e10, 8.2e9, 9.2e11, 1.4e11]);

test("overtrain: the 128 starts are Gadre et al.'s grid, mapped from their code form α·N^p + β·6^(p/2)·(M·N)^p + E", () => {
  const starts = gadreStarts();
  assert.equal(starts.length, 4 * 4 * 2 * 4);
  // mlfoundations/scaling, scaling/laws.py (`powlaw_ours`, `curve_fit_powlaw_ours`): same L at every start.
  const code = (alpha: number, beta: number, p: number, E: number, N: number, M: number) =>
    alpha * Math.pow(N, p) + beta * Math.pow(6, p / 2) * Math.pow(M * N, p) + E;
  let k = 0;
  for (const alpha of [100, 300, 1000, 3000])
    for (const beta of [100, 300, 1000, 3000])
      for (const p of [-0.1, -0.3])
        for (const E of [0, 1, 2, 10]) {
          const ours = predict(overtrain, starts[k++]!, runs);
          runs.N.forEach((N, i) => {
            close(ours[i]!, code(alpha, beta, p, E, N, runs.D[i]! / N), 1e-12, `start ${k} run ${i}`);
          });
        }
});

test('overtrain equals chinchilla with α = β = 2η, A = a·6^−η, B = b·6^−η', () => {
  const p = { E: 1.84, a: 212.2, b: 366.7, eta: 0.1364 };
  const theta = Float64Array.of(Math.log(p.a), Math.log(p.b), p.eta, p.E);
  const c = overtrainToChinchilla(p);
  assert.equal(c.alpha, 2 * p.eta);
  assert.equal(c.beta, 2 * p.eta);
  const ctheta = Float64Array.of(Math.log(c.A), Math.log(c.B), Math.log(c.E), c.alpha, c.beta);
  const a = predict(overtrain, theta, runs),
    b = predict(chinchilla, ctheta, runs);
  a.forEach((v, i) => {
    close(v, b[i]!, 1e-12, `run ${i}`);
  });
  const viaLaw = overtrain.chinchilla!(theta);
  for (const k of ['E', 'A', 'B', 'alpha', 'beta'] as const) close(viaLaw[k], c[k], 1e-12, k);
});

test('overtrain: optimal M = (b/a)^(1/(2η)) minimises the loss at fixed C, and the allocation gives D/N = M', () => {
  const p = { E: 1.84, a: 212.2, b: 366.7, eta: 0.1364 };
  const theta = Float64Array.of(Math.log(p.a), Math.log(p.b), p.eta, p.E);
  const M = overtrainOptimalM(p);
  const C = 1e22;
  const lossAtM = (m: number) => {
    const N = Math.sqrt(C / (6 * m));
    return predict(overtrain, theta, runsOf([N], [m * N]))[0]!;
  };
  // Golden-section search over log M.
  let lo = Math.log(0.01),
    hi = Math.log(1e5);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 200; k++) {
    const x1 = hi - g * (hi - lo),
      x2 = lo + g * (hi - lo);
    if (lossAtM(Math.exp(x1)) < lossAtM(Math.exp(x2))) hi = x2;
    else lo = x1;
  }
  close(Math.exp((lo + hi) / 2), M, 1e-6, 'argmin M');
  const alloc = overtrain.allocate!(theta);
  close(1 / (alloc.G * alloc.G), M, 1e-12, 'D/N of the allocation');
  assert.equal(overtrain.optimalM!(theta), M);
});

test('overtrain: least squares recovers a known law from noiseless runs', () => {
  const truth = Float64Array.of(Math.log(150), Math.log(400), 0.15, 1.7);
  const N: number[] = [],
    D: number[] = [];
  for (const n of [1e7, 8e7, 1.5e8, 4e8])
    for (const m of [5, 20, 80, 320]) {
      N.push(n);
      D.push(m * n);
    }
  const synthetic = runsOf(N, D);
  const loss = predict(overtrain, truth, synthetic);
  const fit = fitLaw(overtrain, { ...synthetic, loss }, { objective: { kind: 'mse' } });
  assert.ok(fit.converged);
  const got = overtrain.toPublic(fit.theta),
    want = overtrain.toPublic(truth);
  for (const k of overtrain.publicNames) close(got[k]!, want[k]!, 1e-6, k);
});
