/**
 * `plan`: a saved fit read as a plan — the compute-optimal run at a budget, the budget that reaches a loss,
 * the inference-aware allocation (Sardana et al. 2023), the cost in GPU-hours, and the compute a proposed
 * (N, D) wastes against the frontier.
 */
import { optionRef, UserError } from '../errors.js';
import { num, range } from '../format/number.js';
import type { Law } from '../laws/law.js';
import { optimalAt } from '../methods/allocation.js';
import { predictionInterval } from '../methods/calibration.js';
import { allocationOf, asymptoteOf, budgetForLoss, costOf, flopsOf, inferenceOptimal, lossAt } from '../methods/plan.js';
import { option, type OptionValues } from '../options/option.js';
import { constrainedBudgetForLoss, constrainedFloor, constrainedOptimal, constrainedPoint } from '../methods/constrained-allocation.js';
import type { MultiPlanReport, PlanReport } from '../schema/plan.js';
import type { SavedFit } from '../schema/saved-fit.js';
import { interval95 } from '../stats/quantile.js';
import { warning, type Warning } from '../warnings.js';
import type { PlanCurve, PlanCurvePoint } from '../plots/plan.js';
import { defineAnalysis, type AnalysisEnv } from './analysis.js';
import { FAR_C, FAR_M, loadSavedFit, pair, savedLaw } from './saved-fit.js';

export const planOptions = {
  fit: option.text('a fit saved by `scalewise fit ... --save FILE` (also the first argument)', { arg: 'FILE', path: true, positional: true }),
  group: option.text('with a joint fit (fit --group COL): the group to plan for', { arg: 'NAME' }),
  budget: option.numbers('training budgets (FLOP): the compute-optimal run at each', { arg: 'C,...' }),
  targetLoss: option.numbers('target losses: the least budget whose compute-optimal run reaches each', { arg: 'L,...' }),
  inferenceTokens: option.number('inference tokens over the model’s life: also the (N, D) of least 6ND + 2N·T at each plan’s loss (Sardana et al. 2023)', {
    nonNegative: true,
    arg: 'T',
  }),
  throughput: option.number('peak FLOP/s of one GPU (e.g. 989e12, H100 BF16 dense): the plans’ training cost in GPU-hours', { positive: true, arg: 'FLOP/s' }),
  utilisation: option.number('model-FLOP utilisation (MFU), a fraction of the peak (with --throughput)', { positive: true, default: 0.4, arg: 'U' }),
  price: option.number('price of one GPU-hour (with --throughput): the cost in money', { positive: true, arg: '$' }),
  n: option.numbers('a proposed configuration’s parameters (with --d): its loss and the compute it wastes against the frontier', { arg: 'N,...' }),
  d: option.numbers('a proposed configuration’s training tokens (with --n)', { arg: 'D,...' }),
  also: option.custom('another saved fit to plan at the same budgets and targets, labelled LABEL (default: its file name); repeatable', {
    arg: '[LABEL=]FILE',
    repeated: true,
    fromText: (values: string[], flag: string): PlanFitFile[] => values.map((v) => parseAlso(v, flag)),
    // A study gives {"LABEL": "FILE", …}, each file relative to the study.
    studyType: { type: 'record', of: { type: 'string' } },
    fromStudy: (value: unknown): PlanFitFile[] => Object.entries(value as Record<string, string>).map(([label, file]) => ({ label, file })),
    toText: (fits: PlanFitFile[]) => fits.map((f) => `${f.label}=${f.file}`),
  }),
  uniqueTokens: option.number(
    'with a data-constrained fit (fit --law data-constrained): at most U unique tokens; each plan is then the run of least loss under the law, repeating its data D/U times',
    {
      positive: true,
      arg: 'U',
    },
  ),
};
export type PlanOptions = OptionValues<typeof planOptions>;

export const planAnalysis = defineAnalysis({
  kind: 'plan',
  summary: 'plan a run from a saved fit: compute-optimal N, D at a budget or for a target loss, inference-aware allocation, cost, deadweight compute',
  options: planOptions,
  reads: 'none',
  run: (_table, o: PlanOptions, env: AnalysisEnv) => runPlan(o, env),
});

