/**
 * Rows as checkpoints of runs: a run column (`--run COL`) makes rows sharing a value the evaluations of one
 * run, ordered by a step (or token) column. The selection turns them into the rows an analysis fits: the
 * final checkpoint of each run (the default), every checkpoint, or the checkpoints at the end of each decay
 * of a WSD schedule (a phase column); optionally without the first fraction of each run, with metrics
 * averaged over the last K evaluations (or an EMA), and keeping only the best run per configuration (a
 * learning-rate sweep). OLMo's ladder averages the last 5 evaluations and skips the first 10% of checkpoints
 * (Bhagia et al. 2024); Li et al. 2025 keep the best learning rate per (N, D).
 */
import { at, optionRef, UserError } from '../errors.js';
import { numericColumn, requireColumn } from './columns.js';
import { groupIndices } from './groups.js';
import type { Cell, Table, TableRow } from './table.js';

/** Which checkpoints of each run are kept. */
export type CheckpointKind = 'final' | 'all' | 'post-decay';

export interface CheckpointSelection {
  /** Column naming the run: rows sharing a value are its checkpoints. */
  run: string;
  /** Column ordering a run's checkpoints (a step or a token count); default: the tokens column, else row order. */
  step?: string;
  checkpoints: CheckpointKind;
  /** With `post-decay`: the column holding each checkpoint's schedule phase. */
  phase?: string;
  /** Drop this fraction of each run's first checkpoints (by step) before choosing, in [0, 1). */
  skipFirst?: number;
  /** `last:K`: each kept checkpoint's metrics are the mean over its run's last K evaluations up to it; `ema:A`: an EMA with weight A on the newest. */
  smooth?: string;
  /** Keep one run per combination of these columns: the one whose `loss` (at its kept checkpoint) is lowest. */
  bestPer?: string[];
  /** The loss `bestPer` compares. */
  loss?: string;
  /** Columns that describe a checkpoint rather than measure it (N, D, C, step): never averaged by `smooth`. */
  structural: string[];
}

/** What the selection kept, for the report: runs, checkpoints before and after. */
export interface CheckpointSummary {
  runs: number;
  rowsIn: number;
  rowsOut: number;
  /** Runs dropped by `bestPer` (a worse learning rate, say). */
  droppedByBestPer: number;
}

/** Phase values that mean "the learning rate is decaying" (WSD's decay, a cool-down, an anneal). */
const DECAY = /^(decay|decaying|cooldown|cool-down|anneal|annealing)$/i;

/** The selected table and what was kept; the rows keep their run column, so bootstraps can resample whole runs. */
export function selectCheckpoints(table: Table, s: CheckpointSelection): { table: Table; summary: CheckpointSummary } {
  requireColumn(table, s.run);
  if (s.checkpoints === 'post-decay' && s.phase === undefined) throw new UserError(`${optionRef('checkpoints')} post-decay needs ${optionRef('phase')} COL`);
  if (s.phase !== undefined) requireColumn(table, s.phase);
  if (s.skipFirst !== undefined && !(s.skipFirst >= 0 && s.skipFirst < 1))
    throw new UserError(`${optionRef('skipFirst')} must be in [0, 1), got ${s.skipFirst}`);
  const smooth = s.smooth === undefined ? undefined : parseSmooth(s.smooth);
  const step = s.step === undefined ? undefined : numericColumn(table, s.step);
  const metrics = table.columns.filter((c) => c !== s.run && c !== s.phase && !s.structural.includes(c));

  const kept: TableRow[] = [];
  const runs = groupIndices(table.rows.map((r) => r.values[s.run]));
  for (const { index } of runs) {
    // A run's checkpoints in step order (stable: equal steps keep file order).
    const order = step ? [...index].sort((a, b) => step[a]! - step[b]! || a - b) : index;
    if (step) for (let k = 1; k < order.length; k++) if (step[order[k]!] === step[order[k - 1]!]) duplicateStep(table, order[k]!, s);
    const skip = s.skipFirst ? Math.floor(s.skipFirst * order.length) : 0;
    const rows = order.slice(skip).map((i) => table.rows[i]!);
    const chosen = chooseCheckpoints(rows, s);
    for (const k of chosen) kept.push(smooth ? smoothed(rows, k, metrics, smooth) : rows[k]!);
  }
  let out = kept;
  let dropped = 0;
  if (s.bestPer && s.bestPer.length > 0) {
    const best = bestPerConfiguration(kept, s);
    dropped = new Set(kept.map((r) => r.values[s.run])).size - new Set(best.map((r) => r.values[s.run])).size;
    out = best;
  }
  return {
    table: { columns: table.columns, rows: out },
    summary: { runs: runs.length, rowsIn: table.rows.length, rowsOut: out.length, droppedByBestPer: dropped },
  };
}

