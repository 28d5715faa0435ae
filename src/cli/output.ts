/** How a command shows an analysis: JSON or text on stdout, warnings on stderr, figures into `--plot DIR`. */
import { mkdirSync } from 'node:fs';
import { UserError } from '../errors.js';
import { toText } from '../present/document.js';
import type { Presentation } from '../present/presentation.js';
import type { Io } from './io.js';

export function emit(shown: Presentation, io: Io, flags: { json?: boolean }): void {
  io.stdout(`${flags.json ? JSON.stringify(shown.json) : toText(shown.blocks)}\n`);
  for (const w of shown.warnings) io.stderr(`scalewise: warning: ${w.message}\n`);
}

/** Draws the figures and writes them to `dir`; one line on stderr says where (stdout stays the command's). */
export async function writePlots(dir: string, shown: Presentation, io: Io): Promise<void> {
  // The renderer (linkedom, resvg) loads only when figures are asked for.
  const { svgDocument, writeFigures } = await import('../node/render.js');
  const figures = await shown.figures(svgDocument());
  writeFigures(dir, figures);
  io.stderr(`scalewise: wrote ${figures.length} figure${figures.length === 1 ? '' : 's'} (SVG and PNG) to ${dir}: ${figures.map((f) => f.name).join(', ')}\n`);
}

/**
 * Creates an output folder (`--plot DIR`, `--out DIR`) or fails with one line naming the flag. `--plot`'s is made
 * before any work, so a bad path fails fast with exit 2 and nothing on stdout.
 */
export function ensureDir(flag: string, dir: string | undefined): void {
  if (dir === undefined) return;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`${flag} "${dir}": cannot create the folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
