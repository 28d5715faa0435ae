import { z } from 'zod';
import { checkpointsSchema, inputWarningsSchema, warningsSchema } from './warnings.js';

const interval = z.tuple([z.number(), z.number()]).describe('95% percentile interval [2.5%, 97.5%] over the draws (--noise) or resamples (--bootstrap)');

const warnings = warningsSchema.describe('per group: runs or budgets left out, no power law, a power law on only 2 budgets; empty when there are none');

/** Why a budget is left out of the power-law fit. */
export const isoflopExclusionSchema = z
  .enum(['too-few-sizes', 'edge-min', 'concave'])
  .describe(
    'too-few-sizes: under 3 distinct sizes; edge-min: the minimum is at or beyond the smallest or largest size (with draws: in more than half of them); concave: the parabola opens downward',
  );

/** One budget's compute-optimal point. */
export const isoflopBudgetSchema = z
  .object({
    C: z.number().describe('the budget’s compute (FLOP): the middle C of its runs (runs within --budget-tolerance are one budget)'),
    points: z.number().int().describe('distinct model sizes on the curve (of several runs of one size, the lowest loss counts)'),
    N: z
      .number()
      .nullable()
      .describe(
        'N*(C), parameters: the loss-minimising size (with draws: the median over draws); null for concave and too-few-sizes; for edge-min the vertex/edge point, outside the fit',
      ),
    D: z.number().nullable().describe('D*(C), tokens: C/(6·N*); null when N is'),
    loss: z.number().nullable().describe('the curve’s loss at N* (with draws: the median over draws); null when N is'),
    ci95: z
      .object({ N: interval.describe('of N*, parameters'), D: interval.describe('of D*, tokens') })
      .strict()
      .optional()
      .describe('with --noise or --bootstrap, budgets kept only'),
    logNsd: z
      .number()
      .optional()
      .describe(
        'with draws, budgets kept only: sd of log N* over the valid draws, floored at the method’s resolution and inflated by draws/valid; the fit weighs the budget by 1/logNsd²',
      ),
    validDraws: z.number().int().optional().describe('with draws: draws whose minimum was interior (also on a budget left out because fewer than half were)'),
    excluded: isoflopExclusionSchema.nullable().describe('why the budget is left out of the power law; null when it is in'),
    reason: z.string().optional().describe('the exclusion in words (present exactly when excluded is not null)'),
  })
  .strict();

/** N* = k·C^a and D* = kD·C^b over the budgets kept. */
export const isoflopFitSchema = z
  .object({
    a: z.number().describe('exponent of N* = k·C^a'),
    k: z.number().describe('coefficient of N* = k·C^a (N in parameters, C in FLOP)'),
    b: z.number().describe('exponent of D* = kD·C^b (1 − a, as D* = C/(6·N*))'),
    kD: z.number().describe('coefficient of D* = kD·C^b (1/(6k), as D* = C/(6·N*))'),
    r2: z.number().describe('R² of the (weighted) least-squares fit of log N* on log C'),
    budgets: z.number().int().describe('budgets in the fit (those with excluded null); a count, unlike the result’s budgets array'),
    weighted: z.boolean().describe('true with --noise or --bootstrap: each budget weighted by 1/logNsd²'),
    ci95: z
      .object({ a: interval.describe('of the exponent a'), b: interval.describe('of the exponent b') })
      .strict()
      .optional()
      .describe('with draws: from refitting draw i of every kept budget, for each i'),
    refits: z
      .number()
      .int()
      .optional()
      .describe(
        'with draws: refits behind ci95 (the fewest valid draws of any kept budget; with run draws, the draws with a minimum in at least 2 kept budgets)',
      ),
  })
  .strict();

/** One IsoFLOP analysis (a group of `isoflop`, or one skill, mix or aggregate of `skills`). */
export const isoflopResultSchema = z
  .object({
    method: z.enum(['parabola', 'akima']).describe('how each budget’s minimum is found (--method)'),
    budgets: z.array(isoflopBudgetSchema).describe('one per budget, C ascending'),
    fit: isoflopFitSchema.nullable().describe('null when fewer than 2 budgets are kept (the warnings say why)'),
    bootstrap: z
      .object({
        unit: z
          .enum(['run', 'row'])
          .describe(
            'run: whole runs drawn across budgets (a run giving points at several budgets brings all of them); row: the points drawn within each budget',
          ),
        runs: z.number().int().describe('runs the points were read from'),
      })
      .strict()
      .optional()
      .describe('with --bootstrap and --run: what a resample draws'),
    warnings,
  })
  .strict();

/** One group of `scalewise isoflop`. */
export const isoflopGroupSchema = z
  .object({ group: z.string().nullable().describe('the --group value (several columns: their values joined with ", "); null without --group') })
  .extend(isoflopResultSchema.shape)
  .strict();

/** The JSON document `scalewise isoflop --json` prints. */
export const isoflopReportSchema = z
  .object({
    groups: z.array(isoflopGroupSchema).describe('one per --group value, in order of first appearance; one (group null) without --group'),
    checkpoints: checkpointsSchema,
    inputWarnings: inputWarningsSchema,
    seconds: z.number().optional().describe('wall time, only with --timing (it is the one field that varies run to run)'),
  })
  .strict();

export type IsoflopBudget = z.infer<typeof isoflopBudgetSchema>;
export type IsoflopFitReport = z.infer<typeof isoflopFitSchema>;
export type IsoflopResultReport = z.infer<typeof isoflopResultSchema>;
export type IsoflopReport = z.infer<typeof isoflopReportSchema>;
