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

test("--flops-from: C from each run's shape under Kaplan et al.'s and Chinchilla's counts (closed forms), and its errors", async () => {
  // Two runs: 12 layers × 768 wide and 24 × 1024, 2e9 and 4e9 tokens, context 2048, vocabulary 50,000.
  const t = 'params,layers,width,tokens,loss\n1.2e8,12,768,2e9,3.1\n3.5e8,24,1024,4e9,2.9\n';
  const d = tempFiles({ 'shape.csv': t });
  const run = (...more: string[]) =>
    scalewise('fit', join(d, 'shape.csv'), '--tokens', 'tokens', '--layers', 'layers', '--width', 'width', '--screen', '1', '--no-calibrate', ...more);
  const { flopsPerToken } = await import('../../src/data/flop-count.js');
  const kaplan = (L: number, w: number) => 6 * 12 * L * w * w + 6 * L * 2048 * w;
  assert.equal(flopsPerToken('kaplan', { params: 0, layers: 12, width: 768, context: 2048, vocab: 0 }), kaplan(12, 768));
  // Hoffmann et al. (2022) Appendix F, ×3 for the backward pass: per layer 24·d² + 4·n_ctx·d, and 4·n_vocab·d.
  assert.equal(
    flopsPerToken('chinchilla', { params: 0, layers: 24, width: 1024, context: 2048, vocab: 50000 }),
    3 * (24 * (24 * 1024 ** 2 + 4 * 2048 * 1024) + 4 * 50000 * 1024),
  );
  assert.equal(flopsPerToken('6nd-nonembedding', { params: 0, layers: 12, width: 768, context: 0, vocab: 0 }), 6 * 12 * 12 * 768 ** 2);
  assert.equal((await run('--flops-from', 'kaplan')).stderr.includes('needs --context'), true);
  const bad = await run('--flops-from', 'chinchilla', '--context', '2048');
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'scalewise: error: --flops-from chinchilla needs --vocab\n');
  const both = await scalewise('fit', join(d, 'shape.csv'), '--tokens', 'tokens', '--flops', 'tokens', '--flops-from', '6nd');
  assert.equal(both.stderr, 'scalewise: error: give --flops COL or --flops-from 6nd, not both\n');
  const stray = await scalewise('fit', join(d, 'shape.csv'), '--tokens', 'tokens', '--layers', 'layers');
  assert.equal(stray.stderr, 'scalewise: error: --layers is read only with --flops-from CONVENTION or --non-embedding\n');
});

test('--flops-from kaplan on an IsoFLOP sweep: each budget is D × (6·N_ne + 6·n_layer·n_ctx·d) of its runs', async () => {
  const lines = ['layers,width,tokens,loss'];
  for (const [L, w] of [
    [4, 256],
    [6, 384],
    [8, 512],
  ] as const)
    for (const D of [1e9, 2e9]) lines.push(`${L},${w},${D},${3 + 1 / L + 1e9 / D}`);
  const d = tempFiles({ 'sweep.csv': `${lines.join('\n')}\n` });
  const r = await scalewise(
    'isoflop',
    join(d, 'sweep.csv'),
    '--params',
    'width',
    '--tokens',
    'tokens',
    '--flops-from',
    'kaplan',
    '--layers',
    'layers',
    '--width',
    'width',
    '--context',
    '1024',
    '--json',
  );
  assert.equal(r.status, 0, r.stderr);
  const budgets = JSON.parse(r.stdout)
    .groups[0].budgets.map((b: { C: number }) => b.C)
    .sort((a: number, b: number) => a - b);
  const want = [4, 6, 8]
    .flatMap((L, j) => [1e9, 2e9].map((D) => D * (6 * 12 * L * [256, 384, 512][j]! ** 2 + 6 * L * 1024 * [256, 384, 512][j]!)))
    .sort((a, b) => a - b);
  assert.deepEqual(budgets, want);
});

test('--non-embedding: N is 12·layers·width² (Kaplan et al. 2020); it needs both shape columns', async () => {
  const lines = ['layers,width,tokens,loss'];
  for (const [L, w] of [
    [4, 256],
    [6, 384],
    [8, 512],
  ] as const)
    lines.push(`${L},${w},${1e9},${3 + 1 / L}`);
  const d = tempFiles({ 'ne.csv': `${lines.join('\n')}\n` });
  const r = await scalewise('isoflop', join(d, 'ne.csv'), '--tokens', 'tokens', '--non-embedding', '--layers', 'layers', '--width', 'width', '--json');
  assert.equal(r.status, 0, r.stderr);
  const b = JSON.parse(r.stdout).groups[0].budgets;
  // One row per budget here (C = 6·N·D differs per size): each budget's N is its run's 12·L·d².
  assert.deepEqual(
    b.map((x: { C: number }) => x.C / (6 * 1e9)).sort((p: number, q: number) => p - q),
    [12 * 4 * 256 ** 2, 12 * 6 * 384 ** 2, 12 * 8 * 512 ** 2],
  );
  const no = await scalewise('isoflop', join(d, 'ne.csv'), '--tokens', 'tokens', '--non-embedding', '--layers', 'layers');
  assert.equal(no.stderr, 'scalewise: error: --non-embedding needs --width COL\n');
});
