/**
 * `compare`: interventions at scale. One law per arm — a joint L(N, D) fit across the arm column (constants in
 * `--share` common, `--fix`/`--tie`/`--bound` as `fit` takes them), or with `--frontier` a frontier law
 * L(C) = E + A·C^(−α) per arm on its lowest loss per budget — then each arm against the baseline at the budgets: the
 * effective compute multiplier (on the compute-optimal frontier, along a fixed tokens-per-parameter ratio, or on
 * the frontier laws), the loss advantage, P(better) and P(best), where the curves cross, and the decision accuracy
 * of each budget's ranking against the largest budget's, with the frontier law's extrapolated ranking beside it.
 * Intervals come from one joint bootstrap, paired when the arms share configurations (N, D).
 */
import { budgetClusters } from '../data/budgets.js';
import { toRuns } from '../data/columns.js';
import { configurations, runGroups } from '../data/groups.js';
import type { Runs } from '../data/runs.js';
import type { Table } from '../data/table.js';
import { optionRef, UserError } from '../errors.js';
import { num } from '../format/number.js';
import { laws } from '../laws/registry.js';
import type { SharedLaw } from '../laws/shared.js';
import { compareCurves, crossoverOf, fixedRatioCurve, type LossCurve, optimalCurve, probabilityBest, rankAgreement } from '../methods/compare.js';
import {
  fitFrontierLaw,
  type FrontierFit,
  type FrontierLaw,
  frontierBudgetFor,
  frontierDraws,
  frontierLoss,
  type FrontierPoint,
  multiplierLackOfFit,
} from '../methods/frontier-law.js';
import { objectiveKinds } from '../objectives/objective.js';
import { option, type OptionValues } from '../options/option.js';
import { interval95 } from '../stats/quantile.js';
import { warning, type Warning } from '../warnings.js';
import { defineAnalysis, type AnalysisEnv } from './analysis.js';
import { columnsOf, lawNames, lossOption, resamplesOf, runsOptions } from './common-options.js';
import { defaultBudgets, fitOptions, fitRuns } from './fit.js';

export const compareOptions = {
  ...runsOptions,
  ...lossOption,
  arm: option.text('column naming each run’s arm (a datamix, an architecture, an optimizer)', { arg: 'COL', required: true }),
  baseline: option.text('the arm the others are compared with (default: the first in the data)', { arg: 'VALUE' }),
  budget: option.numbers('compute budgets (FLOP) to compare at; default: the largest budget in the data and 10×, 100×, 1000× it', { arg: 'C,...' }),
  law: option.choice('the law fitted per arm: chinchilla | kaplan | overtrain', { values: lawNames, noun: 'law', default: 'chinchilla', arg: 'name' }),
  frontier: option.switch(
    'fit a frontier law L(C) = E + A·C^(−α) per arm to its lowest loss per budget instead of an L(N, D) law (Marin’s speedup); --fix E=V holds the asymptote',
  ),
  tokensPerParam: option.number(
    'compare along D = R·N (both arms at this tokens per parameter) instead of the compute-optimal frontier (not with --frontier)',
    {
      positive: true,
      arg: 'R',
    },
  ),
  objective: option.choice('huber (on log loss) | mse (on loss) | asym (on log loss)', {
    values: objectiveKinds,
    noun: 'objective',
    default: 'huber',
    arg: 'kind',
  }),
  share: option.names('constants every arm shares (a joint fit, e.g. alpha,beta); default: none, each arm its own law', { arg: 'NAME,...' }),
  fix: fitOptions.fix,
  tie: fitOptions.tie,
  bound: fitOptions.bound,
  bootstrap: option.count('resamples for intervals, P(better) and P(best) (0: none)', { arg: 'B' }),
  unpaired: option.switch('resample each run on its own even when the arms share configurations (to see what pairing buys)'),
  seed: option.count('seed of the bootstrap', { default: 0, arg: 'S' }),
};
export type CompareOptions = OptionValues<typeof compareOptions>;

