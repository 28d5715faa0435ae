import type { Runs } from '../data/runs.js';
import { UserError } from '../errors.js';
import type { Allocation, Law } from '../laws/law.js';

/** One budget's compute-optimal model. */
export interface OptimalPoint {
  /** Training compute, FLOP. */
  C: number;
  /** Compute-optimal parameters. */
  N: number;
  /** Compute-optimal tokens, C/(6N). */
  D: number;
  tokensPerParam: number;
  /** The law's loss at (N, D). */
  loss: number;
}

/**
 * Compute-optimal allocation under C = 6ND (Hoffmann et al. 2022, §3.3): the law's exponents
 * a = β/(α+β), b = α/(α+β), the coefficient G, and N_opt, D_opt, D/N and the predicted loss per budget.
 */
export function computeOptimal<F>(law: Law<F>, theta: Float64Array, budgets: readonly number[]): Allocation & { budgets: OptimalPoint[] } {
  if (!law.allocate) throw new UserError(`the ${law.name} law has no compute-optimal allocation`);
  const alloc = law.allocate(theta);
  const points = budgets.map((C) => optimalAt(law, theta, alloc, C));
  return { ...alloc, budgets: points };
}

export function optimalAt<F>(law: Law<F>, theta: Float64Array, alloc: Allocation, C: number): OptimalPoint {
  const N = alloc.G * Math.pow(C / 6, alloc.a);
  const D = C / (6 * N);
  const runs: Runs = { N: Float64Array.of(N), D: Float64Array.of(D), C: Float64Array.of(C), loss: Float64Array.of(1), origin: [] };
  const out = new Float64Array(1);
  law.predict(theta, law.prepare(runs), out);
  return { C, N, D, tokensPerParam: D / N, loss: out[0]! };
}
