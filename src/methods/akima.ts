/**
 * Akima (1970) piecewise-cubic interpolation, with the end-slope extrapolation and the equal-slope rule of
 * scipy's `Akima1DInterpolator` (method "akima"), which Porian et al. (2024) use for IsoFLOP minima.
 * `x` strictly increasing, at least 2 points (with 2, the straight line through them, as scipy does).
 * Returns an evaluator valid on [x₀, x_last] (outside it the end cubics are extended; scipy returns NaN).
 */
export function akima(x: ArrayLike<number>, y: ArrayLike<number>): (xq: number) => number {
  const k = x.length;
  if (k < 2) throw new RangeError(`Akima interpolation needs at least 2 points, got ${k}`);
  if (k === 2) {
    // The slope padding below needs two secants; scipy falls back to the line through the two points.
    const x0 = x[0]!,
      y0 = y[0]!,
      s = (y[1]! - y0) / (x[1]! - x0);
    return (xq: number) => y0 + s * (xq - x0);
  }
  // m[2 … k] are the k−1 secant slopes; two extrapolated slopes pad each end.
  const m = new Float64Array(k + 3);
  for (let i = 0; i < k - 1; i++) m[i + 2] = (y[i + 1]! - y[i]!) / (x[i + 1]! - x[i]!);
  m[1] = 2 * m[2]! - m[3]!;
  m[0] = 2 * m[1]! - m[2]!;
  m[k + 1] = 2 * m[k]! - m[k - 1]!;
  m[k + 2] = 2 * m[k + 1]! - m[k]!;
  const dm = new Float64Array(k + 2);
  let maxF12 = -Infinity;
  for (let i = 0; i < k + 2; i++) dm[i] = Math.abs(m[i + 1]! - m[i]!);
  for (let i = 0; i < k; i++) maxF12 = Math.max(maxF12, dm[i + 2]! + dm[i]!);
  const t = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const f1 = dm[i + 2]!,
      f2 = dm[i]!,
      f12 = f1 + f2;
    // Where the neighbouring slopes agree on both sides, Akima's weights are 0/0: take the mean slope.
    t[i] = f12 > 1e-9 * maxF12 ? (f1 * m[i + 1]! + f2 * m[i + 2]!) / f12 : 0.5 * (m[i + 3]! + m[i]!);
  }
  return (xq: number) => {
    let lo = 0,
      hi = k - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x[mid]! <= xq) lo = mid;
      else hi = mid;
    }
    const h = x[lo + 1]! - x[lo]!;
    const d = xq - x[lo]!;
    const s = m[lo + 2]!;
    const c2 = (3 * s - 2 * t[lo]! - t[lo + 1]!) / h;
    const c3 = (t[lo]! + t[lo + 1]! - 2 * s) / (h * h);
    return y[lo]! + d * (t[lo]! + d * (c2 + d * c3));
  };
}
