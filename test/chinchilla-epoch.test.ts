// Reproduces Epoch AI's replication of Hoffmann et al.'s Approach 3 (Besiroglu, Erdil, Barnett, You 2024,
// "Chinchilla Scaling: A replication attempt", arXiv:2404.10102) on their 240 points, through the CLI.
// Expected numbers: datasets/chinchilla/SOURCE.md, from the notebook `data_analysis.ipynb` of
// github.com/epoch-research/analyzing-chinchilla (cell 18: grid fit; cells 25–26: bootstrap).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitReportSchema } from '../src/schema/fit.js';
import { scalewise } from './helpers/cli.js';

const base = [
  'fit',
  'datasets/chinchilla/epoch_chinchilla_points.csv',
  '--law',
  'chinchilla',
  '--params',
  'N_params',
  '--tokens',
  'D_tokens',
  '--loss',
  'loss',
  '--where',
  'in_epoch_fit=1',
  '--grid',
  'hoffmann',
  '--json',
];

const near = (got: number, want: number, tol: number, what: string) => assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} ± ${tol}`);

test("grid fit: Epoch's objective and constants (Huber δ = 1e-3 summed, 4,500 Hoffmann starts)", async () => {
  const r = await scalewise(...base);
  assert.equal(r.status, 0, r.stderr);
  const out = fitReportSchema.parse(JSON.parse(r.stdout));
  assert.equal(out.n, 240);
  assert.equal(out.search.starts, 4500);
  // Epoch: best objective 0.001018274034615; ours may only be lower (a tighter optimum of the same basin).
  assert.ok(Math.abs(out.objective.value / 0.001018274 - 1) < 1e-6, String(out.objective.value));
  near(out.params.A!, 477.8, 1, 'A');
  near(out.params.B!, 2143.9, 5, 'B');
  near(out.params.E!, 1.8172, 2e-4, 'E');
  near(out.params.alpha!, 0.34731, 1e-4, 'alpha');
  near(out.params.beta!, 0.36718, 2e-4, 'beta');
  near(out.optimal!.a, 0.5139, 1e-3, 'a = beta/(alpha+beta)');
  assert.deepEqual(out.warnings, []);
});

test("bootstrap: 4,000 resamples give Epoch's standard errors and 95% intervals within 10%", async () => {
  const r = await scalewise(...base, '--bootstrap', '4000', '--seed', '42');
  assert.equal(r.status, 0, r.stderr);
  const bs = fitReportSchema.parse(JSON.parse(r.stdout)).bootstrap!;
  assert.equal(bs.resamples, 4000);
  assert.equal(bs.failed, 0);
  const epochSE = { A: 124.52232, B: 1293.2841, E: 0.02566, alpha: 0.0154, beta: 0.0206 };
  const epochCI = { A: [285.214, 743.626], B: [1042.357, 5810.344], E: [1.769, 1.871], alpha: [0.317, 0.373], beta: [0.331, 0.415] };
  for (const [k, se] of Object.entries(epochSE)) {
    assert.ok(Math.abs(bs.se[k]! / se - 1) <= 0.1, `SE ${k}: ${bs.se[k]} vs Epoch ${se}`);
    const [lo, hi] = epochCI[k as keyof typeof epochCI];
    assert.ok(Math.abs(bs.ci95[k]![0] / lo! - 1) <= 0.1, `CI ${k} low: ${bs.ci95[k]![0]} vs ${lo}`);
    assert.ok(Math.abs(bs.ci95[k]![1] / hi! - 1) <= 0.1, `CI ${k} high: ${bs.ci95[k]![1]} vs ${hi}`);
  }
  // Epoch: bootstrap SD of a = 0.020 (SOURCE.md).
  near(bs.se.a!, 0.02, 0.002, 'SE of a');
});

test('same input and seed give byte-identical output, whatever the thread count', async () => {
  const args = (seed: string) => [...base, '--grid', 'default', '--bootstrap', '200', '--seed', seed, '--budget', '1e22,5.88e23'];
  const one = await scalewise(...args('7'), '--threads', '1');
  const two = await scalewise(...args('7'), '--threads', '2');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(one.stdout, two.stdout);
  const other = await scalewise(...args('8'), '--threads', '2');
  assert.notEqual(other.stdout, one.stdout, 'a different seed must give different resamples');
});
