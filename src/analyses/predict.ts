/** `predict`: forecasts of loss (and downstream error) from a saved fit, with intervals from its bootstrap draws. */
import { optionRef, UserError } from '../errors.js';
import { num, range } from '../format/number.js';
import { errorLinkByName } from '../laws/error-link.js';
import type { Runs } from '../data/runs.js';
import { dataConstrained } from '../laws/data-constrained.js';
import type { Law } from '../laws/law.js';
import { lawByName } from '../laws/registry.js';
import { sharedLaw } from '../laws/shared.js';
import { predictionInterval } from '../methods/calibration.js';
import { forecast } from '../methods/forecast.js';
import { option, type OptionValues } from '../options/option.js';
import type { PredictReport } from '../schema/predict.js';
import type { SavedFit } from '../schema/saved-fit.js';
import { defineAnalysis, type AnalysisEnv } from './analysis.js';
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

/** A forecast this many times beyond the largest fitted C, or this factor outside the fitted M, is flagged. */
const FAR_C = 10;
const FAR_M = 2;

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
  const saved = await loadSavedFit(o.fit, env);
  const law = lawByName(saved.law);
  const joint = saved.joint ? sharedLaw(law, saved.joint.groups, saved.joint.shared) : undefined;
  const fitted = joint ?? law;
  if (saved.theta.length !== fitted.thetaNames.length) {
    throw new UserError(
      `${o.fit}: theta has ${saved.theta.length} values; the ${law.name} law${joint ? ' of this joint fit' : ''} has ${fitted.thetaNames.length}`,
    );
  }
  const warnings: Warning[] = [];
  let theta: Float64Array = Float64Array.from(saved.theta);
  let draws: Float64Array | undefined = saved.bootstrap ? Float64Array.from(saved.bootstrap.theta.flat()) : undefined;
  if (joint) {
    // One group's constants: the base law at that group's θ, each draw likewise.
    const g = joint.groups.indexOf(o.group ?? '');
    if (g < 0) {
      const known = joint.groups.join(', ');
      throw new UserError(
        o.group === undefined
          ? `${o.fit} is a joint fit across ${saved.joint!.column}: give ${optionRef('group')} NAME (one of ${known})`
          : `${optionRef('group')} "${o.group}": not a group of ${o.fit} (groups: ${known})`,
      );
    }
    theta = joint.groupTheta(theta, g);
    if (draws) draws = joint.groupRows(draws, g);
  } else if (o.group !== undefined) throw new UserError(`${optionRef('group')} needs a joint fit (${o.fit} was not fitted with --group)`);
  if (!draws) warnings.push(warning('no-draws', `${o.fit} has no bootstrap draws (save a fit made with --bootstrap B): no intervals`));
  const e = saved.errorLaw;
  const errorLaw = e
    ? { link: errorLinkByName(e.link), theta: Float64Array.from(e.theta), ...(e.bootstrap ? { draws: Float64Array.from(e.bootstrap.theta.flat()) } : {}) }
    : undefined;
  const out = forecast(withUnique(law, o, D), theta, { N, D }, draws, errorLaw);
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
      ...(f.error !== undefined ? { error: f.error } : {}),
      ...(f.errorCi95 ? { errorCi95: f.errorCi95 } : {}),
      extrapolation,
    };
  });
  if (e && !e.bootstrap && draws)
    warnings.push(warning('error-law-no-draws', "the error law has no bootstrap draws: error intervals carry only the loss law's uncertainty"));
  return { fit: o.fit, law: law.name, predictions, warnings };
}

/**
 * The law evaluated at points with unique tokens (`--u`, broadcast like the other lists): the data-constrained
 * law needs them; any other law refuses them.
 */
function withUnique(law: Law<unknown>, o: PredictOptions, D: number[]): Law<unknown> {
  const needs = law.name === dataConstrained.name;
  if (o.u === undefined) {
    if (needs) throw new UserError(`${o.fit} is a fit of the data-constrained law: give ${optionRef('u')} U,... (unique tokens of each point)`);
    return law;
  }
  if (!needs) throw new UserError(`${optionRef('u')} is for a fit of the data-constrained law (${o.fit} is a ${law.name} fit)`);
  const [U] = pair('u', o.u, 'd', D);
  if (U.length !== D.length) throw new UserError(`${optionRef('u')} has ${U.length} values for ${D.length} points: give one, or one per point`);
  U.forEach((u, i) => {
    if (!(u > 0) || u > D[i]! * (1 + 1e-9)) throw new UserError(`${optionRef('u')} ${u}: unique tokens must be > 0 and at most the point's D = ${D[i]}`);
  });
  const Us = Float64Array.from(U);
  return { ...law, prepare: (runs: Runs) => law.prepare({ ...runs, U: Us }) };
}

/** Two lists of equal length, or one of length 1 broadcast. */
function pair(ka: string, a: number[] | undefined, kb: string, b: number[] | undefined): [number[], number[]] {
  if (a === undefined) throw new UserError(`${optionRef(kb)} needs ${optionRef(ka)}`);
  if (b === undefined) throw new UserError(`${optionRef(ka)} needs ${optionRef(kb)}`);
  let x = a,
    y = b;
  if (x.length !== y.length) {
    if (x.length === 1) x = y.map(() => a[0]!);
    else if (y.length === 1) y = x.map(() => b[0]!);
    else throw new UserError(`${optionRef(ka)} has ${x.length} values and ${optionRef(kb)} ${y.length}: give equal lengths, or one value to use with each`);
  }
  return [x, y];
}

async function loadSavedFit(file: string, env: AnalysisEnv): Promise<SavedFit> {
  const text = await env.readText(file);
  if (text === undefined) throw new UserError(`${file}: cannot read the file (ENOENT)`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UserError(`${file}: not a saved scalewise fit (not JSON)`);
  }
  // The document's schema (zod) loads only here, when a fit is read.
  return (await import('../schema/saved-fit.js')).readSavedFit(doc, file);
}
