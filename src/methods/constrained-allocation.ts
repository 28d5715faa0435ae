/**
 * Compute-optimal allocation under a unique-token limit (Muennighoff et al. 2023, "Scaling Data-Constrained
 * Language Models", §3 and Figure 3): at a budget C = 6ND with at most U unique tokens, the (N, D) of least
 * loss under the data-constrained law, where a run of D > U tokens repeats its data D/U times and counts only
 * the effective data D′ (and, for a model too large for its unique tokens, the effective parameters N′).
 */
import type { Runs } from '../data/runs.js';
import { UserError } from '../errors.js';
import { goldenSection } from '../optim/golden-section.js';
import type { Law } from '../laws/law.js';
import { decreasingRoot } from './plan.js';

/** One configuration at a budget under a unique-token limit. */
export interface ConstrainedPoint {
  C: number;
  N: number;
  /** Training tokens, C/(6N). */
  D: number;
  tokensPerParam: number;
  /** Unique tokens the run uses: min(D, U). */
  unique: number;
  /** D over the unique tokens used: 1 when nothing repeats. */
  epochs: number;
  loss: number;
  /** The law's effective data D′ = U·(1 + R_D*·(1 − e^(−(D/U − 1)/R_D*))). */
  effectiveD: number;
  /** The law's effective parameters N′ (N unless the model is larger than compute-optimal for its unique tokens). */
  effectiveN: number;
  /**
   * What the run's last token is worth against a unique one, dD′/dD = e^(−(D/U − 1)/R_D*): 1 while nothing
   * repeats, 1/e after R_D* repeated epochs. Where it is small, more epochs add compute but little data.
   */
  lastTokenWorth: number;
}

/** The data-constrained law's public constants this method reads. */
interface DataConstrainedConstants {
  A: number;
  B: number;
  alpha: number;
  beta: number;
  RD: number;
  RN: number;
}

function constantsOf<F>(law: Law<F>, theta: Float64Array): DataConstrainedConstants {
  const p = law.toPublic(theta);
  const { A, B, alpha, beta, RD, RN } = p;
  if (A === undefined || B === undefined || alpha === undefined || beta === undefined || RD === undefined || RN === undefined) {
    throw new UserError(`the ${law.name} law has no unique-token constants (R_D*, R_N*): a unique-token limit needs a data-constrained fit`);
  }
  return { A, B, alpha, beta, RD, RN };
}

/** The law at one (N, D) trained on min(D, U) unique tokens, with its effective D′ and N′. */
export function constrainedPoint<F>(law: Law<F>, theta: Float64Array, C: number, N: number, U: number): ConstrainedPoint {
  const k = constantsOf(law, theta);
  const D = C / (6 * N);
  const unique = Math.min(D, U);
  const runs: Runs = { N: Float64Array.of(N), D: Float64Array.of(D), C: Float64Array.of(C), loss: Float64Array.of(1), U: Float64Array.of(unique), origin: [] };
  const out = new Float64Array(1);
  law.predict(theta, law.prepare(runs), out);
  const repeated = D / unique - 1;
  const worth = Math.exp(-repeated / k.RD);
  const effectiveD = unique * (1 + k.RD * (1 - worth));
  // N′ as the law defines it (src/laws/data-constrained.ts): U_N = min(N, G·(G·U)^(β/α)), G = (αA/(βB))^(1/(α+β)).
  const G = Math.pow((k.alpha * k.A) / (k.beta * k.B), 1 / (k.alpha + k.beta));
  const UN = Math.min(N, G * Math.pow(G * unique, k.beta / k.alpha));
  const effectiveN = UN * (1 + k.RN * (1 - Math.exp(-(N / UN - 1) / k.RN)));
  return { C, N, D, tokensPerParam: D / N, unique, epochs: D / unique, loss: out[0]!, effectiveD, effectiveN, lastTokenWorth: worth };
}

/**
 * The least-loss (N, D) at budget C with at most U unique tokens. The loss along C = 6ND is searched in ln N:
 * a scan of 241 points over 12 decades around the unconstrained optimum `nStart` brackets the minimum, then
 * golden section refines it to ~1e-12 in ln N. With U at or above the unconstrained D_opt nothing repeats and
 * the answer is the unconstrained run (the law is the base law there, and never below it elsewhere).
 */
export function constrainedOptimal<F>(law: Law<F>, theta: Float64Array, C: number, U: number, nStart: number): ConstrainedPoint {
  if (!(U > 0)) throw new UserError(`a unique-token limit must be positive, got ${U}`);
  const f = (u: number) => constrainedPoint(law, theta, C, Math.exp(u), U).loss;
  const u0 = Math.log(nStart);
  const steps = 240,
    width = 6 * Math.LN10;
  let best = 0,
    fBest = Infinity;
  const grid: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const u = u0 - width + (2 * width * i) / steps;
    grid.push(u);
    const v = f(u);
    if (v < fBest) {
      fBest = v;
      best = i;
    }
  }
  const { x, fx } = goldenSection(f, {
    lo: grid[Math.max(0, best - 1)]!,
    hi: grid[Math.min(steps, best + 1)]!,
    maxIterations: 200,
    tolerance: 1e-12,
  });
  const u = fx <= fBest ? x : grid[best]!;
  return constrainedPoint(law, theta, C, Math.exp(u), U);
}

/**
 * The least loss any budget reaches with at most U unique tokens: as C → ∞ the effective data D′ tends to
 * U·(1 + R_D*) and the effective parameters N′ to U_N·(1 + R_N*), U_N = G·(G·U)^(β/α) the compute-optimal size
 * for U tokens; the loss to E + A/N′^α + B/D′^β there. A target at or below it needs more unique data.
 */
export function constrainedFloor<F>(law: Law<F>, theta: Float64Array, U: number): number {
  const k = constantsOf(law, theta);
  const E = law.toPublic(theta).E ?? 0;
  const G = Math.pow((k.alpha * k.A) / (k.beta * k.B), 1 / (k.alpha + k.beta));
  const UN = G * Math.pow(G * U, k.beta / k.alpha);
  return E + k.A * Math.pow(UN * (1 + k.RN), -k.alpha) + k.B * Math.pow(U * (1 + k.RD), -k.beta);
}

/**
 * The least budget whose constrained optimum (at most U unique tokens) reaches loss L: the frontier solved for C
 * in ln C, as {@link budgetForLoss} does without the limit. Undefined when L is at or below the floor.
 */
export function constrainedBudgetForLoss<F>(law: Law<F>, theta: Float64Array, U: number, L: number, nAt: (C: number) => number): number | undefined {
  const floor = constrainedFloor(law, theta, U);
  if (!(L > floor)) return undefined;
  const g = (x: number) => {
    const C = Math.exp(x);
    const excess = constrainedOptimal(law, theta, C, U, nAt(C)).loss - floor;
    return (excess > 0 ? Math.log(excess) : -Infinity) - Math.log(L - floor);
  };
  const x = decreasingRoot(g, Math.log(1e21), 5);
  return x === undefined ? undefined : Math.exp(x);
}
