import { STOPWORDS, words } from "./text";

/**
 * Full-text search over `kb_chunks_fts` (FTS5, porter + unicode61, BM25). The virtual table and
 * its sync triggers are in the custom migration `knowledge_fts`; drizzle cannot model them.
 * Each chunk row carries `fts_scope` = a token naming its tenant, and the MATCH expression
 * requires it, so FTS only ever walks the calling tenant's postings (the join on tenant_id
 * below is defence in depth).
 */
const MAX_TERMS = 32;

/** The FTS token for a tenant: letters and digits of its id, prefixed so it never collides with a word. */
export function scopeToken(tenantId: string): string {
  return `zt${tenantId.toLowerCase().replace(/[^a-z0-9]/g, "")}`;
}

/**
 * A user's question → a safe FTS5 MATCH expression: content words quoted (so FTS syntax in the
 * input is inert) and OR-ed; BM25 ranks documents matching more and rarer terms first.
 * Null when the text has no content words.
 */
export function ftsMatchExpression(query: string, tenantId: string): string | null {
  const seen = new Set<string>();
  for (const w of words(query)) {
    if (STOPWORDS.has(w) || seen.has(w)) continue;
    seen.add(w);
    if (seen.size >= MAX_TERMS) break;
  }
  if (seen.size === 0) return null;
  const terms = [...seen].map((t) => `"${t}"`).join(" OR ");
  return `fts_scope:"${scopeToken(tenantId)}" AND {text heading}:(${terms})`;
}

/**
 * bm25() column weights: chunk text, heading path, scope (never scores). Heading weights 0.5–5
 * were measured on the tuning half of SciFact and none beat equal weights (bench/results/retrieval.md).
 * FTS5's bm25() has no k1/b parameters (fixed at 1.2 / 0.75); only column weights can change.
 */
export const FTS_WEIGHTS = [1.0, 1.0, 0.0] as const;

/**
 * The FTS query; parameters: match expression, tenant id, [collection], limit. FTS5's bm25() is
 * "lower is better" (negative), so the SELECT flips the sign: higher `score` = better.
 */
export function ftsSql(withCollection: boolean, weights: readonly number[] = FTS_WEIGHTS): string {
  const w = weights.join(", ");
  return `SELECT c.id AS id, -bm25(kb_chunks_fts, ${w}) AS score
FROM kb_chunks_fts JOIN kb_chunks c ON c.seq = kb_chunks_fts.rowid
WHERE kb_chunks_fts MATCH ?1 AND c.tenant_id = ?2${withCollection ? " AND c.collection = ?3" : ""}
ORDER BY bm25(kb_chunks_fts, ${w}) LIMIT ${withCollection ? "?4" : "?3"}`;
}
