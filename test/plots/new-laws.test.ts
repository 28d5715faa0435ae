// The figures of today's laws, drawn by `fit --plot` through fitFigures: the accuracy link (`--accuracy`) on
// Kempner's hellaswag runs, and loss against epochs for the data-constrained law on Muennighoff et al.'s C4 runs.
// Properties read the drawn SVG back: dots per row, and the line at the fitted link/law where it is drawn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitAnalysis, type FitAnalysisResult } from '../../src/analyses/fit.js';
import { readTable } from '../../src/data/read.js';
import { parseFilter } from '../../src/data/where.js';
import { dataConstrained } from '../../src/laws/data-constrained.js';
import { svgDocument, svgText } from '../../src/node/render.js';
import { accuracyLink, linkAt } from '../../src/plots/accuracy-link.js';
import { dataConstrainedLoss, repeatedData, repeatedDataCurves } from '../../src/plots/repeated-data.js';
import { presentFit } from '../../src/present/fit.js';
import { fitFigures } from '../../src/plots/sets.js';
import type { FitReport } from '../../src/schema/fit.js';
import { matchSnapshot } from './snapshot.js';

/** `fit --accuracy acc_lennorm_task_hellaswag --chance 0.25 --anchor 0:1 --holdout-top 1 --bootstrap 20` on the fineweb runs. */
let accuracy: Promise<FitAnalysisResult> | undefined;
function hellaswag(): Promise<FitAnalysisResult> {
  accuracy ??= readTable('datasets/kempner/runs.csv').then((t) =>
    fitAnalysis.run(t, {
      params: 'params',
      tokens: 'tokens',
      flops: 'iso_flop',
      loss: 'loss_task_hellaswag',
      where: [parseFilter('datamix=fineweb')],
      holdoutTop: 1,
      accuracy: 'acc_lennorm_task_hellaswag',
      chance: '0.25',
      anchor: ['0:1'],
      bootstrap: 20,
      seed: 1,
      calibrate: false,
    }),
  );
  return accuracy;
}

/** `fit --law data-constrained --unique U --where in_dc_fit=1 --fix <the C4 base constants>` (docs/laws.md). */
let repeated: Promise<FitAnalysisResult> | undefined;
function c4(): Promise<FitAnalysisResult> {
  repeated ??= readTable('datasets/datablations/runs.csv').then((t) =>
    fitAnalysis.run(t, {
      params: 'N',
      tokens: 'D',
      unique: 'U',
      loss: 'loss',
      law: 'data-constrained',
      where: [parseFilter('in_dc_fit=1')],
      fix: ['E=1.8691436784054858', 'A=520.8249516599187', 'B=1487.716093782861', 'alpha=0.3526596', 'beta=0.3526596'],
    }),
  );
  return repeated;
}

