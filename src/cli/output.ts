/** How a command shows an analysis: JSON or text on stdout, warnings on stderr, figures into `--plot DIR`. */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { toText } from '../present/document.js';
import type { Presentation } from '../present/presentation.js';
import type { Io } from './io.js';

export function emit(shown: Presentation, io: Io, flags: { json?: boolean }): void {
  io.stdout(`${flags.json ? JSON.stringify(shown.json) : toText(shown.blocks)}\n`);
  for (const w of shown.warnings) io.stderr(`scalewise: warning: ${oneLine(w.message)}\n`);
}

/**
 * Errors and warnings are one line each: a line break or other control character that reached a message (a file
 * name, a quoted cell) is shown escaped, as in a JSON string.
 */
export function oneLine(message: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  return message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Draws the figures and writes them to `dir`; one line on stderr says where (stdout stays the command's). */
export async function writePlots(dir: string, shown: Presentation, io: Io): Promise<void> {
  // The renderer (linkedom, resvg) loads only when figures are asked for.
  const { svgDocument, writeFigures } = await import('../node/render.js');
  const figures = distinctNames(await shown.figures(svgDocument()));
  writeFigures(dir, figures);
  io.stderr(`scalewise: wrote ${figures.length} figure${figures.length === 1 ? '' : 's'} (SVG and PNG) to ${dir}: ${figures.map((f) => f.name).join(', ')}\n`);
}

/**
 * Figure names made from group values can collide (`Web` and `web` both give `…-web`, as do `a b` and `a-b`):
 * a repeated name, compared without case (as a case-insensitive file system would), gets `-2`, `-3`, …
 */
export function distinctNames<T extends { name: string }>(figures: T[]): T[] {
  const used = new Set<string>();
  return figures.map((f) => {
    let name = f.name;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${f.name}-${k}`;
    used.add(name.toLowerCase());
    return name === f.name ? f : { ...f, name };
  });
}

/**
 * Creates an output folder (`--plot DIR`, `--out DIR`) or fails with one line naming the flag. `--plot`'s is made
 * before any work, so a bad path fails fast with exit 2 and nothing on stdout.
 */
export function ensureDir(flag: string, dir: string | undefined): void {
  if (dir === undefined) return;
  try {
    makeDirs(resolve(dir));
  } catch (err) {
    throw new UserError(`${flag} "${dir}": cannot create the folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/**
 * `mkdir -p`, one level at a time: Node 20's `mkdirSync(…, {recursive: true})` loops forever where a parent
 * refuses with ENOENT although it exists (under /proc), so each missing level is made by a plain mkdir.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  for (;;) {
    const info = statSync(d, { throwIfNoEntry: false });
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`${d} is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(d);
    if (dirname(d) === d) break;
    d = dirname(d);
  }
  for (const m of missing.reverse()) mkdirSync(m);
}
