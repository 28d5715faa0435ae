/**
 * Training compute from model shape, under the conventions papers use. Per token of training (forward and
 * backward, 3× the forward pass):
 *
 * - `6nd`: 6·N, N the parameter column (Kaplan et al. 2020's rule, all parameters).
 * - `6nd-nonembedding`: 6·N_ne with N_ne = 12·n_layer·d_model² (Kaplan et al. 2020, Table 1: attention 4d²
 *   and a 4d-wide MLP 8d² per layer).
 * - `kaplan`: 6·N_ne + 6·n_layer·n_ctx·d_model (Kaplan et al. 2020, Table 1: the attention over the context).
 * - `chinchilla`: 3× Hoffmann et al. 2022's forward count (Appendix F) with embeddings and attention: per
 *   layer 2·3·d² (key, query, value) + 2·n_ctx·d (logits) + 2·n_ctx·d (softmax @ value) + 2·d² (projection)
 *   + 2·2·d·4d (MLP), plus 2·n_vocab·d for the embeddings and 2·d·n_vocab for the output logits.
 *
 * The 6·N·D convention every allocation assumes differs from `kaplan` and `chinchilla` by the attention and
 * embedding terms: large for small models with long contexts (the OLMo ladder's 10·N·D at 190M), small at scale.
 */

export const flopConventions = ['6nd', '6nd-nonembedding', 'kaplan', 'chinchilla'] as const;
export type FlopConventionName = (typeof flopConventions)[number];

/** A model's shape, as the conventions read it. */
export interface ModelShape {
  /** Parameters N (for `6nd`). */
  params: number;
  layers: number;
  width: number;
  /** Context length n_ctx (for `kaplan`, `chinchilla`). */
  context: number;
  /** Vocabulary size (for `chinchilla`). */
  vocab: number;
}

/** Non-embedding parameters 12·n_layer·d_model² (Kaplan et al. 2020). */
export function nonEmbeddingParams(layers: number, width: number): number {
  return 12 * layers * width * width;
}

/** Training FLOPs per token under the convention. */
export function flopsPerToken(convention: FlopConventionName, s: ModelShape): number {
  const { layers: L, width: d, context: ctx, vocab: V } = s;
  switch (convention) {
    case '6nd':
      return 6 * s.params;
    case '6nd-nonembedding':
      return 6 * nonEmbeddingParams(L, d);
    case 'kaplan':
      return 6 * nonEmbeddingParams(L, d) + 6 * L * ctx * d;
    case 'chinchilla': {
      const perLayer = 2 * 3 * d * d + 2 * ctx * d + 2 * ctx * d + 2 * d * d + 2 * 2 * d * 4 * d;
      return 3 * (L * perLayer + 2 * V * d + 2 * d * V);
    }
  }
}
