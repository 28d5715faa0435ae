/**
 * A mistake in what the user gave us (a file, an option, a column). The CLI prints its message as one line,
 * `scalewise: error: <message>`, and exits with status 2. Anything else that is thrown is a bug (status 1).
 *
 * A message names options through {@link optionRef}, never by a front end's spelling: the CLI shows
 * `--bootstrap`, a study file `analyses[0].bootstrap`, the library the key `bootstrap`. `message` is the
 * library's form; {@link UserError.render} gives a front end's.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** The message with its option references in place. */
  readonly raw: string;
  constructor(raw: string) {
    super(renderRefs(raw, (key) => key));
    this.raw = raw;
  }
  /** The message with every option named as `name` spells it. */
  render(name: (key: string) => string): string {
    return renderRefs(this.raw, name);
  }
}

const OPEN = '\u{E000}';
const CLOSE = '\u{E001}';
const REF = /\u{E000}([^\u{E001}]*)\u{E001}/gu;

/** An option named inside an error message (`${optionRef('bootstrap')} needs at least 2 resamples`). */
export function optionRef(key: string): string {
  return `${OPEN}${key}${CLOSE}`;
}

function renderRefs(raw: string, name: (key: string) => string): string {
  return raw.replace(REF, (_, key: string) => name(key));
}

/** A UserError whose message is `prefix` and then the message of `err` (keeping its option references). */
export function withPrefix(prefix: string, err: unknown): unknown {
  return err instanceof UserError ? new UserError(`${prefix}${err.raw}`) : err;
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
  return parts.length ? `${parts.join(', ')}: ` : '';
}
