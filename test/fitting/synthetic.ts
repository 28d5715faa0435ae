// Synthetic runs from a Chinchilla law with known constants, on an IsoFLOP-style grid: the truth a fit
// control must recover.
import type { Runs } from '../../src/data/runs.js';
import { chinchilla } from '../../src/laws/chinchilla.js';
import type { ChinchillaConstants } from '../../src/laws/law.js';

/** Hoffmann et al.'s fitted constants, the truth of most tests here. */
export const truth: ChinchillaConstants = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };

/** Budgets 1e18 … 1e21 (half-decades), 9 model sizes each around the budget's optimum, D = C/(6N). */
export function isoflopGrid(): { N: number[]; D: number[] } {
  const N: number[] = [],
    D: number[] = [];
  for (let k = 0; k <= 6; k++) {
    const C = 1e18 * Math.pow(10, k / 2);
    const center = 0.1 * Math.sqrt(C / 6);
    for (let j = -4; j <= 4; j++) {
      const n = center * Math.pow(10, j / 4);
      N.push(n);
      D.push(C / (6 * n));
    }
  }
  return { N, D };
}

/** Runs at (N, D) with the law's loss, times (1 + noise·z) for a fixed pseudo-random z ∈ [−1, 1]. */
export function chinchillaRuns(c: ChinchillaConstants, grid = isoflopGrid(), noise = 0): Runs {
  const { N, D } = grid;
  let s = 12345;
  const z = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (2 * s) / 2147483648 - 1;
  };
  const loss = N.map((n, i) => (c.E + c.A / Math.pow(n, c.alpha) + c.B / Math.pow(D[i]!, c.beta)) * (1 + noise * z()));
  return {
    N: Float64Array.from(N),
    D: Float64Array.from(D),
    C: Float64Array.from(N, (n, i) => 6 * n * D[i]!),
    loss: Float64Array.from(loss),
    origin: N.map((_, i) => ({ file: 'synthetic', row: i + 1 })),
  };
}

/** The runs as CSV text (columns N, D, loss and any extra columns given per run). */
export function runsCsv(runs: Runs, extra: Record<string, ArrayLike<number>> = {}): string {
  const cols = Object.keys(extra);
  const lines = [['N', 'D', 'loss', ...cols].join(',')];
  for (let i = 0; i < runs.N.length; i++) lines.push([runs.N[i], runs.D[i], runs.loss[i], ...cols.map((k) => extra[k]![i])].join(','));
  return `${lines.join('\n')}\n`;
}

export { chinchilla };
