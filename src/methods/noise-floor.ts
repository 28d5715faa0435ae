/**
 * The noise floor of a backtest: how large a forecast's error would be from run-to-run noise alone, if the
 * law were exact. A forecast is scored against one run, whose loss scatters about the truth; with relative
 * sd σ that scatter alone gives a mean |relative error| of σ·√(2/π) (the mean of a half-normal). Errors near
 * the floor cannot be improved by a better law; errors far above it are the law's.
 */
import { configurations as configurationsOf } from '../data/groups.js';

/** Run-to-run noise of the loss: its relative sd and where it was measured. */
export interface NoiseFloor {
  /** `column`: each run's noise given (e.g. the spread of its last checkpoints); `replicates`: runs trained more than once at one (N, D). */
  source: 'column' | 'replicates';
  /** With `replicates`: the configurations (N, D) with more than one run. */
  configurations?: number;
  /** Relative sd of a run's loss (root mean square of noise/loss, or the pooled sd of log loss among replicates). */
  relSd: number;
  /** σ·√(2/π): the mean |relative error| run noise alone gives. */
  meanAbsRelErr: number;
}

const HALF_NORMAL_MEAN = Math.sqrt(2 / Math.PI);

/** The floor from a noise column (an sd in loss units per run), or null without finite values. */
export function columnNoiseFloor(noise: ArrayLike<number>, loss: ArrayLike<number>): NoiseFloor | null {
  let ss = 0;
  let n = 0;
  for (let i = 0; i < loss.length; i++) {
    const r = noise[i]! / loss[i]!;
    if (Number.isFinite(r)) {
      ss += r * r;
      n++;
    }
  }
  if (n === 0) return null;
  const relSd = Math.sqrt(ss / n);
  return { source: 'column', relSd, meanAbsRelErr: HALF_NORMAL_MEAN * relSd };
}

/**
 * The floor from replicates: runs sharing N and D exactly (seeds of one configuration). The pooled sd of log
 * loss about each configuration's mean, on Σ(k − 1) degrees of freedom; null when no configuration repeats.
 */
export function replicateNoiseFloor(N: ArrayLike<number>, D: ArrayLike<number>, loss: ArrayLike<number>): NoiseFloor | null {
  const { of, count } = configurationsOf(N, D);
  const lists: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < loss.length; i++) lists[of[i]!]!.push(Math.log(loss[i]!));
  let ss = 0;
  let dof = 0;
  let configurations = 0;
  for (const list of lists) {
    if (list.length < 2) continue;
    configurations++;
    const mean = list.reduce((a, b) => a + b, 0) / list.length;
    for (const v of list) ss += (v - mean) ** 2;
    dof += list.length - 1;
  }
  if (dof === 0) return null;
  const relSd = Math.sqrt(ss / dof);
  return { source: 'replicates', configurations, relSd, meanAbsRelErr: HALF_NORMAL_MEAN * relSd };
}
