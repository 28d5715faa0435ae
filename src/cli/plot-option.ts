import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { UserError } from '../errors.js';
import { svgDocument, writeFigures } from '../node/render.js';
import type { NamedFigure } from '../plots/sets.js';

/** `--plot DIR`, shared by the commands that draw figures. */
export function addPlotOption(cmd: Command): Command {
  return cmd.option('--plot <DIR>', 'write the figures as SVG and PNG into DIR (created if missing)');
}

/** Draws the figures and writes them to `dir`; one line on stderr says where (stdout stays the command's). */
export function writePlots(dir: string, draw: (document: Document) => NamedFigure[]): void {
  const figures = draw(svgDocument());
  writeFigures(dir, figures);
  process.stderr.write(`scalewise: wrote ${figures.length} figure${figures.length === 1 ? '' : 's'} (SVG and PNG) to ${dir}: ${figures.map((f) => f.name).join(', ')}\n`);
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
