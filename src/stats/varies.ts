import { extent } from './extent.js';

/**
 * Whether the values differ by more than `rel` (relative to the largest magnitude): equal to 9 digits is
 * "does not vary", so values that differ only by rounding (or by a typo in the 12th digit) count as equal.
 */
export function varies(values: ArrayLike<number>, rel = 1e-9): boolean {
  const [lo, hi] = extent(values);
  return hi - lo > rel * Math.max(Math.abs(lo), Math.abs(hi));
}
