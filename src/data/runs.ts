import type { Origin } from '../errors.js';

/**
 * Training runs as the numeric core sees them: one entry per run, columnar.
 * N parameters, D training tokens, C training compute (FLOP), loss the target being fitted.
 * `origin[i]` says which file and data row run i came from, for error messages.
 */
export interface Runs {
  N: Float64Array;
  D: Float64Array;
  C: Float64Array;
  loss: Float64Array;
  /** Unique tokens U ≤ D (`--unique COL`): the data-constrained law reads D/U − 1 repeated epochs. */
  U?: Float64Array;
  origin: Origin[];
  /** Each run's group, for a joint fit of several groups (`fit --group COL --share …`). */
  group?: RunGroups;
  /** Which run each row is a checkpoint of (`--run`), when rows share runs: bootstraps resample whole runs. */
  cluster?: RunClusters;
  /** Named columns of the run table a formula law reads (`` `lr` `` in `--law 'E + A*`lr`^-a'`), by column name. */
  columns?: Record<string, Float64Array>;
}

/** Row i is a checkpoint of run `of[i]` ∈ [0, count). */
export interface RunClusters {
  of: Int32Array;
  count: number;
}

/** Run i's group, by index into `names`; carried by every subset of the runs. */
export interface RunGroups {
  /** The column the groups came from. */
  column: string;
  names: readonly string[];
  of: Int32Array;
}

/** Runs at the given (N, D), with C = 6ND and no loss: where a fitted law is to be evaluated. */
export function runsAt(N: ArrayLike<number>, D: ArrayLike<number>): Runs {
  return {
    N: Float64Array.from(N),
    D: Float64Array.from(D),
    C: Float64Array.from(N, (v, i) => 6 * v * D[i]!),
    loss: new Float64Array(N.length),
    origin: [],
  };
}

/** The subset of runs at the given indices (indices may repeat, as in a bootstrap resample). */
export function subsetRuns(runs: Runs, index: ArrayLike<number>): Runs {
  const n = index.length;
  const out: Runs = {
    N: new Float64Array(n),
    D: new Float64Array(n),
    C: new Float64Array(n),
    loss: new Float64Array(n),
    origin: new Array<Origin>(n),
  };
  for (let k = 0; k < n; k++) {
    const i = index[k]!;
    out.N[k] = runs.N[i]!;
    out.D[k] = runs.D[i]!;
    out.C[k] = runs.C[i]!;
    out.loss[k] = runs.loss[i]!;
    out.origin[k] = runs.origin[i]!;
  }
  if (runs.U) out.U = Float64Array.from(index, (i) => runs.U![i]!);
  if (runs.columns) out.columns = Object.fromEntries(Object.entries(runs.columns).map(([k, v]) => [k, Float64Array.from(index, (i) => v[i]!)]));
  if (runs.group) out.group = { ...runs.group, of: Int32Array.from(index, (i) => runs.group!.of[i]!) };
  if (runs.cluster) {
    // Renumbered to the runs present, so a resample draws among them only.
    const renumber = new Map<number, number>();
    const of = Int32Array.from(index, (i) => {
      const c = runs.cluster!.of[i]!;
      let k = renumber.get(c);
      if (k === undefined) {
        k = renumber.size;
        renumber.set(c, k);
      }
      return k;
    });
    out.cluster = { of, count: renumber.size };
  }
  return out;
}
