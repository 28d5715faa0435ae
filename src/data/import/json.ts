import { UserError } from '../../errors.js';

// JSON as training frameworks write it: Python's json.dumps writes NaN and Infinity, which JSON.parse refuses.
// They become null (an empty cell), so a diverged run's NaN loss is a gap, not an unreadable file.

/** Parses JSON text; `where` prefixes the error (`file: ` or `file, row 3: `). */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const fixed = text.replace(/([:,[]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '$1null');
    if (fixed !== text) {
      try {
        return JSON.parse(fixed);
      } catch {}
    }
    throw new UserError(`${where}not valid JSON (${(err as Error).message})`);
  }
}

/** `results.hellaswag["acc,none"]`: a JSON path as people read it (dots for plain keys, brackets otherwise). */
export function jsonPath(keys: readonly (string | number)[]): string {
  let out = '';
  for (const k of keys) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k)) out += out ? `.${k}` : k;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}

/** A plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A value as an error shows it: strings quoted, everything else as JSON. */
export function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** A metric value as a cell: numbers as they are, null/NaN as empty, booleans as 0/1; anything else is an error at `path`. */
export function metricCell(v: unknown, path: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new UserError(`${path}: expected a number, got ${shown(v)}`);
}
