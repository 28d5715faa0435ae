// The numeric core must run in a browser: no Node built-ins, no file or process access.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from './helpers/cli.js';

// web: the dashboard runs the same core in the page.
const core = ['laws', 'objectives', 'optim', 'fitting', 'analyses', 'stats', 'schema', 'plots', 'report', 'web'];

test('the numeric core imports nothing from Node', () => {
  const files = [join(root, 'src/errors.ts'), join(root, 'src/index.ts'), join(root, 'src/data/runs.ts'), join(root, 'src/data/table.ts'), join(root, 'src/data/where.ts'), join(root, 'src/data/columns.ts'), join(root, 'src/data/parse.ts'), join(root, 'src/data/task-mean.ts'), join(root, 'src/data/selection.ts'), join(root, 'src/data/pairs.ts')];
  for (const dir of core) {
    for (const f of readdirSync(join(root, 'src', dir), { recursive: true }) as string[]) {
      if (f.endsWith('.ts')) files.push(join(root, 'src', dir, f));
    }
  }
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const bad = text.match(/from ['"](node:[^'"]+|fs|path|os|child_process|worker_threads)['"]|\bprocess\.|\brequire\(/);
    assert.equal(bad, null, `${file} uses ${bad?.[0]}`);
  }
});
