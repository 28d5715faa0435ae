import type { Cell, Table } from '../table.js';

// The canonical table as bytes. CSV cells are written as read (text stays text: a GFLOPs cell keeps its
// digits), numbers in JavaScript's shortest round-trip form, so the same table always gives the same bytes.

/** RFC 4180 CSV: a header row, `\n` line ends, a cell quoted when it holds a comma, quote, line break or edge space. */
export function toCsv(table: Table): string {
  const lines = [table.columns.map(quoted).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => quoted(text(row.values[c] ?? null))).join(','));
  return `${lines.join('\n')}\n`;
}

function text(v: Cell): string {
  return v === null ? '' : String(v);
}

function quoted(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Parquet columns for hyparquet-writer: a column whose every cell is a number (or numeric text) is DOUBLE, else STRING. */
export function parquetColumns(table: Table): { name: string; data: (number | string | null)[]; type: 'DOUBLE' | 'STRING' }[] {
  return table.columns.map((name) => {
    const cells = table.rows.map((r) => r.values[name] ?? null);
    const numeric = cells.every((v) => v === null || typeof v === 'number' || (v.trim() !== '' && Number.isFinite(Number(v))));
    return numeric
      ? { name, data: cells.map((v) => (v === null ? null : Number(v))), type: 'DOUBLE' as const }
      : { name, data: cells.map((v) => (v === null ? null : String(v))), type: 'STRING' as const };
  });
}
