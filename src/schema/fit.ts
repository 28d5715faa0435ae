import { z } from 'zod';
import { inputWarningsSchema, warningsSchema } from './warnings.js';

const interval = z.tuple([z.number(), z.number()]).describe('95% percentile interval [2.5%, 97.5%]');

/** A downstream-error law Err(L), fitted on true losses of its own runs. */
export const errorLawSchema = z.object({
  link: z.enum(['exp', 'sigmoid']),
  formula: z.string(),
  params: z.record(z.string(), z.number()),
  n: z.number().int().describe('runs in the error-law fit'),
  objective: z.number().describe('½·Σ(error − fitted)² at the optimum'),
  ci95: z.record(z.string(), interval).optional().describe('with --bootstrap: of each parameter'),
});

/** Task accuracy from task loss (step 2 of Bhagia et al. 2024), fitted on true task losses, and the direct law beside it. */
export const accuracyLawSchema = z.object({
  column: z.string().describe('the accuracy column (--accuracy)'),
  link: z.enum(['bounded', 'sigmoid']).describe('bounded: Acc = c + (top − c)/(1 + exp(k·(L − L0))) with c the chance level, c ≤ top ≤ 1'),
  formula: z.string(),
  chance: z.number().describe('the chance level c, the floor of the bounded link (--chance; 0 when not given)'),
  anchors: z.array(z.tuple([z.number(), z.number()])).describe('(loss, accuracy) points fitted as one more run each (--anchor)'),
  params: z.record(z.string(), z.number()),
  held: z.array(z.string()).optional().describe('parameters held on their bound (top = 1 when the data would put it above)'),
  n: z.number().int().describe('rows in the link fit (anchors not counted)'),
  objective: z.number().describe('½·Σ(accuracy − fitted)² at the optimum, anchors included'),
  ci95: z.record(z.string(), interval).optional().describe('with --bootstrap: of each parameter'),
  paired: z
    .boolean()
    .optional()
    .describe("with --bootstrap: true when draw b of the link refits the loss law's resample b (same rows), false when its rows are resampled on their own"),
  direct: z
    .object({
      formula: z.string(),
      params: z.object({ A: z.number(), alpha: z.number() }),
      n: z.number().int().describe('loss-fit runs it was fitted on'),
      ci95: z.object({ A: interval, alpha: interval }).optional(),
    })
    .describe('the direct law −log Acc = A·C^(−α) in training compute (Krajewski et al. 2025), least squares on log(−log Acc) against log C'),
});

/** The fit controls given (`--fix`, `--tie`, `--weights`, `--bound`); only those given appear. */
export const fitControlsSchema = z
  .object({
    fix: z.record(z.string(), z.number()).optional().describe('constants held at a value (--fix), not fitted'),
    tie: z
      .array(z.tuple([z.string(), z.string()]))
      .optional()
      .describe('pairs of constants fitted as one value (--tie)'),
    bounds: z
      .record(
        z.string(),
        z.object({
          lo: z.number().optional().describe('lower bound'),
          hi: z.number().optional().describe('upper bound'),
          active: z.enum(['lo', 'hi']).optional().describe('the fit holds the constant on this bound (warning on-bound)'),
        }),
      )
      .optional()
      .describe('ranges of constants (--bound); a constant the data would put outside is refitted held on the bound'),
    weights: z.string().optional().describe('how runs were weighted (--weights): C, sqrtC or col:NAME, scaled to mean 1'),
  })
  .describe('fit controls, only those given: without any, the field is absent');

export type FitControls = z.infer<typeof fitControlsSchema>;

/** The JSON document `scalewise fit --json` prints. */
const scaleSchema = z
  .object({
    drift: z.number().describe('systematic log error per ln of distance, extrapolated to the fit (0 for the plain band)'),
    sigma0: z.number().describe('in-sample scatter of log loss about the fit'),
    gamma: z.number().describe('growth of the log error per ln of distance'),
    q: z.number().describe('95% conformal quantile of the standardised |error|'),
  })
  .strict();

