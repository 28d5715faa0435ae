import { z } from 'zod';
import { isoflopResultSchema } from './isoflop.js';
import { warningsSchema } from './warnings.js';

const interval = z.tuple([z.number(), z.number()]).describe('95% interval [lo, hi]');

const warnings = warningsSchema.describe(
  'reasons not to trust the pooled fit (constants outside their range, E driven to zero, a flat ridge); empty when there are none',
);

/** The Chinchilla law fitted to one skill's loss across every budget. */
export const pooledFitSchema = z
  .object({
    params: z
      .record(z.string(), z.number().nullable())
      .describe(
        'Chinchilla constants E, A, B, alpha, beta of L = E + A/N^alpha + B/D^beta; null where a constant is not finite (a fit gone astray: see warnings)',
      ),
    a: z.number().describe('its compute-optimal exponent N* ∝ C^a, beta/(alpha + beta)'),
    warnings,
  })
  .strict();

/** N*(skill)/N*(aggregate) at one budget. */
export const skillRatioSchema = z
  .object({
    C: z.number().describe('the budget’s compute (FLOP), as in isoflop.budgets[].C'),
    ratio: z.number().nullable().describe('N*(skill)/N*(aggregate) from the per-budget optima; null where either budget is excluded'),
    ci95: interval
      .optional()
      .describe(
        'with draws, where ratio is not null: from paired draws, ratio·exp(±h), h half the middle-95% range of the draws’ log N*_skill − log N*_aggregate (the aggregate’s own: [1, 1])',
      ),
    pooled: z
      .number()
      .nullable()
      .optional()
      .describe('unless --no-pooled: the same ratio from the pooled fits, (G_skill/G_aggregate)·(C/6)^(a_skill − a_aggregate); null when not finite'),
  })
  .strict();

/** One skill (or the aggregate) of one group. */
export const skillResultSchema = z
  .object({
    name: z.string().describe('the --skill NAME; for the aggregate, its --aggregate (a column or a skill’s name)'),
    isoflop: isoflopResultSchema.describe('the IsoFLOP analysis of this skill’s loss (the weighted mean of its columns), as `isoflop` reports a group'),
    pooled: pooledFitSchema.optional().describe('the pooled Chinchilla fit of this skill’s loss; absent with --no-pooled'),
    ratioToAggregate: z.array(skillRatioSchema).describe('one per budget, as isoflop.budgets (the aggregate’s own: ratio 1)'),
    deltaA: z
      .object({
        value: z.number().nullable().describe('isoflop.fit.a minus the aggregate’s; null unless both have a fit'),
        ci95: interval
          .optional()
          .describe(
            'with draws: the 2.5% and 97.5% percentiles of the paired draws’ differences (draw d of the skill and of the aggregate resample the same runs)',
          ),
      })
      .strict()
      .optional()
      .describe('on each entry of skills (not on the aggregate): the exponent minus the aggregate’s'),
  })
  .strict();

/** The sweep over validation sets that mix the skills (--mix). */
export const mixSweepSchema = z
  .object({
    skills: z.array(z.string()).describe('the skills mixed (--mix), in the order of each weight vector'),
    weights: z
      .array(z.array(z.number()))
      .describe('one weight vector per mix (summing to 1, on the --steps grid of the simplex), first skill’s weight descending'),
    budgets: z
      .array(
        z
          .object({
            C: z.number().describe('the budget’s compute (FLOP)'),
            N: z
              .array(z.number().nullable())
              .describe(
                'N* (parameters) per mix, in the order of weights: that mix’s own minimum (the same with or without draws); null where its curve has no interior minimum',
              ),
            Nci95: z
              .array(interval.nullable())
              .optional()
              .describe('with draws: per mix, the 95% interval of N* (as isoflop.budgets[].ci95.N of that mix); null where N is, or no draw has a minimum'),
            maxOverMin: z.number().nullable().describe('largest over smallest N* across mixes; null unless at least 2 mixes have a minimum'),
            argmax: z.number().int().nullable().describe('index into weights of the mix with the largest N*; null when maxOverMin is'),
            argmin: z.number().int().nullable().describe('index into weights of the mix with the smallest N*; null when maxOverMin is'),
            ci95: interval
              .optional()
              .describe(
                'with draws, where maxOverMin is not null: maxOverMin·exp(±h), h half the 95% range of log N*(argmax mix)/N*(argmin mix) over draws that evaluate every mix on the same resample',
              ),
            beyondNoise: z.boolean().nullable().describe('true when ci95 lies above 1 (its lower end > 1), false when it reaches 1; null without ci95'),
          })
          .strict(),
      )
      .describe('one per budget, C ascending'),
  })
  .strict();

/** One group of `scalewise skills`. */
export const skillsGroupSchema = z
  .object({
    group: z.string().nullable().describe('the --group value (several columns: their values joined with ", "); null without --group'),
    skills: z.array(skillResultSchema).describe('one per --skill, in the order given'),
    aggregate: skillResultSchema.describe('the aggregate validation loss (--aggregate), analysed as a skill'),
    mix: mixSweepSchema.optional().describe('with --mix only'),
  })
  .strict();

/** The JSON document `scalewise skills --json` prints. */
export const skillsReportSchema = z
  .object({
    groups: z.array(skillsGroupSchema).describe('one per --group value, in order of first appearance; one (group null) without --group'),
    seconds: z.number().optional().describe('wall time, only with --timing (it is the one field that varies run to run)'),
  })
  .strict();

export type SkillResultReport = z.infer<typeof skillResultSchema>;
export type MixSweepReport = z.infer<typeof mixSweepSchema>;
export type SkillsReport = z.infer<typeof skillsReportSchema>;
