import { subsetRuns, type Runs } from '../data/runs.js';
import { UserError } from '../errors.js';
import { constrainedLaw, isUnconstrained, type Constraints } from '../laws/constrained.js';
import type { Law, StartGrid } from '../laws/law.js';
import { makeObjective, makeResiduals, resolveObjective, type ObjectiveFn, type ObjectiveSpec } from '../objectives/objective.js';
import { lbfgs } from '../optim/lbfgs.js';
import { levenbergMarquardt } from '../optim/levenberg-marquardt.js';
import { nelderMead } from '../optim/nelder-mead.js';
import type { OptimResult } from '../optim/result.js';
import { extent } from '../stats/extent.js';
import { subsampleIndex } from '../stats/subsample.js';
import { varies } from '../stats/varies.js';
import { warning, type Warning } from '../warnings.js';

/** Options of {@link fitLaw}. */
export interface FitOptions {
  /** How misfit is scored. Default Huber, δ = 1e-3, on log loss. */
  objective?: ObjectiveSpec;
  /** Start points: a named grid of the law, or explicit θ vectors. Default `default`. */
  starts?: StartGrid | Float64Array[];
  /**
   * How many starts to optimise, after ranking all of them by their objective value: a start whose
   * objective is already poor rarely reaches the best basin first, and evaluating is 30–100× cheaper than
   * optimising. Default 64; `Infinity` optimises every start.
   */
  screen?: number;
  /** `auto`: Levenberg–Marquardt for `mse`, L-BFGS otherwise. */
  optimizer?: 'auto' | 'lbfgs' | 'lm' | 'nelder-mead';
  /** Per-run multiplicity (a bootstrap resample as counts, or `--weights`). Default all 1. */
  weights?: Float64Array;
  /**
   * Above twice this many runs, the starts are ranked and optimised on a fixed subsample of this many, and the
   * best is polished on all of them. Default {@link SEARCH_SUBSAMPLE}; `Infinity` searches on every run.
   */
  searchSubsample?: number;
  /** Constants not fitted (held by `--fix`): their values draw no warning (an E held small is not E going to zero). */
  held?: readonly string[];
}

/** The outcome of a fit, with what a reader needs to decide whether to trust it. */
export interface FitResult {
  law: string;
  n: number;
  objective: Required<ObjectiveSpec> & { value: number };
  /** θ as optimised. */
  theta: Float64Array;
  /** The constants a paper reports. */
  params: Record<string, number>;
  starts: number;
  optimised: number;
  /** Runs the starts were ranked and optimised on, when that was a subsample (more than 2·`searchSubsample` runs). */
  screenedOn?: number;
  /** Optimised starts that ended within 1e-6 (relative) of the best objective. */
  agreeing: number;
  converged: boolean;
  optimizer: string;
  /** Reasons not to trust the fit; empty when there are none. */
  warnings: Warning[];
}

const TIGHT = { fTol: 1e-15, fFloor: 0, gradTol: 1e-12, maxIterations: 5000 };

/**
 * Multi-start fit of a law to runs: rank the starts by objective value, optimise the best `screen`
 * of them, polish the best result with tight tolerances, and check it. With more than 2·{@link SEARCH_SUBSAMPLE}
 * runs the starts are ranked and optimised on a fixed subsample of that many runs, and only the best is
 * polished on all of them: a 1e6-row table costs one polish on every row instead of ~7,000 evaluations.
 */
