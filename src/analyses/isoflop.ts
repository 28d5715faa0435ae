import { Random } from '../stats/random.js';
import { median, quantileSorted } from '../stats/quantile.js';
import { akima } from './akima.js';
import { fitParabola } from './parabola.js';
import { fitPowerLaw } from './power-law.js';

/** Runs of an IsoFLOP study: compute C, parameters N and loss per run. */
export interface IsoflopPoints {
  C: ArrayLike<number>;
  N: ArrayLike<number>;
  loss: ArrayLike<number>;
}

/** How intervals are made. */
export type IsoflopIntervals =
  /** Porian et al. (2024): add N(0, σ²) noise to every loss, `draws` times. */
  | { kind: 'noise'; sigma: number; draws: number; seed: number }
  /** Resample the runs within each budget with replacement, `resamples` times. */
  | { kind: 'bootstrap'; resamples: number; seed: number };

/** Options of {@link isoflop}. */
export interface IsoflopOptions {
  /** `parabola`: least-squares parabola of loss in log N (Hoffmann et al. 2022). `akima`: Akima interpolation of log loss in log N, minimised on a grid (Porian et al. 2024). Default `parabola`. */
  method?: 'parabola' | 'akima';
  /** Runs whose C agree within this relative tolerance form one budget. Default 1e-6. */
  budgetTolerance?: number;
  /** Budgets with fewer distinct sizes are left out. Default 3 (the least a minimum can be located with). */
  minSizes?: number;
  /** Intervals, and the Porian point estimate (median over draws). Default none. */
  intervals?: IsoflopIntervals;
}

/** Why a budget is left out of the power-law fit. */
export type Exclusion = 'too-few-sizes' | 'edge-min' | 'concave';

/** One budget's compute-optimal point. */
export interface BudgetOptimum {
  C: number;
  /** Distinct model sizes on the curve. */
  points: number;
  /** N*(C): the minimiser (the median over draws, with intervals); null when the curve has no minimum. */
  N: number | null;
  /** D*(C) = C/(6N*). */
  D: number | null;
  /** Loss at the optimum. */
  loss: number | null;
  ci95?: { N: [number, number]; D: [number, number] };
  /** Standard deviation of log N* over draws (floored, inflated for failed draws), the fit's 1/weight². */
  logNsd?: number;
  excluded: Exclusion | null;
  /** Why, in words, when excluded. */
  reason?: string;
}

/** N* = k·C^a and D* = kD·C^b over the budgets kept (b = 1 − a, kD = 1/(6k), since D* = C/(6N*)). */
export interface IsoflopFit {
  a: number;
  k: number;
  b: number;
  kD: number;
  r2: number;
  /** Budgets in the fit. */
  budgets: number;
  /** Weighted by 1/var(log N*) (with intervals) or not. */
  weighted: boolean;
  ci95?: { a: [number, number]; b: [number, number] };
}

export interface IsoflopResult {
  method: 'parabola' | 'akima';
  budgets: BudgetOptimum[];
  fit: IsoflopFit | null;
  warnings: string[];
}

/** The minimum of one IsoFLOP curve. */
interface CurveMin {
  logN: number;
  loss: number;
  excluded: Exclusion | null;
}

/** Porian et al.'s evaluation grid: 25 points per gap between sizes. */
const GRID_PER_GAP = 25;
/** Porian et al.'s floor on sd(log N*), in units of the mean log-spacing of the sizes tried. */
const MIN_SD_FACTOR = 0.33;

/**
 * The IsoFLOP analysis ("Approach 2", Hoffmann et al. 2022): per budget, the N that minimises loss; then
 * N*(C) = k·C^a by least squares in log space over the budgets whose minimum is interior.
 *
 * With intervals, each budget's N* is the median over draws and the fit is weighted by 1/var(log N*);
 * the exponent's interval comes from refitting draw i of every budget, for each i (Porian et al. 2024).
 */
