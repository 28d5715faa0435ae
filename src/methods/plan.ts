/**
 * Planning primitives on a fitted law L(N, D): the compute-optimal frontier read backwards (the budget that
 * reaches a loss), the tokens a model of N parameters needs for a loss, and the inference-aware allocation of
 * Sardana et al. (2023), "Beyond Chinchilla-Optimal": the (N, D) reaching a loss at least total compute
 * 6ND + 2N·T for T inference tokens.
 */
import { runsAt } from '../data/runs.js';
import { UserError } from '../errors.js';
import { goldenSection } from '../optim/golden-section.js';
import type { Allocation, Law } from '../laws/law.js';
import { optimalAt } from './allocation.js';

/** The law's loss at one (N, D). */
export function lossAt<F>(law: Law<F>, theta: Float64Array, N: number, D: number): number {
  const out = new Float64Array(1);
  law.predict(theta, law.prepare(runsAt([N], [D])), out);
  return out[0]!;
}

/** The closed-form allocation, or an error naming the law that has none. */
export function allocationOf<F>(law: Law<F>, theta: Float64Array): Allocation {
  if (!law.allocate) throw new UserError(`the ${law.name} law has no closed-form compute-optimal allocation: plan needs one`);
  return law.allocate(theta);
}

/** The irreducible loss E: the frontier's limit as C → ∞ (every registered law reports it as the constant E). */
export function asymptoteOf<F>(law: Law<F>, theta: Float64Array): number {
  const E = law.toPublic(theta).E;
  if (E === undefined) throw new UserError(`the ${law.name} law reports no asymptote E: plan cannot read its frontier backwards`);
  return E;
}

/**
 * Root of a decreasing function f on the real line: brackets from x0 outward in steps of `step`, then
 * regula falsi with the Illinois modification, safeguarded by bisection, to the last representable digit.
 * Undefined when no sign change is found within `maxSteps` steps either way.
 */
export function decreasingRoot(f: (x: number) => number, x0: number, step: number, maxSteps = 200): number | undefined {
  let lo = x0,
    flo = f(lo);
  if (flo === 0) return lo;
  let hi = lo,
    fhi = flo;
  if (flo > 0) {
    // Move right until f < 0.
    for (let k = 0; k < maxSteps && !(fhi < 0); k++) {
      lo = hi;
      flo = fhi;
      hi += step;
      fhi = f(hi);
    }
    if (!(fhi < 0)) return undefined;
  } else {
    for (let k = 0; k < maxSteps && !(flo > 0); k++) {
      hi = lo;
      fhi = flo;
      lo -= step;
      flo = f(lo);
    }
    if (!(flo > 0)) return undefined;
  }
  let side = 0;
  for (let k = 0; k < 400; k++) {
    // A finite secant step inside the bracket, else the midpoint.
    let x = Number.isFinite(flo) && Number.isFinite(fhi) ? (lo * fhi - hi * flo) / (fhi - flo) : (lo + hi) / 2;
    if (!(x > lo && x < hi)) x = (lo + hi) / 2;
    if (k % 8 === 7) x = (lo + hi) / 2;
    const fx = f(x);
    if (fx === 0) return x;
    if (fx > 0) {
      lo = x;
      flo = fx;
      if (side === 1) fhi /= 2;
      side = 1;
    } else {
      hi = x;
      fhi = fx;
      if (side === -1) flo /= 2;
      side = -1;
    }
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
  }
  return Math.abs(flo) < Math.abs(fhi) ? lo : hi;
}

/**
 * The training budget C whose compute-optimal run reaches loss L: the frontier L*(C) = L(N_opt(C), D_opt(C))
 * solved for C (in ln C). Undefined when L is at or below the asymptote E (no budget reaches it).
 */
export function budgetForLoss<F>(law: Law<F>, theta: Float64Array, alloc: Allocation, L: number, E = asymptoteOf(law, theta)): number | undefined {
  if (!(L > E)) return undefined;
  // ln(L*(C) − E) − ln(L − E) is decreasing in ln C (linear for the laws here: L* − E is a power of C).
  const g = (x: number) => {
    const excess = optimalAt(law, theta, alloc, Math.exp(x)).loss - E;
    return (excess > 0 ? Math.log(excess) : -Infinity) - Math.log(L - E);
  };
  const x = decreasingRoot(g, Math.log(1e21), 5);
  return x === undefined ? undefined : Math.exp(x);
}

/** Tokens D at which a model of N parameters reaches loss L; undefined when it never does (L(N, ∞) ≥ L). */
export function tokensForLoss<F>(law: Law<F>, theta: Float64Array, N: number, L: number): number | undefined {
  if (!(lossAt(law, theta, N, 1e200) < L)) return undefined;
  const y = decreasingRoot((y) => lossAt(law, theta, N, Math.exp(y)) - L, Math.log(1e12), 4);
  return y === undefined ? undefined : Math.exp(y);
}

/** A configuration and its compute: 6ND for training, 2N per inference token. */
export interface InferencePoint {
  N: number;
  D: number;
  tokensPerParam: number;
  trainingFlops: number;
  inferenceFlops: number;
  totalFlops: number;
}

export function flopsOf(N: number, D: number, T: number): InferencePoint {
  const trainingFlops = 6 * N * D;
  const inferenceFlops = 2 * N * T;
  return { N, D, tokensPerParam: D / N, trainingFlops, inferenceFlops, totalFlops: trainingFlops + inferenceFlops };
}

/**
 * Inference-aware allocation (Sardana et al. 2023, §2): the (N, D) with L(N, D) = L that minimises
 * 6ND + 2N·T. Along the iso-loss curve D(N) the total is unimodal in ln N; it is searched by golden section
 * between the smallest N that can reach L at all and just above `nStart` (the compute-optimal N for L: with
 * T ≥ 0 the optimum is never larger). With T = 0 it is the compute-optimal run itself.
 */
export function inferenceOptimal<F>(law: Law<F>, theta: Float64Array, L: number, T: number, nStart: number): InferencePoint {
  const total = (u: number) => {
    const N = Math.exp(u);
    const D = tokensForLoss(law, theta, N, L);
    return D === undefined ? Infinity : 6 * N * D + 2 * N * T;
  };
  const u0 = Math.log(nStart);
  // The smallest N that reaches L (as D → ∞): the boundary of feasibility, by bisection in ln N.
  let bad = u0 - 60,
    good = u0;
  if (lossAt(law, theta, Math.exp(bad), 1e200) < L) bad = -Infinity;
  else {
    for (let k = 0; k < 200; k++) {
      const mid = (bad + good) / 2;
      if (mid === bad || mid === good) break;
      if (lossAt(law, theta, Math.exp(mid), 1e200) < L) good = mid;
      else bad = mid;
    }
  }
  const { x: u } = goldenSection(total, {
    lo: Number.isFinite(bad) ? good : u0 - 60,
    hi: u0 + 0.5,
    maxIterations: 300,
    tolerance: 1e-13,
  });
  const N = Math.exp(u);
  return flopsOf(N, tokensForLoss(law, theta, N, L)!, T);
}

/** GPU-hours and money for `flops` of training at `throughput` FLOP/s per GPU and model-FLOP utilisation `utilisation`. */
export function costOf(flops: number, throughput: number, utilisation: number, price?: number): { gpuHours: number; dollars?: number } {
  const gpuHours = flops / (throughput * utilisation) / 3600;
  return { gpuHours, ...(price !== undefined ? { dollars: gpuHours * price } : {}) };
}
