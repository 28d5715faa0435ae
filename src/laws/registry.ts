import { UserError } from '../errors.js';
import { chinchilla } from './chinchilla.js';
import { dataConstrained } from './data-constrained.js';
import { formulaLaw } from './formula/law.js';
import { kaplan } from './kaplan.js';
import type { Law } from './law.js';
import { overtrain } from './overtrain.js';

/** Every law the CLI can fit, by name. New laws register here. */
export const laws: Record<string, Law<unknown>> = { chinchilla, kaplan, overtrain, 'data-constrained': dataConstrained };

/** A law name is one word (`kaplan`, `data-constrained`); anything else is a formula (`E + A*N^-alpha`). */
const LAW_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** True when `name` is a formula rather than the name of a built-in law. */
export function isFormula(name: string): boolean {
  return !Object.hasOwn(laws, name) && !LAW_NAME.test(name.trim());
}

/**
 * The law of this name, or the law of this formula (src/laws/formula/law.ts), with its default starts. A
 * formula's errors point at the position of the mistake.
 */
export function lawByName(name: string): Law<unknown> {
  const law = Object.hasOwn(laws, name) ? laws[name] : undefined;
  if (law) return law;
  if (isFormula(name)) return formulaLaw(name) as Law<unknown>;
  throw new UserError(`unknown law "${name}" (known: ${Object.keys(laws).join(', ')})`);
}
