import * as Plot from '@observablehq/plot';
import { reportedLoss } from '../analyses/fit-report.js';
import type { Runs } from '../data/runs.js';
import type { FitReport } from '../schema/fit.js';
import { figure } from './figure.js';
import { categorical, formatCount, LABEL, logAxis, logExtent, logSpace, trim } from './style.js';

/** Options of {@link isoLoss}. */
export interface IsoLossOptions {
  report: FitReport;
  /** The runs the law was fitted to (drawn as dots). */
  runs: Pick<Runs, 'N' | 'D'>;
  /** Contour levels (default: 10 levels spread over the fitted loss of the plotted region). */
  levels?: number[];
  title?: string;
}

/** Grid resolution of the contoured loss surface, per axis. */
const GRID = 80;

/**
 * Iso-loss contours of the fitted L(N, D) in the (N, D) plane, log–log (Hoffmann et al. 2022, Figure 4): the
 * runs as dots and the compute-optimal line N_opt(C), D_opt(C), which passes through the points where each
 * iso-FLOP line C = 6ND touches an iso-loss contour.
 */
export function isoLoss(document: Document, o: IsoLossOptions): SVGSVGElement {
  const xDomain = logExtent(o.runs.N, 0.15),
    yDomain = logExtent(o.runs.D, 0.15);
  // Default levels: deciles of the fitted loss on a grid evenly spaced in log N and log D.
  const xs = logSpace(xDomain[0], xDomain[1], GRID),
    ys = logSpace(yDomain[0], yDomain[1], GRID);
  const gridN = ys.flatMap(() => xs),
    gridD = ys.flatMap((d) => xs.map(() => d));
  const surface = reportedLoss(o.report, gridN, gridD);
  const sorted = Float64Array.from(surface).sort();
  const levels = o.levels ?? Array.from({ length: 10 }, (_, i) => Number(sorted[Math.floor(((i + 0.5) / 10) * (sorted.length - 1))]!.toPrecision(3)));
  const opt = o.report.optimal;
  // Compute-optimal line across the plotted region: C from where it enters to where it leaves.
  const frontierLine = opt
    ? logSpace(6 * xDomain[0] * yDomain[0], 6 * xDomain[1] * yDomain[1], 60)
        .map((C) => ({ N: opt.G * Math.pow(C / 6, opt.a), D: Math.pow(C / 6, opt.b) / opt.G }))
        .filter((p) => p.N >= xDomain[0] && p.N <= xDomain[1] && p.D >= yDomain[0] && p.D <= yDomain[1])
    : [];
  const runs = Array.from(o.runs.N, (N, i) => ({ N, D: o.runs.D[i]! }));
  return figure(document, {
    title: o.title ?? `Iso-loss contours of the fitted ${o.report.law} law`,
    legend: [
      { label: 'runs', color: '#333', symbol: 'dot' },
      ...(opt ? [{ label: `compute-optimal N_opt(C), D_opt(C) (N ∝ C^${trim(opt.a)})`, color: categorical(1) }] : []),
    ],
    caption:
      `Contours of ${o.report.formula} with the fitted constants, at loss ${levels.map(trim).join(', ')} (nats/token; darker = lower). ` +
      'Along the compute-optimal line each budget C = 6ND reaches its lowest loss.',
    panels: [
      {
        marginLeft: 64,
        marginBottom: 42,
        x: logAxis(LABEL.N, xDomain, formatCount),
        y: logAxis(LABEL.D, yDomain, formatCount),
        color: { type: 'linear', scheme: 'blues', reverse: true },
        marks: [
          Plot.contour({
            x1: xDomain[0],
            x2: xDomain[1],
            y1: yDomain[0],
            y2: yDomain[1],
            value: (x: number, y: number) => reportedLoss(o.report, [10 ** x], [10 ** y])[0], // x, y arrive as log10 (see logAxis)
            pixelSize: 4,
            thresholds: levels,
            fill: 'value',
            fillOpacity: 0.55,
            stroke: '#333',
            strokeWidth: 0.4,
            strokeOpacity: 0.6,
            className: 'sw-contour',
          }),
          Plot.dot(runs, { x: 'N', y: 'D', r: 1.8, fill: '#333', className: 'sw-run' }),
          Plot.line(frontierLine, { x: 'N', y: 'D', stroke: categorical(1), strokeWidth: 2.2, className: 'sw-frontier' }),
        ],
      },
    ],
    panelWidth: 560,
    panelHeight: 420,
  });
}
