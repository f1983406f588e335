/**
 * Reciprocal rank fusion (Cormack et al., 2009): score(d) = Σ_lists w / (k + rank_d). Rank-based,
 * so BM25 and cosine scores need no calibration against each other. k = 60 is the paper's value;
 * bench/retrieval.mjs measures alternatives on SciFact.
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

export function reciprocalRankFusion(lists: Ranked[][], k = RRF_K, weights?: number[]): Fused[] {
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
