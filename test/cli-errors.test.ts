// Bad input gets one clear line on stderr, exit status 2, nothing on stdout, no stack trace.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { scalewise, tempFiles, testBadInputs } from './helpers/cli.js';

const good = 'N,D,loss\n1e8,2e9,3.1\n3e8,6e9,2.8\n1e9,2e10,2.5\n3e9,6e10,2.3\n1e10,2e11,2.1\n3e10,6e11,2.0\n';
const dir = tempFiles({
  'good.csv': good,
  'text.csv': good.replace('2.8', 'abc'),
  'nan.csv': good.replace('2.8', 'NaN'),
  'inf.csv': good.replace('2.8', 'Infinity'),
  'empty-cell.csv': good.replace('3e8,6e9,2.8', '3e8,,2.8'),
  'negN.csv': good.replace('3e8', '-3e8'),
  'zeroD.csv': good.replace('6e9', '0'),
  'negloss.csv': good.replace('2.8', '-2.8'),
  'ragged.csv': good.replace('3e8,6e9,2.8', '3e8,6e9'),
  'few.csv': 'N,D,loss\n1e8,2e9,3.1\n3e8,6e9,2.8\n1e9,2e10,2.5\n',
  'runs.xlsx': 'not a table',
  'notarray.json': '{"N": 1}',
});
const f = (name: string) => join(dir, name);
const fit = (file: string, ...more: string[]) => scalewise('fit', file, '--params', 'N', '--tokens', 'D', '--loss', 'loss', ...more);

const cases: [string, string[], string][] = [
  ['missing file', ['fit', f('nope.csv'), '--tokens', 'D'], `${f('nope.csv')}: cannot read file (no such file)`],
  [
    'unknown format',
    ['fit', f('runs.xlsx'), '--tokens', 'D'],
    `${f('runs.xlsx')}: unknown format ".xlsx" (expected .csv, .tsv, .json, .jsonl, .ndjson, .parquet)`,
  ],
  ['JSON that is not an array', ['fit', f('notarray.json'), '--tokens', 'D'], `${f('notarray.json')}: expected a JSON array of objects, one per run`],
  ['missing column', ['fit', f('good.csv'), '--params', 'N', '--tokens', 'D', '--loss', 'lss'], `${f('good.csv')}: no column "lss" (columns: N, D, loss)`],
  ['non-numeric cell', ['fit', f('text.csv'), '--params', 'N', '--tokens', 'D'], `${f('text.csv')}, row 2, column "loss": "abc" is not a number`],
  ['NaN cell', ['fit', f('nan.csv'), '--params', 'N', '--tokens', 'D'], `${f('nan.csv')}, row 2, column "loss": NaN is not a finite number`],
  ['infinite cell', ['fit', f('inf.csv'), '--params', 'N', '--tokens', 'D'], `${f('inf.csv')}, row 2, column "loss": Infinity is not a finite number`],
  ['empty cell', ['fit', f('empty-cell.csv'), '--params', 'N', '--tokens', 'D'], `${f('empty-cell.csv')}, row 2, column "D": empty cell`],
  ['N <= 0', ['fit', f('negN.csv'), '--params', 'N', '--tokens', 'D'], `${f('negN.csv')}, row 2, column "N": must be > 0, got -3e8`],
  ['D <= 0', ['fit', f('zeroD.csv'), '--params', 'N', '--tokens', 'D'], `${f('zeroD.csv')}, row 2, column "D": must be > 0, got 0`],
  ['loss <= 0', ['fit', f('negloss.csv'), '--params', 'N', '--tokens', 'D'], `${f('negloss.csv')}, row 2, column "loss": must be > 0, got -2.8`],
  ['ragged row', ['fit', f('ragged.csv'), '--params', 'N', '--tokens', 'D'], `${f('ragged.csv')}, row 2: 2 cells where the header has 3`],
  ['empty selection', ['fit', f('good.csv'), '--params', 'N', '--tokens', 'D', '--where', 'loss>9'], 'no runs left after --where loss>9 (6 rows before)'],
  [
    '--where on an unknown column',
    ['fit', f('good.csv'), '--params', 'N', '--tokens', 'D', '--where', 'datset=x'],
    '--where "datset=x": no column "datset" (columns: N, D, loss)',
  ],
  [
    '--where with a non-numeric bound',
    ['fit', f('good.csv'), '--params', 'N', '--tokens', 'D', '--where', 'loss<abc'],
    '--where "loss<abc": "abc" is not a number',
  ],
  [
    'unknown law',
    ['fit', f('good.csv'), '--params', 'N', '--tokens', 'D', '--law', 'kaplin'],
    'unknown law "kaplin" (known: chinchilla, kaplan, overtrain, data-constrained)',
  ],
  ['unknown objective', ['fit', f('good.csv'), '--params', 'N', '--tokens', 'D', '--objective', 'l1'], 'unknown objective "l1" (known: huber, mse, asym)'],
  ['too few runs', ['fit', f('few.csv'), '--params', 'N', '--tokens', 'D'], 'the chinchilla law has 5 parameters and needs more runs than that; got 3'],
  ['no tokens or flops', ['fit', f('good.csv'), '--params', 'N'], "need --tokens or --flops to know each run's training tokens"],
  ['bad number flag', ['fit', f('good.csv'), '--params', 'N', '--tokens', 'D', '--bootstrap', 'many'], '--bootstrap "many": expected a whole number >= 0'],
  ['unknown flag', ['fit', f('good.csv'), '--colour'], "unknown option '--colour'"],
];

