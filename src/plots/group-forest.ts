import * as Plot from '@observablehq/plot';
import type { GroupComparison } from '../methods/skill-groups.js';
import { figure } from './figure.js';
import { categorical, MUTED } from './style.js';

/** Options of {@link groupForest}. */
export interface GroupForestOptions {
  comparison: GroupComparison;
}

/** Rows of the forest: one per (skill, group) with a Δa, top to bottom in the comparison's order. */
export function forestRows(c: GroupComparison): { skill: number; label: string; value: number; ci95?: [number, number]; beyond: boolean }[] {
  return c.skills.flatMap((s, i) =>
    s.groups
      .filter((g) => g.deltaA.value !== null)
      .map((g) => ({
        skill: i,
        label: `${s.name} · ${g.group}`,
        value: g.deltaA.value!,
        ...(g.deltaA.ci95 ? { ci95: g.deltaA.ci95 } : {}),
        beyond: g.deltaA.beyondNoise === true,
      })),
  );
}

/**
 * Forest plot of the datamix differences in the compute-optimal exponent: per skill and group, Δa = a(group) −
 * a(reference group) with its 95% interval, and a reference line at 0. An interval clear of 0 is drawn thicker.
 */
export function groupForest(document: Document, o: GroupForestOptions): SVGSVGElement {
  const c = o.comparison;
  const rows = forestRows(c);
  const labels = rows.map((r) => r.label);
  const xs = [0, ...rows.flatMap((r) => [r.value, ...(r.ci95 ?? [])])];
  const lo = Math.min(...xs),
    hi = Math.max(...xs);
  const pad = (hi - lo || 0.1) * 0.08;
  const beyond = rows.filter((r) => r.beyond).length;
  return figure(document, {
    title: `Δa per datamix against ${c.reference}`,
    legend: c.skills.map((s, i) => ({ label: s.name, color: categorical(i), symbol: 'dot' as const })),
    caption:
      `Δa = a(group) − a(${c.reference}) of the compute-optimal exponent N* ∝ C^a, per skill and datamix, with 95% intervals from the groups' draws ` +
      `(paired where two groups share every configuration). ${beyond} of ${rows.length} intervals exclude 0 (drawn thicker). ` +
      'Right of 0: that datamix moves the skill toward more parameters as compute grows.',
    panelHeight: Math.max(160, 26 * rows.length + 60),
    panels: [
      {
        marginLeft: 190,
        marginBottom: 42,
        x: { label: `Δa (vs ${c.reference})`, domain: [lo - pad, hi + pad], grid: true },
        y: { label: null, domain: labels },
        marks: [
          Plot.ruleX([0], { stroke: MUTED, strokeWidth: 1.5, className: 'sw-reference' }),
          Plot.ruleY(
            rows.filter((r) => r.ci95),
            {
              y: 'label',
              x1: (r) => r.ci95![0],
              x2: (r) => r.ci95![1],
              stroke: (r) => categorical(r.skill),
              strokeWidth: (r) => (r.beyond ? 3 : 1.5),
              className: 'sw-interval',
            },
          ),
          Plot.dot(rows, { y: 'label', x: 'value', r: 4, fill: (r) => categorical(r.skill), className: 'sw-delta' }),
        ],
      },
    ],
  });
}
