import * as Plot from '@observablehq/plot';
import { extent } from '../stats/extent.js';
import { accuracyLinkOf } from '../methods/accuracy-chain.js';
import type { FitReport } from '../schema/fit.js';
import { figure } from './figure.js';
import { categorical, LABEL, linSpace, MUTED, trim } from './style.js';

/** Options of {@link accuracyLink}. */
export interface AccuracyLinkOptions {
  /** The fit's accuracy chain (`report.accuracyLaw`) and its held-out targets, if any. */
  report: Pick<FitReport, 'law' | 'targets'> & { accuracyLaw: NonNullable<FitReport['accuracyLaw']> };
  /** Step 2's rows: the true task loss and accuracy of each row the link was fitted on. */
  rows: { loss: ArrayLike<number>; accuracy: ArrayLike<number> };
  title?: string;
}

/** The fitted link Acc(L) at a task loss, from the report's parameters. */
export function linkAt(a: NonNullable<FitReport['accuracyLaw']>, loss: number): number {
  const link = accuracyLinkOf({ link: a.link }, a.chance);
  return link.predict(
    link.paramNames.map((k) => a.params[k]!),
    loss,
  );
}

/**
 * Step 2 of the accuracy chain (Bhagia et al. 2024, Fig. 3 in spirit): task accuracy against task loss, the
 * rows the link was fitted on as dots, the fitted link (bounded or plain sigmoid) as a line, the chance floor
 * dashed, anchors as crosses; held-out targets hollow at their true (loss, accuracy), and each one's chained
 * forecast (the link at its predicted loss) as a diamond on the line with its 95% bar, joined to its target.
 */
