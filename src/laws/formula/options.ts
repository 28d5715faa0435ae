import { numericColumn } from '../../data/columns.js';
import type { Table } from '../../data/table.js';
import { optionRef, UserError, withPrefix } from '../../errors.js';
import { editDistance } from '../../format/edit-distance.js';
import type { Law } from '../law.js';
import { isFormula, lawByName } from '../registry.js';
import { formulaLaw, type FormulaLaw } from './law.js';

/**
 * `--start NAME=V1,V2,…` items as the option gives them (split at commas: `alpha=0.1`, `0.5`), grouped by
 * constant: a value without a name belongs to the name before it.
 */
export function parseStarts(items: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  let current: string | undefined;
  for (const raw of items.flatMap((v) => v.split(','))) {
    const item = raw.trim();
    const where = `${optionRef('start')} "${item}": `;
    const m = /^([^=\s]+)\s*=\s*(.*)$/.exec(item);
    if (m) {
      current = m[1]!;
      if (current in out) throw new UserError(`${where}${current} already has starts`);
      out[current] = [];
    } else if (current === undefined) throw new UserError(`${where}expected NAME=VALUE (e.g. alpha=0.3 or alpha=0.1,0.5)`);
    const text = m ? m[2]!.trim() : item;
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) throw new UserError(`${where}"${text}" is not a finite number`);
    out[current!]!.push(value);
  }
  return out;
}

/** The formula law of `--law` with `--start`, or undefined when `--law` names a built-in law (which takes no `--start`). */
export function formulaStarts(name: string, start: readonly string[] | undefined): { law: FormulaLaw } | undefined {
  if (!isFormula(name)) {
    if (start && start.length > 0) throw new UserError(`${optionRef('start')} needs a formula ${optionRef('law')} (the ${name} law has its own start grid)`);
    return undefined;
  }
  let bare: FormulaLaw;
  try {
    bare = formulaLaw(name);
  } catch (err) {
    throw withPrefix(`${optionRef('law')}: `, err);
  }
  const starts = parseStarts(start ?? []);
  if (Object.keys(starts).length === 0) return { law: bare };
  // Names are checked against the formula's constants by formulaLaw, whose message names --start.
  return { law: formulaLaw(name, { starts }) };
}

/** The law `--law` names, or its formula's law with the `--start` values; a formula's errors are prefixed with the option. */
export function lawOf(name: string, start?: readonly string[]): Law<unknown> {
  const formula = formulaStarts(name, start);
  return formula ? (formula.law as Law<unknown>) : lawByName(name);
}

/**
 * The law of a saved fit: the named law, or the formula's with each constant on the scale the fit's θ names
 * give (`log_E` in log space, `E` as it is), so a θ fitted from a start ≤ 0 is read as it was fitted.
 */
export function savedFitLaw(name: string, thetaNames: readonly string[]): Law<unknown> {
  if (!isFormula(name)) return lawByName(name);
  // A constant fitted in log space is named log_K in θ; one fitted as it is, K.
  return formulaLaw(name, { linear: thetaNames }) as Law<unknown>;
}

/** The columns a formula reads, from the table's rows; a column the table lacks names the nearest ones it has. */
export function formulaColumns(law: FormulaLaw, table: Table): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of law.columns) {
    if (!table.columns.includes(name)) {
      const nearest = [...table.columns].sort((a, b) => distance(name, a) - distance(name, b) || a.localeCompare(b)).slice(0, 3);
      throw new UserError(`${optionRef('law')}: the formula reads the column \`${name}\`, which the table does not have (nearest: ${nearest.join(', ')})`);
    }
    out[name] = numericColumn(table, name);
  }
  return out;
}

/** Levenshtein distance, case-insensitive: how far a misspelt column name is from each real one. */
function distance(a: string, b: string): number {
  return editDistance(a.toLowerCase(), b.toLowerCase());
}
