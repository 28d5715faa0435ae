// The planner view's numbers: the budget slider's position ↔ C on a log scale, and each fit's plan at C from the
// same pure core as `scalewise plan` (planFromSaved), so the page shows `plan --budget C --json` to its digits.
import { planFromSaved, type PlanSource } from '../analyses/plan.js';
import type { PlanReport } from '../schema/plan.js';
import type { SavedFit } from '../schema/saved-fit.js';

/** A saved fit as `/api/fits` sends it: its label and the document `fit --save` wrote. */
export interface PlannerFit {
  label: string;
  saved: SavedFit;
}

/** Positions of the budget slider: 0 … SLIDER_STEPS, evenly spaced in log C. */
export const SLIDER_STEPS = 600;

/**
 * The slider's range in log10 C: from the smallest C any fit was fitted on to 1000× beyond the largest (the
 * plan warns past 10×, and refuses only past 1e6×).
 */
export function budgetRange(fits: PlannerFit[]): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const f of fits) {
    lo = Math.min(lo, f.saved.data.C[0]);
    hi = Math.max(hi, f.saved.data.C[1]);
  }
  return [Math.floor(Math.log10(lo) * 10) / 10, Math.ceil(Math.log10(hi) * 10) / 10 + 3];
}

/** The budget at a slider position: 10^(lo + (hi − lo)·k/SLIDER_STEPS), rounded to 4 significant digits so it reads as typed. */
export function budgetAt(range: [number, number], k: number): number {
  const C = Math.pow(10, range[0] + ((range[1] - range[0]) * k) / SLIDER_STEPS);
  return Number(C.toPrecision(4));
}

/** Each fit's plan at C, as `scalewise plan A.json --also B.json … --budget C --json` gives it (one fit: its document). */
export function plansAt(fits: PlannerFit[], C: number): { label: string; report: PlanReport }[] {
  const sources: PlanSource[] = fits.map((f) => ({ label: f.label, file: f.label, saved: f.saved }));
  const r = planFromSaved(sources, { budget: [C], utilisation: 0.4 });
  return 'fits' in r ? r.fits.map((f) => ({ label: f.label, report: f })) : [{ label: fits[0]!.label, report: r }];
}
