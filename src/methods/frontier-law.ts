/**
 * Frontier laws L(C) = E + A·C^(−α), as Marin fits them to each arm's compute frontier: the lowest loss an arm
 * reaches per budget, against the budget. Fitted by least squares in loss space, the asymptote E fitted (profiled:
 * for each E the pair (A, α) by Gauss–Newton from the log-space line, E by golden section) or held fixed. Two
 * frontier laws give the effective compute multiplier in closed form: the baseline reaches loss L at
 * C_base(L) = (A_base/(L − E_base))^(1/α_base), so multiplier(C) = C_base(L_arm(C))/C; with equal E and α it is the
 * constant (A_base/A_arm)^(1/α).
 */

import { goldenSection } from '../optim/golden-section.js';
import { Random } from '../stats/random.js';
import { studentTQuantile } from '../stats/student-t.js';

/** One fitted frontier law. */
export interface FrontierLaw {
  E: number;
  A: number;
  alpha: number;
}

/** One frontier point: a budget and the lowest loss reached there. */
export interface FrontierPoint {
  C: number;
  loss: number;
}

/** The law's loss at compute C. */
export function frontierLoss(law: FrontierLaw, C: number): number {
  return law.E + law.A * Math.pow(C, -law.alpha);
}

/** The compute at which the law reaches loss L; undefined when L is at or below its asymptote E. */
export function frontierBudgetFor(law: FrontierLaw, L: number): number | undefined {
  if (!(L > law.E)) return undefined;
  return Math.pow(law.A / (L - law.E), 1 / law.alpha);
}

/** C_base(L_arm(C))/C: the compute the baseline needs for the loss the arm reaches at C, over C; null when it never does. */
export function frontierMultiplier(arm: FrontierLaw, baseline: FrontierLaw, C: number): number | null {
  const needed = frontierBudgetFor(baseline, frontierLoss(arm, C));
  return needed === undefined ? null : needed / C;
}

/** What {@link fitFrontierLaw} needs beyond the points. */
export interface FrontierFitOptions {
  /** Hold the asymptote at this value (`--fix E=…`); default: fitted. */
  E?: number;
}

/** Least squares of the loss: the law, its residual sum of squares and the points' count. */
export interface FrontierFit {
  law: FrontierLaw;
  rss: number;
  points: number;
  /** Whether E was fitted (false: held fixed). */
  fittedE: boolean;
}

/**
 * Fits E + A·C^(−α) to the points by least squares in loss space. Needs at least 3 points with E fitted, 2 with E
 * fixed, and losses above a fixed E; returns undefined when no decreasing law fits (α would be ≤ 0).
 */
export function fitFrontierLaw(points: readonly FrontierPoint[], o: FrontierFitOptions = {}): FrontierFit | undefined {
  const n = points.length;
  const x = points.map((p) => Math.log(p.C));
  const y = points.map((p) => p.loss);
  const minLoss = Math.min(...y);
  if (o.E !== undefined) {
    if (n < 2 || !(minLoss > o.E)) return undefined;
    const inner = fitGivenE(x, y, o.E);
    return inner && { law: { E: o.E, A: Math.exp(inner.logA), alpha: inner.alpha }, rss: inner.rss, points: n, fittedE: false };
  }
  if (n < 3) return undefined;
  // Profile E on [0, min loss): the RSS of the best (A, α) for each E, minimised by golden section in E.
  const profile = (E: number) => fitGivenE(x, y, E)?.rss ?? Number.POSITIVE_INFINITY;
  const hi = minLoss * (1 - 1e-9);
  // A coarse scan first: the profile need not be unimodal over the whole range.
  const steps = 64;
  let best = 0,
    bestRss = profile(0);
  for (let k = 1; k <= steps; k++) {
    const E = (hi * k) / (steps + 1);
    const r = profile(E);
    if (r < bestRss) {
      bestRss = r;
      best = k;
    }
  }
  const { x: E } = goldenSection(profile, {
    lo: (hi * Math.max(0, best - 1)) / (steps + 1),
    hi: (hi * Math.min(steps + 1, best + 1)) / (steps + 1),
    maxIterations: 80,
    tolerance: 1e-12,
    scale: hi,
    ties: 'right',
  });
  const inner = fitGivenE(x, y, E);
  if (!inner) return undefined;
  return { law: { E, A: Math.exp(inner.logA), alpha: inner.alpha }, rss: inner.rss, points: n, fittedE: true };
}

/**
 * The best (log A, α) for a given E: the line of ln(L − E) on ln C as the start, then Gauss–Newton on the loss
 * residuals (halving steps that do not lower the RSS). Undefined when a loss is at or below E or α ≤ 0.
 */
