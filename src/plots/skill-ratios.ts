import * as Plot from '@observablehq/plot';
import type { SkillsGroupResult } from '../methods/skills.js';
import { figure } from './figure.js';
import { categorical, formatFlop, LABEL, logAxis, logExtent, MUTED } from './style.js';

/** Options of {@link skillRatios}. */
export interface SkillRatiosOptions {
  result: SkillsGroupResult;
  /** Shown in the title (a datamix). */
  group?: string | null;
}

/** Skills at one budget are spread by this factor in C so their interval bars do not overlap. */
const DODGE = 1.06;

/**
 * N*(skill)/N*(aggregate) per budget (Roberts et al. 2025): above 1 the skill wants more parameters than the
 * aggregate (capacity-hungry), below 1 more data. Dots with 95% interval bars from the per-budget optima, the
 * pooled L(N, D) fits' ratio as a dashed line, and a reference line at 1.
 */
export function skillRatios(document: Document, o: SkillRatiosOptions): SVGSVGElement {
  const { skills, aggregate } = o.result;
  const rows = skills.flatMap((s, i) =>
    s.ratioToAggregate
      .filter((r) => r.ratio !== null)
      .map((r) => ({ skill: i, C: r.C * Math.pow(DODGE, i - (skills.length - 1) / 2), ratio: r.ratio!, ci95: r.ci95 })),
  );
  const pooled = skills.flatMap((s, i) => s.ratioToAggregate.filter((r) => r.pooled !== undefined).map((r) => ({ skill: i, C: r.C, ratio: r.pooled! })));
  const Cs = skills.flatMap((s) => s.ratioToAggregate.map((r) => r.C));
  const ys = [1, ...rows.flatMap((r) => [r.ratio, ...(r.ci95 ?? [])]), ...pooled.map((p) => p.ratio)];
  return figure(document, {
    title: `N*(skill) / N*(${aggregate.name})${o.group ? ` — ${o.group}` : ''}`,
    legend: [
      ...skills.map((s, i) => ({ label: s.name, color: categorical(i), symbol: 'dot' as const })),
      ...(pooled.length ? [{ label: 'pooled L(N, D) fits', color: '#555', dashed: true }] : []),
    ],
    caption:
      `N*(skill)/N*(${aggregate.name}) per budget from the per-budget optima, with 95% intervals where the analysis drew them. ` +
      'Above 1 the skill is compute-optimal at more parameters than the aggregate (capacity-hungry), below 1 at more data. ' +
      'Budgets where either curve has no interior minimum are not shown.',
    panels: [
      {
        marginLeft: 60,
        marginBottom: 42,
        x: logAxis(LABEL.C, logExtent(Cs, 0.08), formatFlop),
        y: logAxis('N*(skill) / N*(aggregate)', logExtent(ys, 0.08), (v) => String(Number(v.toPrecision(2)))),
        marks: [
          Plot.ruleY([1], { stroke: MUTED, strokeWidth: 1.5, className: 'sw-reference' }),
          Plot.line(pooled, {
            x: 'C',
            y: 'ratio',
            z: 'skill',
            stroke: (d) => categorical(d.skill),
            strokeDasharray: '5,3',
            strokeWidth: 1.3,
            className: 'sw-pooled',
          }),
          Plot.ruleX(
            rows.filter((r) => r.ci95),
            { x: 'C', y1: (r) => r.ci95![0], y2: (r) => r.ci95![1], stroke: (r) => categorical(r.skill), strokeWidth: 1.5, className: 'sw-interval' },
          ),
          Plot.dot(rows, { x: 'C', y: 'ratio', r: 4, fill: (r) => categorical(r.skill), className: 'sw-ratio' }),
        ],
      },
    ],
  });
}
