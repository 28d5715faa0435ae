import { UserError } from '../../errors.js';
import type { Cell, Table } from '../table.js';
import { baseName, byName, folderName, type Imported, type InputFile } from './canonical.js';
import { isObject, jsonPath, metricCell, parseJson, shown } from './json.js';

// lm-evaluation-harness output (`--output_path DIR --log_samples`): DIR/<model_name_sanitized>/results_<date>.json
// holds per task `"acc,none"`, `"acc_stderr,none"` … (metric, then the filter); samples_<task>_<date>.jsonl
// holds one line per document and filter, with each request's loglikelihood in `filtered_resps`.
// One row per model (and revision): `acc_task_hellaswag`, `acc_stderr_task_hellaswag`, the filter in the
// name when it is not `none` (`exact_match_strict-match_task_gsm8k`), and from the samples the mean answer
// NLL `loss_task_<task>` (the summed loglikelihood of the gold continuation, as the harness logs it).

interface Model {
  model: string;
  revision: string | null;
  file: string;
  values: Map<string, { value: Cell; where: string }>;
}

/**
 * How a document's answer loss is counted: the harness's summed loglikelihood of the answer (`total`, column
 * `loss_task_<task>`), per character of the answer (`per-char`, `loss_per_char_task_<task>`), or in bits per
 * UTF-8 byte (`bpb`, `bpb_task_<task>`). Per token needs the tokenizer, which the log does not name.
 */
export const answerLosses = ['total', 'per-char', 'bpb'] as const;
export type AnswerLoss = (typeof answerLosses)[number];

const lossPrefix: Record<AnswerLoss, string> = { total: 'loss', 'per-char': 'loss_per_char', bpb: 'bpb' };

export async function importLmEval(files: readonly InputFile[], answerLoss: AnswerLoss = 'total'): Promise<Imported> {
  const models = new Map<string, Model>();
  const notes: string[] = [];
  // Results first: a samples file finds its model through the results file of the same run (same folder and date).
  const byRun = new Map<string, Model>();
  const results = files.filter((f) => !/\.jsonl$/i.test(f.name));
  const samples = files.filter((f) => /\.jsonl$/i.test(f.name));
  for (const f of results) {
    const doc = parseJson(new TextDecoder().decode(f.bytes), `${f.name}: `);
    const m = modelOf(f.name, doc, models);
    readResults(f.name, doc as Record<string, unknown>, m);
    const date = /results_(.+)\.json$/i.exec(baseName(f.name))?.[1];
    if (date) byRun.set(`${folderOf(f.name)}|${date}`, m);
  }
  for (const f of samples) {
    const name = /^samples_(.+)_(\d{4}-\d{2}-\d{2}T[\d.-]+)\.jsonl$/i.exec(baseName(f.name));
    if (!name) throw new UserError(`${f.name}: expected the harness's name samples_<task>_<date>.jsonl (the task is read from it)`);
    const [, task, date] = name as unknown as [string, string, string];
    let m = byRun.get(`${folderOf(f.name)}|${date}`);
    if (!m) {
      const folder = folderName(f.name);
      if (!folder) throw new UserError(`${f.name}: no results_${date}.json given with it, and no folder to name its model`);
      m = model(models, folder.replace(/__/g, '/'), null, f.name);
    }
    const losses = sampleLosses(f.name, new TextDecoder().decode(f.bytes), answerLoss);
    if (losses === 'generated') notes.push(`${f.name}: the responses are not [loglikelihood, is_greedy] pairs (generated text?): no loss for task "${task}"`);
    else for (const [filter, loss] of losses) put(m, column(lossPrefix[answerLoss], filter, task), loss, f.name);
  }
  return { table: tableOf([...models.values()]), keys: ['model', 'revision'], notes };
}

