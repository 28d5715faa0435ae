import type { ErrorLink } from './error-link.js';

/** The bounded link: an error link (the same Acc(L) interface) that knows its floor. */
export interface BoundedLink extends ErrorLink {
  /** The chance level c, the accuracy as L → ∞. */
  readonly chance: number;
}

/**
 * Bhagia et al. (2024, "Establishing Task Scaling Laws via Compute-Efficient Model Ladders", §3.2, eq. 2) map a
 * task loss L to accuracy by Acc(L) = a/(1 + exp(−k·(L − L0))) + b. Bounded between the task's chance level c
 * and a ceiling of at most 1, that is b = top (the accuracy as L → −∞) and a = c − top (so Acc → c as L → ∞):
 *
 *   Acc(L) = c + (top − c)/(1 + exp(k·(L − L0))),   c ≤ top ≤ 1, k > 0.
 *
 * θ = (top, k, L0); c is given (`--chance`), not fitted. The bounds are kept by the fit
 * (src/methods/accuracy-link.ts): top is refitted held at 1 when the data would put it above.
 */
export function boundedSigmoidLink(chance: number): BoundedLink {
  return {
    name: 'bounded',
    chance,
    formula: `Acc = ${chance} + (top - ${chance})/(1 + exp(k*(L - L0)))`,
    paramNames: ['top', 'k', 'L0'],
    plausible: { top: [chance, 1], k: [0, Infinity] },
    starts(loss, accuracy) {
      // The ceiling at 1 and just above the best accuracy, the midpoint at the middle and at the upper end of
      // the losses, two steepnesses: 8 starts, each cheap.
      let minL = Infinity,
        maxL = -Infinity,
        maxA = -Infinity;
      for (let i = 0; i < loss.length; i++) {
        minL = Math.min(minL, loss[i]!);
        maxL = Math.max(maxL, loss[i]!);
        maxA = Math.max(maxA, accuracy[i]!);
      }
      const width = Math.max(maxL - minL, 1e-3);
      const out: Float64Array[] = [];
      for (const top of [1, Math.min(1, Math.max(chance + 0.01, 1.1 * maxA))])
        for (const k of [2 / width, 8 / width]) for (const L0 of [(minL + maxL) / 2, maxL]) out.push(Float64Array.of(top, k, L0));
      return out;
    },
    predict(theta, L, grad) {
      const top = theta[0]!,
        k = theta[1]!,
        L0 = theta[2]!;
      const z = k * (L - L0);
      // s = 1/(1 + e^z), without overflow for large |z|.
      const s = z > 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      if (grad) {
        const ds = -s * (1 - s); // ds/dz
        grad[0] = s;
        grad[1] = (top - chance) * ds * (L - L0);
        grad[2] = -(top - chance) * ds * k;
      }
      return chance + (top - chance) * s;
    },
  };
}
