import * as Plot from '@observablehq/plot';
import type { CovariateSkill } from '../methods/skill-covariate.js';
import { figure } from './figure.js';
import { categorical, formatCount, logAxis, logExtent } from './style.js';

/** Options of {@link covariateScatter}. */
export interface CovariateScatterOptions {
  skills: CovariateSkill[];
  /** The budget N* is read at. */
  budget: number;
}

/**
 * Roberts et al. (2025) Fig. 3: per skill, the share of skill-relevant data in each datamix against the exponent
 * a (left) and N* at the budget (right), each group a dot with its 95% interval, and the weighted least-squares
 * line with its 95% band from the draws.
 */
export function covariateScatter(document: Document, o: CovariateScatterOptions): SVGSVGElement {
  const pts = o.skills.flatMap((s, i) => s.points.filter((p) => p.a !== null).map((p) => ({ skill: i, ...p })));
  const lineOf = (which: 'a' | 'logN') =>
    o.skills.flatMap((s, i) => {
      const l = s[which];
      if (!l) return [];
      const xs = s.points.filter((p) => p.a !== null).map((p) => p.share);
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
      const tr = (v: number) => (which === 'a' ? v : Math.exp(v));
      return [lo, hi].map((share) => ({ skill: i, share, y: tr(l.intercept + l.slope * share) }));
    });
  const bandOf = (which: 'a' | 'logN') =>
    o.skills.flatMap((s, i) =>
      (s[which]?.band ?? []).map((b) => ({ skill: i, share: b.share, lo: which === 'a' ? b.lo : Math.exp(b.lo), hi: which === 'a' ? b.hi : Math.exp(b.hi) })),
    );
  const shares = pts.map((p) => p.share);
  const sLo = Math.min(...shares, 0),
    sHi = Math.max(...shares, 0.01);
  const x = { label: 'share of skill-relevant data', domain: [sLo - (sHi - sLo) * 0.05, sHi + (sHi - sLo) * 0.05], grid: true };
  const Ns = [...pts.flatMap((p) => [p.N!, ...(p.NCi95 ?? [])]), ...bandOf('logN').flatMap((b) => [b.lo, b.hi])];
  const slopes = o.skills
    .map((s) =>
      s.a
        ? `${s.name}: a = ${s.a.intercept.toFixed(3)} + ${s.a.slope.toFixed(3)}·share${s.a.slopeCi95 ? ` (slope ${s.a.slopeCi95[0].toFixed(3)} to ${s.a.slopeCi95[1].toFixed(3)})` : ''}`
        : `${s.name}: no line`,
    )
    .join('; ');
  return figure(document, {
    title: 'Compute-optimal size against the share of skill-relevant data',
    legend: o.skills.map((s, i) => ({ label: s.name, color: categorical(i), symbol: 'dot' as const })),
    caption: `Each dot a datamix with its 95% interval; lines by weighted least squares over the datamixes (weights 1/var of each one's draws), bands the 95% range of the line refitted on each draw. ${slopes}.`,
    panels: [
      {
        marginLeft: 56,
        marginBottom: 42,
        x,
        y: { label: 'a (N* ∝ C^a)', grid: true },
        marks: [
          Plot.areaY(bandOf('a'), { x: 'share', y1: 'lo', y2: 'hi', z: 'skill', fill: (d) => categorical(d.skill), fillOpacity: 0.15, className: 'sw-band' }),
          Plot.line(lineOf('a'), { x: 'share', y: 'y', z: 'skill', stroke: (d) => categorical(d.skill), strokeWidth: 1.5, className: 'sw-line' }),
          Plot.ruleX(
            pts.filter((p) => p.aCi95),
            { x: 'share', y1: (p) => p.aCi95![0], y2: (p) => p.aCi95![1], stroke: (p) => categorical(p.skill), className: 'sw-interval' },
          ),
          Plot.dot(pts, { x: 'share', y: 'a', r: 4, fill: (p) => categorical(p.skill), className: 'sw-point' }),
        ],
      },
      {
        marginLeft: 60,
        marginBottom: 42,
        x,
        y: logAxis(`N* at C = ${o.budget.toExponential(1)}`, atLeast(logExtent(Ns.length ? Ns : [1, 10], 0.08), 2.5), formatCount),
        marks: [
          Plot.areaY(bandOf('logN'), {
            x: 'share',
            y1: 'lo',
            y2: 'hi',
            z: 'skill',
            fill: (d) => categorical(d.skill),
            fillOpacity: 0.15,
            className: 'sw-band',
          }),
          Plot.line(lineOf('logN'), { x: 'share', y: 'y', z: 'skill', stroke: (d) => categorical(d.skill), strokeWidth: 1.5, className: 'sw-line' }),
          Plot.ruleX(
            pts.filter((p) => p.NCi95),
            { x: 'share', y1: (p) => p.NCi95![0], y2: (p) => p.NCi95![1], stroke: (p) => categorical(p.skill), className: 'sw-interval' },
          ),
          Plot.dot(pts, { x: 'share', y: 'N', r: 4, fill: (p) => categorical(p.skill), className: 'sw-point' }),
        ],
      },
    ],
  });
}

/** The domain widened about its geometric middle to span at least `ratio`, so a log axis gets several ticks. */
function atLeast([lo, hi]: [number, number], ratio: number): [number, number] {
  if (hi / lo >= ratio) return [lo, hi];
  const mid = Math.sqrt(lo * hi),
    half = Math.sqrt(ratio);
  return [mid / half, mid * half];
}
