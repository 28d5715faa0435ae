import type { Cell } from './table.js';

// How a row's cells are held, so that 1e6 rows fit in a few hundred MiB: every row's values object has the
// same prototype (one without keys, so a column named `__proto__` or `toString` is a column like any other)
// and gets its keys in the same order, so V8 gives all rows of a file one hidden class instead of a hash
// table each (an `Object.create(null)` object is one); a cell that is a number written exactly as
// JavaScript writes it is held as that number, and repeated text is held once.

/** The prototype of every row's values: no keys of its own and no prototype, so `in` sees only columns. */
const NO_KEYS: object = Object.create(null);

/** An empty values object for one row (assign its columns in the file's order to share one shape). */
export function emptyValues(): Record<string, Cell> {
  return Object.create(NO_KEYS) as Record<string, Cell>;
}

/** Distinct texts remembered per column; past this a column is mostly unique text, and sharing saves nothing. */
const MAX_SHARED_TEXTS = 4096;

/**
 * A builder of values objects for rows of `columns` (already distinct), from their cells as read (untrimmed
 * text): trimmed, empty → null, see {@link textCell} for numbers.
 */
export function rowValues(columns: readonly string[]): (cells: readonly string[]) => Record<string, Cell> {
  const shared = columns.map(() => new Map<string, string>());
  return (cells) => {
    const values = emptyValues();
    for (let j = 0; j < columns.length; j++) {
      const v = textCell(cells[j]!.trim());
      if (typeof v !== 'string') values[columns[j]!] = v;
      else {
        const seen = shared[j]!;
        let s = seen.get(v);
        if (s === undefined) {
          s = own(v);
          if (seen.size < MAX_SHARED_TEXTS) seen.set(s, s);
        }
        values[columns[j]!] = s;
      }
    }
    return values;
  };
}

/**
 * A trimmed text cell as held: null when empty; a finite number when the text is exactly how JavaScript
 * writes that number (`String(x) === text`: `12`, `-0.5`, `1e+21`), so every reader — `String(cell)`, the
 * decimal check of the column readers, `--where`, group names — sees the same text as before; anything else
 * (`007`, `1e9`, `0x10`, `1.50`, `-0`, `NaN`, `true`) stays text.
 */
export function textCell(text: string): Cell {
  if (text === '') return null;
  const digits = canonicalDigits(text);
  if (digits === 0) return text;
  const x = Number(text);
  // Up to 15 significant digits, a decimal in JavaScript's layout is the shortest one of its number (two
  // such normal doubles), so it is how JavaScript writes it; longer ones and subnormals are checked by
  // writing the number (the slow part of reading a table of floats, so only when needed).
  if (!Number.isFinite(x) || (x === 0 && text !== '0')) return text;
  return (digits <= 15 && Math.abs(x) >= 2.2250738585072014e-308) || String(x) === text ? x : text;
}

/**
 * The significant digits of `s` when it is laid out as JavaScript writes a number — `-`, no leading zeros,
 * no trailing fractional zeros, `0.000001`…`999…` (21 integer digits) plain, otherwise one digit, a
 * fraction and `e+N`/`e-N` with N ≥ 21 or ≤ −7 — or 0 when it is not.
 */
function canonicalDigits(s: string): number {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const first = s.charCodeAt(i);
  if (!(first >= 48 && first <= 57)) return 0;
  const intStart = i;
  i++;
  if (first !== 48) while (i < n && isDigit(s.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  let fracDigits = 0;
  let leadingZeros = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    const from = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    fracDigits = i - from;
    if (fracDigits === 0 || s.charCodeAt(i - 1) === 48) return 0;
    if (first === 48) while (s.charCodeAt(from + leadingZeros) === 48) leadingZeros++;
  }
  if (i === n) {
    // Plain: 0.000001 ≤ |x| < 1e21.
    if (first === 48) return fracDigits === 0 ? 1 : leadingZeros <= 5 ? fracDigits - leadingZeros : 0;
    return intDigits <= 21 ? intDigits + fracDigits : 0;
  }
  // Exponential: one nonzero digit before the point, then e+N / e-N without leading zeros.
  if (intDigits !== 1 || first === 48 || s.charCodeAt(i) !== 101) return 0;
  const sign = s.charCodeAt(i + 1);
  if (sign !== 43 && sign !== 45) return 0;
  i += 2;
  if (i >= n || s.charCodeAt(i) === 48) return 0;
  let e = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) || e > 1000) return 0;
    e = e * 10 + (c - 48);
  }
  if (sign === 43 ? e < 21 : e < 7) return 0;
  return 1 + fracDigits;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A copy of `s` that does not point into the text it was cut from (V8 keeps a long slice as a view of its
 * parent, which would keep every chunk of the file alive through one label).
 */
function own(s: string): string {
  return s.length < 13 ? s : `${s} `.slice(0, -1);
}
