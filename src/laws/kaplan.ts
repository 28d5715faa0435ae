import { cartesian, logConstants, range, type Law, type StartGrid } from './law.js';
import { prepareLogND, type LogND } from './chinchilla.js';

/**
 * Kaplan-form law with an irreducible term, as used for E in loss-to-loss work
 * (Brandfonbrener et al. 2024): L(N, D) = E + ((A/N)^(α/β) + B/D)^β.
 *
 * θ = (a, b, e, α, β) with A = e^a, B = e^b, E = e^e.
 */
export const kaplan: Law<LogND> = {
  name: 'kaplan',
  formula: 'L = E + ((A/N)^(alpha/beta) + B/D)^beta',
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
    const ratio = alpha / beta;
    const { n, logN, logD } = f;
    for (let i = 0; i < n; i++) {
      const xN = a - logN[i]!; // log(A/N)
      const u = Math.exp(ratio * xN);
      const v = Math.exp(b - logD[i]!);
      const S = u + v;
      const logS = Math.log(S);
      const P = Math.exp(beta * logS);
      out[i] = P + E;
      if (jac) {
        const r = i * 5;
        const PS = P / S;
        jac[r] = PS * alpha * u;
        jac[r + 1] = PS * beta * v;
        jac[r + 2] = E;
        jac[r + 3] = PS * u * xN;
        jac[r + 4] = P * logS - PS * ratio * u * xN;
      }
    }
  },
  starts(grid: StartGrid) {
    // log A and log B around Kaplan et al.'s N_c ≈ 8.8e13, D_c ≈ 5.4e13 (log ≈ 32, 31) and smaller.
    if (grid === 'hoffmann') {
      return cartesian([range(0, 35, 5), range(0, 35, 5), range(-1, 1, 0.5), range(0.1, 0.9, 0.2), range(0.1, 0.9, 0.2)]);
    }
    return cartesian([range(5, 35, 10), range(5, 35, 10), [-1, 0, 0.5, 1], [0.1, 0.3, 0.6], [0.1, 0.3, 0.6]]);
  },
  allocate(theta) {
    // With D = C/(6N), (A/N)^(α/β) + B/D is least where B·6N/C = (α/β)(A/N)^(α/β), which gives
    // N_opt = ((α/β)·A^(α/β)/B)^(β/(α+β)) · (C/6)^(β/(α+β)): the same exponents as the Chinchilla form.
    const a = theta[0]!,
      b = theta[1]!,
      alpha = theta[3]!,
      beta = theta[4]!;
    const s = alpha + beta;
    const r = alpha / beta;
    return { a: beta / s, b: alpha / s, G: Math.exp((beta / s) * (Math.log(r) + r * a - b)) };
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
