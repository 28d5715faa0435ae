import { z } from 'zod';
import { SAVED_FIT_VERSION } from '../analyses/saved-fit.js';
import { UserError } from '../errors.js';
import { errorLinks } from '../laws/error-link.js';
import { savedFitLaw } from '../laws/formula/options.js';
import { isFormulaLaw } from '../laws/formula/law.js';
import type { Law } from '../laws/law.js';
import { isFormula, laws } from '../laws/registry.js';
import { sharedLaw, type SharedLaw } from '../laws/shared.js';
import { accuracyLawSchema, errorLawSchema, fitControlsSchema, calibrationSchema, selectionSchema } from './fit.js';

const span = z
  .tuple([z.number().positive(), z.number().positive()])
  .refine(([lo, hi]) => lo <= hi, 'the smallest is above the largest')
  .describe('[smallest, largest] over the fitted runs');

/**
 * `scalewise fit --save FILE`: everything `scalewise predict` needs to forecast from a fit without its data.
 * Versioned: a reader refuses a version it does not know rather than guess.
 */
export const savedFitSchema = z.object({
  format: z.literal('scalewise-fit'),
  version: z.number().int(),
  law: z.string(),
  formula: z.string(),
  thetaNames: z.array(z.string()),
  theta: z.array(z.number()).describe('θ as optimised, in thetaNames order (with controls: the full θ, fixed entries included)'),
  params: z.record(z.string(), z.number()),
  objective: z.object({ kind: z.string(), delta: z.number(), space: z.string(), value: z.number() }),
  controls: fitControlsSchema.optional().describe('the fit controls the fit was made under (--fix, --tie, --weights, --bound); absent without any'),
  data: z.object({
    n: z.number().int(),
    columns: z.object({ params: z.string(), tokens: z.string().optional(), flops: z.string().optional(), loss: z.string() }),
    N: span,
    D: span,
    C: span,
    M: span.describe('tokens per parameter D/N'),
    loss: span,
  }),
  bootstrap: z
    .object({ resamples: z.number().int(), seed: z.number().int(), theta: z.array(z.array(z.number())).describe('one full θ per resample') })
    .optional(),
  errorLaw: errorLawSchema
    .extend({
      theta: z.array(z.number()),
      column: z.string().describe('the error column (per task in a long file when `tasks` is given)'),
      tasks: z.array(z.string()).optional(),
      loss: span.describe('losses of the runs the error law was fitted on'),
      bootstrap: z.object({ theta: z.array(z.array(z.number())) }).optional(),
    })
    .optional(),
  accuracyLaw: accuracyLawSchema
    .extend({
      theta: z.array(z.number()).describe("the link's θ, in its params order"),
      loss: span.describe('task losses of the rows the link was fitted on'),
      bootstrap: z
        .object({
          theta: z.array(z.array(z.number())).describe("the link's θ per resample"),
          direct: z.array(z.tuple([z.number(), z.number()])).describe("the direct law's (A, alpha) per resample"),
        })
        .optional(),
    })
    .optional()
    .describe('with fit --accuracy: the accuracy link and the direct law; predict reports accuracy'),
  calibration: calibrationSchema.optional().describe("the fit's rolling-origin calibration: predict's pi95 for new runs"),
  selection: selectionSchema.optional().describe('with fit --select backtest: how the law and objective were chosen'),
  joint: z
    .object({
      column: z.string().describe('the grouping column(s) (--group)'),
      groups: z.array(z.string()).describe('the groups, in the order of their θ blocks'),
      shared: z.array(z.string()).describe('the constants every group shares (--share)'),
    })
    .optional()
    .describe('with fit --group: a joint fit of several groups; predict --group NAME forecasts one of them'),
  warnings: z.array(z.string()),
});

export type SavedFit = z.infer<typeof savedFitSchema>;

/** The version this scalewise writes and reads. */
export { SAVED_FIT_VERSION };

/**
 * Validates a parsed saved-fit document; `file` names it in messages. A document of another version is
 * refused by name rather than half-read.
 */
