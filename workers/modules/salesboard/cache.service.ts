import { and, eq, lt } from "drizzle-orm";
import { salesboardCache } from "../../../schema/salesboard";
import type { Db } from "../../platform/db";
import { type Board, computeBoard } from "./compute";
import { type BoardFilters, cacheKey } from "./filters";

/**
 * The board per workspace and filter set, kept in D1 for `TTL_MS` (schema/salesboard.ts says why
 * D1 and not the isolate cache). `fresh` ("Sync now") recomputes and replaces the row.
 */
export const TTL_MS = 5 * 60_000;
const PRUNE_AFTER_MS = 60 * 60_000;

export interface CachedBoard {
  board: Board;
  computedAt: number;
  cached: boolean;
  elapsedMs: number;
}

export async function boardFor(db: Db, tenantId: string, f: BoardFilters, opts: { fresh: boolean; now?: number }): Promise<CachedBoard> {
  const now = opts.now ?? Date.now();
  const key = cacheKey(f);
  if (!opts.fresh) {
    const hit = await db
      .select()
      .from(salesboardCache)
      .where(and(eq(salesboardCache.tenantId, tenantId), eq(salesboardCache.key, key)))
      .get();
    if (hit && now - hit.computedAt < TTL_MS && now >= hit.computedAt)
      return { board: JSON.parse(hit.payload) as Board, computedAt: hit.computedAt, cached: true, elapsedMs: hit.elapsedMs };
  }
  const started = Date.now();
  const board = await computeBoard(db, tenantId, f, now);
  const elapsedMs = Date.now() - started;
  const row = { tenantId, key, payload: JSON.stringify(board), computedAt: now, elapsedMs };
  await db.batch([
    db
      .insert(salesboardCache)
      .values(row)
      .onConflictDoUpdate({
        target: [salesboardCache.tenantId, salesboardCache.key],
        set: { payload: row.payload, computedAt: now, elapsedMs },
      }),
    // Filter sets nobody looked at for an hour go (a workspace keeps a handful of rows).
    db.delete(salesboardCache).where(and(eq(salesboardCache.tenantId, tenantId), lt(salesboardCache.computedAt, now - PRUNE_AFTER_MS))),
  ]);
  return { board, computedAt: now, cached: false, elapsedMs };
}

/** "Sync now" for every filter set of the workspace: the next read of each recomputes. */
export async function forgetBoards(db: Db, tenantId: string): Promise<void> {
  await db.delete(salesboardCache).where(eq(salesboardCache.tenantId, tenantId));
}
