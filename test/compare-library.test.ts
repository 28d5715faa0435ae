// The compare examples of docs/compare.md and docs/library.md ("Comparing arms"), as tests: the same options, the
// numbers the pages print. Frontier laws with E held at 2.459, the shared E of the joint Chinchilla fit
// `scalewise fit datasets/kempner/runs.csv --params params --tokens tokens --flops iso_flop --loss loss_val_c4
// --group datamix --share E` (prints E 2.459); numbers are this code's on the bundled Kempner sweep, not a paper's.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareAnalysis, frontierMultiplier, studySchema } from '../src/index.js';
import { readTables } from '../src/node/index.js';
import { root } from './helpers/cli.js';

const close = (v: number, want: number, digits = 3) => Number(v.toPrecision(digits)) === want;

test('docs/library.md, comparing arms: frontier laws on loss_val_c4, FineWeb-Edu the baseline, 1000 paired resamples', async () => {
  const sweep = await readTables([join(root, 'datasets/kempner/runs.csv')]);
  const { report } = await compareAnalysis.run(sweep, {
    params: 'params',
    tokens: 'tokens',
    flops: 'iso_flop',
    loss: 'loss_val_c4',
    arm: 'datamix',
    baseline: 'fineweb_edu',
    frontier: true,
    fix: ['E=2.459'],
    budget: [1e20, 1e21, 1e22],
    bootstrap: 1000,
    seed: 1,
  });
  const at1e21 = Object.fromEntries(report.arms.map((a) => [a.arm, a.budgets[1]!]));
  // fineweb 16.0× [11.5, 25.5], P(better) 1, P(best) 1; smollm 0.998× [0.937, 1.08], P(better) 0.51.
  assert.ok(close(at1e21.fineweb!.computeMultiplier!, 16.0), String(at1e21.fineweb!.computeMultiplier));
  assert.ok(close(at1e21.fineweb!.ci95![0], 11.5) && close(at1e21.fineweb!.ci95![1], 25.5), String(at1e21.fineweb!.ci95));
  assert.deepEqual([at1e21.fineweb!.pBetter, at1e21.fineweb!.pBest], [1, 1]);
  assert.ok(close(at1e21.smollm!.computeMultiplier!, 0.998) && close(at1e21.smollm!.ci95![1], 1.08), JSON.stringify(at1e21.smollm));
  assert.equal(at1e21.smollm!.pBetter, 0.51);
  // The lack-of-fit t interval, which treats the fits as independent, is wider for the close pair: [0.818, 1.22].
  assert.ok(close(at1e21.smollm!.lackOfFitCi95![0], 0.818) && close(at1e21.smollm!.lackOfFitCi95![1], 1.22), String(at1e21.smollm!.lackOfFitCi95));
  assert.ok(close(at1e21.slimpajama!.computeMultiplier!, 0.526));
  // The baseline's own law, and the closed form the multiplier is: C_base(L_arm(C))/C.
  const laws = Object.fromEntries(report.frontierLaws!.map((f) => [f.arm, f]));
  assert.ok(close(laws.fineweb_edu!.A, 8010) && close(laws.fineweb_edu!.alpha, 0.214), JSON.stringify(laws.fineweb_edu));
  assert.equal(frontierMultiplier(laws.fineweb!, laws.fineweb_edu!, 1e21), at1e21.fineweb!.computeMultiplier);
  // Decision accuracy: 14 of 15 pairs at every budget below 2.2e19, all 15 from there.
  assert.deepEqual(
    report.decisionAccuracy.map((d) => d.pairs * (d.accuracy ?? 0)),
    [14, 14, 14, 14, 14, 14, 15, 15],
  );
});

test('docs/compare.md, the study-file example: a valid study', () => {
  const study = {
    title: 'Datamixes against FineWeb-Edu on C4',
    data: ['kempner/runs.csv'],
    columns: { params: 'params', tokens: 'tokens', flops: 'iso_flop', loss: 'loss_val_c4' },
    analyses: [
      { kind: 'compare', arm: 'datamix', baseline: 'fineweb_edu', frontier: true, fix: ['E=2.459'], budget: [1e20, 1e21, 1e22], bootstrap: 1000, seed: 1 },
      { kind: 'compare', arm: 'datamix', baseline: 'fineweb_edu', share: ['E', 'alpha', 'beta'], tokensPerParam: 20, budget: [1e20, 1e21, 1e22] },
    ],
  };
  assert.doesNotThrow(() => studySchema.parse(study));
});