/** How a fit's prediction intervals for new runs were calibrated (src/methods/calibration.ts). */
export const calibrationSchema = z
  .object({
    plain: scaleSchema.describe('the band about zero error'),
    drifting: scaleSchema.describe('the band about the drift the backtest extrapolates'),
    forecasts: z.number().int().describe('leave-future-out forecasts it rests on'),
    cuts: z.number().int().describe('cuts (refits) those forecasts came from'),
    maxDistance: z.number().describe('the largest distance (C / largest fitted C) among them: beyond it pi95 is an extrapolation'),
  })
  .strict()
  .describe('the rolling-origin calibration of pi95, the interval for a new run');

/** How `--select backtest` chose the law and objective (src/analyses/select.ts). */
export const selectionSchema = z
  .object({
    rule: z.string().describe('the rule, in words: what was scored, how ties break'),
    scoreBy: z.enum(['last', 'far']).describe('which forecasts scored: those of the last cut, or the furthest distance bin'),
    chosen: z.string().describe('the candidate fitted, LAW:OBJECTIVE (the fit is exactly fit --law LAW --objective OBJECTIVE)'),
    budgets: z.number().int().describe('distinct compute budgets among the fit runs'),
    cuts: z.number().int().describe('cuts of the rolling origin (one refit per candidate each), from the 3rd budget to the last but one'),
    bin: z
      .object({ from: z.number(), to: z.number().nullable().describe('null: open above') })
      .optional()
      .describe('with scoreBy far: the distance bin scored (distance = forecast C / largest fitted C), the largest every candidate has a forecast in'),
    candidates: z.array(
      z.object({
        candidate: z.string().describe('LAW:OBJECTIVE, in the order given'),
        forecasts: z.number().int().describe('leave-future-out forecasts of later runs, over every cut'),
        meanAbsRelErr: z.number().describe('mean |predicted − loss| / loss over all its forecasts (the first tie-break)'),
        bias: z.number().describe('mean (predicted − loss) / loss: positive when it over-predicts'),
        score: z.number().describe('mean |relative error| of the scored forecasts: the lowest is chosen'),
        scoredForecasts: z.number().int().describe("forecasts scored (the last cut's, or those in the bin)"),
      }),
    ),
  })
  .describe('with --select backtest: the candidates backtested on the fit runs, their scores and the one chosen');

export type FitSelection = z.infer<typeof selectionSchema>;

/** The compute-optimal allocation of a fitted law at each budget. */
const optimalSchema = z.object({
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
});

