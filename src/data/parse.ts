import { parse } from 'csv-parse/sync';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { UserError } from '../errors.js';
import { delimitedReader, readDelimited } from './delimited.js';
import { emptyValues, rowValues } from './row-values.js';
import type { Cell, Table, TableRow } from './table.js';

// Bytes → Table for every run-table format, without Node: the CLI reads files with it and the dashboard
// parses uploads with it, so a bad file gives the same one-line error in both.

/** The run-table formats, by file extension. */
export const tableFormats = ['.csv', '.tsv', '.json', '.jsonl', '.ndjson', '.parquet'];

/** The file's format (its extension, lower-cased); an unknown one is an error naming the file. */
export function formatOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot).toLowerCase() : '';
  if (!tableFormats.includes(ext)) {
    throw new UserError(`${file}: unknown format "${ext || '(no extension)'}" (expected ${tableFormats.join(', ')})`);
  }
  return ext;
}

/**
 * V8's longest string (2^29 − 24 UTF-16 units): a text table with more bytes may not fit in one, so it is
 * refused by name before decoding instead of failing inside the decoder.
 */
export const MAX_TEXT_BYTES = 0x1fffffe8;

/** Parses one run table from its bytes; `file` names it in errors and chooses the format by extension. */
export async function parseTable(file: string, bytes: Uint8Array, limits: { maxTextBytes?: number } = {}): Promise<Table> {
  return parseAs(formatOf(file), file, bytes, limits.maxTextBytes ?? MAX_TEXT_BYTES);
}

/**
 * A CSV or TSV file read in `chunks` (the CLI reads a large table so, never holding all its bytes), as
 * {@link parseTable} would read it whole; `whole` reads it again in one piece when the streaming reader gives
 * up and csv-parse is to word the error.
 */
export async function parseDelimitedFile(file: string, chunks: AsyncIterable<Uint8Array>, whole: () => Promise<Uint8Array>): Promise<Table> {
  const ext = formatOf(file);
  if (!isDelimited(ext)) return parseTable(file, await whole());
  const delimiter = delimiterOf(ext);
  const reader = delimitedReader(file, delimiter);
  for await (const chunk of chunks) if (!reader.push(chunk)) break;
  // Given up: csv-parse reads it whole (the streaming reader would only give up on it again).
  return withRuns(file, reader.end() ?? delimitedByCsvParse(file, delimitedInput(await whole()), delimiter));
}

/** Whether `ext` is read by the streaming delimited reader. */
export function isDelimited(ext: string): boolean {
  return ext === '.csv' || ext === '.tsv';
}

function delimiterOf(ext: string): ',' | '\t' {
  return ext === '.csv' ? ',' : '\t';
}

/**
 * Parses a table given without a file name (stdin): the format is sniffed from its first bytes — Parquet's
 * magic, `[` (a JSON array), `{` (JSON lines), a tab before any comma in the first line (TSV), else CSV.
 */
export async function parseUnnamedTable(name: string, bytes: Uint8Array): Promise<Table> {
  return parseAs(sniffFormat(bytes), name, bytes, MAX_TEXT_BYTES);
}

function sniffFormat(bytes: Uint8Array): string {
  if (bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === 'PAR1') return '.parquet';
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).trimStart();
  if (head.startsWith('[')) return '.json';
  if (head.startsWith('{')) return '.jsonl';
  const line = head.split(/\r?\n/, 1)[0]!;
  const tab = line.indexOf('\t');
  const comma = line.indexOf(',');
  return tab >= 0 && (comma < 0 || tab < comma) ? '.tsv' : '.csv';
}

async function parseAs(ext: string, file: string, bytes: Uint8Array, maxTextBytes: number): Promise<Table> {
  let table: Table;
  if (ext === '.parquet') table = await parquet(file, bytes);
  else {
    checkTextSize(ext, file, bytes.byteLength, maxTextBytes);
    if (isDelimited(ext)) table = delimited(file, bytes, delimiterOf(ext));
    else {
      const text = new TextDecoder().decode(bytes);
      table = ext === '.json' ? jsonArray(file, text) : jsonLines(file, text);
    }
  }
  return withRuns(file, table);
}

/** A table without runs is a mistake (a wrong file, a failed export), not an analysis of nothing. */
function withRuns(file: string, table: Table): Table {
  if (table.rows.length === 0) throw new UserError(`${file}: no runs (${table.columns.length ? 'a header and no rows' : 'no rows'})`);
  return table;
}

/** A text table of `size` bytes over the limit is refused by name (a reader checks the size before reading). */
export function checkTextSize(ext: string, file: string, size: number, maxTextBytes = MAX_TEXT_BYTES): void {
  if (ext === '.parquet' || size <= maxTextBytes) return;
  throw new UserError(
    `${file}: too large to read as text (${mib(size)} MiB; the limit is ${mib(maxTextBytes)} MiB): split it into several files or convert it to Parquet`,
  );
}

