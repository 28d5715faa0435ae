/**
 * Warnings: reasons not to trust a number, each with a stable code (for programs reading `--json`) and a
 * message (for people). Every code is listed here once, with what it means; docs/warnings.md is generated
 * from this list.
 */

export const warningCodes = {
  'not-converged': 'the optimiser stopped before converging: the fitted constants are not an optimum',
  'flat-ridge': 'starts that reach the best objective (within 1e-4) disagree on a constant by more than 5%: the data do not pin it down',
  'few-runs': 'fewer than 5 runs per fitted constant: the fit is weakly determined',
  'not-finite': 'a fitted constant is not finite',
  'unidentified-term': 'a fitted exponent lies outside [0.02, 2]: the data do not identify that term, nor the compute-optimal exponents',
  'e-to-zero': 'the irreducible loss E went to zero: it is not identified',
  'on-bound': 'a fitted constant sits on a bound given with --bound: the data would put it beyond, and the fit holds it there',
  'bootstrap-failed': 'some bootstrap refits did not converge (or could not be fitted) and are left out of the intervals',
  'bootstrap-few-runs': 'a bootstrap of barely more runs than constants: many resamples hold fewer distinct runs than constants, so the intervals are wide',
  'error-law-not-converged': "the downstream-error law's optimiser did not converge",
  'error-law-interpolates': 'the error law has as many runs as constants: it passes through every point and nothing checks it',
  'error-law-few-runs': 'fewer than 2 runs per constant of the error law',
  'error-law-unidentified': 'an error-law constant lies outside its range: the runs sit on one tail of the curve',
  'budget-excluded': 'an IsoFLOP budget is left out of the power law (too few sizes, its minimum at the edge of the sizes tried, or a concave fit)',
  'no-power-law': 'fewer than 2 budgets with an interior minimum (or one compute value only): no power law N*(C)',
  'two-budgets': 'the power law N*(C) rests on only 2 budgets: its exponent has no check',
  'runs-dropped': 'runs left out because C, N, D or the loss is not finite and positive',
  'poor-line': 'R² < 0.95: the shifted power law describes the loss-to-loss pairs poorly',
  'no-targets': 'a group has no target runs to score',
  'no-draws': 'the saved fit has no bootstrap draws: no intervals',
  'error-law-no-draws': "the error law has no bootstrap draws: error intervals carry only the loss law's uncertainty",
  'far-extrapolation': 'a forecast far beyond the largest compute of the fitted runs (more than 10×)',
  'outside-m-range': 'a forecast at tokens per parameter far outside the fitted range (more than 2× beyond it)',
  'no-calibration': 'no calibration for new-run intervals (too few budgets, no compute column, or --no-calibrate): no pi95',
  'flops-convention': 'the compute column is far from 6·N·D (another unit, or a forward-only count): D* = C/(6N*) would be off by that factor',
  'no-allocation': 'the fitted law has no finite compute-optimal allocation (its exponents trade nothing between N and D): none is reported',
  crossover: "two arms' compute-optimal frontiers cross inside 1e15–1e30 FLOP: the better arm at small scale is the worse at large (or the reverse)",
  'budgets-unclear': 'compute values lie close together without gaps between budgets: each distinct value is taken as its own budget',
  'intermediate-checkpoints':
    "intermediate checkpoints are used as if they were finished runs: before a decaying schedule's end a checkpoint has not annealed, so its loss sits above a run trained to that length",
  'pi-extrapolated': "a forecast beyond the distances the fit's calibration checked: its pi95 is itself an extrapolation",
  'covariate-unmatched': 'a --covariate row names a group not in the data, or a group of the data has no share for a skill: left out of that skill’s line',
  'no-covariate-line': 'fewer than 2 groups with a share and a power law (or only one share value) for a skill: no covariate line',
  'constant-params':
    "every run has the same N: the law's N term cannot be told apart from E, so its constants, E and the allocation are not determined (bootstrap resamples are refitted from the start grid)",
  'constant-tokens':
    "every run has the same D: the law's D term cannot be told apart from E, so its constants, E and the allocation are not determined (bootstrap resamples are refitted from the start grid)",
  'poor-power-law': 'the power law N*(C) fits the budgets poorly (R² < 0.5 in log space): an outlying budget or a mistyped size would do this',
  'implausible-exponent': 'the fitted exponent of N*(C) (or D*(C)) is outside (0, 1): the optimal size (or tokens) would shrink as compute grows',
  'outlying-budget': "a budget's N* lies more than 10× off the power law fitted to the other budgets: check its sizes and compute",
  'unreachable-draws':
    'some bootstrap draws put the asymptote E at or above a target loss: no budget reaches it under them, and the interval of the budget may be unbounded',
  'below-fitted-c': 'a plan at a budget below the smallest compute of the fitted runs: the law is extrapolated downwards',
  'accuracy-link-not-converged': "the accuracy link's optimiser (step 2, accuracy from task loss) did not converge",
  'accuracy-link-few-runs': 'at most 2 rows (anchors included) per free parameter of the accuracy link: the fit is weakly determined',
  'accuracy-link-unidentified':
    'an accuracy-link parameter lies outside its range (the ceiling outside [chance, 1], a negative steepness): the rows do not identify it',
  'accuracy-direct-mixed-ratio':
    'the direct accuracy law was fitted on runs of different tokens per parameter; it holds at one ratio (Krajewski et al.), so it averages over them',
} as const;

export type WarningCode = keyof typeof warningCodes;

/** One warning: its code and the sentence a person reads. */
export interface Warning {
  code: WarningCode;
  message: string;
}

export function warning(code: WarningCode, message: string): Warning {
  return { code, message };
}

/** The same warning with its message prefixed (a group, a skill, the E fit of a curve). */
export function prefixed(prefix: string, w: Warning): Warning {
  return { code: w.code, message: `${prefix}${w.message}` };
}
