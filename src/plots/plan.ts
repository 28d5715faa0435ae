import * as Plot from '@observablehq/plot';
import { extent } from '../stats/extent.js';
import { figure } from './figure.js';
import { categorical, formatCount, formatFlop, LABEL, logAxis, logExtent } from './style.js';

/** One point of a plan curve: the run planned at budget C, with its 95% intervals over the saved draws. */
export interface PlanCurvePoint {
  C: number;
  N: number;
  D: number;
  loss: number;
  ci95?: { N: [number, number]; D: [number, number]; loss: [number, number] };
}

/** One fit's (arm's) plans against budget: the curve, the budgets asked for as dots, and its fitted C range. */
export interface PlanCurve {
  label: string;
  points: PlanCurvePoint[];
  /** The plans the user asked for (budgets and the budgets of target losses). */
  plans: PlanCurvePoint[];
  /** The fitted runs' C range: the curve beyond it is an extrapolation (dashed). */
  fitted: [number, number];
}

/**
 * The plan against budget: N*, D* and the predicted loss at each C, one line per fit (arm) in the Okabe–Ito
 * palette, solid over the fitted C range and dashed beyond it, a shaded 95% band from the saved bootstrap
 * draws, and the plans asked for as dots with their intervals.
 */
export function planCurves(document: Document, o: { curves: PlanCurve[]; title?: string; note?: string }): SVGSVGElement {
  const Cs = o.curves.flatMap((c) => c.points.map((p) => p.C));
  const cDomain = logExtent(Cs, 0.04);
  const panel = (q: 'N' | 'D' | 'loss') => {
    const values = o.curves.flatMap((c) => [...c.points, ...c.plans].flatMap((p) => [p[q], ...(p.ci95 ? p.ci95[q] : [])]));
    const marks: Plot.Markish[] = [];
    o.curves.forEach((c, i) => {
      const color = categorical(i);
      if (c.points.every((p) => p.ci95))
        marks.push(Plot.areaY(c.points, { x: 'C', y1: (p) => p.ci95![q][0], y2: (p) => p.ci95![q][1], fill: color, fillOpacity: 0.18, className: 'sw-band' }));
      const inside = c.points.filter((p) => p.C >= c.fitted[0] && p.C <= c.fitted[1]);
      const above = c.points.filter((p) => p.C >= c.fitted[1]);
      if (inside.length > 1) marks.push(Plot.line(inside, { x: 'C', y: q, stroke: color, strokeWidth: 1.8, className: 'sw-law' }));
      if (above.length > 1) marks.push(Plot.line(above, { x: 'C', y: q, stroke: color, strokeWidth: 1.8, strokeDasharray: '5,4', className: 'sw-law' }));
      marks.push(
        Plot.ruleX(
          c.plans.filter((p) => p.ci95),
          { x: 'C', y1: (p) => p.ci95![q][0], y2: (p) => p.ci95![q][1], stroke: color, strokeWidth: 1.5, className: 'sw-interval' },
        ),
        Plot.dot(c.plans, { x: 'C', y: q, r: 4, stroke: color, fill: color, className: 'sw-optimum' }),
      );
    });
    const y =
      q === 'loss'
        ? { label: LABEL.loss, labelArrow: 'none' as const, domain: padded(values), grid: true }
        : logAxis(q === 'N' ? LABEL.Nstar : LABEL.Dstar, logExtent(values, 0.08), formatCount);
    return { marginLeft: 60, marginBottom: 42, x: logAxis(LABEL.C, cDomain, formatFlop), y, marks };
  };
  return figure(document, {
    title: o.title ?? 'Planned runs against budget',
    legend: o.curves.map((c, i) => ({ label: c.label, color: categorical(i) })),
    caption:
      'Lines: the compute-optimal N*, D* and the predicted loss at each budget C (solid over the fitted runs’ C, dashed beyond); ' +
      'shaded: the 95% band over the saved bootstrap draws; dots: the plans asked for, with their 95% intervals. ' +
      (o.note ?? ''),
    panels: [panel('N'), panel('D'), panel('loss')],
    panelWidth: 340,
    panelHeight: 300,
  });
}

/** [min, max] of finite values, widened by 4% of the span on each side. */
function padded(values: number[]): [number, number] {
  const v = values.filter(Number.isFinite);
  const [lo, hi] = extent(v);
  const pad = 0.04 * (hi - lo || Math.abs(hi) || 1);
  return [lo - pad, hi + pad];
}
