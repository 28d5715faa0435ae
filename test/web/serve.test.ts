// `scalewise serve` without a browser: what it serves, what it refuses, its errors, its shutdown.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, scalewise, tempFiles } from '../helpers/cli.js';
import { startServe } from '../helpers/browser.js';

interface StudyInfo {
  title: string;
  files: { name: string; url: string }[];
  config: { skills: { name: string; columns: string[] }[] };
  mix: number[];
}

test('serves the page, the bundled sweep and its settings on 127.0.0.1, nothing else; exits 0 on SIGTERM', async () => {
  const s = await startServe();
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(s.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="error" role="alert" hidden>/);
    const app = await fetch(new URL('app.js', s.url));
    assert.equal(app.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const info = (await (await fetch(new URL('api/study', s.url))).json()) as StudyInfo;
    assert.equal(info.title, 'Brandfonbrener et al. (2024) 529-run sweep');
    assert.deepEqual(info.config.skills.map((k) => k.name), ['knowledge', 'code']);
    assert.equal(info.config.skills[0]!.columns.length, 8);
    assert.deepEqual(info.mix, [50, 50]);
    const csv = await fetch(new URL(info.files[0]!.url, s.url));
    assert.deepEqual(Buffer.from(await csv.arrayBuffer()), readFileSync(join(root, 'datasets/kempner/runs.csv')));
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/files/7/x.csv', '/src/web/main.ts', '/nope.js']) {
      assert.equal((await fetch(s.url.slice(0, -1) + path)).status, 404, path);
    }
    assert.equal((await fetch(s.url, { method: 'POST' })).status, 405);
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

test('a study file: its tables, mapping, skills and initial mix', async () => {
  const dir = tempFiles({
    'runs.csv': 'N,C,qa,code1,code2,mix\n1e8,1e18,3.1,2.0,2.2,a\n',
    'study.json': JSON.stringify({ title: 'my sweep', files: ['runs.csv'], params: 'N', flops: 'C', group: 'mix', skills: { qa: ['qa'], code: ['code1', 'code2'] }, mix: { qa: 0.3, code: 0.7 } }),
  });
  const s = await startServe(join(dir, 'study.json'));
  try {
    const info = await (await fetch(new URL('api/study', s.url))).json();
    assert.deepEqual(info, {
      title: 'my sweep',
      files: [{ name: 'runs.csv', url: '/files/0/runs.csv' }],
      config: { params: 'N', flops: 'C', group: 'mix', method: 'parabola', skills: [{ name: 'qa', columns: ['qa'] }, { name: 'code', columns: ['code1', 'code2'] }] },
      mix: [30, 70],
    });
    assert.equal(await (await fetch(new URL('files/0/runs.csv', s.url))).text(), readFileSync(join(dir, 'runs.csv'), 'utf8'));
  } finally {
    await s.stop();
  }
});

test('bad flags and bad study files: one line on stderr, exit 2, nothing on stdout', async () => {
  const dir = tempFiles({
    'empty.json': JSON.stringify({ files: [], skills: {} }),
    'typo.json': JSON.stringify({ files: ['runs.csv'], skills: { qa: ['qa'] }, colour: 'red' }),
    'xlsx.json': JSON.stringify({ files: ['runs.xlsx'], skills: { qa: ['qa'] } }),
    'broken.json': '{"files": [',
  });
  const cases: [string[], string][] = [
    [['--port', 'abc'], '--port "abc": expected a whole number from 0 to 65535'],
    [['--port', '70000'], '--port "70000": expected a whole number from 0 to 65535'],
    [[join(dir, 'missing.json')], `${join(dir, 'missing.json')}: cannot read file (no such file)`],
    [[join(dir, 'broken.json')], `${join(dir, 'broken.json')}: not valid JSON (${(() => { try { JSON.parse('{"files": ['); } catch (e) { return (e as Error).message; } })()})`],
    [[join(dir, 'empty.json')], `${join(dir, 'empty.json')}: "files": Too small: expected array to have >=1 items`],
    [[join(dir, 'typo.json')], `${join(dir, 'typo.json')}: Unrecognized key: "colour"`],
    [[join(dir, 'xlsx.json')], 'runs.xlsx: unknown format ".xlsx" (expected .csv, .tsv, .json, .jsonl, .ndjson, .parquet)'],
  ];
  for (const [args, message] of cases) {
    const r = scalewise('serve', ...args);
    assert.equal(r.stderr, `scalewise: error: ${message}\n`, args.join(' '));
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
  }
  const s = await startServe();
  try {
    const port = new URL(s.url).port;
    const r = scalewise('serve', '--port', port);
    assert.equal(r.stderr, `scalewise: error: --port ${port}: address already in use\n`);
    assert.equal(r.status, 2);
  } finally {
    await s.stop();
  }
});
