import type { Runs } from '../data/runs.js';
import { UserError } from '../errors.js';
import { bootstrapSlice, runCounts, type Units } from '../fitting/bootstrap.js';
import { fitLaw, type FitResult } from '../fitting/fit.js';
import type { Law } from '../laws/law.js';
import { resolveObjective } from '../objectives/objective.js';
import { interval95, median, sampleSd } from '../stats/quantile.js';
import { fitLogLine, fitPowerLaw } from './power-law.js';
import { extent } from '../stats/extent.js';

/**
 * A loss-to-loss line (Brandfonbrener et al. 2024): L_y = K·(L_x − E_x)^κ + E_y, with the irreducible
 * losses E_x and E_y fixed beforehand (fitting all four from the pairs alone is badly identified).
 */
export interface LossToLossLine {
  K: number;
  kappa: number;
  Ex: number;
  Ey: number;
  /** Pairs in the fit. */
  n: number;
  /**
   * R² of L_y against the line's prediction, in linear space: the R² the authors report (0.998 for
   * FineWeb-Edu → StarCoder is this one; in log space it is 0.997).
   */
  r2: number;
  /** R² of the regression itself, log(L_y − E_y) on log(L_x − E_x). */
  r2Log: number;
}

/** Names a point in error messages: `(i, 'x')` → `file, row 12, column "loss_val_own": `. */
export type PointLabel = (i: number, side: 'x' | 'y') => string;

/**
 * K and κ by ordinary least squares of log(L_y − E_y) on log(L_x − E_x), in closed form.
 * A point with L_x ≤ E_x or L_y ≤ E_y has no logarithm: that is an error naming the first such point.
 */
export function fitLossToLoss(x: ArrayLike<number>, y: ArrayLike<number>, Ex: number, Ey: number, label: PointLabel = noLabel): LossToLossLine {
  const n = x.length;
  requireAbove(x, Ex, 'x', label);
  requireAbove(y, Ey, 'y', label);
  if (n < 3) throw new UserError(`a loss-to-loss line needs at least 3 pairs; got ${n}`);
  const dx = Float64Array.from(x, (v) => v - Ex);
  const dy = Float64Array.from(y, (v) => v - Ey);
  const fit = fitPowerLaw(dx, dy);
  if (!fit) throw new UserError(`every pair has the same L_x, so the line's slope is not determined`);
  const line = { K: fit.k, kappa: fit.a, Ex, Ey, n, r2: 0, r2Log: fit.r2 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let ssRes = 0,
    ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (y[i]! - predictLoss(line, x[i]!)) ** 2;
    ssTot += (y[i]! - mean) ** 2;
  }
  line.r2 = ssTot > 0 ? 1 - ssRes / ssTot : 1;
  // Finite inputs can still overflow (an L_y of 1e308 squared): a NaN R² would pass every check on it silently.
  if (!(Number.isFinite(line.K) && Number.isFinite(line.kappa) && Number.isFinite(line.r2))) {
    const [i, side] = mostOutlying(x, y);
    const v = side === 'x' ? x[i]! : y[i]!;
    throw new UserError(`${label(i, side)}L_${side} = ${v} makes the line overflow (R² or its constants are not finite): check this value`);
  }
  return line;
}

/** The point whose L_x or L_y lies furthest (as a ratio, either way) from its side's median. */
function mostOutlying(x: ArrayLike<number>, y: ArrayLike<number>): [number, 'x' | 'y'] {
  let best: [number, 'x' | 'y'] = [0, 'y'],
    worst = -Infinity;
  for (const [values, side] of [
    [y, 'y'],
    [x, 'x'],
  ] as const) {
    const mid = median(values);
    for (let i = 0; i < values.length; i++) {
      const d = Math.abs(Math.log(Math.abs(values[i]!) / Math.abs(mid)));
      if (d > worst) {
        worst = d;
        best = [i, side];
      }
    }
  }
  return best;
}

/** L_y predicted from L_x (NaN when L_x ≤ E_x: callers check with {@link requireAbove} first). */
export function predictLoss(line: Pick<LossToLossLine, 'K' | 'kappa' | 'Ex' | 'Ey'>, x: number): number {
  return x > line.Ex ? line.K * (x - line.Ex) ** line.kappa + line.Ey : NaN;
}

/** Every value must lie above E; the first that does not is an error that names it. */
export function requireAbove(values: ArrayLike<number>, E: number, side: 'x' | 'y', label: PointLabel = noLabel): void {
  for (let i = 0; i < values.length; i++) {
    if (!(values[i]! > E)) {
      throw new UserError(
        `${label(i, side)}L_${side} = ${values[i]} is at or below E_${side} = ${E}; E_${side} must lie below every L_${side} (the smallest is ${extent(values)[0]})`,
      );
    }
  }
}

