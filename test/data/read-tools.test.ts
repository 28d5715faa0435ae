// Analyses read the tools' own files directly (src/data/read.ts): the same table `scalewise import` writes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFiles } from '../../src/data/import/formats.js';
import { readTables } from '../../src/data/read.js';
import { root } from '../helpers/cli.js';

const dir = (d: string) => readdirSync(join(root, d), { recursive: true }) as string[];
const files = (d: string, pattern: RegExp) =>
  dir(d)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(root, d, f));

test('OLMo metrics_step*.json and lm-eval results + samples files read as run tables give the imported table', async () => {
  for (const [d, pattern, format] of [
    ['test/fixtures/import/olmo', /metrics_step\d+\.json$/, 'olmo'],
    ['test/fixtures/import/lm-eval', /(results_.*\.json|samples_.*\.jsonl)$/, 'lm-eval'],
  ] as const) {
    const paths = files(d, pattern);
    assert.ok(paths.length >= 2, d);
    const read = await readTables(paths);
    const imported = (
      await importFiles(
        format,
        paths.map((p) => ({ name: p, bytes: readFileSync(p) })),
      )
    ).table;
    assert.deepEqual(read.columns, imported.columns, d);
    assert.deepEqual(
      read.rows.map((r) => r.values),
      imported.rows.map((r) => r.values),
      d,
    );
  }
});
