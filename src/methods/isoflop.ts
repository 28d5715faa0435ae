import { groupIndices } from '../data/groups.js';
import { extent } from '../stats/extent.js';
import { Random } from '../stats/random.js';
import { median, quantileSorted } from '../stats/quantile.js';
import { akima } from './akima.js';
import { fitParabola } from './parabola.js';
import { fitPowerLaw } from './power-law.js';
import { budgetClusters } from '../data/budgets.js';
import { warning, type Warning } from '../warnings.js';
import { resampleCounts } from '../fitting/bootstrap.js';

/** Runs of an IsoFLOP study: compute C, parameters N and loss per run (and, optionally, tokens D). */
export interface IsoflopPoints {
  C: ArrayLike<number>;
  N: ArrayLike<number>;
  loss: ArrayLike<number>;
  /**
   * Training tokens per run. Without it D* = C/(6N*). With it, D* is read off the budget's own (log N, log D)
   * pairs at N* (linear interpolation in log–log), so a FLOP count other than 6ND (attention FLOPs,
   * budgets rounded to a label) still gives the tokens the runs actually saw; b and kD are then fitted.
   */
  D?: ArrayLike<number>;
  /**
   * Which run each point was read from (an id per point; `--run`): when one run gives several points (its curve
   * read at several budgets, or every checkpoint kept), a bootstrap resamples whole runs across budgets, a run
   * drawn once bringing all its points at every budget. Without it, or when every run gives one point, the
   * runs are resampled within each budget.
   */
  run?: ArrayLike<number>;
}

/** What a bootstrap resampled: whole runs across budgets (`run`), or the points within each budget (`row`). */
export interface IsoflopResampling {
  unit: 'run' | 'row';
  /** Runs the analysis read points from (distinct ids among the points used). */
  runs: number;
}

/** How intervals are made. */
export type IsoflopIntervals =
  /** Porian et al. (2024): add N(0, σ²) noise to every loss, `draws` times (σ = 0.002 RefinedWeb, 0.01 OWT2 in their code). */
  | { kind: 'noise'; sigma: number; draws: number; seed: number }
  /** Resample the runs within each budget with replacement, `resamples` times (whole runs across budgets, given {@link IsoflopPoints.run} ids shared by several points). */
  | { kind: 'bootstrap'; resamples: number; seed: number };

/** Options of {@link isoflop}. */
export interface IsoflopOptions {
  /** `parabola`: least-squares parabola of loss in log N (Hoffmann et al. 2022). `akima`: Akima interpolation of log loss in log N, minimised on a grid (Porian et al. 2024). Default `parabola`. */
  method?: 'parabola' | 'akima';
  /**
   * Runs whose C agree within this relative tolerance form one budget. Default: the budgets found in the data
   * (src/data/budgets.ts: clusters of log C split at gaps over 1%, so budgets that jitter are one budget).
   */
  budgetTolerance?: number;
  /** Budgets with fewer distinct sizes are left out. Default 3 (the least a minimum can be located with). */
  minSizes?: number;
  /**
   * Intervals. With noise draws the budget's N* is the median over draws (Porian's point estimate); with the
   * bootstrap too (the same aggregation). Either way the fit is weighted by 1/var(log N*). Default none.
   */
  intervals?: IsoflopIntervals;
  /**
   * The point estimate when there are intervals. `median` (default, Porian et al. 2024): each budget's N* is the
   * median over draws and the power law is weighted by 1/var(log N*), as described above. `data`: the point is
   * what the runs give without draws (each budget's own minimum, unweighted least squares), so it does not move
   * when intervals are switched on; the draws only make the intervals (of N*: centred on the point, as wide as
   * the middle 95% of the draws, {@link centredInterval}; of a and b: percentiles of the exponents refitted on
   * each draw), a bootstrap resample weights each run by how often it was drawn, and a budget is never left
   * out because of its draws. `skills` uses `data`.
   */
  pointEstimate?: 'median' | 'data';
}

/**
 * The draws behind an analysis's intervals, aligned by draw index: draw d of budget j is the same resample (or
 * the same noise) in every analysis of the same runs with the same seed and draw count, so two losses of the
 * same runs (a skill and the aggregate, two validation mixes) can be compared draw by draw.
 */
