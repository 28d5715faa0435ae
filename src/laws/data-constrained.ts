import type { Runs } from '../data/runs.js';
import { chinchilla } from './chinchilla.js';
import { cartesian, logConstants, type Features, type Law, type StartGrid } from './law.js';

/** Per run: log N, N, log U and R_D = D/U − 1, the repeated epochs beyond the first. */
export interface DataConstrainedFeatures extends Features {
  N: Float64Array;
  logN: Float64Array;
  logU: Float64Array;
  U: Float64Array;
  RD: Float64Array;
}

/**
 * A point without U (`runs.U` absent) is read as trained on unique tokens only, U = D: how a compute-optimal
 * allocation with unique tokens to spare evaluates the law. `fit --law data-constrained` requires `--unique`
 * and `predict` of such a fit `--u`, so runs read from a table always carry their U.
 */
function prepareDataConstrained(runs: Runs): DataConstrainedFeatures {
  const n = runs.N.length;
  const U = runs.U ? Float64Array.from(runs.U) : Float64Array.from(runs.D);
  const logN = new Float64Array(n);
  const logU = new Float64Array(n);
  const RD = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    logN[i] = Math.log(runs.N[i]!);
    logU[i] = Math.log(U[i]!);
    RD[i] = Math.max(runs.D[i]! / U[i]! - 1, 0);
  }
  return { n, N: Float64Array.from(runs.N), logN, logU, U, RD };
}

/**
 * Data-constrained law (Muennighoff et al. 2023, "Scaling Data-Constrained Language Models", eq. 5 and
 * github.com/huggingface/datablations `utils/parametric_fit.ipynb` cells 28–30):
 *
 *   L = E + A/N′^α + B/D′^β,  D′ = U·(1 + R_D*·(1 − e^(−R_D/R_D*))),  N′ = U_N·(1 + R_N*·(1 − e^(−R_N/R_N*)))
 *
 * with R_D = D/U − 1 the repeated epochs and, as the notebook defines it, U_N = min(N, N_opt(C_U)): C_U is
 * the compute whose compute-optimal tokens under the base law E + A/N^α + B/D^β are U, and N_opt(C_U) its
 * compute-optimal parameters, G·(G·U)^(β/α) with G = (αA/(βB))^(1/(α+β)); R_N = N/U_N − 1. U_N depends
 * on A, B, α, β, so with free base constants its derivative enters the Jacobian (exact away from the kink
 * N = N_opt(C_U), where the law is continuous but not differentiable).
 *
 * θ = (log A, log B, log E, α, β, log R_D*, log R_N*): the Chinchilla layout, then R_D*, R_N* in log space
 * (both are positive; the notebook's linear start 0 divides by zero).
 */
