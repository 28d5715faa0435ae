import { runsAt } from '../../data/runs.js';
import type { FormulaLaw } from './law.js';

/** One budget's compute-optimal model of a formula law, found numerically. */
export interface NumericOptimum {
  C: number;
  N: number;
  D: number;
  tokensPerParam: number;
  loss: number;
}

/** Tokens per parameter the search spans: N_opt is looked for with D/N in [1e-3, 1e5]. */
export const M_RANGE: readonly [number, number] = [1e-3, 1e5];
const GRID = 241;

/**
 * Why a formula law has no numeric allocation, or undefined when it has one: the law must be a function of N
 * and D alone (C = 6ND and M = D/N are), not of U or a column.
 */
export function noAllocationReason(law: FormulaLaw): string | undefined {
  if (law.columns.length > 0) return `it reads the column${law.columns.length > 1 ? 's' : ''} ${law.columns.map((c) => `\`${c}\``).join(', ')}`;
  if (law.variables.includes('U')) return 'it reads U';
  return undefined;
}

/**
 * The compute-optimal N at compute C under C = 6ND: the minimum over log N of L(N, C/(6N)), by a scan of
 * {@link GRID} points with D/N across {@link M_RANGE} and a bisection on the slope around the best. Undefined
 * when the best point is at an end of the range (no minimum inside it) or the loss is not finite there.
 */
export function numericOptimum(law: FormulaLaw, theta: Float64Array, C: number): NumericOptimum | undefined {
  const [mLo, mHi] = M_RANGE;
  // With D/N = M, N = sqrt(C/(6M)): log N runs from hi (small M) to lo (large M).
  const hi = 0.5 * Math.log(C / (6 * mLo)),
    lo = 0.5 * Math.log(C / (6 * mHi));
  const xs = Float64Array.from({ length: GRID }, (_, i) => lo + ((hi - lo) * i) / (GRID - 1));
  const losses = lossAt(law, theta, C, xs);
  let best = -1;
  for (let i = 0; i < GRID; i++) if (Number.isFinite(losses[i]!) && (best < 0 || losses[i]! < losses[best]!)) best = i;
  if (best <= 0 || best >= GRID - 1) return undefined;
  // The minimum is where the slope in log N changes sign: bisection on a central difference of step 1e-4 (its
  // root lies within ~1e-9 of the true one, where a search on loss values alone stops at ~1e-7, the square
  // root of the rounding of L).
  const h = 1e-4;
  const slope = (x: number) => {
    const f = lossAt(law, theta, C, Float64Array.of(x + h, x - h));
    return (f[0]! - f[1]!) / (2 * h);
  };
  let a = xs[best - 1]!,
    b = xs[best + 1]!;
  if (!(slope(a) < 0 && slope(b) > 0)) return undefined;
  for (let k = 0; k < 100 && b - a > 1e-13 * Math.max(1, Math.abs(a)); k++) {
    const m = (a + b) / 2;
    if (slope(m) > 0) b = m;
    else a = m;
  }
  const x = (a + b) / 2;
  const N = Math.exp(x),
    D = C / (6 * N);
  const loss = lossAt(law, theta, C, Float64Array.of(x))[0]!;
  if (!Number.isFinite(loss)) return undefined;
  return { C, N, D, tokensPerParam: D / N, loss };
}

function lossAt(law: FormulaLaw, theta: Float64Array, C: number, logN: Float64Array): Float64Array {
  const N = logN.map(Math.exp);
  const D = N.map((n) => C / (6 * n));
  const out = new Float64Array(N.length);
  law.predict(theta, law.prepare(runsAt(N, D)), out);
  return out;
}

/**
 * The power law N_opt = G·(C/6)^a through the numeric optima at the budgets (least squares in log–log; exact
 * when N_opt is a power law of C, as for every law of the Chinchilla form), with b = 1 − a. With one budget a
 * and G are not determined: undefined.
 */
export function powerLawThrough(points: readonly NumericOptimum[]): { a: number; b: number; G: number } | undefined {
  if (points.length < 2) return undefined;
  const x = points.map((p) => Math.log(p.C / 6)),
    y = points.map((p) => Math.log(p.N));
  const mx = x.reduce((s, v) => s + v, 0) / x.length,
    my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0,
    sxx = 0;
  x.forEach((v, i) => {
    sxy += (v - mx) * (y[i]! - my);
    sxx += (v - mx) ** 2;
  });
  if (!(sxx > 0)) return undefined;
  const a = sxy / sxx;
  return { a, b: 1 - a, G: Math.exp(my - a * mx) };
}
