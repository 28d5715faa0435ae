import * as Plot from '@observablehq/plot';
import { reportedLoss } from '../analyses/fit-report.js';
import type { Runs } from '../data/runs.js';
import type { FitReport } from '../schema/fit.js';
import { figure } from './figure.js';
import { categorical, formatCount, formatFlop, LABEL, logAxis, logExtent, MUTED, trim } from './style.js';
import { extent } from '../stats/extent.js';

/** Options of {@link fitResiduals}. */
export interface ResidualsOptions {
  report: FitReport;
  /** The runs the law was fitted to. */
  runs: Pick<Runs, 'N' | 'D' | 'C' | 'loss' | 'group'>;
  title?: string;
}

/** Residuals log L − log L̂ of every run: the numbers behind the figure, in run order. */
export function logResiduals(report: FitReport, runs: ResidualsOptions['runs']): Float64Array {
  const pred = reportedLoss(report, runs.N, runs.D, runs.group);
  return Float64Array.from(pred, (p, i) => Math.log(runs.loss[i]!) - Math.log(p));
}

/**
 * Residuals of a parametric fit, log L − log L̂ (the quantity the Huber objective scores), against N and
 * against C. A trend with N or C says the law's form misses something; the grey band is ±δ, inside which the
 * Huber loss is quadratic.
 */
export function fitResiduals(document: Document, o: ResidualsOptions): SVGSVGElement {
  const r = logResiduals(o.report, o.runs);
  const rows = Array.from(r, (res, i) => ({ N: o.runs.N[i]!, C: o.runs.C[i]!, res }));
  const maxAbs = Math.max(extent(rows.map((d) => Math.abs(d.res)))[1], o.report.objective.delta);
  const rms = Math.sqrt(rows.reduce((s, d) => s + d.res * d.res, 0) / rows.length);
  const delta = o.report.objective.kind === 'mse' ? 0 : o.report.objective.delta;
  const panel = (x: 'N' | 'C') => ({
    marginLeft: 64,
    marginBottom: 42,
    x: logAxis(
      x === 'N' ? LABEL.N : LABEL.C,
      logExtent(
        rows.map((d) => d[x]),
        0.04,
      ),
      x === 'N' ? formatCount : formatFlop,
    ),
    y: { label: 'residual log L − log L̂', domain: [-maxAbs * 1.1, maxAbs * 1.1], grid: true, labelAnchor: 'center' as const, labelArrow: 'none' as const },
    marks: [
      ...(delta > 0 ? [Plot.rectY([0], { y1: -delta, y2: delta, fill: MUTED, fillOpacity: 0.2, className: 'sw-delta' })] : []),
      Plot.ruleY([0], { stroke: MUTED, className: 'sw-reference' }),
      Plot.dot(rows, { x, y: 'res', r: 2.5, fill: categorical(0), fillOpacity: 0.7, className: 'sw-residual' }),
    ],
  });
  return figure(document, {
    title: o.title ?? `Residuals of the ${o.report.law} fit (${rows.length} runs)`,
    caption:
      `Residual log L − log L̂ of each run under the fitted ${o.report.formula}; RMS ${trim(rms)}. ` +
      (delta > 0 ? `Shaded: ±δ = ${trim(delta)}, where the Huber objective is quadratic. ` : '') +
      "A trend against N or C means the law's form misses structure in the data.",
    panels: [panel('N'), panel('C')],
    panelWidth: 440,
    panelHeight: 300,
  });
}
