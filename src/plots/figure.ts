/**
 * A figure as a paper prints it: a title, a legend, one or more panels side by side, and a caption, in ONE
 * standalone SVG element (no HTML wrapper), so it can be written to a file, rasterised, or inlined in a page.
 * Panels are Observable Plot charts; the legend is drawn here because Plot's swatch legends are HTML.
 */
import * as Plot from '@observablehq/plot';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Fonts: DejaVu Sans is what PNG rendering loads; browsers fall back to their sans-serif. */
export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** One legend entry. */
export interface LegendItem {
  label: string;
  color: string;
  /** Draw the swatch as a dashed line (excluded budgets, fitted laws). */
  dashed?: boolean;
  /** `dot` for point series, `line` for curves (default). */
  symbol?: 'dot' | 'line';
}

/** What {@link figure} composes. */
export interface FigureSpec {
  title: string;
  /** Shown under the figure, wrapped; say what the marks are and where intervals come from. */
  caption?: string;
  legend?: LegendItem[];
  /** Panels, left to right; each is a Plot specification without `document`, `width`, `height`. */
  panels: Plot.PlotOptions[];
  /** Width of one panel in px (default 520). */
  panelWidth?: number;
  /** Height of a panel in px (default 360). */
  panelHeight?: number;
}

const PAD = 16;
const TITLE_SIZE = 15;
const TEXT_SIZE = 12;
const LINE = 17;

/** Renders the figure into `document` and returns its root `<svg>`. */
export function figure(document: Document, spec: FigureSpec): SVGSVGElement {
  const pw = spec.panelWidth ?? 520,
    ph = spec.panelHeight ?? 360;
  // Wide enough for the title (bold, ~0.62 em a character) when it is longer than the panels.
  const width = Math.max(PAD * 2 + pw * spec.panels.length, PAD * 2 + Math.ceil(spec.title.length * TITLE_SIZE * 0.62));
  const root = el(document, 'svg', { xmlns: SVG_NS, width, 'font-family': FONT, 'font-size': TEXT_SIZE, fill: '#222' });
  const bg = el(document, 'rect', { x: 0, y: 0, width, fill: 'white' });
  root.append(bg);
  let y = PAD + TITLE_SIZE;
  root.append(text(document, spec.title, PAD, y, { 'font-size': TITLE_SIZE, 'font-weight': 'bold' }));
  y += 10;
  if (spec.legend?.length) y = legend(document, root, spec.legend, PAD, y + 6, width - 2 * PAD);
  spec.panels.forEach((p, i) => {
    const chart = Plot.plot({
      ...p,
      document,
      width: pw,
      height: ph,
      className: 'scalewise-plot',
      style: { fontFamily: FONT, fontSize: '11px', background: 'white', overflow: 'visible' },
    }) as SVGSVGElement;
    chart.setAttribute('x', String(PAD + i * pw));
    chart.setAttribute('y', String(y));
    root.append(chart);
  });
  y += ph + 6;
  if (spec.caption) {
    for (const line of wrap(spec.caption, Math.floor((width - 2 * PAD) / (TEXT_SIZE * 0.54)))) {
      y += LINE;
      root.append(text(document, line, PAD, y, { fill: '#444' }));
    }
  }
  const height = y + PAD;
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  bg.setAttribute('height', String(height));
  return root;
}

/** Swatches in rows; returns the y below the last row. */
function legend(document: Document, root: Element, items: LegendItem[], x0: number, y: number, maxWidth: number): number {
  let x = x0;
  y += LINE - 4;
  for (const item of items) {
    const w = 28 + item.label.length * TEXT_SIZE * 0.58 + 14;
    if (x > x0 && x + w > x0 + maxWidth) {
      x = x0;
      y += LINE;
    }
    const g = el(document, 'g', { 'aria-label': 'legend item' });
    if (item.symbol === 'dot') g.append(el(document, 'circle', { cx: x + 10, cy: y - 4, r: 4, fill: item.color }));
    else
      g.append(
        el(document, 'line', {
          x1: x,
          x2: x + 22,
          y1: y - 4,
          y2: y - 4,
          stroke: item.color,
          'stroke-width': 2.5,
          ...(item.dashed ? { 'stroke-dasharray': '5,3' } : {}),
        }),
      );
    g.append(text(document, item.label, x + 28, y, {}));
    root.append(g);
    x += w;
  }
  return y + 8;
}

function text(document: Document, content: string, x: number, y: number, attrs: Record<string, string | number>): Element {
  const t = el(document, 'text', { x, y, ...attrs });
  t.textContent = content;
  return t;
}

function el<K extends keyof SVGElementTagNameMap>(document: Document, tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Greedy word wrap to at most `width` characters a line. */
export function wrap(textContent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of textContent.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