/** A saved fit to plan from and the label its plans carry. */
export interface PlanFitFile {
  label: string;
  file: string;
}
/** A saved fit, read, with its label. */
export interface PlanSource extends PlanFitFile {
  saved: SavedFit;
}

/** `LABEL=FILE` or `FILE` (labelled by its name). */
function parseAlso(text: string, flag: string): PlanFitFile {
  const eq = text.indexOf('=');
  const [label, file] = eq < 0 ? [fileLabel(text), text] : [text.slice(0, eq).trim(), text.slice(eq + 1)];
  if (label === '' || file.trim() === '') throw new UserError(`${flag} "${text}": expected [LABEL=]FILE`);
  return { label, file };
}

/** A fit's default label: its file name without folder and `.json` (`runs/fineweb.json` → `fineweb`). */
export function fileLabel(file: string): string {
  return (
    file
      .split(/[\\/]/)
      .pop()!
      .replace(/\.json$/i, '') || file
  );
}

/**
 * A budget given (`--budget`, or a proposed `--n`/`--d`) more than this many times outside the fitted C range of
 * a fit is refused: six decades beyond the runs the frontier rests on is no plan. Within it, `far-extrapolation`
 * (beyond {@link FAR_C}×) and `below-fitted-c` warn. The budget a target loss needs is an answer, not a request:
 * however far out, it is given with those warnings (that a loss needs 1e29 FLOP is itself the plan's news).
 */
const PLAN_LIMIT_C = 1e6;

type Plan = PlanReport['plans'][number];
type Proposed = PlanReport['proposed'][number];

async function runPlan(o: PlanOptions, env: AnalysisEnv): Promise<PlanReport | MultiPlanReport> {
  const files: PlanFitFile[] = [...(o.fit !== undefined ? [{ label: fileLabel(o.fit), file: o.fit }] : []), ...(o.also ?? [])];
  if (files.length === 0) throw new UserError(`${optionRef('fit')} FILE is required (a fit saved with scalewise fit --save)`);
  checkPlanOptions(o);
  const sources: PlanSource[] = [];
  for (const f of files) sources.push({ ...f, saved: await loadSavedFit(f.file, env) });
  return planFromSaved(sources, o);
}

/**
 * Plans from fits already read (a study plans from its own `fit` entries this way): one fit gives its
 * {@link PlanReport}; several give one per fit, labelled, at the same budgets and targets.
 */
export function planFromSaved(sources: PlanSource[], o: PlanOptions): PlanReport | MultiPlanReport {
  checkPlanOptions(o);
  const seen = new Set<string>();
  for (const s of sources) {
    if (seen.has(s.label)) throw new UserError(`${optionRef('also')}: two fits are labelled "${s.label}" (give each its own: LABEL=FILE)`);
    seen.add(s.label);
  }
  const reports = sources.map((s) => planOne(s.saved, s.file, o));
  const out: PlanReport | MultiPlanReport =
    sources.length === 1
      ? reports[0]!
      : {
          fits: reports.map((r, i) => ({ label: sources[i]!.label, ...r })),
          warnings: reports.flatMap((r, i) => r.warnings.map((w) => ({ ...w, message: `${sources[i]!.label}: ${w.message}` }))),
        };
  // The figure's curves, computed only when a figure is drawn; not part of the JSON document.
  Object.defineProperty(out, 'curves', { value: () => sources.map((s, i) => planCurve(s, reports[i]!, o)), enumerable: false });
  return out;
}

/** The curves a plan's figure draws ({@link planFromSaved} attaches them to its result, not enumerable). */
export function planCurvesOf(r: PlanReport | MultiPlanReport): PlanCurve[] | undefined {
  return (r as { curves?: () => PlanCurve[] }).curves?.();
}

/**
 * One fit's plan against budget: N*, D*, loss at 40 budgets from the smallest fitted C to beyond the largest
 * plan, with intervals over the draws (with a unique-token limit, 16 budgets and no band: each draw would need its
 * own search at each budget).
 */
