import * as Plot from '@observablehq/plot';
import { akima } from '../methods/akima.js';
import { analysedCurves, type IsoflopPoints, type IsoflopResult } from '../methods/isoflop.js';
import { fitParabola } from '../methods/parabola.js';
import { figure } from './figure.js';
import { formatCount, formatFlop, LABEL, linSpace, logAxis, logExtent, MUTED, sequential, trim } from './style.js';
import { extent } from '../stats/extent.js';

/** Options of {@link isoflopCurves}. */
export interface IsoflopCurvesOptions {
  /** The analysis to draw (what `scalewise isoflop --json` prints for one group). */
  result: IsoflopResult;
  /** The runs it was computed from, to draw the points and the fitted curve through them. */
  points: IsoflopPoints;
  /** The tolerance the analysis grouped budgets with (default 1e-6, the CLI's). */
  budgetTolerance?: number;
  /** Shown in the title (a datamix, a configuration). */
  group?: string | null;
  /** Name of the loss on the y axis (default "loss (nats/token)"). */
  lossLabel?: string;
}

/** Points on each fitted curve. */
const SAMPLES = 80;

/**
 * IsoFLOP curves (Hoffmann et al. 2022, Figure 3 left): loss against N on a log axis, one curve per compute
 * budget coloured from dark (small C) to light (large C), the fitted parabola or Akima interpolant through the
 * runs, each kept budget's minimum as a black-edged diamond with its 95% interval of N* as a horizontal bar,
 * and budgets left out of the power law drawn grey and dashed, labelled with the reason.
 */
export function isoflopCurves(document: Document, o: IsoflopCurvesOptions): SVGSVGElement {
  const curves = analysedCurves(o.points, o.result.method, o.budgetTolerance);
  const { result } = o;
  if (curves.length !== result.budgets.length)
    throw new RangeError(`isoflopCurves: the points form ${curves.length} budgets, the result has ${result.budgets.length}`);
  const colors = sequential(curves.length);
  const runs: { N: number; loss: number; budget: number }[] = [];
  const lines: { N: number; loss: number; budget: number }[] = [];
  curves.forEach((c, j) => {
    c.logN.forEach((x, i) => {
      runs.push({ N: Math.exp(x), loss: c.loss[i]!, budget: j });
    });
    for (const [x, y] of fittedCurve(result.method, c.logN, c.loss)) lines.push({ N: Math.exp(x), loss: y, budget: j });
  });
  const kept = result.budgets.map((b, j) => ({ ...b, budget: j })).filter((b) => !b.excluded && b.N !== null);
  const excluded = result.budgets.map((b, j) => ({ ...b, budget: j })).filter((b) => b.excluded);
  const color = (j: number) => (result.budgets[j]!.excluded ? MUTED : colors[j]!);
  const isExcluded = (d: { budget: number }) => !!result.budgets[d.budget]!.excluded;
  const ys = [...runs.map((r) => r.loss), ...kept.map((b) => b.loss!)];
  const [yLo, yHi] = extent(ys);
  const yPad = (yHi - yLo) * 0.05;
  const xDomain = logExtent([...runs.map((r) => r.N), ...kept.flatMap((b) => (b.ci95 ? b.ci95.N : []))], 0.04);
  const keptCurve = (d: { budget: number }) => !isExcluded(d);
  const title = `IsoFLOP curves${o.group ? ` — ${o.group}` : ''} (${result.method})`;
  const fit = result.fit;
  return figure(document, {
    title,
    legend: [
      ...result.budgets.map((b, j) => ({
        label: `C = ${formatFlop(b.C)}${b.excluded ? ` (left out: ${b.excluded})` : ''}`,
        color: color(j),
        dashed: !!b.excluded,
      })),
    ],
    caption:
      `Each curve is one compute budget: runs (dots) and the fitted ${result.method === 'akima' ? 'Akima interpolant of log loss' : 'parabola in log N'}. ` +
      `Diamonds mark each budget's loss-minimising N*${kept.some((b) => b.ci95) ? ', bars its 95% interval' : ''}. ` +
      (excluded.length ? `Grey dashed budgets are left out of the power law (${[...new Set(excluded.map((b) => b.excluded))].join(', ')}). ` : '') +
      (fit ? `Across the ${fit.budgets} budgets kept, N* = ${trim(fit.k)}·C^${trim(fit.a)}.` : 'No power law: fewer than 2 budgets have an interior minimum.'),
    panels: [
      {
        marginLeft: 56,
        marginBottom: 42,
        marginRight: 20,
        x: logAxis(LABEL.N, xDomain, formatCount),
        y: {
          label: o.lossLabel ?? LABEL.loss,
          grid: true,
          labelAnchor: 'center',
          labelArrow: 'none',
          domain: [yLo - yPad, yHi + yPad],
        },
        marks: [
          Plot.line(lines.filter(keptCurve), { x: 'N', y: 'loss', z: 'budget', stroke: (d) => color(d.budget), strokeWidth: 1.6, className: 'sw-curve' }),
          Plot.line(lines.filter(isExcluded), {
            x: 'N',
            y: 'loss',
            z: 'budget',
            stroke: MUTED,
            strokeWidth: 1.2,
            strokeDasharray: '5,3',
            className: 'sw-excluded-curve',
          }),
          Plot.dot(runs, { x: 'N', y: 'loss', fill: (d) => color(d.budget), r: 2.6, className: 'sw-run' }),
          Plot.ruleY(
            kept.filter((b) => b.ci95),
            { y: 'loss', x1: (b) => b.ci95!.N[0], x2: (b) => b.ci95!.N[1], stroke: (b) => colors[b.budget], strokeWidth: 2.5, className: 'sw-interval' },
          ),
          Plot.dot(kept, {
            x: 'N',
            y: 'loss',
            symbol: 'diamond',
            r: 5,
            fill: (b) => colors[b.budget],
            stroke: 'black',
            strokeWidth: 1,
            className: 'sw-minimum',
          }),
        ],
      },
    ],
  });
}

/** (log N, loss) along the curve the analysis fitted, from the smallest to the largest size. */
function fittedCurve(method: 'parabola' | 'akima', logN: Float64Array, loss: Float64Array): [number, number][] {
  const k = logN.length;
  if (k < 2) return [];
  const lo = logN[0]!,
    hi = logN[k - 1]!;
  const xs = linSpace(lo, hi, SAMPLES);
  if (method === 'parabola') {
    const c = k >= 3 ? fitParabola(logN, loss) : null;
    if (!c) return Array.from(logN, (x, i) => [x, loss[i]!]);
    return xs.map((x) => [x, c[0] + c[1] * x + c[2] * x * x]);
  }
  const f = akima(logN, Float64Array.from(loss, Math.log));
  return xs.map((x) => [x, Math.exp(f(x))]);
}
