import type { Runs } from '../data/runs.js';
import { cartesian, type ChinchillaConstants, type Features, type Law } from './law.js';

/** log M = log(D/N) and log C = log(6ND) per run. */
export interface LogMC extends Features {
  logM: Float64Array;
  logC: Float64Array;
}

function prepareLogMC(runs: Runs): LogMC {
  const n = runs.N.length;
  const logM = new Float64Array(n);
  const logC = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lN = Math.log(runs.N[i]!),
      lD = Math.log(runs.D[i]!);
    logM[i] = lD - lN;
    // C from the run's own N and D, as the law is defined, not from a FLOP column that may count differently.
    logC[i] = Math.log(6) + lN + lD;
  }
  return { n, logM, logC };
}

/**
 * Over-training law (Gadre et al. 2024, eq. 4): L(C, M) = E + (a·M^η + b·M^−η)·C^−η, M = D/N, C = 6ND.
 *
 * θ = (log a, log b, η, E). a and b are positive in every fit that means anything, so they live in log
 * space; E stays linear so that Gadre's start E₀ = 0 is representable (log E₀ would be −∞).
 */
export const overtrain: Law<LogMC> = {
  name: 'overtrain',
  formula: 'L = E + (a*M^eta + b*M^-eta)*C^-eta, M = D/N, C = 6ND',
  thetaNames: ['log_a', 'log_b', 'eta', 'E'],
  publicNames: ['E', 'a', 'b', 'eta'],
  // α = β = 2η must lie in the Chinchilla law's plausible [0.02, 2].
  plausible: { eta: [0.01, 1] },
  prepare: prepareLogMC,
  predict(theta, f, out, jac) {
    const la = theta[0]!,
      lb = theta[1]!,
      eta = theta[2]!,
      E = theta[3]!;
    const { n, logM, logC } = f;
    for (let i = 0; i < n; i++) {
      const lM = logM[i]!,
        lC = logC[i]!;
      const t1 = Math.exp(la + eta * (lM - lC));
      const t2 = Math.exp(lb - eta * (lM + lC));
      out[i] = E + t1 + t2;
      if (jac) {
        const r = i * 4;
        jac[r] = t1;
        jac[r + 1] = t2;
        jac[r + 2] = t1 * (lM - lC) - t2 * (lM + lC);
        jac[r + 3] = 1;
      }
    }
  },
  starts() {
    return gadreStarts();
  },
  allocate(theta) {
    // α = β makes the Chinchilla allocation exponents ½ and ½; G = (A/B)^(1/(2α)) = (a/b)^(1/(4η)).
    const eta = theta[2]!;
    return { a: 0.5, b: 0.5, G: Math.exp((theta[0]! - theta[1]!) / (4 * eta)) };
  },
  chinchilla: (theta) => overtrainToChinchilla(publicOf(theta)),
  optimalM: (theta) => overtrainOptimalM(publicOf(theta)),
  toPublic: (theta) => ({ ...publicOf(theta) }),
  fromPublic: (p) => Float64Array.of(Math.log(p.a!), Math.log(p.b!), p.eta!, p.E!),
};

/**
 * The 128 starts of Gadre et al. (mlfoundations/scaling, `curve_fit_powlaw_ours`), given there in the form
 * L = α·N^p + β·6^(p/2)·(M·N)^p + E with α₀, β₀ ∈ {100, 300, 1000, 3000}, p₀ ∈ {−0.1, −0.3},
 * E₀ ∈ {0, 1, 2, 10}. With C = 6N²M, α·N^p = α·6^η·(M/C)^η and β·6^(p/2)·(MN)^p = β·(MC)^−η for η = −p/2,
 * so a = α·6^η and b = β.
 */
export function gadreStarts(): Float64Array[] {
  const values = [100, 300, 1000, 3000];
  return cartesian([values, values, [-0.1, -0.3], [0, 1, 2, 10]]).map(([alpha, beta, p, E]) => {
    const eta = -p! / 2;
    return Float64Array.of(Math.log(alpha! * Math.pow(6, eta)), Math.log(beta!), eta, E!);
  });
}

function publicOf(theta: Float64Array): OvertrainParams {
  return { E: theta[3]!, a: Math.exp(theta[0]!), b: Math.exp(theta[1]!), eta: theta[2]! };
}

/** The constants Gadre et al. report. */
export interface OvertrainParams {
  E: number;
  a: number;
  b: number;
  eta: number;
}

/** The equivalent Chinchilla constants of an over-training fit: α = β = 2η, A = a·6^−η, B = b·6^−η. */
export function overtrainToChinchilla(p: OvertrainParams): ChinchillaConstants {
  const s = Math.pow(6, -p.eta);
  return { E: p.E, A: p.a * s, B: p.b * s, alpha: 2 * p.eta, beta: 2 * p.eta };
}

/** Compute-optimal tokens per parameter: a·M^η + b·M^−η is least at M = (b/a)^(1/(2η)). */
export function overtrainOptimalM(p: OvertrainParams): number {
  return Math.pow(p.b / p.a, 1 / (2 * p.eta));
}