function planCurve(source: PlanSource, report: PlanReport, o: PlanOptions): PlanCurve {
  const { law, theta, draws } = savedLaw(source.saved, source.file, o.group);
  const alloc = allocationOf(law, theta);
  const p = law.thetaNames.length;
  const drawList = draws ? Array.from({ length: draws.length / p }, (_, b) => draws.subarray(b * p, b * p + p)) : [];
  const drawAllocs = drawList.map((t) => allocationOf(law, t));
  const [lo, hi] = source.saved.data.C;
  const top = Math.max(hi, ...report.plans.map((q) => q.C)) * 1.5;
  const U = o.uniqueTokens;
  const n = U === undefined ? 40 : 16;
  const at = (C: number): PlanCurvePoint => {
    if (U !== undefined) {
      const q = constrainedOptimal(law, theta, C, U, optimalAt(law, theta, alloc, C).N);
      return { C, N: q.N, D: q.D, loss: q.loss };
    }
    const q = optimalAt(law, theta, alloc, C);
    if (drawList.length === 0) return { C, N: q.N, D: q.D, loss: q.loss };
    const ds = drawList.map((t, b) => optimalAt(law, t, drawAllocs[b]!, C));
    const ci = (k: 'N' | 'D' | 'loss') => interval95(Float64Array.from(ds, (d) => d[k]));
    return { C, N: q.N, D: q.D, loss: q.loss, ci95: { N: ci('N'), D: ci('D'), loss: ci('loss') } };
  };
  const points = Array.from({ length: n }, (_, i) => at(lo * Math.pow(top / lo, i / (n - 1))));
  const plans = report.plans.map((q) => ({
    C: q.C,
    N: q.N,
    D: q.D,
    loss: q.loss,
    ...(q.ci95 ? { ci95: { N: q.ci95.N, D: q.ci95.D, loss: q.ci95.loss } } : {}),
  }));
  return { label: source.label, points, plans, fitted: [lo, hi] };
}

function checkPlanOptions(o: PlanOptions): void {
  if (o.budget === undefined && o.targetLoss === undefined && o.n === undefined && o.d === undefined) {
    throw new UserError(`give ${optionRef('budget')} C,..., ${optionRef('targetLoss')} L,... or ${optionRef('n')} N ${optionRef('d')} D`);
  }
  if (o.n !== undefined || o.d !== undefined) pair('n', o.n, 'd', o.d);
  if (o.inferenceTokens !== undefined && o.budget === undefined && o.targetLoss === undefined) {
    throw new UserError(`${optionRef('inferenceTokens')} needs ${optionRef('budget')} or ${optionRef('targetLoss')}`);
  }
  if (o.price !== undefined && o.throughput === undefined) throw new UserError(`${optionRef('price')} needs ${optionRef('throughput')} (FLOP/s per GPU)`);
  if (o.utilisation > 1) throw new UserError(`${optionRef('utilisation')} is a fraction of the peak FLOP/s, at most 1; got ${o.utilisation}`);
  if (o.uniqueTokens !== undefined) {
    for (const k of ['inferenceTokens', 'n'] as const) {
      if (o[k] !== undefined)
        throw new UserError(`${optionRef('uniqueTokens')} plans at ${optionRef('budget')} or ${optionRef('targetLoss')} only, not with ${optionRef(k)}`);
    }
  }
}

