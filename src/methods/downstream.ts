import { UserError } from '../errors.js';
import type { ErrorLink } from '../laws/error-link.js';
import type { ResidualFn } from '../objectives/objective.js';
import { levenbergMarquardt } from '../optim/levenberg-marquardt.js';
import type { OptimResult } from '../optim/result.js';
import { resampleCounts } from '../fitting/bootstrap.js';
import { warning, type Warning } from '../warnings.js';

/** A fitted downstream-error law Err(L). */
export interface ErrorLawFit {
  link: string;
  formula: string;
  /** θ by the link's parameter names. */
  params: Record<string, number>;
  theta: Float64Array;
  /** (loss, error) pairs fitted. */
  n: number;
  /** ½·Σ(Err − Êrr)² at the optimum. */
  objective: number;
  converged: boolean;
  warnings: Warning[];
}

const TIGHT = { fTol: 1e-15, xTol: 1e-15, gradTol: 1e-15 };

/**
 * Least squares of error against loss with Levenberg–Marquardt from each of the link's starts, keeping the
 * best (as scipy's `curve_fit`, which Gadre et al. use). Losses are the runs' true losses, not predicted ones.
 */
export function fitErrorLaw(link: ErrorLink, loss: Float64Array, error: Float64Array, weights?: Float64Array, starts?: Float64Array[]): ErrorLawFit {
  const n = loss.length;
  const p = link.paramNames.length;
  if (n < p) throw new UserError(`the ${link.name} error law has ${p} parameters and needs at least ${p} runs with an error; got ${n}`);
  const res = residuals(link, loss, error, weights);
  let best: OptimResult | undefined;
  for (const x0 of starts ?? link.starts(loss, error)) {
    const r = levenbergMarquardt(res, x0, n, TIGHT);
    if (Number.isFinite(r.f) && (!best || r.f < best.f)) best = r;
  }
  if (!best) throw new UserError(`no start of the ${link.name} error law gives a finite fit`);
  const warnings: Warning[] = [];
  if (!best.converged) warnings.push(warning('error-law-not-converged', `error law: the optimiser did not converge (${best.reason})`));
  if (n === p)
    warnings.push(warning('error-law-interpolates', `error law: ${n} runs for ${p} parameters, so the curve passes through every point and nothing checks it`));
  else if (n < 2 * p) warnings.push(warning('error-law-few-runs', `error law: only ${n} runs for ${p} parameters: the fit is weakly determined`));
  const params = Object.fromEntries(link.paramNames.map((k, j) => [k, best.x[j]!]));
  for (const [k, [lo, hi]] of Object.entries(link.plausible ?? {})) {
    const v = params[k]!;
    if (!(v >= lo && v <= hi))
      warnings.push(
        warning(
          'error-law-unidentified',
          `error law: ${k} = ${v.toPrecision(4)} is outside [${lo}, ${hi}]: the runs do not identify it (they sit on one tail of the curve)`,
        ),
      );
  }
  return {
    link: link.name,
    formula: link.formula,
    params,
    theta: best.x,
    n,
    objective: best.f,
    converged: best.converged,
    warnings,
  };
}

/**
 * Refits the error law on B resamples of its (loss, error) pairs, each from the full-data optimum; resample i
 * draws from the stream (seed, i) of its own, so its draws do not depend on the loss law's bootstrap.
 * Returns θ per resample, row-major.
 */
export function bootstrapErrorLaw(
  link: ErrorLink,
  loss: Float64Array,
  error: Float64Array,
  theta: Float64Array,
  resamples: number,
  seed: number,
): Float64Array {
  const n = loss.length;
  const p = link.paramNames.length;
  const out = new Float64Array(resamples * p);
  const counts = new Float64Array(n);
  for (let i = 0; i < resamples; i++) {
    // A stream index past any the loss bootstrap of the same seed uses.
    resampleCounts(seed, 0x40000000 + i, n, counts);
    const r = levenbergMarquardt(residuals(link, loss, error, counts), theta, n, { fTol: 1e-12, xTol: 1e-12 });
    out.set(r.x, i * p);
  }
  return out;
}

function residuals(link: ErrorLink, loss: Float64Array, error: Float64Array, weights?: Float64Array): ResidualFn {
  const p = link.paramNames.length;
  const grad = new Float64Array(p);
  return (theta, r, jac) => {
    for (let i = 0; i < loss.length; i++) {
      const w = weights ? Math.sqrt(weights[i]!) : 1;
      r[i] = w * (error[i]! - link.predict(theta, loss[i]!, jac ? grad : undefined));
      if (jac) for (let j = 0; j < p; j++) jac[i * p + j] = -w * grad[j]!;
    }
  };
}
