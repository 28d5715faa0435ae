import type { Cell, Table } from './table.js';
import { rowValues } from './row-values.js';

// A streaming CSV/TSV reader for well-formed tables: bytes are decoded a chunk at a time and each record
// becomes its row as soon as it ends, so neither the whole text nor an array of every record is ever held
// (at 1e6 rows those were most of a command's peak memory). It reads what csv-parse reads with the options
// of `parse.ts` (quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF/LF/CR mixed, blank
// lines skipped, a BOM): anything else — a stray or unclosed quote, a ragged row, a repeated header name,
// an empty file — makes it give up (`undefined`), and the caller reads the file again with csv-parse, whose
// errors and row numbers are the ones the messages promise.

/** Bytes decoded per step: small next to a 1e6-row table, large enough that the per-chunk work is noise. */
export const CHUNK_BYTES = 1 << 22;
/** A record still unfinished after this many characters is not a run table's row: csv-parse judges it. */
const MAX_PENDING_CHARS = 1 << 24;

/**
 * The table in `bytes`, or `undefined` when the file is not plainly well formed (the caller then parses it
 * with csv-parse, which words the error). Cells as {@link rowValues} holds them. `chunkBytes`: tests make it
 * tiny, so that records, quotes, CRLFs and UTF-8 characters fall across chunk boundaries.
 */
export function readDelimited(file: string, bytes: Uint8Array, delimiter: ',' | '\t', chunkBytes = CHUNK_BYTES): Table | undefined {
  const reader = delimitedReader(file, delimiter);
  for (let at = 0; at < bytes.length; at += chunkBytes) if (!reader.push(bytes.subarray(at, Math.min(bytes.length, at + chunkBytes)))) return undefined;
  return reader.end();
}

/**
 * The same reading, fed a piece at a time (a file read in chunks, so its bytes are never all in memory):
 * `push` returns false once it has given up, `end` gives the table or `undefined`.
 */
export function delimitedReader(file: string, delimiter: ',' | '\t'): { push(chunk: Uint8Array): boolean; end(): Table | undefined } {
  const decoder = new TextDecoder();
  const sep = delimiter.charCodeAt(0);
  let columns: string[] | undefined;
  let make: ((cells: readonly string[]) => Record<string, Cell>) | undefined;
  const rows: Table['rows'] = [];
  let pending = '';
  let first = true;
  const record: string[] = [];

  /** Parses the complete records at the start of `text`; returns where the unfinished one starts, or -1 to give up. */
  const scan = (text: string, last: boolean): number => {
    const n = text.length;
    let start = 0; // start of the current record
    let pos = 0;
    record.length = 0;
    for (;;) {
      // One field at `pos`.
      let value: string;
      let quoted = false;
      if (pos < n && text.charCodeAt(pos) === 34) {
        quoted = true;
        let out = '';
        let from = pos + 1;
        let i = from;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) return last ? -1 : start; // unclosed here: wait for more text (or give up at the end)
          if (q + 1 < n && text.charCodeAt(q + 1) === 34) {
            out += text.slice(from, q + 1);
            i = q + 2;
            from = i;
            continue;
          }
          if (q + 1 >= n && !last) return start; // a quote at the end of the text may be the first of a pair
          value = out + text.slice(from, q);
          pos = q + 1;
          break;
        }
        const c = pos < n ? text.charCodeAt(pos) : -1;
        if (c !== -1 && c !== sep && c !== 10 && c !== 13) return -1; // csv-parse: Invalid Closing Quote
      } else {
        let i = pos;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === sep || c === 10 || c === 13) break;
          if (c === 34) return -1; // a quote inside an unquoted field: csv-parse's Invalid Opening Quote
          i++;
        }
        if (i >= n && !last) return start;
        value = text.slice(pos, i);
        pos = i;
      }
      const c = pos < n ? text.charCodeAt(pos) : -1;
      if (c === sep) {
        record.push(value);
        pos++;
        continue;
      }
      // End of a record (a line break, or the end of the last text).
      if (quoted || record.length > 0 || value !== '') {
        record.push(value);
        if (!take(record)) return -1;
      }
      record.length = 0;
      if (c === -1) return n;
      pos += c === 13 && pos + 1 < n && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
      if (c === 13 && pos >= n && !last) return pos; // a CR at the end: a following LF is then a blank line, skipped
      start = pos;
      if (pos >= n) return last ? n : pos;
    }
  };

  /** One record: the header, or a row of as many cells. */
  const take = (cells: string[]): boolean => {
    if (!columns) {
      columns = cells.map((c) => c.trim());
      if (new Set(columns).size !== columns.length) return false;
      make = rowValues(columns);
      return true;
    }
    if (cells.length !== columns.length) return false;
    const row = rows.length + 1;
    rows.push({ origin: { file, row }, values: make!(cells) });
    return true;
  };

  let failed = false;
  const step = (chunk: Uint8Array, last: boolean): boolean => {
    if (failed) return false;
    let text = decoder.decode(chunk, { stream: !last });
    if (first && text !== '') {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // csv-parse's `bom`: TextDecoder already took one
      first = false;
    }
    const all = pending + text;
    const done = scan(all, last);
    pending = done < 0 ? '' : all.slice(done);
    failed = done < 0 || pending.length > MAX_PENDING_CHARS;
    return !failed;
  };
  return {
    push: (chunk) => step(chunk, false),
    end: () => (step(new Uint8Array(0), true) && columns ? { columns, rows } : undefined),
  };
}