function planOne(saved: SavedFit, file: string, o: PlanOptions): PlanReport {
  const proposedND = o.n !== undefined || o.d !== undefined ? pair('n', o.n, 'd', o.d) : undefined;
  const { law, theta, draws } = savedLaw(saved, file, o.group);
  if (o.uniqueTokens !== undefined && law.name !== 'data-constrained') {
    throw new UserError(`${optionRef('uniqueTokens')} needs a data-constrained fit (fit --law data-constrained --unique COL); ${file} is a ${law.name} fit`);
  }
  const joint = saved.joint;
  const alloc = allocationOf(law, theta);
  const E = asymptoteOf(law, theta);
  const warnings: Warning[] = [];
  if (!draws) warnings.push(warning('no-draws', `${file} has no bootstrap draws (save a fit made with --bootstrap B): no intervals`));
  const calibration = saved.calibration;
  if (!calibration) {
    warnings.push(
      warning('no-calibration', `${file} has no calibration for prediction intervals of new runs (fit with enough budgets, without --no-calibrate): no pi95`),
    );
  }
  const p = law.thetaNames.length;
  const drawList: Float64Array[] = draws ? Array.from({ length: draws.length / p }, (_, b) => draws!.subarray(b * p, b * p + p)) : [];
  const drawAllocs = drawList.map((t) => allocationOf(law, t));
  const drawE = drawList.map((t) => asymptoteOf(law, t));
  const [minC, maxC] = saved.data.C;
  const cost = (flops: number) => (o.throughput !== undefined ? { cost: costOf(flops, o.throughput, o.utilisation, o.price) } : {});

  // `what` names a budget the user gave (refused beyond the limit); a target's budget is an answer, only warned about.
  const checkRange = (C: number, M: number, what: string | undefined) => {
    const extrapolation = C / maxC;
    if (what !== undefined && (extrapolation > PLAN_LIMIT_C || C < minC / PLAN_LIMIT_C)) {
      throw new UserError(
        `${what}: C = ${num(C, 3)} is ${num(extrapolation > 1 ? extrapolation : minC / C, 3)}× ${extrapolation > 1 ? 'above the largest' : 'below the smallest'} C of ${file} (fitted C ${range(minC, maxC, 3)}); plan refuses more than 1e6× outside the fitted runs`,
      );
    }
    if (C < minC)
      warnings.push(
        warning('below-fitted-c', `C = ${num(C, 3)} is below the smallest C in the fitted data (${num(minC, 3)}): the law is extrapolated downwards`),
      );
    if (calibration && extrapolation > calibration.maxDistance) {
      warnings.push(
        warning(
          'pi-extrapolated',
          `C = ${num(C, 3)} is ${num(extrapolation, 3)}× the largest fitted C; the calibration checked forecasts up to ${num(calibration.maxDistance, 3)}×, so pi95 there is itself an extrapolation`,
        ),
      );
    }
    if (extrapolation > FAR_C)
      warnings.push(warning('far-extrapolation', `C = ${num(C, 3)} is ${num(extrapolation, 3)}× the largest C in the fitted data: a far extrapolation`));
    outsideM(M);
    return extrapolation;
  };
  const outsideM = (M: number) => {
    if (M > FAR_M * saved.data.M[1] || M < saved.data.M[0] / FAR_M) {
      warnings.push(warning('outside-m-range', `M = D/N = ${num(M, 3)} is far outside the fitted M range ${range(saved.data.M[0], saved.data.M[1], 3)}`));
    }
  };

  const planAt = (C: number, from: Plan['from'], targetLoss?: number, budgetDraws?: number[]): Plan => {
    const what = from === 'budget' ? `${optionRef('budget')} ${num(C, 3)}` : undefined;
    if (o.uniqueTokens !== undefined) return constrainedPlanAt(C, o.uniqueTokens, what);
    const pt = optimalAt(law, theta, alloc, C);
    const extrapolation = checkRange(C, pt.tokensPerParam, what);
    let ci95: Plan['ci95'];
    if (drawList.length > 0) {
      const N = new Float64Array(drawList.length),
        D = new Float64Array(drawList.length),
        loss = new Float64Array(drawList.length);
      drawList.forEach((t, b) => {
        // With a target loss each draw plans its own budget for it; with a budget, every draw plans that budget.
        const Cb = budgetDraws ? budgetDraws[b]! : C;
        const q = Number.isFinite(Cb) ? optimalAt(law, t, drawAllocs[b]!, Cb) : { N: Infinity, D: Infinity };
        N[b] = q.N;
        D[b] = q.D;
        loss[b] = optimalAt(law, t, drawAllocs[b]!, C).loss;
      });
      const c = budgetDraws ? interval95(budgetDraws) : undefined;
      const n = interval95(N),
        d = interval95(D);
      const bounded = (c === undefined || Number.isFinite(c[1])) && Number.isFinite(n[1]) && Number.isFinite(d[1]);
      if (bounded) ci95 = { ...(c ? { C: c } : {}), N: n, D: d, loss: interval95(loss) };
    }
    const pi95 = calibration ? predictionInterval(calibration, pt.loss, extrapolation) : undefined;
    const plan: Plan = {
      from,
      ...(targetLoss !== undefined ? { targetLoss } : {}),
      C,
      N: pt.N,
      D: pt.D,
      tokensPerParam: pt.tokensPerParam,
      loss: pt.loss,
      ...(ci95 ? { ci95 } : {}),
      ...(pi95 ? { pi95 } : {}),
      extrapolation,
      ...cost(C),
    };
    if (o.inferenceTokens !== undefined) plan.inference = inferencePlan(law, theta, pt, targetLoss ?? pt.loss, o.inferenceTokens, cost, outsideM);
    return plan;
  };

  /** The least-loss run at C with at most U unique tokens; its intervals from each draw's own constrained optimum. */
  const constrainedPlanAt = (C: number, U: number, what: string | undefined): Plan => {
    const free = optimalAt(law, theta, alloc, C);
    const pt = constrainedOptimal(law, theta, C, U, free.N);
    const extrapolation = checkRange(C, pt.tokensPerParam, what);
    let ci95: Plan['ci95'];
    if (drawList.length > 0) {
      const N = new Float64Array(drawList.length),
        D = new Float64Array(drawList.length),
        loss = new Float64Array(drawList.length);
      drawList.forEach((t, b) => {
        const q = constrainedOptimal(law, t, C, U, optimalAt(law, t, drawAllocs[b]!, C).N);
        N[b] = q.N;
        D[b] = q.D;
        loss[b] = q.loss;
      });
      ci95 = { N: interval95(N), D: interval95(D), loss: interval95(loss) };
    }
    const pi95 = calibration ? predictionInterval(calibration, pt.loss, extrapolation) : undefined;
    // The unconstrained run evaluated with U: what it would lose by repeating its data (or nothing, U ≥ D_opt).
    const freeAtU = constrainedPoint(law, theta, C, free.N, U);
    return {
      from: 'budget',
      C,
      N: pt.N,
      D: pt.D,
      tokensPerParam: pt.tokensPerParam,
      loss: pt.loss,
      ...(ci95 ? { ci95 } : {}),
      ...(pi95 ? { pi95 } : {}),
      extrapolation,
      ...cost(C),
      dataConstrained: {
        U,
        unique: pt.unique,
        epochs: pt.epochs,
        effectiveD: pt.effectiveD,
        effectiveN: pt.effectiveN,
        lastTokenWorth: pt.lastTokenWorth,
        unconstrained: { N: free.N, D: free.D, epochs: freeAtU.epochs, loss: freeAtU.loss },
      },
    };
  };

  const plans: Plan[] = [];
  for (const C of o.budget ?? []) plans.push(planAt(C, 'budget'));
  for (const L of o.targetLoss ?? []) {
    if (o.uniqueTokens !== undefined) {
      const U = o.uniqueTokens;
      const C = constrainedBudgetForLoss(law, theta, U, L, (c) => optimalAt(law, theta, alloc, c).N);
      if (C === undefined) {
        throw new UserError(
          `${optionRef('targetLoss')} ${L}: with at most ${num(U, 3)} unique tokens the law's loss never falls below ${num(constrainedFloor(law, theta, U), 6)} (${file}: D′ ≤ U·(1 + R_D*)), so no budget reaches it`,
        );
      }
      plans.push({ ...constrainedPlanAt(C, U, undefined), from: 'target-loss', targetLoss: L });
      continue;
    }
    const C = budgetForLoss(law, theta, alloc, L, E);
    if (C === undefined) {
      throw new UserError(`${optionRef('targetLoss')} ${L} is at or below the fitted asymptote E = ${num(E, 6)} of ${file}: no budget reaches it`);
    }
    let budgetDraws: number[] | undefined;
    if (drawList.length > 0) {
      budgetDraws = drawList.map((t, b) => budgetForLoss(law, t, drawAllocs[b]!, L, drawE[b]!) ?? Infinity);
      const unreachable = budgetDraws.filter((c) => !Number.isFinite(c)).length;
      if (unreachable > 0) {
        const bounded = unreachable <= 0.025 * budgetDraws.length;
        warnings.push(
          warning(
            'unreachable-draws',
            `target loss ${L}: ${unreachable} of ${budgetDraws.length} bootstrap draws put E at or above it (no budget reaches it under them)${bounded ? '' : ': the budget has no upper 95% bound, so no ci95'}`,
          ),
        );
      }
    }
    plans.push(planAt(C, 'target-loss', L, budgetDraws));
  }

  const proposed: Proposed[] = (proposedND ? proposedND[0] : []).map((N, i) => {
    const D = proposedND![1][i]!;
    const C = 6 * N * D;
    const loss = lossAt(law, theta, N, D);
    const Copt = budgetForLoss(law, theta, alloc, loss, E)!;
    const opt = optimalAt(law, theta, alloc, Copt);
    const extrapolation = checkRange(C, D / N, `${optionRef('n')} ${num(N, 3)} ${optionRef('d')} ${num(D, 3)}`);
    let ci95: Proposed['ci95'];
    if (drawList.length > 0) {
      const losses = new Float64Array(drawList.length),
        waste = new Float64Array(drawList.length);
      drawList.forEach((t, b) => {
        losses[b] = lossAt(law, t, N, D);
        waste[b] = C - (budgetForLoss(law, t, drawAllocs[b]!, losses[b]!, drawE[b]!) ?? C);
      });
      ci95 = { loss: interval95(losses), deadweight: interval95(waste) };
    }
    return {
      N,
      D,
      C,
      tokensPerParam: D / N,
      loss,
      ...(ci95 ? { ci95 } : {}),
      optimal: { C: Copt, N: opt.N, D: opt.D },
      deadweight: { flops: C - Copt, fraction: (C - Copt) / C },
      extrapolation,
      ...cost(C),
    };
  });

  return { fit: file, law: law.name, ...(joint ? { group: o.group! } : {}), E, plans, proposed, warnings: dedupe(warnings) };
}

