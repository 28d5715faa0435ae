// W&B history read directly by the analysis commands (src/data/read.ts readTables, src/data/import/wandb-history.ts
// isHistory): the long layout (run, step, metric, value), told by its header, and the run-history Parquet, by its
// name, become the table `scalewise import wandb-history` writes; an analysis of the file gives the same JSON as
// the analysis of the imported table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTables } from '../../src/data/read.js';
import { isHistory } from '../../src/data/import/wandb-history.js';
import { root, scalewise, tempFiles, testBadInputs } from '../helpers/cli.js';
import { chinchillaTruth } from '../helpers/sweeps.js';
import { Random } from '../../src/stats/random.js';

/**
 * Loss curves of 12 runs (a Chinchilla law, Hoffmann et al.'s constants, 0.3% noise) in W&B's long layout: per
 * logged step one row per metric, metric names with slashes and dots as W&B keeps them.
 */
function longHistory(): string {
  const rng = new Random(3, 0);
  const lines = ['run,step,metric,value'];
  for (let r = 0; r < 12; r++) {
    const N = 2e7 * 1.5 ** r;
    for (let k = 1; k <= 20; k++) {
      const step = 250 * k;
      const D = 2e8 * 2 ** (k / 3) * (N / 2e7) ** 0.5;
      const loss = chinchillaTruth(N, D) * Math.exp(0.003 * rng.normal());
      lines.push(`sweep-${r},${step},train/loss,${loss}`, `sweep-${r},${step},throughput/total_tokens,${D}`, `sweep-${r},${step},model.n_params,${N}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const dir = tempFiles({ 'history.csv': longHistory() });
const history = join(dir, 'history.csv');
const curveFlags = ['--run', 'run', '--step', 'step', '--params', 'model.n_params', '--tokens', 'throughput/total_tokens', '--checkpoints', 'all'];
const budgets = ['--at-budgets', '3e17,1e18,3e18,1e19,3e19,1e20'];

test('isoflop on W&B history in long form: the same JSON as on the table scalewise import wandb-history writes', async () => {
  const imported = join(dir, 'imported.csv');
  const imp = await scalewise('import', 'wandb-history', history, '--out', imported);
  assert.equal(imp.status, 0, imp.stderr);
  const args = [...curveFlags, '--loss', 'train/loss', ...budgets, '--bootstrap', '100', '--seed', '3', '--json'];
  const direct = await scalewise('isoflop', history, ...args);
  const viaImport = await scalewise('isoflop', imported, ...args);
  assert.equal(direct.status, 0, direct.stderr);
  assert.equal(direct.stdout, viaImport.stdout);
  assert.equal(direct.stderr, viaImport.stderr);
  const doc = JSON.parse(direct.stdout) as { groups: { fit: { a: number }; bootstrap: { unit: string; runs: number } }[] };
  assert.deepEqual(doc.groups[0]!.bootstrap, { unit: 'run', runs: 12 });
  // The law's a = β/(α + β) = 0.28/0.62 = 0.452, read off 12 curves.
  assert.ok(Math.abs(doc.groups[0]!.fit.a - 0.28 / 0.62) < 0.05, `a = ${doc.groups[0]!.fit.a}`);
});

test('skills on W&B history in long form: the same JSON as on the imported table', async () => {
  const imported = join(dir, 'imported-skills.csv');
  assert.equal((await scalewise('import', 'wandb-history', history, '--out', imported)).status, 0);
  const args = [...curveFlags, '--skill', 'train=train/loss', '--aggregate', 'train/loss', ...budgets, '--no-pooled', '--json'];
  const direct = await scalewise('skills', history, ...args);
  assert.equal(direct.status, 0, direct.stderr);
  assert.equal(direct.stdout, (await scalewise('skills', imported, ...args)).stdout);
});

test('the run-history Parquet (run-<id>-history.parquet) reads as the imported table; the long layout only when its header says so', async () => {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const rows = JSON.parse(readFileSync(join(root, 'test/fixtures/import/wandb-history-wide.json'), 'utf8')) as Record<string, number>[];
  const names = ['_step', '_runtime', '_timestamp', 'train/loss', 'optim/lr', 'eval/paloma/macro_loss'];
  const columnData = names.map((name) => ({ name, data: rows.map((r) => r[name] ?? null), type: 'DOUBLE' as const }));
  const d = tempFiles({ 'run-abc123-history.parquet': new Uint8Array(parquetWriteBuffer({ columnData })) });
  const parquet = join(d, 'run-abc123-history.parquet');
  const imported = join(d, 'imported.csv');
  assert.equal((await scalewise('import', 'wandb-history', parquet, '--out', imported)).status, 0);
  // The CSV's cells are text, the Parquet's numbers: the same values as text.
  const values = async (p: string) =>
    (await readTables([p])).rows.map((r) => Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, v === null ? null : String(v)])));
  assert.deepEqual(await values(parquet), await values(imported));
  assert.deepEqual((await readTables([parquet])).columns, ['run', 'step', '_runtime', '_timestamp', 'eval/paloma/macro_loss', 'optim/lr', 'train/loss']);
  // Header rules: a step column, metric and value, at most a run column; anything more is a table as it is.
  assert.equal(isHistory('h.csv', ['run', 'step', 'metric', 'value']), true);
  assert.equal(isHistory('h.csv', ['_step', 'metric', 'value']), true);
  assert.equal(isHistory('h.csv', ['run', 'step', 'metric', 'value', 'params']), false);
  assert.equal(isHistory('h.csv', ['run', 'metric', 'value']), false);
  assert.equal(isHistory('runs.parquet', ['_step', 'loss']), false);
});

const bad = tempFiles({
  'steps.csv': 'run,step,metric,value\na,100,loss,3.2\na,2x,loss,3.1\n',
  'twice.csv': 'run,step,metric,value\na,100,loss,3.2\na,100,loss,3.1\n',
  'notes.txt': 'nothing\n',
});
testBadInputs([
  [
    'W&B history read directly: a step that is not a number names the file and row',
    ['isoflop', join(bad, 'steps.csv'), '--run', 'run'],
    `${join(bad, 'steps.csv')}, row 2, column "step": expected a step (a whole number >= 0), got "2x"`,
  ],
  [
    'W&B history read directly: one metric twice at one step names both rows',
    ['isoflop', join(bad, 'twice.csv'), '--run', 'run'],
    `${join(bad, 'twice.csv')}, row 2: run "a", step 100: "loss" is 3.1 here but 3.2 in ${join(bad, 'twice.csv')}, row 1`,
  ],
  [
    // The same line the dashboard shows for an upload (test/web/dashboard.test.ts): the table formats.
    'an unknown file type lists the formats a table is read from',
    ['isoflop', join(bad, 'notes.txt')],
    `${join(bad, 'notes.txt')}: unknown format ".txt" (expected .csv, .tsv, .json, .jsonl, .ndjson, .parquet)`,
  ],
]);

test("docs/checkpoints.md's example (W&B history read directly, run draws) prints what the page shows", async () => {
  const page = readFileSync(join(root, 'docs/checkpoints.md'), 'utf8');
  const block = /```\n\$ scalewise (isoflop test\/fixtures\/import\/wandb-history-curves\.csv[^\n]*\\\n[^\n]*)\n([\s\S]*?)```/.exec(page);
  assert.ok(block, 'the example block');
  const args = block[1]!.replace(/\\\n\s*/, '').split(/\s+/);
  const r = await scalewise(...args);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout + r.stderr, block[2]);
});

test('a study analyses W&B history directly too: the same JSON as on the imported table', async () => {
  const { runStudy } = await import('../../src/report/study.js');
  const { studySchema } = await import('../../src/schema/study.js');
  const { nodeEnv } = await import('../../src/node/env.js');
  const imported = join(dir, 'imported-study.csv');
  assert.equal((await scalewise('import', 'wandb-history', history, '--out', imported)).status, 0);
  const entry = {
    kind: 'isoflop',
    columns: { params: 'model.n_params', tokens: 'throughput/total_tokens', loss: 'train/loss' },
    run: 'run',
    step: 'step',
    checkpoints: 'all',
    atBudgets: [1e18, 3e18, 1e19, 3e19],
    bootstrap: 50,
    seed: 2,
  };
  const json = async (file: string) => {
    const study = studySchema.parse({ title: 'W&B history', data: [file], analyses: [entry] });
    const [result] = await runStudy(study, 'study.json', nodeEnv({ base: dir }));
    return JSON.stringify(result!.shown.json);
  };
  const direct = await json(history);
  assert.match(direct, /"bootstrap":\{"unit":"run","runs":12\}/);
  assert.equal(direct, await json(imported));
});
