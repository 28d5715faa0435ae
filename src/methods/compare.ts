/**
 * Comparing two fitted laws on their compute-optimal frontiers: at a budget C, the loss each reaches, the loss
 * advantage of the arm over the baseline, and the effective compute multiplier — the compute the baseline needs
 * to reach the loss the arm reaches at C, over C (> 1: the arm is worth that much more compute). Two Chinchilla
 * laws whose frontiers are E + c·C^(−γ) with the same E and γ have a constant multiplier (c_base/c_arm)^(1/γ).
 */
import type { Law } from '../laws/law.js';
import { optimalAt } from './allocation.js';
import { allocationOf, asymptoteOf, budgetForLoss, decreasingRoot, lossAt as lossAtND } from './plan.js';

/** One arm against the baseline at one budget. */
export interface FrontierComparison {
  C: number;
  /** Compute-optimal loss of the arm and of the baseline at C. */
  loss: number;
  baselineLoss: number;
  /** baselineLoss − loss: positive when the arm is better. */
  lossAdvantage: number;
  /** C_baseline(loss) / C; null when the baseline never reaches the arm's loss (at or below its asymptote). */
  computeMultiplier: number | null;
}

/** A law at one θ, as the comparison reads it. */
export interface Frontier<F = unknown> {
  law: Law<F>;
  theta: Float64Array;
}

/** A curve of loss against compute, as a comparison reads it: the loss reached at C and the compute that reaches a loss. */
export interface LossCurve {
  lossAt(C: number): number;
  /** Undefined when no compute reaches L (at or below the asymptote). */
  budgetFor(L: number): number | undefined;
}

/** The law's compute-optimal frontier L*(C) = L(N_opt(C), D_opt(C)). */
export function optimalCurve(f: Frontier): LossCurve {
  const alloc = allocationOf(f.law, f.theta);
  const E = asymptoteOf(f.law, f.theta);
  return {
    lossAt: (C) => optimalAt(f.law, f.theta, alloc, C).loss,
    budgetFor: (L) => budgetForLoss(f.law, f.theta, alloc, L, E),
  };
}

/** The law along a fixed tokens-per-parameter ratio R: N = √(C/(6R)), D = R·N (C = 6ND). */
export function fixedRatioCurve(f: Frontier, R: number): LossCurve {
  const E = asymptoteOf(f.law, f.theta);
  const lossAt = (C: number) => {
    const N = Math.sqrt(C / (6 * R));
    return lossAtND(f.law, f.theta, N, R * N);
  };
  return {
    lossAt,
    budgetFor: (L) => {
      if (!(L > E)) return undefined;
      // ln(L(C) − E) is decreasing in ln C along the ray (each term of the laws here is a power of N or D).
      const g = (x: number) => {
        const excess = lossAt(Math.exp(x)) - E;
        return (excess > 0 ? Math.log(excess) : Number.NEGATIVE_INFINITY) - Math.log(L - E);
      };
      const x = decreasingRoot(g, Math.log(1e21), 5);
      return x === undefined ? undefined : Math.exp(x);
    },
  };
}

/** The arm against the baseline at budget C, on two loss curves. */
export function compareCurves(arm: LossCurve, baseline: LossCurve, C: number): FrontierComparison {
  const loss = arm.lossAt(C);
  const baselineLoss = baseline.lossAt(C);
  const needed = baseline.budgetFor(loss);
  return { C, loss, baselineLoss, lossAdvantage: baselineLoss - loss, computeMultiplier: needed === undefined ? null : needed / C };
}

/** The arm against the baseline at budget C, on their compute-optimal frontiers. */
export function compareAt(arm: Frontier, baseline: Frontier, C: number): FrontierComparison {
  return compareCurves(optimalCurve(arm), optimalCurve(baseline), C);
}

/** Where the compute-optimal frontiers of two laws cross in [lo, hi] ({@link crossoverOf}). */
export function crossover(arm: Frontier, baseline: Frontier, lo = 1e15, hi = 1e30, steps = 300): number | null {
  return crossoverOf(optimalCurve(arm), optimalCurve(baseline), lo, hi, steps);
}

/**
 * The compute in [lo, hi] where two loss curves cross (the loss advantage changes sign), found on a log grid and
 * refined by bisection; null when they do not cross there. Of several crossings (curves with different asymptotes
 * and exponents can cross twice) the largest: the one that decides which arm is better at scale.
 */
export function crossoverOf(arm: LossCurve, baseline: LossCurve, lo = 1e15, hi = 1e30, steps = 300): number | null {
  const adv = (x: number) => baseline.lossAt(Math.exp(x)) - arm.lossAt(Math.exp(x));
  const a = Math.log(lo),
    b = Math.log(hi);
  let x0 = a,
    f0 = adv(a);
  let last: [number, number, number] | undefined;
  for (let k = 1; k <= steps; k++) {
    const x1 = a + ((b - a) * k) / steps;
    const f1 = adv(x1);
    if (Number.isFinite(f1) && Number.isFinite(f0) && f0 !== 0 && f1 !== 0 && Math.sign(f1) !== Math.sign(f0)) last = [x0, x1, f0];
    if (f1 === 0 && Number.isFinite(f0) && f0 !== 0) last = [x1, x1, f0];
    x0 = x1;
    f0 = f1;
  }
  if (!last) return null;
  let [l, r, fl] = last;
  for (let i = 0; i < 60 && l < r; i++) {
    const m = (l + r) / 2;
    const fm = adv(m);
    if (Math.sign(fm) === Math.sign(fl)) {
      l = m;
      fl = fm;
    } else r = m;
  }
  return Math.exp((l + r) / 2);
}

/**
 * The share of arm pairs that `row` orders as `top` does (lower is better), over the pairs both order (finite,
 * untied); accuracy null when there is none.
 */
export function rankAgreement(row: readonly number[], top: readonly number[]): { accuracy: number | null; pairs: number } {
  let agree = 0,
    pairs = 0;
  for (let i = 0; i < row.length; i++)
    for (let j = i + 1; j < row.length; j++) {
      const a = row[i]! - row[j]!,
        t = top[i]! - top[j]!;
      if (!Number.isFinite(a) || !Number.isFinite(t) || a === 0 || t === 0) continue;
      pairs++;
      if (Math.sign(a) === Math.sign(t)) agree++;
    }
  return { accuracy: pairs > 0 ? agree / pairs : null, pairs };
}

/**
 * P(best): over draws `losses[d][j]` (arm j's loss in draw d), the share of draws in which each arm has the
 * lowest loss (ties split evenly). Draws with a non-finite loss count against that arm only.
 */
export function probabilityBest(losses: readonly (readonly number[])[], arms: number): number[] {
  const wins = new Array<number>(arms).fill(0);
  for (const row of losses) {
    let lo = Number.POSITIVE_INFINITY;
    for (const v of row) if (Number.isFinite(v) && v < lo) lo = v;
    const at = row.flatMap((v, j) => (v === lo ? [j] : []));
    for (const j of at) wins[j]! += 1 / at.length;
  }
  return wins.map((w) => (losses.length > 0 ? w / losses.length : 0));
}