export function isoflop(points: IsoflopPoints, options: IsoflopOptions = {}): IsoflopResult {
  const method = options.method ?? 'parabola';
  const minSizes = options.minSizes ?? 3;
  const curves = budgetsOf(points, options.budgetTolerance ?? 1e-6);
  const warnings: string[] = [];
  const iv = options.intervals;
  const draws = iv ? (iv.kind === 'noise' ? iv.draws : iv.resamples) : 0;
  const validStars: Float64Array[] = [];

  const budgets = curves.map((curve, b): BudgetOptimum => {
    const { C, logN, loss } = curve;
    const k = logN.length;
    const base = { C, points: k };
    if (k < minSizes) {
      return { ...base, N: null, D: null, loss: null, excluded: 'too-few-sizes', reason: `${k} sizes; at least ${minSizes} are needed to locate a minimum` };
    }
    const best = curveMin(method, logN, loss);
    const edgeReason = (m: CurveMin) =>
      m.excluded === 'concave'
        ? 'the parabola opens downward: no minimum'
        : `the minimum is at or beyond the ${m.logN <= logN[0]! ? 'smallest' : 'largest'} size tried (${fmtN(Math.exp(logN[m.logN <= logN[0]! ? 0 : k - 1]!))})`;
    const point = (m: CurveMin) =>
      m.excluded === 'concave' ? { N: null, D: null, loss: null } : { N: Math.exp(m.logN), D: C / (6 * Math.exp(m.logN)), loss: m.loss };
    if (best.excluded) return { ...base, ...point(best), excluded: best.excluded, reason: edgeReason(best) };
    if (!iv) return { ...base, ...point(best), excluded: null };

    // Draws: noisy losses, or resampled runs.
    const stars: number[] = [], starLoss: number[] = [];
    for (let d = 0; d < draws; d++) {
      const rng = new Random(iv.seed, b * draws + d);
      const m = iv.kind === 'noise'
        ? curveMin(method, logN, loss.map((l) => l + iv.sigma * rng.normal()))
        : resampledMin(method, logN, loss, rng, minSizes);
      if (m && !m.excluded) {
        stars.push(m.logN);
        starLoss.push(m.loss);
      }
    }
    if (stars.length < draws / 2) {
      return { ...base, ...point(best), excluded: 'edge-min', reason: `the minimum is at an edge (or undefined) in ${draws - stars.length} of ${draws} draws` };
    }
    const sorted = Float64Array.from(stars).sort();
    validStars[b] = Float64Array.from(stars); // in draw order, for the per-draw refits
    const minSd = MIN_SD_FACTOR * ((logN[k - 1]! - logN[0]!) / (k - 1));
    const sd = (Math.max(popSd(stars), minSd) * draws) / stars.length;
    const N = Math.exp(quantileSorted(sorted, 0.5));
    const lo = Math.exp(quantileSorted(sorted, 0.025)), hi = Math.exp(quantileSorted(sorted, 0.975));
    return {
      ...base,
      N,
      D: C / (6 * N),
      loss: median(starLoss),
      ci95: { N: [lo, hi], D: [C / (6 * hi), C / (6 * lo)] },
      logNsd: sd,
      excluded: null,
    };
  });

  for (const b of budgets) if (b.excluded) warnings.push(`budget C = ${fmtN(b.C)} left out (${b.excluded}): ${b.reason}`);
  const kept = budgets.map((b, i) => ({ b, i })).filter(({ b }) => !b.excluded);
  if (kept.length < 2) {
    warnings.push(`no power law: ${kept.length} budget${kept.length === 1 ? '' : 's'} with an interior minimum; at least 2 are needed`);
    return { method, budgets, fit: null, warnings };
  }
  if (kept.length === 2) warnings.push('the power law rests on only 2 budgets: its exponent has no check');
  const Cs = kept.map(({ b }) => b.C);
  const weights = iv ? kept.map(({ b }) => 1 / (b.logNsd! * b.logNsd!)) : undefined;
  const law = fitPowerLaw(Cs, kept.map(({ b }) => b.N!), weights)!;
  const fit: IsoflopFit = { a: law.a, k: law.k, b: 1 - law.a, kD: 1 / (6 * law.k), r2: law.r2, budgets: kept.length, weighted: !!iv };
  if (iv) {
    // Refit on draw i of every budget, for i up to the fewest valid draws of any budget.
    const m = Math.min(...kept.map(({ i }) => validStars[i]!.length));
    const as = new Float64Array(m);
    const ys = new Float64Array(kept.length);
    for (let d = 0; d < m; d++) {
      kept.forEach(({ i }, j) => (ys[j] = Math.exp(validStars[i]![d]!)));
      as[d] = fitPowerLaw(Cs, ys, weights)!.a;
    }
    as.sort();
    const lo = quantileSorted(as, 0.025), hi = quantileSorted(as, 0.975);
    fit.ci95 = { a: [lo, hi], b: [1 - hi, 1 - lo] };
  }
  return { method, budgets, fit, warnings };
}

