import * as Plot from '@observablehq/plot';
import { figure } from './figure.js';
import { categorical, MUTED, trim } from './style.js';
import { extent } from '../stats/extent.js';

/** One forecast checked against a held-out run. */
export interface ForecastPoint {
  actual: number;
  predicted: number;
  /** 95% interval of the prediction (the fitted curve's). */
  interval?: [number, number];
  /** 95% interval of a new run (pi95): drawn wider and lighter behind the curve's. */
  newRun?: [number, number];
  /** Series (a target set, a law); one colour each. */
  group?: string;
}

/** Options of {@link forecastVsActual}. */
export interface ForecastOptions {
  points: ForecastPoint[];
  /** Colour order of the groups (default: order of first appearance), so a figure can share colours with another. */
  groups?: string[];
  /** What was predicted, with units (default "loss (nats/token)"). */
  quantity?: string;
  title?: string;
}

/**
 * Forecasts against held-out runs: predicted against actual with the line y = x; a point above the line is
 * an over-prediction. Vertical bars are the predictions' 95% intervals; the caption gives the mean absolute
 * relative error.
 */
export function forecastVsActual(document: Document, o: ForecastOptions): SVGSVGElement {
  const quantity = o.quantity ?? 'loss (nats/token)';
  const present = [...new Set(o.points.map((p) => p.group ?? ''))];
  const order = [...(o.groups ?? []), ...present.filter((g) => !o.groups?.includes(g))];
  const groups = order.filter((g) => present.includes(g));
  const color = (p: ForecastPoint) => categorical(order.indexOf(p.group ?? ''));
  const values = o.points.flatMap((p) => [p.actual, p.predicted, ...(p.interval ?? []), ...(p.newRun ?? [])]);
  const [lo, hi] = extent(values);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.06;
  const domain: [number, number] = [lo - pad, hi + pad];
  const mare = o.points.reduce((s, p) => s + Math.abs(p.predicted - p.actual) / Math.abs(p.actual), 0) / o.points.length;
  return figure(document, {
    title: o.title ?? 'Forecasts against held-out runs',
    legend: groups.length > 1 || groups[0] ? groups.map((g) => ({ label: g, color: categorical(order.indexOf(g)), symbol: 'dot' as const })) : [],
    caption:
      `Predicted against actual ${quantity} for ${o.points.length} held-out run${o.points.length === 1 ? '' : 's'}; grey: y = x. ` +
      `${o.points.some((p) => p.interval) ? "Bars: 95% intervals of the predictions (the fitted curve's). " : ''}` +
      `${o.points.some((p) => p.newRun) ? `Wide light bars: 95% intervals of a new run (pi95), holding ${o.points.filter((p) => p.newRun && p.newRun[0] <= p.actual && p.actual <= p.newRun[1]).length} of ${o.points.length}. ` : ''}` +
      `Mean absolute relative error ${trim(100 * mare)}%.`,
    panels: [
      {
        marginLeft: 60,
        marginBottom: 42,
        x: { label: `actual ${quantity}`, domain, grid: true, labelAnchor: 'center', labelArrow: 'none' },
        y: { label: `predicted ${quantity}`, domain, grid: true, labelAnchor: 'center', labelArrow: 'none' },
        marks: [
          Plot.line(
            domain.map((v) => ({ v })),
            { x: 'v', y: 'v', stroke: MUTED, strokeWidth: 1.2, className: 'sw-identity' },
          ),
          Plot.ruleX(
            o.points.filter((p) => p.newRun),
            { x: 'actual', y1: (p) => p.newRun![0], y2: (p) => p.newRun![1], stroke: color, strokeWidth: 6, strokeOpacity: 0.25, className: 'sw-new-run' },
          ),
          Plot.ruleX(
            o.points.filter((p) => p.interval),
            { x: 'actual', y1: (p) => p.interval![0], y2: (p) => p.interval![1], stroke: color, className: 'sw-interval' },
          ),
          Plot.dot(o.points, { x: 'actual', y: 'predicted', r: 4, fill: color, className: 'sw-forecast' }),
        ],
      },
    ],
    panelWidth: 420,
    panelHeight: 400,
  });
}
