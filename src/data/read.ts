import { readFile } from 'node:fs/promises';
import { formatOf, parseTable } from './parse.js';
import { UserError } from '../errors.js';
import { stackTables, type Table } from './table.js';

/** Reads several run tables and stacks their rows (each row keeps its own file for error messages). */
export async function readTables(paths: string[], read: (path: string) => Promise<Table> = readTable): Promise<Table> {
  return stackTables(paths, read);
}

/**
 * Reads one run table, choosing the format by the file's extension (parsing is shared with the dashboard).
 * `name` is how messages and row origins name the file (default: its path).
 */
export async function readTable(path: string, name = path): Promise<Table> {
  formatOf(name); // an unknown format is reported before trying to read the file
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${name}: cannot read file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err))})`);
  }
  return parseTable(name, bytes);
}