function fitGivenE(x: readonly number[], y: readonly number[], E: number): { logA: number; alpha: number; rss: number } | undefined {
  const n = x.length;
  if (y.some((v) => !(v > E))) return undefined;
  const z = y.map((v) => Math.log(v - E));
  const mx = x.reduce((s, v) => s + v, 0) / n,
    mz = z.reduce((s, v) => s + v, 0) / n;
  let sxx = 0,
    sxz = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxz += (x[i]! - mx) * (z[i]! - mz);
  }
  if (!(sxx > 0)) return undefined;
  let alpha = -sxz / sxx,
    logA = mz + alpha * mx;
  const rssOf = (la: number, al: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (y[i]! - E - Math.exp(la - al * x[i]!)) ** 2;
    return s;
  };
  let rss = rssOf(logA, alpha);
  for (let it = 0; it < 50; it++) {
    // Normal equations of the 2×2 Gauss–Newton step in (log A, α).
    let h11 = 0,
      h12 = 0,
      h22 = 0,
      g1 = 0,
      g2 = 0;
    for (let i = 0; i < n; i++) {
      const f = Math.exp(logA - alpha * x[i]!);
      const r = y[i]! - E - f;
      const j1 = f,
        j2 = -f * x[i]!;
      h11 += j1 * j1;
      h12 += j1 * j2;
      h22 += j2 * j2;
      g1 += j1 * r;
      g2 += j2 * r;
    }
    const det = h11 * h22 - h12 * h12;
    if (!(Math.abs(det) > 0)) break;
    const d1 = (h22 * g1 - h12 * g2) / det,
      d2 = (h11 * g2 - h12 * g1) / det;
    let t = 1,
      moved = false;
    for (let k = 0; k < 30; k++, t /= 2) {
      const r = rssOf(logA + t * d1, alpha + t * d2);
      if (r < rss) {
        logA += t * d1;
        alpha += t * d2;
        moved = rss - r > 1e-15 * rss;
        rss = r;
        break;
      }
    }
    if (!moved) break;
  }
  return alpha > 0 && Number.isFinite(logA) ? { logA, alpha, rss } : undefined;
}

/** What {@link frontierDraws} resamples. */
export interface FrontierBootstrapOptions {
  resamples: number;
  seed: number;
  /** Draw one budget's residual for every arm at once (the arms share budgets); false: each arm its own draws. */
  paired: boolean;
  /** The asymptote held fixed in every refit. */
  E?: number;
}

/**
 * A residual bootstrap of frontier laws: each resample puts, at every budget k of arm j, the fitted loss plus the
 * residual arm j had at a drawn budget k* (drawn from the budgets arm j has; scaled by √(n/(n − p))), and refits every arm. Paired: one
 * draw of k* per budget for all arms, so an effect shared by the arms at a budget (the same configurations, the
 * same evaluation set) moves every arm together and cancels in their comparison. `lowest[k][j]`: arm j's lowest
 * loss at budget k (NaN: none). Resamples where an arm has no decreasing law are dropped and counted.
 */
export function frontierDraws(
  lowest: readonly (readonly number[])[],
  Cs: readonly number[],
  fits: readonly FrontierFit[],
  o: FrontierBootstrapOptions,
): { draws: FrontierLaw[][]; failed: number } {
  const K = Cs.length,
    arms = fits.length;
  const has = (k: number, j: number) => Number.isFinite(lowest[k]![j]);
  const own = fits.map((_, j) => Array.from({ length: K }, (_, k) => k).filter((k) => has(k, j)));
  // Fitted residuals are smaller than the noise by √((n − p)/n) (p constants fitted): scaled back up, as Davison &
  // Hinkley (1997, §6.2.3) modify them, or the intervals are too narrow on a handful of budgets.
  const inflate = fits.map((f, j) => {
    const n = own[j]!.length,
      p = f.fittedE ? 3 : 2;
    return n > p ? Math.sqrt(n / (n - p)) : 1;
  });
  const residual = (k: number, j: number) => (lowest[k]![j]! - frontierLoss(fits[j]!.law, Cs[k]!)) * inflate[j]!;
  const draws: FrontierLaw[][] = [];
  let failed = 0;
  for (let d = 0; d < o.resamples; d++) {
    // One stream per resample (and per arm when unpaired): draws do not depend on the arms' order or count.
    const shared = new Random(o.seed, 2 * d);
    const picks = Array.from({ length: K }, () => shared.uniform());
    const laws: FrontierLaw[] = [];
    for (let j = 0; j < arms && laws.length === j; j++) {
      const rng = o.paired ? undefined : new Random(o.seed + 7919 * (j + 1), 2 * d + 1);
      const pts: FrontierPoint[] = [];
      for (let k = 0; k < K; k++) {
        if (!has(k, j)) continue;
        const u = rng ? rng.uniform() : picks[k]!;
        const from = own[j]![Math.min(own[j]!.length - 1, Math.floor(u * own[j]!.length))]!;
        pts.push({ C: Cs[k]!, loss: frontierLoss(fits[j]!.law, Cs[k]!) + residual(from, j) });
      }
      const f = fitFrontierLaw(pts, o.E === undefined ? {} : { E: o.E });
      if (f) laws.push(f.law);
    }
    if (laws.length === arms) draws.push(laws);
    else failed++;
  }
  return { draws, failed };
}