const chinchillaSchema = z.object({ E: z.number(), A: z.number(), B: z.number(), alpha: z.number(), beta: z.number() });

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
  controls: fitControlsSchema.optional(),
  params: z.record(z.string(), z.number()).describe('fitted constants, e.g. E, A, B, alpha, beta'),
  search: z.object({
    grid: z.string(),
    starts: z.number().int().describe('start points in the grid'),
    optimised: z.number().int().describe('best-ranked starts optimised'),
    agreeing: z.number().int().describe('optimised starts that reached the best objective (1e-6 relative)'),
    converged: z.boolean(),
    optimizer: z.string(),
  }),
  warnings: warningsSchema,
  bootstrap: z
    .object({
      resamples: z.number().int(),
      seed: z.number().int(),
      start: z.enum(['optimum', 'grid']),
      unit: z.enum(['run', 'row']).describe('what a resample draws: rows, or whole runs when rows are checkpoints of runs (--run)'),
      failed: z.number().int().describe('resamples whose refit did not converge (kept in the summary)'),
      se: z.record(z.string(), z.number()).describe('standard deviation of each quantity over resamples'),
      ci95: z.record(z.string(), interval),
    })
    .optional(),
  optimal: optimalSchema.optional(),
  chinchilla: chinchillaSchema.optional().describe('overtrain only: the same law as Chinchilla constants (alpha = beta = 2·eta, A = a·6^-eta, B = b·6^-eta)'),
  optimalM: z.number().optional().describe('overtrain only: compute-optimal tokens per parameter (b/a)^(1/(2·eta))'),
  errorLaw: errorLawSchema.optional(),
  calibration: calibrationSchema.optional(),
  selection: selectionSchema.optional(),
  joint: z
    .object({
      column: z.string().describe('the grouping column(s) (--group)'),
      shared: z.array(z.string()).describe('constants every group shares (--share); the others are fitted per group, reported as NAME[group] in params'),
      groups: z.array(
        z.object({
          group: z.string(),
          n: z.number().int().describe("the group's runs in the fit"),
          params: z.record(z.string(), z.number()).describe("the law's constants for this group (shared ones included)"),
          optimal: optimalSchema.optional().describe("this group's compute-optimal allocation"),
          chinchilla: chinchillaSchema.optional(),
          bootstrap: z
            .object({ se: z.record(z.string(), z.number()), ci95: z.record(z.string(), interval) })
            .optional()
            .describe("over the joint fit's resamples"),
        }),
      ),
    })
    .optional()
    .describe('with --group: the joint fit per group'),
  targets: z
    .array(
      z.object({
        file: z.string(),
        row: z.number().int().describe('1-based data row of the file (header excluded)'),
        N: z.number(),
        D: z.number(),
        loss: z.number().describe('true loss'),
        predicted: z.number().describe('the fitted law at (N, D)'),
        label: z.string().optional().describe('the run, by the --label column'),
        group: z.string().optional().describe('with --group: the group whose constants predicted it'),
        relErr: z.number().describe('|predicted − loss| / loss'),
        signedRelErr: z.number().describe('(predicted − loss) / loss: positive when the law over-predicts'),
        ci95: interval.optional().describe('of the predicted loss, over the bootstrap refits'),
        pi95: interval.optional().describe('where a new run at (N, D) lands (95%), from the calibration'),
        error: z.number().optional().describe('true downstream error'),
        errorPredicted: z.number().optional().describe('the error law at the PREDICTED loss'),
        errorRelErr: z.number().optional().describe('|errorPredicted − error| / error'),
        errorSignedRelErr: z.number().optional().describe('(errorPredicted − error) / error'),
        errorCi95: interval.optional(),
        accuracy: z.number().optional().describe('with --accuracy: true task accuracy'),
        accuracyPredicted: z.number().optional().describe('the accuracy link at the PREDICTED task loss (the chained forecast)'),
        accuracyRelErr: z.number().optional().describe('(accuracyPredicted − accuracy) / accuracy: positive when the chain over-predicts'),
        accuracyCi95: interval.optional().describe('of the chained forecast: loss draw b through link draw b'),
        accuracyDirect: z.number().optional().describe('the direct law at the run’s compute'),
        accuracyDirectRelErr: z.number().optional().describe('(accuracyDirect − accuracy) / accuracy'),
        accuracyDirectCi95: interval.optional(),
      }),
    )
    .optional()
    .describe('held-out runs (--target-where, --holdout-top) scored by the fitted law'),
  meanAbsRelErr: z.number().optional().describe('mean of targets[].relErr'),
  meanAbsErrorRelErr: z.number().optional().describe('mean of targets[].errorRelErr'),
  accuracyLaw: accuracyLawSchema.optional(),
  meanAbsAccuracyRelErr: z.number().optional().describe('mean of |targets[].accuracyRelErr|'),
  meanAbsAccuracyDirectRelErr: z.number().optional().describe('mean of |targets[].accuracyDirectRelErr|'),
  inputWarnings: inputWarningsSchema,
  seconds: z.number().optional().describe('wall time, only with --timing (it is the one field that varies run to run)'),
});

export type FitReport = z.infer<typeof fitReportSchema>;
