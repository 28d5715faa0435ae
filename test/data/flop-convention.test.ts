// FLOP conventions (src/data/flop-convention.ts): a compute column in GFLOPs or counting the forward pass only
// is said (warning flops-convention, JSON inputWarnings), and --flops-scale puts it back to the same answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { flopConvention } from '../../src/data/flop-convention.js';
import { scalewise, tempFiles, testBadInputs } from '../helpers/cli.js';
import { chinchillaTruth, sweepCsv, WIDE } from '../helpers/sweeps.js';

const csv = sweepCsv(chinchillaTruth, { ...WIDE, sigma: 0.003, seed: 2 });
const [header, ...rows] = csv.trim().split('\n');
// The same runs with C in GFLOPs (a W&B export's unit).
const giga = `${header}\n${rows.map((r) => r.replace(/,([^,]+),([^,]+)$/, (_, c, loss) => `,${Number(c) / 1e9},${loss}`)).join('\n')}\n`;
const dir = tempFiles({ 'flop.csv': csv, 'gflop.csv': giga });
const args = (file: string, ...more: string[]) => ['isoflop', join(dir, file), '--params', 'N', '--tokens', 'D', '--flops', 'C', '--json', ...more];

test('k in C = k·N·D: its median and range over the runs', () => {
  assert.deepEqual(flopConvention([1, 2, 4], [1, 1, 1], [6, 12, 40]), { median: 6, min: 6, max: 10 });
  assert.equal(flopConvention([1], [1], [Number.NaN]), null);
});

test('a compute column in GFLOPs is warned about; --flops-scale 1e9 gives the answer of the column in FLOP', async () => {
  const right = await scalewise(...args('flop.csv'));
  assert.equal(right.status, 0, right.stderr);
  assert.equal(JSON.parse(right.stdout).inputWarnings, undefined);
  const off = await scalewise(...args('gflop.csv'));
  assert.equal(off.status, 0, off.stderr);
  const w = JSON.parse(off.stdout).inputWarnings;
  assert.deepEqual(
    w.map((x: { code: string }) => x.code),
    ['flops-convention'],
  );
  assert.match(w[0].message, /^C is 6\.00e-9·N·D \(median over the runs; .*\), not 6·N·D: another unit \(GFLOPs: --flops-scale 1e9\)/);
  assert.match(off.stderr, /warning: C is 6\.00e-9·N·D/);
  const fixed = await scalewise(...args('gflop.csv', '--flops-scale', '1e9'));
  const a = JSON.parse(right.stdout).groups[0].fit;
  const b = JSON.parse(fixed.stdout).groups[0].fit;
  assert.equal(JSON.parse(fixed.stdout).inputWarnings, undefined);
  assert.ok(Math.abs(a.a - b.a) < 1e-9 && Math.abs(a.k / b.k - 1) < 1e-6, `${a.a} ${b.a}`);
});

testBadInputs([
  ['flops-scale without flops', ['isoflop', join(dir, 'flop.csv'), '--params', 'N', '--tokens', 'D', '--flops-scale', '3'], '--flops-scale needs --flops COL'],
]);

test('isoflop with a tokens column reads D* off the runs (C = 8·N·D here), not C/(6N*)', async () => {
  const eight = `${header}\n${rows.map((r) => r.replace(/^([^,]+),([^,]+),([^,]+),/, (_, n, d) => `${n},${d},${8 * Number(n) * Number(d)},`)).join('\n')}\n`;
  const d = tempFiles({ 'eight.csv': eight });
  const r = await scalewise('isoflop', join(d, 'eight.csv'), '--params', 'N', '--tokens', 'D', '--flops', 'C', '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.inputWarnings[0].code, 'flops-convention');
  const used = doc.groups[0].budgets.filter((b: { N: number | null }) => b.N !== null);
  assert.ok(used.length >= 5);
  for (const b of used) assert.ok(Math.abs(b.D / (b.C / (8 * b.N)) - 1) < 1e-6, `D* ${b.D} vs C/(8N*) ${b.C / (8 * b.N)}`);
});
