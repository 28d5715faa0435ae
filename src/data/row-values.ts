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
  const x = Number(text);
  return Number.isFinite(x) && String(x) === text ? x : text;
}

/**
 * A copy of `s` that does not point into the text it was cut from (V8 keeps a long slice as a view of its
 * parent, which would keep every chunk of the file alive through one label).
 */
function own(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}
