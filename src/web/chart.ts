// The dashboard's figure as one standalone SVG (two panels: IsoFLOP curves of the validation mix, and N*(C)
// per skill and for the mix). Every style is an attribute, so the exported SVG/PNG looks like the page.
import { fitParabola } from '../analyses/parabola.js';
import type { IsoflopResult } from '../analyses/isoflop.js';
import { num } from '../cli/format.js';
import type { MixView } from './model.js';

/** What the figure shows. */
export interface FigureInput {
  view: MixView;
  /** Per skill: name and its own IsoFLOP analysis. */
  skills: { name: string; result: IsoflopResult }[];
  /** The mix in words, e.g. "0.3 knowledge + 0.7 code". */
  mixLabel: string;
  /** The budget to emphasise. */
  budget: number | null;
  title: string;
}

const SVG = 'http://www.w3.org/2000/svg';
const FONT = 'Inter, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif';
const W = 1100, H = 455;
const PANEL = { w: 470, h: 320, top: 70 };
const LEFT = [80, 620];
/** Budgets: a sequential blue–green–yellow ramp (viridis stops), dark = small budget. */
const RAMP = ['#440154', '#46327e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#a0da39', '#d9c72a'];
/** Skills: colour-blind-safe categorical (Okabe–Ito). */
const SKILL = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

export function budgetColour(j: number, n: number): string {
  const t = n <= 1 ? 0 : j / (n - 1);
  return RAMP[Math.round(t * (RAMP.length - 1))]!;
}

export function skillColour(s: number): string {
  return SKILL[s % SKILL.length]!;
}

type Attrs = Record<string, string | number>;

function el(doc: Document, name: string, attrs: Attrs = {}, text?: string): SVGElement {
  const e = doc.createElementNS(SVG, name) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A scale on [lo, hi] (log10 when `log`) onto pixels [a, b]. */
function scale(lo: number, hi: number, a: number, b: number, log: boolean) {
  const f = log ? Math.log10 : (x: number) => x;
  const l = f(lo), h = f(hi);
  return (x: number) => a + ((f(x) - l) / (h - l || 1)) * (b - a);
}

/** Padded domain of positive values, in log space when `log`. */
function domain(values: number[], log: boolean, pad = 0.06): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && (!log || x > 0));
  let lo = Math.min(...v), hi = Math.max(...v);
  if (!(lo < hi)) { lo = lo * 0.9 || -1; hi = hi * 1.1 || 1; }
  if (log) {
    const span = Math.log10(hi / lo);
    return [lo / 10 ** (span * pad), hi * 10 ** (span * pad)];
  }
  const span = hi - lo;
  return [lo - span * pad, hi + span * pad];
}

/** Ticks at 1, 2, 5 × 10^k within the domain (only 10^k when the domain spans many decades). */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const steps = Math.log10(hi / lo) > 3 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of steps) { const v = m * 10 ** e; if (v >= lo && v <= hi) out.push(v); }
  }
  return out;
}

function linearTicks(lo: number, hi: number, count = 6): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** 2e8 → "200M", 1.5e9 → "1.5B"; compute in e-notation. */
function sizeLabel(v: number): string {
  if (v >= 1e9) return `${Number((v / 1e9).toPrecision(3))}B`;
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  return num(v, 3);
}

interface Frame {
  g: SVGElement;
  x: (v: number) => number;
  y: (v: number) => number;
}

