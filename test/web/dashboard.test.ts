// The dashboard in Debian's chromium: the bundled sweep loads, the mix slider moves N*(C) to exactly what
// `scalewise skills --mix` computes for that mix, and its 95% interval (the band, from resamples drawn once) to
// `skills --mix --bootstrap B --seed S`'s Nci95; bad files show the CLI's error line, exports carry the numbers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { num } from '../../src/format/number.js';
import { root, scalewise, tempFiles, bin } from '../helpers/cli.js';
import { hasChromium, launchChromium, noChromium, startServe } from '../helpers/browser.js';
import { CODE, KNOWLEDGE } from '../helpers/kempner.js';
import { parseTable } from '../../src/data/parse.js';
import { mixView, prepare, sliderWeights } from '../../src/web/model.js';

interface MixJson {
  groups: { group: string; mix: { weights: number[][]; budgets: { C: number; N: (number | null)[]; Nci95?: ([number, number] | null)[] }[] } }[];
}

/** The CLI's validation-mix sweep on the bundled sweep, the same skills as the dashboard's default, 11 steps (w = 0, 0.1, …, 1). */
async function cliMix(...extra: string[]): Promise<MixJson> {
  const skills = extra.length ? extra : ['--mix', 'knowledge,code'];
  const r = await scalewise(
    'skills',
    'datasets/kempner/runs.csv',
    '--flops',
    'iso_flop',
    '--params',
    'params',
    '--tokens',
    'tokens',
    '--skill',
    `knowledge=${KNOWLEDGE}`,
    '--skill',
    `code=${CODE}`,
    '--aggregate',
    'loss_val_own',
    '--group',
    'datamix',
    ...skills,
    '--steps',
    '11',
    '--no-pooled',
    '--json',
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as MixJson;
}

/** N* per budget as the CLI would display it (3 significant digits), for one group and knowledge weight w (or weight vector). */
function expected(mix: MixJson, group: string, w: number | number[]): Map<string, string | null> {
  const g = mix.groups.find((x) => x.group === group)!;
  const want = typeof w === 'number' ? [w, 1 - w] : w;
  // Weights compared exactly: the page's 30/100 and the CLI grid's 3/10 are the same double.
  const i = g.mix.weights.findIndex((v) => (typeof w === 'number' ? v[0] === w : v.every((x, k) => x === want[k])));
  assert.ok(i >= 0, `weights ${want} on the CLI's grid`);
  return new Map(g.mix.budgets.map((b) => [num(b.C, 3), b.N[i] === null ? null : num(b.N[i]!, 3)]));
}

/** Vertex of the parabola through three points in (log N, loss): the IsoFLOP minimum, by hand. */
function expectedVertex(N: number[], loss: number[]): number {
  const [x0, x1, x2] = N.map(Math.log) as [number, number, number];
  const [y0, y1, y2] = loss as [number, number, number];
  const d1 = (y1 - y0) / (x1 - x0),
    d2 = (y2 - y1) / (x2 - x1);
  const c2 = (d2 - d1) / (x2 - x0);
  return (x0 + x1) / 2 - d1 / (2 * c2);
}

async function displayed(page: Page): Promise<Map<string, string>> {
  const rows = await page
    .locator('#nstar-table tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-budget')!, tr.querySelector('.nstar')!.textContent!] as [string, string]));
  return new Map(rows);
}

function assertSame(shown: Map<string, string>, want: Map<string, string | null>, what: string): void {
  assert.deepEqual([...shown.keys()], [...want.keys()], `${what}: budgets`);
  for (const [C, N] of want) {
    if (N === null) assert.match(shown.get(C)!, /^(edge|—)$/, `${what}: no minimum at C = ${C}`);
    else assert.equal(shown.get(C), N, `${what}: N* at C = ${C}`);
  }
}

