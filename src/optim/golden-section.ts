/**
 * Golden-section search for the minimum of a unimodal `f` on the bracket [lo, hi]. Each step keeps the
 * two interior points x1 = b − r·(b − a) and x2 = a + r·(b − a), r = (√5 − 1)/2, and drops the side of the
 * worse one, so one new evaluation per step.
 */
export interface GoldenSectionOptions {
  /** Left end of the bracket. */
  lo: number;
  /** Right end of the bracket. */
  hi: number;
  /** Steps allowed. */
  maxIterations: number;
  /**
   * Relative tolerance: the search stops once b − a ≤ tolerance · scale. Default scale max(1, |a|), a the
   * current left end; `scale` fixes it instead.
   */
  tolerance: number;
  /** Fixed scale of `tolerance` (e.g. the width of the whole range). Default max(1, |a|). */
  scale?: number;
  /**
   * Which interior point wins a tie f(x1) = f(x2): 'left' keeps [a, x2] and returns x1 (default);
   * 'right' keeps [x1, b] and returns x2.
   */
  ties?: 'left' | 'right';
}

export interface GoldenSectionResult {
  /** The better interior point of the last bracket. */
  x: number;
  /** f(x). */
  fx: number;
}

export function goldenSection(f: (x: number) => number, opts: GoldenSectionOptions): GoldenSectionResult {
  const r = (Math.sqrt(5) - 1) / 2;
  const left = (opts.ties ?? 'left') === 'left';
  const better = (f1: number, f2: number) => (left ? f1 <= f2 : f1 < f2);
  let a = opts.lo,
    b = opts.hi;
  let x1 = b - r * (b - a),
    x2 = a + r * (b - a);
  let f1 = f(x1),
    f2 = f(x2);
  for (let k = 0; k < opts.maxIterations && b - a > opts.tolerance * (opts.scale ?? Math.max(1, Math.abs(a))); k++) {
    if (better(f1, f2)) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - r * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + r * (b - a);
      f2 = f(x2);
    }
  }
  return better(f1, f2) ? { x: x1, fx: f1 } : { x: x2, fx: f2 };
}
