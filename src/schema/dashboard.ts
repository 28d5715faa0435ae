import { z } from 'zod';

/**
 * The study file `scalewise serve STUDY.json` opens: which run tables, how their columns map, the skills,
 * and where the dashboard starts. Paths are relative to the study file.
 */
export const dashboardStudySchema = z.strictObject({
  title: z.string().optional().describe('shown above the figure; default the study file name'),
  files: z.array(z.string()).min(1).describe('run tables (.csv, .tsv, .json, .jsonl, .ndjson, .parquet), stacked'),
  params: z.string().default('params').describe('column with parameters N'),
  tokens: z.string().optional().describe('column with training tokens D'),
  flops: z.string().optional().describe('column with training compute C; default 6·N·D'),
  group: z.string().optional().describe('analyse one value of this column (a datamix) at a time'),
  groupValue: z.string().optional().describe('the group shown first'),
  skills: z.record(z.string(), z.array(z.string()).min(1)).describe('skill name → loss columns, averaged with equal weights'),
  method: z.enum(['parabola', 'akima']).default('parabola'),
  mix: z.record(z.string(), z.number().min(0)).optional().describe('initial weight per skill (normalised); default equal'),
});

export type DashboardStudy = z.infer<typeof dashboardStudySchema>;