/** Axes, grid, labels and a clipped plotting area for one panel. */
function panel(doc: Document, root: SVGElement, left: number, title: string, xDom: [number, number], yDom: [number, number], xLog: boolean, yLog: boolean, xLabel: string, yLabel: string, xFmt: (v: number) => string, yFmt: (v: number) => string): Frame {
  const { w, h, top } = PANEL;
  const x = scale(xDom[0], xDom[1], left, left + w, xLog);
  const y = scale(yDom[0], yDom[1], top + h, top, yLog);
  const axes = el(doc, 'g', { 'font-family': FONT, 'font-size': 11, fill: '#4b5563' });
  root.append(axes);
  axes.append(el(doc, 'text', { x: left, y: top - 14, 'font-size': 14, 'font-weight': 600, fill: '#111827' }, title));
  axes.append(el(doc, 'rect', { x: left, y: top, width: w, height: h, fill: '#ffffff', stroke: '#d1d5db' }));
  for (const t of xLog ? logTicks(...xDom) : linearTicks(...xDom)) {
    axes.append(el(doc, 'line', { x1: x(t), x2: x(t), y1: top, y2: top + h, stroke: '#eef0f3' }));
    axes.append(el(doc, 'text', { x: x(t), y: top + h + 16, 'text-anchor': 'middle' }, xFmt(t)));
  }
  for (const t of yLog ? logTicks(...yDom) : linearTicks(...yDom)) {
    axes.append(el(doc, 'line', { x1: left, x2: left + w, y1: y(t), y2: y(t), stroke: '#eef0f3' }));
    axes.append(el(doc, 'text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end' }, yFmt(t)));
  }
  axes.append(el(doc, 'text', { x: left + w / 2, y: top + h + 36, 'text-anchor': 'middle', 'font-size': 12, fill: '#374151' }, xLabel));
  axes.append(el(doc, 'text', { transform: `translate(${left - 58},${top + h / 2}) rotate(-90)`, 'text-anchor': 'middle', 'font-size': 12, fill: '#374151' }, yLabel));
  const clipId = `clip-${left}`;
  const clip = el(doc, 'clipPath', { id: clipId });
  clip.append(el(doc, 'rect', { x: left, y: top, width: w, height: h }));
  root.append(clip);
  const g = el(doc, 'g', { 'clip-path': `url(#${clipId})` });
  root.append(g);
  return { g, x, y };
}

function path(points: [number, number][]): string {
  return points.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join('');
}

function marker(doc: Document, cx: number, cy: number, shape: 'circle' | 'diamond' | 'square', size: number, attrs: Attrs): SVGElement {
  if (shape === 'circle') return el(doc, 'circle', { cx, cy, r: size, ...attrs });
  if (shape === 'square') return el(doc, 'rect', { x: cx - size, y: cy - size, width: 2 * size, height: 2 * size, ...attrs });
  return el(doc, 'path', { d: `M${cx},${cy - size * 1.4}L${cx + size},${cy}L${cx},${cy + size * 1.4}L${cx - size},${cy}Z`, ...attrs });
}

