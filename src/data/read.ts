import { constants } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { checkTextSize, formatOf, isDelimited, MAX_TEXT_BYTES, parseDelimitedFile, parseTable, parseUnnamedTable } from './parse.js';
import { UserError } from '../errors.js';
import { formatByName, importFiles, type ImportFormat } from './import/formats.js';
import { CHUNK_BYTES } from './delimited.js';
import { historyTable, isHistory } from './import/wandb-history.js';
import { concatTables, stackTables, type Table } from './table.js';

/**
 * Reads several run tables and stacks their rows (each row keeps its own file for error messages). Files the
 * tools name as their own (lm-evaluation-harness `results_*.json` / `samples_*.jsonl`, OLMo-core
 * `metrics_step*.json`, Marin `tracker_metrics.jsonl`) are read together through their importer, as
 * `scalewise import` would (src/data/import/), so an analysis reads them directly; W&B history is read by
 * {@link readTable} (one file is one history).
 */
export async function readTables(paths: string[], read: (path: string) => Promise<Table> = readTable): Promise<Table> {
  const byFormat = new Map<ImportFormat, string[]>();
  const tables: string[] = [];
  for (const p of paths) {
    const format = formatByName(p);
    if (format) byFormat.set(format, [...(byFormat.get(format) ?? []), p]);
    else tables.push(p);
  }
  const plain = await stackTables(tables, read);
  if (byFormat.size === 0) return plain;
  const imported: Table[] = [];
  for (const [format, files] of byFormat) {
    const inputs = [];
    for (const f of files) {
      try {
        inputs.push({ name: f, bytes: await readBytes(f) });
      } catch (err) {
        throw new UserError(`${f}: cannot read file (${readError(err)})`);
      }
    }
    imported.push((await importFiles(format, inputs)).table);
  }
  return concatTables([...(tables.length > 0 ? [plain] : []), ...imported]);
}

/** Limits of {@link readTable}; tests lower them to try the refusals without huge files or long waits. */
export interface ReadLimits {
  /** A text table (CSV, TSV, JSON, JSONL) larger than this is refused before it is read (default: V8's longest string). */
  maxTextBytes?: number;
  /** A named pipe gets this long to deliver its first byte (default 10 s): a FIFO with no writer must not hang forever. */
  fifoWaitMs?: number;
}

/**
 * Reads one run table, choosing the format by the file's extension (parsing is shared with the dashboard).
 * `name` is how messages and row origins name the file (default: its path). W&B history (the long layout, or a
 * run-history Parquet) becomes one row per (run, step) checkpoint ({@link asRunTable}), for the CLI and studies alike.
 */
export async function readTable(path: string, name = path, limits: ReadLimits = {}): Promise<Table> {
  const format = formatOf(name); // an unknown format is reported before trying to read the file
  const maxTextBytes = limits.maxTextBytes ?? MAX_TEXT_BYTES;
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    // Refused by size before reading, so a too-large file costs nothing and fails with its name.
    if (info.isFile()) checkTextSize(format, name, info.size, maxTextBytes);
    // A CSV/TSV file is parsed as it is read (src/data/delimited.ts): its bytes are never all in memory.
    if (info.isFile() && isDelimited(format)) return asRunTable(await parseDelimitedFile(name, fileChunks(path), () => readFile(path)), name);
    bytes = info.isFIFO() ? await readFifo(path, name, limits.fifoWaitMs ?? 10_000) : await readFile(path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${name}: cannot read file (${readError(err)})`);
  }
  return asRunTable(await parseTable(name, bytes, { maxTextBytes }), name);
}

/**
 * A table as the analyses read it: W&B history in the long layout (run, step, metric, value: told by its header)
 * or a run-history Parquet (`run-<id>-history.parquet`) as one row per (run, step) checkpoint, the table
 * `scalewise import wandb-history` writes, each row keeping the file's row of its first value; any other as it is.
 */
export function asRunTable(table: Table, name: string): Table {
  return isHistory(name, table.columns) ? historyTable(table, name) : table;
}

/** A file's bytes 4 MiB at a time; a read error is thrown as it is (the caller words it). */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const fh = await open(path);
  try {
    // One buffer for every read: each chunk is decoded before the next read (src/data/delimited.ts).
    const buf = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/**
 * A whole file's bytes, a named pipe included (polled, refused after `fifoWaitMs` without a byte, as for
 * tables): for study files and saved fits. Errors are Node's (the caller words them).
 */
export async function readBytes(path: string, name = path, fifoWaitMs = 10_000): Promise<Uint8Array> {
  const info = await stat(path);
  return info.isFIFO() ? readFifo(path, name, fifoWaitMs) : readFile(path);
}

function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ERR_FS_FILE_TOO_LARGE') return 'larger than 2 GiB';
  return code ?? String(err);
}

/**
 * A named pipe, read without blocking: opening one blocks until a writer opens it (forever, if none does),
 * so it is opened non-blocking and polled; without a first byte within `waitMs` it is refused by name.
 */
async function readFifo(path: string, name: string, waitMs: number): Promise<Uint8Array> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const chunks: Uint8Array[] = [];
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      const buf = new Uint8Array(1 << 16);
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, buf.length, null));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        n = -1; // a writer, but nothing written yet
      }
      if (n > 0) chunks.push(buf.subarray(0, n));
      // End of file: the writer closed (or, before any byte, no writer yet: wait for one).
      else if (n === 0 && chunks.length > 0) break;
      if (n <= 0) {
        if (chunks.length === 0 && Date.now() > deadline)
          throw new UserError(`${name}: a named pipe with nothing written to it after ${waitMs / 1000} s (no writer?)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  } finally {
    await fh.close();
  }
  return Buffer.concat(chunks);
}

/** The name a table read from standard input (`-`) has in messages and row origins. */
export const STDIN_NAME = 'stdin';

/** A run table from `bytes` read off standard input; its format is recognised from its content (CSV by default). */
export async function readStdinTable(read: () => Promise<Uint8Array>): Promise<Table> {
  let bytes: Uint8Array;
  try {
    bytes = await read();
  } catch (err) {
    throw new UserError(`${STDIN_NAME}: cannot read (${readError(err)})`);
  }
  if (bytes.length === 0) throw new UserError(`${STDIN_NAME}: nothing was read (empty input)`);
  return asRunTable(await parseUnnamedTable(STDIN_NAME, bytes), STDIN_NAME);
}