/** One arm against the baseline at one budget. */
export interface CompareBudget {
  C: number;
  loss: number;
  baselineLoss: number;
  lossAdvantage: number;
  computeMultiplier: number | null;
  /** With a bootstrap: the multiplier's 95% interval (draws where the baseline never reaches the arm's loss count as above every other). */
  ci95?: [number, number];
  /** With a bootstrap: the loss advantage's 95% interval. */
  lossAdvantageCi95?: [number, number];
  /**
   * With --frontier: the multiplier's Student-t lack-of-fit 95% interval (Marin #8096): the delta method on each
   * arm's least-squares covariance, s² = RSS/(n − p), Welch–Satterthwaite degrees of freedom; arms independent.
   */
  lackOfFitCi95?: [number, number];
  /** With a bootstrap: the share of resamples in which the arm's loss at C is below the baseline's. */
  pBetter?: number;
  /** With a bootstrap: the share of resamples in which the arm's loss at C is the lowest of all arms (baseline included). */
  pBest?: number;
}

/** One arm's frontier law (with `--frontier`, and for the law's extrapolated ranking). */
export interface CompareFrontierLaw extends FrontierLaw {
  arm: string;
  /** Budgets the law was fitted to (the arm's lowest loss at each). */
  points: number;
  /** Root mean square residual of the fit (loss units). */
  rmse: number;
}

export interface CompareReport {
  baseline: string;
  /** The L(N, D) law fitted per arm, or "frontier" with --frontier. */
  law: string;
  /** compute-optimal: on the L(N, D) laws' compute-optimal frontiers; tokens-per-param: along D = R·N; frontier-law: on L(C) = E + A·C^(−α). */
  along: 'compute-optimal' | 'tokens-per-param' | 'frontier-law';
  tokensPerParam?: number;
  shared: string[];
  /** Whether the resamples were paired (the arms share configurations (N, D); with --frontier, budgets). */
  paired: boolean;
  /** With a bootstrap: the resamples behind the intervals, and the share whose refit failed and is left out. */
  resamples?: number;
  /** With --frontier: each arm's law, baseline included. */
  frontierLaws?: CompareFrontierLaw[];
  /** With a bootstrap: the baseline's loss and P(best) per budget. */
  baselineBudgets?: { C: number; loss: number; pBest: number }[];
  arms: { arm: string; runs: number; budgets: CompareBudget[]; crossover: number | null }[];
  decisionAccuracy: {
    C: number;
    accuracy: number | null;
    pairs: number;
    /** Ranking by each arm's frontier law fitted on the budgets up to C and evaluated at the largest; null at the largest budget or with fewer than 3 budgets (2 with E fixed). */
    lawAccuracy: number | null;
    lawPairs: number;
  }[];
  warnings: Warning[];
}

/** What the figures draw beside the report: each arm's runs and its curve and multiplier (with band) on a grid of C. */
export interface CompareCurves {
  /** Arm names, baseline included, in the data's order. */
  arms: string[];
  runs: { C: number; loss: number; arm: number }[];
  grid: number[];
  /** loss[j][k]: arm j's curve at grid[k]. */
  loss: number[][];
  /** Per compared arm (report order): multiplier and its band on the grid (null where undefined). */
  multiplier: { arm: string; value: (number | null)[]; band?: ([number, number] | null)[] }[];
  /** With --frontier: the points each law was fitted to. */
  points?: FrontierPoint[][];
}

export interface CompareResult {
  report: CompareReport;
  /** What the figures draw; computed on the first call (a grid of C × every resample), so a run without figures skips it. */
  curves(): CompareCurves;
}

export const compareAnalysis = defineAnalysis({
  kind: 'compare',
  summary: 'compare interventions at scale: effective compute multiplier, loss advantage, P(better), P(best), crossover, decision accuracy',
  options: compareOptions,
  run: runCompare,
});

