/**
 * What an analysis shows a person, as data: headings, lines of text and tables (columns, rows of cells).
 * One model, two renderings — aligned plain text (the CLI) and HTML (the report, the dashboard) — so the
 * report never re-reads the CLI's text.
 */

export type Block =
  /** A group's heading (`== fineweb` in text). */
  | { kind: 'heading'; text: string }
  /** One line of text: a formula, a note under a table. */
  | { kind: 'line'; text: string }
  /** A table: a header row and rows of formatted cells; the first column is text, the rest right-aligned. */
  | { kind: 'table'; columns: string[]; rows: string[][] }
  /** A blank line between parts. */
  | { kind: 'gap' };

export const gap: Block = { kind: 'gap' };
export const line = (text: string): Block => ({ kind: 'line', text });
export const heading = (text: string): Block => ({ kind: 'heading', text });
export const table = (columns: string[], rows: string[][]): Block => ({ kind: 'table', columns, rows });

/** The blocks as aligned plain text, as the CLI prints them (trailing gaps dropped). */
export function toText(blocks: readonly Block[]): string {
  const end = lastContent(blocks);
  return blocks
    .slice(0, end)
    .map((b) => (b.kind === 'gap' ? '' : b.kind === 'heading' ? `== ${b.text}` : b.kind === 'line' ? b.text : alignedTable(b.columns, b.rows)))
    .join('\n');
}

/** The blocks as HTML: tables as `<table>`, headings as `<h3>`, lines as paragraphs. */
export function toHtml(blocks: readonly Block[]): string {
  return blocks
    .flatMap((b) => {
      if (b.kind === 'gap') return [];
      if (b.kind === 'heading') return [`<h3>${escapeHtml(b.text)}</h3>`];
      if (b.kind === 'line') return b.text.trim() ? [`<p>${escapeHtml(b.text)}</p>`] : [];
      const head = b.columns.map((c) => `<th>${escapeHtml(c.trim())}</th>`).join('');
      const body = b.rows.map((r) => `<tr>${b.columns.map((_, j) => `<td>${escapeHtml((r[j] ?? '').trim())}</td>`).join('')}</tr>`).join('');
      return [`<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`];
    })
    .join('\n');
}

/** Aligns columns: the first left, the others right; a rule of dashes under the header. */
export function alignedTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => rows.reduce((w, r) => Math.max(w, (r[j] ?? '').length), h.length));
  const row = (cells: string[]) =>
    cells
      .map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...rows.map(row)].join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function lastContent(blocks: readonly Block[]): number {
  let end = blocks.length;
  while (end > 0 && blocks[end - 1]!.kind === 'gap') end--;
  return end;
}
