/**
 * Strong-Wolfe line search (Nocedal & Wright 2006, Algorithms 3.5 and 3.6) with safeguarded cubic
 * interpolation. `phi(t)` evaluates the objective at x + t·p and returns f and the directional
 * derivative φ'(t) = ∇f(x + t·p)·p. A non-finite f (the law left its domain) counts as "too far".
 */
export interface LineSearchOptions {
  /** Sufficient-decrease constant. Default 1e-4. */
  c1?: number;
  /** Curvature constant. Default 0.9 (quasi-Newton methods want a loose curvature test). */
  c2?: number;
  /** Evaluations allowed. Default 30. */
  maxEvaluations?: number;
}

export interface LineSearchResult {
  /** Accepted step, or 0 when no step satisfying sufficient decrease was found. */
  t: number;
  f: number;
  evaluations: number;
  /** The last evaluation was at `t` (so the caller's gradient buffer already holds ∇f there). */
  lastIsAccepted: boolean;
}

export type Phi = (t: number, out: Float64Array) => void; // out[0] = f, out[1] = φ'

export function strongWolfe(phi: Phi, f0: number, d0: number, t0: number, opts: LineSearchOptions = {}): LineSearchResult {
  const c1 = opts.c1 ?? 1e-4;
  const c2 = opts.c2 ?? 0.9;
  const maxEval = opts.maxEvaluations ?? 30;
  const v = new Float64Array(2);
  let evals = 0;
  let last = NaN;
  const evalAt = (t: number): [number, number] => {
    phi(t, v);
    evals++;
    last = t;
    const f = v[0]!;
    return Number.isFinite(f) && Number.isFinite(v[1]!) ? [f, v[1]!] : [Infinity, NaN];
  };

  let tPrev = 0,
    fPrev = f0,
    dPrev = d0;
  let t = t0;
  let tHi = Infinity; // upper bound learned from non-finite values
  for (let i = 0; evals < maxEval; i++) {
    let [f, d] = evalAt(t);
    // Shrink back into the domain before doing anything else.
    while (!Number.isFinite(f) && evals < maxEval) {
      tHi = t;
      t = tPrev + 0.25 * (t - tPrev);
      [f, d] = evalAt(t);
    }
    if (!Number.isFinite(f)) break;
    if (f > f0 + c1 * t * d0 || (i > 0 && f >= fPrev)) {
      return zoom(tPrev, fPrev, dPrev, t, f, d);
    }
    if (Math.abs(d) <= -c2 * d0) return { t, f, evaluations: evals, lastIsAccepted: last === t };
    if (d >= 0) return zoom(t, f, d, tPrev, fPrev, dPrev);
    tPrev = t;
    fPrev = f;
    dPrev = d;
    // Expand, but never past a point known to be outside the domain.
    t = Number.isFinite(tHi) ? 0.5 * (t + tHi) : 2 * t;
  }
  return tPrev > 0 ? { t: tPrev, f: fPrev, evaluations: evals, lastIsAccepted: last === tPrev } : { t: 0, f: f0, evaluations: evals, lastIsAccepted: false };

  function zoom(tLo: number, fLo: number, dLo: number, tHiZ: number, fHi: number, dHi: number): LineSearchResult {
    while (evals < maxEval) {
      const tj = interpolate(tLo, fLo, dLo, tHiZ, fHi, dHi);
      const [fj, dj] = evalAt(tj);
      if (!Number.isFinite(fj) || fj > f0 + c1 * tj * d0 || fj >= fLo) {
        tHiZ = tj;
        fHi = fj;
        dHi = dj;
      } else {
        if (Math.abs(dj) <= -c2 * d0) return { t: tj, f: fj, evaluations: evals, lastIsAccepted: true };
        if (dj * (tHiZ - tLo) >= 0) {
          tHiZ = tLo;
          fHi = fLo;
          dHi = dLo;
        }
        tLo = tj;
        fLo = fj;
        dLo = dj;
      }
      if (Math.abs(tHiZ - tLo) <= 1e-16 * Math.max(1, Math.abs(tLo))) break;
    }
    // Out of evaluations: the low end satisfies sufficient decrease, which is enough to make progress.
    return tLo > 0 ? { t: tLo, f: fLo, evaluations: evals, lastIsAccepted: last === tLo } : { t: 0, f: f0, evaluations: evals, lastIsAccepted: false };
  }
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db), kept inside the middle 80% of [a, b]; bisection otherwise. */
function interpolate(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lo = Math.min(a, b),
    hi = Math.max(a, b);
  const margin = 0.1 * (hi - lo);
  let t = NaN;
  if (Number.isFinite(fb) && Number.isFinite(db)) {
    const d1 = da + db - (3 * (fa - fb)) / (a - b);
    const disc = d1 * d1 - da * db;
    if (disc >= 0) {
      const d2 = Math.sign(b - a) * Math.sqrt(disc);
      t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
    }
  } else if (Number.isFinite(fb)) {
    // Quadratic through fa, da and fb.
    const denom = 2 * (fb - fa - da * (b - a));
    if (denom > 0) t = a - (da * (b - a) * (b - a)) / denom;
  }
  if (!Number.isFinite(t) || t < lo + margin || t > hi - margin) t = 0.5 * (a + b);
  return t;
}