/** The fewest runs an arm needs for an L(N, D) law: one more than the law's constants (each arm's own fit starts the joint one). */
function minRunsPerArm(o: CompareOptions): number {
  const base = laws[o.law as keyof typeof laws];
  return (base?.thetaNames.length ?? 1) + 1;
}

/** Each arm's curves at one θ (or one set of frontier laws): what every budget, draw and figure reads. */
type Curves = LossCurve[];

async function runCompare(table: Table, o: CompareOptions, env: AnalysisEnv): Promise<CompareResult> {
  const runs = toRuns(table, columnsOf(o));
  runs.group = runGroups(table, [o.arm]);
  const arms = runs.group.names;
  if (arms.length < 2)
    throw new UserError(`${optionRef('arm')} ${o.arm}: ${arms.length === 0 ? 'no arms' : `one arm ("${arms[0]}")`}; compare needs at least two`);
  const baseline = o.baseline ?? arms[0]!;
  const b = arms.indexOf(baseline);
  if (b < 0) throw new UserError(`${optionRef('baseline')} "${baseline}": not an arm (arms: ${arms.join(', ')})`);
  if (o.frontier && o.tokensPerParam !== undefined)
    throw new UserError(`${optionRef('tokensPerParam')} compares L(N, D) laws along D = R·N; a frontier law (${optionRef('frontier')}) has no N and D`);
  const counts = arms.map(() => 0);
  for (let i = 0; i < runs.N.length; i++) counts[runs.group.of[i]!]!++;
  const found = budgetClusters(runs.C);
  const budgetsOf = arms.map(
    (_, g) =>
      new Set(
        Array.from(runs.C, (_, i) => i)
          .filter((i) => runs.group!.of[i] === g)
          .map((i) => found.of[i]!),
      ).size,
  );
  const fixedE = o.frontier ? frontierFixedE(o) : undefined;
  arms.forEach((arm, g) => {
    if (o.frontier) {
      const need = fixedE === undefined ? 3 : 2;
      if (budgetsOf[g]! < need)
        throw new UserError(
          `${optionRef('arm')} ${o.arm}: arm "${arm}" has runs at ${budgetsOf[g]} budget${budgetsOf[g] === 1 ? '' : 's'}; a frontier law needs at least ${need} (${fixedE === undefined ? 'E, A, α' : 'A, α'} + 1)`,
        );
    } else {
      const need = minRunsPerArm(o);
      if (counts[g]! < need)
        throw new UserError(
          `${optionRef('arm')} ${o.arm}: arm "${arm}" has ${counts[g]} run${counts[g] === 1 ? '' : 's'}; the ${o.law} law needs at least ${need} per arm (its ${need - 1} constants + 1)`,
        );
    }
  });
  const B = resamplesOf(o.bootstrap);
  const budgets = o.budget ?? defaultBudgets(runs);
  const lowest = lowestPerBudget(runs, found, arms.length);
  const budgetCs = [...found.starts];

  const fitted = o.frontier ? frontierFits(lowest, budgetCs, arms, fixedE, B, o) : await lawFits(runs, o, budgets, B, env);
  const { point, draws, paired } = fitted;
  const warnings: Warning[] = [...fitted.warnings];

  const out: CompareReport['arms'] = [];
  const lossDraws = budgets.map((C) => draws.map((cs) => cs.map((c) => c.lossAt(C))));
  // Each arm's chance of the lowest loss at each budget, over the same draws.
  const pBestAt = draws.length === 0 ? [] : lossDraws.map((ld) => probabilityBest(ld, arms.length));
  // The frontier laws' points, for their lack-of-fit intervals (the same at every budget).
  const frontierPoints = fitted.frontierLaws ? arms.map((_, j) => frontierPointsUpTo(lowest, budgetCs, j, lowest.length - 1)) : undefined;
  arms.forEach((name, g) => {
    if (g === b) return;
    const rows = budgets.map((C, k): CompareBudget => {
      const p: CompareBudget = compareCurves(point[g]!, point[b]!, C);
      if (fitted.frontierLaws && p.computeMultiplier !== null) {
        const lof = multiplierLackOfFit(
          { fit: fitted.frontierLaws[g]!, points: frontierPoints![g]! },
          { fit: fitted.frontierLaws[b]!, points: frontierPoints![b]! },
          C,
        );
        if (lof?.every(Number.isFinite)) p.lackOfFitCi95 = lof;
      }
      if (draws.length === 0) return p;
      const m: number[] = [];
      const adv: number[] = [];
      let better = 0;
      for (const cs of draws) {
        const c = compareCurves(cs[g]!, cs[b]!, C);
        if (c.lossAdvantage > 0) better++;
        m.push(c.computeMultiplier ?? Number.POSITIVE_INFINITY);
        adv.push(c.lossAdvantage);
      }
      const ci = interval95(Float64Array.from(m));
      const ai = interval95(Float64Array.from(adv));
      const pBest = pBestAt[k]![g]!;
      return {
        ...p,
        ...(ci.every(Number.isFinite) ? { ci95: ci } : {}),
        ...(ai.every(Number.isFinite) ? { lossAdvantageCi95: ai } : {}),
        pBetter: better / draws.length,
        pBest,
      };
    });
    const cross = crossoverOf(point[g]!, point[b]!);
    if (cross !== null) {
      // The sign just below the (largest) crossing says which arm leads before it.
      const small = point[b]!.lossAt(cross / 1.05) - point[g]!.lossAt(cross / 1.05);
      warnings.push(
        warning(
          'crossover',
          `${name}'s and ${baseline}'s ${o.frontier ? 'frontier laws' : 'curves'} cross at C = ${num(cross, 3)}: ${name} is ${small > 0 ? 'better below it and worse above' : 'worse below it and better above'} (${small > 0 ? 'better efficiency but worse scaling' : 'worse efficiency but better scaling'})`,
        ),
      );
    }
    out.push({ arm: name, runs: counts[g]!, budgets: rows, crossover: cross });
  });
  const baselineBudgets = draws.length === 0 ? undefined : budgets.map((C, k) => ({ C, loss: point[b]!.lossAt(C), pBest: pBestAt[k]![b]! }));

  // Decision accuracy over the data's budgets: each arm's lowest observed loss per budget, and the ranking the
  // frontier law fitted on the budgets up to each one extrapolates to the largest.
  const top = lowest[lowest.length - 1]!;
  const lawRank = lowest.map((_, k) => {
    if (k === lowest.length - 1) return { accuracy: null, pairs: 0 };
    const predicted = arms.map((_, g) => {
      const f = fitFrontierLaw(frontierPointsUpTo(lowest, budgetCs, g, k), fixedE === undefined ? {} : { E: fixedE });
      return f ? frontierLoss(f.law, budgetCs[budgetCs.length - 1]!) : Number.NaN;
    });
    return rankAgreement(predicted, top);
  });
  const accuracy = lowest.map((row, k) => {
    const a = rankAgreement(row, top);
    return { C: budgetCs[k]!, accuracy: a.accuracy, pairs: a.pairs, lawAccuracy: lawRank[k]!.accuracy, lawPairs: lawRank[k]!.pairs };
  });

  const report: CompareReport = {
    baseline,
    law: o.frontier ? 'frontier' : o.law,
    along: o.frontier ? 'frontier-law' : o.tokensPerParam !== undefined ? 'tokens-per-param' : 'compute-optimal',
    ...(o.tokensPerParam !== undefined ? { tokensPerParam: o.tokensPerParam } : {}),
    shared: fitted.shared,
    paired,
    ...(B > 0 ? { resamples: draws.length } : {}),
    ...(fitted.frontierLaws
      ? { frontierLaws: fitted.frontierLaws.map((f, g) => ({ arm: arms[g]!, ...f.law, points: f.points, rmse: Math.sqrt(f.rss / f.points) })) }
      : {}),
    ...(baselineBudgets ? { baselineBudgets } : {}),
    arms: out,
    decisionAccuracy: accuracy,
    warnings,
  };
  assertFinite(report);

  // Curves for the figures: from the smallest budget in the data to the largest asked for.
  const lo = Math.min(budgetCs[0]!, ...budgets),
    hi = Math.max(budgetCs[budgetCs.length - 1]!, ...budgets);
  const grid = Array.from({ length: 41 }, (_, k) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * k) / 40));
  const drawCurves = (): CompareCurves => ({
    arms: [...arms],
    runs: Array.from(runs.C, (C, i) => ({ C, loss: runs.loss[i]!, arm: runs.group!.of[i]! })),
    grid,
    loss: arms.map((_, g) => grid.map((C) => point[g]!.lossAt(C))),
    multiplier: arms.flatMap((name, g) => {
      if (g === b) return [];
      const value = grid.map((C) => compareCurves(point[g]!, point[b]!, C).computeMultiplier);
      if (draws.length === 0) return [{ arm: name, value }];
      const band = grid.map((C) => {
        const ci = interval95(Float64Array.from(draws, (cs) => compareCurves(cs[g]!, cs[b]!, C).computeMultiplier ?? Number.POSITIVE_INFINITY));
        return ci.every(Number.isFinite) ? ci : null;
      });
      return [{ arm: name, value, band }];
    }),
    ...(frontierPoints ? { points: frontierPoints } : {}),
  });
  let memo: CompareCurves | undefined;
  return { report, curves: () => (memo ??= drawCurves()) };
}