testBadInputs(cases);

test('a good file fits, and the same runs as TSV, JSON, JSONL and Parquet give the same fit', async () => {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const rows = good
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  const objs = rows.map(([N, D, loss]) => ({ N, D, loss }));
  const parquet = parquetWriteBuffer({
    columnData: ['N', 'D', 'loss'].map((name, j) => ({ name, data: Float64Array.from(rows.map((r) => r[j]!)) })),
  });
  const d = tempFiles({
    'runs.tsv': good.replaceAll(',', '\t'),
    'runs.json': JSON.stringify(objs),
    'runs.jsonl': `${objs.map((o) => JSON.stringify(o)).join('\n')}\n`,
    'runs.parquet': new Uint8Array(parquet),
  });
  const ref = await fit(f('good.csv'), '--json');
  assert.equal(ref.status, 0, ref.stderr);
  const params = JSON.parse(ref.stdout).params;
  for (const name of ['runs.tsv', 'runs.json', 'runs.jsonl', 'runs.parquet']) {
    const r = await fit(join(d, name), '--json');
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout).params, params, name);
  }
  // Two files are one table: the first three runs in one, the rest in the other.
  const [head, ...lines] = good.trim().split('\n');
  const two = tempFiles({ 'a.csv': [head, ...lines.slice(0, 3)].join('\n'), 'b.csv': [head, ...lines.slice(3)].join('\n') });
  const r = await scalewise('fit', join(two, 'a.csv'), join(two, 'b.csv'), '--params', 'N', '--tokens', 'D', '--json');
  assert.deepEqual(JSON.parse(r.stdout).params, params);
});

test('--flops without --tokens derives D = C/(6N)', async () => {
  const withC = good.replace('N,D,loss', 'N,C,loss').replace(/^(\S+?),(\S+?),/gm, (m, n, d) => (n === 'N' ? m : `${n},${6 * Number(n) * Number(d)},`));
  const d = tempFiles({ 'c.csv': withC });
  const a = JSON.parse((await fit(f('good.csv'), '--json')).stdout);
  const b = JSON.parse((await scalewise('fit', join(d, 'c.csv'), '--params', 'N', '--flops', 'C', '--json')).stdout);
  for (const k of Object.keys(a.params)) assert.ok(Math.abs(a.params[k] / b.params[k] - 1) < 1e-9, k);
});

test('--help and no command print usage and exit 0', async () => {
  const r = await scalewise('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: scalewise/);
  assert.match(r.stdout, /fit \[options\]/);
});
