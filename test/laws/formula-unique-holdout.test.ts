// Held-out runs carry their unique tokens U: `fit --law data-constrained --unique U --holdout-top K` (and a formula
// law that reads U) score each held-out run at its own (N, D, U), not as if it were trained on fresh data (U = D).
// Data: Muennighoff et al.'s 182 C4 runs (datasets/datablations/SOURCE.md), the base constants fixed at the paper's
// "C4 scaling coefficients" (notebook cell 29), as test/laws/data-constrained.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitAnalysis } from '../../src/analyses/fit.js';
import { toRuns } from '../../src/data/columns.js';
import { readTable } from '../../src/data/read.js';
import type { Runs } from '../../src/data/runs.js';
import { applyFilters, parseFilter } from '../../src/data/where.js';
import { constrainedLaw } from '../../src/laws/constrained.js';
import { dataConstrained } from '../../src/laws/data-constrained.js';
import { formulaLaw } from '../../src/laws/formula/law.js';
import type { Law } from '../../src/laws/law.js';

const CSV = 'datasets/datablations/runs.csv';
const C4 = { a: 6.255414, b: 7.3049974, e: 0.6254804, alpha: 0.3526596, beta: 0.3526596 };
const fix = [`E=${Math.exp(C4.e)}`, `A=${Math.exp(C4.a)}`, `B=${Math.exp(C4.b)}`, `alpha=${C4.alpha}`, `beta=${C4.beta}`];
const base = { params: 'N', tokens: 'D', unique: 'U', loss: 'loss', where: [parseFilter('in_dc_fit=1')], holdoutTop: 1, calibrate: false };

/** The held-out rows (the largest budget) as runs, with and without their U. */
async function heldOut(): Promise<{ withU: Runs; fresh: Runs }> {
  const table = applyFilters(await readTable(CSV), [parseFilter('in_dc_fit=1')]);
  const all = toRuns(table, { params: 'N', tokens: 'D', unique: 'U', loss: 'loss' });
  let top = 0;
  for (const c of all.C) top = Math.max(top, c);
  const rows = table.rows.filter((_, i) => all.C[i]! >= top * (1 - 1e-6));
  const withU = toRuns({ ...table, rows }, { params: 'N', tokens: 'D', unique: 'U', loss: 'loss' });
  const { U: _, ...fresh } = withU;
  return { withU, fresh };
}
const predict = (law: Law<unknown>, theta: Float64Array, runs: Runs) => {
  const out = new Float64Array(runs.N.length);
  law.predict(theta, law.prepare(runs), out);
  return out;
};

test('fit --law data-constrained --holdout-top 1: held-out runs are forecast at their own U', async () => {
  const r = await fitAnalysis.run(await readTable(CSV), { ...base, law: 'data-constrained', fix });
  const targets = r.report.targets!;
  const { withU, fresh } = await heldOut();
  assert.equal(targets.length, withU.N.length);
  assert.ok(
    withU.U!.some((u, i) => u < withU.D[i]!),
    'some held-out runs repeat data',
  );
  const law = constrainedLaw(dataConstrained, { fix: Object.fromEntries(fix.map((f) => f.split('=')).map(([k, v]) => [k!, Number(v)])) });
  const free = law.free(r.fit.theta);
  const want = predict(law as Law<unknown>, free, withU);
  const asFresh = predict(law as Law<unknown>, free, fresh);
  let differs = 0;
  targets.forEach((t, i) => {
    assert.ok(Math.abs(t.predicted / want[i]! - 1) < 1e-12, `target ${i}: ${t.predicted} vs ${want[i]}`);
    if (Math.abs(asFresh[i]! / want[i]! - 1) > 1e-3) differs++;
  });
  assert.ok(differs > 0, 'the U = D forecast would be the same: the test would not see U');
});

test('a formula law of U scores held-out runs at their U too', async () => {
  const text = 'E + A*N^-alpha + B*(U*(1 + R*(1 - exp(-(D/U - 1)/R))))^-beta';
  const r = await fitAnalysis.run(await readTable(CSV), { ...base, law: text, fix, start: ['R=5,15,50'] });
  const { withU } = await heldOut();
  const law = formulaLaw(text, { linear: r.saved().thetaNames });
  const want = predict(law as Law<unknown>, r.fit.theta, withU);
  r.report.targets!.forEach((t, i) => {
    assert.ok(Math.abs(t.predicted / want[i]! - 1) < 1e-12, `target ${i}: ${t.predicted} vs ${want[i]}`);
  });
  assert.ok(r.report.params.R! > 0);
});
