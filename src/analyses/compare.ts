/**
 * `compare`: interventions at scale. One law per arm (a joint fit across the arm column, constants in `--share`
 * common), then each arm against the baseline at the budgets: the effective compute multiplier on the
 * compute-optimal frontier, the loss advantage, the probability the arm is better, where the frontiers cross,
 * and the decision accuracy of each budget's ranking against the largest budget's. Intervals come from one joint
 * bootstrap: paired — a configuration (N, D) drawn for every arm at once — when the arms share configurations.
 */
import { toRuns } from '../data/columns.js';
import { budgetClusters } from '../data/budgets.js';
import { configurations, runGroups } from '../data/groups.js';
import type { Table } from '../data/table.js';
import { optionRef, UserError } from '../errors.js';
import { num } from '../format/number.js';
import type { SharedLaw } from '../laws/shared.js';
import { compareAt, crossover, decisionAccuracy } from '../methods/compare.js';
import { objectiveKinds } from '../objectives/objective.js';
import { option, type OptionValues } from '../options/option.js';
import { interval95 } from '../stats/quantile.js';
import { warning, type Warning } from '../warnings.js';
import { defineAnalysis, type AnalysisEnv } from './analysis.js';
import { columnsOf, lawNames, lossOption, resamplesOf, runsOptions } from './common-options.js';
import { defaultBudgets, fitRuns } from './fit.js';

export const compareOptions = {
  ...runsOptions,
  ...lossOption,
  arm: option.text('column naming each run’s arm (a datamix, an architecture, an optimizer)', { arg: 'COL', required: true }),
  baseline: option.text('the arm the others are compared with (default: the first in the data)', { arg: 'VALUE' }),
  budget: option.numbers('compute budgets (FLOP) to compare at; default: the largest budget in the data and 10×, 100×, 1000× it', { arg: 'C,...' }),
  law: option.choice('the law fitted per arm: chinchilla | kaplan | overtrain', { values: lawNames, noun: 'law', default: 'chinchilla', arg: 'name' }),
  objective: option.choice('huber (on log loss) | mse (on loss) | asym (on log loss)', {
    values: objectiveKinds,
    noun: 'objective',
    default: 'huber',
    arg: 'kind',
  }),
  share: option.names('constants every arm shares (a joint fit, e.g. alpha,beta); default: none, each arm its own law', { arg: 'NAME,...' }),
  bootstrap: option.count('resamples for intervals and P(better) (0: none)', { arg: 'B' }),
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
  /** With a bootstrap: the share of resamples in which the arm's loss at C is below the baseline's. */
  pBetter?: number;
}

export interface CompareReport {
  baseline: string;
  law: string;
  shared: string[];
  /** Whether the resamples were paired (the arms share configurations (N, D)). */
  paired: boolean;
  arms: { arm: string; budgets: CompareBudget[]; crossover: number | null }[];
  decisionAccuracy: { C: number; accuracy: number | null; pairs: number }[];
  warnings: Warning[];
}

export const compareAnalysis = defineAnalysis({
  kind: 'compare',
  summary: 'compare interventions at scale: effective compute multiplier, loss advantage, P(better), crossover, decision accuracy',
  options: compareOptions,
  run: runCompare,
});

async function runCompare(table: Table, o: CompareOptions, env: AnalysisEnv): Promise<CompareReport> {
  const runs = toRuns(table, columnsOf(o));
  runs.group = runGroups(table, [o.arm]);
  const arms = runs.group.names;
  if (arms.length < 2) throw new UserError(`${optionRef('arm')} ${o.arm}: one arm ("${arms[0]}"); compare needs at least two`);
  const baseline = o.baseline ?? arms[0]!;
  const b = arms.indexOf(baseline);
  if (b < 0) throw new UserError(`${optionRef('baseline')} "${baseline}": not an arm (arms: ${arms.join(', ')})`);
  // Paired resamples: a configuration (N, D) is one unit, drawn for every arm that ran it.
  const configs = configurations(runs.N, runs.D);
  const paired = configs.count < runs.N.length;
  if (paired) runs.cluster = configs;
  const B = resamplesOf(o.bootstrap);
  const budgets = o.budget ?? defaultBudgets(runs);
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
      ...(o.share ? { share: o.share } : {}),
    },
    env,
  );
  const law = fitted.law as SharedLaw<unknown>;
  const frontier = (g: number, theta = fitted.fit.theta) => ({ law: law.base, theta: law.groupTheta(theta, g) });
  const q = law.thetaNames.length;
  const draws = fitted.draws?.theta;
  const nDraws = draws ? draws.length / q : 0;
  const warnings: Warning[] = [...fitted.report.warnings];

  const out: CompareReport['arms'] = [];
  arms.forEach((arm, g) => {
    if (g === b) return;
    const rows = budgets.map((C): CompareBudget => {
      const point = compareAt(frontier(g), frontier(b), C);
      if (nDraws === 0) return point;
      const m: number[] = [];
      let better = 0;
      for (let d = 0; d < nDraws; d++) {
        const theta = draws!.subarray(d * q, d * q + q);
        const c = compareAt(frontier(g, theta), frontier(b, theta), C);
        if (c.lossAdvantage > 0) better++;
        m.push(c.computeMultiplier ?? Number.POSITIVE_INFINITY);
      }
      const ci = interval95(Float64Array.from(m));
      return { ...point, ...(ci.every(Number.isFinite) ? { ci95: ci } : {}), pBetter: better / nDraws };
    });
    const cross = crossover(frontier(g), frontier(b));
    if (cross !== null) {
      const small = rows[0]!.lossAdvantage;
      warnings.push(
        warning(
          'crossover',
          `${arm}'s and ${baseline}'s frontiers cross at C = ${num(cross, 3)}: ${arm} is ${small > 0 ? 'better below it and worse above' : 'worse below it and better above'} (${small > 0 ? 'better efficiency but worse scaling' : 'worse efficiency but better scaling'})`,
        ),
      );
    }
    out.push({ arm, budgets: rows, crossover: cross });
  });

  // Decision accuracy over the data's budgets: each arm's lowest observed loss per budget.
  const found = budgetClusters(runs.C);
  const best = found.starts.map(() => arms.map(() => Number.NaN));
  for (let i = 0; i < runs.N.length; i++) {
    const k = found.of[i]!,
      g = runs.group.of[i]!;
    const v = best[k]![g]!;
    if (Number.isNaN(v) || runs.loss[i]! < v) best[k]![g] = runs.loss[i]!;
  }
  const accuracy = decisionAccuracy(best).map((a, k) => ({ C: found.starts[k]!, ...a }));
  return { baseline, law: o.law, shared: [...law.shared], paired, arms: out, decisionAccuracy: accuracy, warnings };
}
