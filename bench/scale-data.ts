// Synthetic checkpoint-scale run tables for `npm run bench:scale` and the scale tests: IsoFLOP runs (budgets ×
// sizes), each logged at `checkpoints` points of its compute, so one table holds many rows per run. The
// checkpoints of every run of a budget sit at the same fractions of its compute, so the rows at one C across
// sizes form an IsoFLOP curve of their own, as a checkpoint sweep with a constant-LR schedule gives.
import { Random } from '../src/stats/random.js';

/** Hoffmann et al.'s constants for the main loss; a second validation set shifted and scaled (for l2l). */
const truth = (N: number, D: number) => 1.69 + 406.4 / N ** 0.34 + 410.7 / D ** 0.28;
/** Per-skill losses: knowledge capacity-hungry (larger A), code data-hungry (larger B). */
const skillTruth = (N: number, D: number, capacity: number, data: number, E: number) => E + (capacity * 406.4) / N ** 0.34 + (data * 410.7) / D ** 0.28;

export const scaleColumns = ['run', 'N', 'D', 'C', 'budget', 'loss', 'loss_b', 'know_1', 'know_2', 'code_1', 'code_2'] as const;

/** Budgets and sizes of the runs; the checkpoints per run follow from the row count. */
export interface ScaleShape {
  rows: number;
  budgets?: number;
  sizes?: number;
  /** Log-normal noise sd of every loss. Default 0.005. */
  sigma?: number;
  seed?: number;
}

/**
 * Rows of the table as columns of numbers (one entry per row), in run order, checkpoints ascending:
 * budgets 4× apart from 1e18 FLOP, sizes 1.6× apart around N*(C) ≈ 0.1·√C.
 */
export function scaleTable(shape: ScaleShape): Record<(typeof scaleColumns)[number], Float64Array> {
  const budgets = shape.budgets ?? 8,
    sizes = shape.sizes ?? 9;
  const runs = budgets * sizes;
  const checkpoints = Math.max(1, Math.ceil(shape.rows / runs));
  const n = shape.rows;
  const out = Object.fromEntries(scaleColumns.map((c) => [c, new Float64Array(n)])) as Record<(typeof scaleColumns)[number], Float64Array>;
  const rng = new Random(shape.seed ?? 0, 0);
  const sigma = shape.sigma ?? 0.005;
  const noise = () => Math.exp(sigma * rng.normal());
  let i = 0;
  for (let r = 0; r < runs && i < n; r++) {
    const b = Math.floor(r / sizes),
      s = r % sizes;
    const budget = 1e18 * 4 ** b;
    const N = Math.round(0.1 * Math.sqrt(budget) * 1.6 ** (s - (sizes - 1) / 2));
    for (let t = 1; t <= checkpoints && i < n; t++, i++) {
      // Checkpoints from 20% to 100% of the budget: early ones are far from converged and far off the optimum.
      const C = budget * (0.2 + (0.8 * t) / checkpoints);
      const D = C / (6 * N);
      out.run[i] = r;
      out.N[i] = N;
      out.D[i] = D;
      out.C[i] = C;
      out.budget[i] = budget;
      out.loss[i] = truth(N, D) * noise();
      out.loss_b[i] = (0.8 * (truth(N, D) - 1.69) ** 1.1 + 1.1) * noise();
      out.know_1[i] = skillTruth(N, D, 1.3, 0.8, 1.2) * noise();
      out.know_2[i] = skillTruth(N, D, 1.2, 0.9, 1.4) * noise();
      out.code_1[i] = skillTruth(N, D, 0.7, 1.4, 0.9) * noise();
      out.code_2[i] = skillTruth(N, D, 0.8, 1.3, 1.0) * noise();
    }
  }
  return out;
}

/** The table as CSV text, numbers written as JavaScript prints them (round-trip exact). */
export function scaleCsv(shape: ScaleShape): string {
  const t = scaleTable(shape);
  const lines = [scaleColumns.join(',')];
  for (let i = 0; i < shape.rows; i++) lines.push(scaleColumns.map((c) => t[c][i]).join(','));
  return `${lines.join('\n')}\n`;
}