export function fitLaw<F>(law: Law<F>, runs: Runs, options: FitOptions = {}): FitResult {
  const n = runs.loss.length;
  const p = law.thetaNames.length;
  if (n <= p) {
    throw new UserError(`the ${law.name} law has ${p} parameters and needs more runs than that; got ${n}`);
  }
  // A constant loss is fitted exactly by E alone: the optimiser would return its start for every other constant.
  if (!varies(runs.loss)) {
    throw new UserError(`the loss does not vary (every run has ${runs.loss[0]}): there is nothing for the ${law.name} law to fit`);
  }
  const spec = resolveObjective(options.objective ?? { kind: 'huber' });
  const features = law.prepare(runs);
  const fn = makeObjective(law, features, runs.loss, spec, options.weights);
  const optimizer = options.optimizer === undefined || options.optimizer === 'auto' ? (spec.kind === 'mse' ? 'lm' : 'lbfgs') : options.optimizer;
  const local = localOptimizer(optimizer, law, features, runs.loss, spec.space, fn, options.weights);

  const starts = Array.isArray(options.starts) ? options.starts : law.starts(options.starts ?? 'default');
  let search: StartSearch;
  let best: OptimResult;
  let screenedOn: number | undefined;
  const m = options.searchSubsample ?? SEARCH_SUBSAMPLE;
  if (n > 2 * m) {
    // Many runs (checkpoint tables): rank and optimise the starts on a fixed subsample of the runs, whose
    // objective has the same basins at a fraction of the cost, then polish its best on every run.
    const index = subsampleIndex(n, m);
    const sub = subsetRuns(runs, index);
    const subWeights = options.weights ? Float64Array.from(index, (i) => options.weights![i]!) : undefined;
    const subFeatures = law.prepare(sub);
    const subFn = makeObjective(law, subFeatures, sub.loss, spec, subWeights);
    search = searchStarts(law, starts, subFn, localOptimizer(optimizer, law, subFeatures, sub.loss, spec.space, subFn, subWeights), optimizer, options.screen);
    // Stopping at a relative decrease of 1e-12 rather than 1e-15 halves the polish (140 → 70 evaluations on 2e5
    // rows; the last ones are line searches failing at machine precision) and moves the objective by < 1e-13.
    const full = optimizer === 'lbfgs' ? lbfgs(fn, search.best.x, { ...TIGHT, fTol: 1e-12 }) : local(search.best.x, true);
    if (Number.isFinite(full.f)) {
      best = { ...full, converged: full.converged || (full.reason === 'line-search' && search.best.converged) };
      screenedOn = m;
    } else {
      // The subsample's optimum leaves the law's domain on a run it did not hold: search on every run.
      search = searchStarts(law, starts, fn, local, optimizer, options.screen);
      best = search.best;
    }
  } else {
    search = searchStarts(law, starts, fn, local, optimizer, options.screen);
    best = search.best;
  }
  const { results } = search;
  // Agreement and ridges are judged where the starts were optimised (the subsample, when there is one).
  const agreeing = results.filter((r) => r.f <= search.best.f * (1 + 1e-6) + 1e-15).length;
  const warnings: Warning[] = [];

  const params = law.toPublic(best.x);
  if (!best.converged) warnings.push(warning('not-converged', `the optimiser did not converge (${best.reason})`));
  for (const w of ridgeWarnings(law, results, search.best.f)) warnings.push(w);
  for (const w of constantAxisWarnings(runs)) warnings.push(w);
  if (n < 5 * p) warnings.push(warning('few-runs', `only ${n} runs for ${p} parameters: the fit is weakly determined`));
  const held = new Set(options.held ?? []);
  for (const [k, v] of Object.entries(params)) {
    if (held.has(k)) continue;
    if (!Number.isFinite(v)) warnings.push(warning('not-finite', `${k} is not finite`));
    const range = law.plausible?.[k];
    if (range && !(v >= range[0] && v <= range[1])) {
      warnings.push(
        warning(
          'unidentified-term',
          `${k} = ${fmt(v)} is outside [${range[0]}, ${range[1]}]: the data do not identify this term, so neither constants nor compute-optimal exponents are to be trusted`,
        ),
      );
    }
  }
  let minLoss = Infinity;
  for (const l of runs.loss) if (l < minLoss) minLoss = l;
  // E, or each group's E[group] of a joint fit.
  for (const [k, v] of Object.entries(params)) {
    if ((k === 'E' || k.startsWith('E[')) && !held.has(k) && v < 0.01 * minLoss) {
      warnings.push(warning('e-to-zero', `${k} = ${fmt(v)} went to zero (the smallest loss is ${fmt(minLoss)}): the irreducible loss is not identified`));
    }
  }

  return {
    law: law.name,
    n,
    objective: { ...spec, value: best.f },
    theta: best.x,
    params,
    starts: starts.length,
    optimised: search.optimised,
    agreeing,
    ...(screenedOn !== undefined ? { screenedOn } : {}),
    converged: best.converged,
    optimizer,
    warnings,
  };
}

/** Runs the starts of a fit of more than twice as many runs are ranked and optimised on. */
export const SEARCH_SUBSAMPLE = 4096;

/** The starts optimised, and the best of them polished. */
interface StartSearch {
  best: OptimResult;
  results: OptimResult[];
  optimised: number;
}

/**
 * Ranks the starts by objective value, optimises the best `screen` of them and polishes the best result with
 * tight tolerances (a simplex pass when the polish stalls).
 */
