// The pooled L(N, D) estimate of a skill gets a bootstrap interval (whole runs resampled across budgets): it
// holds a known Chinchilla law's exponent over seeds, and is the same with or without --bootstrap at its point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { skillsAnalysis } from '../../src/analyses/skills.js';
import { chinchillaTruth, sweep, WIDE } from '../helpers/sweeps.js';

// Hoffmann et al.'s constants: a = β/(α + β).
const trueA = 0.28 / 0.62;
const skill = [{ name: 'all', members: [{ column: 'loss', weight: 1 }], text: 'all=loss' }];

// Measured: 34 of 40 (85%): the resamples refit from the full-data optimum, and the interval is narrower than a 95%
// one should be; docs/skills.md says so. The test guards against worse.
test('pooled L(N,D) a: its 95% interval holds the true exponent in ≥ 32 of 40 seeds (0.5% noise); the point is the plain fit', async () => {
  let held = 0;
  const seeds = 40;
  for (let seed = 0; seed < seeds; seed++) {
    const t = sweep(chinchillaTruth, { ...WIDE, sigma: 0.005, seed });
    const o = { params: 'N', tokens: 'D', flops: 'C', skills: skill, aggregate: 'loss' };
    const withCi = (await skillsAnalysis.run(t, { ...o, bootstrap: 100, seed })).groups[0]!.skills[0]!.pooled!;
    const plain = (await skillsAnalysis.run(t, o)).groups[0]!.skills[0]!.pooled!;
    assert.equal(withCi.a, plain.a);
    assert.equal(plain.ci95, undefined);
    assert.equal(withCi.resamples, 100);
    if (withCi.ci95!.a[0] <= trueA && trueA <= withCi.ci95!.a[1]) held++;
  }
  console.log(`# pooled a's interval holds the truth in ${held} of ${seeds} seeds`);
  assert.ok(held >= 32, `${held}/${seeds}`);
});
