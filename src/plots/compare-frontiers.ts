import * as Plot from '@observablehq/plot';
import { extent } from '../stats/extent.js';
import type { CompareCurves, CompareReport } from '../analyses/compare.js';
import { figure } from './figure.js';
import { categorical, formatFlop, LABEL, logAxis, logExtent } from './style.js';

/** Options of {@link compareFrontiers}. */
export interface CompareFrontiersOptions {
  report: CompareReport;
  curves: CompareCurves;
}

/**
 * Every arm's runs (loss against compute, small dots) and the curve the comparison reads: the L(N, D) law's
 * compute-optimal frontier (or its loss along D = R·N, or the frontier law through each budget's lowest loss,
 * drawn as larger dots), one colour per arm, the baseline's curve thicker. Log C, linear loss.
 */
export function compareFrontiers(document: Document, o: CompareFrontiersOptions): SVGSVGElement {
  const { report: r, curves: c } = o;
  const lines = c.arms.flatMap((_, j) => c.grid.map((C, k) => ({ arm: j, C, loss: c.loss[j]![k]! })));
  const points = (c.points ?? []).flatMap((ps, j) => ps.map((p) => ({ arm: j, ...p })));
  const ys = [...c.runs.map((p) => p.loss), ...lines.map((l) => l.loss)].filter(Number.isFinite);
  const [lo, hi] = extent(ys);
  const pad = (hi - lo) * 0.05 || 0.05;
  const marks: Plot.Markish[] = [];
  c.arms.forEach((arm, j) => {
    const color = categorical(j);
    const base = arm === r.baseline;
    marks.push(
      Plot.dot(
        c.runs.filter((p) => p.arm === j),
        { x: 'C', y: 'loss', r: 2, fill: color, fillOpacity: 0.45, className: 'sw-run' },
      ),
    );
    marks.push(
      Plot.line(
        lines.filter((l) => l.arm === j),
        { x: 'C', y: 'loss', stroke: color, strokeWidth: base ? 2.8 : 1.6, className: base ? 'sw-baseline-curve' : 'sw-curve' },
      ),
    );
    const own = points.filter((p) => p.arm === j);
    if (own.length) marks.push(Plot.dot(own, { x: 'C', y: 'loss', r: 4.5, stroke: 'white', strokeWidth: 1, fill: color, className: 'sw-frontier-point' }));
  });
  const curve =
    r.along === 'frontier-law'
      ? 'lines: each arm’s frontier law L(C) = E + A·C^(−α), fitted to its lowest loss per budget (large dots)'
      : r.along === 'tokens-per-param'
        ? `lines: each arm’s ${r.law} law at D = ${r.tokensPerParam}·N`
        : `lines: each arm’s compute-optimal frontier of the ${r.law} law${r.shared.length ? ` (${r.shared.join(', ')} shared)` : ''}`;
  return figure(document, {
    title: `The arms' frontiers (baseline ${r.baseline})`,
    legend: c.arms.map((arm, j) => ({ label: arm === r.baseline ? `${arm} (baseline)` : arm, color: categorical(j) })),
    caption: `Small dots: every run's loss at its compute; ${curve}; the baseline's thicker.`,
    panels: [
      {
        marginLeft: 60,
        marginBottom: 42,
        x: logAxis(LABEL.C, logExtent([...c.grid, ...c.runs.map((p) => p.C)], 0.03), formatFlop),
        y: { label: 'loss (nats/token)', domain: [lo - pad, hi + pad], grid: true, labelAnchor: 'center', labelArrow: 'none' },
        marks,
      },
    ],
    panelWidth: 620,
    panelHeight: 400,
  });
}
