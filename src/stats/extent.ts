/**
 * [min, max] of the values, by a loop: `Math.min(...values)` spreads them into arguments and throws a
 * RangeError beyond ~125,000 values (V8's argument limit), which checkpoint tables reach.
 */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