/** What either kind of fit gives the comparison: the curves at the estimate and per resample. */
interface FittedArms {
  point: Curves;
  draws: Curves[];
  paired: boolean;
  shared: string[];
  warnings: Warning[];
  frontierLaws?: FrontierFit[];
}

/** The L(N, D) law per arm (one joint fit), its curves on the compute-optimal frontier or along D = R·N. */
async function lawFits(runs: Runs, o: CompareOptions, budgets: number[], B: number, env: AnalysisEnv): Promise<FittedArms> {
  // Paired resamples: a configuration (N, D) is one unit, drawn for every arm that ran it.
  const configs = configurations(runs.N, runs.D);
  const paired = !o.unpaired && configs.count < runs.N.length;
  if (paired) runs.cluster = configs;
  const fitted = await fitRuns(
    runs,
    {
      law: o.law,
      objective: o.objective,
      delta: 1e-3,
      asymWeight: 10,
      grid: 'default',
      screen: 64,
      bootstrap: B,
      seed: o.seed,
      budget: budgets,
      ...(o.share ? { share: [...o.share] } : {}),
      fix: o.fix,
      tie: o.tie,
      bound: o.bound,
    },
    env,
  );
  const law = fitted.law as SharedLaw<unknown>;
  const curvesAt = (theta: Float64Array): Curves =>
    runs.group!.names.map((_, g) => {
      const f = { law: law.base, theta: law.groupTheta(theta, g) };
      return o.tokensPerParam === undefined ? optimalCurve(f) : fixedRatioCurve(f, o.tokensPerParam);
    });
  const q = law.thetaNames.length;
  const all = fitted.draws?.theta;
  const draws: Curves[] = [];
  if (all) for (let d = 0; d < all.length / q; d++) draws.push(curvesAt(all.subarray(d * q, d * q + q)));
  return { point: curvesAt(fitted.fit.theta), draws, paired, shared: [...law.shared], warnings: fitted.report.warnings };
}

