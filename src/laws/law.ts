import type { Runs } from '../data/runs.js';

/**
 * A scaling law L̂(θ; run) with an analytic gradient, behind the one interface every fitter uses.
 *
 * θ is the vector the optimiser moves (for Chinchilla: log A, log B, log E, α, β); `toPublic` turns it into
 * the constants a paper reports (A, B, E, α, β). Laws are stateless objects; per-run features that are
 * expensive to recompute (logarithms of N and D) are made once by `prepare`.
 */
export interface Law<F = unknown> {
  /** Name used on the command line (`--law chinchilla`). */
  readonly name: string;
  /** One-line formula, for help text and reports. */
  readonly formula: string;
  /** Names of the entries of θ, in order. */
  readonly thetaNames: readonly string[];
  /** Names of the reported constants, in the order `toPublic` returns them. */
  readonly publicNames: readonly string[];
  /** Precomputes per-run features (e.g. log N, log D) for `predict`. */
  prepare(runs: Runs): F;
  /**
   * Writes the predicted loss of each run into `out` and, when `jac` is given, dL̂/dθ into `jac`
   * (row-major, runs × θ). Must not allocate: it is called once per optimiser step.
   */
  predict(theta: Float64Array, features: F, out: Float64Array, jac?: Float64Array): void;
  /** Start points for multi-start fitting. */
  starts(grid: StartGrid): Float64Array[];
  /** θ → the constants a paper reports, keyed by `publicNames`. */
  toPublic(theta: Float64Array): Record<string, number>;
  /** The inverse of `toPublic`: θ from reported constants (a report's `params`), to evaluate a saved fit. */
  fromPublic?(params: Readonly<Record<string, number>>): Float64Array;
  /**
   * Ranges outside which a fitted constant means the law is not identified by the data (an exponent
   * driven to 0 makes its term a constant that trades off against E). A fit outside them is reported
   * with a warning, not silently.
   */
  readonly plausible?: Readonly<Record<string, readonly [number, number]>>;
  /**
   * Compute-optimal allocation under C = 6ND, when the law has one in closed form:
   * N_opt = G·(C/6)^a and D_opt = G⁻¹·(C/6)^b.
   */
  allocate?(theta: Float64Array): Allocation;
}

/** N_opt = G·(C/6)^a, D_opt = G⁻¹·(C/6)^b, with a + b = 1. */
export interface Allocation {
  a: number;
  b: number;
  G: number;
}

/** `hoffmann`: the 4,500-point grid of Hoffmann et al. (2022); `default`: a smaller grid that finds the same optimum on typical data. */
export type StartGrid = 'hoffmann' | 'default';

/** Number of runs in prepared features; every law's features carry it. */
export interface Features {
  n: number;
}

/** Cartesian product of value lists, in row-major order (last list varies fastest). */
export function cartesian(lists: readonly (readonly number[])[]): Float64Array[] {
  let out: number[][] = [[]];
  for (const list of lists) {
    const next: number[][] = [];
    for (const prefix of out) for (const v of list) next.push([...prefix, v]);
    out = next;
  }
  return out.map((p) => Float64Array.from(p));
}

/** Inclusive arithmetic range: `range(0, 2, 0.5)` is [0, 0.5, 1, 1.5, 2]. */
export function range(from: number, to: number, step: number): number[] {
  const n = Math.round((to - from) / step);
  return Array.from({ length: n + 1 }, (_, i) => from + i * step);
}

/** θ = (log A, log B, log E, α, β) from {E, A, B, alpha, beta}: the layout of both laws' θ. */
export function logConstants(p: Readonly<Record<string, number>>): Float64Array {
  const need = (k: string) => {
    const v = p[k];
    if (v === undefined) throw new RangeError(`missing constant "${k}"`);
    return v;
  };
  return Float64Array.of(Math.log(need('A')), Math.log(need('B')), Math.log(need('E')), need('alpha'), need('beta'));
}