function folderOf(file: string): string {
  return file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** `acc_task_hellaswag`; a filter other than `none` goes before `_task_`: `exact_match_strict-match_task_gsm8k`. */
export function column(metric: string, filter: string, task: string): string {
  return filter === 'none' ? `${metric}_task_${task}` : `${metric}_${filter}_task_${task}`;
}

/** The model a results file is about: `model_name`, else `pretrained=` (or `model=`, `path=`) in config.model_args. */
function modelOf(file: string, doc: unknown, models: Map<string, Model>): Model {
  if (!isObject(doc)) throw new UserError(`${file}: expected a JSON object (an lm-evaluation-harness results_<date>.json)`);
  const config = isObject(doc.config) ? doc.config : {};
  const args = modelArgs(config.model_args);
  const name = typeof doc.model_name === 'string' && doc.model_name !== '' ? doc.model_name : (args.pretrained ?? args.model ?? args.path);
  if (name === undefined) throw new UserError(`${file}: config.model_args: no model name (expected model_name, or pretrained=… in config.model_args)`);
  const revision = args.revision ?? (typeof config.model_revision === 'string' ? config.model_revision : null);
  const m = model(models, name, revision, file);
  if (typeof config.model_num_parameters === 'number') put(m, 'model_num_parameters', config.model_num_parameters, `${file}: config.model_num_parameters`);
  return m;
}

/** `pretrained=EleutherAI/pythia-160m,revision=step1000` (or the same as an object) → its fields. */
function modelArgs(v: unknown): Record<string, string> {
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  if (typeof v !== 'string') return {};
  const out: Record<string, string> = {};
  for (const part of v.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function model(models: Map<string, Model>, name: string, revision: string | null, file: string): Model {
  const key = JSON.stringify([name, revision]);
  let m = models.get(key);
  if (!m) {
    m = { model: name, revision, file, values: new Map() };
    models.set(key, m);
  }
  return m;
}

/** One value of a model's row; the same column from two files with two values is an error naming both. */
function put(m: Model, col: string, value: Cell, where: string): void {
  const before = m.values.get(col);
  if (before && before.value !== null && value !== null && before.value !== value) {
    throw new UserError(`${where}: ${value} for model "${m.model}", but ${before.where} has ${before.value}`);
  }
  if (!before || before.value === null) m.values.set(col, { value, where });
}

/** Skipped keys of a task's results: its display fields, not metrics. */
const notMetrics = new Set(['alias', 'name', 'sample_len', 'sample_count']);

function readResults(file: string, doc: Record<string, unknown>, m: Model): void {
  if (!isObject(doc.results))
    throw new UserError(`${file}: results: expected an object with one entry per task (an lm-evaluation-harness results_<date>.json)`);
  for (const [task, metrics] of Object.entries(doc.results)) {
    if (!isObject(metrics)) throw new UserError(`${file}: ${jsonPath(['results', task])}: expected an object of metrics, got ${shown(metrics)}`);
    for (const [key, v] of Object.entries(metrics)) {
      const comma = key.indexOf(',');
      if (notMetrics.has(key) || comma < 0) continue;
      const path = `${file}: ${jsonPath(['results', task, key])}`;
      // The harness writes "N/A" for a stderr it did not compute (bootstrap_iters 0, or a metric without one).
      const value = v === 'N/A' ? null : metricCell(v, path);
      put(m, column(key.slice(0, comma), key.slice(comma + 1), task), value, path);
    }
  }
}

/**
 * Mean answer NLL per filter: each line's gold request's loglikelihood, negated. A request's response is
 * `[loglikelihood, is_greedy]` (numbers, or the strings the harness's sanitize_list makes of them); with
 * several requests (multiple choice) `target` picks the gold one, by index or by its continuation text.
 */
function sampleLosses(file: string, text: string, answerLoss: AnswerLoss): Map<string, number> | 'generated' {
  const sums = new Map<string, { sum: number; n: number }>();
  let row = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    row++;
    const where = `${file}, row ${row}: `;
    const s = parseJson(line, where);
    if (!isObject(s)) throw new UserError(`${where}expected an object (one logged sample)`);
    const key = Array.isArray(s.filtered_resps) ? 'filtered_resps' : Array.isArray(s.resps) ? 'resps' : undefined;
    if (!key) throw new UserError(`${where}filtered_resps: expected a list of responses, got ${shown(s.filtered_resps)}`);
    // resps nests one more level (requests × repeats); filtered_resps is per request.
    const resps = (s[key] as unknown[]).map((r) => (key === 'resps' && Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r));
    if (resps.length === 0) throw new UserError(`${where}${key}: no responses`);
    // A loglikelihood request answers [loglikelihood, is_greedy]; generated text (or a rolling perplexity) is no answer loss.
    if (row === 1 && !resps.every((r) => Array.isArray(r) && r.length === 2)) return 'generated';
    const gold = goldIndex(s, resps.length, where);
    const resp = resps[gold];
    const raw = Array.isArray(resp) ? resp[0] : resp;
    const ll = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(ll)) throw new UserError(`${where}${jsonPath([key, gold, 0])}: expected a loglikelihood (a number), got ${shown(raw)}`);
    const filter = typeof s.filter === 'string' ? s.filter : 'none';
    const acc = sums.get(filter) ?? { sum: 0, n: 0 };
    acc.sum -= answerLoss === 'total' ? ll : ll / perUnit(s.arguments, gold, answerLoss, where);
    acc.n++;
    sums.set(filter, acc);
  }
  if (row === 0) throw new UserError(`${file}: no samples`);
  return new Map([...sums].map(([f, { sum, n }]) => [f, sum / n]));
}

/** The gold answer's length: characters (code points), or UTF-8 bytes × ln 2 (so nats become bits per byte). */
function perUnit(args: unknown, gold: number, answerLoss: AnswerLoss, where: string): number {
  const cont = continuations(args)[gold];
  if (typeof cont !== 'string' || cont.length === 0)
    throw new UserError(`${where}arguments: no answer text for choice ${gold} (--answer-loss ${answerLoss} divides by its length)`);
  return answerLoss === 'per-char' ? [...cont].length : new TextEncoder().encode(cont).length * Math.LN2;
}

function goldIndex(s: Record<string, unknown>, choices: number, where: string): number {
  if (choices === 1) return 0;
  let t = s.target;
  if (Array.isArray(t)) t = t[0]; // several gold answers: the first, as the harness scores acc
  const i = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t.trim()) ? Number(t) : continuationIndex(s.arguments, t);
  if (!Number.isInteger(i) || i < 0 || i >= choices) throw new UserError(`${where}target: ${shown(s.target)} is not one of the ${choices} choices`);
  return i;
}

