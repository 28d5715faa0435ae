import { runsAt, type RunGroups, type Runs } from '../data/runs.js';
import type { FitResult } from '../fitting/fit.js';
import type { Law } from '../laws/law.js';
import { lawByName } from '../laws/registry.js';
import type { FitControls, FitReport } from '../schema/fit.js';
import { interval95, sampleSd } from '../stats/quantile.js';
import { computeOptimal, optimalAt } from '../methods/allocation.js';
import { warning } from '../warnings.js';
import { extent } from '../stats/extent.js';

/** Bootstrap refits, as θ rows, for {@link fitReport}. */
export interface BootstrapDraws {
  theta: Float64Array;
  converged: Uint8Array;
  seed: number;
  start: 'optimum' | 'grid';
  /** What a resample draws: rows, or whole runs (a cluster bootstrap of checkpoints). */
  unit?: 'run' | 'row';
}

/**
 * Assembles the report of a fit: constants, compute-optimal allocation at each budget and, with bootstrap
 * draws, standard errors and 95% percentile intervals of every constant, of a and b, and of N_opt, D_opt
 * and the loss at each budget. `fit.theta` is the law's full θ (with `controls`, fixed entries included).
 */
export function fitReport<F>(
  law: Law<F>,
  runs: Runs,
  fit: FitResult,
  budgets: number[],
  grid: string,
  draws?: BootstrapDraws,
  controls?: FitControls,
): FitReport {
  const { kind, delta, space, weight, value } = fit.objective;
  const report: FitReport = {
    law: law.name,
    formula: law.formula,
    n: fit.n,
    objective: { kind, delta, space, ...(kind === 'asym' ? { weight } : {}), value },
    ...(controls ? { controls } : {}),
    params: fit.params,
    search: { grid, starts: fit.starts, optimised: fit.optimised, agreeing: fit.agreeing, converged: fit.converged, optimizer: fit.optimizer },
    warnings: [...fit.warnings],
  };
  if (law.chinchilla) report.chinchilla = law.chinchilla(fit.theta);
  if (law.optimalM) report.optimalM = law.optimalM(fit.theta);
  const [, maxC] = extent(runs.C);
  const optimal = law.allocate ? computeOptimal(law, fit.theta, budgets) : undefined;
  if (optimal) {
    report.optimal = {
      a: optimal.a,
      b: optimal.b,
      G: optimal.G,
      budgets: optimal.budgets.map((pt) => ({ ...pt, extrapolation: pt.C / maxC })),
    };
  }
  if (draws) {
    const p = law.thetaNames.length;
    const B = draws.converged.length;
    const columns: Record<string, Float64Array> = {};
    const col = (name: string) => (columns[name] ??= new Float64Array(B));
    const perBudget = budgets.map(() => ({ N: new Float64Array(B), D: new Float64Array(B), loss: new Float64Array(B) }));
    for (let i = 0; i < B; i++) {
      const theta = draws.theta.subarray(i * p, i * p + p);
      for (const [k, v] of Object.entries(law.toPublic(theta))) col(k)[i] = v;
      if (law.allocate) {
        const alloc = law.allocate(theta);
        // The over-training law's own a and b share these names; its exponents are ½ by construction anyway.
        if (!law.publicNames.includes('a')) {
          col('a')[i] = alloc.a;
          col('b')[i] = alloc.b;
        }
        budgets.forEach((C, j) => {
          const pt = optimalAt(law, theta, alloc, C);
          perBudget[j]!.N[i] = pt.N;
          perBudget[j]!.D[i] = pt.D;
          perBudget[j]!.loss[i] = pt.loss;
        });
      }
    }
    const se: Record<string, number> = {};
    const ci95: Record<string, [number, number]> = {};
    for (const [k, v] of Object.entries(columns)) {
      se[k] = sampleSd(v);
      ci95[k] = interval95(v);
    }
    const failed = B - draws.converged.reduce((a, b) => a + b, 0);
    report.bootstrap = { resamples: B, seed: draws.seed, start: draws.start, unit: draws.unit ?? 'row', failed, se, ci95 };
    if (failed > 0) report.warnings.push(warning('bootstrap-failed', `${failed} of ${B} bootstrap refits did not converge`));
    if (fit.n < 2 * p) {
      report.warnings.push(
        warning(
          'bootstrap-few-runs',
          `bootstrap on ${fit.n} runs for ${p} parameters: many resamples hold fewer distinct runs than parameters, so the intervals are wide and not to be taken at face value`,
        ),
      );
    }
    report.optimal?.budgets.forEach((pt, j) => {
      const d = perBudget[j]!;
      pt.ci95 = { N: interval95(d.N), D: interval95(d.D), loss: interval95(d.loss) };
    });
  }
  return report;
}

/**
 * The reported law's predicted loss at each (N, D): evaluates a saved fit (its `params`) without refitting. A
 * joint fit's points carry their groups, each evaluated with its group's constants.
 */
export function reportedLoss(report: Pick<FitReport, 'law' | 'params' | 'joint'>, N: ArrayLike<number>, D: ArrayLike<number>, group?: RunGroups): Float64Array {
  const law = lawByName(report.law);
  if (!law.fromPublic) throw new RangeError(`law "${report.law}" cannot be evaluated from its reported constants`);
  const out = new Float64Array(N.length);
  if (!report.joint) {
    law.predict(law.fromPublic(report.params), law.prepare(runsAt(N, D)), out);
    return out;
  }
  if (!group) throw new RangeError('a joint fit is evaluated at points with groups');
  const features = law.prepare(runsAt(N, D));
  const each = new Float64Array(N.length);
  for (const g of report.joint.groups) {
    const k = group.names.indexOf(g.group);
    law.predict(law.fromPublic(g.params), features, each);
    for (let i = 0; i < N.length; i++) if (group.of[i] === k) out[i] = each[i]!;
  }
  return out;
}