function inferencePlan<F>(
  law: Law<F>,
  theta: Float64Array,
  pt: { N: number; D: number },
  loss: number,
  T: number,
  cost: (flops: number) => { cost?: { gpuHours: number; dollars?: number } },
  outsideM: (M: number) => void,
): NonNullable<Plan['inference']> {
  // At the target loss itself when one was asked for (the compute-optimal run reaches it to ~1e-15).
  const best = inferenceOptimal(law, theta, loss, T, pt.N);
  const chin = flopsOf(pt.N, pt.D, T);
  outsideM(best.tokensPerParam);
  // The search can only match the compute-optimal run, never lose to it: a tie within rounding is no saving.
  const saving = Math.max(0, chin.totalFlops - best.totalFlops);
  return {
    tokens: T,
    N: best.N,
    D: best.D,
    tokensPerParam: best.tokensPerParam,
    loss: lossAt(law, theta, best.N, best.D),
    trainingFlops: best.trainingFlops,
    inferenceFlops: best.inferenceFlops,
    totalFlops: best.totalFlops,
    ...cost(best.trainingFlops),
    chinchilla: { trainingFlops: chin.trainingFlops, inferenceFlops: chin.inferenceFlops, totalFlops: chin.totalFlops },
    saving: { flops: saving, fraction: saving / chin.totalFlops },
  };
}

/** The same message once (several plans far beyond the data say so once each, not twice). */
function dedupe(ws: Warning[]): Warning[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    if (seen.has(w.message)) return false;
    seen.add(w.message);
    return true;
  });
}
