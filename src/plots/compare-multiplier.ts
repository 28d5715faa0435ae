import * as Plot from '@observablehq/plot';
import type { CompareCurves, CompareReport } from '../analyses/compare.js';
import { figure } from './figure.js';
import { categorical, formatFlop, LABEL, logAxis, logExtent, MUTED } from './style.js';

/** Options of {@link compareMultiplier}. */
export interface CompareMultiplierOptions {
  report: CompareReport;
  curves: CompareCurves;
}

/**
 * The effective compute multiplier of each arm against the baseline over C (log–log), with its 95% band from the
 * resamples, the report's budgets as dots and a reference line at 1 (as good as the baseline). Colours follow the
 * arms' order in the data, as in the frontiers figure.
 */
export function compareMultiplier(document: Document, o: CompareMultiplierOptions): SVGSVGElement {
  const { report: r, curves: c } = o;
  const colour = (arm: string) => categorical(c.arms.indexOf(arm));
  const lines = c.multiplier.flatMap((m) => c.grid.flatMap((C, k) => (m.value[k] == null ? [] : [{ arm: m.arm, C, v: m.value[k]! }])));
  const bands = c.multiplier.flatMap((m) => (m.band ?? []).flatMap((b, k) => (b === null ? [] : [{ arm: m.arm, C: c.grid[k]!, lo: b[0], hi: b[1] }])));
  const dots = r.arms.flatMap((a) =>
    a.budgets.flatMap((b) => (b.computeMultiplier === null ? [] : [{ arm: a.arm, C: b.C, v: b.computeMultiplier, ci: b.ci95 }])),
  );
  const ys = [1, ...lines.map((l) => l.v), ...bands.flatMap((b) => [b.lo, b.hi]), ...dots.flatMap((d) => [d.v, ...(d.ci ?? [])])];
  const marks: Plot.Markish[] = [Plot.ruleY([1], { stroke: MUTED, strokeDasharray: '4,3', className: 'sw-reference' })];
  for (const m of c.multiplier) {
    const color = colour(m.arm);
    const band = bands.filter((b) => b.arm === m.arm);
    if (band.length >= 2) marks.push(Plot.areaY(band, { x: 'C', y1: 'lo', y2: 'hi', fill: color, fillOpacity: 0.18, className: 'sw-band' }));
    marks.push(
      Plot.line(
        lines.filter((l) => l.arm === m.arm),
        { x: 'C', y: 'v', stroke: color, strokeWidth: 1.8, className: 'sw-multiplier' },
      ),
    );
    const own = dots.filter((d) => d.arm === m.arm);
    marks.push(
      Plot.ruleX(
        own.filter((d) => d.ci),
        { x: 'C', y1: (d) => d.ci![0], y2: (d) => d.ci![1], stroke: color, strokeWidth: 1.5, className: 'sw-interval' },
      ),
    );
    marks.push(Plot.dot(own, { x: 'C', y: 'v', r: 4, fill: color, className: 'sw-budget' }));
  }
  const where =
    r.along === 'frontier-law'
      ? 'frontier laws L(C) = E + A·C^(−α)'
      : r.along === 'tokens-per-param'
        ? `${r.law} laws at D = ${r.tokensPerParam}·N`
        : `${r.law} laws' compute-optimal frontiers`;
  return figure(document, {
    title: `Effective compute multiplier against ${r.baseline}`,
    legend: c.multiplier.map((m) => ({ label: m.arm, color: colour(m.arm) })),
    caption:
      `The compute ${r.baseline} needs to reach the loss each arm reaches at C, over C, on the ${where}; above 1 (dashed) the arm is worth that much more compute. ` +
      (r.resamples ? `Shaded and bars: 95% intervals from ${r.resamples} ${r.paired ? 'paired ' : ''}resamples. ` : 'No band: run with --bootstrap for one. ') +
      'Dots: the budgets asked for.',
    panels: [
      {
        marginLeft: 70,
        marginBottom: 42,
        x: logAxis(LABEL.C, logExtent(c.grid, 0.03), formatFlop),
        y: logAxis('compute multiplier (×)', logExtent(ys, 0.08), (v) => (v >= 0.01 && v <= 1000 ? `${Number(v.toPrecision(2))}` : formatFlop(v))),
        marks,
      },
    ],
    panelWidth: 620,
    panelHeight: 380,
  });
}
