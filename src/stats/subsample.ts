import { Random } from './random.js';

/**
 * `m` of the indices 0 … n−1, drawn without replacement from a fixed stream and returned ascending: the same
 * rows for the same n, whatever the caller's seed (a partial Fisher–Yates shuffle, Knuth 1997, §3.4.2).
 */
export function subsampleIndex(n: number, m: number, seed = 0x5ca1e): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  const rng = new Random(seed, n);
  for (let k = 0; k < m; k++) {
    const j = k + rng.int(n - k);
    const t = pool[k]!;
    pool[k] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, m).sort();
}
