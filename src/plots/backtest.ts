import * as Plot from '@observablehq/plot';
import { figure } from './figure.js';
import { categorical, logAxis, logExtent, MUTED, trim } from './style.js';

/** One candidate's forecasts, as the figure draws them. */
export interface BacktestSeries {
  name: string;
  /** Each forecast: its distance (> 1) and signed relative error. */
  points: { distance: number; relErr: number }[];
  /** Mean signed error per distance bin, at the geometric mean of the bin's distances (the line). */
  bins: { distance: number; bias: number }[];
}

export interface BacktestFigureOptions {
  series: BacktestSeries[];
  /** What the distance is measured in ("compute", "params", "tokens"). */
  by: string;
  title?: string;
}

/**
 * Leave-future-out errors against distance: every forecast's signed relative error (dots; above zero the
 * law over-predicted) against how far it extrapolated, one colour per fit specification, and each one's
 * mean signed error per factor-of-2 distance bin (line). A specification to trust stays near zero as the
 * distance grows.
 */
export function backtestErrors(document: Document, o: BacktestFigureOptions): SVGSVGElement {
  const pct = (s: BacktestSeries) => s.points.map((p) => ({ ...p, err: 100 * p.relErr, series: s.name }));
  const dots = o.series.flatMap(pct);
  const lines = o.series.flatMap((s) => s.bins.map((b) => ({ distance: b.distance, err: 100 * b.bias, series: s.name })));
  const color = (d: { series: string }) => categorical(o.series.findIndex((s) => s.name === d.series));
  const what = o.by === 'compute' ? 'compute' : o.by === 'params' ? 'parameters' : 'tokens';
  let worst = 0;
  for (const d of dots) worst = Math.max(worst, Math.abs(d.err));
  return figure(document, {
    title: o.title ?? 'Leave-future-out errors against distance',
    legend: o.series.map((s, i) => ({ label: s.name, color: categorical(i) })),
    caption:
      `Each dot is a later run forecast by a fit on the runs up to a cut (${o.series.map((s) => s.points.length).join(', ')} forecasts); its distance is the run's ${what} over the largest fitted. ` +
      `Above zero the law over-predicts. Lines: mean signed error per factor-of-2 distance bin. Largest |error| ${trim(worst)}%.`,
    panels: [
      {
        marginLeft: 60,
        marginBottom: 42,
        x: logAxis(`distance (${what} / largest fitted)`, logExtent(dots.map((d) => d.distance)), (v) => `${trim(v)}×`),
        y: { label: 'signed relative error (%)', grid: true, labelAnchor: 'center', labelArrow: 'none' },
        marks: [
          Plot.ruleY([0], { stroke: MUTED, strokeWidth: 1.2, className: 'sw-zero' }),
          Plot.dot(dots, { x: 'distance', y: 'err', r: 2.5, fill: color, fillOpacity: 0.45, className: 'sw-forecast' }),
          ...o.series.map((s) =>
            Plot.line(
              lines.filter((l) => l.series === s.name),
              { x: 'distance', y: 'err', stroke: color, strokeWidth: 2, marker: 'circle', className: 'sw-bias' },
            ),
          ),
        ],
      },
    ],
    panelWidth: 560,
    panelHeight: 380,
  });
}
