// Every figure against its committed, normalised SVG snapshot, drawn from real analyses of the bundled data.
import { test } from 'node:test';
import { svgDocument, svgText } from '../../src/node/render.js';
import { forecastVsActual } from '../../src/plots/forecast.js';
import { frontier, isoflopSeries } from '../../src/plots/frontier.js';
import { lossToLoss } from '../../src/plots/loss-to-loss.js';
import { fitFigures, isoflopFigures, l2lFigures, skillsFigures } from '../../src/plots/sets.js';
import { chinchillaFit, kempnerL2l, kempnerSkills, porian } from './inputs.js';
import { matchSnapshot } from './snapshot.js';

test('isoflop figures: Porian configuration 1, parabola (4 budgets excluded) and configuration 5, Akima with noise draws', async () => {
  const doc = svgDocument();
  const p1 = await porian(1, 'parabola');
  for (const f of isoflopFigures(doc, [{ group: 'kaplan repro', ...p1 }])) matchSnapshot(`porian1-${f.name}`, svgText(f.svg));
  const p5 = await porian(5, 'akima', 0.002);
  for (const f of isoflopFigures(doc, [{ group: null, ...p5 }])) matchSnapshot(`porian5-${f.name}`, svgText(f.svg));
  const both = frontier(doc, { series: [isoflopSeries('config 1', p1.result), isoflopSeries('config 5', p5.result)] });
  matchSnapshot('porian-frontier-overlay', svgText(both));
});

test('fit figures: residuals, iso-loss contours and frontier of the Chinchilla fit with 40 bootstrap refits', async () => {
  const { report, runs } = await chinchillaFit(40);
  for (const f of fitFigures(svgDocument(), report, runs)) matchSnapshot(f.name, svgText(f.svg));
});

test('skills figures: per-skill frontier, ratio to the aggregate and mix sweep on the FineWeb datamix', async () => {
  const g = await kempnerSkills();
  for (const f of skillsFigures(svgDocument(), [{ group: 'fineweb', ...g }])) matchSnapshot(f.name, svgText(f.svg));
});

test('l2l figures: loss-to-loss lines of SmolLM and StarCoder from FineWeb-Edu, and their forecasts of the held-out top budget', async () => {
  const { report, pairs } = await kempnerL2l();
  for (const f of l2lFigures(svgDocument(), report, pairs, { x: 'FineWeb-Edu loss', y: 'loss' })) matchSnapshot(f.name, svgText(f.svg));
});

test('generic figures: loss-to-loss lines and forecasts against held-out runs', () => {
  const doc = svgDocument();
  // A shifted power law per group, L_y = K·(L_x − E_x)^κ + E_y, with the FineWeb-Edu → StarCoder constants
  // of Brandfonbrener et al. (2024) (κ 1.1002, K 0.6331, E_x 1.967, E_y 0.845) and a shifted second group.
  const law = (x: number, shift: number) => 0.6331 * (x - 1.967) ** 1.1002 + 0.845 + shift;
  const xs = [2.4, 2.6, 2.8, 3.0, 3.3, 3.6];
  const points = ['fineweb_edu', 'other'].flatMap((group, g) => xs.map((x, i) => ({ x, y: law(x, 0.3 * g) + (i % 2 ? 0.01 : -0.01), group })));
  const curves = ['fineweb_edu', 'other'].map((group, g) => ({ group, points: xs.map((x) => ({ x, y: law(x, 0.3 * g) })) }));
  matchSnapshot('loss-to-loss', svgText(lossToLoss(doc, { points, curves, xLabel: 'FineWeb-Edu loss', yLabel: 'StarCoder loss' })));
  const forecasts = [
    { actual: 2.95, predicted: 2.97, interval: [2.93, 3.01] as [number, number], group: 'loss' },
    { actual: 2.71, predicted: 2.69, interval: [2.66, 2.72] as [number, number], group: 'loss' },
    { actual: 2.52, predicted: 2.55, group: 'no interval' },
  ];
  matchSnapshot('forecast', svgText(forecastVsActual(doc, { points: forecasts })));
});
