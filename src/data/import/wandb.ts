import { UserError } from '../../errors.js';
import { parseTable } from '../parse.js';
import { concatTables, listColumns, type Table } from '../table.js';
import type { Imported, InputFile } from './canonical.js';

// A W&B runs-table export (Runs → Export as CSV): one row per run, every header and cell quoted, config
// columns (`model.d_model`, `optimizer.lr`) and summary metrics (`eval/paloma/macro_loss`,
// `throughput/total_tokens`) side by side. Names are kept as W&B wrote them — `--where`, `--loss`, `--flops`
// take them with their slashes and dots — and cells as text, in W&B's units: nothing is rescaled.

/** Where the run's name comes from, in order of preference. */
const runColumns = ['Name', 'name', 'ID', 'id', 'run_id'];

export async function importWandbRuns(files: readonly InputFile[]): Promise<Imported> {
  const tables: Table[] = [];
  for (const f of files) {
    if (!/\.csv$/i.test(f.name)) throw new UserError(`${f.name}: the wandb importer reads a runs-table CSV export (.csv)`);
    const t = await parseTable(f.name, f.bytes);
    const source = t.columns.includes('run') ? 'run' : runColumns.find((c) => t.columns.includes(c));
    if (!source) throw new UserError(`${f.name}: no run name column (expected one of Name, ID; columns: ${listColumns(t.columns)})`);
    const rows = t.rows.map((r) => ({ origin: r.origin, values: { run: r.values[source] ?? null, ...r.values } }));
    tables.push({ columns: ['run', ...t.columns.filter((c) => c !== 'run')], rows });
  }
  return { table: concatTables(tables), keys: ['run'], notes: [] };
}
