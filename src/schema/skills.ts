import { z } from 'zod';
import { isoflopResultSchema } from './isoflop.js';
import { checkpointsSchema, inputWarningsSchema, warningsSchema } from './warnings.js';

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
    ci95: z
      .object({ a: interval })
      .strict()
      .optional()
      .describe('with --bootstrap: the 95% interval of a over resamples of whole runs (at most 200), each refitted from the full-data optimum'),
    resamples: z.number().int().optional().describe('with ci95: the resamples it rests on'),
    unit: z.enum(['run', 'row']).optional().describe('with ci95 and --run: run when some run gives several rows (its checkpoints drawn together), else row'),
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

const ratioCi = z
  .object({ ratio: z.number().nullable().describe('the ratio; null without both fits'), ci95: interval.optional().describe('with draws') })
  .strict();

/** N* of a skill at one of the user's budgets (--budget), from its power law. */
export const atBudgetSchema = z
  .object({
    C: z.number().describe('the budget (FLOP), as given by --budget'),
    N: z.number().nullable().describe('k·C^a from the skill’s power law; null without a fit'),
    ci95: interval.optional().describe('with draws: centred on N in log space, as wide as the middle 95% of the per-draw k_d·C^a_d'),
    toAggregate: ratioCi.optional().describe('N*(skill)/N*(aggregate) at C, both from their power laws; ci95 from paired draws'),
    toReference: ratioCi.optional().describe('with --reference-law: N*(skill)/N*_reference(C); ci95 from the skill’s draws'),
  })
  .strict();

const fiveNumbers = z
  .object({ count: z.number().int(), min: z.number(), q1: z.number(), median: z.number(), q3: z.number(), max: z.number() })
  .strict()
  .describe('the distribution over the columns with a minimum: count, min, quartiles (type 7), max');

/** --per-dataset: each member column of a skill as its own IsoFLOP curve. */
export const datasetsSchema = z
  .object({
    reference: z.string().describe('what N* is divided by: the reference law’s name, or the aggregate’s'),
    skills: z.array(
      z
        .object({
          name: z.string(),
          columns: z.array(z.object({ column: z.string(), N: z.array(z.number().nullable()).describe('per budget, as budgets') }).strict()),
          budgets: z.array(
            z
              .object({
                C: z.number(),
                logRatio: fiveNumbers.nullable(),
                values: z.array(z.number().nullable()).describe('per column: log(N*_column/N*_reference); null where either has no minimum'),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

const lineSchema = z
  .object({
    slope: z.number(),
    intercept: z.number(),
    slopeCi95: interval.optional().describe('with draws: percentiles of the slope refitted on each draw'),
    band: z
      .array(z.object({ share: z.number(), lo: z.number(), hi: z.number() }).strict())
      .optional()
      .describe('with draws: the line’s 95% band at 11 shares'),
    weighted: z.boolean().describe('weighted by 1/var of each group’s draws'),
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
    atBudgets: z.array(atBudgetSchema).optional().describe('with --budget or --reference-law: N* at each budget from the power law'),
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
    datasets: datasetsSchema.optional().describe('with --per-dataset only'),
  })
  .strict();

const bounded = z
  .object({ value: z.number().nullable(), ci95: interval.optional(), beyondNoise: z.boolean().optional().describe('ci95 excludes 0 (Δa) or 1 (a ratio)') })
  .strict();

/** With --group and at least two groups: each group against the reference group. */
export const groupComparisonSchema = z
  .object({
    reference: z.string().describe('the reference group (--reference-group, default the first)'),
    budgets: z.array(z.number()).describe('the budgets N* ratios are read at (--budget, default the largest in the data)'),
    skills: z.array(
      z
        .object({
          name: z.string(),
          groups: z.array(
            z
              .object({
                group: z.string(),
                paired: z.boolean().describe('whether this group and the reference share every budget’s sizes, so their draws pair at every budget'),
                pairedBudgets: z
                  .number()
                  .int()
                  .describe('budgets of the reference whose sizes this group shares: paired draws there, independent ones elsewhere'),
                deltaA: bounded.describe('a(group) − a(reference)'),
                ratioN: z.array(bounded.extend({ C: z.number() }).strict()).describe('per budget: N*(group)/N*(reference) from the power laws'),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

/** With --covariate: a and log N* against the share of skill-relevant data. */
export const covariateSchema = z
  .object({
    budget: z.number().describe('the budget N* is read at: the first --budget (default the largest in the data)'),
    warnings: warningsSchema.describe('covariate-unmatched (rows or groups left out), no-covariate-line; empty when none'),
    skills: z.array(
      z
        .object({
          name: z.string(),
          points: z.array(
            z
              .object({
                group: z.string(),
                share: z.number(),
                a: z.number().nullable(),
                aCi95: interval.optional(),
                N: z.number().nullable(),
                NCi95: interval.optional(),
              })
              .strict(),
          ),
          a: lineSchema.nullable().describe('a = intercept + slope·share'),
          logN: lineSchema.nullable().describe('ln N*(budget) = intercept + slope·share'),
        })
        .strict(),
    ),
  })
  .strict();

/** The JSON document `scalewise skills --json` prints. */
export const skillsReportSchema = z
  .object({
    groups: z.array(skillsGroupSchema).describe('one per --group value, in order of first appearance; one (group null) without --group'),
    groupComparison: groupComparisonSchema.optional().describe('with at least two groups'),
    covariate: covariateSchema.optional().describe('with --covariate only'),
    checkpoints: checkpointsSchema,
    inputWarnings: inputWarningsSchema,
    seconds: z.number().optional().describe('wall time, only with --timing (it is the one field that varies run to run)'),
  })
  .strict();

export type SkillResultReport = z.infer<typeof skillResultSchema>;
export type MixSweepReport = z.infer<typeof mixSweepSchema>;
export type SkillsReport = z.infer<typeof skillsReportSchema>;
