import { z } from 'zod';

const interval = z.tuple([z.number(), z.number()]).describe('95% percentile interval [2.5%, 97.5%]');

/** The JSON document `scalewise fit --json` prints. */
export const fitReportSchema = z.object({
  law: z.string().describe('law name, e.g. "chinchilla"'),
  formula: z.string(),
  n: z.number().int().describe('runs in the fit'),
  objective: z.object({
    kind: z.enum(['huber', 'mse', 'asym']),
    delta: z.number(),
    space: z.enum(['log', 'linear']),
    weight: z.number().optional().describe('asym only: cost of an over-prediction relative to an under-prediction'),
    value: z.number().describe('objective at the optimum (summed over runs)'),
  }),
  params: z.record(z.string(), z.number()).describe('fitted constants, e.g. E, A, B, alpha, beta'),
  search: z.object({
    grid: z.string(),
    starts: z.number().int().describe('start points in the grid'),
    optimised: z.number().int().describe('best-ranked starts optimised'),
    agreeing: z.number().int().describe('optimised starts that reached the best objective (1e-6 relative)'),
    converged: z.boolean(),
    optimizer: z.string(),
  }),
  warnings: z.array(z.string()).describe('reasons not to trust the fit; empty when there are none'),
  bootstrap: z
    .object({
      resamples: z.number().int(),
      seed: z.number().int(),
      start: z.enum(['optimum', 'grid']),
      failed: z.number().int().describe('resamples whose refit did not converge (kept in the summary)'),
      se: z.record(z.string(), z.number()).describe('standard deviation of each quantity over resamples'),
      ci95: z.record(z.string(), interval),
    })
    .optional(),
  optimal: z
    .object({
      a: z.number().describe('N_opt ∝ C^a'),
      b: z.number().describe('D_opt ∝ C^b'),
      G: z.number().describe('N_opt = G·(C/6)^a'),
      budgets: z.array(
        z.object({
          C: z.number(),
          N: z.number(),
          D: z.number(),
          tokensPerParam: z.number(),
          loss: z.number(),
          extrapolation: z.number().describe('C over the largest budget in the data'),
          ci95: z.object({ N: interval, D: interval, loss: interval }).optional(),
        }),
      ),
    })
    .optional(),
  seconds: z.number().optional().describe('wall time, only with --timing (it is the one field that varies run to run)'),
});

export type FitReport = z.infer<typeof fitReportSchema>;
