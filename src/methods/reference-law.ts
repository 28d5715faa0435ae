/**
 * A published compute-optimal law given by its constants, D*(C) = K·C^B tokens, so N*(C) = C/(6·D*(C)): what
 * Roberts et al. (2025) compared their skills' optima against (Llama 3's law).
 */
export interface ReferenceLaw {
  /** How it is named in tables and figures (`llama3`, or the law as given). */
  name: string;
  /** D*(C) = K·C^B. */
  K: number;
  B: number;
}

/**
 * Llama 3's compute-optimal token count, D*(C) = 0.29·C^0.53 (Llama Team, "The Llama 3 Herd of Models", 2024,
 * §3.2.1, their scaling-law fit over 6e18–1e22 FLOP), the reference of Roberts et al. (2025).
 */
export const LLAMA3: ReferenceLaw = { name: 'llama3', K: 0.29, B: 0.53 };

/** N*(C) of a reference law: C/(6·K·C^B). */
export function referenceN(law: ReferenceLaw, C: number): number {
  return C / (6 * law.K * Math.pow(C, law.B));
}
