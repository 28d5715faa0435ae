import { UserError, optionRef } from '../errors.js';
import { extent } from '../stats/extent.js';

/**
 * A downstream-error law Err(L): average top-1 error as a function of loss, with an analytic gradient.
 * θ is both what the optimiser moves and what is reported (every parameter is linear).
 */
export interface ErrorLink {
  /** Name used on the command line (`--link exp`). */
  readonly name: string;
  readonly formula: string;
  readonly paramNames: readonly string[];
  /** Ranges outside which a fitted parameter means the data do not identify it (reported as a warning). */
  readonly plausible?: Readonly<Record<string, readonly [number, number]>>;
  /** Start points for least squares, from the fitted (loss, error) pairs. */
  starts(loss: Float64Array, error: Float64Array): Float64Array[];
  /** Err(L); when `grad` is given, dErr/dθ is written into it. */
  predict(theta: ArrayLike<number>, L: number, grad?: Float64Array): number;
}

/**
 * Gadre et al. (2024), eq. 5: Err(L) = ε − k·exp(−γ·L). θ = (k, γ, ε), the order and the single start
 * (1, 1, 1) of their `curve_fit` call (scipy's default p0; mlfoundations/scaling, `scaling/shared.py`).
 */
export const expLink: ErrorLink = {
  name: 'exp',
  formula: 'Err = epsilon - k*exp(-gamma*L)',
  paramNames: ['k', 'gamma', 'epsilon'],
  starts: () => [Float64Array.of(1, 1, 1)],
  predict(theta, L, grad) {
    const k = theta[0]!,
      gamma = theta[1]!;
    const e = Math.exp(-gamma * L);
    if (grad) {
      grad[0] = -e;
      grad[1] = k * L * e;
      grad[2] = 1;
    }
    return theta[2]! - k * e;
  },
};

/**
 * A logistic link in the spirit of Llama 3's accuracy forecasts (Dubey et al. 2024, §3.2.1), written for
 * error: Err(L) = lo + (hi − lo)/(1 + exp(−s·(L − L0))). lo is the error an infinitely good model keeps,
 * hi the error at chance, s > 0 the steepness and L0 the loss halfway between them. θ = (lo, hi, s, L0).
 */
export const sigmoidLink: ErrorLink = {
  name: 'sigmoid',
  formula: 'Err = lo + (hi - lo)/(1 + exp(-s*(L - L0)))',
  paramNames: ['lo', 'hi', 's', 'L0'],
  // Errors are fractions; a floor or ceiling outside [0, 1] means the runs sit on one tail of the curve.
  plausible: { lo: [0, 1], hi: [0, 1], s: [0, Infinity] },
  starts(loss, error) {
    // Floors from 0 to just below the best error seen, ceilings from just above the worst to 1, the midpoint
    // at the middle of the losses, and two steepnesses: 16 starts, each cheap.
    const [minE, maxE] = extent(error);
    const [minL, maxL] = extent(loss);
    const mid = (minL + maxL) / 2;
    const width = Math.max(maxL - minL, 1e-3);
    const out: Float64Array[] = [];
    for (const lo of [0, 0.9 * minE])
      for (const hi of [1, Math.min(1, 1.1 * maxE)])
        for (const s of [2 / width, 8 / width])
          for (const L0 of [mid, maxL]) {
            out.push(Float64Array.of(lo, hi, s, L0));
          }
    return out;
  },
  predict(theta, L, grad) {
    const lo = theta[0]!,
      hi = theta[1]!,
      s = theta[2]!,
      L0 = theta[3]!;
    const z = -s * (L - L0);
    // σ = 1/(1 + e^z), computed without overflow for large |z|.
    const sig = z > 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
    if (grad) {
      const dsig = sig * (1 - sig); // dσ/d(s·(L − L0))
      grad[0] = 1 - sig;
      grad[1] = sig;
      grad[2] = (hi - lo) * dsig * (L - L0);
      grad[3] = -(hi - lo) * dsig * s;
    }
    return lo + (hi - lo) * sig;
  },
};

/** Every error link, by name. */
export const errorLinks: Record<string, ErrorLink> = { exp: expLink, sigmoid: sigmoidLink };

export function errorLinkByName(name: string): ErrorLink {
  const link = errorLinks[name];
  if (!link) throw new UserError(`${optionRef('link')} "${name}": unknown link (known: ${Object.keys(errorLinks).join(', ')})`);
  return link;
}
