/**
 * Comparing two fitted laws on their compute-optimal frontiers: at a budget C, the loss each reaches, the loss
 * advantage of the arm over the baseline, and the effective compute multiplier — the compute the baseline needs
 * to reach the loss the arm reaches at C, over C (> 1: the arm is worth that much more compute). Two Chinchilla
 * laws whose frontiers are E + c·C^(−γ) with the same E and γ have a constant multiplier (c_base/c_arm)^(1/γ).
 */
import type { Law } from '../laws/law.js';
import { optimalAt } from './allocation.js';
import { allocationOf, asymptoteOf, budgetForLoss } from './plan.js';

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

/** The arm against the baseline at budget C. */
export function compareAt(arm: Frontier, baseline: Frontier, C: number): FrontierComparison {
  const loss = optimalAt(arm.law, arm.theta, allocationOf(arm.law, arm.theta), C).loss;
  const baseAlloc = allocationOf(baseline.law, baseline.theta);
  const baselineLoss = optimalAt(baseline.law, baseline.theta, baseAlloc, C).loss;
  const needed = budgetForLoss(baseline.law, baseline.theta, baseAlloc, loss, asymptoteOf(baseline.law, baseline.theta));
  return { C, loss, baselineLoss, lossAdvantage: baselineLoss - loss, computeMultiplier: needed === undefined ? null : needed / C };
}

/**
 * The compute in [lo, hi] where the arm's and the baseline's frontiers cross (the loss advantage changes sign),
 * found on a log grid and refined by bisection; null when they do not cross there.
 */
export function crossover(arm: Frontier, baseline: Frontier, lo = 1e15, hi = 1e30, steps = 300): number | null {
  const adv = (x: number) => compareAt(arm, baseline, Math.exp(x)).lossAdvantage;
  const a = Math.log(lo),
    b = Math.log(hi);
  let x0 = a,
    f0 = adv(a);
  for (let k = 1; k <= steps; k++) {
    const x1 = a + ((b - a) * k) / steps;
    const f1 = adv(x1);
    if (f0 === 0) return Math.exp(x0);
    if (Math.sign(f1) !== Math.sign(f0) && Number.isFinite(f1) && Number.isFinite(f0)) {
      let l = x0,
        r = x1,
        fl = f0;
      for (let i = 0; i < 60; i++) {
        const m = (l + r) / 2;
        const fm = adv(m);
        if (Math.sign(fm) === Math.sign(fl)) {
          l = m;
          fl = fm;
        } else r = m;
      }
      return Math.exp((l + r) / 2);
    }
    x0 = x1;
    f0 = f1;
  }
  return null;
}

/**
 * Decision accuracy (Magnusson et al. 2025, DataDecide): at each budget, the share of arm pairs ranked by their
 * best observed loss as they rank at the largest budget. `best[k][j]`: arm j's lowest loss at budget k (NaN:
 * no run there); budgets ascending.
 */
export function decisionAccuracy(best: readonly (readonly number[])[]): { accuracy: number | null; pairs: number }[] {
  const top = best[best.length - 1]!;
  return best.map((row) => {
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
  });
}