describe("the page's band without a browser (the model the page runs)", () => {
  for (const method of ['parabola', 'akima'] as const) {
    test(`${method}: every mix of the 11-step grid on every datamix has skills --bootstrap 200 --seed 1's Nci95, with no new draws per move`, async () => {
      const cli = await cliMix('--mix', 'knowledge,code', '--bootstrap', '200', '--seed', '1', '--method', method);
      const table = await parseTable('runs.csv', readFileSync(join(root, 'datasets/kempner/runs.csv')));
      const prepared = prepare(table, {
        params: 'params',
        tokens: 'tokens',
        flops: 'iso_flop',
        group: 'datamix',
        method,
        skills: [
          { name: 'knowledge', columns: KNOWLEDGE.split(',') },
          { name: 'code', columns: CODE.split(',') },
        ],
        band: { resamples: 200, seed: 1 },
      });
      let equal = 0,
        none = 0;
      for (const g of cli.groups) {
        const data = prepared.groups.find((x) => x.group === g.group)!;
        g.mix.weights.forEach((w, i) => {
          const at = () => mixView(data, sliderWeights([Math.round(w[0]! * 100), Math.round(w[1]! * 100)]), method);
          const view = at();
          assert.equal(view.band!.length, g.mix.budgets.length);
          g.mix.budgets.forEach((b, j) => {
            const mine = view.band![j]?.N ?? null;
            assert.deepEqual(mine, b.Nci95![i], `${g.group}, w = ${w[0]}, C = ${num(b.C, 3)}`);
            // The figure's band reads the interval off the budget.
            assert.deepEqual(view.result.budgets[j]!.ci95?.N ?? null, mine);
            if (mine) equal++;
            else none++;
          });
          // A move draws nothing: the same position gives the same doubles again.
          assert.deepEqual(at().band, view.band);
        });
      }
      assert.ok(equal > 400, `${equal} intervals equal, ${none} budgets without one`);
    });
  }

  test("another seed gives other intervals (the resamples are the seed's); resamples: 0 gives no band", async () => {
    const table = await parseTable('runs.csv', readFileSync(join(root, 'datasets/kempner/runs.csv')));
    const config = (band: { resamples?: number; seed?: number }) =>
      prepare(table, {
        params: 'params',
        tokens: 'tokens',
        flops: 'iso_flop',
        group: 'datamix',
        method: 'parabola' as const,
        skills: [
          { name: 'knowledge', columns: KNOWLEDGE.split(',') },
          { name: 'code', columns: CODE.split(',') },
        ],
        band,
      }).groups[0]!;
    const w = sliderWeights([50, 50]);
    const a = mixView(config({ seed: 1 }), w, 'parabola').band!,
      b = mixView(config({ seed: 2 }), w, 'parabola').band!;
    assert.ok(a.some((x, j) => x && b[j] && x.N[0] !== b[j]!.N[0]));
    const plain = mixView(config({ resamples: 0 }), w, 'parabola');
    assert.equal(plain.band, undefined);
    assert.ok(plain.result.budgets.every((x) => x.ci95 === undefined));
  });
});

