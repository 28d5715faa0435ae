/** y = intercept + slope·x by weighted least squares; undefined without two distinct x of positive weight. */
export function weightedLine(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>): { slope: number; intercept: number } | undefined {
  // Distinct x among the weighted points, checked exactly (a mean of equal x need not round back to them).
  const xs = Array.from(x).filter((_, i) => w[i]! > 0);
  if (xs.length < 2 || xs.every((v) => v === xs[0])) return undefined;
  let sw = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < x.length; i++) {
    sw += w[i]!;
    sx += w[i]! * x[i]!;
    sy += w[i]! * y[i]!;
  }
  if (!(sw > 0)) return undefined;
  const mx = sx / sw,
    my = sy / sw;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < x.length; i++) {
    sxx += w[i]! * (x[i]! - mx) ** 2;
    sxy += w[i]! * (x[i]! - mx) * (y[i]! - my);
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