export const dataConstrained: Law<DataConstrainedFeatures> = {
  name: 'data-constrained',
  formula: "L = E + A/N'^alpha + B/D'^beta, D' = U(1 + RD(1 - exp(-(D/U-1)/RD))), N' = U_N(1 + RN(1 - exp(-(N/U_N-1)/RN)))",
  thetaNames: ['a', 'b', 'e', 'alpha', 'beta', 'log_RD', 'log_RN'],
  publicNames: ['E', 'A', 'B', 'alpha', 'beta', 'RD', 'RN'],
  plausible: { alpha: [0.02, 2], beta: [0.02, 2], RD: [0.01, 1e4], RN: [0.01, 1e4] },
  prepare: prepareDataConstrained,
  predict(theta, f, out, jac) {
    const a = theta[0]!,
      b = theta[1]!,
      e = theta[2]!,
      alpha = theta[3]!,
      beta = theta[4]!;
    const rd = Math.exp(theta[5]!),
      rn = Math.exp(theta[6]!);
    const E = Math.exp(e);
    // log N_opt(C_U) = (1 + β/α)·log G + (β/α)·log U, and its derivatives in a, b, α, β.
    const s = alpha + beta;
    const logG = (Math.log(alpha) + a - Math.log(beta) - b) / s;
    const r = beta / alpha;
    const gA = 1 / s,
      gAlpha = (1 / alpha - logG) / s,
      gBeta = (-1 / beta - logG) / s;
    const { n, N, logN, logU, U, RD } = f;
    for (let i = 0; i < n; i++) {
      // Effective data.
      const eD = Math.exp(-RD[i]! / rd);
      const Dp = U[i]! * (1 + rd * (1 - eD));
      const lDp = Math.log(Dp);
      // Unique parameters: the compute-optimal N for U unique tokens, or N when smaller.
      const lStar = (1 + r) * logG + r * logU[i]!;
      const capped = lStar < logN[i]!;
      const lUN = capped ? lStar : logN[i]!;
      const UN = Math.exp(lUN);
      const RN = capped ? N[i]! / UN - 1 : 0;
      const eN = Math.exp(-RN / rn);
      const Np = UN * (1 + rn * (1 - eN));
      const lNp = Math.log(Np);
      const tN = Math.exp(a - alpha * lNp);
      const tD = Math.exp(b - beta * lDp);
      out[i] = tN + tD + E;
      if (jac) {
        const k = i * 7;
        // d log N′ / d log U_N = (U_N/N′)·(1 + R_N*(1 − e) − e·N/U_N), only when U_N is the capped value.
        const dLogNp = capped ? (UN / Np) * (1 + rn * (1 - eN) - (eN * N[i]!) / UN) : 0;
        const c = -alpha * tN * dLogNp;
        const dAlphaStar = (1 + r) * gAlpha - (r / alpha) * (logG + logU[i]!);
        const dBetaStar = (1 + r) * gBeta + (1 / alpha) * (logG + logU[i]!);
        jac[k] = tN + c * (1 + r) * gA;
        jac[k + 1] = tD - c * (1 + r) * gA;
        jac[k + 2] = E;
        jac[k + 3] = -lNp * tN + c * dAlphaStar;
        jac[k + 4] = -lDp * tD + c * dBetaStar;
        // d D′/d log R_D* = R_D*·U·((1 − e) − e·R_D/R_D*), likewise for N′.
        jac[k + 5] = ((-beta * tD) / Dp) * rd * U[i]! * (1 - eD - (eD * RD[i]!) / rd);
        jac[k + 6] = ((-alpha * tN) / Np) * rn * UN * (1 - eN - (eN * RN) / rn);
      }
    }
  },
  starts(grid: StartGrid) {
    // The base law's grid, each start with R_D*, R_N* from 1 to 50 (the notebook starts at 0, 6.7, 13.3, 20).
    const rs = [1, 5, 15, 50].map(Math.log);
    return cartesian([...chinchillaLists(grid), rs, rs]);
  },
  allocate(theta) {
    // With unique tokens to spare (U ≥ D_opt) the optimum repeats nothing and U_N = N_opt: the base law's allocation.
    return chinchilla.allocate!(theta.subarray(0, 5));
  },
  fromPublic(p) {
    const need = (k: string) => {
      const v = p[k];
      if (v === undefined) throw new RangeError(`missing constant "${k}"`);
      return v;
    };
    const out = new Float64Array(7);
    out.set(logConstants(p));
    out[5] = Math.log(need('RD'));
    out[6] = Math.log(need('RN'));
    return out;
  },
  toPublic(theta) {
    return { ...chinchilla.toPublic(theta.subarray(0, 5)), RD: Math.exp(theta[5]!), RN: Math.exp(theta[6]!) };
  },
};

/** The value lists of the Chinchilla start grid (src/laws/chinchilla.ts), for the base constants. */
function chinchillaLists(grid: StartGrid): number[][] {
  const starts = chinchilla.starts(grid);
  return [0, 1, 2, 3, 4].map((j) => [...new Set(starts.map((s) => s[j]!))]);
}
