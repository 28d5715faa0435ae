/** y = k·x^a fitted as log y = a·log x + log k by (weighted) least squares. */
export interface PowerLaw {
  /** Exponent. */
  a: number;
  /** Coefficient. */
  k: number;
  /** R² of the (weighted) fit in log space. */
  r2: number;
}

/** Weighted least squares of log y on log x; `weights` default to 1. Needs x that vary (undefined otherwise). */
export function fitPowerLaw(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): PowerLaw | undefined {
  return fitLogLine(Float64Array.from(x, Math.log), Float64Array.from(y, Math.log), weights);
}

/**
 * {@link fitPowerLaw} on log x and log y already taken: a bootstrap of many pairs takes each logarithm once,
 * not twice per resample.
 */
export function fitLogLine(logX: ArrayLike<number>, logY: ArrayLike<number>, weights?: ArrayLike<number>): PowerLaw | undefined {
  const n = logX.length;
  let sw = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    sw += w;
    sx += w * logX[i]!;
    sy += w * logY[i]!;
  }
  const mx = sx / sw,
    my = sy / sw;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const dx = logX[i]! - mx,
      dy = logY[i]! - my;
    sxx += w * dx * dx;
    sxy += w * dx * dy;
    syy += w * dy * dy;
  }
  // x that does not vary (sd of log x below 1e-9, i.e. x equal to 9 digits) leaves no slope: rounding in the
  // mean makes sxx ~1e-30 rather than 0 for equal x, which an exact test would fit as a line.
  if (!(sxx > sw * 1e-18)) return undefined;
  const a = sxy / sxx;
  const r2 = syy > 0 ? 1 - (syy - a * sxy) / syy : 1;
  return { a, k: Math.exp(my - a * mx), r2 };
}
