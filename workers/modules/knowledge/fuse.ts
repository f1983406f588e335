/**
 * Reciprocal rank fusion (Cormack et al., 2009): score(d) = Σ_lists w / (k + rank_d). Rank-based,
 * so BM25 and cosine scores need no calibration against each other. k = 60 is the paper's value
 * and is not tuned here; the per-leg weights are (see FUSION below).
 */
export const RRF_K = 60;

export interface Ranked {
  id: string;
  score: number;
}

export interface Fused {
  id: string;
  fused: number;
  ranks: (number | null)[]; // 1-based rank in each input list, null when absent
  scores: (number | null)[];
}

export function reciprocalRankFusion(lists: Ranked[][], k = RRF_K, weights?: readonly number[]): Fused[] {
  const byId = new Map<string, Fused>();
  lists.forEach((list, li) => {
    const w = weights?.[li] ?? 1;
    list.forEach((item, i) => {
      let f = byId.get(item.id);
      if (!f) {
        f = { id: item.id, fused: 0, ranks: lists.map(() => null), scores: lists.map(() => null) };
        byId.set(item.id, f);
      }
      if (f.ranks[li] !== null) return; // first occurrence wins
      f.ranks[li] = i + 1;
      f.scores[li] = item.score;
      f.fused += w / (k + i + 1);
    });
  });
  return [...byId.values()].sort((a, b) => b.fused - a.fused || a.id.localeCompare(b.id));
}

/** How the hybrid fuses its two legs: RRF constant and the [full-text, vector] weights. */
export interface FusionPolicy {
  k: number;
  weights: readonly [fts: number, vector: number];
}

/**
 * The fusion each retrieval path runs. Weights for the local embedder were chosen on the tuning
 * half of the SciFact queries only (`npm run bench -- retrieval`, seed and grid in
 * bench/retrieval.mjs; both halves and the noise in bench/results/retrieval.md):
 *  - localFeedback: local embedder + local index. The vector leg already carries the full-text
 *    evidence through pseudo-relevance feedback (retrieval-core.ts FEEDBACK), so it leads and
 *    the full-text list counts a quarter (0.25 : 1): enough to reorder the vector leg's top
 *    ranks, not to override it.
 *  - localNoFeedback: local embedder on Vectorize (no feedback: Vectorize returns ids, not
 *    vectors). Without feedback the lexical vector leg adds little, so full-text leads (3 : 1).
 *  - hosted: bge / OpenAI embedders. Not measurable offline, so plain equal-weight RRF, the usual
 *    BM25 + dense default; weights tuned on a lexical vector leg would under-weight a dense one.
 */
export const FUSION = {
  localFeedback: { k: RRF_K, weights: [0.25, 1] },
  localNoFeedback: { k: RRF_K, weights: [3, 1] },
  hosted: { k: RRF_K, weights: [1, 1] },
} as const satisfies Record<string, FusionPolicy>;

export function fusionPolicy(o: { localEmbedder: boolean; feedback: boolean }): FusionPolicy {
  if (!o.localEmbedder) return FUSION.hosted;
  return o.feedback ? FUSION.localFeedback : FUSION.localNoFeedback;
}

/** Fuses the full-text and vector candidates of one query under a policy. */
export function fuseLegs(fts: Ranked[], vector: Ranked[], policy: FusionPolicy): Fused[] {
  return reciprocalRankFusion([fts, vector], policy.k, policy.weights);
}
