/** What every optimiser here returns. */
export interface OptimResult {
  /** The best point found. */
  x: Float64Array;
  /** Objective value at `x`. */
  f: number;
  iterations: number;
  /** Objective (or residual) evaluations, gradients included. */
  evaluations: number;
  /** True when a convergence test passed; false when a limit was hit or the line search failed. */
  converged: boolean;
  /** Which test stopped it: `gradient`, `ftol`, `xtol`, `max-iterations`, `line-search`, … */
  reason: string;
}