export function readSavedFit(doc: unknown, file: string): SavedFit {
  const head = doc as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== 'scalewise-fit') {
    throw new UserError(`${file}: not a saved scalewise fit (no "format": "scalewise-fit"; write one with scalewise fit --save)`);
  }
  if (head.version !== SAVED_FIT_VERSION) {
    throw new UserError(`${file}: saved by format version ${String(head.version)}; this scalewise reads version ${SAVED_FIT_VERSION}`);
  }
  const parsed = savedFitSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file}: invalid saved fit at "${issue.path.join('.')}": ${issue.message}`);
  }
  const fit = parsed.data;
  checkConsistent(fit, file);
  return fit;
}

/**
 * What zod's shapes cannot say: the law and link are known, θ has the law's parameters, and every bootstrap
 * draw is a full θ — a truncated draw would be read across rows and give an interval that misses the estimate.
 */
function checkConsistent(fit: SavedFit, file: string): void {
  const fail = (at: string, what: string): never => {
    throw new UserError(`${file}: ${at}: ${what}`);
  };
  let law: Law<unknown> | undefined = Object.hasOwn(laws, fit.law) ? laws[fit.law] : undefined;
  // A formula law is stored as its text and parsed again here, its constants on the scales of the θ names.
  if (!law && isFormula(fit.law)) {
    try {
      law = savedFitLaw(fit.law, fit.joint ? [] : fit.thetaNames);
    } catch (err) {
      fail('law', err instanceof Error ? err.message : String(err));
    }
  }
  if (!law) throw fail('law', `unknown law "${fit.law}" (known: ${Object.keys(laws).join(', ')})`);
  if (fit.theta.length !== fit.thetaNames.length) throw new UserError(`${file}: theta has ${fit.theta.length} values for ${fit.thetaNames.length} names`);
  // A joint fit's θ is the joint law's: the shared entries, then each group's own.
  let joint: SharedLaw<unknown> | undefined;
  if (fit.joint) {
    try {
      joint = sharedLaw(law, fit.joint.groups, fit.joint.shared);
    } catch (err) {
      fail('joint', err instanceof Error ? err.message : String(err));
    }
  }
  const fitted = joint ?? law;
  if (fit.thetaNames.join() !== fitted.thetaNames.join())
    fail('thetaNames', `${fit.thetaNames.join(', ')} are not the ${law.name} law's${joint ? ' of this joint fit' : ''} (${fitted.thetaNames.join(', ')})`);
  // The estimate and every draw must give a finite loss over the fitted range: an overflowing draw (a log-scale
  // constant of 1e308) would turn the interval into Infinity rather than be refused.
  const corners = fit.data.N.flatMap((N) => fit.data.D.map((D) => [N, D] as const));
  const finiteLoss = (theta: number[]) => {
    const runs = {
      N: Float64Array.from(corners, (c) => c[0]),
      D: Float64Array.from(corners, (c) => c[1]),
      C: Float64Array.from(corners, (c) => 6 * c[0] * c[1]),
      loss: new Float64Array(corners.length).fill(1),
      origin: [],
    };
    const out = new Float64Array(corners.length);
    const x = Float64Array.from(theta);
    // Each group's θ of a joint fit, over the same corners.
    const groups = joint ? joint.groups.map((_, g) => joint.groupTheta(x, g)) : [x];
    return groups.every((t) => {
      law.predict(t, law.prepare(runs), out);
      return out.every((l) => Number.isFinite(l));
    });
  };
  // A formula that reads a column has no values of it at the corners: its saved θ is checked when evaluated.
  if (isFormulaLaw(law) && law.columns.length > 0) return;
  if (!finiteLoss(fit.theta)) fail('theta', `the ${law.name} law with this θ has no finite loss over the fitted N and D`);
  if (fit.bootstrap) {
    checkDraws(fail, 'bootstrap.theta', fit.bootstrap.theta, fit.theta.length);
    fit.bootstrap.theta.forEach((draw, i) => {
      if (!finiteLoss(draw)) fail(`bootstrap.theta[${i}]`, `the ${law.name} law with this draw has no finite loss over the fitted N and D`);
    });
    if (fit.bootstrap.resamples !== fit.bootstrap.theta.length)
      fail('bootstrap.resamples', `${fit.bootstrap.resamples} where bootstrap.theta has ${fit.bootstrap.theta.length} draws`);
  }
  const e = fit.errorLaw;
  if (e) {
    if (!Object.hasOwn(errorLinks, e.link)) fail('errorLaw.link', `unknown link "${e.link}" (known: ${Object.keys(errorLinks).join(', ')})`);
    if (e.bootstrap) checkDraws(fail, 'errorLaw.bootstrap.theta', e.bootstrap.theta, e.theta.length);
  }
  const a = fit.accuracyLaw;
  if (a) {
    const p = a.link === 'bounded' ? 3 : 4;
    if (a.theta.length !== p) fail('accuracyLaw.theta', `${a.theta.length} values; the ${a.link} link has ${p}`);
    if (!(a.chance >= 0 && a.chance < 1)) fail('accuracyLaw.chance', `${a.chance} is not in [0, 1)`);
    if (a.bootstrap) {
      checkDraws(fail, 'accuracyLaw.bootstrap.theta', a.bootstrap.theta, p);
      if (a.bootstrap.direct.length !== a.bootstrap.theta.length)
        fail('accuracyLaw.bootstrap.direct', `${a.bootstrap.direct.length} draws where accuracyLaw.bootstrap.theta has ${a.bootstrap.theta.length}`);
    }
  }
}

function checkDraws(fail: (at: string, what: string) => never, at: string, draws: number[][], p: number): void {
  if (draws.length === 0) fail(at, 'no draws (leave out "bootstrap" for a fit without intervals)');
  draws.forEach((row, i) => {
    if (row.length !== p) fail(`${at}[${i}]`, `${row.length} values where theta has ${p}`);
  });
}