/** A frontier law per arm on its lowest loss per budget, and refits on budget-paired residual resamples. */
function frontierFits(lowest: number[][], Cs: number[], arms: readonly string[], E: number | undefined, B: number, o: CompareOptions): FittedArms {
  const top = lowest.length - 1;
  const fits = arms.map((arm, g) => {
    const f = fitFrontierLaw(frontierPointsUpTo(lowest, Cs, g, top), E === undefined ? {} : { E });
    if (!f) throw new UserError(`${optionRef('frontier')}: arm "${arm}": no decreasing law E + A·C^(−α) fits its lowest loss per budget`);
    return f;
  });
  const curve = (law: FrontierLaw): LossCurve => ({ lossAt: (C) => frontierLoss(law, C), budgetFor: (L) => frontierBudgetFor(law, L) });
  const sampled = B > 0 ? frontierDraws(lowest, Cs, fits, { resamples: B, seed: o.seed, paired: !o.unpaired, E }) : { draws: [], failed: 0 };
  const warnings: Warning[] = [];
  if (sampled.failed > 0)
    warnings.push(warning('bootstrap-failed', `${sampled.failed} of ${B} frontier-law resamples had an arm no decreasing law fits; left out of the intervals`));
  return {
    point: fits.map((f) => curve(f.law)),
    draws: sampled.draws.map((laws) => laws.map(curve)),
    paired: !o.unpaired,
    shared: [],
    warnings,
    frontierLaws: fits,
  };
}

