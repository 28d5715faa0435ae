/**
 * Quantile with linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default),
 * so percentile intervals match what the Python notebooks report. `values` need not be sorted; NaN is
 * not allowed (callers drop failed fits first and say so).
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  return quantileSorted(Float64Array.from(values).sort(), p);
}

/** {@link quantile} on values already sorted ascending. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The 95% percentile interval [2.5%, 97.5%] of a sample. */
export function interval95(values: ArrayLike<number>): [number, number] {
  const sorted = Float64Array.from(values).sort();
  return [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)];
}

/** The 95% interval of each parameter over row-major draws (`names.length` values per draw). */
export function columnIntervals(draws: Float64Array, names: readonly string[]): Record<string, [number, number]> {
  const p = names.length;
  const B = draws.length / p;
  return Object.fromEntries(names.map((k, j) => [k, interval95(Float64Array.from({ length: B }, (_, i) => draws[i * p + j]!))]));
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Sample standard deviation (n − 1 in the denominator, as numpy's `std(ddof=1)`). */
export function sampleSd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}
