import { UserError } from '../errors.js';

/**
 * Krajewski et al. (2025, arXiv 2512.08894, eq. 1): at a fixed token-to-parameter ratio, accuracy Q follows
 * −log Q = A·C^(−α) in training compute C. Taking logs once more makes it a line,
 * log(−log Q) = log A − α·log C, fitted here by ordinary least squares (weighted by `weights`, a bootstrap's counts).
 */
export interface DirectAccuracyFit {
  formula: string;
  params: { A: number; alpha: number };
  /** Runs fitted. */
  n: number;
}

export const DIRECT_FORMULA = '-log Acc = A*C^-alpha';

/** The least-squares line through (log C, log(−log Q)); every Q must lie in (0, 1). */
export function fitDirectAccuracy(C: ArrayLike<number>, accuracy: ArrayLike<number>, weights?: ArrayLike<number>): DirectAccuracyFit {
  const n = C.length;
  if (n < 2) throw new UserError(`the direct accuracy law -log Acc = A*C^-alpha needs at least 2 runs; got ${n}`);
  let sw = 0,
    sx = 0,
    sy = 0;
  const x = new Float64Array(n),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = accuracy[i]!;
    if (!(q > 0 && q < 1)) throw new RangeError(`direct accuracy law: accuracy ${q} is not in (0, 1)`);
    x[i] = Math.log(C[i]!);
    y[i] = Math.log(-Math.log(q));
    const w = weights ? weights[i]! : 1;
    sw += w;
    sx += w * x[i]!;
    sy += w * y[i]!;
  }
  const mx = sx / sw,
    my = sy / sw;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    sxx += w * (x[i]! - mx) ** 2;
    sxy += w * (x[i]! - mx) * (y[i]! - my);
  }
  // All runs at one compute: the slope is not identified.
  if (!(sxx > 0)) throw new UserError('the direct accuracy law needs runs at more than one compute budget');
  const slope = sxy / sxx;
  return { formula: DIRECT_FORMULA, params: { A: Math.exp(my - slope * mx), alpha: -slope }, n };
}

/** Q(C) = exp(−A·C^(−α)). */
export function predictDirectAccuracy(p: { A: number; alpha: number }, C: number): number {
  return Math.exp(-p.A * C ** -p.alpha);
}
