// The datamix figures of `skills`: the forest of Δa per datamix, the covariate scatter (Roberts et al. Fig. 3) and
// the per-dataset spread (Fig. 1c) — SVG snapshots of real analyses, and properties that could fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { svgDocument, svgText } from '../../src/node/render.js';
import { covariateScatter } from '../../src/plots/covariate-scatter.js';
import { datasetSpread } from '../../src/plots/dataset-spread.js';
import { forestRows, groupForest } from '../../src/plots/group-forest.js';
import { skillsFigures } from '../../src/plots/sets.js';
import { kempnerDatamixes, syntheticCovariate } from './inputs.js';
import { matchSnapshot } from './snapshot.js';

function drawn(svg: SVGSVGElement, cls: string): Element[] {
  return [...svg.querySelectorAll(`.${cls}`)].flatMap((el) => (el.tagName.toLowerCase() === 'g' ? [...el.children] : [el]));
}
function vertices(d: string): [number, number][] {
  return [...d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}
const num = (el: Element, a: string) => Number(el.getAttribute(a));

const kempner = kempnerDatamixes();
const synthetic = syntheticCovariate();

test('snapshots: the Kempner forest and FineWeb per-dataset view, and the synthetic covariate scatter', async () => {
  const r = await kempner;
  const names = skillsFigures(svgDocument(), r.groups, r).map((f) => f.name);
  assert.ok(names.includes('skills-groups-forest') && names.includes('skills-datasets-fineweb') && !names.includes('skills-covariate'));
  for (const f of skillsFigures(svgDocument(), r.groups.slice(0, 1), { groupComparison: r.groupComparison! }).filter(
    (f) => !f.name.startsWith('skills-frontier') && !f.name.startsWith('skills-ratio'),
  ))
    matchSnapshot(f.name, svgText(f.svg));
  const c = await synthetic;
  matchSnapshot('skills-covariate', svgText(covariateScatter(svgDocument(), { skills: c.covariate!.skills, budget: c.covariate!.budget })));
});

test('forest: one dot per skill and datamix with a Δa, an interval per dot that contains it, thicker where it excludes 0', async () => {
  const r = await kempner;
  const c = r.groupComparison!;
  const svg = groupForest(svgDocument(), { comparison: c });
  const rows = forestRows(c);
  assert.equal(
    rows.length,
    c.skills.reduce((s, k) => s + k.groups.filter((g) => g.deltaA.value !== null).length, 0),
  );
  const dots = drawn(svg, 'sw-delta'),
    bars = drawn(svg, 'sw-interval');
  assert.equal(dots.length, rows.length);
  assert.equal(bars.length, rows.filter((x) => x.ci95).length);
  assert.equal(drawn(svg, 'sw-reference').length, 1);
  // Every row has draws here, so bar k belongs to dot k: the dot lies on its bar.
  dots.forEach((d, k) => {
    const b = bars[k]!;
    const x1 = Math.min(num(b, 'x1'), num(b, 'x2')),
      x2 = Math.max(num(b, 'x1'), num(b, 'x2'));
    assert.ok(x1 - 1e-6 <= num(d, 'cx') && num(d, 'cx') <= x2 + 1e-6, `row ${rows[k]!.label}: dot outside its interval`);
    assert.equal(num(b, 'stroke-width') > 2, rows[k]!.beyond);
  });
  const caption = [...svg.querySelectorAll('text')].map((t) => t.textContent).join(' ');
  assert.ok(caption.includes(`${rows.filter((x) => x.beyond).length} of ${rows.length} intervals exclude 0`));
});

test('covariate scatter: a dot per datamix in each panel, and each fitted line inside its band', async () => {
  const c = (await synthetic).covariate!;
  const svg = covariateScatter(svgDocument(), { skills: c.skills, budget: c.budget });
  assert.equal(drawn(svg, 'sw-point').length, 2 * c.skills[0]!.points.length);
  const lines = drawn(svg, 'sw-line'),
    bands = drawn(svg, 'sw-band');
  assert.equal(lines.length, 2);
  assert.equal(bands.length, 2);
  lines.forEach((line, k) => {
    const area = vertices(bands[k]!.getAttribute('d')!);
    for (const [x, y] of vertices(line.getAttribute('d')!)) {
      const ys = area.filter((v) => Math.abs(v[0] - x) < 1e-3).map((v) => v[1]);
      assert.ok(ys.length >= 2, `panel ${k}: no band at x=${x}`);
      assert.ok(Math.min(...ys) - 1e-6 <= y && y <= Math.max(...ys) + 1e-6, `panel ${k}: line at (${x}, ${y}) outside its band`);
    }
  });
});

test('per-dataset spread: a dot per column with a minimum, a median per budget inside its quartile bar', async () => {
  const g = (await kempner).groups[0]!;
  const d = g.datasets!;
  assert.equal(d.reference, 'llama3');
  const svg = datasetSpread(svgDocument(), { skills: d.skills, reference: d.reference, group: g.group });
  const values = d.skills.flatMap((s) => s.budgets.flatMap((b) => b.values.filter((v) => v !== null)));
  assert.equal(drawn(svg, 'sw-dataset').length, values.length);
  const medians = drawn(svg, 'sw-median'),
    bars = drawn(svg, 'sw-quartiles');
  assert.equal(
    medians.length,
    d.skills.reduce((s, k) => s + k.budgets.filter((b) => b.logRatio).length, 0),
  );
  assert.equal(bars.length, medians.length);
  medians.forEach((m, k) => {
    const t = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(m.getAttribute('transform') ?? '');
    const y = t ? Number(t[2]) : num(m, 'cy');
    const y1 = Math.min(num(bars[k]!, 'y1'), num(bars[k]!, 'y2')),
      y2 = Math.max(num(bars[k]!, 'y1'), num(bars[k]!, 'y2'));
    assert.ok(y1 - 1e-6 <= y && y <= y2 + 1e-6, `median ${k} at ${y} outside [${y1}, ${y2}]`);
  });
});
