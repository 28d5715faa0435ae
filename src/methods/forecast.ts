import { runsAt, type RunGroups } from '../data/runs.js';
import type { ErrorLink } from '../laws/error-link.js';
import type { Law } from '../laws/law.js';
import { interval95 } from '../stats/quantile.js';

/** A fitted error law as a forecast needs it. */
export interface ErrorLawState {
  link: ErrorLink;
  theta: Float64Array;
  /** Bootstrap θ draws, row-major; as many rows as the loss law's draws when both are given. */
  draws?: Float64Array;
}

/** The forecast at one (N, D). */
export interface Forecast {
  loss: number;
  /** 95% percentile interval of the loss over the bootstrap draws; absent without draws. */
  ci95?: [number, number];
  /** Error law at the forecast loss. */
  error?: number;
  /** 95% interval of the error: draw i's error law at draw i's loss. */
  errorCi95?: [number, number];
}

/**
 * Loss (and downstream error) at each point (N, D) of `at` from a law's θ, with 95% percentile intervals from bootstrap
 * draws θ_i of the loss law (row-major, `lossDraws`). The error is the error law at the forecast loss, the
 * way Gadre et al. chain the two laws; its interval pairs loss draw i with error-law draw i, so it carries
 * the uncertainty of both fits (only the loss law's when the error law has no draws).
 */
export function forecast<F>(
  law: Law<F>,
  theta: Float64Array,
  at: { N: ArrayLike<number>; D: ArrayLike<number>; group?: RunGroups; U?: Float64Array },
  lossDraws?: Float64Array,
  errorLaw?: ErrorLawState,
): Forecast[] {
  const n = at.N.length;
  // A joint law's points carry their groups; the data-constrained law's, their unique tokens.
  const features = law.prepare({ ...runsAt(at.N, at.D), ...(at.group ? { group: at.group } : {}), ...(at.U ? { U: at.U } : {}) });
  const point = new Float64Array(n);
  law.predict(theta, features, point);
  const out: Forecast[] = Array.from(point, (loss) => ({
    loss,
    ...(errorLaw ? { error: errorLaw.link.predict(errorLaw.theta, loss) } : {}),
  }));
  if (!lossDraws) return out;

  const p = law.thetaNames.length;
  const B = lossDraws.length / p;
  const q = errorLaw?.link.paramNames.length ?? 0;
  const losses = Array.from({ length: n }, () => new Float64Array(B));
  const errors = errorLaw ? Array.from({ length: n }, () => new Float64Array(B)) : [];
  const drawn = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    law.predict(lossDraws.subarray(b * p, b * p + p), features, drawn);
    const et = errorLaw ? (errorLaw.draws ? errorLaw.draws.subarray(b * q, b * q + q) : errorLaw.theta) : undefined;
    for (let i = 0; i < n; i++) {
      losses[i]![b] = drawn[i]!;
      if (errorLaw) errors[i]![b] = errorLaw.link.predict(et!, drawn[i]!);
    }
  }
  out.forEach((f, i) => {
    f.ci95 = interval95(losses[i]!);
    if (errorLaw) f.errorCi95 = interval95(errors[i]!);
  });
  return out;
}
