/**
 * Which FLOP convention a table's compute column follows: k in C = k·N·D, from the runs themselves. 6·N·D is
 * the convention every allocation here assumes (C = 6ND gives D* = C/(6N*)); a column in GFLOPs gives k ≈ 6e-9,
 * a forward-only count k ≈ 2, a count with attention and embeddings k of 7–10 that drifts with size (the OLMo
 * ladder: 10·N·D at 190M, 6.9·N·D at 13B).
 */

/** k = C/(N·D) over the runs: its median and range. */
export interface FlopConvention {
  median: number;
  min: number;
  max: number;
}

/** The convention of runs with a compute column, or null with no run whose C, N and D are all finite and > 0. */
export function flopConvention(N: ArrayLike<number>, D: ArrayLike<number>, C: ArrayLike<number>): FlopConvention | null {
  const k: number[] = [];
  for (let i = 0; i < C.length; i++) {
    const v = C[i]! / (N[i]! * D[i]!);
    if (Number.isFinite(v) && v > 0) k.push(v);
  }
  if (k.length === 0) return null;
  k.sort((a, b) => a - b);
  const m = k.length >> 1;
  return { median: k.length % 2 ? k[m]! : (k[m - 1]! + k[m]!) / 2, min: k[0]!, max: k[k.length - 1]! };
}

/** The k a 6·N·D allocation can live with: within 25% of 6 (attention and embedding FLOPs add a little). */
export function isNearSix(k: number): boolean {
  return k >= 4.5 && k <= 7.5;
}