function duplicateStep(table: Table, i: number, s: CheckpointSelection): never {
  const row = table.rows[i]!;
  throw new UserError(`${at(row.origin, s.step)}run "${String(row.values[s.run])}" has two checkpoints at ${s.step} = ${String(row.values[s.step!])}`);
}

/** Indices (into the run's rows in step order) of the checkpoints kept. */
function chooseCheckpoints(rows: TableRow[], s: CheckpointSelection): number[] {
  if (rows.length === 0) return [];
  if (s.checkpoints === 'final') return [rows.length - 1];
  if (s.checkpoints === 'all') return rows.map((_, k) => k);
  // post-decay: the last checkpoint of every stretch of decaying phase.
  const decaying = rows.map((r) => DECAY.test(String(r.values[s.phase!] ?? '').trim()));
  return decaying.flatMap((d, k) => (d && !decaying[k + 1] ? [k] : []));
}

type Smooth = { kind: 'last'; k: number } | { kind: 'ema'; a: number };

function parseSmooth(text: string): Smooth {
  const m = /^(last|ema):(.+)$/.exec(text.trim());
  const value = m ? Number(m[2]) : NaN;
  if (m?.[1] === 'last' && Number.isInteger(value) && value >= 1) return { kind: 'last', k: value };
  if (m?.[1] === 'ema' && value > 0 && value <= 1) return { kind: 'ema', a: value };
  throw new UserError(`${optionRef('smooth')} "${text}": expected last:K (K ≥ 1 evaluations) or ema:A (0 < A ≤ 1, the newest evaluation's weight)`);
}

/** Checkpoint k with each metric the mean of its last K evaluations (or their EMA); empty cells are skipped. */
function smoothed(rows: TableRow[], k: number, metrics: string[], smooth: Smooth): TableRow {
  const values: Record<string, Cell> = { ...rows[k]!.values };
  for (const c of metrics) {
    const xs: number[] = [];
    const from = smooth.kind === 'last' ? Math.max(0, k - smooth.k + 1) : 0;
    for (let j = from; j <= k; j++) {
      const v = rows[j]!.values[c];
      const x = typeof v === 'number' ? v : v === null || v === undefined || v.trim() === '' ? NaN : Number(v);
      if (Number.isFinite(x)) xs.push(x);
    }
    // A column that is not numeric in this run (a name, a note) is left as the checkpoint has it.
    if (xs.length === 0) continue;
    if (smooth.kind === 'last') values[c] = xs.reduce((a, b) => a + b, 0) / xs.length;
    else values[c] = xs.reduce((e, x, j) => (j === 0 ? x : smooth.a * x + (1 - smooth.a) * e), 0);
  }
  return { origin: rows[k]!.origin, values };
}

/** Per combination of `bestPer`, the rows of the run with the lowest loss at its (last) kept checkpoint. */
function bestPerConfiguration(rows: TableRow[], s: CheckpointSelection): TableRow[] {
  if (s.loss === undefined) throw new UserError(`${optionRef('bestPer')} compares runs by the loss: this analysis has no single loss column`);
  const table: Table = { columns: Object.keys(rows[0]?.values ?? {}), rows };
  for (const c of s.bestPer!) requireColumn(table, c);
  const loss = numericColumn(table, s.loss);
  const score = new Map<Cell, number>();
  rows.forEach((r, i) => {
    score.set(r.values[s.run]!, loss[i]!);
  });
  const bestRun = new Map<string, Cell>();
  for (const r of rows) {
    const key = s.bestPer!.map((c) => String(r.values[c] ?? '')).join('\u0000');
    const run = r.values[s.run]!;
    const current = bestRun.get(key);
    if (current === undefined || score.get(run)! < score.get(current)!) bestRun.set(key, run);
  }
  const keep = new Set(bestRun.values());
  return rows.filter((r) => keep.has(r.values[s.run]!));
}

