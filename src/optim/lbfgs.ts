import type { ObjectiveFn } from '../objectives/objective.js';
import { strongWolfe } from './line-search.js';
import type { OptimResult } from './result.js';

/** Options of {@link lbfgs}; the defaults are scipy's L-BFGS-B defaults where one exists. */
export interface LbfgsOptions {
  /** Correction pairs kept. Default 10. */
  memory?: number;
  /** Iterations allowed. Default 15000. */
  maxIterations?: number;
  /** Stop when max_j |∂f/∂θ_j| ≤ gradTol. Default 1e-5. */
  gradTol?: number;
  /**
   * Stop when one step lowers f by ≤ fTol·max(|f|, fFloor). Default 2.2e-9 (scipy's factr·eps).
   */
  fTol?: number;
  /** Floor in the relative-decrease test; scipy uses 1, which on small objectives stops early. Default 1. */
  fFloor?: number;
  /**
   * Curvature pairs to start from (from an earlier run on a nearby problem), instead of none. A refit of
   * a bootstrap resample starts at the full-data optimum, whose curvature the full-data run has measured:
   * starting with it saves most of the refit's iterations.
   */
  warm?: LbfgsMemory;
}

/** The (s, y) pairs L-BFGS keeps, oldest first. */
export interface LbfgsMemory {
  S: Float64Array[];
  Y: Float64Array[];
}

/**
 * Limited-memory BFGS (Liu & Nocedal 1989; Nocedal & Wright 2006, Algorithm 7.4–7.5) with a
 * strong-Wolfe line search. Unconstrained; laws keep their parameters in an unconstrained form.
 */
export function lbfgs(fn: ObjectiveFn, x0: Float64Array, opts: LbfgsOptions = {}): OptimResult & { memory: LbfgsMemory } {
  const p = x0.length;
  const m = opts.memory ?? 10;
  const maxIter = opts.maxIterations ?? 15000;
  const gtol = opts.gradTol ?? 1e-5;
  const ftol = opts.fTol ?? 2.220446049250313e-9;
  const floor = opts.fFloor ?? 1;

  const x = Float64Array.from(x0);
  const g = new Float64Array(p);
  const xNew = new Float64Array(p);
  const gNew = new Float64Array(p);
  const dir = new Float64Array(p);
  const S = new Float64Array(m * p);
  const Y = new Float64Array(m * p);
  const rhoS = new Float64Array(m);
  const alphaS = new Float64Array(m);
  let stored = 0,
    head = 0; // ring buffer of (s, y) pairs
  for (let k = 0; opts.warm && k < opts.warm.S.length; k++) {
    const s = opts.warm.S[k]!,
      y = opts.warm.Y[k]!;
    S.set(s, head * p);
    Y.set(y, head * p);
    rhoS[head] = 1 / dot(s, 0, y, p);
    head = (head + 1) % m;
    if (stored < m) stored++;
  }
  const memory = (): LbfgsMemory => {
    const out: LbfgsMemory = { S: [], Y: [] };
    for (let k = stored - 1; k >= 0; k--) {
      const i = (head - 1 - k + m) % m;
      out.S.push(S.slice(i * p, i * p + p));
      out.Y.push(Y.slice(i * p, i * p + p));
    }
    return out;
  };

  let f = fn(x, g);
  let evals = 1;
  if (!Number.isFinite(f)) return { x, f, iterations: 0, evaluations: evals, converged: false, reason: 'non-finite start', memory: memory() };

  const phi = (t: number, out: Float64Array) => {
    for (let j = 0; j < p; j++) xNew[j] = x[j]! + t * dir[j]!;
    const fv = fn(xNew, gNew);
    let d = 0;
    for (let j = 0; j < p; j++) d += gNew[j]! * dir[j]!;
    out[0] = fv;
    out[1] = d;
  };

  let iter = 0;
  let reason = 'max-iterations';
  let converged = false;
  while (iter < maxIter) {
    if (maxAbs(g) <= gtol) {
      reason = 'gradient';
      converged = true;
      break;
    }

    // Two-loop recursion: dir = −H·g.
    for (let j = 0; j < p; j++) dir[j] = -g[j]!;
    for (let k = 0; k < stored; k++) {
      const i = (head - 1 - k + m) % m;
      const a = rhoS[i]! * dot(S, i * p, dir, p);
      alphaS[i] = a;
      for (let j = 0; j < p; j++) dir[j]! -= a * Y[i * p + j]!;
    }
    if (stored > 0) {
      const i = (head - 1 + m) % m;
      const yy = dot(Y, i * p, Y.subarray(i * p, i * p + p), p);
      const gamma = 1 / (rhoS[i]! * yy);
      for (let j = 0; j < p; j++) dir[j]! *= gamma;
    }
    for (let k = stored - 1; k >= 0; k--) {
      const i = (head - 1 - k + m) % m;
      const b = rhoS[i]! * dot(Y, i * p, dir, p);
      const a = alphaS[i]!;
      for (let j = 0; j < p; j++) dir[j]! += (a - b) * S[i * p + j]!;
    }
    let d0 = 0;
    for (let j = 0; j < p; j++) d0 += dir[j]! * g[j]!;
    if (!(d0 < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      stored = 0;
      for (let j = 0; j < p; j++) dir[j] = -g[j]!;
      d0 = -dot(g, 0, g, p);
    }

    const t0 = stored === 0 ? Math.min(1, 1 / Math.sqrt(-d0)) : 1;
    const ls = strongWolfe(phi, f, d0, t0);
    evals += ls.evaluations;
    if (ls.t === 0) {
      reason = 'line-search';
      break;
    }
    if (!ls.lastIsAccepted) {
      for (let j = 0; j < p; j++) xNew[j] = x[j]! + ls.t * dir[j]!;
      fn(xNew, gNew);
      evals++;
    }
    iter++;

    // Store the pair s = Δx, y = Δg when it carries positive curvature.
    let sy = 0;
    for (let j = 0; j < p; j++) {
      const s = xNew[j]! - x[j]!;
      const y = gNew[j]! - g[j]!;
      S[head * p + j] = s;
      Y[head * p + j] = y;
      sy += s * y;
    }
    if (sy > 1e-300) {
      rhoS[head] = 1 / sy;
      head = (head + 1) % m;
      if (stored < m) stored++;
    }
    const fOld = f;
    f = ls.f;
    x.set(xNew);
    g.set(gNew);
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), floor)) {
      reason = 'ftol';
      converged = true;
      break;
    }
  }
  return { x, f, iterations: iter, evaluations: evals, converged, reason, memory: memory() };
}

function dot(a: Float64Array, offset: number, b: Float64Array, p: number): number {
  let s = 0;
  for (let j = 0; j < p; j++) s += a[offset + j]! * b[j]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]!));
  return m;
}
