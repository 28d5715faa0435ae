/**
 * A run's nominal budget read from its name: ladders name runs by their budget (`olmo_1e19_190m`, `c=3e20-n=1b`,
 * `budget_6.0E+18`). The first number written in scientific notation in the text is the budget; no pattern of
 * the user's is run (a regular expression from a study file could take exponential time).
 */
const SCIENTIFIC = /(?<![\d.])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![\d.])/;

/** The budget in `text`, or NaN when it holds no number in scientific notation. */
export function budgetInName(text: string): number {
  const m = SCIENTIFIC.exec(text);
  return m ? Number(`${m[1]}e${m[2]}`) : Number.NaN;
}
