// The demo report (what `npm start` writes) in Debian's chromium: it opens with no console errors and no
// network requests beyond the file itself, and every figure it lists is drawn (a non-empty box on the page).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { root, scalewise, tempFiles } from '../helpers/cli.js';
import { hasChromium, launchChromium, noChromium } from '../helpers/browser.js';

test('demo report in chromium: no console errors, no requests, every figure drawn', { skip: hasChromium ? false : noChromium }, async () => {
  const out = tempFiles({});
  const r = await scalewise('demo', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const file = join(out, 'report.html');
  const figures = readFileSync(file, 'utf8').match(/<figure /g)?.length ?? 0;
  assert.ok(figures >= 20, `${figures} figures in the demo report`);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (q) => requests.push(q.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [url], 'the report fetches nothing but itself');
    const boxes = await page.locator('figure > svg').evaluateAll((svgs) =>
      svgs.map((s) => {
        const b = s.getBoundingClientRect();
        return b.width * b.height;
      }),
    );
    assert.equal(boxes.length, figures, 'one drawn svg per figure');
    assert.ok(
      boxes.every((a) => a > 10_000),
      'every figure has a visible box',
    );
    if (process.env.SCALEWISE_UPDATE_SCREENSHOTS) {
      await page.screenshot({ path: join(root, 'docs/report.png') });
      await page.locator('figure[id^="isoflop-frontier"]').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(root, 'docs/report-figure.png') });
    }
  } finally {
    await browser.close();
  }
});
