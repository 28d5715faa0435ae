import * as Plot from '@observablehq/plot';
import type { CompareReport } from '../analyses/compare.js';
import { figure } from './figure.js';
import { categorical, formatFlop, LABEL, logAxis, logExtent, MUTED } from './style.js';

/**
 * Decision accuracy against scale (Magnusson et al. 2025): at each budget of the data, the share of arm pairs
 * its best observed losses order as the largest budget does, beside the share the frontier law fitted on the
 * budgets up to it orders so when extrapolated to the largest. A line at 0.5 is a coin toss.
 */
export function compareAccuracy(document: Document, report: CompareReport): SVGSVGElement {
  const rows = report.decisionAccuracy;
  const observed = rows.flatMap((d) => (d.accuracy === null ? [] : [{ C: d.C, v: d.accuracy, pairs: d.pairs }]));
  const law = rows.flatMap((d) => (d.lawAccuracy === null ? [] : [{ C: d.C, v: d.lawAccuracy, pairs: d.lawPairs }]));
  const series = [
    { name: 'ranking by best observed loss at C', data: observed, color: categorical(0), cls: 'sw-observed' },
    { name: 'frontier law fitted up to C, at the largest budget', data: law, color: categorical(1), cls: 'sw-law-ranking' },
  ];
  const marks: Plot.Markish[] = [Plot.ruleY([0.5], { stroke: MUTED, strokeDasharray: '4,3', className: 'sw-reference' })];
  for (const s of series) {
    marks.push(Plot.line(s.data, { x: 'C', y: 'v', stroke: s.color, strokeWidth: 1.8, className: `${s.cls}-line` }));
    marks.push(Plot.dot(s.data, { x: 'C', y: 'v', r: 4, fill: s.color, className: s.cls }));
  }
  const pairs = Math.max(0, ...rows.map((d) => d.pairs));
  return figure(document, {
    title: 'Decision accuracy against scale',
    legend: series.map((s) => ({ label: s.name, color: s.color })),
    caption:
      `The share of the ${pairs} arm pairs each budget ranks as the largest budget (${formatFlop(rows[rows.length - 1]?.C ?? 0)} FLOP) does. ` +
      'Blue: ranked by each arm’s lowest observed loss at that budget; orange: by each arm’s frontier law L(C) = E + A·C^(−α) fitted on the budgets up to it and evaluated at the largest (from 3 budgets on). Dashed: a coin toss.',
    panels: [
      {
        marginLeft: 60,
        marginBottom: 42,
        x: logAxis(
          LABEL.C,
          logExtent(
            rows.map((d) => d.C),
            0.06,
          ),
          formatFlop,
        ),
        y: { label: 'decision accuracy', domain: [0, 1.02], grid: true, labelAnchor: 'center', labelArrow: 'none' },
        marks,
      },
    ],
    panelWidth: 560,
    panelHeight: 340,
  });
}
