// `npm run bench:slider`: the dashboard's slider on the 529-run sweep, timed in Debian's chromium.
// (i) a full update as the user sees it — input event → mixed loss → IsoFLOP analysis → N* interval per budget
// from the resamples drawn once (src/methods/mix-band.ts) → SVG figure with the band (src/plots, Observable Plot)
// and table → layout, for either figure — and (ii) the recompute alone, with and without the band; both over 400 updates via performance.now in the page.
// The recompute is compared with the same computation in numpy (bench/reference/slider_reference.py).
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { build } from 'esbuild';
import { median, quantile } from '../src/stats/quantile.js';
import { hasChromium, launchChromium, noChromium, startServe } from '../test/helpers/browser.js';

const UPDATES = 400;
const p95 = (v: number[]) => quantile(v, 0.95);

if (!hasChromium) {
  process.stdout.write(`skipped: ${noChromium}\n`);
  process.exit(0);
}

const bundle = await build({
  entryPoints: ['bench/slider-page.ts'],
  bundle: true,
  format: 'iife',
  globalName: 'sliderBench',
  platform: 'browser',
  write: false,
  alias: { 'csv-parse/sync': 'csv-parse/browser/esm/sync' },
  logLevel: 'warning',
});
const serve = await startServe();
const browser = await launchChromium();
try {
  // bypassCSP: the page's policy refuses inline scripts, and the benchmark injects its recompute-only bundle as one.
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, bypassCSP: true });
  await page.goto(serve.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });

  // The page's own code path; the layout read makes the browser do the style and layout work of the update too.
  const fullUpdates = (n: number) =>
    page.evaluate(`(() => {
    const s = document.getElementById('mix-w'), times = [];
    for (let i = 0; i < ${n}; i++) {
      s.value = String((i * 37) % 101);
      const t = performance.now();
      s.dispatchEvent(new Event('input'));
      void document.body.offsetHeight;
      times.push(performance.now() - t);
    }
    return times;
  })()`) as Promise<number[]>;

  const resamples = (await page.evaluate(`fetch('/api/study').then((r) => r.json()).then((i) => i.config.band?.resamples ?? 200)`)) as number;
  process.stdout.write(
    `Dashboard slider on the 529-run sweep (knowledge vs code), chromium ${browser.version()}, ${UPDATES} updates each; the band of N* from ${resamples} bootstrap resamples; load average ${loadavg()[0]!.toFixed(1)} (other jobs on the machine slow the tail)\n\n`,
  );
  const rows: [string, string | null][] = [
    ['one datamix (fineweb, 88 runs)', 'fineweb'],
    ['all 529 runs pooled', null],
  ];
  for (const [label, group] of rows) {
    await page.locator('#col-group').selectOption(group === null ? '' : 'datamix');
    if (group !== null) await page.locator('#group-value').selectOption(group);
    process.stdout.write(`${label}\n`);
    for (const [tab, name] of [
      ['isoflop', 'IsoFLOP curves'],
      ['frontier', 'frontier'],
    ]) {
      await page.locator(`#show-${tab}`).click();
      await fullUpdates(20); // warm-up (JIT)
      const full = await fullUpdates(UPDATES);
      process.stdout.write(
        `  full update with the band, ${name} figure (recompute + band + figure + table + layout): median ${median(full).toFixed(1)} ms, p95 ${p95(full).toFixed(1)} ms, max ${Math.max(...full).toFixed(1)} ms (target < 50 ms)\n`,
      );
    }
    type Core = { times: number[]; nTop: number | null; prepareMs: number };
    const core = (await page.evaluate(`sliderBench.run(${UPDATES}, ${JSON.stringify(group)}, false)`)) as Core;
    const banded = (await page.evaluate(`sliderBench.run(${UPDATES}, ${JSON.stringify(group)}, true)`)) as Core;
    process.stdout.write(`  recompute only (mixed loss + IsoFLOP analysis): median of 20-update means ${median(core.times).toFixed(3)} ms\n`);
    process.stdout.write(
      `  recompute with the band (+ N* interval from ${resamples} resamples): median of 20-update means ${median(banded.times).toFixed(3)} ms; drawing the resamples once (prepare): ${banded.prepareMs.toFixed(1)} ms (without: ${core.prepareMs.toFixed(1)} ms)\n`,
    );
    const ref = spawnSync(
      'python3',
      ['bench/reference/slider_reference.py', '--csv', 'datasets/kempner/runs.csv', '--updates', String(UPDATES), ...(group ? ['--group', group] : [])],
      { encoding: 'utf8' },
    );
    if (ref.status === 0) {
      const r = JSON.parse(ref.stdout) as { median_ms: number; N_top_w03: number | null };
      const agree = r.N_top_w03 !== null && core.nTop !== null ? Math.abs(core.nTop / r.N_top_w03 - 1) : NaN;
      process.stdout.write(
        `  numpy reference, recompute only:                median ${r.median_ms.toFixed(3)} ms → ${(r.median_ms / median(core.times)).toFixed(1)}× ${r.median_ms > median(core.times) ? 'slower' : 'faster'} than the page\n`,
      );
      process.stdout.write(
        `  N* at 4.84e19 for w = 0.3: page ${core.nTop?.toPrecision(8)}, numpy ${r.N_top_w03?.toPrecision(8)} (relative difference ${agree.toExponential(1)})\n\n`,
      );
    } else {
      process.stdout.write(`  numpy reference did not run: ${(ref.stderr || ref.error?.message || '').trim().split('\n').pop()}\n\n`);
    }
  }
} finally {
  await browser.close();
  await serve.stop();
}
