import { z } from 'zod';
import { warningsSchema } from './warnings.js';

const interval = z.tuple([z.number(), z.number()]).describe('95% percentile interval over the saved bootstrap draws');

/** The JSON document `scalewise predict --json` prints. */
export const predictReportSchema = z.object({
  fit: z.string().describe('the saved fit file'),
  law: z.string(),
  predictions: z.array(
    z.object({
      N: z.number(),
      D: z.number(),
      C: z.number().describe('6·N·D'),
      M: z.number().describe('tokens per parameter D/N'),
      loss: z.number(),
      ci95: interval.optional(),
      pi95: interval.optional().describe("where a new run at (N, D) lands (95%), from the saved fit's calibration"),
      error: z.number().optional().describe('the saved error law at the forecast loss'),
      errorCi95: interval.optional(),
      accuracy: z.number().optional().describe("the saved accuracy link at the forecast task loss (fit --accuracy's chained forecast)"),
      accuracyCi95: interval.optional().describe('loss draw b through link draw b: both steps’ uncertainty'),
      accuracyDirect: z.number().optional().describe('the saved direct law −log Acc = A·C^(−α) at C = 6ND'),
      accuracyDirectCi95: interval.optional(),
      extrapolation: z.number().describe('C over the largest C in the fitted data'),
    }),
  ),
  warnings: warningsSchema,
});

export type PredictReport = z.infer<typeof predictReportSchema>;
