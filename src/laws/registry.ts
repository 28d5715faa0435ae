import { UserError } from '../errors.js';
import { chinchilla } from './chinchilla.js';
import { dataConstrained } from './data-constrained.js';
import { kaplan } from './kaplan.js';
import type { Law } from './law.js';
import { overtrain } from './overtrain.js';

/** Every law the CLI can fit, by name. New laws register here. */
export const laws: Record<string, Law<unknown>> = { chinchilla, kaplan, overtrain, 'data-constrained': dataConstrained };

export function lawByName(name: string): Law<unknown> {
  const law = laws[name];
  if (!law) throw new UserError(`unknown law "${name}" (known: ${Object.keys(laws).join(', ')})`);
  return law;
}