const noLabel: PointLabel = (i) => `pair ${i + 1}: `;

/** Bootstrap draws of a line: one (K, κ, E_x, E_y) per resample; a failed resample is NaN. */
export interface LineDraws {
  K: Float64Array;
  kappa: Float64Array;
  Ex: Float64Array;
  Ey: Float64Array;
  /** Resamples whose line could not be fitted (all L_x equal, or a refitted E above a drawn loss). */
  failed: number;
}

/** Refitted irreducible losses per resample, from {@link bootstrapIrreducible}. */
export interface EDraws {
  Ex: Float64Array;
  Ey: Float64Array;
}

/** Options of {@link bootstrapLine}. */
export interface LineBootstrapOptions {
  resamples: number;
  seed: number;
  /** Resample i uses E_x[i], E_y[i] (E re-estimated on the same resample); without, the interval is conditional on E. */
  eDraws?: EDraws;
  /**
   * The configuration (resampling unit) of each pair: units are drawn, and a pair counts as often as its
   * unit. Share the units with {@link bootstrapIrreducible} so that E and the line see the same resample.
   * Default: one unit a pair.
   */
  units?: Units;
}

/**
 * Resamples the pairs with replacement (resample i draws from the stream (seed, i), as every bootstrap
 * here) and refits K and κ on each.
 */
export function bootstrapLine(x: ArrayLike<number>, y: ArrayLike<number>, Ex: number, Ey: number, options: LineBootstrapOptions): LineDraws {
  const { resamples, seed, eDraws, units } = options;
  const n = x.length;
  const out: LineDraws = {
    K: new Float64Array(resamples),
    kappa: new Float64Array(resamples),
    Ex: new Float64Array(resamples),
    Ey: new Float64Array(resamples),
    failed: 0,
  };
  const draw = runCounts(n, units);
  // Logarithms of the distances to E, taken once when E is fixed and once per resample when it is redrawn.
  const logX = new Float64Array(n),
    logY = new Float64Array(n),
    lx = new Float64Array(n),
    ly = new Float64Array(n);
  const logsAt = (ex: number, ey: number) => {
    for (let i = 0; i < n; i++) {
      const dx = x[i]! - ex,
        dy = y[i]! - ey;
      // NaN marks a point without a logarithm: a resample that draws it fails.
      logX[i] = dx > 0 && dy > 0 ? Math.log(dx) : NaN;
      logY[i] = dx > 0 && dy > 0 ? Math.log(dy) : NaN;
    }
  };
  if (!eDraws) logsAt(Ex, Ey);
  for (let b = 0; b < resamples; b++) {
    const ex = eDraws ? eDraws.Ex[b]! : Ex,
      ey = eDraws ? eDraws.Ey[b]! : Ey;
    const counts = draw(seed, b);
    let ok = Number.isFinite(ex) && Number.isFinite(ey);
    if (ok && eDraws) logsAt(ex, ey);
    for (let i = 0; ok && i < n; i++) {
      // A refitted E above a drawn point leaves that point without a logarithm: the resample fails.
      if (counts[i]! > 0 && Number.isNaN(logX[i]!)) ok = false;
      // A point not drawn weighs 0; log 1 keeps its term exactly 0.
      lx[i] = counts[i] === 0 ? 0 : logX[i]!;
      ly[i] = counts[i] === 0 ? 0 : logY[i]!;
    }
    const fit = ok ? fitLogLine(lx, ly, counts) : undefined;
    out.Ex[b] = ex;
    out.Ey[b] = ey;
    if (fit) {
      out.K[b] = fit.k;
      out.kappa[b] = fit.a;
    } else {
      out.K[b] = out.kappa[b] = NaN;
      out.failed++;
    }
  }
  return out;
}

/** Standard error (sd over resamples) and 95% percentile interval of each constant over the resamples that succeeded. */
export function summariseDraws(draws: LineDraws): { se: { K: number; kappa: number }; ci95: { K: [number, number]; kappa: [number, number] } } {
  const ok = (v: Float64Array) => v.filter(Number.isFinite);
  const K = ok(draws.K),
    kappa = ok(draws.kappa);
  return {
    se: { K: sampleSd(K), kappa: sampleSd(kappa) },
    ci95: { K: interval95(K), kappa: interval95(kappa) },
  };
}

/** An irreducible loss from an L(N, D) fit of one curve, with what a reader needs to judge it. */
export interface IrreducibleFit {
  E: number;
  fit: FitResult;
}

/**
 * E of one curve from an L(N, D) fit (Kaplan form in Brandfonbrener et al. 2024): Huber δ = 1e-3 on
 * log loss, summed, the law's default start grid.
 */
