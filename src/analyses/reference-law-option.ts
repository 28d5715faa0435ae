/** `--reference-law`: a published compute-optimal law by name (`llama3`) or by its constants (`D=K*C^B`). */
import { optionRef, UserError } from '../errors.js';
import { LLAMA3, type ReferenceLaw } from '../methods/reference-law.js';

const NUMBER = '([0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?)';
const CONSTANTS = new RegExp(`^D\\s*=\\s*${NUMBER}\\s*\\*\\s*C\\s*\\^\\s*${NUMBER}$`);

export function referenceLawOf(text: string): ReferenceLaw {
  const t = text.trim();
  if (t.toLowerCase() === LLAMA3.name) return LLAMA3;
  const m = CONSTANTS.exec(t);
  if (!m) throw new UserError(`${optionRef('referenceLaw')} "${text}": expected llama3 or D=K*C^B (tokens D*(C) = K·C^B, e.g. D=0.29*C^0.53)`);
  const K = Number(m[1]),
    B = Number(m[2]);
  if (!(K > 0)) throw new UserError(`${optionRef('referenceLaw')} "${text}": K must be > 0`);
  return { name: `D=${K}*C^${B}`, K, B };
}
