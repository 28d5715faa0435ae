// Issue 15, items 5–7: silent wrong data, the one-line error contract and smaller defects, each as a case.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readBytes, readTable } from '../src/data/read.js';
import { UserError } from '../src/errors.js';
import { scalewise, scalewiseWithStdin, tempFiles, testBadInputs } from './helpers/cli.js';

const good = 'N,D,loss\n1e8,2e9,3.1\n3e8,6e9,2.8\n1e9,2e10,2.5\n3e9,6e10,2.3\n1e10,2e11,2.1\n3e10,6e11,2.0\n';
const lines = good.trim().split('\n');
const objs = lines.slice(1).map((l) => {
  const [N, D, loss] = l.split(',').map(Number);
  return { N, D, loss };
});
/** An IsoFLOP sweep: 4 budgets × 5 sizes, loss from a Chinchilla-like law, two groups differing only by case. */
function sweep(groups: string[]): string {
  const rows = ['N,C,loss,g'];
  for (const g of groups)
    for (const C of [1e18, 3e18, 1e19, 3e19])
      for (let k = 0; k < 5; k++) {
        const N = Math.sqrt(C / 120) * 2 ** (k - 2);
        const D = C / (6 * N);
        rows.push(`${N},${C},${1.7 + 400 / N ** 0.34 + 410 / D ** 0.28},${g}`);
      }
  return `${rows.join('\n')}\n`;
}
const dir = tempFiles({
  'good.csv': good,
  'dup.csv': `${lines.map((l, i) => `${l},${i === 0 ? 'loss' : 3}`).join('\n')}\n`,
  'overflow.csv': good.replace('1e8,2e9', '1e8,1e308'),
  'newline.csv': good.replace('3e8,6e9,2.8', '3e8,6e9,"2\n8"'),
  'crlf-header.csv': good.replace('N,D,loss\n', 'N,D,loss\r\n'),
  'quoted-header.csv': good.replace('N,D,loss', '"N,x",D,loss').replace('3e8,6e9,2.8', '3e8,6e9'),
  'row-numbers.csv': good.replace('3e8,6e9,2.8', '3e8,"6\ne9",2.8').replace('1e9,2e10,2.5', '1e9,2e10'),
  'bad-quote.csv': good.replace('3e8,6e9,2.8', '3e8,6e9,"2.8"x'),
  'open-quote.csv': `${lines.slice(0, 4).join('\n')}\n3e9,6e10,"2.3\n`,
  'hex.csv': good.replace('3e8,6e9,2.8', '0x10,6e9,2.8'),
  'header-only.csv': 'N,C,loss\n',
  'empty.json': '[]',
  'missing-key.json': JSON.stringify([objs[0], { N: 3e8, D: 6e9 }, ...objs.slice(2)]),
  'bool.json': JSON.stringify([objs[0], { ...objs[1], loss: true }, ...objs.slice(2)]),
  'proto.json': `[${objs.map((o) => `{"N":${o.N},"D":${o.D},"__proto__":${o.loss}}`).join(',')}]`,
  'bom-study.json': `\uFEFF${JSON.stringify({ title: 't', data: ['good.csv'], columns: { params: 'N', tokens: 'D' }, analyses: [{ kind: 'fit', law: 'kaplan' }] })}`,
  'proto-study.json': `{"title":"t","data":["good.csv"],"analyses":[{"kind":"skills","skills":{"__proto__":["loss"],"b":["loss"]},"aggregate":"b"}]}`,
  'mix-study.json': JSON.stringify({
    title: 't',
    data: ['good.csv'],
    analyses: [{ kind: 'skills', skills: { a: ['loss'] }, aggregate: 'a', mix: ['a', 'a'] }],
  }),
  'seed-study.json': JSON.stringify({ title: 't', data: ['good.csv'], analyses: [{ kind: 'isoflop', seed: 2 ** 32 }] }),
  'ok-study.json': JSON.stringify({ title: 't', data: ['good.csv'], columns: { params: 'N', tokens: 'D' }, analyses: [{ kind: 'fit', law: 'kaplan' }] }),
  'sweep.csv': sweep(['Web', 'web']),
});
const f = (name: string) => join(dir, name);
const fitArgs = ['--params', 'N', '--tokens', 'D'];

