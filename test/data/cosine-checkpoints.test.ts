// Issue 12's "Done when": on synthetic loss curves of a known law under a cosine schedule, checkpoint selection
// recovers the true N*(C) exponent within 0.02 (the WSD case is in test/data/checkpoints.test.ts). Each run is
// trained to its own length with a cosine schedule: only its last checkpoint has annealed and lies on the law
// (Hoffmann et al.'s constants, a = 0.28/0.62); before that its loss sits above the law by 3% times the learning
// rate's remaining fraction (1 + cos(πt/T))/2, the shape of the gap Hägele et al. 2024 (Fig. 2) show between a
// cosine run's intermediate checkpoints and runs trained to that length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoflopAnalysis } from '../../src/analyses/isoflop.js';
import type { Table } from '../../src/data/table.js';
import { chinchillaTruth } from '../helpers/sweeps.js';

const trueA = 0.28 / 0.62;
const budgets = Array.from({ length: 6 }, (_, b) => 1e18 * 3 ** b);

/** Per budget 9 sizes 1.6× apart around the optimum, each one cosine run ending at the budget (D = C/(6N)), logged at 20 steps. */
function cosineRuns(): Table {
  const rows: Table['rows'] = [];
  budgets.forEach((C, b) => {
    for (let s = 0; s < 9; s++) {
      const N = 4e7 * 3 ** (b / 2) * 1.6 ** (s - 4);
      const T = C / (6 * N);
      for (let k = 1; k <= 20; k++) {
        const D = (T * k) / 20;
        const lr = (1 + Math.cos((Math.PI * k) / 20)) / 2;
        rows.push({
          origin: { file: 'cosine.csv', row: rows.length + 1 },
          values: { run: `c${b}-s${s}`, tokens: D, params: N, loss: chinchillaTruth(N, D) * (1 + 0.03 * lr) },
        });
      }
    }
  });
  return { columns: ['run', 'tokens', 'params', 'loss'], rows };
}

test('cosine runs: the final checkpoint of each run (--run, the default selection) recovers the true N*(C) exponent within 0.02', async () => {
  const t = cosineRuns();
  const final = await isoflopAnalysis.run(t, { run: 'run', tokens: 'tokens' });
  const g = final.groups[0]!;
  assert.equal(g.budgets.length, budgets.length);
  assert.ok(Math.abs(g.fit!.a - trueA) < 0.02, `a = ${g.fit!.a}, truth ${trueA}`);
  assert.deepEqual(final.checkpoints!.warnings, []);
  // Every checkpoint read between as if finished: warned, and its a is not what the final checkpoints give.
  const all = await isoflopAnalysis.run(t, { run: 'run', tokens: 'tokens', atBudgets: budgets });
  assert.deepEqual(
    all.checkpoints!.warnings.map((w) => w.code),
    ['intermediate-checkpoints'],
  );
  console.log(
    `# cosine runs: a = ${g.fit!.a.toFixed(4)} from final checkpoints, ${all.groups[0]!.fit?.a.toFixed(4)} reading every checkpoint (truth ${trueA.toFixed(4)})`,
  );
});
