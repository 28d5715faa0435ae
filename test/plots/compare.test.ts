// The compare figures, from frontier laws on the Kempner sweep's common C4 validation loss (6 datamixes, FineWeb-Edu
// the baseline, 50 budget-paired resamples): snapshots, and properties that fail if a mark goes missing or lies.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareAnalysis, type CompareResult } from '../../src/analyses/compare.js';
import { readTables } from '../../src/data/read.js';
import { svgDocument, svgText } from '../../src/node/render.js';
import { compareFigures } from '../../src/plots/sets.js';
import { root } from '../helpers/cli.js';
import { matchSnapshot } from './snapshot.js';

let cached: Promise<CompareResult> | undefined;
function kempnerCompare(): Promise<CompareResult> {
  cached ??= readTables([join(root, 'datasets/kempner/runs.csv')]).then((t) =>
    compareAnalysis.run(t, {
      params: 'params',
      tokens: 'tokens',
      flops: 'iso_flop',
      loss: 'loss_val_c4',
      arm: 'datamix',
      baseline: 'fineweb_edu',
      frontier: true,
      budget: [1e20, 1e21, 1e22],
      bootstrap: 50,
      seed: 1,
    }),
  );
  return cached;
}

/** The elements a mark drew (Plot renders a mark as a `<g class=…>` of shapes, or one shape with the class). */
function drawn(svg: SVGSVGElement, cls: string): Element[] {
  return [...svg.querySelectorAll(`.${cls}`)].flatMap((el) => (el.tagName.toLowerCase() === 'g' ? [...el.children] : [el]));
}

test('compare figures: multiplier, frontiers and decision accuracy match their snapshots', async () => {
  const r = await kempnerCompare();
  const { report } = r;
  const curves = r.curves();
  const figures = compareFigures(svgDocument(), report, curves);
  assert.deepEqual(
    figures.map((f) => f.name),
    ['compare-multiplier', 'compare-frontiers', 'compare-accuracy'],
  );
  for (const f of figures) matchSnapshot(`kempner-${f.name}`, svgText(f.svg));
});

test('compare multiplier figure: one line and one band per compared arm, a dot per budget with a multiplier, a reference at 1', async () => {
  const r = await kempnerCompare();
  const { report } = r;
  const curves = r.curves();
  const svg = compareFigures(svgDocument(), report, curves)[0]!.svg;
  assert.equal(drawn(svg, 'sw-multiplier').length, report.arms.length);
  assert.equal(drawn(svg, 'sw-band').length, curves.multiplier.filter((m) => (m.band ?? []).filter((b) => b !== null).length >= 2).length);
  const dots = report.arms.reduce((s, a) => s + a.budgets.filter((b) => b.computeMultiplier !== null).length, 0);
  assert.equal(drawn(svg, 'sw-budget').length, dots);
  assert.equal(
    drawn(svg, 'sw-interval').length,
    report.arms.reduce((s, a) => s + a.budgets.filter((b) => b.computeMultiplier !== null && b.ci95).length, 0),
  );
  assert.equal(drawn(svg, 'sw-reference').length, 1);
  const legend = [...svg.querySelectorAll('[aria-label="legend item"] text')].map((t) => t.textContent);
  assert.deepEqual(
    legend,
    report.arms.map((a) => a.arm),
  );
});

test('compare frontiers figure: every run a dot, one curve per arm with the baseline’s apart, a large dot per fitted frontier point', async () => {
  const r = await kempnerCompare();
  const { report } = r;
  const curves = r.curves();
  const svg = compareFigures(svgDocument(), report, curves)[1]!.svg;
  assert.equal(drawn(svg, 'sw-run').length, 529);
  assert.equal(drawn(svg, 'sw-curve').length, 5);
  assert.equal(drawn(svg, 'sw-baseline-curve').length, 1);
  assert.equal(
    drawn(svg, 'sw-frontier-point').length,
    report.frontierLaws!.reduce((s, f) => s + f.points, 0),
  );
});

test('compare accuracy figure: a dot per budget with an accuracy, and per budget with an extrapolated law ranking', async () => {
  const r = await kempnerCompare();
  const { report } = r;
  const curves = r.curves();
  const svg = compareFigures(svgDocument(), report, curves)[2]!.svg;
  assert.equal(drawn(svg, 'sw-observed').length, report.decisionAccuracy.filter((d) => d.accuracy !== null).length);
  assert.equal(drawn(svg, 'sw-law-ranking').length, report.decisionAccuracy.filter((d) => d.lawAccuracy !== null).length);
  assert.ok(drawn(svg, 'sw-law-ranking').length >= 4);
});
