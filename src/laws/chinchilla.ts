import type { Runs } from '../data/runs.js';
import { cartesian, logConstants, range, type Features, type Law, type StartGrid } from './law.js';

/** log N and log D per run. */
export interface LogND extends Features {
  logN: Float64Array;
  logD: Float64Array;
}

export function prepareLogND(runs: Runs): LogND {
  const n = runs.N.length;
  const logN = new Float64Array(n);
  const logD = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    logN[i] = Math.log(runs.N[i]!);
    logD[i] = Math.log(runs.D[i]!);
  }
  return { n, logN, logD };
}

/**
 * Chinchilla law (Hoffmann et al. 2022, "Approach 3"): L(N, D) = E + A/N^α + B/D^β.
 *
 * θ = (a, b, e, α, β) with A = e^a, B = e^b, E = e^e, so that log L̂ is the log-sum-exp
 * of (a − α·log N, b − β·log D, e), the form Hoffmann and Epoch (Besiroglu et al. 2024) optimise.
 */
export const chinchilla: Law<LogND> = {
  name: 'chinchilla',
  formula: 'L = E + A/N^alpha + B/D^beta',
  thetaNames: ['a', 'b', 'e', 'alpha', 'beta'],
  publicNames: ['E', 'A', 'B', 'alpha', 'beta'],
  plausible: { alpha: [0.02, 2], beta: [0.02, 2] },
  prepare: prepareLogND,
  predict(theta, f, out, jac) {
    const a = theta[0]!,
      b = theta[1]!,
      e = theta[2]!,
      alpha = theta[3]!,
      beta = theta[4]!;
    const E = Math.exp(e);
    const { n, logN, logD } = f;
    for (let i = 0; i < n; i++) {
      const lN = logN[i]!,
        lD = logD[i]!;
      const tN = Math.exp(a - alpha * lN);
      const tD = Math.exp(b - beta * lD);
      out[i] = tN + tD + E;
      if (jac) {
        const r = i * 5;
        jac[r] = tN;
        jac[r + 1] = tD;
        jac[r + 2] = E;
        jac[r + 3] = -lN * tN;
        jac[r + 4] = -lD * tD;
      }
    }
  },
  starts(grid: StartGrid) {
    // Hoffmann et al. (2022), Appendix D.2: α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}.
    if (grid === 'hoffmann') {
      return cartesian([range(0, 25, 5), range(0, 25, 5), range(-1, 1, 0.5), range(0, 2, 0.5), range(0, 2, 0.5)]);
    }
    // A coarser grid without the degenerate α = 0 or β = 0 starts.
    return cartesian([range(0, 25, 5), range(0, 25, 5), [-1, 0, 1], [0.2, 0.5, 1], [0.2, 0.5, 1]]);
  },
  allocate(theta) {
    // Hoffmann et al. (2022), eq. (4): minimise A/N^α + B/D^β subject to 6ND = C.
    const A = Math.exp(theta[0]!),
      B = Math.exp(theta[1]!),
      alpha = theta[3]!,
      beta = theta[4]!;
    const s = alpha + beta;
    return { a: beta / s, b: alpha / s, G: Math.pow((alpha * A) / (beta * B), 1 / s) };
  },
  fromPublic: logConstants,
  toPublic(theta) {
    return {
      E: Math.exp(theta[2]!),
      A: Math.exp(theta[0]!),
      B: Math.exp(theta[1]!),
      alpha: theta[3]!,
      beta: theta[4]!,
    };
  },
};