/** The choice whose continuation is the target text (arguments are `{gen_args_0: {arg_0, arg_1}}` or `[[ctx, cont]]`). */
function continuationIndex(args: unknown, target: unknown): number {
  if (typeof target !== 'string') return -1;
  return continuations(args).findIndex((cont) => typeof cont === 'string' && cont.trim() === target.trim());
}

/** Each request's continuation: `arguments.gen_args_<i>.arg_1` (by i), or the second item of `[ctx, cont]`. */
function continuations(args: unknown): unknown[] {
  if (Array.isArray(args)) return args.map((a) => (Array.isArray(a) ? a[1] : undefined));
  if (!isObject(args)) return [];
  const index = (k: string) => Number(/(\d+)$/.exec(k)?.[1] ?? Number.NaN);
  return Object.keys(args)
    .sort((a, b) => index(a) - index(b))
    .map((k) => {
      const a = args[k];
      return isObject(a) ? a.arg_1 : undefined;
    });
}

function tableOf(models: Model[]): Table {
  const cols = new Set<string>();
  for (const m of models) for (const c of m.values.keys()) cols.add(c);
  const revision = models.some((m) => m.revision !== null);
  const metrics = [...cols].sort(byName);
  const columns = ['model', ...(revision ? ['revision'] : []), ...metrics];
  const rows = models.map((m, i) => {
    const values: Record<string, Cell> = { model: m.model };
    if (revision) values.revision = m.revision;
    for (const c of metrics) values[c] = m.values.get(c)?.value ?? null;
    return { origin: { file: m.file, row: i + 1 }, values };
  });
  return { columns, rows };
}
