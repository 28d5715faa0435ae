// docs/guide-wandb.md shows commands and their output on test/fixtures/import/wandb-isoflop-sweep.csv: each
// command is run here and must print exactly what the guide shows (the guide's files are this folder's).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, scalewise, tempFiles } from './helpers/cli.js';

const guide = readFileSync(join(root, 'docs/guide-wandb.md'), 'utf8');

/** Each `$ scalewise …` line of a code block with the lines after it, up to the next command or the block's end. */
function examples(): { args: string[]; output: string }[] {
  const out: { args: string[]; output: string }[] = [];
  for (const block of guide.matchAll(/```\n([\s\S]*?)```/g)) {
    for (const part of block[1]!.split(/^(?=\$ )/m)) {
      const [command, ...lines] = part.split('\n');
      if (!command!.startsWith('$ scalewise ') || !/wandb_export\.csv|runs\.csv/.test(command!) || /evals/.test(command!)) continue;
      out.push({ args: command!.slice('$ scalewise '.length).split(' '), output: lines.join('\n').replace(/\n+$/, '\n') });
    }
  }
  return out;
}

test("the W&B guide's commands print what the guide shows", async () => {
  const dir = tempFiles({ 'wandb_export.csv': readFileSync(join(root, 'test/fixtures/import/wandb-isoflop-sweep.csv')) });
  const runs = examples();
  assert.equal(runs.length, 6);
  for (const { args, output } of runs) {
    const r = await scalewise(...args.map((a) => (a === 'wandb_export.csv' || a === 'runs.csv' ? join(dir, a) : a)));
    assert.equal((r.stdout + r.stderr).replaceAll(`${dir}/`, ''), output, `scalewise ${args.join(' ')}`);
  }
});