export interface IsoflopDraws {
  /** Per budget (as `budgets`): log N* of each draw, NaN where that draw has no interior minimum; undefined where no draws were run. */
  logN: (Float64Array | undefined)[];
  /**
   * With `pointEstimate: 'data'`, per budget: log N* of each draw that has a minimum, at an edge too (a minimum
   * beyond the sizes tried counts at that edge); NaN where it has none (concave, too few sizes).
   */
  logNvertex?: (Float64Array | undefined)[];
  /** With `pointEstimate: 'data'` and a fit: per draw, the exponent a refitted on the budgets kept whose draw has a minimum (NaN where fewer than 2 do). */
  a?: Float64Array;
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
  /** D*(C) = C/(6N*), or read off the runs' tokens at N* when D is given. */
  D: number | null;
  /** Loss at the optimum. */
  loss: number | null;
  ci95?: { N: [number, number]; D: [number, number] };
  /** Standard deviation of log N* over draws (floored, inflated for failed draws), the fit's 1/weight². */
  logNsd?: number;
  /** Draws whose minimum was interior (with intervals). */
  validDraws?: number;
  excluded: Exclusion | null;
  /** Why, in words, when excluded. */
  reason?: string;
}

/** N* = k·C^a and D* = kD·C^b over the budgets kept (without D: b = 1 − a, kD = 1/(6k), since D* = C/(6N*)). */
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
  /** Refits behind ci95: the fewest valid draws of any budget kept (with run draws: the draws with a minimum in at least 2 kept budgets). */
  refits?: number;
}

export interface IsoflopResult {
  method: 'parabola' | 'akima';
  budgets: BudgetOptimum[];
  fit: IsoflopFit | null;
  /** With a bootstrap and run ids ({@link IsoflopPoints.run}): what was resampled. */
  bootstrap?: IsoflopResampling;
  warnings: Warning[];
}