testBadInputs([
  // Item 5: silent wrong data.
  ['a duplicated header name', ['fit', f('dup.csv'), ...fitArgs], `${f('dup.csv')}, header: column "loss" appears twice (columns 3 and 4)`],
  [
    'D = 1e308 overflows C = 6ND',
    ['fit', f('overflow.csv'), ...fitArgs],
    `${f('overflow.csv')}, row 1: C = 6·N·D overflows (N = 100000000, D = 1e+308): not a finite number`,
  ],
  // A shape option nothing reads (no --flops-from; --non-embedding reads only the layers and the width).
  [
    'a vocabulary beside --budget-from',
    ['isoflop', f('good.csv'), '--params', 'N', '--tokens', 'D', '--budget-from', 'loss', '--vocab', '50000'],
    '--vocab is read only with --flops-from CONVENTION',
  ],
  ['layers without a FLOP count', ['fit', f('good.csv'), ...fitArgs, '--layers', 'N'], '--layers is read only with --flops-from CONVENTION or --non-embedding'],
  [
    'a context beside --non-embedding',
    ['fit', f('good.csv'), ...fitArgs, '--non-embedding', '--layers', 'N', '--width', 'N', '--context', '2048'],
    '--context is read only with --flops-from CONVENTION',
  ],
  // Item 6: the error contract.
  [
    'a quoted cell with a newline, escaped on one line',
    ['fit', f('newline.csv'), ...fitArgs],
    `${f('newline.csv')}, row 2, column "loss": "2\\n8" is not a number`,
  ],
  [
    'a quoted header with a comma counts as one column',
    ['fit', f('quoted-header.csv'), ...fitArgs],
    `${f('quoted-header.csv')}, row 2: 2 cells where the header has 3`,
  ],
  ['rows are data rows, not physical lines', ['fit', f('row-numbers.csv'), ...fitArgs], `${f('row-numbers.csv')}, row 3: 2 cells where the header has 3`],
  [
    'a bad closing quote, numbered by data rows',
    ['fit', f('bad-quote.csv'), ...fitArgs],
    `${f('bad-quote.csv')}, row 2: Invalid Closing Quote: got "x" instead of delimiter, record delimiter, trimable character (if activated) or comment`,
  ],
  [
    'a quote never closed',
    ['fit', f('open-quote.csv'), ...fitArgs],
    `${f('open-quote.csv')}, row 4: Quote Not Closed: the parsing is finished with an opening quote`,
  ],
  ['a cell 0x10 is not a number', ['fit', f('hex.csv'), ...fitArgs], `${f('hex.csv')}, row 2, column "N": "0x10" is not a number`],
  ['JSON true is not a loss', ['fit', f('bool.json'), ...fitArgs], `${f('bool.json')}, row 2, column "loss": "true" is not a number`],
  ['an empty JSON array', ['fit', f('empty.json'), ...fitArgs], `${f('empty.json')}: no runs (no rows)`],
  ['a JSON row missing a key', ['fit', f('missing-key.json'), ...fitArgs], `${f('missing-key.json')}, row 2, column "loss": missing (the row has N, D)`],
  [
    'isoflop on a header-only table',
    ['isoflop', f('header-only.csv'), '--params', 'N', '--flops', 'C'],
    `${f('header-only.csv')}: no runs (a header and no rows)`,
  ],
  [
    'skills on a header-only table',
    ['skills', f('header-only.csv'), '--params', 'N', '--flops', 'C', '--skill', 'a=loss', '--aggregate', 'a'],
    `${f('header-only.csv')}: no runs (a header and no rows)`,
  ],
  ["Commander's suggestion on the same line", ['fit', f('good.csv'), '--bootstrp', '3'], "unknown option '--bootstrp' (Did you mean --bootstrap?)"],
  ['--budget with an empty value', ['fit', f('good.csv'), ...fitArgs, '--budget', ''], '--budget "": expected a positive number'],
  ['--bootstrap 0x10', ['fit', f('good.csv'), ...fitArgs, '--bootstrap', '0x10'], '--bootstrap "0x10": expected a whole number >= 0'],
  ['--budget 0x3', ['fit', f('good.csv'), ...fitArgs, '--budget', '0x3'], '--budget "0x3": expected a positive number'],
  ['--mix a,a', ['skills', f('good.csv'), '--skill', 'a=loss', '--skill', 'b=loss', '--aggregate', 'a', '--mix', 'a,a'], '--mix "a,a": "a" is listed twice'],
  ['mix ["a", "a"] in a study', ['report', f('mix-study.json')], `${f('mix-study.json')}: analyses[0]: mix: "a" is listed twice`],
  [
    'a __proto__ skill in a study',
    ['report', f('proto-study.json')],
    `${f('proto-study.json')}: analyses[0].skills: "__proto__" cannot be a name (choose another)`,
  ],
  // Item 7: smaller defects.
  [
    'a seed beyond 2^32 − 1',
    ['fit', f('good.csv'), ...fitArgs, '--seed', '4294967296'],
    '--seed "4294967296": at most 4294967295 (counts and seeds are 32-bit)',
  ],
  ['a study seed beyond 2^32 − 1', ['report', f('seed-study.json')], `${f('seed-study.json')}: analyses[0].seed: Too big: expected number to be <=4294967295`],
  [
    '--plot under /proc',
    ['fit', f('good.csv'), ...fitArgs, '--plot', '/proc/scalewise/figures'],
    '--plot "/proc/scalewise/figures": cannot create the folder (ENOENT)',
  ],
  ['--out under /proc', ['report', f('ok-study.json'), '--out', '/proc/scalewise/report'], '--out "/proc/scalewise/report": cannot create the folder (ENOENT)'],
  [
    '--plot through a file',
    ['fit', f('good.csv'), ...fitArgs, '--plot', join(f('good.csv'), 'figures')],
    `--plot "${join(f('good.csv'), 'figures')}": cannot create the folder (ENOTDIR)`,
  ],
  ['stdin given twice', ['fit', '-', '-', ...fitArgs], '"-" (standard input) can be given once'],
]);

