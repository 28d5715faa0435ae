import type { ObjectiveFn } from '../objectives/objective.js';
import type { OptimResult } from './result.js';

/** Options of {@link nelderMead}; defaults as scipy's `minimize(method='Nelder-Mead')`. */
export interface NelderMeadOptions {
  /** Iterations allowed. Default 200·p. */
  maxIterations?: number;
  /** Evaluations allowed. Default 200·p. */
  maxEvaluations?: number;
  /** Stop when every vertex is within xTol of the best (∞-norm) … Default 1e-4. */
  xTol?: number;
  /** … and every vertex's f within fTol of the best. Default 1e-4. */
  fTol?: number;
}

/**
 * Nelder–Mead simplex (Nelder & Mead 1965, with the standard coefficients 1, 2, ½, ½), the derivative-free
 * fallback for objectives whose gradient misleads L-BFGS. Initial simplex as scipy: each coordinate
 * perturbed by 5% (0.00025 when it is zero).
 */
export function nelderMead(fn: ObjectiveFn, x0: Float64Array, opts: NelderMeadOptions = {}): OptimResult {
  const p = x0.length;
  const maxIter = opts.maxIterations ?? 200 * p;
  const maxEval = opts.maxEvaluations ?? 200 * p;
  const xtol = opts.xTol ?? 1e-4;
  const ftol = opts.fTol ?? 1e-4;
  const safe = (x: Float64Array) => {
    const v = fn(x);
    return Number.isFinite(v) ? v : Infinity;
  };

  const sim: Float64Array[] = [Float64Array.from(x0)];
  for (let j = 0; j < p; j++) {
    const v = Float64Array.from(x0);
    v[j] = v[j] !== 0 ? 1.05 * v[j]! : 0.00025;
    sim.push(v);
  }
  const fs = sim.map(safe);
  let evals = p + 1;
  const centroid = new Float64Array(p);
  const xr = new Float64Array(p),
    xe = new Float64Array(p),
    xc = new Float64Array(p);
  const order = () => {
    const idx = fs.map((_, i) => i).sort((a, b) => fs[a]! - fs[b]!);
    const s2 = idx.map((i) => sim[i]!),
      f2 = idx.map((i) => fs[i]!);
    for (let i = 0; i <= p; i++) {
      sim[i] = s2[i]!;
      fs[i] = f2[i]!;
    }
  };
  const along = (out: Float64Array, t: number) => {
    const worst = sim[p]!;
    for (let j = 0; j < p; j++) out[j] = centroid[j]! + t * (worst[j]! - centroid[j]!);
  };

  order();
  let iter = 0;
  let reason = 'max-iterations';
  let converged = false;
  while (iter < maxIter && evals < maxEval) {
    let spreadX = 0,
      spreadF = 0;
    for (let i = 1; i <= p; i++) {
      spreadF = Math.max(spreadF, Math.abs(fs[i]! - fs[0]!));
      for (let j = 0; j < p; j++) spreadX = Math.max(spreadX, Math.abs(sim[i]![j]! - sim[0]![j]!));
    }
    if (spreadX <= xtol && spreadF <= ftol) {
      reason = 'xtol';
      converged = true;
      break;
    }
    iter++;
    centroid.fill(0);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) centroid[j]! += sim[i]![j]! / p;
    along(xr, -1);
    const fr = safe(xr);
    evals++;
    if (fr < fs[0]!) {
      along(xe, -2);
      const fe = safe(xe);
      evals++;
      if (fe < fr) {
        sim[p]!.set(xe);
        fs[p] = fe;
      } else {
        sim[p]!.set(xr);
        fs[p] = fr;
      }
    } else if (fr < fs[p - 1]!) {
      sim[p]!.set(xr);
      fs[p] = fr;
    } else {
      const outside = fr < fs[p]!;
      along(xc, outside ? -0.5 : 0.5);
      const fc = safe(xc);
      evals++;
      if (outside ? fc <= fr : fc < fs[p]!) {
        sim[p]!.set(xc);
        fs[p] = fc;
      } else {
        // Shrink every vertex towards the best.
        for (let i = 1; i <= p; i++) {
          for (let j = 0; j < p; j++) sim[i]![j] = sim[0]![j]! + 0.5 * (sim[i]![j]! - sim[0]![j]!);
          fs[i] = safe(sim[i]!);
          evals++;
        }
      }
    }
    order();
  }
  if (!converged && evals >= maxEval) reason = 'max-evaluations';
  return { x: Float64Array.from(sim[0]!), f: fs[0]!, iterations: iter, evaluations: evals, converged, reason };
}
