/**
 * Prediction intervals for a loss-to-loss forecast: the line refitted with a rolling origin on its own pairs
 * (fitted on the pairs up to each compute budget from the third, forecasting every later pair's L_y from its
 * L_x), and the same conformal calibration of those errors as a fit's (src/methods/calibration.ts). Where E
 * was fitted, each cut refits it on the runs up to the cut (`eAt`): an E fitted on every budget would let the
 * cuts see the later runs, and their errors would understate the forecast's.
 */
import { distinctBudgets } from '../data/selection.js';
import { UserError } from '../errors.js';
import { MIN_CUTS, type Calibration } from '../methods/calibration.js';
import { fitLossToLoss, predictLoss, type LossToLossLine } from '../methods/loss-to-loss.js';
import { extent } from '../stats/extent.js';
import { calibrationFrom, type RollingCut } from './rolling-origin.js';

/** Budgets the first cut fits, as a fit's calibration does. */
const MIN_FIT = 3;

/**
 * The calibration of a line fitted on pairs (x, y) whose runs have compute C, or null when the pairs span too
 * few budgets for {@link MIN_CUTS} cuts (or a cut's line cannot be fitted).
 */
export function lineCalibration(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  C: ArrayLike<number>,
  line: Pick<LossToLossLine, 'Ex' | 'Ey' | 'K' | 'kappa'>,
  eAt: (cut: number) => { Ex: number; Ey: number } = () => line,
  tolerance = 1e-6,
): Calibration | null {
  const budgets = distinctBudgets(C, tolerance);
  if (budgets.length - MIN_FIT < MIN_CUTS) return null;
  const budgetOf = Int32Array.from(C, (c) => {
    let k = 0;
    while (k + 1 < budgets.length && budgets[k + 1]! <= c) k++;
    return k;
  });
  const cuts: RollingCut[] = [];
  for (let k = MIN_FIT - 1; k < budgets.length - 1; k++) {
    const fitted: number[] = [];
    const later: number[] = [];
    for (let i = 0; i < C.length; i++) (budgetOf[i]! <= k ? fitted : later).push(i);
    let cut = 0;
    for (const i of fitted) cut = Math.max(cut, C[i]!);
    let at: LossToLossLine;
    try {
      const e = eAt(cut);
      at = fitLossToLoss(
        fitted.map((i) => x[i]!),
        fitted.map((i) => y[i]!),
        e.Ex,
        e.Ey,
      );
    } catch (err) {
      if (err instanceof UserError) return null;
      throw err;
    }
    cuts.push({
      k,
      value: cut,
      sigma0: scatter(at, x, y, fitted),
      forecasts: later.flatMap((i) => {
        const predicted = predictLoss(at, x[i]!);
        // An L_x at or below E_x has no forecast (the line is not defined there).
        return Number.isFinite(predicted) ? [{ index: i, budget: budgetOf[i]!, predicted, distance: C[i]! / cut, logError: Math.log(y[i]! / predicted) }] : [];
      }),
    });
  }
  const all = Array.from({ length: x.length }, (_, i) => i);
  return calibrationFrom(cuts, budgets.length - 1, scatter(line, x, y, all), extent(C)[1]);
}

/** sd of log(L_y / line) over the pairs `index`, on n − 2 degrees of freedom (K and κ fitted). */
function scatter(line: Pick<LossToLossLine, 'Ex' | 'Ey' | 'K' | 'kappa'>, x: ArrayLike<number>, y: ArrayLike<number>, index: readonly number[]): number {
  let ss = 0;
  for (const i of index) ss += Math.log(y[i]! / predictLoss(line, x[i]!)) ** 2;
  return Math.sqrt(ss / Math.max(1, index.length - 2));
}
