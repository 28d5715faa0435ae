import { z } from 'zod';
import { warningCodes, type WarningCode } from '../warnings.js';

/** A warning in a JSON document: a stable code (see docs/warnings.md) and the message a person reads. */
export const warningSchema = z
  .object({
    code: z.enum(Object.keys(warningCodes) as [WarningCode, ...WarningCode[]]).describe('stable code of the warning (docs/warnings.md)'),
    message: z.string().describe('the warning as the text output prints it'),
  })
  .strict();

export const warningsSchema = z.array(warningSchema).describe('reasons not to trust the numbers (empty when none)');

/** Warnings about the input an analysis read (a FLOP column off the 6·N·D convention): present only when there are some. */
export const inputWarningsSchema = warningsSchema.optional().describe('warnings about the input table (flops-convention), only when there are some');

/** With --run: the checkpoint warnings, and with --at-budgets how many runs' curves reach each budget. */
export const checkpointsSchema = z
  .object({
    reached: z
      .array(z.object({ C: z.number(), runs: z.number().int() }).strict())
      .optional()
      .describe('with --at-budgets: each budget and the runs whose curve reaches it'),
    warnings: warningsSchema,
  })
  .strict()
  .optional()
  .describe('with --run only');