function mib(bytes: number): string {
  return String(Math.round((bytes / 2 ** 20) * 10) / 10);
}

/**
 * What csv-parse reads: a Node Buffer as it is (csv-parse decodes its bytes itself and would turn text back into
 * a Buffer: two extra copies of a large file), anything else (a browser upload) decoded as UTF-8 text.
 */
function delimitedInput(bytes: Uint8Array): string | Uint8Array {
  return typeof (bytes as { readUInt8?: unknown }).readUInt8 === 'function' ? bytes : new TextDecoder().decode(bytes);
}

/**
 * A CSV or TSV table: read by the streaming reader (`delimited.ts`), or, when that gives up on a file that
 * is not plainly well formed, by csv-parse, which words the error (or reads an odd but valid file).
 */
function delimited(file: string, bytes: Uint8Array, delimiter: ',' | '\t'): Table {
  return readDelimited(file, bytes, delimiter) ?? delimitedByCsvParse(file, delimitedInput(bytes), delimiter);
}

/** csv-parse's reading of a delimited table: the reference the streaming reader matches, and its errors. */
export function delimitedByCsvParse(file: string, text: string | Uint8Array, delimiter: string): Table {
  let columns: string[] | undefined;
  let valuesOf: ((cells: readonly string[]) => Record<string, Cell>) | undefined;
  const rows: TableRow[] = [];
  // Each record becomes a row as csv-parse reads it (`on_record` returning null keeps nothing): no array of every
  // record as strings is held beside the rows, which was most of the peak memory of a large table.
  const toRow = (rec: string[]): null => {
    if (columns === undefined) {
      columns = rec.map((c) => c.trim());
      checkHeader(file, columns);
      valuesOf = rowValues(columns);
      return null;
    }
    const row = rows.length + 1;
    if (rec.length !== columns.length) throw new UserError(`${file}, row ${row}: ${rec.length} cells where the header has ${columns.length}`);
    rows.push({ origin: { file, row }, values: valuesOf!(rec) });
    return null;
  };
  try {
    // Any of CRLF, LF and CR ends a record, even mixed in one file (a CRLF header with LF rows).
    // Column counts are checked per record, so a row is numbered by data rows, not by csv-parse's physical lines.
    parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      trim: false,
      on_record: toRow,
    });
  } catch (err) {
    if (err instanceof UserError) throw err;
    const e = err as { records?: number; message: string };
    // `records` counts the complete records before the bad one, the header included: the bad one is data row `records`.
    const where = e.records === undefined ? '' : e.records === 0 ? ', header' : `, row ${e.records}`;
    throw new UserError(`${file}${where}: ${e.message.split('\n')[0]!.replace(/ at line \d+/, '')}`);
  }
  if (columns === undefined) throw new UserError(`${file}: the file is empty (no header row)`);
  return { columns, rows };
}

/** A header names each column once: a repeated name would silently keep only its last column. */
function checkHeader(file: string, columns: string[]): void {
  const first = new Map<string, number>();
  columns.forEach((c, j) => {
    const k = first.get(c);
    if (k !== undefined) throw new UserError(`${file}, header: column ${JSON.stringify(c)} appears twice (columns ${k + 1} and ${j + 1})`);
    first.set(c, j);
  });
}

function jsonArray(file: string, text: string): Table {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(data)) throw new UserError(`${file}: expected a JSON array of objects, one per run`);
  return fromObjects(file, data, (i) => i + 1);
}

function jsonLines(file: string, text: string): Table {
  const objects: unknown[] = [];
  let row = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    row++;
    try {
      objects.push(JSON.parse(line));
    } catch (err) {
      throw new UserError(`${file}, row ${row}: not valid JSON (${(err as Error).message})`);
    }
  }
  return fromObjects(file, objects, (i) => i + 1);
}

async function parquet(file: string, bytes: Uint8Array): Promise<Table> {
  let objects: Record<string, unknown>[];
  try {
    // hyparquet reads an ArrayBuffer directly; copy out exactly this file's bytes (a Buffer may share a larger pool).
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    objects = await parquetReadObjects({ file: buffer, compressors });
  } catch (err) {
    throw new UserError(`${file}: cannot read Parquet (${(err as Error).message})`);
  }
  return fromObjects(file, objects, (i) => i + 1);
}

function fromObjects(file: string, objects: unknown[], rowOf: (i: number) => number): Table {
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows = objects.map((obj, i) => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new UserError(`${file}, row ${rowOf(i)}: expected an object with one key per column`);
    }
    const values = emptyValues();
    for (const [k, v] of Object.entries(obj)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
      values[k] = cell(v);
    }
    return { origin: { file, row: rowOf(i) }, values };
  });
  return { columns, rows };
}

/**
 * JSON and Parquet values as cells: BigInt → number, Date → ISO text, booleans → `true`/`false` as text (a
 * boolean is not a number: `true` as a loss is an error, and `--where flag=true` still matches).
 */
function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}
