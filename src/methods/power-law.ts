/** y = k·x^a fitted as log y = a·log x + log k by (weighted) least squares. */
export interface PowerLaw {
  /** Exponent. */
  a: number;
  /** Coefficient. */
  k: number;
  /** R² of the (weighted) fit in log space. */
  r2: number;
}

/** Weighted least squares of log y on log x; `weights` default to 1. Needs ≥ 2 distinct x. */
export function fitPowerLaw(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): PowerLaw | undefined {
  const n = x.length;
  let sw = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    sw += w;
    sx += w * Math.log(x[i]!);
    sy += w * Math.log(y[i]!);
  }
  const mx = sx / sw,
    my = sy / sw;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const dx = Math.log(x[i]!) - mx,
      dy = Math.log(y[i]!) - my;
    sxx += w * dx * dx;
    sxy += w * dx * dy;
    syy += w * dy * dy;
  }
  if (!(sxx > 0)) return undefined;
  const a = sxy / sxx;
  const r2 = syy > 0 ? 1 - (syy - a * sxy) / syy : 1;
  return { a, k: Math.exp(my - a * mx), r2 };
}
