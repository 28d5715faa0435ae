import * as Plot from '@observablehq/plot';
import { extent } from '../stats/extent.js';
import type { Runs } from '../data/runs.js';
import { dataConstrained } from '../laws/data-constrained.js';
import type { FitReport } from '../schema/fit.js';
import { figure } from './figure.js';
import { formatCount, LABEL, logAxis, logExtent, logSpace, trim } from './style.js';

/** Options of {@link repeatedData}. */
export interface RepeatedDataOptions {
  /** A `data-constrained` fit: its params hold E, A, B, alpha, beta, RD, RN. */
  report: Pick<FitReport, 'law' | 'params' | 'n'>;
  /** The runs it was fitted to, with their unique tokens U. */
  runs: Pick<Runs, 'N' | 'D' | 'loss'> & { U: Float64Array };
  /** A (N, U) pair gets a curve when at least this many runs share it (default 3): the runs that vary epochs. */
  minRuns?: number;
  title?: string;
}

/** One fitted curve: the law at fixed (N, U) across epochs D/U. */
export interface RepeatedDataCurve {
  N: number;
  U: number;
  /** Runs at this (N, U). */
  runs: number;
  points: { epochs: number; loss: number }[];
}

const viridis = Plot.scale({ color: { type: 'linear', scheme: 'viridis', domain: [0, 1] } });

/** The data-constrained law at (N, D = epochs·U, U). */
export function dataConstrainedLoss(params: Readonly<Record<string, number>>, N: ArrayLike<number>, D: ArrayLike<number>, U: ArrayLike<number>): Float64Array {
  const theta = dataConstrained.fromPublic!(params);
  const n = N.length;
  const runs = {
    N: Float64Array.from(N),
    D: Float64Array.from(D),
    U: Float64Array.from(U),
    C: Float64Array.from(N, (v, i) => 6 * v * D[i]!),
    loss: new Float64Array(n),
    origin: [],
  };
  const out = new Float64Array(n);
  dataConstrained.predict(theta, dataConstrained.prepare(runs), out);
  return out;
}

/**
 * The curves the figure draws: one per distinct (N, U) that at least `minRuns` runs share, the law at that N
 * and U from the fewest to the most epochs its runs trained for (at least 1 to 2 epochs wide), 48 points
 * evenly spaced in log epochs. Ordered by U, then N.
 */
export function repeatedDataCurves(o: Pick<RepeatedDataOptions, 'report' | 'runs' | 'minRuns'>): RepeatedDataCurve[] {
  const { N, D, U } = o.runs;
  const byPair = new Map<string, { N: number; U: number; epochs: number[] }>();
  for (let i = 0; i < N.length; i++) {
    const key = `${N[i]}|${U[i]}`;
    const g = byPair.get(key) ?? { N: N[i]!, U: U[i]!, epochs: [] };
    g.epochs.push(D[i]! / U[i]!);
    byPair.set(key, g);
  }
  return [...byPair.values()]
    .filter((g) => g.epochs.length >= (o.minRuns ?? 3))
    .sort((a, b) => a.U - b.U || a.N - b.N)
    .map((g) => {
      const [lo, top] = extent(g.epochs);
      const hi = Math.max(top, 2 * lo);
      const epochs = logSpace(lo, hi, 48);
      const loss = dataConstrainedLoss(
        o.report.params,
        epochs.map(() => g.N),
        epochs.map((e) => e * g.U),
        epochs.map(() => g.U),
      );
      return { N: g.N, U: g.U, runs: g.epochs.length, points: epochs.map((e, i) => ({ epochs: e, loss: loss[i]! })) };
    });
}

/**
 * Repeated data (Muennighoff et al. 2023, Fig. 3 in spirit): each run's loss against its epochs D/U on a log
 * axis, coloured by its unique-token budget U (viridis on log U, dark = few unique tokens), with the fitted
 * data-constrained law at each (N, U) that several runs share. A curve flattening with epochs is repetition
 * ceasing to pay; R_D* and R_N* (in the caption) set how fast.
 */
export function repeatedData(document: Document, o: RepeatedDataOptions): SVGSVGElement {
  const { N, D, U, loss } = o.runs;
  const points = Array.from(N, (n, i) => ({ N: n, U: U[i]!, epochs: D[i]! / U[i]!, loss: loss[i]! }));
  const curves = repeatedDataCurves(o);
  const logU = Array.from(U, Math.log);
  const [uLo, uHi] = extent(logU);
  const color = (u: number) => String(viridis.apply(uHi > uLo ? (0.85 * (Math.log(u) - uLo)) / (uHi - uLo) : 0));
  const curveUs = [...new Set(curves.map((c) => c.U))];
  const lines = curves.flatMap((c, i) => c.points.map((p) => ({ ...p, U: c.U, curve: i })));
  const xDomain = logExtent([...points.map((p) => p.epochs), ...lines.map((p) => p.epochs)], 0.05);
  const ys = [...points.map((p) => p.loss), ...lines.map((p) => p.loss)];
  const [yLo, yHi] = extent(ys);
  const pad = (yHi - yLo || 1) * 0.04;
  const p = o.report.params;
  const distinctU = new Set(U).size;
  return figure(document, {
    title: o.title ?? 'Loss against epochs of repeated data, by unique-token budget U',
    legend: curveUs.map((u) => ({ label: `U = ${formatCount(u)} tokens`, color: color(u) })),
    caption:
      `Dots: the ${points.length} runs fitted, coloured by their unique tokens U (${distinctU} distinct, viridis on log U from ${formatCount(Math.exp(uLo))} to ${formatCount(Math.exp(uHi))}). ` +
      `Lines: the fitted data-constrained law at each (N, U) that ${o.minRuns ?? 3} or more runs share (${curves.length} curves), across the epochs they trained for; ` +
      `within a colour, lower lines are larger N. Fitted R_D* = ${trim(p.RD!)} (repeated epochs after which more epochs of the same data add little), R_N* = ${trim(p.RN!)} (the same for excess parameters).`,
    panels: [
      {
        marginLeft: 60,
        marginBottom: 42,
        x: logAxis('epochs D/U (repeats of the unique tokens)', xDomain, trim),
        y: { label: LABEL.loss, domain: [yLo - pad, yHi + pad], grid: true, labelAnchor: 'center', labelArrow: 'none' },
        marks: [
          Plot.line(lines, { x: 'epochs', y: 'loss', z: 'curve', stroke: (d) => color(d.U), strokeWidth: 1.4, className: 'sw-dc-curve' }),
          Plot.dot(points, { x: 'epochs', y: 'loss', r: 3, fill: (d) => color(d.U), fillOpacity: 0.85, className: 'sw-dc-run' }),
        ],
      },
    ],
    panelWidth: 600,
    panelHeight: 400,
  });
}