function searchStarts<F>(law: Law<F>, starts: Float64Array[], fn: ObjectiveFn, local: Local, optimizer: string, screen = 64): StartSearch {
  const ranked = starts
    .map((theta) => ({ theta, f: fn(theta) }))
    .filter((s) => Number.isFinite(s.f))
    .sort((a, b) => a.f - b.f);
  if (ranked.length === 0) throw new UserError(`no start of the ${law.name} law gives a finite objective on these runs`);
  const chosen = ranked.slice(0, Math.min(ranked.length, screen));

  const results = chosen.map((s) => local(s.theta));
  let best = results.reduce((a, b) => (b.f < a.f ? b : a));
  let polished = local(best.x, true);
  if (!polished.converged && optimizer !== 'nelder-mead') {
    // L-BFGS stalls on kinks and ridges; a simplex pass often gets it moving again.
    const nm = nelderMead(fn, polished.x, { maxIterations: 4000, maxEvaluations: 8000, xTol: 1e-10, fTol: 1e-14 });
    const again = local(nm.x, true);
    if (again.f <= polished.f) polished = again;
  }
  // A polish that ends on a line-search failure at machine precision does not undo a converged start.
  if (polished.f <= best.f) best = { ...polished, converged: polished.converged || best.converged };
  return { best, results, optimised: chosen.length };
}

/** A local optimiser from one start; `tight` asks for a final polish. */
type Local = (theta: Float64Array, tight?: boolean) => OptimResult;

function localOptimizer<F>(
  kind: string,
  law: Law<F>,
  features: F,
  observed: Float64Array,
  space: 'log' | 'linear',
  fn: ObjectiveFn,
  weights?: Float64Array,
): Local {
  switch (kind) {
    case 'lbfgs':
      return (theta, tight) => lbfgs(fn, theta, tight ? TIGHT : {});
    case 'lm': {
      const res = makeResiduals(law, features, observed, space, weights);
      const n = observed.length;
      return (theta, tight) => levenbergMarquardt(res, theta, n, tight ? { fTol: 1e-15, xTol: 1e-15, gradTol: 1e-15 } : {});
    }
    case 'nelder-mead':
      return (theta, tight) => nelderMead(fn, theta, tight ? { maxIterations: 20000, maxEvaluations: 40000, xTol: 1e-10, fTol: 1e-15 } : {});
    default:
      throw new UserError(`unknown optimizer "${kind}" (known: auto, lbfgs, lm, nelder-mead)`);
  }
}

/**
 * A flat ridge: starts that reach (almost) the same objective but far-apart constants. The minimum is then
 * not a point, and its constants should not be reported with confidence.
 */
function ridgeWarnings<F>(law: Law<F>, results: OptimResult[], best: number): Warning[] {
  const near = results.filter((r) => r.f <= best * (1 + 1e-4) + 1e-12).map((r) => law.toPublic(r.x));
  if (near.length < 2) return [];
  const out: Warning[] = [];
  for (const name of law.publicNames) {
    const vals = near.map((p) => p[name]!);
    const [lo, hi] = extent(vals);
    const scale = Math.max(Math.abs(lo), Math.abs(hi));
    if (scale > 0 && (hi - lo) / scale > 0.05) {
      out.push(warning('flat-ridge', `flat ridge: starts within 1e-4 of the best objective put ${name} anywhere in [${fmt(lo)}, ${fmt(hi)}]`));
    }
  }
  return out;
}

/**
 * Runs of one size (or one token count): the law's N term (D term) is then a constant that trades off against E,
 * so its constants lie anywhere on a ridge the data cannot see. {@link bootstrapSlice} refits such resamples
 * from the start grid, so that their intervals show the ridge instead of staying at the full-data optimum.
 */
function constantAxisWarnings(runs: Runs): Warning[] {
  const out: Warning[] = [];
  for (const [axis, values, code] of [
    ['N', runs.N, 'constant-params'],
    ['D', runs.D, 'constant-tokens'],
  ] as const) {
    if (varies(values)) continue;
    out.push(
      warning(
        code,
        `every run has ${axis} = ${fmt(values[0]!)}: the law's ${axis} term is a constant these runs cannot tell apart from E, so neither its constants, E nor the compute-optimal allocation are determined (a bootstrap refits each resample from the start grid)`,
      ),
    );
  }
  return out;
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toPrecision(4));

/** A range a reported constant must lie in (`--bound alpha=0.2:`); either side may be absent. */
export interface Bound {
  lo?: number;
  hi?: number;
}

