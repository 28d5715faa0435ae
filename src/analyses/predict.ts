/** `predict`: forecasts of loss (and downstream error) from a saved fit, with intervals from its bootstrap draws. */
import { optionRef, UserError } from '../errors.js';
import { num, range } from '../format/number.js';
import { errorLinkByName } from '../laws/error-link.js';
import { dataConstrained } from '../laws/data-constrained.js';
import { isFormulaLaw } from '../laws/formula/law.js';
import type { Law } from '../laws/law.js';
import { accuracyLinkOf } from '../methods/accuracy-chain.js';
import { predictDirectAccuracy } from '../methods/accuracy-direct.js';
import { predictionInterval } from '../methods/calibration.js';
import { interval95 } from '../stats/quantile.js';
import { forecast } from '../methods/forecast.js';
import { option, type OptionValues } from '../options/option.js';
import type { PredictReport } from '../schema/predict.js';
import type { SavedFit } from '../schema/saved-fit.js';
import { defineAnalysis, type AnalysisEnv } from './analysis.js';
import { FAR_C, FAR_M, loadSavedFit, pair, savedLaw } from './saved-fit.js';
import { warning, type Warning } from '../warnings.js';

export const predictOptions = {
  fit: option.text('a fit saved by `scalewise fit ... --save FILE` (also the first argument)', { arg: 'FILE', path: true, positional: true }),
  n: option.numbers('parameters (with --d)', { arg: 'N,...' }),
  d: option.numbers('training tokens (with --n)', { arg: 'D,...' }),
  c: option.numbers('training compute in FLOP, C = 6ND (with --m)', { arg: 'C,...' }),
  m: option.numbers('tokens per parameter D/N (with --c)', { arg: 'M,...' }),
  group: option.text('with a joint fit (fit --group COL): the group to forecast', { arg: 'NAME' }),
  u: option.numbers('unique tokens U ≤ D of each point, for a fit of the data-constrained law', { arg: 'U,...' }),
};
export type PredictOptions = OptionValues<typeof predictOptions>;

export const predictAnalysis = defineAnalysis({
  kind: 'predict',
  summary: 'forecast loss (and downstream error) from a saved fit, with 95% intervals from its bootstrap draws',
  options: predictOptions,
  reads: 'none',
  run: (_table, o: PredictOptions, env: AnalysisEnv) => runPredict(o, env),
});

