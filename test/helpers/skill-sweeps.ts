// Synthetic datamix sweeps for the skills tests: per group a skill with a known Chinchilla law (its exponent
// a = β/(α+β) set per group), IsoFLOP runs at 8 doubling budgets whose sizes are the same in every group (so
// the groups share configurations and their draws pair), and Gaussian task-loss noise.
import { concatTables, type Table } from '../../src/data/table.js';
import { Random } from '../../src/stats/random.js';

/** A Chinchilla law L = E + A/N^α + B/D^β. */
export type Law = { E: number; A: number; B: number; alpha: number; beta: number };

/** Compute-optimal N at budget C (Hoffmann et al. 2022, eq. 4); its exponent is β/(α+β). */
export const nOpt = (l: Law, C: number) => Math.pow((l.alpha * l.A) / (l.beta * l.B), 1 / (l.alpha + l.beta)) * Math.pow(C / 6, l.beta / (l.alpha + l.beta));

export const AGGREGATE: Law = { E: 1.8, A: 400, B: 400, alpha: 0.33, beta: 0.33 };
/** The budget where every law of {@link lawWithExponent} has the aggregate's N* (the sweep's middle). */
export const C_MID = 1.13e19;

/** A law with exponent a (α + β = 0.66) whose N* equals `factor` × the aggregate's at C_MID. */
export function lawWithExponent(a: number, factor = 1): Law {
  const alpha = 0.66 * (1 - a),
    beta = 0.66 * a,
    A = 400;
  const G = (factor * nOpt(AGGREGATE, C_MID)) / Math.pow(C_MID / 6, a);
  return { E: 1.5, A, alpha, beta, B: (alpha * A) / (beta * Math.pow(G, alpha + beta)) };
}

export const BUDGETS = Array.from({ length: 8 }, (_, i) => 1e18 * 2 ** i);

/**
 * One table: per group, IsoFLOP runs (11 sizes from N*_agg/4 to 4·N*_agg at each budget, the same in every
 * group unless `sizeShift` moves a group's) with columns group, N, D, C, agg and one column per entry of `laws(group)`, each law plus N(0, σ²) noise.
 */
export function datamixTable(
  groups: string[],
  laws: (group: string) => Record<string, Law>,
  sigma: number,
  seed: number,
  /** Per group, a factor on every size (default 1: the groups share their configurations). */
  sizeShift: (group: string) => number = () => 1,
): Table {
  const rng = new Random(seed, 11);
  const rows: Table['rows'] = [];
  let columns: string[] = [];
  for (const group of groups) {
    const ls = { agg: AGGREGATE, ...laws(group) };
    columns = ['group', 'N', 'D', 'C', ...Object.keys(ls)];
    for (const C of BUDGETS)
      for (let j = 0; j < 11; j++) {
        const N = sizeShift(group) * (nOpt(AGGREGATE, C) / 4) * Math.pow(16, j / 10);
        const D = C / (6 * N);
        const values: Record<string, string | number> = { group, N, D, C };
        for (const [k, l] of Object.entries(ls)) values[k] = l.E + l.A / N ** l.alpha + l.B / D ** l.beta + sigma * rng.normal();
        rows.push({ origin: { file: 'sweep.csv', row: rows.length + 1 }, values });
      }
  }
  return concatTables([{ columns, rows }]);
}
