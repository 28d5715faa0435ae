/**
 * A mistake in what the user gave us (a file, a flag, a column). The CLI prints its message as one line,
 * `scalewise: error: <message>`, and exits with status 2. Anything else that is thrown is a bug (status 1).
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** Where a value came from, so an error can name it. `row` is the 1-based data row (header excluded). */
export interface Origin {
  file: string;
  row: number;
}

/** `file, row 12, column "loss": ` — the prefix every data error starts with. */
export function at(origin: Origin | undefined, column?: string): string {
  const parts: string[] = [];
  if (origin) parts.push(origin.file, `row ${origin.row}`);
  if (column !== undefined) parts.push(`column "${column}"`);
  return parts.length ? parts.join(', ') + ': ' : '';
}
