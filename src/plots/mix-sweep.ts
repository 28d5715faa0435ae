import * as Plot from '@observablehq/plot';
import type { MixSweep } from '../methods/skills.js';
import { figure } from './figure.js';
import { formatCount, formatFlop, LABEL, logAxis, logExtent, sequential, trim } from './style.js';

/** Options of {@link mixSweep}. */
export interface MixSweepOptions {
  sweep: MixSweep;
  /** Shown in the title (a datamix). */
  group?: string | null;
}

/** Line width of a budget whose max/min N* is beyond noise, and of the others. */
const BEYOND = 3.2,
  WITHIN = 1.6;

/**
 * The validation-mix sweep (Roberts et al. 2025): N* of validation sets mixing the skills, one line per budget.
 * With two skills the x axis is the first skill's weight; with more, the mix's index on the simplex grid.
 * A flat line means the choice of validation set does not move the compute-optimal size at that budget.
 * With draws, each budget's line has the band of its mixes' 95% intervals of N* (`Nci95`), and a budget whose
 * max/min N* is beyond noise (its paired interval above 1) is drawn thicker and says so in the legend.
 */
export function mixSweep(document: Document, o: MixSweepOptions): SVGSVGElement {
  const { sweep } = o;
  const two = sweep.skills.length === 2;
  const colors = sequential(sweep.budgets.length);
  const x = (i: number) => (two ? sweep.weights[i]![0]! : i);
  const rows = sweep.budgets.flatMap((b, j) => b.N.map((N, i) => ({ budget: j, x: x(i), N, ci: b.Nci95?.[i] ?? null, beyond: b.beyondNoise === true })));
  const found = rows.filter((r) => r.N !== null);
  const banded = rows.some((r) => r.ci !== null);
  const drawn = sweep.budgets.some((b) => b.beyondNoise !== null);
  const band = (r: (typeof rows)[number], k: 0 | 1) => (r.N !== null && r.ci ? r.ci[k] : NaN);
  const spread = (b: MixSweep['budgets'][number]) =>
    b.maxOverMin === null
      ? ''
      : ` (max/min ${trim(b.maxOverMin)}${b.ci95 ? ` [${trim(b.ci95[0])}, ${trim(b.ci95[1])}]` : ''}${b.beyondNoise ? ', beyond noise' : ''})`;
  return figure(document, {
    title: `Validation mix: N* against the weight of ${two ? sweep.skills[0] : 'each skill'}${o.group ? ` — ${o.group}` : ''}`,
    legend: sweep.budgets.map((b, j) => ({
      label: `C = ${formatFlop(b.C)}${spread(b)}`,
      color: colors[j]!,
    })),
    caption:
      `Each line is one compute budget: the compute-optimal N* when the validation loss is ${sweep.skills.map((s, k) => `w${k + 1}·${s}`).join(' + ')}. ` +
      (two ? `x is w1 (w2 = 1 − w1). ` : `x indexes the ${sweep.weights.length} mixes on the simplex grid, first skill's weight descending. `) +
      (banded ? "Bands: each mix's 95% interval of N* from the draws. " : '') +
      'Gaps: that mix has no interior minimum at that budget. The legend gives max/min N* across mixes per budget' +
      (drawn ? ', with its 95% interval from paired draws; "beyond noise" (a thicker line) where that interval lies above 1.' : '.'),
    panels: [
      {
        marginLeft: 60,
        marginBottom: 42,
        x: {
          label: two ? `weight of ${sweep.skills[0]} in the validation loss` : 'mix (index on the simplex grid)',
          labelAnchor: 'center',
          labelArrow: 'none',
          grid: true,
        },
        y: logAxis(
          LABEL.Nstar,
          logExtent(
            found.flatMap((r) => [r.N!, ...(r.ci ?? [])]),
            0.08,
          ),
          formatCount,
        ),
        marks: [
          ...(banded
            ? [
                Plot.areaY(rows, {
                  x: 'x',
                  y1: (r) => band(r, 0),
                  y2: (r) => band(r, 1),
                  z: 'budget',
                  fill: (r) => colors[r.budget],
                  fillOpacity: 0.12,
                  className: 'sw-mix-band',
                }),
              ]
            : []),
          Plot.line(rows, {
            x: 'x',
            y: (r) => r.N ?? NaN,
            z: 'budget',
            stroke: (r) => colors[r.budget],
            strokeWidth: (r) => (r.beyond ? BEYOND : WITHIN),
            className: 'sw-mix-line',
          }),
          Plot.dot(found, { x: 'x', y: 'N', r: 2.8, fill: (r) => colors[r.budget], className: 'sw-mix-point' }),
        ],
      },
    ],
  });
}