/** One budget's curve: distinct sizes ascending, the loss of each, and log D of each when D was given. */
export interface IsoflopCurve {
  C: number;
  logN: Float64Array;
  loss: Float64Array;
  logD?: Float64Array;
  /** With run ids: the run of each size's point (of several runs of one size, the lowest-loss one's). */
  run?: Float64Array;
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
 * Runs with a non-finite or non-positive C, N or D, or a loss that cannot be used (non-finite; ≤ 0 for Akima,
 * which works on log loss) are left out with a warning. Deterministic for a seed: draw d of budget j uses
 * its own random stream (seed, j·draws + d), whatever order the work is done in; with run ids shared by several
 * points, resample d draws whole runs from the stream (seed, d), the same runs at every budget.
 */
export function isoflop(points: IsoflopPoints, options: IsoflopOptions = {}): IsoflopResult {
  return isoflopWithDraws(points, options).result;
}

/** {@link isoflop}, and the draws behind its intervals (empty without intervals). */
export function isoflopWithDraws(points: IsoflopPoints, options: IsoflopOptions = {}): { result: IsoflopResult; draws: IsoflopDraws } {
  const method = options.method ?? 'parabola';
  const minSizes = options.minSizes ?? 3;
  const warnings: Warning[] = [];
  const curves = analysedCurves(points, method, options.budgetTolerance, warnings);
  const iv = options.intervals;
  const draws = iv ? (iv.kind === 'noise' ? iv.draws : iv.resamples) : 0;
  const byRun = iv?.kind === 'bootstrap' && points.run ? runResamples(curves, iv.seed, draws) : undefined;
  const resampling: { bootstrap?: IsoflopResampling } = byRun ? { bootstrap: { unit: byRun.counts ? 'run' : 'row', runs: byRun.runs } } : {};
  const hasD = !!points.D;
  // Per budget, in draw order: log N* and log D* of the draws whose minimum was interior.
  const validN: Float64Array[] = [],
    validD: Float64Array[] = [];
  const sdD: number[] = [];
  const dataPoint = options.pointEstimate === 'data';
  // Per budget, aligned by draw index (NaN: no interior minimum): log N* and log D*.
  const alignedN: (Float64Array | undefined)[] = [],
    alignedD: (Float64Array | undefined)[] = [],
    alignedV: (Float64Array | undefined)[] = [];

  const budgets = curves.map((curve, b): BudgetOptimum => {
    const { C, logN, loss } = curve;
    const k = logN.length;
    const base = { C, points: k };
    if (k < minSizes) {
      return {
        ...base,
        N: null,
        D: null,
        loss: null,
        excluded: 'too-few-sizes',
        reason: `${k} size${k === 1 ? '' : 's'}; at least ${minSizes} are needed to locate a minimum`,
      };
    }
    const logDAt = (x: number) => (curve.logD ? interpLinear(logN, curve.logD, x) : Math.log(C / 6) - x);
    const best = curveMin(method, logN, loss);
    const edgeReason = (m: CurveMin) =>
      m.excluded === 'concave'
        ? 'the parabola opens downward: no minimum'
        : `the minimum is at or beyond the ${m.logN <= logN[0]! ? 'smallest' : 'largest'} size tried (${fmtN(Math.exp(logN[m.logN <= logN[0]! ? 0 : k - 1]!))})`;
    const point = (m: CurveMin) =>
      m.excluded === 'concave' ? { N: null, D: null, loss: null } : { N: Math.exp(m.logN), D: Math.exp(logDAt(m.logN)), loss: m.loss };
    if (best.excluded) return { ...base, ...point(best), excluded: best.excluded, reason: edgeReason(best) };
    if (!iv) return { ...base, ...point(best), excluded: null };

    // Draws: noisy losses, or resampled runs.
    const stars: number[] = [],
      starLoss: number[] = [];
    const noisy = new Float64Array(k);
    const aligned = new Float64Array(draws).fill(NaN),
      vertex = new Float64Array(draws).fill(NaN);
    const drawn = new Float64Array(k);
    for (let d = 0; d < draws; d++) {
      const rng = new Random(iv.seed, b * draws + d);
      let m: CurveMin | undefined;
      if (byRun?.counts) {
        // Whole runs: each point counts as often as its run was drawn in resample d (the same runs at every budget).
        const ids = byRun.ids[b]!;
        for (let i = 0; i < k; i++) drawn[i] = byRun.counts[d * byRun.runs + ids[i]!]!;
        m = dataPoint && method === 'parabola' ? countedMin(logN, loss, drawn, minSizes) : drawnMin(method, logN, loss, drawn, minSizes);
      } else if (iv.kind === 'noise') {
        // Noise on the loss itself (not log loss), as Porian's get_noise_for_loss adds it.
        for (let i = 0; i < k; i++) noisy[i] = loss[i]! + iv.sigma * rng.normal();
        m = method === 'akima' && !(extent(noisy)[0] > 0) ? undefined : curveMin(method, logN, noisy);
      } else {
        m = dataPoint && method === 'parabola' ? resampledMinCounted(logN, loss, rng, minSizes) : resampledMin(method, logN, loss, rng, minSizes);
      }
      if (m && !m.excluded) {
        stars.push(m.logN);
        starLoss.push(m.loss);
        aligned[d] = m.logN;
      }
      // A minimum beyond the sizes counts at the edge it is beyond: the data say no more than "at or past it".
      if (m && m.excluded !== 'concave') vertex[d] = Math.min(Math.max(m.logN, logN[0]!), logN[k - 1]!);
    }
    alignedN[b] = aligned;
    alignedV[b] = vertex;
    alignedD[b] = Float64Array.from(aligned, (x) => (Number.isNaN(x) ? NaN : logDAt(x)));
    if (dataPoint) {
      // The point is the budget's own minimum; the draws only give its interval, from every draw with a minimum:
      // one beyond the sizes drawn counts where it fell (leaving it out would cut that tail off the interval).
      const located = vertex.filter((v) => !Number.isNaN(v));
      if (located.length === 0 || stars.length === 0) return { ...base, ...point(best), validDraws: stars.length, excluded: null };
      validN[b] = Float64Array.from(stars);
      const inflate = draws / stars.length;
      const at = point(best);
      return {
        ...base,
        ...at,
        ci95: { N: centredInterval(at.N!, located, true), D: centredInterval(at.D!, Float64Array.from(located, logDAt), true) },
        logNsd: Math.max(popSd(validN[b]), sdFloor(method, logN)) * inflate,
        validDraws: stars.length,
        excluded: null,
      };
    }
    // Porian et al. give up on a budget when fewer than half the draws have an interior minimum.
    if (stars.length < Math.floor(draws / 2)) {
      return {
        ...base,
        ...point(best),
        validDraws: stars.length,
        excluded: 'edge-min',
        reason: `the minimum is at an edge (or undefined) in ${draws - stars.length} of ${draws} draws`,
      };
    }
    validN[b] = Float64Array.from(stars);
    validD[b] = Float64Array.from(stars, logDAt);
    // sd(log N*) floored at a fraction of the spacing the minimum can resolve, inflated by draws/valid.
    const inflate = draws / stars.length;
    const sd = Math.max(popSd(validN[b]), sdFloor(method, logN)) * inflate;
    if (curve.logD) sdD[b] = Math.max(popSd(validD[b]), sdFloor(method, curve.logD)) * inflate;
    // Porian take np.median of N* itself (not of log N*): it differs only for an even count, between two grid points.
    const sortedN = Float64Array.from(stars, Math.exp).sort();
    const sortedD = Float64Array.from(validD[b], Math.exp).sort();
    const N = quantileSorted(sortedN, 0.5);
    return {
      ...base,
      N,
      D: hasD ? quantileSorted(sortedD, 0.5) : C / (6 * N),
      loss: median(starLoss),
      ci95: { N: [quantileSorted(sortedN, 0.025), quantileSorted(sortedN, 0.975)], D: [quantileSorted(sortedD, 0.025), quantileSorted(sortedD, 0.975)] },
      logNsd: sd,
      validDraws: stars.length,
      excluded: null,
    };
  });

  for (const b of budgets) if (b.excluded) warnings.push(warning('budget-excluded', `budget C = ${fmtN(b.C)} left out (${b.excluded}): ${b.reason}`));
  const kept = budgets.map((b, i) => ({ b, i })).filter(({ b }) => !b.excluded);
  if (kept.length < 2) {
    const total = budgets.length;
    warnings.push(
      warning(
        'no-power-law',
        `no power law: ${kept.length} budget${kept.length === 1 ? '' : 's'} with an interior minimum (of ${total}); at least 2 are needed`,
      ),
    );
    return { result: { method, budgets, fit: null, ...resampling, warnings }, draws: { logN: alignedN } };
  }
  if (kept.length === 2) warnings.push(warning('two-budgets', 'the power law rests on only 2 budgets: its exponent has no check'));
  const Cs = kept.map(({ b }) => b.C);
  const weighted = !!iv && !dataPoint;
  const weights = weighted ? kept.map(({ b }) => 1 / (b.logNsd! * b.logNsd!)) : undefined;
  const weightsD = weighted && hasD ? kept.map(({ i }) => 1 / (sdD[i]! * sdD[i]!)) : weights;
  const law = fitPowerLaw(
    Cs,
    kept.map(({ b }) => b.N!),
    weights,
  );
  if (!law) {
    // All kept budgets at one C cannot happen (budgets differ in C), so this is a degenerate input: say so.
    warnings.push(warning('no-power-law', 'no power law: the budgets kept do not span more than one compute value'));
    return { result: { method, budgets, fit: null, ...resampling, warnings }, draws: { logN: alignedN } };
  }
  const lawD = hasD
    ? fitPowerLaw(
        Cs,
        kept.map(({ b }) => b.D!),
        weightsD,
      )!
    : undefined;
  const fit: IsoflopFit = {
    a: law.a,
    k: law.k,
    b: lawD ? lawD.a : 1 - law.a,
    kD: lawD ? lawD.k : 1 / (6 * law.k),
    r2: law.r2,
    budgets: kept.length,
    weighted,
  };
  for (const w of powerLawWarnings(
    fit,
    hasD,
    Cs,
    kept.map(({ b }) => b.N!),
    weights,
  ))
    warnings.push(w);
  const out: IsoflopDraws = { logN: alignedN, ...(dataPoint ? { logNvertex: alignedV } : {}) };
  if (iv && dataPoint) {
    // The estimator rerun on each draw: the budgets kept whose draw has a minimum, unweighted least squares.
    const as = new Float64Array(draws).fill(NaN),
      bs = new Float64Array(draws).fill(NaN);
    const x: number[] = [],
      y: number[] = [],
      yD: number[] = [];
    for (let d = 0; d < draws; d++) {
      x.length = y.length = yD.length = 0;
      for (const { i } of kept) {
        const v = alignedN[i]?.[d];
        if (v === undefined || Number.isNaN(v)) continue;
        x.push(budgets[i]!.C);
        y.push(Math.exp(v));
        yD.push(Math.exp(alignedD[i]![d]!));
      }
      if (x.length < 2) continue;
      as[d] = fitPowerLaw(x, y)!.a;
      bs[d] = hasD ? fitPowerLaw(x, yD)!.a : 1 - as[d]!;
    }
    out.a = as;
    const drawnA = as.filter((v) => !Number.isNaN(v)),
      drawnB = bs.filter((v) => !Number.isNaN(v));
    if (drawnA.length > 0) {
      // Percentiles of the refits (the exponent, unlike a vertex, is not skewed away from the truth: 97% of
      // synthetic sweeps; centred, the same width would hold it in 99%, wider than 95% asks).
      fit.ci95 = { a: percentiles(drawnA), b: percentiles(drawnB) };
      fit.refits = drawnA.length;
    }
  } else if (byRun?.counts) {
    // Whole runs drawn: draw d is one resample at every budget, so the refit pairs draw d of each kept budget
    // (those whose draw d has an interior minimum, weighted as the point fit; NaN where fewer than 2 do).
    const as: number[] = [],
      bs: number[] = [];
    const x: number[] = [],
      y: number[] = [],
      yD: number[] = [],
      w: number[] = [],
      wD: number[] = [];
    for (let d = 0; d < draws; d++) {
      x.length = y.length = yD.length = w.length = wD.length = 0;
      kept.forEach(({ i }, j) => {
        const v = alignedN[i]![d]!;
        if (Number.isNaN(v)) return;
        x.push(budgets[i]!.C);
        y.push(Math.exp(v));
        yD.push(Math.exp(alignedD[i]![d]!));
        w.push(weights![j]!);
        wD.push(weightsD![j]!);
      });
      if (x.length < 2) continue;
      const refit = fitPowerLaw(x, y, w);
      if (!refit) continue;
      as.push(refit.a);
      bs.push(hasD ? fitPowerLaw(x, yD, wD)!.a : 1 - refit.a);
    }
    if (as.length > 0) {
      fit.ci95 = { a: percentiles(as), b: percentiles(bs) };
      fit.refits = as.length;
    }
  } else if (iv) {
    // Refit on draw i of every budget, for i up to the fewest valid draws of any budget.
    let m = Infinity;
    for (const { i } of kept) m = Math.min(m, validN[i]!.length);
    const as = new Float64Array(m),
      bs = new Float64Array(m);
    const ys = new Float64Array(kept.length);
    for (let d = 0; d < m; d++) {
      kept.forEach(({ i }, j) => {
        ys[j] = Math.exp(validN[i]![d]!);
      });
      as[d] = fitPowerLaw(Cs, ys, weights)!.a;
      if (hasD) {
        kept.forEach(({ i }, j) => {
          ys[j] = Math.exp(validD[i]![d]!);
        });
        bs[d] = fitPowerLaw(Cs, ys, weightsD)!.a;
      }
    }
    as.sort();
    const lo = quantileSorted(as, 0.025),
      hi = quantileSorted(as, 0.975);
    bs.sort();
    fit.ci95 = { a: [lo, hi], b: hasD ? [quantileSorted(bs, 0.025), quantileSorted(bs, 0.975)] : [1 - hi, 1 - lo] };
    fit.refits = m;
  }
  return { result: { method, budgets, fit, ...resampling, warnings }, draws: out };
}

/**
 * The run-level resamples of a bootstrap over curves whose points carry run ids: per budget, each point's run
 * (renumbered to the runs present, in order of first appearance), and, when some run gives several points,
 * how often each run is drawn in resample d (`counts[d·runs + r]`, stream (seed, d): one resample for every
 * budget). Without a run giving several points, `counts` is absent and the draws stay within each budget.
 */
function runResamples(curves: IsoflopCurve[], seed: number, draws: number): { ids: Int32Array[]; runs: number; counts?: Float64Array } {
  const renumber = new Map<number, number>();
  let total = 0;
  const ids = curves.map((c) =>
    Int32Array.from(c.run ?? [], (r) => {
      total++;
      let k = renumber.get(r);
      if (k === undefined) {
        k = renumber.size;
        renumber.set(r, k);
      }
      return k;
    }),
  );
  const runs = renumber.size;
  if (total === runs) return { ids, runs };
  const counts = new Float64Array(draws * runs);
  for (let d = 0; d < draws; d++) resampleCounts(seed, d, runs, counts.subarray(d * runs, (d + 1) * runs));
  return { ids, runs, counts };
}

/** A budget this far off the power law of the others (in N*) is an outlier: 10×, where real sweeps scatter by tens of %. */
const OUTLIER_FACTOR = 10;

/**
 * What makes a power law N*(C) not worth reporting, each named: a poor fit (R² < 0.5 in log space), an exponent
 * outside (0, 1) (the optimal size, or the tokens, would shrink as compute grows), and each budget more than
 * {@link OUTLIER_FACTOR}× off the line fitted to the others (its leave-one-out residual r/(1 − h), in closed form,
 * so each round is linear in the number of budgets). A mistyped size (×1e10) trips them.
 */
function powerLawWarnings(fit: IsoflopFit, fittedB: boolean, C: readonly number[], N: readonly number[], weights?: readonly number[]): Warning[] {
  const out: Warning[] = [];
  if (fit.r2 < 0.5) {
    out.push(
      warning(
        'poor-power-law',
        `N*(C) fits the budgets poorly (${fit.weighted ? 'weighted ' : ''}R² ${fit.r2.toPrecision(3)} in log space): its exponent is not to be trusted; an outlying budget or a mistyped size would do this`,
      ),
    );
  }
  // Without D, b = 1 − a: one check covers both.
  for (const [name, v, what] of [['a', fit.a, 'N*'] as const, ...(fittedB ? [['b', fit.b, 'D*'] as const] : [])]) {
    if (!(v > 0 && v < 1)) {
      out.push(
        warning(
          'implausible-exponent',
          `${what} ∝ C^${name} with ${name} = ${v.toPrecision(4)}, outside (0, 1): the compute-optimal ${what === 'N*' ? 'size' : 'tokens'} would ${v <= 0 ? 'shrink' : 'outgrow compute'} as compute grows`,
        ),
      );
    }
  }
  // Leave-one-out residuals, the worst removed and the rest recomputed (up to 5 times): an outlier left in drags
  // the line towards itself and makes every other budget look off.
  const m = C.length;
  const lx = C.map(Math.log),
    ly = N.map(Math.log);
  const w = (j: number) => (weights ? weights[j]! : 1);
  const inFit = new Uint8Array(m).fill(1);
  for (let round = 0, left = m; round < 5 && left >= 4; round++, left--) {
    let sw = 0,
      sx = 0,
      sy = 0;
    for (let j = 0; j < m; j++)
      if (inFit[j]) {
        sw += w(j);
        sx += w(j) * lx[j]!;
        sy += w(j) * ly[j]!;
      }
    const mx = sx / sw,
      my = sy / sw;
    let sxx = 0,
      sxy = 0;
    for (let j = 0; j < m; j++)
      if (inFit[j]) {
        sxx += w(j) * (lx[j]! - mx) ** 2;
        sxy += w(j) * (lx[j]! - mx) * (ly[j]! - my);
      }
    const slope = sxy / sxx;
    let worst = -1,
      worstLoo = 0;
    for (let j = 0; j < m; j++) {
      if (!inFit[j]) continue;
      const h = w(j) * (1 / sw + (lx[j]! - mx) ** 2 / sxx);
      if (!(h < 1 - 1e-9)) continue;
      const loo = (ly[j]! - (my + slope * (lx[j]! - mx))) / (1 - h);
      if (Math.abs(loo) > Math.abs(worstLoo)) {
        worst = j;
        worstLoo = loo;
      }
    }
    if (worst < 0 || !(Math.abs(worstLoo) > Math.log(OUTLIER_FACTOR))) break;
    const factor = Math.exp(Math.abs(worstLoo));
    out.push(
      warning(
        'outlying-budget',
        `budget C = ${fmtN(C[worst]!)}: N* = ${fmtN(N[worst]!)} is ${factor < 1e4 ? factor.toPrecision(3) : fmtN(factor)}× ${worstLoo > 0 ? 'above' : 'below'} the power law of the other budgets (${fmtN(N[worst]! / Math.exp(worstLoo))}); check its sizes and compute`,
      ),
    );
    inFit[worst] = 0;
  }
  return out;
}

/**
 * The budget curves {@link isoflop} analyses: the usable runs (the others are left out, with a warning into
 * `warnings`), grouped into budgets. A figure of a result draws these, so it shows what was fitted.
 */
export function analysedCurves(points: IsoflopPoints, method: 'parabola' | 'akima', tolerance?: number, warnings: Warning[] = []): IsoflopCurve[] {
  return budgetsOf(usableRuns(points, method, warnings), tolerance, warnings);
}

/**
 * Groups runs into budgets by C — within a relative tolerance, or by default the budgets found in the data
 * (jitter within 1% is one budget) — sorts each by N, keeps the lowest loss per size.
 */
export function budgetsOf(points: IsoflopPoints, tolerance?: number, warnings?: Warning[]): IsoflopCurve[] {
  const order = Array.from({ length: points.C.length }, (_, i) => i).sort((a, b) => points.C[a]! - points.C[b]!);
  const groups: number[][] = [];
  if (tolerance === undefined) {
    const found = budgetClusters(points.C);
    for (let k = 0; k < found.starts.length; k++) groups.push([]);
    for (const i of order) groups[found.of[i]!]!.push(i);
    if (found.split)
      warnings?.push(
        warning(
          'budgets-unclear',
          'some compute values lie close together without a gap between budgets (compute read off a figure?): each distinct value is its own budget; group them with --budget-tolerance',
        ),
      );
  } else {
    for (const i of order) {
      const g = groups[groups.length - 1];
      if (g && points.C[i]! <= points.C[g[0]!]! * (1 + tolerance)) g.push(i);
      else groups.push([i]);
    }
  }
  return groups.map((g) => {
    const Cs = g.map((i) => points.C[i]!).sort((a, b) => a - b);
    // Several runs of one size at one budget (a learning-rate sweep): the best one is that size's loss (and D).
    const bySize = new Map<number, number>();
    for (const i of g) {
      const j = bySize.get(points.N[i]!);
      if (j === undefined || points.loss[i]! < points.loss[j]!) bySize.set(points.N[i]!, i);
    }
    const sizes = [...bySize.keys()].sort((a, b) => a - b);
    const curve: IsoflopCurve = {
      C: Cs[Cs.length >> 1]!,
      logN: Float64Array.from(sizes, Math.log),
      loss: Float64Array.from(sizes, (s) => points.loss[bySize.get(s)!]!),
    };
    if (points.D) curve.logD = Float64Array.from(sizes, (s) => Math.log(points.D![bySize.get(s)!]!));
    if (points.run) curve.run = Float64Array.from(sizes, (s) => points.run![bySize.get(s)!]!);
    return curve;
  });
}

/** The runs at the given indices. */
export function pickPoints(points: IsoflopPoints, index: readonly number[]): IsoflopPoints {
  const take = (v: ArrayLike<number>) => Float64Array.from(index, (i) => v[i]!);
  const out: IsoflopPoints = { C: take(points.C), N: take(points.N), loss: take(points.loss) };
  if (points.D) out.D = take(points.D);
  if (points.run) out.run = take(points.run);
  return out;
}

/** {@link isoflop} once per value of `keys` (one key per run), e.g. per configuration id or datamix. */
export function isoflopGroups(points: IsoflopPoints, keys: ArrayLike<unknown>, options: IsoflopOptions = {}): ({ group: string } & IsoflopResult)[] {
  return groupIndices(keys).map(({ key, index }) => ({ group: key, ...isoflop(pickPoints(points, index), options) }));
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
  // Porian et al.: Akima of log loss on log N, evaluated on (k − 1)·25 points evenly spaced in log N from the
  // smallest to the largest size; the argmin is the grid point itself (no refinement), an end point is an edge.
  const logLoss = new Float64Array(k);
  for (let i = 0; i < k; i++) logLoss[i] = Math.log(loss[i]!);
  const f = akima(logN, logLoss);
  const M = (k - 1) * GRID_PER_GAP;
  const lo = logN[0]!,
    step = (logN[k - 1]! - lo) / (M - 1);
  let best = 0,
    bestV = Infinity;
  for (let j = 0; j < M; j++) {
    const v = f(j === M - 1 ? logN[k - 1]! : lo + j * step);
    if (v < bestV) {
      bestV = v;
      best = j;
    }
  }
  return { logN: best === M - 1 ? logN[k - 1]! : lo + best * step, loss: Math.exp(bestV), excluded: best === 0 || best === M - 1 ? 'edge-min' : null };
}

/** Minimum of a within-budget resample of the runs (duplicate sizes averaged); undefined if too few sizes were drawn. */
function resampledMin(method: 'parabola' | 'akima', logN: Float64Array, loss: Float64Array, rng: Random, minSizes: number): CurveMin | undefined {
  const k = logN.length;
  const sum = new Float64Array(k),
    count = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const i = rng.int(k);
    sum[i]! += loss[i]!;
    count[i]!++;
  }
  const xs: number[] = [],
    ys: number[] = [];
  for (let i = 0; i < k; i++)
    if (count[i]! > 0) {
      xs.push(logN[i]!);
      ys.push(sum[i]! / count[i]!);
    }
  if (xs.length < Math.max(3, minSizes)) return undefined;
  return curveMin(method, Float64Array.from(xs), Float64Array.from(ys));
}