/** Groups runs into budgets by C (relative tolerance), sorts each by N, keeps the lowest loss per size. */
export function budgetsOf(points: IsoflopPoints, tolerance: number): { C: number; logN: Float64Array; loss: Float64Array }[] {
  const order = Array.from({ length: points.C.length }, (_, i) => i).sort((a, b) => points.C[a]! - points.C[b]!);
  const groups: number[][] = [];
  for (const i of order) {
    const g = groups[groups.length - 1];
    if (g && points.C[i]! <= points.C[g[0]!]! * (1 + tolerance)) g.push(i);
    else groups.push([i]);
  }
  return groups.map((g) => {
    const Cs = g.map((i) => points.C[i]!).sort((a, b) => a - b);
    const bySize = new Map<number, number>();
    // Several runs of one size at one budget (a learning-rate sweep): the best one is that size's loss.
    for (const i of g) bySize.set(points.N[i]!, Math.min(bySize.get(points.N[i]!) ?? Infinity, points.loss[i]!));
    const sizes = [...bySize.keys()].sort((a, b) => a - b);
    return { C: Cs[Cs.length >> 1]!, logN: Float64Array.from(sizes, Math.log), loss: Float64Array.from(sizes, (s) => bySize.get(s)!) };
  });
}

/** Minimum of loss over log N by the chosen method. */
function curveMin(method: 'parabola' | 'akima', logN: Float64Array, loss: Float64Array): CurveMin {
  const k = logN.length;
  if (method === 'parabola') {
    const c = fitParabola(logN, loss);
    if (!c || !(c[2] > 0)) return { logN: NaN, loss: NaN, excluded: 'concave' };
    const v = -c[1] / (2 * c[2]);
    const at = c[0] + c[1] * v + c[2] * v * v;
    return { logN: v, loss: at, excluded: v <= logN[0]! || v >= logN[k - 1]! ? 'edge-min' : null };
  }
  const f = akima(logN, loss.map(Math.log));
  const M = (k - 1) * GRID_PER_GAP;
  const lo = logN[0]!, step = (logN[k - 1]! - lo) / (M - 1);
  let best = 0, bestV = Infinity;
  for (let j = 0; j < M; j++) {
    const v = f(lo + j * step);
    if (v < bestV) { bestV = v; best = j; }
  }
  return { logN: lo + best * step, loss: Math.exp(bestV), excluded: best === 0 || best === M - 1 ? 'edge-min' : null };
}

/** Minimum of a within-budget resample of the runs (duplicate sizes averaged); undefined if too few sizes were drawn. */
function resampledMin(method: 'parabola' | 'akima', logN: Float64Array, loss: Float64Array, rng: Random, minSizes: number): CurveMin | undefined {
  const k = logN.length;
  const sum = new Float64Array(k), count = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const i = rng.int(k);
    sum[i]! += loss[i]!;
    count[i]!++;
  }
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < k; i++) if (count[i]! > 0) { xs.push(logN[i]!); ys.push(sum[i]! / count[i]!); }
  if (xs.length < minSizes) return undefined;
  return curveMin(method, Float64Array.from(xs), Float64Array.from(ys));
}

function popSd(values: number[]): number {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
}

const fmtN = (v: number) => v.toExponential(2).replace('e+', 'e');
