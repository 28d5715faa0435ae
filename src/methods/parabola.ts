/**
 * Least-squares parabola y = c₀ + c₁x + c₂x² (the IsoFLOP fit of Hoffmann et al. 2022 and Llama 3, with x = log N),
 * minimising Σ wᵢ·(yᵢ − ŷᵢ)²; `weights` default to 1 (e.g. 1/var(loss) of each run when known).
 * Returns the coefficients, or undefined when fewer than 3 distinct x (with positive weight) make it undetermined.
 */
export function fitParabola(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): [number, number, number] | undefined {
  const n = x.length;
  if (n < 3) return undefined;
  // Centre x (weighted mean) for conditioning; solve the 3×3 normal equations by Cramer's rule.
  let mean = 0,
    sw = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    mean += w * x[i]!;
    sw += w;
  }
  if (!(sw > 0)) return undefined;
  mean /= sw;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    t0 = 0,
    t1 = 0,
    t2 = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const u = x[i]! - mean,
      u2 = u * u,
      v = y[i]!;
    s0 += w;
    s1 += w * u;
    s2 += w * u2;
    s3 += w * u2 * u;
    s4 += w * u2 * u2;
    t0 += w * v;
    t1 += w * u * v;
    t2 += w * u2 * v;
  }
  const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  // Relative to the product of the diagonal, so the test does not depend on the scale of the weights.
  if (!(Math.abs(det) > 1e-12 * s0 * s2 * s4)) return undefined;
  const a0 = (t0 * (s2 * s4 - s3 * s3) - s1 * (t1 * s4 - s3 * t2) + s2 * (t1 * s3 - s2 * t2)) / det;
  const a1 = (s0 * (t1 * s4 - s3 * t2) - t0 * (s1 * s4 - s3 * s2) + s2 * (s1 * t2 - t1 * s2)) / det;
  const a2 = (s0 * (s2 * t2 - t1 * s3) - s1 * (s1 * t2 - t1 * s2) + t0 * (s1 * s3 - s2 * s2)) / det;
  // Back from u = x − mean to x.
  return [a0 - a1 * mean + a2 * mean * mean, a1 - 2 * a2 * mean, a2];
}