/** Minimum of the sizes drawn at least once (each point's loss as it is: a run drawn twice brings the same loss); undefined if too few sizes were drawn. */
function drawnMin(method: 'parabola' | 'akima', logN: Float64Array, loss: Float64Array, count: Float64Array, minSizes: number): CurveMin | undefined {
  const xs: number[] = [],
    ys: number[] = [];
  for (let i = 0; i < logN.length; i++)
    if (count[i]! > 0) {
      xs.push(logN[i]!);
      ys.push(loss[i]!);
    }
  if (xs.length < Math.max(3, minSizes)) return undefined;
  return curveMin(method, Float64Array.from(xs), Float64Array.from(ys));
}

/** The 2.5% and 97.5% percentiles of some draws (any order, NaN-free, at least one). */
export function percentiles(draws: ArrayLike<number>): [number, number] {
  const sorted = Float64Array.from(draws).sort();
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}

/**
 * The interval of N* `pointEstimate: 'data'` reports: centred on the point, as wide as the middle 95% of the draws
 * (in log space when `log`: then `draws` are logs). Unlike the draws' own percentiles it always holds the point:
 * those of a parabola's vertex are skewed away from the truth (a resample amplifies the deviation the data
 * happen to have) and held it in only 88% of synthetic sweeps, this one in 95% (test/analyses/skills-calibration.test.ts).
 */
