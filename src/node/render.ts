/** Node side of the plots: a DOM to draw into (linkedom), SVG text, PNG (resvg), and files. */
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import type { NamedFigure } from '../plots/sets.js';

/** A fresh document for the plot functions to draw into (the browser passes its own `document`). */
export function svgDocument(): Document {
  return parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
}

/** The figure as a standalone SVG file's text. */
export function svgText(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.outerHTML}\n`;
}

/**
 * PNG of an SVG at `scale` × its size. Text is set in DejaVu Sans (the fonts the figures name); system fonts
 * are loaded so that, where DejaVu is missing, resvg falls back to whatever sans-serif the machine has
 * rather than drawing no text.
 */
export function renderPng(svg: string, scale = 2): Buffer {
  return rasterize(svg, scale).asPng();
}

/** The SVG rendered to RGBA pixels (see {@link renderPng}). */
export function rasterize(svg: string, scale = 2): ReturnType<Resvg['render']> {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render();
}

/** Writes NAME.svg and NAME.png for each figure into `dir` (created). */
export function writeFigures(dir: string, figures: NamedFigure[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of figures) {
    const text = svgText(f.svg);
    writeFileSync(join(dir, `${f.name}.svg`), text);
    writeFileSync(join(dir, `${f.name}.png`), renderPng(text));
  }
}
