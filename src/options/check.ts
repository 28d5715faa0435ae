/**
 * Checks typed option values against their declaration: what the CLI's parser and the study schema check
 * for their own input, for values a library caller passes. Messages name options through optionRef.
 */
import { optionRef, UserError } from '../errors.js';
import type { OptionSpec, OptionSpecs } from './option.js';

/** Counts and seeds are 32-bit (the CLI's parser says the same). */
export const MAX_COUNT = 2 ** 32 - 1;

export function checkOptions(specs: OptionSpecs, values: Record<string, unknown>): void {
  for (const [key, spec] of Object.entries(specs)) {
    const v = values[key];
    // A missing required option is the pipeline's to report, in its own words (`give --x COL and --y COL: …`).
    if (v === undefined) continue;
    const problem = problemOf(spec, v);
    if (problem) throw new UserError(`${optionRef(key)} ${JSON.stringify(v) ?? String(v)}: ${problem}`);
  }
  for (const key of Object.keys(values))
    if (!(key in specs) && values[key] !== undefined) throw new UserError(`unknown option ${JSON.stringify(key)} (known: ${Object.keys(specs).join(', ')})`);
}

function problemOf(spec: OptionSpec, v: unknown): string | undefined {
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  switch (spec.kind) {
    case 'number':
      if (!finite(v)) return 'expected a finite number';
      if (spec.positive && !(v > 0)) return 'expected a positive number';
      if (spec.nonNegative && !(v >= 0)) return 'expected a number >= 0';
      return;
    case 'count':
      if (spec.all && v === Infinity) return;
      if (!(finite(v) && Number.isSafeInteger(v) && v >= 0)) return 'expected a whole number >= 0';
      // As the CLI: a seed enters the generator as a 32-bit word, and a larger one would be taken modulo 2^32.
      return v <= MAX_COUNT ? undefined : `at most ${MAX_COUNT} (counts and seeds are 32-bit)`;
    case 'choice':
      return typeof v === 'string' && spec.values.includes(v) ? undefined : `unknown ${spec.noun} (known: ${spec.values.join(', ')})`;
    case 'text':
      return typeof v === 'string' ? undefined : 'expected text';
    case 'switch':
      return typeof v === 'boolean' ? undefined : 'expected true or false';
    case 'numbers':
      return Array.isArray(v) && v.length > 0 && v.every((x) => finite(x) && x > 0) ? undefined : 'expected a list of positive numbers';
    case 'names':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'expected a list of names';
    case 'conditions':
      return Array.isArray(v) && v.every((f) => f && typeof f === 'object' && typeof f.column === 'string' && typeof f.op === 'string')
        ? undefined
        : 'expected a list of conditions (parseFilter("COL=VALUE"))';
    case 'custom':
      return;
  }
}
