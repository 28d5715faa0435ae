// `scalewise serve` without a browser: what it serves, what it refuses, its errors, its shutdown.
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, scalewise, tempFiles } from '../helpers/cli.js';
import { startServe } from '../helpers/browser.js';
import { contentSecurityPolicy } from '../../src/node/dashboard-server.js';

interface StudyInfo {
  title: string;
  files: { name: string; url: string }[];
  where: string[];
  config: { group?: string; skills: { name: string; columns: string[] }[] };
}

test("by default serves the demo study's skills analysis: the page, the sweep and its settings on 127.0.0.1, nothing else; exits 0 on SIGTERM", async () => {
  const s = await startServe();
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(s.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="error" role="alert" hidden>/);
    const app = await fetch(new URL('app.js', s.url));
    assert.equal(app.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const info = (await (await fetch(new URL('api/study', s.url))).json()) as StudyInfo;
    assert.equal(info.title, 'Knowledge vs code, per datamix, with the validation-mix sweep');
    assert.equal(info.config.group, 'datamix');
    assert.deepEqual(info.where, []);
    assert.deepEqual(
      info.config.skills.map((k) => k.name),
      ['knowledge', 'code'],
    );
    assert.equal(info.config.skills[0]!.columns.length, 8);
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

test("a study file (as for report): its first skills analysis, with the study's columns and filters and the skills it mixes", async () => {
  const dir = tempFiles({
    'runs.csv': 'N,C,qa,code1,code2,mix\n1e8,1e18,3.1,2.0,2.2,a\n',
    'study.json': JSON.stringify({
      title: 'my sweep',
      data: ['runs.csv'],
      columns: { params: 'N', flops: 'C' },
      where: ['mix!=b'],
      analyses: [
        { kind: 'isoflop', columns: { loss: 'qa' } },
        {
          kind: 'skills',
          skills: { qa: ['qa'], code: { code1: 1, code2: 3 }, other: ['code1'] },
          aggregate: 'qa',
          mix: ['qa', 'code'],
          group: 'mix',
          where: ['N>0'],
        },
      ],
    }),
  });
  const s = await startServe(join(dir, 'study.json'));
  try {
    const info = await (await fetch(new URL('api/study', s.url))).json();
    assert.deepEqual(info, {
      title: 'my sweep',
      files: [{ name: 'runs.csv', url: '/files/0/runs.csv' }],
      where: ['mix!=b', 'N>0'],
      config: {
        params: 'N',
        flops: 'C',
        group: 'mix',
        method: 'parabola',
        skills: [
          { name: 'qa', columns: ['qa'] },
          { name: 'code', columns: ['code1', 'code2'], weights: [1, 3] },
        ],
      },
    });
    assert.equal(await (await fetch(new URL('files/0/runs.csv', s.url))).text(), readFileSync(join(dir, 'runs.csv'), 'utf8'));
  } finally {
    await s.stop();
  }
});

test('bad flags and bad study files: one line on stderr, exit 2, nothing on stdout', async () => {
  const dir = tempFiles({
    'empty.json': JSON.stringify({ title: 't', data: [], analyses: [] }),
    'noskills.json': JSON.stringify({ title: 't', data: ['runs.csv'], analyses: [{ kind: 'isoflop' }] }),
    'xlsx.json': JSON.stringify({ title: 't', data: ['runs.xlsx'], analyses: [{ kind: 'skills', skills: { qa: ['qa'] }, aggregate: 'qa' }] }),
    'mix.json': JSON.stringify({
      title: 't',
      data: ['runs.csv'],
      analyses: [{ kind: 'skills', skills: { qa: ['qa'] }, aggregate: 'qa', mix: ['qa', 'code'] }],
    }),
  });
  const cases: [string[], string][] = [
    [['--port', 'abc'], '--port "abc": expected a whole number from 0 to 65535'],
    [['--port', '70000'], '--port "70000": expected a whole number from 0 to 65535'],
    [[join(dir, 'empty.json')], `${join(dir, 'empty.json')}: data: Too small: expected array to have >=1 items`],
    [[join(dir, 'noskills.json')], `${join(dir, 'noskills.json')}: analyses: no "skills" analysis to open in the dashboard`],
    [[join(dir, 'xlsx.json')], 'runs.xlsx: unknown format ".xlsx" (expected .csv, .tsv, .json, .jsonl, .ndjson, .parquet)'],
    [[join(dir, 'mix.json')], `${join(dir, 'mix.json')}: mix: "code" is not a skill (skills: qa)`],
  ];
  for (const [args, message] of cases) {
    const r = await scalewise('serve', ...args);
    assert.equal(r.stderr, `scalewise: error: ${message}\n`, args.join(' '));
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
  }
  const s = await startServe();
  try {
    const port = new URL(s.url).port;
    const r = await scalewise('serve', '--port', port);
    assert.equal(r.stderr, `scalewise: error: --port ${port}: address already in use\n`);
    assert.equal(r.status, 2);
  } finally {
    await s.stop();
  }
});

/** A raw GET with the given Host header (fetch always sends the URL's own host). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const u = new URL(url);
    const req = httpRequest({ host: '127.0.0.1', port: u.port, path: u.pathname, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => ok({ status: res.statusCode!, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('DNS rebinding: a foreign Host gets 403; loopback names with the port are served; every answer has the CSP and frame options', async () => {
  const s = await startServe();
  try {
    const port = new URL(s.url).port;
    for (const host of [
      'attacker.example',
      `attacker.example:${port}`,
      '127.0.0.1',
      `127.0.0.1:${Number(port) + 1}`,
      `localhost.attacker.example:${port}`,
      `[::2]:${port}`,
    ]) {
      for (const path of ['/api/study', '/files/0/runs.csv', '/']) {
        const r = await getWithHost(s.url.replace(/\/$/, path), host);
        assert.equal(r.status, 403, `${host} ${path}`);
        assert.doesNotMatch(r.body, /knowledge|datamix/);
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      assert.equal((await getWithHost(new URL('api/study', s.url).href, host)).status, 200, host);
    }
    for (const path of ['', 'api/study', 'app.js', 'nope.js']) {
      const r = await fetch(new URL(path, s.url));
      assert.equal(r.headers.get('content-security-policy'), contentSecurityPolicy, path);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    }
    assert.match(contentSecurityPolicy, /default-src 'none'/);
    assert.match(contentSecurityPolicy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/); // no 'unsafe-inline', no 'unsafe-eval'
    assert.match(contentSecurityPolicy, /frame-ancestors 'none'/);
  } finally {
    await s.stop();
  }
});

test('run tables are streamed: a 100 MB table arrives whole, in many chunks, and 4 concurrent downloads leave the RSS far below 4 copies', async () => {
  const row = '1e8,1e18,3.1,2.0,2.2,a\n';
  const dir = tempFiles({
    'study.json': JSON.stringify({
      title: 't',
      data: ['big.csv'],
      columns: { params: 'N', flops: 'C' },
      analyses: [{ kind: 'skills', skills: { qa: ['qa'] }, aggregate: 'qa' }],
    }),
  });
  const big = join(dir, 'big.csv');
  const fh = openSync(big, 'w');
  writeSync(fh, 'N,C,qa,code1,code2,mix\n');
  const block = row.repeat(100_000);
  for (let i = 0; i < 44; i++) writeSync(fh, block);
  closeSync(fh);
  const size = statSync(big).size;
  const s = await startServe(join(dir, 'study.json'));
  try {
    // The server's resident memory, sampled while the downloads run.
    const rss = () => Number(readFileSync(`/proc/${s.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)![1]) * 1024;
    const before = rss();
    let peak = before;
    const download = async () => {
      const r = await fetch(new URL('files/0/big.csv', s.url));
      const length = r.headers.get('content-length');
      let bytes = 0,
        chunks = 0;
      const reader = r.body!.getReader();
      for (let c = await reader.read(); !c.done; c = await reader.read()) {
        bytes += c.value.length;
        chunks++;
        if (chunks % 50 === 0) peak = Math.max(peak, rss());
      }
      return { bytes, chunks, length };
    };
    const got = await Promise.all([download(), download(), download(), download()]);
    for (const g of got) {
      assert.equal(g.bytes, size);
      assert.equal(g.length, String(size));
      assert.ok(g.chunks > 10, `${g.chunks} chunks`);
    }
    // Read whole, 4 downloads would hold 4 × 100 MB; streamed, the server holds a few 64 kB buffers each.
    assert.ok(peak - before < size, `RSS grew by ${((peak - before) / 2 ** 20).toFixed(1)} MiB for ${(size / 2 ** 20).toFixed(1)} MiB files`);
  } finally {
    await s.stop();
  }
});
