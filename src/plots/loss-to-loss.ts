import * as Plot from '@observablehq/plot';
import { figure } from './figure.js';
import { categorical } from './style.js';

/** Options of {@link lossToLoss}. */
export interface LossToLossOptions {
  /** One point per model: loss on x against loss on y, and its group (datamix, architecture). */
  points: { x: number; y: number; group: string }[];
  /** Fitted lines per group, as sampled points (e.g. L_y = K·(L_x − E_x)^κ + E_y). */
  curves?: { group: string; points: { x: number; y: number }[]; label?: string; dashed?: boolean }[];
  /** Models left out of the fits (forecast targets): hollow, so a reader sees which points the lines did not see. */
  heldOut?: { x: number; y: number; group: string }[];
  xLabel: string;
  yLabel: string;
  /** Log axes (default false: loss-to-loss lines are usually drawn on linear axes). */
  log?: boolean;
  title?: string;
}

/**
 * Loss-to-loss (Brandfonbrener et al. 2024; Mayilvahanan et al. 2025, "LLMs on the Line"): one model's loss on
 * one set against its loss on another, a colour per group with its fitted line. Groups whose lines coincide
 * are interchangeable for prediction; a shifted line means that factor (data, tokenizer) moves the relation.
 */
export function lossToLoss(document: Document, o: LossToLossOptions): SVGSVGElement {
  const groups = [...new Set([...o.points.map((p) => p.group), ...(o.curves ?? []).map((c) => c.group), ...(o.heldOut ?? []).map((p) => p.group)])];
  const color = (g: string) => categorical(groups.indexOf(g));
  // Keyed per curve, so a group's solid and dashed pieces are separate paths.
  const lines = (dashed: boolean) =>
    (o.curves ?? []).flatMap((c, i) => (!!c.dashed === dashed ? c.points.map((p) => ({ ...p, group: c.group, curve: i })) : []));
  const heldOut = o.heldOut ?? [];
  const axis = (label: string) => ({
    label,
    grid: true,
    labelAnchor: 'center' as const,
    labelArrow: 'none' as const,
    ...(o.log ? { type: 'log' as const } : {}),
  });
  return figure(document, {
    title: o.title ?? `Loss-to-loss: ${o.yLabel} against ${o.xLabel}`,
    legend: groups.map((g) => ({ label: (o.curves ?? []).find((c) => c.group === g)?.label ?? g, color: color(g) })),
    caption:
      `Dots: one model each${heldOut.length ? `; hollow: ${heldOut.length} held out of the fits` : ''}; lines: the fitted loss-to-loss law per group (${groups.length} group${groups.length === 1 ? '' : 's'})` +
      `${(o.curves ?? []).some((c) => c.dashed) ? ', dashed where it extrapolates beyond the fitted pairs' : ''}. Lines that coincide mean the groups share one relation.`,
    panels: [
      {
        marginLeft: 60,
        marginBottom: 42,
        x: axis(o.xLabel),
        y: axis(o.yLabel),
        marks: [
          Plot.line(lines(false), { x: 'x', y: 'y', z: 'curve', stroke: (d) => color(d.group), strokeWidth: 1.6, className: 'sw-l2l-line' }),
          Plot.line(lines(true), {
            x: 'x',
            y: 'y',
            z: 'curve',
            stroke: (d) => color(d.group),
            strokeWidth: 1.6,
            strokeDasharray: '5,3',
            className: 'sw-l2l-extrapolation',
          }),
          Plot.dot(o.points, { x: 'x', y: 'y', r: 3, fill: (d) => color(d.group), fillOpacity: 0.8, className: 'sw-l2l-point' }),
          Plot.dot(heldOut, { x: 'x', y: 'y', r: 4, fill: 'white', stroke: (d) => color(d.group), strokeWidth: 1.5, className: 'sw-l2l-held-out' }),
        ],
      },
    ],
  });
}