/** `--fix E=V` with --frontier (the only constant a frontier law lets one hold); tie and bound are refused. */
function frontierFixedE(o: CompareOptions): number | undefined {
  if (o.share !== undefined && o.share.length > 0)
    throw new UserError(
      `${optionRef('share')} shares constants of a joint L(N, D) fit; with ${optionRef('frontier')} each arm has its own law (hold E with ${optionRef('fix')} E=V)`,
    );
  if (o.tie.length > 0 || o.bound.length > 0)
    throw new UserError(`${optionRef(o.tie.length > 0 ? 'tie' : 'bound')} applies to L(N, D) laws; with ${optionRef('frontier')} only ${optionRef('fix')} E=V`);
  let E: number | undefined;
  for (const item of o.fix) {
    const m = /^E=(.+)$/.exec(item);
    const v = m ? Number(m[1]) : Number.NaN;
    if (!m) throw new UserError(`${optionRef('fix')} "${item}": with ${optionRef('frontier')} only the asymptote can be fixed (E=V)`);
    if (!Number.isFinite(v) || v < 0) throw new UserError(`${optionRef('fix')} "${item}": E must be a finite number ≥ 0`);
    E = v;
  }
  return E;
}

/** lowest[k][g]: arm g's lowest loss at budget k (NaN: no run there). */
function lowestPerBudget(runs: Runs, found: ReturnType<typeof budgetClusters>, arms: number): number[][] {
  const best = found.starts.map(() => new Array<number>(arms).fill(Number.NaN));
  for (let i = 0; i < runs.N.length; i++) {
    const k = found.of[i]!,
      g = runs.group!.of[i]!;
    const v = best[k]![g]!;
    if (Number.isNaN(v) || runs.loss[i]! < v) best[k]![g] = runs.loss[i]!;
  }
  return best;
}

/** Arm g's frontier points at budgets 0…k. */
function frontierPointsUpTo(lowest: number[][], Cs: number[], g: number, k: number): FrontierPoint[] {
  const out: FrontierPoint[] = [];
  for (let j = 0; j <= k; j++) if (Number.isFinite(lowest[j]![g])) out.push({ C: Cs[j]!, loss: lowest[j]![g]! });
  return out;
}

/** No NaN or infinity where the report promises a number (a null says "none" instead). */
function assertFinite(r: CompareReport): void {
  for (const a of r.arms)
    for (const x of a.budgets) {
      if (![x.loss, x.baselineLoss, x.lossAdvantage].every(Number.isFinite) || (x.computeMultiplier !== null && !Number.isFinite(x.computeMultiplier)))
        throw new UserError(`compare: the ${r.law} law of arm "${a.arm}" or of ${r.baseline} gives no finite loss at C = ${num(x.C, 3)}`);
    }
}