async function runPredict(o: PredictOptions, env: AnalysisEnv): Promise<PredictReport> {
  if (o.fit === undefined) throw new UserError(`${optionRef('fit')} FILE is required (a fit saved with scalewise fit --save)`);
  const byND = o.n !== undefined || o.d !== undefined;
  const byCM = o.c !== undefined || o.m !== undefined;
  if (byND === byCM) throw new UserError(`give ${optionRef('n')} and ${optionRef('d')}, or ${optionRef('c')} and ${optionRef('m')}`);
  let N: number[], D: number[];
  if (byND) {
    [N, D] = pair('n', o.n, 'd', o.d);
  } else {
    const [C, M] = pair('c', o.c, 'm', o.m);
    // C = 6ND and D = M·N give N = √(C/(6M)).
    N = C.map((c, i) => Math.sqrt(c / (6 * M[i]!)));
    D = N.map((n, i) => M[i]! * n);
  }
  // A query whose C or M overflows or underflows has no forecast to give: refused, not printed as null.
  N.forEach((n, i) => {
    const d = D[i]!;
    for (const [name, v] of [
      ['N', n],
      ['D', d],
      ['C = 6ND', 6 * n * d],
      ['M = D/N', d / n],
    ] as const) {
      if (!(Number.isFinite(v) && v > 0))
        throw new UserError(`${optionRef(byND ? 'n' : 'c')} (point ${i + 1}): N = ${n}, D = ${d} gives ${name} = ${v}, not a finite positive number`);
    }
  });
  const saved = await loadSavedFit(o.fit, env);
  const { law, theta, draws } = savedLaw(saved, o.fit, o.group);
  const warnings: Warning[] = [];
  if (!draws) warnings.push(warning('no-draws', `${o.fit} has no bootstrap draws (save a fit made with --bootstrap B): no intervals`));
  const e = saved.errorLaw;
  const a = saved.accuracyLaw;
  // The accuracy link goes where the error law would: the forecast's "error" is then the accuracy.
  const errorLaw = e
    ? { link: errorLinkByName(e.link), theta: Float64Array.from(e.theta), ...(e.bootstrap ? { draws: Float64Array.from(e.bootstrap.theta.flat()) } : {}) }
    : a
      ? {
          link: accuracyLinkOf({ link: a.link }, a.chance),
          theta: Float64Array.from(a.theta),
          ...(a.bootstrap ? { draws: Float64Array.from(a.bootstrap.theta.flat()) } : {}),
        }
      : undefined;
  const out = forecast(law, theta, { N, D, ...uniqueOf(law, o, D) }, draws, errorLaw);
  out.forEach((f, i) => {
    if (!Number.isFinite(f.loss) || (f.ci95 && !f.ci95.every(Number.isFinite)))
      throw new UserError(`${o.fit}: the law at N = ${N[i]}, D = ${D[i]} gives no finite loss (or interval): too far outside what it was fitted on`);
  });
  const calibration = saved.calibration;
  if (!calibration) {
    warnings.push(
      warning('no-calibration', `${o.fit} has no calibration for prediction intervals of new runs (fit with enough budgets, without --no-calibrate): no pi95`),
    );
  }
  const predictions = out.map((f, i) => {
    const C = 6 * N[i]! * D[i]!;
    const M = D[i]! / N[i]!;
    const extrapolation = C / saved.data.C[1];
    const pi95 = calibration ? predictionInterval(calibration, f.loss, extrapolation) : undefined;
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
    if (M > FAR_M * saved.data.M[1] || M < saved.data.M[0] / FAR_M) {
      warnings.push(warning('outside-m-range', `M = D/N = ${num(M, 3)} is far outside the fitted M range ${range(saved.data.M[0], saved.data.M[1], 3)}`));
    }
    return {
      N: N[i]!,
      D: D[i]!,
      C,
      M,
      loss: f.loss,
      ...(f.ci95 ? { ci95: f.ci95 } : {}),
      ...(pi95 ? { pi95 } : {}),
      ...(e && f.error !== undefined ? { error: f.error } : {}),
      ...(e && f.errorCi95 ? { errorCi95: f.errorCi95 } : {}),
      ...(a ? accuracyOf(a, f.error!, f.errorCi95, C) : {}),
      extrapolation,
    };
  });
  if (e && !e.bootstrap && draws)
    warnings.push(warning('error-law-no-draws', "the error law has no bootstrap draws: error intervals carry only the loss law's uncertainty"));
  return { fit: o.fit, law: law.name, predictions, warnings };
}

/** The chained accuracy at a point (the link at the forecast loss) and the direct law's at its C = 6ND, with intervals. */
function accuracyOf(a: NonNullable<SavedFit['accuracyLaw']>, chained: number, chainedCi95: [number, number] | undefined, C: number) {
  const direct = predictDirectAccuracy(a.direct.params, C);
  const draws = a.bootstrap?.direct;
  return {
    accuracy: chained,
    ...(chainedCi95 ? { accuracyCi95: chainedCi95 } : {}),
    accuracyDirect: direct,
    ...(draws ? { accuracyDirectCi95: interval95(Float64Array.from(draws, ([A, alpha]) => predictDirectAccuracy({ A, alpha }, C))) } : {}),
  };
}

/**
 * The law evaluated at points with unique tokens (`--u`, broadcast like the other lists): the data-constrained
 * law needs them; any other law refuses them.
 */
/** `--u`: each point's unique tokens, for (and only for) a fit of the data-constrained law. */
function uniqueOf(law: Law<unknown>, o: PredictOptions, D: number[]): { U?: Float64Array } {
  // A formula law that reads U needs it as the data-constrained law does.
  const needs = law.name === dataConstrained.name || (isFormulaLaw(law) && law.variables.includes('U'));
  if (o.u === undefined) {
    if (needs)
      throw new UserError(
        `${o.fit} is a fit of ${law.name === dataConstrained.name ? 'the data-constrained law' : 'a formula that reads U'}: give ${optionRef('u')} U,... (unique tokens of each point)`,
      );
    return {};
  }
  if (!needs) throw new UserError(`${optionRef('u')} is for a fit of the data-constrained law (${o.fit} is a ${law.name} fit)`);
  const [U] = pair('u', o.u, 'd', D);
  if (U.length !== D.length) throw new UserError(`${optionRef('u')} has ${U.length} values for ${D.length} points: give one, or one per point`);
  U.forEach((u, i) => {
    if (!(u > 0) || u > D[i]! * (1 + 1e-9)) throw new UserError(`${optionRef('u')} ${u}: unique tokens must be > 0 and at most the point's D = ${D[i]}`);
  });
  return { U: Float64Array.from(U) };
}
