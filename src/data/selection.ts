import { UserError, optionRef } from '../errors.js';
import type { Table } from './table.js';
import { applyFilters, type Filter } from './where.js';

/**
 * Which runs a law is fitted on and which it is scored on (a backtest). Applied after `--where`.
 * Without `targetWhere` or `holdoutTop` there are no targets and every selected run is fitted.
 */
export interface Selection {
  /** `--fit-where`: the law is fitted on rows where every filter holds (default: all rows). */
  fitWhere: Filter[];
  /** `--target-where`: the law is scored on rows where every filter holds. */
  targetWhere: Filter[];
  /**
   * `--holdout-top K`: the K largest compute budgets are left out of the fit and become the targets
   * (further narrowed by `targetWhere` when given).
   */
  holdoutTop?: number;
  /** Runs whose C agree within this relative tolerance are one budget (for `holdoutTop`). Default 1e-6. */
  budgetTolerance?: number;
}

/** The fit and target tables of a {@link Selection}; `target` is null when nothing is held out or targeted. */
export interface Split {
  fit: Table;
  target: Table | null;
  /** With `holdoutTop`: the smallest held-out budget (every run at or above it is held out). */
  heldOutFrom?: number;
}

/**
 * Splits a table into fit and target rows. `computeOf(i)` is row i's training compute C, needed only
 * for `holdoutTop`. Empty fit or target sets are errors that name the flags, never silently nothing.
 */
export function splitFitTarget(table: Table, sel: Selection, computeOf?: (row: number) => number): Split {
  let fit = applyFilters(table, sel.fitWhere, optionRef('fitWhere'));
  let target = sel.targetWhere.length > 0 ? applyFilters(table, sel.targetWhere, optionRef('targetWhere')) : null;
  if (sel.holdoutTop === undefined) return { fit, target };

  const K = sel.holdoutTop;
  if (!computeOf) throw new Error('splitFitTarget: holdoutTop needs computeOf');
  if (!(Number.isInteger(K) && K >= 1)) throw new UserError(`${optionRef('holdoutTop')} ${K}: expected a whole number >= 1`);
  const C = table.rows.map((_, i) => computeOf(i));
  const budgets = distinctBudgets(C, sel.budgetTolerance ?? 1e-6);
  if (budgets.length <= K) {
    throw new UserError(
      `${optionRef('holdoutTop')} ${K}: the runs have ${budgets.length} compute budget${budgets.length === 1 ? '' : 's'}; at least one must stay in the fit`,
    );
  }
  const from = budgets[budgets.length - K]!;
  const heldOut = new Set(table.rows.filter((_, i) => C[i]! >= from));
  fit = { columns: fit.columns, rows: fit.rows.filter((r) => !heldOut.has(r)) };
  if (fit.rows.length === 0) throw new UserError(`no runs left to fit after ${optionRef('holdoutTop')} ${K}`);
  const pool = target ?? table;
  target = { columns: pool.columns, rows: pool.rows.filter((r) => heldOut.has(r)) };
  if (target.rows.length === 0) throw new UserError(`no targets: ${optionRef('targetWhere')} selects no run in the top ${K} budget${K === 1 ? '' : 's'}`);
  return { fit, target, heldOutFrom: from };
}

/** The smallest C of each budget, ascending; values within relative `tolerance` of a budget's first are that budget. */
export function distinctBudgets(C: ArrayLike<number>, tolerance: number): number[] {
  const sorted = Array.from(C).sort((a, b) => a - b);
  const out: number[] = [];
  for (const c of sorted) if (out.length === 0 || c > out[out.length - 1]! * (1 + tolerance)) out.push(c);
  return out;
}
