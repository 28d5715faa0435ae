// Properties of the figures that would fail if a mark went missing or lied about the analysis: one minimum
// marker per budget kept, excluded budgets styled apart, bands that contain the fitted line, PNGs with ink.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rasterize, renderPng, svgDocument, svgText } from '../../src/node/render.js';
import { fitSeries, frontier, lawAt } from '../../src/plots/frontier.js';
import { isoflopCurves } from '../../src/plots/isoflop-curves.js';
import { mixSweep } from '../../src/plots/mix-sweep.js';
import { skillRatios } from '../../src/plots/skill-ratios.js';
import { forecastVsActual } from '../../src/plots/forecast.js';
import { formatCount, formatFlop, logTicks } from '../../src/plots/style.js';
import { l2lFigures } from '../../src/plots/sets.js';
import { chinchillaFit, kempnerL2l, kempnerSkills, porian } from './inputs.js';

/** The elements a mark drew (Plot renders a mark as a `<g class=…>` of shapes, or one shape with the class). */
function drawn(svg: SVGSVGElement, cls: string): Element[] {
  return [...svg.querySelectorAll(`.${cls}`)].flatMap((el) => (el.tagName.toLowerCase() === 'g' ? [...el.children] : [el]));
}

/** (x, y) vertices of an SVG path made of M/L commands (what Plot's line and area marks write). */
function vertices(d: string): [number, number][] {
  return [...d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

test('IsoFLOP figure: one minimum per budget kept, dashed grey curves for the excluded ones, reasons in the legend', async () => {
  // Porian et al.'s "Reproducing Kaplan" configuration, parabola: 8 of 12 budgets kept (README table).
  const { result, points } = await porian(1, 'parabola');
  const kept = result.budgets.filter((b) => !b.excluded).length;
  const excluded = result.budgets.filter((b) => b.excluded);
  assert.equal(kept, 8);
  const svg = isoflopCurves(svgDocument(), { result, points });
  assert.equal(drawn(svg, 'sw-minimum').length, kept);
  const dashed = drawn(svg, 'sw-excluded-curve');
  assert.equal(dashed.length, excluded.length);
  const group = svg.querySelector('.sw-excluded-curve')!;
  assert.equal(group.getAttribute('stroke-dasharray'), '5,3');
  assert.equal(group.getAttribute('stroke'), '#9a9a9a');
  assert.equal(drawn(svg, 'sw-curve').length, kept);
  const legend = [...svg.querySelectorAll('[aria-label="legend item"] text')].map((t) => t.textContent);
  assert.equal(legend.filter((t) => t!.includes('left out: edge-min')).length, excluded.length);
  assert.equal(
    drawn(svg, 'sw-run').length,
    result.budgets.reduce((s, b) => s + b.points, 0),
  );
});

test('IsoFLOP figure with noise draws: an interval bar per minimum, and it contains the minimum', async () => {
  const { result, points } = await porian(5, 'akima', 0.002);
  const svg = isoflopCurves(svgDocument(), { result, points });
  const bars = drawn(svg, 'sw-interval');
  const mins = drawn(svg, 'sw-minimum');
  assert.equal(bars.length, result.budgets.filter((b) => !b.excluded).length);
  assert.equal(bars.length, mins.length);
  bars.forEach((bar, i) => {
    const x = Number(mins[i]!.getAttribute('transform')!.match(/translate\(([-\d.e]+)/)![1]);
    assert.ok(Number(bar.getAttribute('x1')) <= x + 1e-6 && x - 1e-6 <= Number(bar.getAttribute('x2')), `budget ${i}: minimum at x=${x} outside its bar`);
  });
});

test('fit frontier: the bootstrap band contains the fitted line, in the data and in the drawn paths', async () => {
  const { report } = await chinchillaFit(40);
  const series = fitSeries('chinchilla', report);
  for (const b of series.band!) {
    for (const q of ['N', 'D'] as const) {
      const v = lawAt(series.law!, q, b.C);
      assert.ok(b[q][0] <= v && v <= b[q][1], `${q} at C=${b.C}: ${v} outside [${b[q][0]}, ${b[q][1]}]`);
    }
  }
  const svg = frontier(svgDocument(), { series: [series] });
  const areas = drawn(svg, 'sw-band'),
    lines = drawn(svg, 'sw-law');
  assert.equal(areas.length, 2);
  areas.forEach((area, p) => {
    const band = vertices(area.getAttribute('d')!);
    const half = band.length / 2;
    const top = band.slice(0, half),
      bottom = band.slice(half).reverse();
    const at = (edge: [number, number][], x: number) => {
      const i = edge.findIndex((v) => v[0] >= x);
      const [x0, y0] = edge[i - 1]!,
        [x1, y1] = edge[i]!;
      return y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
    };
    let checked = 0;
    for (const [x, y] of vertices(lines[p]!.getAttribute('d')!)) {
      if (x <= top[0]![0] || x >= top[half - 1]![0]) continue;
      const [a, b] = [at(top, x), at(bottom, x)].sort((u, v) => u - v);
      assert.ok(a! - 1e-6 <= y && y <= b! + 1e-6, `panel ${p}: line at x=${x} (y=${y}) outside the band [${a}, ${b}]`);
      checked++;
    }
    assert.ok(checked > 10);
  });
});

test('skills figures: a ratio dot per budget with both minima, a reference line at 1, one mix line per budget', async () => {
  const g = await kempnerSkills();
  const doc = svgDocument();
  const ratios = skillRatios(doc, { result: g });
  const expected = g.skills.reduce((s, k) => s + k.ratioToAggregate.filter((r) => r.ratio !== null).length, 0);
  assert.equal(drawn(ratios, 'sw-ratio').length, expected);
  assert.equal(drawn(ratios, 'sw-reference').length, 1);
  const mix = mixSweep(doc, { sweep: g.mix! });
  assert.equal(drawn(mix, 'sw-mix-line').length, g.mix!.budgets.filter((b) => b.N.some((n) => n !== null)).length);
  assert.equal(
    drawn(mix, 'sw-mix-point').length,
    g.mix!.budgets.reduce((s, b) => s + b.N.filter((n) => n !== null).length, 0),
  );
});

test("mix sweep figure: each budget's band of Nci95 contains its line; budgets beyond noise drawn thicker and named in the legend", async () => {
  const g = await kempnerSkills();
  // One budget made beyond noise by hand, to see it styled apart (the FineWeb sweep has none).
  const sweep = { ...g.mix!, budgets: g.mix!.budgets.map((b, j) => (j === 0 ? { ...b, ci95: [1.02, 1.1] as [number, number], beyondNoise: true } : b)) };
  for (const b of sweep.budgets)
    b.N.forEach((n, i) => {
      const ci = b.Nci95![i];
      if (n === null) assert.equal(ci, null);
      else assert.ok(ci && ci[0] <= n && n <= ci[1], `C ${b.C} mix ${i}: ${n} outside ${ci}`);
    });
  const svg = mixSweep(svgDocument(), { sweep });
  const bands = drawn(svg, 'sw-mix-band'),
    lines = drawn(svg, 'sw-mix-line');
  const withLine = sweep.budgets.filter((b) => b.N.some((n) => n !== null));
  assert.equal(lines.length, withLine.length);
  assert.equal(bands.length, lines.length);
  let checked = 0;
  lines.forEach((line, k) => {
    const area = vertices(bands[k]!.getAttribute('d')!);
    for (const [x, y] of vertices(line.getAttribute('d')!)) {
      const ys = area.filter((v) => Math.abs(v[0] - x) < 1e-6).map((v) => v[1]);
      assert.ok(ys.length >= 2, `budget ${k}: no band at x=${x}`);
      assert.ok(Math.min(...ys) - 1e-6 <= y && y <= Math.max(...ys) + 1e-6, `budget ${k}: line at x=${x} (y=${y}) outside the band [${ys}]`);
      checked++;
    }
  });
  assert.ok(checked >= 30, `checked ${checked}`);
  const widths = lines.map((l) => Number(l.getAttribute('stroke-width') ?? l.parentElement!.getAttribute('stroke-width')));
  assert.ok(widths[0]! > 2 * 1.4 && widths.slice(1).every((w) => w === widths[1] && w < widths[0]!), `widths ${widths}`);
  const legend = [...svg.querySelectorAll('[aria-label="legend item"] text')].map((t) => t.textContent!);
  assert.deepEqual(
    legend.map((t) => t.includes('beyond noise')),
    sweep.budgets.map((_, j) => j === 0),
  );
  // Without draws: no bands, every line the same width, no verdict.
  const plain = mixSweep(svgDocument(), { sweep: { ...g.mix!, budgets: g.mix!.budgets.map(({ Nci95: _, ci95: __, ...b }) => ({ ...b, beyondNoise: null })) } });
  assert.equal(drawn(plain, 'sw-mix-band').length, 0);
  assert.ok(![...plain.querySelectorAll('text')].some((t) => t.textContent!.includes('beyond noise')));
});

test('forecast figure: the identity line runs corner to corner, a bar per interval, MARE in the caption', () => {
  const svg = forecastVsActual(svgDocument(), {
    points: [
      { actual: 2, predicted: 2.2, interval: [2.1, 2.3] },
      { actual: 3, predicted: 2.7 },
    ],
  });
  const [[x0, y0], [x1, y1]] = vertices(drawn(svg, 'sw-identity')[0]!.getAttribute('d')!) as [[number, number], [number, number]];
  assert.ok(x1 > x0 && y1 < y0, 'identity line rises left to right');
  assert.ok(Math.abs((x1 - x0) / (y0 - y1) - 1) < 0.25, 'equal x and y domains'); // square-ish panel
  assert.equal(drawn(svg, 'sw-interval').length, 1);
  // |2.2 − 2|/2 = 10%, |2.7 − 3|/3 = 10%: mean 10%.
  assert.match([...svg.querySelectorAll('text')].map((t) => t.textContent).join(' '), /Mean absolute relative error 10%/);
});

test('l2l figures: one solid line per group, a dot per fitted pair, a hollow dot and a forecast per held-out run, one colour per group in both', async () => {
  const { report, pairs } = await kempnerL2l();
  assert.ok('groups' in report);
  const groups = report.groups;
  assert.deepEqual(
    groups.map((g) => g.group),
    ['smollm', 'starcoder'],
  );
  const [lines, forecasts] = l2lFigures(svgDocument(), report, pairs, { x: 'x', y: 'y' });
  assert.deepEqual([lines!.name, forecasts!.name], ['l2l-lines', 'l2l-forecasts']);
  const solid = drawn(lines!.svg, 'sw-l2l-line');
  assert.equal(solid.length, groups.length);
  // The top budget has the lowest losses: every group's line reaches down to its held-out runs, dashed.
  assert.equal(drawn(lines!.svg, 'sw-l2l-extrapolation').length, groups.length);
  assert.equal(
    drawn(lines!.svg, 'sw-l2l-point').length,
    groups.reduce((s, g) => s + g.n, 0),
  );
  const targets = groups.reduce((s, g) => s + g.targets!.length, 0);
  assert.equal(targets, 17); // 8 StarCoder + 9 SmolLM held-out pairs (README backtest table)
  assert.equal(drawn(lines!.svg, 'sw-l2l-held-out').length, targets);
  const dots = drawn(forecasts!.svg, 'sw-forecast');
  assert.equal(dots.length, targets);
  // Colours: group i's line and its forecasts share one colour, and the groups' colours differ.
  const lineColour = solid.map((l) => l.getAttribute('stroke'));
  assert.equal(new Set(lineColour).size, groups.length);
  let i = 0;
  groups.forEach((g, k) => {
    for (const _ of g.targets!) assert.equal(dots[i++]!.getAttribute('fill'), lineColour[k], `${g.group}: forecast colour`);
  });
  // The legend of the forecasts gives each group's mean |relative error|: the README's backtest table
  // ("Backtest: forecasting the top budget of the 529-run sweep", loss-to-loss column).
  const legend = [...forecasts!.svg.querySelectorAll('[aria-label="legend item"] text')].map((t) => t.textContent);
  assert.deepEqual(legend, ['smollm: 0.162%', 'starcoder: 0.834%']);
});

test('PNG: resvg renders the figure at twice its SVG size, with ink in the plot and in the title', async () => {
  const { result, points } = await porian(1, 'parabola');
  const svg = isoflopCurves(svgDocument(), { result, points });
  const width = Number(svg.getAttribute('width')),
    height = Number(svg.getAttribute('height'));
  const png = renderPng(svgText(svg));
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  assert.equal(png.readUInt32BE(16), 2 * width); // IHDR width and height
  assert.equal(png.readUInt32BE(20), 2 * height);
  const img = rasterize(svgText(svg));
  const px = img.pixels; // a getter that copies the buffer: read it once
  const dark = (x0: number, y0: number, x1: number, y1: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const i = 4 * (y * img.width + x);
        if (px[i]! + px[i + 1]! + px[i + 2]! < 3 * 128) n++;
      }
    return n;
  };
  assert.ok(dark(0, 0, img.width, 60) > 200, 'the title is drawn (text needs a font)');
  assert.ok(dark(0, 0, img.width, img.height) > 0.01 * img.width * img.height, 'the plot has ink');
});

test('tick formats: counts as people read them, compute as powers of ten, log ticks that fit the range', () => {
  assert.deepEqual([1e8, 1.5e9, 2e12, 7e4, 12].map(formatCount), ['100M', '1.5B', '2T', '70k', '12']);
  assert.deepEqual([1e20, 3e19, 5.88e23].map(formatFlop), ['10²⁰', '3×10¹⁹', '5.88×10²³']);
  assert.deepEqual(logTicks(1.7e17, 5.7e19), [2e17, 5e17, 1e18, 2e18, 5e18, 1e19, 2e19, 5e19]);
  assert.deepEqual(logTicks(3e18, 2e22), [1e19, 1e20, 1e21, 1e22]);
});
