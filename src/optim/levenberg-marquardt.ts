import type { ResidualFn } from '../objectives/objective.js';
import type { OptimResult } from './result.js';
import { choleskySolve } from './linear.js';

/** Options of {@link levenbergMarquardt}; tolerances as in MINPACK's lmder (scipy `least_squares(method='lm')`). */
export interface LmOptions {
  /** Iterations allowed. Default 100·(p+1). */
  maxIterations?: number;
  /** Stop when the relative reduction of ½‖r‖² is ≤ fTol. Default 1e-8 (scipy's ftol). */
  fTol?: number;
  /** Stop when the step is ≤ xTol·(‖x‖ + xTol). Default 1e-8. */
  xTol?: number;
  /** Stop when max_j |(Jᵀr)_j| ≤ gradTol. Default 1e-12. */
  gradTol?: number;
  /** Initial damping, relative to the largest diagonal entry of JᵀJ. Default 1e-3. */
  lambda0?: number;
}

/**
 * Levenberg–Marquardt for small dense least squares, minimising ½‖r(x)‖² (Marquardt 1963; damping
 * update of Nielsen 1999: λ shrinks by max(1/3, 1 − (2ρ − 1)³) on a good step and doubles-up on a bad one).
 * Scaled by diag(JᵀJ) like MINPACK, so the step does not depend on the units of each parameter.
 */
export function levenbergMarquardt(res: ResidualFn, x0: Float64Array, n: number, opts: LmOptions = {}): OptimResult {
  const p = x0.length;
  const maxIter = opts.maxIterations ?? 100 * (p + 1);
  const ftol = opts.fTol ?? 1e-8;
  const xtol = opts.xTol ?? 1e-8;
  const gtol = opts.gradTol ?? 1e-12;

  const x = Float64Array.from(x0);
  const xNew = new Float64Array(p);
  const r = new Float64Array(n);
  const rNew = new Float64Array(n);
  const J = new Float64Array(n * p);
  const A = new Float64Array(p * p);
  const M = new Float64Array(p * p);
  const g = new Float64Array(p);
  const step = new Float64Array(p);
  const diag = new Float64Array(p);

  res(x, r, J);
  let evals = 1;
  let cost = halfSquares(r);
  if (!Number.isFinite(cost)) return { x, f: cost, iterations: 0, evaluations: evals, converged: false, reason: 'non-finite start' };
  let lambda = -1;
  let nu = 2;
  let iter = 0;
  let reason = 'max-iterations';
  let converged = false;
  let fresh = true; // J, A, g belong to the current x

  while (iter < maxIter) {
    if (fresh) {
      normalEquations(J, r, n, p, A, g);
      for (let j = 0; j < p; j++) diag[j] = Math.max(diag[j]!, A[j * p + j]!); // MINPACK keeps the largest scale seen
      if (lambda < 0) {
        let maxDiag = 0;
        for (let j = 0; j < p; j++) maxDiag = Math.max(maxDiag, diag[j]!);
        lambda = (opts.lambda0 ?? 1e-3) * (maxDiag || 1);
      }
      let gmax = 0;
      for (let j = 0; j < p; j++) gmax = Math.max(gmax, Math.abs(g[j]!));
      if (gmax <= gtol) {
        reason = 'gradient';
        converged = true;
        break;
      }
      fresh = false;
    }
    iter++;
    // (JᵀJ + λ·D) step = −Jᵀr
    M.set(A);
    for (let j = 0; j < p; j++) M[j * p + j]! += lambda * (diag[j]! || 1);
    for (let j = 0; j < p; j++) step[j] = -g[j]!;
    if (!choleskySolve(M, step, p)) {
      lambda *= nu;
      nu *= 2;
      continue;
    }
    let stepNorm = 0,
      xNorm = 0;
    for (let j = 0; j < p; j++) {
      xNew[j] = x[j]! + step[j]!;
      stepNorm += step[j]! * step[j]!;
      xNorm += x[j]! * x[j]!;
    }
    res(xNew, rNew);
    evals++;
    const costNew = halfSquares(rNew);
    // Gain ratio: actual reduction over the reduction the linear model predicted.
    let predicted = 0;
    for (let j = 0; j < p; j++) predicted += step[j]! * (lambda * (diag[j]! || 1) * step[j]! - g[j]!);
    predicted *= 0.5;
    const rho = Number.isFinite(costNew) && predicted > 0 ? (cost - costNew) / predicted : -1;
    if (rho > 0) {
      const reduction = cost - costNew;
      x.set(xNew);
      res(x, r, J);
      evals++;
      cost = costNew;
      fresh = true;
      lambda *= Math.max(1 / 3, 1 - Math.pow(2 * rho - 1, 3));
      nu = 2;
      if (reduction <= ftol * cost) {
        reason = 'ftol';
        converged = true;
        break;
      }
      if (Math.sqrt(stepNorm) <= xtol * (Math.sqrt(xNorm) + xtol)) {
        reason = 'xtol';
        converged = true;
        break;
      }
    } else {
      lambda *= nu;
      nu *= 2;
      if (!Number.isFinite(lambda) || lambda > 1e300) {
        reason = 'damping';
        break;
      }
      if (Math.sqrt(stepNorm) <= xtol * (Math.sqrt(xNorm) + xtol)) {
        reason = 'xtol';
        converged = true;
        break;
      }
    }
  }
  return { x, f: cost, iterations: iter, evaluations: evals, converged, reason };
}

function halfSquares(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return 0.5 * s;
}

/** A = JᵀJ, g = Jᵀr. */
function normalEquations(J: Float64Array, r: Float64Array, n: number, p: number, A: Float64Array, g: Float64Array): void {
  A.fill(0);
  g.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    const ri = r[i]!;
    for (let j = 0; j < p; j++) {
      const Jij = J[row + j]!;
      g[j]! += Jij * ri;
      for (let k = 0; k <= j; k++) A[j * p + k]! += Jij * J[row + k]!;
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) A[k * p + j] = A[j * p + k]!;
}