/** The figure: IsoFLOP curves of the mix (left) and N*(C) per skill and for the mix (right). */
export function renderFigure(doc: Document, input: FigureInput): SVGSVGElement {
  const svg = el(doc, 'svg', { xmlns: SVG, width: W, height: H, viewBox: `0 0 ${W} ${H}`, 'font-family': FONT }) as SVGSVGElement;
  svg.append(el(doc, 'rect', { width: W, height: H, fill: '#ffffff' }));
  svg.append(el(doc, 'text', { x: LEFT[0]!, y: 26, 'font-size': 16, 'font-weight': 700, fill: '#111827', 'font-family': FONT }, input.title));
  const { view } = input;
  const curves = view.curves;
  const n = curves.length;

  // Left: loss of the mix vs N, one curve per budget, its minimum marked.
  const allN = curves.flatMap((c) => Array.from(c.logN, Math.exp));
  const allL = curves.flatMap((c) => Array.from(c.loss));
  const A = panel(doc, svg, LEFT[0]!, `IsoFLOP curves of the validation mix (${input.mixLabel})`, domain(allN, true), domain(allL, false), true, false,
    'parameters N', 'mix loss', sizeLabel, (v) => num(v, 3));
  curves.forEach((c, j) => {
    const b = view.result.budgets[j]!;
    const colour = budgetColour(j, n);
    const focus = input.budget === null || b.C === input.budget;
    const g = el(doc, 'g', { opacity: focus ? 1 : 0.5 });
    A.g.append(g);
    const lo = c.logN[0]!, hi = c.logN[c.logN.length - 1]!;
    const coef = view.result.method === 'parabola' ? fitParabola(c.logN, c.loss) : undefined;
    const line: [number, number][] = coef
      ? Array.from({ length: 60 }, (_, i) => { const u = lo + ((hi - lo) * i) / 59; return [A.x(Math.exp(u)), A.y(coef[0] + coef[1] * u + coef[2] * u * u)]; })
      : Array.from(c.logN, (u, i) => [A.x(Math.exp(u)), A.y(c.loss[i]!)]);
    g.append(el(doc, 'path', { d: path(line), fill: 'none', stroke: colour, 'stroke-width': focus && input.budget !== null ? 2.6 : 1.6 }));
    c.logN.forEach((u, i) => g.append(marker(doc, A.x(Math.exp(u)), A.y(c.loss[i]!), 'circle', 3, { fill: colour, stroke: '#ffffff', 'stroke-width': 0.8 })));
    if (b.N !== null && b.loss !== null && !b.excluded) {
      g.append(marker(doc, A.x(b.N), A.y(b.loss), 'diamond', 5, { fill: '#ffffff', stroke: colour, 'stroke-width': 2 }));
    }
  });
  // Budget legend, top right of the left panel.
  const legend = el(doc, 'g', { 'font-family': FONT, 'font-size': 10.5, fill: '#374151' });
  svg.append(legend);
  curves.forEach((c, j) => {
    const lx = LEFT[0]! + PANEL.w - 78, ly = PANEL.top + 14 + j * 15;
    legend.append(el(doc, 'line', { x1: lx, x2: lx + 14, y1: ly - 4, y2: ly - 4, stroke: budgetColour(j, n), 'stroke-width': 2.4 }));
    legend.append(el(doc, 'text', { x: lx + 19, y: ly }, `${num(c.C, 3)}`));
  });

  // Right: N*(C) per skill (hollow, thin fit) and for the mix (solid, bold fit with its exponent).
  const series = [
    ...input.skills.map((s, k) => ({ name: s.name, result: s.result, colour: skillColour(k), mix: false })),
    { name: `mix (${input.mixLabel})`, result: view.result, colour: '#111827', mix: true },
  ];
  const Cs = view.result.budgets.map((b) => b.C);
  const Ns = series.flatMap((s) => s.result.budgets.filter((b) => !b.excluded && b.N !== null).map((b) => b.N!));
  const B = panel(doc, svg, LEFT[1]!, 'Compute-optimal size N*(C)', domain(Cs, true), domain(Ns.length ? Ns : [1e6, 1e9], true, 0.1), true, true,
    'compute C (FLOP)', 'N* (parameters)', (v) => num(v, 1), sizeLabel);
  series.forEach((s, k) => {
    const fit = s.result.fit;
    if (fit) {
      const [c0, c1] = [Math.min(...Cs), Math.max(...Cs)];
      B.g.append(el(doc, 'path', {
        d: path([c0, c1].map((c) => [B.x(c), B.y(fit.k * c ** fit.a)])),
        stroke: s.colour, 'stroke-width': s.mix ? 2.4 : 1.3, 'stroke-dasharray': s.mix ? 'none' : '5 4', fill: 'none',
      }));
    }
    for (const b of s.result.budgets) {
      if (b.excluded || b.N === null) continue;
      const focus = input.budget === null || b.C === input.budget;
      B.g.append(marker(doc, B.x(b.C), B.y(b.N), s.mix ? 'circle' : k % 2 ? 'square' : 'diamond', s.mix ? (focus ? 5.5 : 4) : 3.6, {
        fill: s.mix ? s.colour : '#ffffff', stroke: s.colour, 'stroke-width': 1.6,
      }));
    }
  });
  const key = el(doc, 'g', { 'font-family': FONT, 'font-size': 11, fill: '#374151' });
  svg.append(key);
  series.forEach((s, k) => {
    const lx = LEFT[1]! + 12, ly = PANEL.top + 18 + k * 17;
    key.append(el(doc, 'line', { x1: lx, x2: lx + 20, y1: ly - 4, y2: ly - 4, stroke: s.colour, 'stroke-width': s.mix ? 2.4 : 1.3, 'stroke-dasharray': s.mix ? 'none' : '5 4' }));
    const a = s.result.fit ? `a = ${s.result.fit.a.toFixed(3)}` : 'no fit';
    key.append(el(doc, 'text', { x: lx + 26, y: ly, 'font-weight': s.mix ? 600 : 400 }, `${s.name}: ${a}`));
  });
  svg.append(el(doc, 'text', { x: LEFT[0]!, y: H - 12, 'font-size': 10.5, fill: '#6b7280', 'font-family': FONT },
    `Per budget: ${view.result.method === 'parabola' ? 'least-squares parabola in log N' : 'Akima interpolation'}; ◇ marks the minimum. Fits: N* = k·C^a over budgets with an interior minimum.`));
  return svg;
}