export function fitIrreducible(law: Law<unknown>, runs: Runs): IrreducibleFit {
  if (!law.publicNames.includes('E')) throw new UserError(`the ${law.name} law has no irreducible loss E`);
  const fit = fitLaw(law, runs, { objective: { kind: 'huber', delta: 1e-3 } });
  return { E: fit.params.E!, fit };
}

/**
 * E of one curve refitted on `resamples` resamples of its runs (each from the full-data optimum, as
 * `fit --bootstrap`). With the same seed and `units` as {@link bootstrapLine}, resample i draws the same
 * configurations for E as for the line, so E_x, E_y and the line move together as they would if those
 * configurations had been trained again.
 */
export function bootstrapIrreducible(law: Law<unknown>, runs: Runs, e: IrreducibleFit, resamples: number, seed: number, units?: Units): Float64Array {
  const objective = resolveObjective(e.fit.objective);
  const { theta, converged } = bootstrapSlice(law, runs, {
    law: law.name,
    objective,
    start: e.fit.theta,
    seed,
    from: 0,
    to: resamples,
    ...(units ? { units } : {}),
  });
  const p = law.thetaNames.length;
  return Float64Array.from({ length: resamples }, (_, b) => (converged[b] ? law.toPublic(theta.subarray(b * p, (b + 1) * p)).E! : NaN));
}

/** A line per group, as {@link lineSpread} compares them. */
export interface GroupLine {
  group: string;
  line: LossToLossLine;
  /** Its L_x range. */
  xMin: number;
  xMax: number;
  draws?: LineDraws;
}

/** How far apart the groups' lines lie at one common L_x. */
export interface SpreadPoint {
  x: number;
  /** max − min of the predicted L_y across groups. */
  spread: number;
  /** spread / mean predicted L_y. */
  relSpread: number;
  /** The groups with the highest and lowest prediction. */
  highest: string;
  lowest: string;
  /**
   * 1.96·√(sd_high² + sd_low²), sd the bootstrap sd of each of those two lines' predictions: how large
   * their difference could be by chance alone (95%). Null without bootstrap draws.
   */
  noise95: number | null;
}

export interface Spread {
  /** The common L_x range: inside every group's range. */
  from: number;
  to: number;
  points: SpreadPoint[];
  maxSpread: number;
  maxRelSpread: number;
  /** Points where the spread exceeds noise95. */
  beyondNoise: number | null;
}

/**
 * Compares groups' lines at `steps` evenly spaced L_x values inside every group's L_x range (a line is
 * not extrapolated to compare it). Null when the ranges do not overlap or there are fewer than 2 groups.
 */
export function lineSpread(groups: GroupLine[], steps = 5): Spread | null {
  if (groups.length < 2) return null;
  // Loops, not Math.max(...): --compare-by may name a column with a group per row.
  let from = -Infinity,
    to = Infinity;
  for (const g of groups) {
    from = Math.max(from, g.xMin);
    to = Math.min(to, g.xMax);
  }
  if (!(to > from)) return null;
  const points: SpreadPoint[] = [];
  for (let s = 0; s < steps; s++) {
    const x = from + ((to - from) * s) / (steps - 1);
    const pred = groups.map((g) => predictLoss(g.line, x));
    let hi = 0,
      lo = 0;
    pred.forEach((p, j) => {
      if (p > pred[hi]!) hi = j;
      if (p < pred[lo]!) lo = j;
    });
    const spread = pred[hi]! - pred[lo]!;
    const mean = pred.reduce((a, b) => a + b, 0) / pred.length;
    const sdHi = predictionSd(groups[hi]!, x),
      sdLo = predictionSd(groups[lo]!, x);
    points.push({
      x,
      spread,
      relSpread: spread / mean,
      highest: groups[hi]!.group,
      lowest: groups[lo]!.group,
      noise95: sdHi === null || sdLo === null ? null : 1.96 * Math.sqrt(sdHi ** 2 + sdLo ** 2),
    });
  }
  const withNoise = points.every((p) => p.noise95 !== null);
  return {
    from,
    to,
    points,
    maxSpread: extent(points.map((p) => p.spread))[1],
    maxRelSpread: extent(points.map((p) => p.relSpread))[1],
    beyondNoise: withNoise ? points.filter((p) => p.spread > p.noise95!).length : null,
  };
}

/** Bootstrap sd of a line's prediction at x; null without draws. */
function predictionSd(g: GroupLine, x: number): number | null {
  const d = g.draws;
  if (!d) return null;
  const pred: number[] = [];
  for (let b = 0; b < d.K.length; b++) {
    const p = predictLoss({ K: d.K[b]!, kappa: d.kappa[b]!, Ex: d.Ex[b]!, Ey: d.Ey[b]! }, x);
    if (Number.isFinite(p)) pred.push(p);
  }
  return pred.length >= 2 ? sampleSd(pred) : null;
}