/**
 * The covariance of a frontier fit's constants — (E, ln A, α) with E fitted, (ln A, α) with E held — from the
 * Gauss–Newton Hessian of the loss residuals: s²·(JᵀJ)⁻¹ with s² = RSS/(n − p), the lack-of-fit variance. Undefined
 * with no residual degree of freedom or a singular JᵀJ.
 */
export function frontierCovariance(points: readonly FrontierPoint[], fit: FrontierFit): { cov: number[][]; df: number } | undefined {
  const p = fit.fittedE ? 3 : 2;
  const df = points.length - p;
  if (df < 1) return undefined;
  const H = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const pt of points) {
    const j = lossGradient(fit, pt.C);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) H[a]![b]! += j[a]! * j[b]!;
  }
  const inv = invert(H);
  if (!inv) return undefined;
  const s2 = fit.rss / df;
  return { cov: inv.map((row) => row.map((v) => v * s2)), df };
}

/** ∂L(C)/∂θ in the order of {@link frontierCovariance}. */
function lossGradient(fit: FrontierFit, C: number): number[] {
  const g = fit.law.A * Math.pow(C, -fit.law.alpha);
  const tail = [g, -Math.log(C) * g];
  return fit.fittedE ? [1, ...tail] : tail;
}

/** The inverse of a small symmetric positive-definite matrix (Gauss–Jordan with partial pivoting). */
function invert(M: number[][]): number[][] | undefined {
  const n = M.length;
  const a = M.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    if (!(Math.abs(a[piv]![c]!) > 1e-300)) return undefined;
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    const d = a[c]![c]!;
    for (let k = 0; k < 2 * n; k++) a[c]![k]! /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f !== 0) for (let k = 0; k < 2 * n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row) => row.slice(n));
}

/** One fitted arm as the lack-of-fit interval reads it: the fit and the points it was fitted to. */
export interface FittedFrontier {
  fit: FrontierFit;
  points: readonly FrontierPoint[];
}

/**
 * The Student-t lack-of-fit 95% interval of the multiplier at C (Marin #8096): the delta method on ln multiplier
 * with each arm's covariance ({@link frontierCovariance}), the two arms' fits independent, and a t quantile on the
 * Welch–Satterthwaite degrees of freedom. Undefined when either fit has no residual degree of freedom or the
 * baseline never reaches the arm's loss. It knows nothing of pairing: the bootstrap's interval is the paired one.
 */
export function multiplierLackOfFit(arm: FittedFrontier, baseline: FittedFrontier, C: number): [number, number] | undefined {
  const ca = frontierCovariance(arm.points, arm.fit),
    cb = frontierCovariance(baseline.points, baseline.fit);
  if (!ca || !cb) return undefined;
  const a = arm.fit.law,
    b = baseline.fit.law;
  const L = frontierLoss(a, C);
  if (!(L > b.E)) return undefined;
  const excess = L - b.E;
  const logCb = (Math.log(b.A) - Math.log(excess)) / b.alpha;
  // ln m = ln C_b(L_arm(C)) − ln C: through L on the arm's constants, directly on the baseline's.
  const ga = lossGradient(arm.fit, C).map((v) => -v / (b.alpha * excess));
  const gb = [...(baseline.fit.fittedE ? [1 / (b.alpha * excess)] : []), 1 / b.alpha, -logCb / b.alpha];
  const quad = (g: number[], S: number[][]) => g.reduce((s, gi, i) => s + gi * g.reduce((t, gj, j) => t + S[i]![j]! * gj, 0), 0);
  const va = quad(ga, ca.cov),
    vb = quad(gb, cb.cov);
  const v = va + vb;
  if (!(v >= 0) || !Number.isFinite(v)) return undefined;
  const df = v > 0 ? (v * v) / ((va * va) / ca.df + (vb * vb) / cb.df) : Math.min(ca.df, cb.df);
  const half = studentTQuantile(0.975, df) * Math.sqrt(v);
  const logM = logCb - Math.log(C);
  return [Math.exp(logM - half), Math.exp(logM + half)];
}
