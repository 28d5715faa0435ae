/**
 * The study file (zod), derived from the analyses' option declarations: a study names run tables, how to
 * read them, and analyses with their options as camelCase keys; `scalewise report` runs them all. Unknown
 * keys are errors. Paths in a study are data paths and nothing else: a data entry cannot be an option.
 */
import { z } from 'zod';
import type { OptionSpec, OptionSpecs, StudyType } from '../options/option.js';
import { analyses, studyKinds } from '../present/registry.js';

/** A path to a table or file; never something that could read as an option. */
const dataPath = z.string().superRefine((s, ctx) => {
  if (s.startsWith('-')) ctx.addIssue({ code: 'custom', message: `"${s}" is not a data file name (it starts with "-")` });
  if (s.trim() === '') ctx.addIssue({ code: 'custom', message: 'empty file name' });
});

/** Counts and seeds are 32-bit, as on the CLI (`MAX_COUNT` in src/cli/options.ts): a seed is a 32-bit word. */
const maxCount = 2 ** 32 - 1;

/** The zod type of one option's value in a study. */
export function studyValueSchema(spec: OptionSpec): z.ZodType {
  const withDoc = (t: z.ZodType) => t.describe(spec.doc);
  switch (spec.kind) {
    case 'number':
      return withDoc(spec.positive ? z.number().positive() : spec.nonNegative ? z.number().nonnegative() : z.number());
    case 'count':
      return withDoc(spec.all ? z.union([z.number().int().nonnegative().max(maxCount), z.literal('all')]) : z.number().int().nonnegative().max(maxCount));
    case 'text':
      return withDoc(spec.path ? dataPath : z.string());
    case 'choice':
      return withDoc(z.enum(spec.values as [string, ...string[]]));
    case 'switch':
      return withDoc(z.boolean());
    case 'numbers':
      return withDoc(z.array(z.number().positive()).min(1));
    case 'names':
      return withDoc(z.union([z.array(z.string()).min(1), z.string()]));
    case 'conditions':
      return withDoc(z.array(z.string()).min(1));
    case 'custom':
      return withDoc(fromStudyType(spec.studyType));
  }
}

function fromStudyType(t: StudyType): z.ZodType {
  switch (t.type) {
    case 'string':
      return z.string();
    case 'number':
      return t.nonNegative ? z.number().nonnegative() : z.number();
    case 'array':
      return z.array(fromStudyType(t.of)).min(t.min ?? 0);
    case 'record':
      return z.record(z.string(), fromStudyType(t.of));
    case 'union':
      return z.union(t.of.map(fromStudyType) as unknown as [z.ZodType, z.ZodType]);
  }
}

/** `columns`: which columns hold N, D, C and the loss (an analysis without a loss option ignores `loss`). */
const columnsSchema = z
  .object({
    params: z.string().optional().describe('column with the parameter count N (default "params")'),
    tokens: z.string().optional().describe('column with training tokens D'),
    flops: z.string().optional().describe('column with training compute C in FLOP (default 6·N·D)'),
    loss: z.string().optional().describe('column with the loss (fit, isoflop; default "loss")'),
  })
  .strict();

/** Keys every analysis of a study has besides its options. */
const sectionKeys = {
  title: z.string().optional().describe('section heading in the report (default: the kind and a number)'),
  data: z
    .array(dataPath)
    .min(1)
    .optional()
    .describe("run tables for this analysis instead of the study's, relative to the study file; the study's columns and where then do not apply"),
  columns: columnsSchema.optional().describe("column names for this analysis, over the study's"),
  where: z.array(z.string()).optional().describe("more row conditions, ANDed with the study's"),
};

/** The study keys of an analysis's options (those a study holds under `columns` and `where` excepted). */
export function studyOptionSchemas(specs: OptionSpecs): Record<string, z.ZodType> {
  return Object.fromEntries(
    Object.entries(specs)
      .filter(([, s]) => s.study === undefined)
      .flatMap(([k, s]) => [
        [k, s.required ? studyValueSchema(s) : studyValueSchema(s).optional()],
        // Former keys are still read, with a notice (see studyOptions).
        ...(s.deprecated ?? []).map((old) => [old, studyValueSchema(s).optional()]),
      ]),
  );
}

/** A `fit` entry of the same study: its position in `analyses` (from 0) or its title. */
const entryRef = z.union([z.number().int().nonnegative(), z.string().min(1)]);

/** Keys only one kind has besides its options: a plan plans from fit entries of the study (src/report/study-plan.ts). */
const kindKeys: Partial<Record<(typeof studyKinds)[number], z.ZodRawShape>> = {
  plan: {
    from: z
      .union([entryRef, z.array(entryRef).min(1)])
      .optional()
      .describe(
        'fit entries of this study to plan from, by position (from 0) or title: one plan per fit (per entry, in this order, before any saved fit files)',
      ),
  },
};

const analysisSchemas = studyKinds.map((kind) =>
  z.object({ kind: z.literal(kind), ...sectionKeys, ...kindKeys[kind], ...studyOptionSchemas(analyses[kind].analysis.options) }).strict(),
);

export const analysisSchema = z.discriminatedUnion(
  'kind',
  analysisSchemas as unknown as [(typeof analysisSchemas)[number], ...(typeof analysisSchemas)[number][]],
);

export const studySchema = z
  .object({
    title: z.string().describe("the report's title"),
    description: z.string().optional().describe('a paragraph under the title: what the runs are, what is asked'),
    data: z.array(dataPath).min(1).describe('run tables (csv, tsv, json, jsonl, parquet), stacked'),
    columns: columnsSchema.optional(),
    where: z.array(z.string()).optional().describe('row conditions applied to every analysis'),
    analyses: z.array(analysisSchema).min(1),
  })
  .strict();

/** One analysis of a study: its kind, section keys and options (values as JSON gives them). */
export interface StudyAnalysis {
  kind: (typeof studyKinds)[number];
  title?: string;
  data?: string[];
  columns?: z.infer<typeof columnsSchema>;
  where?: string[];
  [option: string]: unknown;
}

export interface Study {
  title: string;
  description?: string;
  data: string[];
  columns?: z.infer<typeof columnsSchema>;
  where?: string[];
  analyses: StudyAnalysis[];
}