/** How to read each run's loss curve for {@link curvesAtBudgets}. */
export interface CurveColumns {
  run: string;
  /** Orders the checkpoints; default `tokens`. */
  step?: string;
  params: string;
  tokens?: string;
  flops?: string;
  /** Columns that are not metrics (a phase, names): copied from the checkpoint before the budget, never interpolated. */
  structural: string[];
}

/** Which runs' curves reach a budget: the runs that give it a point. */
export interface BudgetReach {
  C: number;
  runs: number;
}

/**
 * Each run's loss curve read at the given budgets: for every budget within the run's span of compute, a row
 * with C = the budget and every metric interpolated linearly in log C and log metric between the two
 * checkpoints around it (Porian et al. 2024, Li et al. 2025), N the run's, D interpolated the same way (C/(6N)
 * without a tokens column). A few long runs so give points on several IsoFLOP curves. A run's compute at a
 * checkpoint is its C column, or 6·N·D with D its tokens at the checkpoint.
 */
export function curvesAtBudgets(table: Table, c: CurveColumns, budgets: readonly number[]): { table: Table; reached: BudgetReach[] } {
  requireColumn(table, c.run);
  if (c.flops === undefined && c.tokens === undefined) {
    throw new UserError(`${optionRef('atBudgets')} needs each checkpoint's compute: ${optionRef('flops')} COL, or ${optionRef('tokens')} COL`);
  }
  const N = numericColumn(table, c.params, { positive: true });
  const D = c.tokens !== undefined ? numericColumn(table, c.tokens, { positive: true }) : undefined;
  const C = c.flops !== undefined ? numericColumn(table, c.flops, { positive: true }) : Float64Array.from(N, (n, i) => 6 * n * D![i]!);
  const order = c.step !== undefined ? numericColumn(table, c.step) : (D ?? C);
  const fixed = new Set([c.run, c.params, c.tokens, c.flops, c.step, ...c.structural]);
  const metrics = table.columns.filter((k) => !fixed.has(k));
  const sorted = [...budgets].sort((a, b) => a - b);
  const reached = sorted.map((b) => ({ C: b, runs: 0 }));
  const rows: TableRow[] = [];
  for (const { index } of groupIndices(table.rows.map((r) => r.values[c.run]))) {
    const curve = [...index].sort((a, b) => order[a]! - order[b]! || a - b);
    for (let k = 1; k < curve.length; k++) {
      if (!(C[curve[k]!]! > C[curve[k - 1]!]!)) {
        const row = table.rows[curve[k]!]!;
        throw new UserError(`${at(row.origin, c.flops ?? c.tokens)}run "${String(row.values[c.run])}": compute does not grow from one checkpoint to the next`);
      }
    }
    sorted.forEach((budget, j) => {
      // The last checkpoint at or below the budget, and the one after it.
      let k = -1;
      while (k + 1 < curve.length && C[curve[k + 1]!]! <= budget) k++;
      if (k < 0 || (k === curve.length - 1 && C[curve[k]!]! < budget)) return;
      const lo = curve[k]!;
      const hi = curve[Math.min(k + 1, curve.length - 1)]!;
      const t = hi === lo ? 0 : Math.log(budget / C[lo]!) / Math.log(C[hi]! / C[lo]!);
      const values: Record<string, Cell> = { ...table.rows[lo]!.values };
      for (const m of metrics) values[m] = logLinear(table.rows[lo]!.values[m] ?? null, table.rows[hi]!.values[m] ?? null, t);
      if (c.flops !== undefined) values[c.flops] = budget;
      if (c.tokens !== undefined)
        values[c.tokens] = c.flops !== undefined ? Math.exp((1 - t) * Math.log(D![lo]!) + t * Math.log(D![hi]!)) : budget / (6 * N[lo]!);
      rows.push({ origin: table.rows[lo]!.origin, values });
      reached[j]!.runs++;
    });
  }
  return { table: { columns: table.columns, rows }, reached };
}

/** A metric between two checkpoints at fraction t of the way in log C: log-linear when both are > 0, else linear; non-numbers kept from the first. */
function logLinear(a: Cell, b: Cell, t: number): Cell {
  const x = typeof a === 'number' ? a : a === null || a.trim() === '' ? NaN : Number(a);
  const y = typeof b === 'number' ? b : b === null || b.trim() === '' ? NaN : Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return t === 0 ? a : null;
  if (t === 0) return x;
  return x > 0 && y > 0 ? Math.exp((1 - t) * Math.log(x) + t * Math.log(y)) : (1 - t) * x + t * y;
}
