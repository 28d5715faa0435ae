import { z } from 'zod';
import { warningsSchema } from './warnings.js';

/** Every object of the document is strict: a field the schema does not name is an error. */
const obj = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();

const interval = z.tuple([z.number(), z.number()]).describe('95% percentile interval over the saved bootstrap draws');

const cost = obj({
  gpuHours: z.number().describe('FLOPs / (throughput × utilisation) / 3600'),
  dollars: z.number().optional().describe('gpuHours × price'),
}).describe('the training FLOPs as GPU-hours (and money, with --price)');

const inference = obj({
  tokens: z.number().describe('inference tokens T over the model’s lifetime'),
  N: z.number(),
  D: z.number(),
  tokensPerParam: z.number(),
  loss: z.number().describe('the loss it reaches: the plan’s loss'),
  trainingFlops: z.number().describe('6·N·D'),
  inferenceFlops: z.number().describe('2·N·T'),
  totalFlops: z.number(),
  cost: cost.optional(),
  chinchilla: obj({ trainingFlops: z.number(), inferenceFlops: z.number(), totalFlops: z.number() }).describe(
    'the compute-optimal run of the plan at the same T',
  ),
  saving: obj({
    flops: z.number().describe('chinchilla.totalFlops − totalFlops (≥ 0)'),
    fraction: z.number().describe('saving over chinchilla.totalFlops'),
  }),
}).describe('inference-aware allocation (Sardana et al. 2023): least 6ND + 2N·T at the plan’s loss');

const dataConstrained = obj({
  U: z.number().describe('the unique-token limit (--unique-tokens)'),
  unique: z.number().describe('unique tokens the run uses: min(D, U)'),
  epochs: z.number().describe('D over the unique tokens used (1: nothing repeats)'),
  effectiveD: z.number().describe("the law's effective data D′"),
  effectiveN: z.number().describe("the law's effective parameters N′"),
  lastTokenWorth: z.number().describe('dD′/dD = e^(−(D/U − 1)/R_D*): what the last repeated token is worth against a unique one'),
  unconstrained: obj({
    N: z.number(),
    D: z.number(),
    epochs: z.number().describe('D/U of the unconstrained run (1 when U ≥ D)'),
    loss: z.number().describe('its loss under the law with the same limit U'),
  }).describe('the compute-optimal run without the limit, evaluated with it'),
}).describe('with --unique-tokens: the run of least loss at C with at most U unique tokens (Muennighoff et al. 2023)');

/** The JSON document `scalewise plan --json` prints. */
export const planReportSchema = obj({
  fit: z.string().describe('the saved fit file'),
  law: z.string(),
  group: z.string().optional().describe('the group of a joint fit'),
  E: z.number().describe('the fitted asymptote: no budget reaches a loss at or below it'),
  plans: z.array(
    obj({
      from: z.enum(['budget', 'target-loss']).describe('what the plan was asked for: a budget (--budget) or a loss (--target-loss)'),
      targetLoss: z.number().optional(),
      C: z.number().describe('training compute, FLOP (6·N·D)'),
      N: z.number().describe('compute-optimal parameters at C'),
      D: z.number().describe('compute-optimal tokens, C/(6N)'),
      tokensPerParam: z.number(),
      loss: z.number().describe('the law at (N, D)'),
      ci95: obj({
        C: interval.optional().describe('with --target-loss: each draw’s budget for the target loss'),
        N: interval,
        D: interval,
        loss: interval.describe("each draw's loss at its own compute-optimal run of budget C"),
      }).optional(),
      pi95: interval.optional().describe("where a new run lands (95%), from the saved fit's calibration"),
      extrapolation: z.number().describe('C over the largest C in the fitted data'),
      cost: cost.optional(),
      inference: inference.optional(),
      dataConstrained: dataConstrained.optional(),
    }),
  ),
  proposed: z.array(
    obj({
      N: z.number(),
      D: z.number(),
      C: z.number().describe('6·N·D'),
      tokensPerParam: z.number(),
      loss: z.number(),
      ci95: obj({ loss: interval, deadweight: interval }).optional(),
      optimal: obj({ C: z.number(), N: z.number(), D: z.number() }).describe('the compute-optimal run that reaches the same loss'),
      deadweight: obj({
        flops: z.number().describe('C − optimal.C: compute spent beyond the frontier (≥ 0)'),
        fraction: z.number().describe('flops over C'),
      }).describe('compute wasted against the frontier'),
      extrapolation: z.number(),
      cost: cost.optional(),
    }),
  ),
  warnings: warningsSchema,
  seconds: z.number().optional().describe('with --timing: wall time'),
});

export type PlanReport = z.infer<typeof planReportSchema>;

/** With several fits (`plan A.json --also B.json`): one plan document per fit, labelled, and every warning prefixed by its label. */
export const multiPlanReportSchema = obj({
  fits: z.array(
    planReportSchema
      .omit({ seconds: true })
      .extend({ label: z.string().describe('the fit’s label: LABEL of --also LABEL=FILE, else its file') })
      .strict(),
  ),
  warnings: warningsSchema,
  seconds: z.number().optional().describe('with --timing: wall time'),
});

export type MultiPlanReport = z.infer<typeof multiPlanReportSchema>;

/** What `plan --json` prints: one fit's document, or with several fits one per fit. */
export const anyPlanReportSchema = z.union([planReportSchema, multiPlanReportSchema]);
