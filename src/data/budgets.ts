/**
 * Compute budgets found in messy data. Runs of one nominal budget rarely share C to the last digit: a W&B
 * export's budgets differ by ~1e-5 relative, hand-set token counts by up to ~1%. The budgets are the clusters
 * of log C: sorted, a gap wider than `jitter` (relative) starts a new budget. A cluster that spans more than
 * twice `jitter` is not one jittered budget but a run of close, distinct values (compute read off a figure);
 * it is split back into exact values (within 1e-6), and the caller can say so.
 */

/** Each run's budget (index into `starts`, ascending) and each budget's smallest C. */
export interface BudgetClusters {
  of: Int32Array;
  /** The smallest C of each budget, ascending. */
  starts: number[];
  /** The largest C of each budget: with `starts`, the span its members jitter over. */
  ends: number[];
  /** Whether some run of values too spread to be one budget was split back into exact values. */
  split: boolean;
}

/** Relative gap that separates two budgets by default: 1%. */
export const BUDGET_JITTER = 0.01;

export function budgetClusters(C: ArrayLike<number>, jitter = BUDGET_JITTER): BudgetClusters {
  const order = Array.from({ length: C.length }, (_, i) => i).sort((a, b) => C[a]! - C[b]! || a - b);
  const clusters: number[][] = [];
  for (const i of order) {
    const last = clusters[clusters.length - 1];
    if (last && C[i]! <= C[last[last.length - 1]!]! * (1 + jitter)) last.push(i);
    else clusters.push([i]);
  }
  let split = false;
  const budgets: number[][] = [];
  for (const c of clusters) {
    if (C[c[c.length - 1]!]! <= C[c[0]!]! * (1 + 2 * jitter)) {
      budgets.push(c);
      continue;
    }
    // Chained: values close one to the next but spread far beyond a jitter. Exact values, each its own budget.
    split = true;
    let current: number[] | undefined;
    for (const i of c) {
      if (current && C[i]! <= C[current[0]!]! * (1 + 1e-6)) current.push(i);
      else {
        current = [i];
        budgets.push(current);
      }
    }
  }
  const of = new Int32Array(C.length);
  budgets.forEach((b, k) => {
    for (const i of b) of[i] = k;
  });
  return { of, starts: budgets.map((b) => C[b[0]!]!), ends: budgets.map((b) => C[b[b.length - 1]!]!), split };
}
