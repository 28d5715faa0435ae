/**
 * The per-dataset view (Roberts et al. 2025, Fig. 1c): each member column of a skill analysed as its own
 * IsoFLOP curve, and per budget the distribution over the columns of log(N*_column / N*_reference).
 */
import { quantileSorted } from '../stats/quantile.js';
import { isoflop, type IsoflopOptions, type IsoflopPoints } from './isoflop.js';

/** A distribution in five numbers (quartiles by linear interpolation, as `quantile`) and its count. */
export interface FiveNumbers {
  count: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export interface SkillDatasets {
  name: string;
  /** Per member column: its per-budget N* (null where its curve has no interior minimum). */
  columns: { column: string; N: (number | null)[] }[];
  /** Per budget: `values`, log(N*_column/N*_reference) per column (null: no minimum); `logRatio`, the distribution of log(N*_column/N*_reference) over the columns with a minimum; null where none has one (or the reference has none). */
  budgets: { C: number; logRatio: FiveNumbers | null; values: (number | null)[] }[];
}

export function fiveNumbers(values: readonly number[]): FiveNumbers | null {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort();
  return { count: s.length, min: s[0]!, q1: quantileSorted(s, 0.25), median: quantileSorted(s, 0.5), q3: quantileSorted(s, 0.75), max: s[s.length - 1]! };
}

/**
 * Each column's curve on the same runs (without draws: the view is about the spread between datasets, which
 * the per-dataset points show directly), against `reference`: per budget (C ascending, as the aggregate's) the
 * reference's N* (null: none). A column's budget is matched to the reference's by C.
 */
export function skillDatasets(
  name: string,
  runs: Pick<IsoflopPoints, 'C' | 'N'>,
  columns: { column: string; loss: ArrayLike<number> }[],
  reference: { C: number; N: number | null }[],
  options: IsoflopOptions,
): SkillDatasets {
  const { intervals: _, ...plain } = options;
  const results = columns.map((c) => ({ column: c.column, result: isoflop({ C: runs.C, N: runs.N, loss: c.loss }, plain) }));
  const perColumn = results.map(({ column, result }) => ({
    column,
    N: reference.map(({ C }) => {
      const b = result.budgets.find((x) => x.C === C);
      return b && !b.excluded ? b.N : null;
    }),
  }));
  return {
    name,
    columns: perColumn,
    budgets: reference.map(({ C, N: ref }, j) => {
      const values = perColumn.map((c) => (ref === null || c.N[j] === null ? null : Math.log(c.N[j]! / ref)));
      return { C, logRatio: fiveNumbers(values.filter((v): v is number => v !== null)), values };
    }),
  };
}