test('a CRLF header with LF rows reads as the LF file does', async () => {
  const a = await scalewise('fit', f('good.csv'), ...fitArgs, '--law', 'kaplan', '--json');
  const b = await scalewise('fit', f('crlf-header.csv'), ...fitArgs, '--law', 'kaplan', '--json');
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual(JSON.parse(b.stdout).params, JSON.parse(a.stdout).params);
});

test('a column named __proto__ is a column like any other', async () => {
  const r = await scalewise('fit', f('proto.json'), ...fitArgs, '--loss', '__proto__', '--law', 'kaplan', '--json');
  assert.equal(r.status, 0, r.stderr);
  const ref = await scalewise('fit', f('good.csv'), ...fitArgs, '--law', 'kaplan', '--json');
  assert.deepEqual(JSON.parse(r.stdout).params, JSON.parse(ref.stdout).params);
  assert.equal(({} as Record<string, unknown>).N, undefined); // nothing leaked onto Object.prototype
});

test('a study file with a byte-order mark is read', async () => {
  const out = join(dir, 'bom-report');
  const r = await scalewise('report', f('bom-study.json'), '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(out, 'report.html')));
});

test('--plot: groups differing only by case get distinct file names', async () => {
  const out = join(dir, 'case-plots');
  const r = await scalewise('isoflop', f('sweep.csv'), '--params', 'N', '--flops', 'C', '--group', 'g', '--plot', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /isoflop-curves-web, isoflop-curves-web-2, isoflop-frontier\n$/);
  assert.deepEqual(
    readdirSync(out)
      .filter((n) => n.endsWith('.svg'))
      .sort(),
    ['isoflop-curves-web-2.svg', 'isoflop-curves-web.svg', 'isoflop-frontier.svg'],
  );
});

test('--threads beyond the cores is capped, with a notice, and gives the same fit', async () => {
  const { availableParallelism } = await import('node:os');
  const cores = availableParallelism();
  const args = ['fit', f('good.csv'), ...fitArgs, '--law', 'kaplan', '--bootstrap', '20', '--json'];
  const capped = await scalewise(...args, '--threads', '999');
  assert.equal(capped.status, 0, capped.stderr);
  assert.ok(
    capped.stderr.startsWith(`scalewise: warning: --threads 999: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores}\n`),
    capped.stderr,
  );
  const one = await scalewise(...args, '--threads', '1');
  assert.deepEqual(JSON.parse(capped.stdout).params, JSON.parse(one.stdout).params);
});

test('stdin (-) is a table: CSV, TSV and JSON recognised by content; errors name stdin', async () => {
  const ref = JSON.parse((await scalewise('fit', f('good.csv'), ...fitArgs, '--law', 'kaplan', '--json')).stdout).params;
  for (const input of [good, good.replaceAll(',', '\t'), JSON.stringify(objs), objs.map((o) => JSON.stringify(o)).join('\n')]) {
    const r = await scalewiseWithStdin(input, 'fit', '-', ...fitArgs, '--law', 'kaplan', '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).params, ref);
  }
  const bad = await scalewiseWithStdin(good.replace('2.8', 'abc'), 'fit', '-', ...fitArgs);
  assert.deepEqual([bad.status, bad.stdout, bad.stderr], [2, '', 'scalewise: error: stdin, row 2, column "loss": "abc" is not a number\n']);
  const empty = await scalewiseWithStdin('', 'fit', '-', ...fitArgs);
  assert.deepEqual([empty.status, empty.stderr], [2, 'scalewise: error: stdin: nothing was read (empty input)\n']);
  // The bin reads the process's own stdin.
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../src/cli/bin.ts'), 'fit', '-', ...fitArgs, '--law', 'kaplan', '--json'],
    {
      input: good,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );
  assert.deepEqual(JSON.parse(out).params, ref);
});

test('a text table larger than the string limit is refused by name before it is read (limit lowered for the test)', async () => {
  await assert.rejects(
    readTable(f('good.csv'), 'runs.csv', { maxTextBytes: 64 }),
    (err: unknown) =>
      err instanceof UserError &&
      err.message === 'runs.csv: too large to read as text (0 MiB; the limit is 0 MiB): split it into several files or convert it to Parquet',
  );
  const big = join(dir, 'big.csv');
  writeFileSync(big, `${lines[0]}\n${`${lines[1]}\n`.repeat(100_000)}`); // 1.2 MB
  await assert.rejects(readTable(big, 'big.csv', { maxTextBytes: 2 ** 20 }), {
    message: 'big.csv: too large to read as text (1.1 MiB; the limit is 1 MiB): split it into several files or convert it to Parquet',
  });
  assert.equal((await readTable(big)).rows.length, 100_000);
});

test('a named pipe: read when written, refused by name when nothing is written', { skip: process.platform === 'win32' }, async () => {
  const fifo = join(dir, 'runs-fifo.csv');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(readTable(fifo, 'runs-fifo.csv', { fifoWaitMs: 200 }), {
    message: 'runs-fifo.csv: a named pipe with nothing written to it after 0.2 s (no writer?)',
  });
  const reading = readTable(fifo, 'runs-fifo.csv', { fifoWaitMs: 5000 });
  const writer = spawn('sh', ['-c', `sleep 0.1; printf '${good.replaceAll('\n', '\\n')}' > '${fifo}'`]);
  const table = await reading;
  writer.kill();
  assert.equal(table.rows.length, 6);
  // Study files and saved fits are read the same way.
  await assert.rejects(readBytes(fifo, 'study.json', 100), { message: 'study.json: a named pipe with nothing written to it after 0.1 s (no writer?)' });
});

test('predict refuses a saved fit that is inconsistent, with one line naming the file and the place', async () => {
  const saved = join(dir, 'fit.json');
  const r = await scalewise('fit', f('good.csv'), ...fitArgs, '--law', 'kaplan', '--bootstrap', '20', '--save', saved, '--json');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(readFileSync(saved, 'utf8'));
  const variant = (name: string, edit: (d: typeof doc) => void, bom = false) => {
    const d = structuredClone(doc);
    edit(d);
    writeFileSync(f(name), `${bom ? '\uFEFF' : ''}${JSON.stringify(d)}`);
    return f(name);
  };
  const p = doc.theta.length;
  const cases: [string, string][] = [
    [variant('law.json', (d) => (d.law = 'kaplin')), `${f('law.json')}: law: unknown law "kaplin" (known: chinchilla, kaplan, overtrain, data-constrained)`],
    [variant('trunc.json', (d) => d.bootstrap.theta[3].pop()), `${f('trunc.json')}: bootstrap.theta[3]: ${p - 1} values where theta has ${p}`],
    [
      variant('nodraws.json', (d) => (d.bootstrap.theta = [])),
      `${f('nodraws.json')}: bootstrap.theta: no draws (leave out "bootstrap" for a fit without intervals)`,
    ],
    [variant('resamples.json', (d) => d.bootstrap.theta.pop()), `${f('resamples.json')}: bootstrap.resamples: 20 where bootstrap.theta has 19 draws`],
    [
      variant('null.json', (d) => (d.bootstrap.theta[0][0] = null)),
      `${f('null.json')}: invalid saved fit at "bootstrap.theta.0.0": Invalid input: expected number, received null`,
    ],
    [
      variant('names.json', (d) => d.thetaNames.reverse()),
      `${f('names.json')}: thetaNames: ${[...doc.thetaNames].reverse().join(', ')} are not the kaplan law's (${doc.thetaNames.join(', ')})`,
    ],
    [
      variant('span.json', (d) => (d.data.C = [d.data.C[1], d.data.C[0]])),
      `${f('span.json')}: invalid saved fit at "data.C": the smallest is above the largest`,
    ],
  ];
  for (const [file, message] of cases) {
    const out = await scalewise('predict', file, '--n', '1e9', '--d', '2e10');
    assert.deepEqual([out.status, out.stdout, out.stderr], [2, '', `scalewise: error: ${message}\n`], file);
  }
  const bom = await scalewise(
    'predict',
    variant('bom.json', () => {}, true),
    '--n',
    '1e9',
    '--d',
    '2e10',
    '--json',
  );
  assert.equal(bom.status, 0, bom.stderr);
  const ok = await scalewise('predict', saved, '--n', '1e9', '--d', '2e10', '--json');
  assert.equal(bom.stdout, ok.stdout.replaceAll(saved, f('bom.json')));
});

test('a group name with a line break: warnings stay one line each (escaped), and a __proto__ skill works on the CLI', async () => {
  const rows = sweep(['G']).trim().split('\n');
  const file = join(dir, 'newline-group.csv');
  writeFileSync(file, `${[rows[0], ...rows.slice(4)].join('\n').replace(/,G$/gm, ',"x\ny"')}\n`); // the first budget keeps 2 sizes: left out, with a warning
  const r = await scalewise('isoflop', file, '--params', 'N', '--flops', 'C', '--group', 'g');
  assert.equal(r.status, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter(Boolean);
  assert.ok(warnings.length > 0);
  for (const w of warnings) assert.match(w, /^scalewise: warning: \[x\\ny\] /);
  const s = await scalewise(
    'skills',
    f('sweep.csv'),
    '--params',
    'N',
    '--flops',
    'C',
    '--skill',
    '__proto__=loss',
    '--aggregate',
    '__proto__',
    '--no-pooled',
    '--json',
  );
  assert.equal(s.status, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout).groups[0].skills[0].name, '__proto__');
});

test('skills --mix: a grid of more than 20,000 mixes is refused before any is analysed', async () => {
  const csv = 'N,C,a,b,c,d,e,f\n1e8,1e18,3,3,3,3,3,3\n';
  const dir = tempFiles({ 'mix.csv': csv });
  const r = await scalewise(
    'skills',
    join(dir, 'mix.csv'),
    '--params',
    'N',
    '--flops',
    'C',
    ...['a', 'b', 'c', 'd', 'e', 'f'].flatMap((k) => ['--skill', `${k}=${k}`]),
    '--aggregate',
    'a',
    '--mix',
    'a,b,c,d,e,f',
    '--steps',
    '40',
  );
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'scalewise: error: --mix of 6 skills in steps of 1/40 makes 1221759 mixes; at most 20000 (fewer skills or --steps)\n');
});

test('a study skill whose column the CLI cannot spell (a comma in its name) is refused, not shown as a command that re-splits it', async () => {
  const dir = tempFiles({
    'runs.csv': 'N,C,"a,b",c\n1e8,1e18,3,3\n',
    'study.json': JSON.stringify({
      title: 't',
      data: ['runs.csv'],
      columns: { params: 'N', flops: 'C' },
      analyses: [{ kind: 'skills', skills: { k: ['a,b'] }, aggregate: 'c' }],
    }),
  });
  const r = await scalewise('report', join(dir, 'study.json'), '--out', join(dir, 'out'));
  assert.equal(r.status, 2);
  assert.match(
    r.stderr,
    /^scalewise: error: .*study\.json: analyses\[0\]: skills: "a,b" contains ',', ':' or '=', which --skill NAME=COL\[:W\],\.\.\. cannot spell\n$/,
  );
});
