// The declarations guard library callers as the CLI parser and the study schema guard theirs: an analysis's
// run fills defaults, checks every value against its declaration (messages name options by key), and keeps
// the rows `where` names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitAnalysis, isoflopAnalysis, parseFilter, parseTable, UserError } from '../src/index.js';

const csv = `N,D,loss,mix\n${[1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8].flatMap((N) => [2e9, 8e9].map((D) => `${N},${D},${(1.7 + 400 / N ** 0.34 + 2000 / D ** 0.28).toFixed(6)},${D === 2e9 ? 'a' : 'b'}`)).join('\n')}`;
const table = await parseTable('runs.csv', new TextEncoder().encode(csv));

const rejects = (options: object, message: string) =>
  assert.rejects(
    fitAnalysis.run(table, { params: 'N', tokens: 'D', ...options } as never),
    (err: unknown) => err instanceof UserError && err.message === message,
  );

test('a library call takes the declared defaults for what it leaves out', async () => {
  const r = await fitAnalysis.run(table, { params: 'N', tokens: 'D' });
  assert.equal(r.report.law, 'chinchilla');
  assert.equal(r.report.objective.kind, 'huber');
  assert.equal(r.report.objective.delta, 1e-3);
  assert.equal(r.report.search.grid, 'default');
  assert.equal(r.report.n, 12);
});

test('every value is checked against its declaration, the message naming the option by its key', async () => {
  await rejects({ grid: 'hofman' }, 'grid "hofman": unknown grid (known: default, hoffmann)');
  await rejects({ delta: -1 }, 'delta -1: expected a positive number');
  await rejects({ bootstrap: 2.5 }, 'bootstrap 2.5: expected a whole number >= 0');
  await rejects({ objective: 'l1' }, 'objective "l1": unknown objective (known: huber, mse, asym)');
  await rejects({ budget: [] }, 'budget []: expected a list of positive numbers');
  await rejects({ fitWhere: ['N<1e8'] }, 'fitWhere ["N<1e8"]: expected a list of conditions (parseFilter("COL=VALUE"))');
  await rejects(
    { bootstrapp: 100 },
    'unknown option "bootstrapp" (known: where, params, tokens, flops, unique, flopsScale, run, step, checkpoints, phase, skipFirst, smooth, bestPer, loss, law, objective, select, candidates, scoreBy, delta, asymWeight, grid, screen, fix, tie, bound, group, share, weights, bootstrap, bootstrapGrid, seed, budget, label, calibrate, fitWhere, targetWhere, holdoutTop, error, errorFitWhere, link, errorFile, join, taskColumn, tasks)',
  );
  // The resample count is checked before the fit runs, with the contract every analysis shares.
  await rejects({ bootstrap: 3 }, 'bootstrap needs 0 (no intervals) or at least 10 resamples, got 3');
});

test('run keeps the rows where names, with the same error as the CLI when none are left', async () => {
  const r = await isoflopAnalysis.run(table, { params: 'N', tokens: 'D', where: [parseFilter('mix=a')] });
  assert.equal(r.points[0]!.N.length, 6);
  await assert.rejects(isoflopAnalysis.run(table, { params: 'N', tokens: 'D', where: [parseFilter('mix=c')] }), {
    message: 'no runs left after where mix=c (12 rows before)',
  });
});

test('without an environment, an option naming a file is a clear error', async () => {
  await rejects({ error: 'loss', errorFile: 'long.csv', join: 'N' }, 'long.csv: this call gave no environment to read files with (pass env to run)');
});
