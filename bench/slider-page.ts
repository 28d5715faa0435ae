// Runs inside the dashboard page (bundled by bench/slider.ts): the slider's computation alone — mixed loss per
// run, the IsoFLOP analysis and (unless `band` is false) the N* interval refitted on the precomputed resamples —
// on the served study, without the figure and the table.
import { parseTable } from '../src/data/parse.js';
import { mixView, prepare, sliderWeights, type DashboardConfig } from '../src/web/model.js';

/**
 * Milliseconds per recompute (block means) for `updates` slider positions, on one group (or all runs when `group` is null),
 * and N* at the largest budget for w = 0.3 (compared with the reference's).
 */
export async function run(updates: number, group: string | null, band = true): Promise<{ times: number[]; nTop: number | null; prepareMs: number }> {
  const info = (await (await fetch('/api/study')).json()) as { files: { name: string; url: string }[]; config: DashboardConfig };
  const f = info.files[0]!;
  const table = await parseTable(f.name, new Uint8Array(await (await fetch(f.url)).arrayBuffer()));
  // With the band: the study's resamples (drawn once, in prepare); without: the plain recompute.
  const config = { ...info.config, group: group === null ? undefined : info.config.group, ...(band ? {} : { band: { resamples: 0 } }) };
  const t0 = performance.now();
  const prepared = prepare(table, config);
  const prepareMs = performance.now() - t0;
  const data = prepared.groups.find((g) => g.group === group)!;
  const times: number[] = [];
  let sink = 0;
  // The page's clock is coarsened (0.1 ms in chromium): time blocks of BLOCK updates, report the mean per update.
  const BLOCK = 20;
  for (let i = 0; i < updates; i += BLOCK) {
    const t = performance.now();
    for (let j = i; j < i + BLOCK; j++) {
      const v = (j * 37) % 101;
      sink += mixView(data, sliderWeights([v, 100 - v]), config.method).result.fit?.a ?? 0; // keep the work observable
    }
    times.push((performance.now() - t) / BLOCK);
  }
  if (!Number.isFinite(sink)) throw new Error('non-finite exponent');
  const top = mixView(data, sliderWeights([30, 70]), config.method).result.budgets.at(-1)!;
  return { times, nTop: top.excluded ? null : top.N, prepareMs };
}
