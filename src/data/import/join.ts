import { UserError } from '../../errors.js';
import { listColumns, type Cell, type Table } from '../table.js';
import type { Imported } from './canonical.js';
import { notFound } from './names.js';

// Imported rows joined to a run table (`--runs FILE --join COL`): each imported row takes the columns of the
// one run it belongs to — lm-eval rows by model name or path, checkpoint rows by run name. A model path names
// a run when the run's name is the path, one of its folders (`/ckpt/olmo-190m-1xC/step5000-hf` → `olmo-190m-1xC`),
// or the path as the harness sanitises it (`EleutherAI__pythia-160m`).

export function joinRuns(imported: Imported, runs: Table, join: string, flag: string): Imported {
  const file = runs.rows[0]?.origin.file ?? 'the run table';
  if (!runs.columns.includes(join)) throw new UserError(`${file}: ${flag} "${join}": ${notFound('column', join, runs.columns)}`);
  const key = imported.keys.find((k) => imported.table.columns.includes(k))!;
  const clash = imported.table.columns.find((c) => c !== join && c !== key && runs.columns.includes(c));
  if (clash) throw new UserError(`column "${clash}" is both in ${file} and in the imported rows (drop it from one)`);
  const names = runs.rows.map((r) => text(r.values[join] ?? null));
  const used = new Set<number>();
  const rows = imported.table.rows.map((row) => {
    const k = text(row.values[key] ?? null);
    const hits = matches(k, names);
    if (hits.length === 0)
      throw new UserError(
        `${row.origin.file}: ${key} "${k}" names no run of ${file} (${flag} ${join}; ${notFound('run', k, names)
          .replace(/^no run "[^"]*" \(/, '')
          .replace(/\)$/, '')})`,
      );
    if (hits.length > 1) {
      const shown = hits.map((i) => `"${names[i]}" (row ${runs.rows[i]!.origin.row})`).join(' and ');
      throw new UserError(`${row.origin.file}: ${key} "${k}" names several runs of ${file}: ${shown}`);
    }
    used.add(hits[0]!);
    return { origin: row.origin, values: { ...row.values, ...runs.rows[hits[0]!]!.values } };
  });
  const columns = [...runs.columns, ...imported.table.columns.filter((c) => !runs.columns.includes(c))];
  const unused = names.filter((_, i) => !used.has(i));
  const notes = unused.length
    ? [`${unused.length} run${unused.length === 1 ? '' : 's'} of ${file} ha${unused.length === 1 ? 's' : 've'} no imported row: ${listColumns(unused)}`]
    : [];
  return { table: { columns, rows }, keys: [join, ...imported.keys.filter((k) => k !== key)], notes: [...imported.notes, ...notes] };
}

/** The runs `k` names: exact matches if any, else by folder or sanitised path. */
function matches(k: string, names: string[]): number[] {
  const exact = names.flatMap((n, i) => (n === k ? [i] : []));
  if (exact.length) return exact;
  const folders = k.split(/[\\/]/);
  const sanitised = k.replace(/[\\/]+/g, '__');
  return names.flatMap((n, i) => (n !== '' && (folders.includes(n) || n === sanitised || n.replace(/[\\/]+/g, '__') === sanitised) ? [i] : []));
}

function text(v: Cell): string {
  return v === null ? '' : String(v);
}
