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