export function centredInterval(point: number, draws: ArrayLike<number>, log: boolean): [number, number] {
  const sorted = Float64Array.from(draws).sort();
  const half = (quantileSorted(sorted, 0.975) - quantileSorted(sorted, 0.025)) / 2;
  return log ? [point * Math.exp(-half), point * Math.exp(half)] : [point - half, point + half];
}

/**
 * Minimum of a within-budget resample of the runs, each size weighted by how often it was drawn (the pairs
 * bootstrap: averaging duplicates instead would fit a subset of the sizes and understate the spread).
 */
function resampledMinCounted(logN: Float64Array, loss: Float64Array, rng: Random, minSizes: number): CurveMin | undefined {
  const k = logN.length;
  const count = new Float64Array(k);
  for (let j = 0; j < k; j++) count[rng.int(k)]!++;
  return countedMin(logN, loss, count, minSizes);
}

/** The weighted parabola's minimum over the sizes drawn `count` times each (undefined if too few sizes were drawn). */
function countedMin(logN: Float64Array, loss: Float64Array, count: Float64Array, minSizes: number): CurveMin | undefined {
  const k = logN.length;
  let distinct = 0,
    first = -1,
    last = -1;
  for (let i = 0; i < k; i++)
    if (count[i]! > 0) {
      distinct++;
      if (first < 0) first = i;
      last = i;
    }
  if (distinct < Math.max(3, minSizes)) return undefined;
  const c = fitParabola(logN, loss, count);
  if (!c || !(c[2] > 0)) return { logN: NaN, loss: NaN, excluded: 'concave' };
  const v = -c[1] / (2 * c[2]);
  // An edge of the sizes drawn, as the analysis of the resample would see it.
  return { logN: v, loss: c[0] + c[1] * v + c[2] * v * v, excluded: v <= logN[first]! || v >= logN[last]! ? 'edge-min' : null };
}

