import { subsetRuns, type Runs } from '../data/runs.js';
import { constrainedLaw, isUnconstrained, type Constraints } from '../laws/constrained.js';
import type { Law, StartGrid } from '../laws/law.js';
import { makeObjective, makeResiduals, type ObjectiveFn, type ObjectiveSpec } from '../objectives/objective.js';
import { lbfgs, type LbfgsMemory } from '../optim/lbfgs.js';
import { levenbergMarquardt } from '../optim/levenberg-marquardt.js';
import { Random } from '../stats/random.js';
import { varies } from '../stats/varies.js';
import { fitLaw } from './fit.js';

/** What one slice of a bootstrap needs; plain data, so it can cross to a worker thread. */
export interface BootstrapTask {
  law: string;
  objective: Required<ObjectiveSpec>;
  /** θ of the full-data fit: each resample starts from it. */
  start: Float64Array;
  /** Also search this start grid on each resample (slow; `--bootstrap-grid`). */
  grid?: StartGrid;
  seed: number;
  /** Resamples [from, to) of the whole run. */
  from: number;
  to: number;
  /**
   * Resample units instead of runs (a cluster bootstrap): run i belongs to unit `units.of[i]`, the units
   * are drawn with replacement, and each run counts as often as its unit was drawn. Default: one unit a run.
   */
  units?: Units;
  /** Constants fixed and tied (`--fix`, `--tie`): each resample fits the free θ; `start` and the rows returned are full θ. */
  constraints?: Constraints;
  /** Per-run weights (`--weights`): a resample weights run i by its count times `weights[i]`. */
  weights?: Float64Array;
  /** A joint fit across the runs' groups (`--share`): the constants the groups share. */
  shared?: readonly string[];
}

/** Run i belongs to unit `of[i]` ∈ [0, count). */
export interface Units {
  of: Int32Array;
  count: number;
}

/**
 * Refits the law on resamples `from … to−1` of the runs (drawn with replacement, Efron 1979).
 * Resample i draws its indices from the stream (seed, i), so the draws do not depend on how the
 * resamples are split across threads. Returns θ per resample (row-major) and whether each converged.
 */
export function bootstrapSlice<F>(
  base: Law<F>,
  runs: Runs,
  task: BootstrapTask,
  onProgress?: (done: number) => void,
): { theta: Float64Array; converged: Uint8Array } {
  const n = runs.loss.length;
  const p = base.thetaNames.length;
  const count = task.to - task.from;
  const theta = new Float64Array(count * p);
  const converged = new Uint8Array(count);
  // With constraints the refits move the free θ; each row is written back as the full θ.
  const constrained = isUnconstrained(task.constraints) ? undefined : constrainedLaw(base, task.constraints!);
  const law: Law<F> = constrained ?? base;
  const start = constrained ? constrained.free(task.start) : task.start;
  const warm = curvatureMemory(makeObjective(law, law.prepare(runs), runs.loss, task.objective, task.weights), start);
  const grid = resampleGrid(runs, task);
  const draw = runCounts(n, task.units);
  const index = new Int32Array(n);
  for (let k = 0; k < count; k++) {
    const counts = draw(task.seed, task.from + k);
    // Fit on the distinct runs drawn, weighted by how often each was drawn: the same objective as the
    // resample itself, with a third fewer terms.
    let m = 0;
    for (let i = 0; i < n; i++) if (counts[i]! > 0) index[m++] = i;
    const sub = subsetRuns(runs, index.subarray(0, m));
    const weights = new Float64Array(m);
    for (let j = 0; j < m; j++) weights[j] = counts[index[j]!]! * (task.weights ? task.weights[index[j]!]! : 1);
    let x: Float64Array, ok: boolean;
    if (grid) {
      const fit = fitLaw(law, sub, { objective: task.objective, starts: grid, weights });
      x = fit.theta;
      ok = fit.converged;
    } else {
      const features = law.prepare(sub);
      const r =
        task.objective.kind === 'mse'
          ? levenbergMarquardt(makeResiduals(law, features, sub.loss, task.objective.space, weights), start, m, { fTol: 1e-12, xTol: 1e-12 })
          : lbfgs(makeObjective(law, features, sub.loss, task.objective, weights), start, { fTol: 1e-12, fFloor: 0, gradTol: 1e-9, warm });
      x = r.x;
      ok = r.converged || r.reason === 'line-search';
    }
    theta.set(constrained ? constrained.full(x) : x, k * p);
    converged[k] = ok ? 1 : 0;
    if (onProgress && (k + 1) % 25 === 0) onProgress(k + 1);
  }
  onProgress?.(count);
  return { theta, converged };
}

/**
 * The start grid each resample is refitted from: the task's (`--bootstrap-grid`), or the default grid when every
 * run has the same N or the same D. There the law's constants lie on a ridge (its N or D term trades off
 * against E), and a refit from the full-data optimum stays put on it: the intervals would be tight around an
 * arbitrary point. Undefined: each resample starts from the full-data optimum.
 */
export function resampleGrid(runs: Runs, task: Pick<BootstrapTask, 'grid'>): StartGrid | undefined {
  return task.grid ?? (varies(runs.N) && varies(runs.D) ? undefined : 'default');
}

/**
 * L-BFGS curvature pairs measured near the full-data optimum, by walking back to it from a point 1% away.
 * Each resample's optimum is close to the full-data one, so starting its refit with these pairs cuts
 * its iterations about fourfold (and lands closer to the exact optimum).
 */
export function curvatureMemory(fn: ObjectiveFn, optimum: Float64Array): LbfgsMemory {
  const start = optimum.map((v, j) => v + (j % 2 ? 0.01 : -0.01) * (Math.abs(v) || 1));
  return lbfgs(fn, start, { fTol: 1e-15, fFloor: 0, gradTol: 1e-12 }).memory;
}

/** The runs' clusters (`--run`) when some cluster holds several runs' rows, so resamples draw whole clusters; else none. */
export function clusterUnits(runs: Pick<Runs, 'N' | 'cluster'>): Units | undefined {
  return runs.cluster && runs.cluster.count < runs.N.length ? runs.cluster : undefined;
}

/**
 * How often each of n runs is drawn in resample (seed, index): the runs drawn with replacement, or, with
 * `units`, the units drawn and each run counted as often as its unit. Reuses one buffer across calls.
 */
export function runCounts(n: number, units?: Units): (seed: number, index: number) => Float64Array {
  const counts = new Float64Array(n);
  if (!units)
    return (seed, index) => {
      resampleCounts(seed, index, n, counts);
      return counts;
    };
  const drawn = new Float64Array(units.count);
  return (seed, index) => {
    resampleCounts(seed, index, units.count, drawn);
    for (let i = 0; i < n; i++) counts[i] = drawn[units.of[i]!]!;
    return counts;
  };
}

/** Counts of each run in resample `index`: n draws with replacement. */
export function resampleCounts(seed: number, index: number, n: number, out: Float64Array): void {
  const rng = new Random(seed, index);
  out.fill(0);
  for (let k = 0; k < n; k++) out[rng.int(n)]!++;
}
