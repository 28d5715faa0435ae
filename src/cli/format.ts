/** Plain-text formatting for the human-readable output: numbers a person reads, tables that line up. */

/** 4 significant digits; exponent notation outside [1e-3, 1e6). */
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(digits - 1).replace('e+', 'e');
  return Number(v.toPrecision(digits)).toString();
}

export function range(lo: number, hi: number, digits = 4): string {
  return `[${num(lo, digits)}, ${num(hi, digits)}]`;
}

/** Aligns columns: numbers and intervals right, text left (first column). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
