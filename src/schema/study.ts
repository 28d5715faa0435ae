import { z } from 'zod';

/** Columns of the run tables, as the commands' `--params`, `--tokens`, `--flops`, `--loss` name them. */
const columns = z
  .object({
    params: z.string().optional().describe('column with the parameter count N (default "params")'),
    tokens: z.string().optional().describe('column with training tokens D'),
    flops: z.string().optional().describe('column with training compute C in FLOP (default 6·N·D)'),
    loss: z.string().optional().describe('column with the loss (fit, isoflop; default "loss")'),
  })
  .strict();

/** What every analysis may add to or override from the study's top level. */
const common = {
  title: z.string().optional().describe('section heading in the report (default: the kind and a number)'),
  data: z.array(z.string()).min(1).optional().describe('run tables for this analysis instead of the study\'s, relative to the study file; the study\'s columns and where then do not apply'),
  columns: columns.optional().describe('column names for this analysis, over the study\'s'),
  where: z.array(z.string()).optional().describe('more --where filters, ANDed with the study\'s'),
};

const count = z.number().int().nonnegative();
const positive = z.number().positive();

/** The IsoFLOP options `isoflop` and `skills` share (flags of the same names). */
const isoflopOptions = {
  method: z.enum(['parabola', 'akima']).optional().describe('--method'),
  group: z.string().optional().describe('--group COL: the analysis per value of this column'),
  bootstrap: count.optional().describe('--bootstrap B: intervals by resampling runs within each budget'),
  noise: positive.optional().describe('--noise SIGMA: intervals by Porian et al.\'s noise draws'),
  draws: count.optional().describe('--draws K with noise'),
  seed: count.optional().describe('--seed'),
  budgetTolerance: positive.optional().describe('--budget-tolerance'),
};

/** Conditions `COL=VALUE`, `COL<VALUE`, … as --where takes them; each becomes one repeated flag. */
const conditions = (flag: string) => z.array(z.string()).min(1).optional().describe(`${flag}, once per condition (ANDed)`);

/** Fit and target runs of a backtest (`fit` and `l2l`). */
const selectionOptions = {
  fitWhere: conditions('--fit-where'),
  targetWhere: conditions('--target-where'),
  holdoutTop: count.optional().describe('--holdout-top K: hold the K largest budgets out of the fit and forecast them'),
};

export const fitAnalysisSchema = z
  .object({
    kind: z.literal('fit'),
    ...common,
    law: z.string().optional().describe('--law: chinchilla | kaplan'),
    objective: z.string().optional().describe('--objective: huber | mse | asym'),
    delta: positive.optional().describe('--delta'),
    asymWeight: positive.optional().describe('--asym-weight'),
    grid: z.string().optional().describe('--grid: default | hoffmann'),
    screen: z.union([count, z.literal('all')]).optional().describe('--screen'),
    bootstrap: count.optional().describe('--bootstrap B resamples'),
    bootstrapGrid: z.boolean().optional().describe('--bootstrap-grid'),
    seed: count.optional().describe('--seed'),
    budget: z.array(positive).min(1).optional().describe('--budget: compute budgets (FLOP) for the allocation table'),
    ...selectionOptions,
    error: z.string().optional().describe('--error COL: downstream error column; fits an error law and scores targets on it'),
    errorFitWhere: conditions('--error-fit-where'),
    link: z.enum(['exp', 'sigmoid']).optional().describe('--link of the error law'),
    errorFile: z.string().optional().describe('--error-file: long-format file of --error per run and task, relative to the study file'),
    join: z.string().optional().describe('--join COL with errorFile'),
    taskColumn: z.string().optional().describe('--task-column with errorFile'),
    tasks: z
      .union([z.array(z.string()).min(1), z.string()])
      .optional()
      .describe('--tasks with errorFile: task names, or a file with one per line (relative to the study file)'),
  })
  .strict();

export const l2lAnalysisSchema = z
  .object({
    kind: z.literal('l2l'),
    ...common,
    x: z.string().describe('--x COL: the loss predicted from'),
    y: z.string().describe('--y COL: the loss predicted'),
    xWhere: conditions('--x-where'),
    yWhere: conditions('--y-where'),
    pairOn: z.array(z.string()).min(1).optional().describe('--pair-on: columns that join x rows to y rows'),
    ex: z.number().nonnegative().optional().describe('--ex: E_x given'),
    ey: z.number().nonnegative().optional().describe('--ey: E_y given'),
    eLaw: z.enum(['kaplan', 'chinchilla']).optional().describe('--e-law: L(N, D) law whose E is used'),
    refitE: z.boolean().optional().describe('--refit-e'),
    compareBy: z.array(z.string()).min(1).optional().describe('--compare-by: one line per value of these columns'),
    bootstrap: count.optional().describe('--bootstrap B (0: no intervals)'),
    seed: count.optional().describe('--seed'),
    ...selectionOptions,
  })
  .strict();

export const isoflopAnalysisSchema = z.object({ kind: z.literal('isoflop'), ...common, ...isoflopOptions }).strict();

export const skillsAnalysisSchema = z
  .object({
    kind: z.literal('skills'),
    ...common,
    ...isoflopOptions,
    skills: z
      .record(z.string(), z.union([z.array(z.string()).min(1), z.record(z.string(), z.number().nonnegative())]))
      .describe('skill name → its loss columns (equal weights), or column → weight (--skill NAME=COL[:W],...)'),
    aggregate: z.string().describe('--aggregate: a column, or one of the skills'),
    mix: z.array(z.string()).min(2).optional().describe('--mix: skills to mix into validation sets'),
    steps: count.optional().describe('--steps of the mix grid'),
    pooled: z.boolean().optional().describe('false: --no-pooled'),
  })
  .strict();

export const analysisSchema = z.discriminatedUnion('kind', [fitAnalysisSchema, isoflopAnalysisSchema, skillsAnalysisSchema, l2lAnalysisSchema]);

/**
 * A study: the run tables, how to read them, and the analyses to run on them; `scalewise report` runs every
 * analysis and writes one self-contained HTML page. Paths are relative to the study file's folder.
 */
export const studySchema = z
  .object({
    title: z.string().describe('the report\'s title'),
    description: z.string().optional().describe('a paragraph under the title: what the runs are, what is asked'),
    data: z.array(z.string()).min(1).describe('run tables (csv, tsv, json, jsonl, parquet), stacked'),
    columns: columns.optional(),
    where: z.array(z.string()).optional().describe('--where filters applied to every analysis'),
    analyses: z.array(analysisSchema).min(1),
  })
  .strict();

export type Study = z.infer<typeof studySchema>;
export type StudyAnalysis = z.infer<typeof analysisSchema>;