/** The elements a mark drew in one panel. */
function drawn(root: Element, cls: string): Element[] {
  return [...root.querySelectorAll(`.${cls}`)].flatMap((el) => (el.tagName.toLowerCase() === 'g' ? [...el.children] : [el]));
}
const panels = (svg: SVGSVGElement) => [...svg.querySelectorAll('svg.scalewise-plot')];
/** Centre of a dot: a circle's cx/cy, or a symbol path's translate(). */
function centre(el: Element): [number, number] {
  if (el.tagName.toLowerCase() === 'circle') return [Number(el.getAttribute('cx')), Number(el.getAttribute('cy'))];
  const m = el.getAttribute('transform')!.match(/translate\(([-\d.e]+),\s*([-\d.e]+)\)/)!;
  return [Number(m[1]), Number(m[2])];
}
function vertices(d: string): [number, number][] {
  return [...d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}
/** The linear map value → pixel through the two points of most different value. */
function affine(values: number[], px: number[]): { to: (v: number) => number; from: (p: number) => number } {
  let i = 0,
    j = 0;
  values.forEach((v, k) => {
    if (v < values[i]!) i = k;
    if (v > values[j]!) j = k;
  });
  const b = (px[j]! - px[i]!) / (values[j]! - values[i]!);
  return { to: (v) => px[i]! + b * (v - values[i]!), from: (p) => values[i]! + (p - px[i]!) / b };
}

test('fit figures with --accuracy and with the data-constrained law: the new figures by name, against their snapshots', async () => {
  const a = await hellaswag();
  const names = fitFigures(svgDocument(), a.report, a.runs, { accuracyRows: a.accuracyRows! }).map((f) => f.name);
  assert.deepEqual(names, ['fit-residuals', 'fit-iso-loss', 'fit-frontier', 'fit-forecasts', 'fit-accuracy-link']);
  // Without the rows (a caller that has only the report) the figure is left out, not drawn empty.
  assert.ok(!fitFigures(svgDocument(), a.report, a.runs).some((f) => f.name === 'fit-accuracy-link'));
  const d = await c4();
  const dc = fitFigures(svgDocument(), d.report, d.runs);
  assert.deepEqual(
    dc.map((f) => f.name),
    ['fit-residuals', 'fit-iso-loss', 'fit-frontier', 'fit-repeated-data'],
  );
  for (const f of [...fitFigures(svgDocument(), a.report, a.runs, { accuracyRows: a.accuracyRows! }), ...dc])
    if (f.name === 'fit-accuracy-link' || f.name === 'fit-repeated-data') matchSnapshot(f.name, svgText(f.svg));
});

test('accuracy link: a dot per step-2 row, the line on the fitted link, the chance floor, the anchor and one forecast per target on the line', async () => {
  const r = await hellaswag();
  const rows = r.accuracyRows!;
  const law = r.report.accuracyLaw!;
  assert.equal(rows.loss.length, law.n);
  const svg = accuracyLink(svgDocument(), { report: { ...r.report, accuracyLaw: law }, rows });
  // The anchor (0, 1) lies far from the runs (task loss 2.4–3.9): a full panel and a zoomed one.
  const [full, zoom] = panels(svg);
  assert.ok(full && zoom && panels(svg).length === 2);
  assert.equal(drawn(full, 'sw-anchor').length, 1);
  const targets = r.report.targets!;
  assert.equal(targets.length, 11);
  for (const panel of [full, zoom]) {
    const dots = drawn(panel, 'sw-row');
    assert.equal(dots.length, law.n);
    const at = dots.map(centre);
    const x = affine(
      Array.from(rows.loss),
      at.map((p) => p[0]),
    );
    const y = affine(
      Array.from(rows.accuracy),
      at.map((p) => p[1]),
    );
    // Every dot where its row is (the maps come from two of them; the others must agree).
    at.forEach(([px, py], i) => {
      assert.ok(Math.abs(px - x.to(rows.loss[i]!)) < 0.05 && Math.abs(py - y.to(rows.accuracy[i]!)) < 0.05, `row ${i} misplaced`);
    });
    const line = vertices(drawn(panel, 'sw-link')[0]!.getAttribute('d')!);
    assert.ok(line.length > 20);
    for (const [px, py] of line) assert.ok(Math.abs(py - y.to(linkAt(law, x.from(px)))) < 0.05, `link line off the fitted link at x=${px}`);
    const chance = drawn(panel, 'sw-chance')[0]!;
    if (panel === full) assert.ok(Math.abs(Number(chance.getAttribute('y1')) - y.to(0.25)) < 0.05);
    // Held-out runs hollow at their true (loss, accuracy); forecasts at (predicted loss, link there), with bars.
    const hollow: [number, number][] = drawn(panel, 'sw-target').map(centre);
    assert.equal(hollow.length, targets.length);
    hollow.forEach(([px, py], i) => {
      assert.ok(Math.abs(px - x.to(targets[i]!.loss)) < 0.05 && Math.abs(py - y.to(targets[i]!.accuracy!)) < 0.05);
    });
    const forecasts: [number, number][] = drawn(panel, 'sw-forecast').map(centre);
    assert.equal(forecasts.length, targets.length);
    forecasts.forEach(([px, py], i) => {
      const t = targets[i]!;
      assert.ok(Math.abs(px - x.to(t.predicted)) < 0.05, `forecast ${i} not at its predicted loss`);
      assert.ok(Math.abs(py - y.to(linkAt(law, t.predicted))) < 0.05, `forecast ${i} not on the link`);
      assert.ok(Math.abs(linkAt(law, t.predicted) - t.accuracyPredicted!) < 1e-9, `forecast ${i}: accuracyPredicted is not the link at the predicted loss`);
    });
    const bars = drawn(panel, 'sw-interval');
    assert.equal(bars.length, targets.length);
    bars.forEach((bar, i) => {
      const ci = targets[i]!.accuracyCi95!;
      const ys = [Number(bar.getAttribute('y1')), Number(bar.getAttribute('y2'))].sort((p, q) => p - q);
      const want = [y.to(ci[0]), y.to(ci[1])].sort((p, q) => p - q);
      assert.ok(Math.abs(ys[0]! - want[0]!) < 0.05 && Math.abs(ys[1]! - want[1]!) < 0.05, `bar ${i} is not its 95% interval`);
    });
  }
  const caption = [...svg.children]
    .filter((c) => c.tagName.toLowerCase() === 'text')
    .map((t) => t.textContent)
    .join(' ');
  assert.match(caption, /holding 0 of 11/);
});

test('accuracy link without anchors or targets: one panel, no target marks; the plain sigmoid link drawn from its own parameters', async () => {
  const r = await hellaswag();
  const law = r.report.accuracyLaw!;
  const bare: NonNullable<FitReport['accuracyLaw']> = { ...law, anchors: [] };
  const svg = accuracyLink(svgDocument(), { report: { law: r.report.law, accuracyLaw: bare }, rows: r.accuracyRows! });
  assert.equal(panels(svg).length, 1);
  for (const cls of ['sw-anchor', 'sw-target', 'sw-forecast', 'sw-interval']) assert.equal(drawn(svg, cls).length, 0, cls);
  assert.equal(drawn(svg, 'sw-row').length, law.n);
  // Err-style logistic written for accuracy: lo + (hi − lo)/(1 + exp(−s(L − L0))), falling with loss when s < 0.
  const sigmoid = { ...bare, link: 'sigmoid' as const, params: { lo: 0.9, hi: 0.26, s: 3, L0: 2.2 } };
  const by = (L: number) => 0.9 + (0.26 - 0.9) / (1 + Math.exp(-3 * (L - 2.2)));
  for (const L of [1.5, 2.2, 2.9, 3.6]) assert.ok(Math.abs(linkAt(sigmoid, L) - by(L)) < 1e-12);
  const sig = accuracyLink(svgDocument(), { report: { law: 'chinchilla', accuracyLaw: sigmoid }, rows: r.accuracyRows! });
  const at = drawn(sig, 'sw-row').map(centre);
  const x = affine(
    Array.from(r.accuracyRows!.loss),
    at.map((p) => p[0]),
  );
  const y = affine(
    Array.from(r.accuracyRows!.accuracy),
    at.map((p) => p[1]),
  );
  for (const [px, py] of vertices(drawn(sig, 'sw-link')[0]!.getAttribute('d')!)) assert.ok(Math.abs(py - y.to(by(x.from(px)))) < 0.05);
});

test('repeated data: a dot per run at its epochs D/U, one curve per (N, U) of 3+ runs on the fitted law, coloured as its runs', async () => {
  const r = await c4();
  const runs = { ...r.runs, U: r.runs.U! };
  assert.equal(runs.N.length, 182);
  // The figure's law is the fit's: at the runs' own (N, D, U) it gives the fit's predictions.
  const mine = dataConstrainedLoss(r.report.params, runs.N, runs.D, runs.U);
  const fitted = new Float64Array(runs.N.length);
  dataConstrained.predict(r.fit.theta, dataConstrained.prepare(runs), fitted);
  mine.forEach((v, i) => {
    assert.ok(Math.abs(v - fitted[i]!) < 1e-12 * fitted[i]!, `run ${i}`);
  });
  const svg = repeatedData(svgDocument(), { report: r.report, runs });
  const dots = drawn(svg, 'sw-dc-run');
  assert.equal(dots.length, 182);
  const at = dots.map(centre);
  const epochs = Array.from(runs.D, (d, i) => d / runs.U[i]!);
  const x = affine(
    epochs.map(Math.log10),
    at.map((p) => p[0]),
  );
  const y = affine(
    Array.from(runs.loss),
    at.map((p) => p[1]),
  );
  at.forEach(([px, py], i) => {
    assert.ok(Math.abs(px - x.to(Math.log10(epochs[i]!))) < 0.05 && Math.abs(py - y.to(runs.loss[i]!)) < 0.05);
  });
  const curves = repeatedDataCurves({ report: r.report, runs });
  assert.equal(curves.length, 18);
  for (const c of curves) assert.ok(c.runs >= 3 && Array.from(runs.N).filter((n, i) => n === c.N && runs.U[i] === c.U).length === c.runs);
  const paths = drawn(svg, 'sw-dc-curve');
  assert.equal(paths.length, curves.length);
  paths.forEach((path, k) => {
    const c = curves[k]!;
    const colourOfRuns = dots.filter((_, i) => runs.U[i] === c.U).map((d) => d.getAttribute('fill'));
    assert.ok(colourOfRuns.length > 0 && colourOfRuns.every((f) => f === path.getAttribute('stroke')), `curve ${k} not in its runs' colour`);
    const v = vertices(path.getAttribute('d')!);
    assert.equal(v.length, 48);
    const e = v.map(([px]) => 10 ** x.from(px));
    const want = dataConstrainedLoss(
      r.report.params,
      e.map(() => c.N),
      e.map((ep) => ep * c.U),
      e.map(() => c.U),
    );
    v.forEach(([, py], i) => {
      assert.ok(Math.abs(py - y.to(want[i]!)) < 0.05, `curve ${k} off the law at epochs ${e[i]}`);
    });
  });
  // One legend entry per U with a curve; R_D* and R_N* in the caption.
  const legend = [...svg.querySelectorAll('[aria-label="legend item"] text')].map((t) => t.textContent);
  assert.deepEqual(legend, ['U = 100M tokens', 'U = 400M tokens', 'U = 1.5B tokens', 'U = 4B tokens', 'U = 12B tokens']);
  const caption = [...svg.children]
    .filter((c) => c.tagName.toLowerCase() === 'text')
    .map((t) => t.textContent)
    .join(' ');
  assert.match(caption, new RegExp(`R_D\\* = ${Number(r.report.params.RD!.toPrecision(3))} .*R_N\\* = ${Number(r.report.params.RN!.toPrecision(3))}`));
});

test('fit --plot and the report draw them: the presenter passes the step-2 rows through', async () => {
  const a = await hellaswag();
  const names = (await presentFit(a).figures!(svgDocument())).map((f) => f.name);
  assert.ok(names.includes('fit-accuracy-link'), names.join(', '));
  const d = await c4();
  assert.ok((await presentFit(d).figures!(svgDocument())).some((f) => f.name === 'fit-repeated-data'));
});

test('formula laws draw the fit figures: Chinchilla as a formula with held-out runs, and a formula that reads U', async () => {
  // One start per constant (Epoch's optimum, docs/laws.md): the figures, not the search, are under test.
  const epoch = await fitAnalysis.run(await readTable('datasets/chinchilla/epoch_chinchilla_points.csv'), {
    params: 'N_params',
    tokens: 'D_tokens',
    loss: 'loss',
    where: [parseFilter('in_epoch_fit=1')],
    law: 'E + A*N^-alpha + B*D^-beta',
    start: ['E=1.82', 'A=482', 'B=2085', 'alpha=0.35', 'beta=0.37'],
    holdoutTop: 1,
    calibrate: false,
  });
  const figs = fitFigures(svgDocument(), epoch.report, epoch.runs);
  assert.deepEqual(
    figs.map((f) => f.name),
    ['fit-residuals', 'fit-iso-loss', 'fit-frontier', 'fit-forecasts'],
  );
  for (const f of figs) assert.ok(f.svg.querySelectorAll('.sw-run, circle').length > 0, `${f.name} drew no dots`);
  const u = await fitAnalysis.run(await readTable('datasets/datablations/runs.csv'), {
    params: 'N',
    tokens: 'D',
    unique: 'U',
    loss: 'loss',
    where: [parseFilter('in_dc_fit=1')],
    law: 'E + A*N^-alpha + B*(U*(1 + R*(1 - exp(-(D/U - 1)/R))))^-beta',
    fix: ['E=1.8691436784054858', 'A=520.8249516599187', 'B=1487.716093782861', 'alpha=0.3526596', 'beta=0.3526596'],
    start: ['R=15'],
  });
  // No allocation for a formula of U (no-allocation warning), so no frontier; the repeated-data figure is the built-in law's.
  assert.deepEqual(
    fitFigures(svgDocument(), u.report, u.runs).map((f) => f.name),
    ['fit-residuals', 'fit-iso-loss'],
  );
});
