import * as Plot from '@observablehq/plot';
import type { IsoflopResult } from '../methods/isoflop.js';
import type { FitReport } from '../schema/fit.js';
import { figure } from './figure.js';
import { categorical, formatCount, formatFlop, LABEL, logAxis, logExtent, logSpace, trim } from './style.js';

/** One curve of the compute-optimal frontier: a skill, a group, a law. */
export interface FrontierSeries {
  name: string;
  /** Per-budget optima; `excluded` ones are drawn hollow (no interior minimum: not in the law). */
  points: { C: number; N: number | null; D: number | null; ci95?: { N: [number, number]; D: [number, number] }; excluded?: boolean }[];
  /** The fitted power laws N* = k·C^a and D* = kD·C^b. */
  law?: { k: number; a: number; kD: number; b: number };
  /** 95% band of N* and D* at these budgets (from draws: bootstrap refits or noise draws), drawn as a shaded area. */
  band?: { C: number; N: [number, number]; D: [number, number] }[];
}

/** The frontier of an IsoFLOP analysis: per-budget optima, their 95% intervals as the band, and the fitted law. */
export function isoflopSeries(name: string, r: IsoflopResult): FrontierSeries {
  const kept = r.budgets.filter((b) => !b.excluded && b.N !== null);
  return {
    name,
    points: r.budgets.map((b) => ({ C: b.C, N: b.N, D: b.D, ...(b.ci95 ? { ci95: b.ci95 } : {}), excluded: !!b.excluded })),
    ...(r.fit ? { law: { k: r.fit.k, a: r.fit.a, kD: r.fit.kD, b: r.fit.b } } : {}),
    ...bandOf(kept),
  };
}

/** The frontier of a parametric fit: N_opt = G·(C/6)^a at the report's budgets, with the bootstrap band. */
export function fitSeries(name: string, r: FitReport): FrontierSeries {
  const opt = r.optimal;
  if (!opt) return { name, points: [] };
  const bs = opt.budgets;
  return {
    name,
    points: bs.map((b) => ({ C: b.C, N: b.N, D: b.D, ...(b.ci95 ? { ci95: { N: b.ci95.N, D: b.ci95.D } } : {}) })),
    law: { k: opt.G * Math.pow(6, -opt.a), a: opt.a, kD: Math.pow(6, -opt.b) / opt.G, b: opt.b },
    ...bandOf(bs),
  };
}

/** The band through per-budget 95% intervals, when there are at least two and every budget has one. */
function bandOf(ps: { C: number; ci95?: { N: [number, number]; D: [number, number] } }[]): Pick<FrontierSeries, 'band'> {
  return ps.length >= 2 && ps.every((p) => p.ci95) ? { band: ps.map((p) => ({ C: p.C, N: p.ci95!.N, D: p.ci95!.D })) } : {};
}

/** Options of {@link frontier}. */
export interface FrontierOptions {
  series: FrontierSeries[];
  /** Figure title (default "Compute-optimal frontier"). */
  title?: string;
  /** Extra sentence for the caption (where the points and bands come from). */
  note?: string;
}

/**
 * The compute-optimal frontier (Hoffmann et al. 2022, Figure 3 right): N*(C) and D*(C) on log–log axes side
 * by side, per-budget optima as dots with their 95% intervals, the fitted power law as a line over the range
 * of C, and a shaded 95% band from the draws. Several series (skills, datamixes, laws) are overlaid in the
 * Okabe–Ito palette.
 */
export function frontier(document: Document, o: FrontierOptions): SVGSVGElement {
  const Cs = o.series.flatMap((s) => [...s.points.map((p) => p.C), ...(s.band ?? []).map((b) => b.C)]);
  const cDomain = logExtent(Cs, 0.06);
  const panel = (q: 'N' | 'D') => {
    const values = o.series.flatMap((s) => [
      ...s.points.flatMap((p) => [p[q] ?? NaN, ...(p.ci95 ? p.ci95[q] : [])]),
      ...(s.band ?? []).flatMap((b) => b[q]),
      ...(s.law ? cDomain.map((C) => lawAt(s.law!, q, C)) : []),
    ]);
    const marks: Plot.Markish[] = [];
    o.series.forEach((s, i) => {
      const color = categorical(i);
      if (s.band) marks.push(Plot.areaY(s.band, { x: 'C', y1: (b) => b[q][0], y2: (b) => b[q][1], fill: color, fillOpacity: 0.18, className: 'sw-band' }));
      if (s.law) {
        const xs = logSpace(cDomain[0], cDomain[1], 40);
        marks.push(
          Plot.line(
            xs.map((C) => ({ C, v: lawAt(s.law!, q, C) })),
            { x: 'C', y: 'v', stroke: color, strokeWidth: 1.8, className: 'sw-law' },
          ),
        );
      }
      const pts = s.points.filter((p) => p[q] !== null);
      marks.push(
        Plot.ruleX(
          pts.filter((p) => p.ci95),
          { x: 'C', y1: (p) => p.ci95![q][0], y2: (p) => p.ci95![q][1], stroke: color, strokeWidth: 1.5, className: 'sw-interval' },
        ),
      );
      marks.push(Plot.dot(pts, { x: 'C', y: q, r: 4, stroke: color, strokeWidth: 1.5, fill: (p) => (p.excluded ? 'white' : color), className: 'sw-optimum' }));
    });
    return {
      marginLeft: 60,
      marginBottom: 42,
      x: logAxis(LABEL.C, cDomain, formatFlop),
      y: logAxis(q === 'N' ? LABEL.Nstar : LABEL.Dstar, logExtent(values, 0.08), formatCount),
      marks,
    };
  };
  const laws = o.series.filter((s) => s.law).map((s) => `${s.name}: N* ∝ C^${trim(s.law!.a)}, D* ∝ C^${trim(s.law!.b)}`);
  return figure(document, {
    title: o.title ?? 'Compute-optimal frontier',
    legend: o.series.map((s, i) => ({ label: s.name, color: categorical(i) })),
    caption:
      'Dots: compute-optimal N* and D* per budget (hollow: no interior minimum, left out of the law), with 95% intervals; ' +
      'lines: the fitted power laws; shaded: the 95% band from the draws. ' +
      (laws.length ? `${laws.join('; ')}. ` : '') +
      (o.note ?? ''),
    panels: [panel('N'), panel('D')],
    panelWidth: 440,
    panelHeight: 340,
  });
}

/** The fitted law's N* or D* at C. */
export function lawAt(law: NonNullable<FrontierSeries['law']>, q: 'N' | 'D', C: number): number {
  return q === 'N' ? law.k * Math.pow(C, law.a) : law.kD * Math.pow(C, law.b);
}
