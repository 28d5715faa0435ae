import { z } from 'zod';
import { SAVED_FIT_VERSION } from '../analyses/saved-fit.js';
import { UserError } from '../errors.js';
import { errorLawSchema, fitControlsSchema, calibrationSchema, selectionSchema } from './fit.js';

const span = z.tuple([z.number(), z.number()]).describe('[smallest, largest] over the fitted runs');

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
  if (fit.theta.length !== fit.thetaNames.length) throw new UserError(`${file}: theta has ${fit.theta.length} values for ${fit.thetaNames.length} names`);
  return fit;
}
