import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { UserError } from '../errors.js';
import { concatTables, type Cell, type Table } from './table.js';

const formats = ['.csv', '.tsv', '.json', '.jsonl', '.ndjson', '.parquet'];

/** Reads several run tables and stacks their rows (each row keeps its own file for error messages). */
export async function readTables(paths: string[]): Promise<Table> {
  const tables: Table[] = [];
  for (const p of paths) tables.push(await readTable(p));
  return concatTables(tables);
}

/** Reads one run table, choosing the format by the file's extension. */
export async function readTable(path: string): Promise<Table> {
  const ext = extname(path).toLowerCase();
  if (!formats.includes(ext)) {
    throw new UserError(`${path}: unknown format "${ext || '(no extension)'}" (expected ${formats.join(', ')})`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read file (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(err)})`);
  }
  switch (ext) {
    case '.csv':
      return delimited(path, bytes.toString('utf8'), ',');
    case '.tsv':
      return delimited(path, bytes.toString('utf8'), '\t');
    case '.json':
      return jsonArray(path, bytes.toString('utf8'));
    case '.jsonl':
    case '.ndjson':
      return jsonLines(path, bytes.toString('utf8'));
    default:
      return parquet(path);
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

async function parquet(file: string): Promise<Table> {
  let objects: Record<string, unknown>[];
  try {
    objects = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
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
      if (!seen.has(k)) { seen.add(k); columns.push(k); }
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
