import { optionRef, UserError } from '../errors.js';
import { decimal } from './columns.js';
import { listColumns, type Cell, type Table } from './table.js';

/** One `--where` condition. */
export interface Filter {
  column: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  value: string;
  /** As the user typed it, for messages. */
  text: string;
}

const ops = ['!=', '<=', '>=', '=', '<', '>'] as const;

/** Parses `COL=VALUE`, `COL!=VALUE`, `COL<VALUE`, `COL<=VALUE`, `COL>VALUE`, `COL>=VALUE`. */
export function parseFilter(text: string, flag = optionRef('where')): Filter {
  // The first operator character splits column from value; a two-character operator wins over its prefix.
  const at = text.search(/[=<>!]/);
  if (at <= 0) throw new UserError(`${flag} "${text}": expected COL=VALUE (or !=, <, <=, >, >=)`);
  const rest = text.slice(at);
  const op = ops.find((o) => rest.startsWith(o));
  if (!op) throw new UserError(`${flag} "${text}": expected COL=VALUE (or !=, <, <=, >, >=)`);
  const column = text.slice(0, at).trim();
  const value = rest.slice(op.length).trim();
  if (op !== '=' && op !== '!=' && !isNumber(value)) throw new UserError(`${flag} "${text}": "${value}" is not a number`);
  return { column, op, value, text };
}

/** Rows where every filter holds. Unknown columns and empty results are errors, not silent nothing. */
export function applyFilters(table: Table, filters: Filter[], flag = optionRef('where')): Table {
  if (filters.length === 0) return table;
  for (const f of filters) {
    if (!table.columns.includes(f.column)) {
      throw new UserError(`${flag} "${f.text}": no column "${f.column}" (columns: ${listColumns(table.columns)})`);
    }
  }
  const rows = table.rows.filter((r) => filters.every((f) => holds(r.values[f.column] ?? null, f)));
  if (rows.length === 0) {
    throw new UserError(`no runs left after ${filters.map((f) => `${flag} ${f.text}`).join(' ')} (${table.rows.length} rows before)`);
  }
  return { columns: table.columns, rows };
}

function holds(cell: Cell, f: Filter): boolean {
  const text = cell === null ? '' : String(cell);
  const both = isNumber(text) && isNumber(f.value);
  switch (f.op) {
    case '=':
      return both ? decimal(text) === decimal(f.value) : text === f.value;
    case '!=':
      return both ? decimal(text) !== decimal(f.value) : text !== f.value;
    default: {
      if (!isNumber(text)) return false;
      const a = decimal(text),
        b = decimal(f.value);
      return f.op === '<' ? a < b : f.op === '<=' ? a <= b : f.op === '>' ? a > b : a >= b;
    }
  }
}

/** A finite decimal number (`0x10` is not one: in a run table it is a mistake, as the column readers say). */
function isNumber(s: string): boolean {
  return Number.isFinite(decimal(s));
}