/** Options of {@link fitControlled}: a fit's options and the controls that constrain θ. */
export interface ControlledFitOptions extends Omit<FitOptions, 'starts' | 'held'> {
  /** A named start grid of the base law (mapped to the free θ). Default `default`. */
  starts?: StartGrid;
  constraints?: Constraints;
  /** Ranges of reported constants (`--bound`), by public name; a constant fixed by `constraints` may not have one. */
  bounds?: Readonly<Record<string, Bound>>;
}

/** A fit under constraints, reported in the base law's terms. */
export interface ControlledFitResult extends FitResult {
  /** The constraints the final fit was made under: the given ones and every bound it holds a constant on. */
  constraints: Constraints;
  /** The bounds the final fit holds a constant on, by name: its lower (`lo`) or upper (`hi`) bound. */
  active: Record<string, 'lo' | 'hi'>;
}

/**
 * Fits the base law with constants fixed and tied (`--fix`, `--tie`): the optimiser moves only the free
 * entries of θ (see {@link constrainedLaw}). The result is in the base law's terms — `theta` is its FULL θ,
 * fixed entries included — so everything that evaluates a fit (allocation, backtests, a saved fit, `predict`)
 * reads it as an ordinary fit of that law.
 *
 * Bounds (`--bound`) by an active-set step: after each fit, the constant furthest outside its bound
 * (relative to the bound) is held at that bound — with every constant tied to it — and the law refitted,
 * until no constant is outside; each one held draws an `on-bound` warning. A constant once held stays held
 * (the step adds constraints and never releases one), which is exact when one bound is active and a
 * close approximation otherwise.
 */
export function fitControlled<F>(base: Law<F>, runs: Runs, options: ControlledFitOptions = {}): ControlledFitResult {
  const { constraints: given, bounds = {}, ...fitOptions } = options;
  let constraints: Constraints = given ?? {};
  const active: Record<string, 'lo' | 'hi'> = {};
  const onBound: Warning[] = [];
  for (;;) {
    const fit = fitOnce(base, runs, constraints, fitOptions);
    let worst: { name: string; side: 'lo' | 'hi'; at: number; value: number; excess: number } | undefined;
    for (const [name, b] of Object.entries(bounds)) {
      if (constraints.fix && name in constraints.fix) continue;
      const value = fit.params[name]!;
      for (const [side, at] of [
        ['lo', b.lo],
        ['hi', b.hi],
      ] as const) {
        if (at === undefined || (side === 'lo' ? !(value < at) : !(value > at))) continue;
        const excess = Math.abs(value - at) / Math.max(Math.abs(at), Math.abs(value), 1e-300);
        if (!worst || excess > worst.excess) worst = { name, side, at, value, excess };
      }
    }
    if (!worst) return { ...fit, warnings: [...fit.warnings, ...onBound], constraints, active };
    // Hold the constant, and every constant tied to it, at the bound; their ties go.
    const held = tiedWith(worst.name, constraints.tie ?? []);
    const fix = { ...constraints.fix };
    for (const k of held) fix[k] = worst.at;
    const tie = (constraints.tie ?? []).filter(([a, b]) => !held.has(a) && !held.has(b));
    constraints = { fix, ...(tie.length > 0 ? { tie } : {}) };
    for (const k of held) active[k] = worst.side;
    const others = [...held].filter((k) => k !== worst.name);
    onBound.push(
      warning(
        'on-bound',
        `${worst.name} = ${worst.at} sits on its ${worst.side === 'lo' ? 'lower' : 'upper'} bound ${worst.at}: the data would put it ${worst.side === 'lo' ? 'below' : 'above'} (at ${fmt(worst.value)} without the bound)` +
          (others.length > 0 ? `; ${others.join(', ')}, tied to it, held there too` : ''),
      ),
    );
  }
}

function fitOnce<F>(base: Law<F>, runs: Runs, constraints: Constraints, options: Omit<FitOptions, 'held'>): FitResult {
  if (isUnconstrained(constraints)) return fitLaw(base, runs, options);
  const law = constrainedLaw(base, constraints);
  const fit = fitLaw(law, runs, { ...options, held: law.fixedNames });
  return { ...fit, theta: law.full(fit.theta) };
}

/** The constant and every constant tied to it, through chains of ties. */
function tiedWith(name: string, tie: readonly (readonly [string, string])[]): Set<string> {
  const out = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [a, b] of tie)
      if (out.has(a) !== out.has(b)) {
        out.add(a);
        out.add(b);
        grew = true;
      }
  }
  return out;
}
