import { z } from 'zod';
import { inputWarningsSchema, warningsSchema } from './warnings.js';

const interval = (of: string) => z.tuple([z.number(), z.number()]).describe(`95% percentile interval [2.5%, 97.5%] of ${of} over the resamples`);
const share = (of: string) => z.number().min(0).max(1).describe(of);

/** One arm against the baseline at one budget. */
export const compareBudgetSchema = z
  .object({
    C: z.number().positive().describe('the budget (FLOP): from --budget, or the largest budget in the data and 10×, 100×, 1000× it'),
    loss: z.number().describe('the arm’s loss at C on the curve compared (compute-optimal frontier, D = R·N, or frontier law)'),
    baselineLoss: z.number().describe('the baseline’s loss at C on the same kind of curve'),
    lossAdvantage: z.number().describe('baselineLoss − loss: positive when the arm is better'),
    computeMultiplier: z
      .number()
      .positive()
      .nullable()
      .describe(
        'the compute the baseline needs to reach the arm’s loss, over C (> 1: the arm is better); null when the baseline never reaches it (at or below its asymptote)',
      ),
    ci95: interval('the multiplier (draws the baseline never reaches count as above every other)')
      .optional()
      .describe('with --bootstrap, when both ends are finite'),
    lossAdvantageCi95: interval('the loss advantage').optional().describe('with --bootstrap'),
    lackOfFitCi95: z
      .tuple([z.number(), z.number()])
      .optional()
      .describe(
        'with --frontier: the multiplier’s Student-t lack-of-fit 95% interval (delta method on each arm’s least-squares covariance, s² = RSS/(n − p), Welch–Satterthwaite df; arms independent)',
      ),
    pBetter: share('with --bootstrap: the share of resamples in which the arm’s loss at C is below the baseline’s').optional(),
    pBest: share('with --bootstrap: the share of resamples in which the arm’s loss at C is the lowest of all arms, baseline included').optional(),
  })
  .strict();

/** One arm against the baseline. */
export const compareArmSchema = z
  .object({
    arm: z.string().describe('the --arm value'),
    runs: z.number().int().positive().describe('the arm’s runs'),
    budgets: z.array(compareBudgetSchema).describe('one per budget, in --budget order'),
    crossover: z
      .number()
      .positive()
      .nullable()
      .describe('the compute in 1e15–1e30 FLOP where the arm’s and the baseline’s curves cross (warning crossover); null when they do not'),
  })
  .strict();

/** One arm's frontier law, with --frontier. */
export const compareFrontierLawSchema = z
  .object({
    arm: z.string(),
    E: z.number().min(0).describe('asymptote (fitted, or held by --fix E=V)'),
    A: z.number().positive().describe('coefficient of C^(−α), C in FLOP'),
    alpha: z.number().positive().describe('exponent α'),
    points: z.number().int().min(2).describe('budgets fitted: the arm’s lowest loss at each'),
    rmse: z.number().min(0).describe('root mean square residual (loss units)'),
  })
  .strict();

/** The JSON document `scalewise compare --json` prints. */
export const compareReportSchema = z
  .object({
    baseline: z.string().describe('the arm the others are compared with (--baseline; default the first in the data)'),
    law: z.string().describe('the L(N, D) law fitted per arm (--law), or "frontier" with --frontier'),
    along: z
      .enum(['compute-optimal', 'tokens-per-param', 'frontier-law'])
      .describe('where the multiplier is read: the compute-optimal frontiers, along D = R·N (--tokens-per-param), or the frontier laws (--frontier)'),
    tokensPerParam: z.number().positive().optional().describe('with --tokens-per-param: R'),
    shared: z.array(z.string()).describe('constants the arms share in the joint fit (--share); empty with --frontier'),
    paired: z.boolean().describe('whether resamples draw a configuration (N, D) — with --frontier a budget — for every arm at once'),
    resamples: z.number().int().min(0).optional().describe('with --bootstrap: the resamples behind the intervals (failed refits left out)'),
    frontierLaws: z.array(compareFrontierLawSchema).optional().describe('with --frontier: each arm’s law, baseline included, in data order'),
    baselineBudgets: z
      .array(
        z
          .object({ C: z.number().positive(), loss: z.number(), pBest: share('the share of resamples in which the baseline is the lowest of all arms') })
          .strict(),
      )
      .optional()
      .describe('with --bootstrap: the baseline’s loss and P(best) per budget'),
    arms: z.array(compareArmSchema).describe('every arm but the baseline, in data order'),
    decisionAccuracy: z
      .array(
        z
          .object({
            C: z.number().positive().describe('a budget of the data (runs within 1% are one budget), ascending'),
            accuracy: share('the share of arm pairs ranked by their lowest observed loss at C as at the largest budget').nullable(),
            pairs: z.number().int().min(0).describe('arm pairs both budgets order (no tie, both arms present)'),
            lawAccuracy: share('the same share for the ranking by each arm’s frontier law fitted on budgets ≤ C, evaluated at the largest').nullable(),
            lawPairs: z.number().int().min(0),
          })
          .strict(),
      )
      .describe('one per budget of the data'),
    warnings: warningsSchema,
    inputWarnings: inputWarningsSchema,
    seconds: z.number().optional().describe('wall time, only with --timing'),
  })
  .strict();

export type CompareReportDocument = z.infer<typeof compareReportSchema>;
