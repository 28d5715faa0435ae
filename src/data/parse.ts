import { parse } from 'csv-parse/sync';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { UserError } from '../errors.js';
import type { Cell, Table } from './table.js';

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

/** Parses one run table from its bytes; `file` names it in errors and chooses the format by extension. */
export async function parseTable(file: string, bytes: Uint8Array): Promise<Table> {
  const ext = formatOf(file);
  if (ext === '.parquet') return parquet(file, bytes);
  const text = new TextDecoder().decode(bytes);
  switch (ext) {
    case '.csv':
      return delimited(file, text, ',');
    case '.tsv':
      return delimited(file, text, '\t');
    case '.json':
      return jsonArray(file, text);
    default:
      return jsonLines(file, text);
  }
}

function delimited(file: string, text: string, delimiter: string): Table {
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, skip_empty_lines: true, relax_column_count: false, trim: false });
  } catch (err) {
    const e = err as { lines?: number; message: string; record?: unknown[]; code?: string };
    // csv-parse counts lines from 1 including the header; data rows are 1-based after it.
    const where = e.lines !== undefined ? `, row ${e.lines - 1}` : '';
    if (e.code?.includes('RECORD') && e.record) {
      const header = text.split(/\r?\n/, 1)[0]!.split(delimiter).length;
      throw new UserError(`${file}${where}: ${e.record.length} cells where the header has ${header}`);
    }
    throw new UserError(`${file}${where}: ${e.message.split('\n')[0]}`);
  }
  if (records.length === 0) throw new UserError(`${file}: the file is empty (no header row)`);
  const columns = records[0]!.map((c) => c.trim());
  const rows = records.slice(1).map((rec, i) => {
    const values: Record<string, Cell> = {};
    columns.forEach((c, j) => {
      const v = rec[j]!;
      values[c] = v.trim() === '' ? null : v.trim();
    });
    return { origin: { file, row: i + 1 }, values };
  });
  return { columns, rows };
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
    const values: Record<string, Cell> = {};
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

/** JSON and Parquet values as cells: BigInt → number, Date → ISO text, booleans → 0/1. */
function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}
