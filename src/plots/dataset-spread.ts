import * as Plot from '@observablehq/plot';
import type { SkillDatasets } from '../methods/skill-datasets.js';
import { figure } from './figure.js';
import { categorical, formatFlop, LABEL, logAxis, logExtent, MUTED } from './style.js';

/** Options of {@link datasetSpread}. */
export interface DatasetSpreadOptions {
  skills: SkillDatasets[];
  /** What N* is divided by (the aggregate's name or the reference law's). */
  reference: string;
  group?: string | null;
}

/** Skills at one budget are spread by this factor in C so their boxes do not overlap. */
const DODGE = 1.08;

/**
 * Roberts et al. (2025) Fig. 1c: per budget and skill, log(N*_column/N*_reference) of every member column (dots)
 * and its quartiles (a bar from q1 to q3, a diamond at the median); above 0 a dataset wants more parameters than the reference.
 */
export function datasetSpread(document: Document, o: DatasetSpreadOptions): SVGSVGElement {
  const shift = (C: number, i: number) => C * Math.pow(DODGE, i - (o.skills.length - 1) / 2);
  const boxes = o.skills.flatMap((s, i) => s.budgets.filter((b) => b.logRatio).map((b) => ({ skill: i, C: shift(b.C, i), ...b.logRatio! })));
  const points = o.skills.flatMap((s, i) => s.budgets.flatMap((b) => b.values.flatMap((y) => (y === null ? [] : [{ skill: i, C: shift(b.C, i), y }]))));
  const Cs = o.skills.flatMap((s) => s.budgets.map((b) => b.C));
  const ys = [0, ...points.map((p) => p.y), ...boxes.flatMap((b) => [b.min, b.max])];
  const lo = Math.min(...ys),
    hi = Math.max(...ys);
  const pad = (hi - lo || 0.2) * 0.08;
  return figure(document, {
    title: `Per dataset: ln(N*(column) / N*(${o.reference}))${o.group ? ` — ${o.group}` : ''}`,
    legend: o.skills.map((s, i) => ({ label: s.name, color: categorical(i), symbol: 'dot' as const })),
    caption:
      `Each dot one member column of a skill, analysed as its own IsoFLOP curve: ln(N*_column/N*_${o.reference}) at that budget. ` +
      'Bars from the first to the third quartile over the columns, a diamond at the median. Above 0 the dataset is compute-optimal at more parameters. ' +
      'Columns with no interior minimum at a budget are not shown.',
    panels: [
      {
        marginLeft: 56,
        marginBottom: 42,
        x: logAxis(LABEL.C, logExtent(Cs, 0.1), formatFlop),
        y: { label: `ln(N*_column / N*_${o.reference})`, domain: [lo - pad, hi + pad], grid: true },
        marks: [
          Plot.ruleY([0], { stroke: MUTED, strokeWidth: 1.5, className: 'sw-reference' }),
          Plot.ruleX(boxes, {
            x: 'C',
            y1: 'q1',
            y2: 'q3',
            stroke: (b) => categorical(b.skill),
            strokeWidth: 7,
            strokeOpacity: 0.35,
            className: 'sw-quartiles',
          }),
          Plot.dot(boxes, { x: 'C', y: 'median', r: 5, symbol: 'diamond', fill: (b) => categorical(b.skill), stroke: 'white', className: 'sw-median' }),
          Plot.dot(points, { x: 'C', y: 'y', r: 2.5, fill: (p) => categorical(p.skill), fillOpacity: 0.8, className: 'sw-dataset' }),
        ],
      },
    ],
  });
}