export function accuracyLink(document: Document, o: AccuracyLinkOptions): SVGSVGElement {
  const a = o.report.accuracyLaw;
  const rows = Array.from(o.rows.loss, (loss, i) => ({ loss, accuracy: o.rows.accuracy[i]! }));
  const anchors = a.anchors.map(([loss, accuracy]) => ({ loss, accuracy }));
  const targets = (o.report.targets ?? []).filter((t) => t.accuracy !== undefined && t.accuracyPredicted !== undefined);
  const forecasts = targets.map((t) => ({
    loss: t.predicted,
    accuracy: t.accuracyPredicted!,
    trueLoss: t.loss,
    trueAccuracy: t.accuracy!,
    ...(t.accuracyCi95 ? { ci: t.accuracyCi95 } : {}),
  }));
  // The data's own range; anchors (e.g. (0, 1)) usually lie far outside it, and then get a panel of their own.
  const dataX = [...rows.map((r) => r.loss), ...targets.flatMap((t) => [t.loss, t.predicted])];
  const dataY = [...rows.map((r) => r.accuracy), ...targets.map((t) => t.accuracy!), ...forecasts.flatMap((f) => [f.accuracy, ...(f.ci ?? [])])];
  const padded = (v: number[]): [number, number] => {
    const [lo, hi] = extent(v);
    const pad = (hi - lo || 1) * 0.04;
    return [lo - pad, hi + pad];
  };
  const zoomX = padded(dataX);
  const outside = anchors.some((p) => p.loss < zoomX[0] || p.loss > zoomX[1]);
  const fullX = padded([...dataX, ...anchors.map((p) => p.loss)]);
  const curve = linSpace(fullX[0], fullX[1], 160).map((loss) => ({ loss, accuracy: linkAt(a, loss) }));
  const inZoom = curve.filter((c) => c.loss >= zoomX[0] && c.loss <= zoomX[1]).map((c) => c.accuracy);
  const zoomY = padded([...dataY, ...inZoom, ...(a.chance >= extent(dataY)[0] - 0.05 ? [a.chance] : [])]);
  const fullY = padded([a.chance, ...dataY, ...anchors.map((p) => p.accuracy), ...curve.map((c) => c.accuracy)]);
  const [ROW, LINK, TARGET, ANCHOR] = [categorical(0), categorical(0), categorical(1), categorical(6)];
  const values = Object.entries(a.params)
    .map(([k, v]) => `${k} = ${trim(v)}`)
    .join(', ');
  const legend = [
    { label: `${a.n} fitted rows`, color: ROW, symbol: 'dot' as const },
    { label: `${a.link} link: ${values}${a.held?.length ? ` (${a.held.join(', ')} on its bound)` : ''}`, color: LINK },
    { label: `chance ${trim(a.chance)}`, color: MUTED, dashed: true },
    ...(anchors.length ? [{ label: `anchor${anchors.length > 1 ? 's' : ''} (×)`, color: ANCHOR, symbol: 'dot' as const }] : []),
    ...(targets.length ? [{ label: 'held-out run / its chained forecast', color: TARGET, symbol: 'dot' as const }] : []),
  ];
  const covered = forecasts.filter((f) => f.ci && f.ci[0] <= f.trueAccuracy && f.trueAccuracy <= f.ci[1]).length;
  const panel = (x: [number, number], y: [number, number], subtitle: string | undefined, full: boolean): Plot.PlotOptions => ({
    marginLeft: 60,
    marginBottom: 42,
    x: { label: `task ${LABEL.loss}`, domain: x, grid: true, labelAnchor: 'center', labelArrow: 'none' },
    y: { label: `accuracy (${a.column})`, domain: y, grid: true, labelAnchor: 'center', labelArrow: 'none' },
    clip: true,
    marks: [
      ...(subtitle ? [Plot.text([subtitle], { frameAnchor: 'top-right', dx: -6, dy: 6, fill: '#444', fontSize: 12, className: 'sw-panel-label' })] : []),
      Plot.ruleY([a.chance], { stroke: MUTED, strokeWidth: 1.2, strokeDasharray: '5,3', className: 'sw-chance' }),
      Plot.line(full ? curve : curve.filter((c) => c.loss >= x[0] && c.loss <= x[1]), {
        x: 'loss',
        y: 'accuracy',
        stroke: LINK,
        strokeWidth: 1.8,
        className: 'sw-link',
      }),
      Plot.dot(rows, { x: 'loss', y: 'accuracy', r: 3, fill: ROW, fillOpacity: 0.55, className: 'sw-row' }),
      Plot.dot(anchors, { x: 'loss', y: 'accuracy', r: 6, symbol: 'times', stroke: ANCHOR, strokeWidth: 2, className: 'sw-anchor' }),
      Plot.link(forecasts, {
        x1: 'trueLoss',
        y1: 'trueAccuracy',
        x2: 'loss',
        y2: 'accuracy',
        stroke: TARGET,
        strokeOpacity: 0.5,
        className: 'sw-target-link',
      }),
      Plot.ruleX(
        forecasts.filter((f) => f.ci),
        { x: 'loss', y1: (f) => f.ci![0], y2: (f) => f.ci![1], stroke: TARGET, strokeWidth: 1.5, className: 'sw-interval' },
      ),
      Plot.dot(forecasts, { x: 'loss', y: 'accuracy', r: 4, symbol: 'diamond', fill: TARGET, className: 'sw-forecast' }),
      Plot.dot(
        targets.map((t) => ({ loss: t.loss, accuracy: t.accuracy! })),
        { x: 'loss', y: 'accuracy', r: 4, fill: 'white', stroke: TARGET, strokeWidth: 1.5, className: 'sw-target' },
      ),
    ],
  });
  return figure(document, {
    title: o.title ?? `Accuracy link: ${a.column} against task loss`,
    legend,
    caption:
      `Dots: the ${a.n} rows step 2 was fitted on, at their true task loss. Line: the fitted ${a.link} link ${a.formula}; dashed grey: the chance floor ${trim(a.chance)}` +
      `${anchors.length ? `; black ×: the anchor${anchors.length > 1 ? 's' : ''} ${anchors.map((p) => `(${trim(p.loss)}, ${trim(p.accuracy)})`).join(', ')}, fitted as one more row each` : ''}.` +
      (targets.length
        ? ` Hollow: the ${targets.length} held-out run${targets.length === 1 ? '' : 's'} at their true loss and accuracy; diamonds: their chained forecasts, the link at the ${o.report.law} fit's predicted loss, joined to the run` +
          `${forecasts.some((f) => f.ci) ? `; bars: 95% intervals of the chained forecast (loss and link draws jointly), holding ${covered} of ${forecasts.length}` : ''}.`
        : ''),
    panels: outside
      ? [panel(fullX, fullY, 'with the anchors', true), panel(zoomX, zoomY, 'zoomed on the runs', false)]
      : [panel(fullX, fullY, undefined, false)],
    panelWidth: 560,
    panelHeight: 400,
  });
}