describe('dashboard in chromium', { skip: hasChromium ? false : noChromium }, () => {
  let browser: Browser;
  let serve: Awaited<ReturnType<typeof startServe>>;
  let page: Page;
  let mix: MixJson | undefined;
  const shots = process.env.SCALEWISE_UPDATE_SCREENSHOTS ? join(root, 'docs') : tempFiles({});

  before(async () => {
    mix = await cliMix();
    serve = await startServe();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    await page.goto(serve.url);
    await page.waitForSelector('body[data-ready="true"]');
  });
  after(async () => {
    await browser?.close();
    if (serve) assert.equal(await serve.stop(), 0, 'serve exits 0 on SIGTERM');
  });

  test('the bundled sweep loads with the README skills and an even mix; N* agrees with the CLI', async () => {
    assert.equal(await page.locator('#error').isHidden(), true);
    assert.equal(await page.locator('#mix-weights').textContent(), '0.5 knowledge + 0.5 code');
    assertSame(await displayed(page), expected(mix!, 'fineweb', 0.5), 'fineweb, w = 0.5');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
  });

  test('moving the slider recomputes N* in the page to the CLI value for that mix', async () => {
    const before = await displayed(page);
    await page.locator('#mix-w').fill('30');
    assert.equal(await page.locator('#mix-weights').textContent(), '0.3 knowledge + 0.7 code');
    const after = await displayed(page);
    assertSame(after, expected(mix!, 'fineweb', 0.3), 'fineweb, w = 0.3');
    assert.ok(
      [...after].some(([C, N]) => before.get(C) !== N),
      'some N* moved with the slider',
    );
    // The headline card shows the selected (largest) budget.
    assert.equal(await page.locator('#selected-nstar').textContent(), after.get('4.84e19'));
  });

  test('another datamix and the knowledge-only end of the slider', async () => {
    await page.locator('#group-value').selectOption('starcoder');
    await page.locator('#mix-w').fill('100');
    assertSame(await displayed(page), expected(mix!, 'starcoder', 1), 'starcoder, w = 1');
    await page.locator('#budget').selectOption({ label: '1.00e19 FLOP' });
    assert.equal(await page.locator('tr.selected').getAttribute('data-budget'), '1.00e19');
  });

  test('exports: CSV and JSON carry the displayed numbers, SVG and PNG the figure', async () => {
    const download = async (id: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(id).click()]);
      return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
    };
    const shown = await displayed(page);
    const csv = await download('#export-csv');
    assert.equal(csv.name, 'scalewise-mix-starcoder.csv');
    const lines = csv.bytes.toString('utf8').trim().split('\n');
    assert.equal(lines[0], 'C,N_star,N_star_lo,N_star_hi,D_star,loss_star,excluded,N_star_knowledge,N_star_code');
    for (const line of lines.slice(1)) {
      const [C, N] = line.split(',');
      const text = shown.get(num(Number(C), 3))!;
      assert.equal(N === '' ? '—' : num(Number(N), 3), text === 'edge' ? '—' : text);
    }
    const json = JSON.parse((await download('#export-json')).bytes.toString('utf8'));
    assert.deepEqual(json.weights, { knowledge: 1, code: 0 });
    assert.equal(json.group, 'starcoder');
    await page.locator('#show-frontier').click();
    const svg = (await download('#export-svg')).bytes.toString('utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /Compute-optimal frontier — datamix = starcoder/);
    const rootTag = svg.slice(0, svg.indexOf('>'));
    const [w, h] = ['width', 'height'].map((a) => new RegExp(` ${a}="(\\d+)"`).exec(rootTag)![1]);
    const png = (await download('#export-png')).bytes;
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [2 * Number(w), 2 * Number(h)], 'PNG at twice the figure size');
    await page.screenshot({ path: join(shots, 'dashboard-frontier.png'), fullPage: true });
    await page.locator('#show-isoflop').click();
  });

  test("the band of the mix's N* at every slider position tried is skills --bootstrap 200 --seed 1's Nci95 for that mix, and it is drawn", async () => {
    // The demo study's skills analysis has bootstrap 200, seed 1: the page draws those resamples once, on load.
    const cli = await cliMix('--mix', 'knowledge,code', '--bootstrap', '200', '--seed', '1');
    const p = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const band = () =>
      p.locator('#nstar-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const td = tr.querySelector('.nstar-ci')!;
          return [
            tr.getAttribute('data-budget')!,
            td.hasAttribute('data-lo') ? [Number(td.getAttribute('data-lo')), Number(td.getAttribute('data-hi'))] : null,
          ] as const;
        }),
      );
    try {
      await p.goto(serve.url);
      await p.waitForSelector('body[data-ready="true"]');
      await p.locator('#show-frontier').click();
      let compared = 0;
      const paths = new Set<string>();
      for (const group of ['fineweb', 'starcoder']) {
        await p.locator('#group-value').selectOption(group);
        const g = cli.groups.find((x) => x.group === group)!;
        for (const w of [0, 0.3, 0.5, 0.8, 1]) {
          await p.locator('#mix-w').fill(String(Math.round(w * 100)));
          const i = g.mix.weights.findIndex((v) => v[0] === w);
          assert.ok(i >= 0);
          const shown = await band();
          assert.deepEqual(
            shown.map(([C]) => C),
            g.mix.budgets.map((b) => num(b.C, 3)),
          );
          shown.forEach(([C, ci], j) => {
            // Exactly the CLI's doubles: the same resamples, the same refits (String(x) round-trips a double).
            assert.deepEqual(ci, g.mix.budgets[j]!.Nci95![i], `${group}, w = ${w}, C = ${C}`);
            if (ci) compared++;
          });
          // A kept budget's interval holds its N* (centred on it in log space), and the text shows its ends.
          for (const b of g.mix.budgets) {
            const ci = b.Nci95![i];
            if (ci) assert.ok(ci[0] <= b.N[i]! && b.N[i]! <= ci[1]);
          }
          // The band is drawn on both panels of the frontier (only the mix has one), through every kept budget.
          const bands = p.locator('#figure svg g.sw-band path');
          assert.equal(await bands.count(), 2, `${group}, w = ${w}: the band on N* and D*`);
          paths.add((await bands.first().getAttribute('d'))!);
        }
      }
      assert.ok(compared >= 50, `${compared} intervals compared`);
      assert.equal(paths.size, 10, 'the band moves with the slider and the datamix');
      const text = await p.locator('[data-budget="4.84e19"] .nstar-ci').textContent();
      const last = cli.groups.find((x) => x.group === 'starcoder')!.mix.budgets.at(-1)!.Nci95![0]!;
      assert.equal(text, `[${num(last[0], 3)}, ${num(last[1], 3)}]`);
    } finally {
      await p.close();
    }
  });

  test('three skills: one slider each, normalised, and N* as the CLI computes for that mix', async () => {
    const three = await cliMix('--skill', 'reasoning=loss_task_hellaswag', '--mix', 'knowledge,code,reasoning');
    const p = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    try {
      await p.goto(serve.url);
      await p.waitForSelector('body[data-ready="true"]');
      await p.locator('#add-skill').click();
      const skill = p.locator('.skill[data-skill="2"]');
      await skill.locator('.skill-name').fill('reasoning');
      await skill.locator('.skill-name').dispatchEvent('change');
      await skill.locator('.skill-columns').selectOption(['loss_task_hellaswag']);
      assert.equal(await p.locator('#mix-w').count(), 0, 'no two-skill slider');
      for (const [k, v] of [
        [0, '20'],
        [1, '30'],
        [2, '50'],
      ] as const)
        await p.locator(`#mix-${k}`).fill(v);
      assert.equal(await p.locator('#mix-weights').textContent(), '0.2 knowledge + 0.3 code + 0.5 reasoning');
      assertSame(await displayed(p), expected(three, 'fineweb', [0.2, 0.3, 0.5]), 'fineweb, 0.2/0.3/0.5');
    } finally {
      await p.close();
    }
  });

  test('a study file: its where filters are applied in the page', async () => {
    const dir = tempFiles({
      'study.json': JSON.stringify({
        title: 'StarCoder only',
        data: [join(root, 'datasets/kempner/runs.csv')],
        columns: { params: 'params', tokens: 'tokens', flops: 'iso_flop' },
        where: ['datamix=starcoder'],
        analyses: [{ kind: 'skills', skills: { knowledge: KNOWLEDGE.split(','), code: CODE.split(',') }, aggregate: 'loss_val_own', group: 'datamix' }],
      }),
    });
    const other = await startServe(join(dir, 'study.json'));
    const p = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    try {
      await p.goto(other.url);
      await p.waitForSelector('body[data-ready="true"]');
      const lines = readFileSync(join(root, 'datasets/kempner/runs.csv'), 'utf8').trim().split('\n');
      const starcoder = lines.slice(1).filter((l) => l.split(',')[3] === 'starcoder').length; // column 4 is datamix
      assert.equal(lines[0]!.split(',')[3], 'datamix');
      assert.equal(await p.locator('#source').textContent(), `runs.csv · ${starcoder} runs · 77 columns`);
      assert.deepEqual(await p.locator('#group-value option').allTextContents(), ['starcoder']);
      assertSame(await displayed(p), expected(mix!, 'starcoder', 0.5), 'starcoder study, w = 0.5');
    } finally {
      await p.close();
      await other.stop();
    }
  });

  test('a malformed upload shows the exact line the CLI prints, and the page keeps working', async () => {
    const dir = tempFiles({ 'bad.csv': 'params,tokens,loss\n1e8,2e9,3.1\n2e8,4e9\n', 'runs.txt': 'params\n1\n' });
    for (const name of ['bad.csv', 'runs.txt']) {
      const cli = spawnSync(process.execPath, [bin, 'isoflop', name], { cwd: dir, encoding: 'utf8' });
      assert.equal(cli.status, 2);
      await page.locator('#file').setInputFiles(join(dir, name));
      await page.locator('#error').waitFor({ state: 'visible' });
      assert.equal(await page.locator('[role="alert"]').textContent(), cli.stderr.trim());
    }
    assert.equal(
      await page.locator('[role="alert"]').textContent(),
      'scalewise: error: runs.txt: unknown format ".txt" (expected .csv, .tsv, .json, .jsonl, .ndjson, .parquet)',
    );
    await page.screenshot({ path: join(shots, 'dashboard-error.png') });
    // The loaded sweep is still there: the slider still works.
    await page.locator('#mix-w').fill('0');
    assertSame(await displayed(page), expected(mix!, 'starcoder', 0), 'starcoder, w = 0, after a bad upload');
  });

  test('a Parquet upload is read in the page (hyparquet on the bytes) and asks for skills', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const parquet = parquetWriteBuffer({
      columnData: [
        { name: 'params', data: Float64Array.from([1e8, 2e8, 4e8]) },
        { name: 'flops', data: Float64Array.from([1e19, 1e19, 1e19]) },
        { name: 'val_loss', data: Float64Array.from([3.2, 3.1, 3.15]) },
      ],
    });
    const dir = tempFiles({ 'runs.parquet': new Uint8Array(parquet) });
    await page.locator('#file').setInputFiles(join(dir, 'runs.parquet'));
    await page.locator('#source').filter({ hasText: 'runs.parquet' }).waitFor();
    assert.equal(await page.locator('#source').textContent(), 'runs.parquet · 3 runs · 3 columns');
    assert.equal(await page.locator('#error').isHidden(), true);
    assert.equal(await page.locator('#col-flops').inputValue(), 'flops');
    assert.match((await page.locator('#figure').textContent())!, /Choose one or more loss columns/);
    await page.locator('.skill-columns').selectOption(['val_loss']);
    assert.equal(await page.locator('[data-budget="1.00e19"] .nstar').textContent(), num(Math.exp(expectedVertex([1e8, 2e8, 4e8], [3.2, 3.1, 3.15])), 3));
  });
});