/**
 * Floor on sd(log N*): draws can only land on the resolution of the method. Akima: Porian's
 * min_std_factor·interp_num_multiplier·(grid step) = 0.33·25·(log-range)/((k−1)·25 − 1); parabola: 0.33 of the
 * mean log-spacing of the sizes.
 */
function sdFloor(method: 'parabola' | 'akima', logs: Float64Array): number {
  const k = logs.length;
  const range = Math.abs(logs[k - 1]! - logs[0]!);
  return method === 'akima' ? (MIN_SD_FACTOR * GRID_PER_GAP * range) / ((k - 1) * GRID_PER_GAP - 1) : (MIN_SD_FACTOR * range) / (k - 1);
}

/** y at x by linear interpolation of (xs, ys), xs ascending; clamped to the end values outside. */
function interpLinear(xs: Float64Array, ys: Float64Array, x: number): number {
  const k = xs.length;
  if (x <= xs[0]!) return ys[0]!;
  if (x >= xs[k - 1]!) return ys[k - 1]!;
  let i = 1;
  while (xs[i]! < x) i++;
  const t = (x - xs[i - 1]!) / (xs[i]! - xs[i - 1]!);
  return ys[i - 1]! + t * (ys[i]! - ys[i - 1]!);
}

/** The runs the analysis can use; the others are counted in one warning rather than turning results into NaN. */
function usableRuns(points: IsoflopPoints, method: 'parabola' | 'akima', warnings: Warning[]): IsoflopPoints {
  const n = points.C.length;
  if (points.N.length !== n || points.loss.length !== n || (points.D && points.D.length !== n)) {
    throw new RangeError(
      `isoflop: C, N, loss${points.D ? ', D' : ''} must have one entry per run (got ${n}, ${points.N.length}, ${points.loss.length}${points.D ? `, ${points.D.length}` : ''})`,
    );
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = points.loss[i]!;
    const ok =
      points.C[i]! > 0 &&
      points.C[i]! < Infinity &&
      points.N[i]! > 0 &&
      points.N[i]! < Infinity &&
      (points.D ? points.D[i]! > 0 && points.D[i]! < Infinity : true) &&
      Number.isFinite(l) &&
      (method === 'parabola' || l > 0);
    if (ok) keep.push(i);
  }
  if (keep.length === n) return points;
  const dropped = n - keep.length;
  warnings.push(
    warning(
      'runs-dropped',
      `${dropped} run${dropped === 1 ? '' : 's'} left out: C, N${points.D ? ', D' : ''} must be finite and positive, and the loss finite${method === 'akima' ? ' and positive (Akima works on log loss)' : ''}`,
    ),
  );
  return pickPoints(points, keep);
}

function popSd(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / n);
}

const fmtN = (v: number) => v.toExponential(2).replace('e+', 'e');
