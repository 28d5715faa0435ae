import { z } from 'zod';
import { calibrationSchema } from './fit.js';
import { warningsSchema } from './warnings.js';

const interval = z.tuple([z.number(), z.number()]).describe('95% percentile interval [2.5%, 97.5%]');

/** Where one irreducible loss came from: given on the command line, or an L(N, D) fit of that curve. */
const irreducible = z.discriminatedUnion('source', [
  z.object({ source: z.literal('given'), E: z.number() }),
  z.object({
    source: z.literal('fit'),
    E: z.number(),
    law: z.string(),
    n: z.number().int().describe('runs in the L(N, D) fit'),
    objective: z.number().describe('Huber (δ = 1e-3) of log loss, summed over runs, at the optimum'),
    converged: z.boolean(),
    params: z.record(z.string(), z.number()),
    warnings: warningsSchema,
  }),
]);

const target = z.object({
  row: z.number().int().describe('data row (1-based, header excluded) of the L_y being forecast'),
  x: z.number(),
  y: z.number().describe('the observed L_y'),
  predicted: z.number(),
  relErr: z.number().describe('|predicted − y| / y (as fit targets)'),
  signedRelErr: z.number().describe('(predicted − y) / y: positive when the line over-predicts'),
  extrapolation: z.number().optional().describe("the target run's C over the largest fitted C (with --flops or --tokens)"),
  pi95: interval.optional().describe('where a new run with this L_x lands (95%), from the calibration'),
});

/** One fitted line: L_y = K·(L_x − E_x)^kappa + E_y. */
export const l2lLineSchema = z.object({
  K: z.number(),
  kappa: z.number(),
  Ex: z.number(),
  Ey: z.number(),
  r2: z.number().describe('R² of L_y against the line, linear space (as Brandfonbrener et al. report)'),
  r2Log: z.number().describe('R² of log(L_y − E_y) on log(L_x − E_x)'),
  n: z.number().int().describe('pairs in the fit'),
  unpaired: z.object({ x: z.number().int(), y: z.number().int() }).describe('rows of each side left without a partner'),
  xRange: interval.describe('smallest and largest L_x in the fit'),
  e: z.object({ x: irreducible, y: irreducible }),
  bootstrap: z
    .object({
      resamples: z.number().int(),
      seed: z.number().int(),
      conditionalOnE: z.boolean().describe('true: E held fixed; false: E refitted on resamples of each curve'),
      unit: z
        .enum(['pair', 'run', 'configuration'])
        .describe('what a resample draws: pairs; whole runs (--run: their checkpoints together); configurations (--refit-e: a configuration in every curve)'),
      failed: z.number().int(),
    })
    .optional(),
  se: z
    .object({ K: z.number(), kappa: z.number() })
    .optional()
    .describe('bootstrap standard error (sd over resamples) of K and kappa, as `se` in every document'),
  ci95: z.object({ K: interval, kappa: interval }).optional(),
  calibration: calibrationSchema.optional().describe("with targets: the line's rolling-origin calibration of pi95, conditional on E"),
  targets: z.array(target).optional(),
  meanAbsRelErr: z.number().nullable().optional(),
  warnings: warningsSchema,
});

const spread = z.object({
  from: z.number(),
  to: z.number(),
  points: z.array(
    z.object({
      x: z.number(),
      spread: z.number().describe('max − min of predicted L_y across groups'),
      relSpread: z.number(),
      highest: z.string(),
      lowest: z.string(),
      noise95: z.number().nullable().describe('1.96·√(sd² + sd²) of the two extreme lines’ bootstrap predictions'),
    }),
  ),
  maxSpread: z.number(),
  maxRelSpread: z.number(),
  beyondNoise: z.number().int().nullable(),
});

/** The JSON document `scalewise l2l --json` prints: one line, or one per group with their spread. */
export const l2lReportSchema = z.union([
  z.object({ x: z.string(), y: z.string() }).extend(l2lLineSchema.shape),
  z.object({
    x: z.string(),
    y: z.string(),
    groups: z.array(z.object({ group: z.string() }).extend(l2lLineSchema.shape)),
    spread: spread.nullable().describe('null when the groups’ L_x ranges do not overlap'),
  }),
]);

export type L2lLine = z.infer<typeof l2lLineSchema>;
export type L2lReport = z.infer<typeof l2lReportSchema>;
