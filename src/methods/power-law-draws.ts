import type { IsoflopDraws, IsoflopResult } from './isoflop.js';
import { fitPowerLaw } from './power-law.js';

/**
 * The power law N* = k·C^a of an IsoFLOP result refitted on each draw, as `pointEstimate: 'data'` refits it for
 * the exponent's interval (the budgets kept whose draw has an interior minimum, unweighted least squares), with
 * its coefficient too, so N* can be read off at any budget per draw. `a` equals `draws.a` draw by draw.
 */
export interface PowerLawDraws {
  /** Per draw: the exponent, NaN where fewer than 2 kept budgets have a minimum. */
  a: Float64Array;
  /** Per draw: log k. */
  logk: Float64Array;
}

/**
 * `drawAt(j, d)`: which of budget j's draws the refit d takes (default d). A comparison of two groups pairs draw d
 * of a budget the groups share and takes an independent draw of the others.
 */
export function powerLawDraws(result: IsoflopResult, draws: IsoflopDraws, drawAt: (j: number, d: number) => number = (_, d) => d): PowerLawDraws | undefined {
  if (!result.fit || !draws.a) return undefined;
  const B = draws.a.length;
  const kept = result.budgets.flatMap((b, i) => (b.excluded || b.N === null ? [] : [i]));
  const a = new Float64Array(B).fill(NaN),
    logk = new Float64Array(B).fill(NaN);
  const x: number[] = [],
    y: number[] = [];
  for (let d = 0; d < B; d++) {
    x.length = y.length = 0;
    for (const i of kept) {
      const v = draws.logN[i]?.[drawAt(i, d)];
      if (v === undefined || Number.isNaN(v)) continue;
      x.push(result.budgets[i]!.C);
      y.push(Math.exp(v));
    }
    if (x.length < 2) continue;
    const law = fitPowerLaw(x, y);
    if (!law) continue;
    a[d] = law.a;
    logk[d] = Math.log(law.k);
  }
  return { a, logk };
}

/** log N*(C) of draw d: log k_d + a_d·log C (NaN where the draw has no fit). */
export function logNAt(draws: PowerLawDraws, C: number): Float64Array {
  const lc = Math.log(C);
  return Float64Array.from(draws.a, (a, d) => draws.logk[d]! + a * lc);
}
