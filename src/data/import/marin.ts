import { UserError } from '../../errors.js';
import type { Cell } from '../table.js';
import { Checkpoints, folderName, type Imported, type InputFile, stepOf } from './canonical.js';
import { isObject, jsonPath, metricCell, parseJson, shown } from './json.js';

// Marin's tracker_metrics.jsonl, next to a run's checkpoints, in either of the forms Marin writes:
// - Levanter's json_logger stream: one event a line, `{"tracker": "json_logger", "event": "log", "run_id",
//   "step", "metrics": {…}}` — one row per step (several events at one step merge);
// - the W&B replicate record written at the end of a run: `{"config": {…}, "summary": {…}}` — one row, at the
//   summary's `_step` (its config flattened into `config.…` columns).
// A stream's `summary` events repeat the last logged values and are used only when there is no `log` event.
// The run is the event's run_id, else the file's folder (Marin's output path is the run's name).

export async function importMarin(files: readonly InputFile[]): Promise<Imported> {
  const out = new Checkpoints();
  const notes: string[] = [];
  for (const f of files) {
    let row = 0;
    const summaries: {
      where: string;
      origin: { file: string; row: number };
      run: string | null;
      step: unknown;
      metrics: Record<string, unknown>;
      label: string;
    }[] = [];
    let logged = 0;
    for (const line of new TextDecoder().decode(f.bytes).split(/\r?\n/)) {
      if (line.trim() === '') continue;
      row++;
      const where = `${f.name}, row ${row}: `;
      const origin = { file: f.name, row };
      const e = parseJson(line, where);
      if (!isObject(e)) throw new UserError(`${where}expected a JSON object, got ${shown(e)}`);
      const run = typeof e.run_id === 'string' ? e.run_id : folderName(f.name);
      if (isObject(e.summary) && !('event' in e)) {
        const config = isObject(e.config) ? flatten(e.config, 'config') : {};
        summaries.push({ where, origin, run, step: e.summary._step, metrics: { ...e.summary, ...config }, label: 'summary' });
      } else if ('event' in e || 'metrics' in e) {
        if (e.event !== undefined && e.event !== 'log' && e.event !== 'summary') continue; // hparams, artifacts
        if (!isObject(e.metrics)) throw new UserError(`${where}metrics: expected an object, got ${shown(e.metrics)}`);
        if (e.event === 'summary') summaries.push({ where, origin, run, step: e.step ?? e.metrics._step, metrics: e.metrics, label: 'metrics' });
        else if (e.event === undefined || e.event === 'log') {
          logged++;
          add(out, where, origin, run, stepOf(e.step, `${where}step: `), e.metrics, 'metrics');
        }
      } else throw new UserError(`${where}expected a json_logger event ({"event", "step", "metrics"}) or a {"config", "summary"} record`);
    }
    if (row === 0) throw new UserError(`${f.name}: the file is empty`);
    if (logged === 0) for (const s of summaries) add(out, s.where, s.origin, s.run, stepOf(s.step, `${s.where}${s.label}._step: `), s.metrics, s.label);
    else if (summaries.length) notes.push(`${f.name}: summary records left out (they repeat the last logged values)`);
  }
  return { table: out.table(), keys: ['run', 'step'], notes };
}

function add(
  out: Checkpoints,
  where: string,
  origin: { file: string; row: number },
  run: string | null,
  step: number,
  metrics: Record<string, unknown>,
  key: string,
): void {
  for (const [k, v] of Object.entries(metrics)) {
    if (k === '_step' || isObject(v) || Array.isArray(v)) continue; // histograms and tables are not run-table cells
    const path = `${where}${jsonPath([key, k])}`;
    // A W&B summary and its config may hold text (a tokenizer's name, a logged string); logged metrics must be numbers.
    const cell: Cell = key === 'summary' && typeof v === 'string' ? v : metricCell(v, path);
    out.add(origin, `${path}: `, run, step, k, cell);
  }
}

/** Nested config → `config.trainer.seed`-style keys with scalar values. */
function flatten(obj: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = `${prefix}.${k}`;
    if (isObject(v)) Object.assign(out, flatten(v, key));
    else if (!Array.isArray(v)) out[key] = v;
  }
  return out;
}
