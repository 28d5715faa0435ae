// Synthetic IsoFLOP sweeps with a known truth, shared by the backtest, calibration and selection tests.
import { concatTables, type Table } from '../../src/data/table.js';
import { Random } from '../../src/stats/random.js';

/** Hoffmann et al.'s constants (E 1.69, A 406.4, B 410.7, α 0.34, β 0.28): a truth in the Chinchilla family. */
export const chinchillaTruth = (N: number, D: number) => 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;
/** A Kaplan-form truth (Brandfonbrener et al.'s form): outside the Chinchilla family. */
export const kaplanTruth = (N: number, D: number) => 1.8 + ((8.8e6 / N) ** (0.34 / 0.28) + 5.4e8 / D) ** 0.28;

export interface SweepShape {
  /** Budgets, `ratio` apart from 1e18 FLOP. */
  budgets: number;
  ratio: number;
  /** Sizes per budget, `sizeRatio` apart around `baseN`·ratio^(b/2). */
  sizes: number;
  sizeRatio: number;
  baseN: number;
  /** Log-normal noise sd of the loss (0: exact) and its seed. */
  sigma?: number;
  seed?: number;
}

/** 6 budgets 2× apart, 7 sizes 1.6× apart: small and exact. */
export const SMALL: SweepShape = { budgets: 6, ratio: 2, sizes: 7, sizeRatio: 1.6, baseN: 2e7 };
/** 9 budgets 2.2× apart (the 529-run sweep's spacing), 9 sizes 1.5× apart. */
export const WIDE: SweepShape = { budgets: 9, ratio: 2.2, sizes: 9, sizeRatio: 1.5, baseN: 3e7 };

/** An IsoFLOP sweep (D = C/(6N)) with columns N, D, C, loss, the loss from `truth`. */
export function sweep(truth: (N: number, D: number) => number, shape: SweepShape = SMALL): Table {
  const rng = new Random(shape.seed ?? 0, 0);
  const rows = [];
  for (let b = 0; b < shape.budgets; b++) {
    const C = 1e18 * shape.ratio ** b;
    for (let s = 0; s < shape.sizes; s++) {
      const N = shape.baseN * shape.ratio ** (b / 2) * shape.sizeRatio ** (s - (shape.sizes - 1) / 2);
      const D = C / (6 * N);
      const loss = truth(N, D) * (shape.sigma ? Math.exp(shape.sigma * rng.normal()) : 1);
      rows.push({ origin: { file: 'sweep.csv', row: rows.length + 1 }, values: { N, D, C, loss } });
    }
  }
  return concatTables([{ columns: ['N', 'D', 'C', 'loss'], rows }]);
}

/** The sweep as CSV text. */
export function sweepCsv(truth: (N: number, D: number) => number, shape: SweepShape = SMALL): string {
  const t = sweep(truth, shape);
  return `${['N,D,C,loss', ...t.rows.map((r) => `${r.values.N},${r.values.D},${r.values.C},${r.values.loss}`)].join('\n')}\n`;
}
