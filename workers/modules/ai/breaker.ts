import { and, eq } from "drizzle-orm";
import { aiBreakers, type AiProvider } from "../../../schema/ai";
import type { Db } from "../../platform/db";

/**
 * Circuit breaker per tenant and provider, in D1 so every isolate sees it. After THRESHOLD
 * consecutive failed calls the provider is skipped for COOLDOWN_MS; then one call is let through
 * (half-open): success closes the circuit, failure opens it again.
 */
export const BREAKER_THRESHOLD = 3;
export const BREAKER_COOLDOWN_MS = 60_000;

export async function openCircuits(db: Db, tenantId: string, now: number): Promise<Set<string>> {
  const rows = await db
    .select({ provider: aiBreakers.provider, openUntil: aiBreakers.openUntil })
    .from(aiBreakers)
    .where(eq(aiBreakers.tenantId, tenantId))
    .all();
  return new Set(rows.filter((r) => r.openUntil !== null && r.openUntil > now).map((r) => r.provider));
}

export async function recordFailure(db: Db, tenantId: string, provider: AiProvider, error: string, now: number) {
  const row = await db
    .select()
    .from(aiBreakers)
    .where(and(eq(aiBreakers.tenantId, tenantId), eq(aiBreakers.provider, provider)))
    .get();
  const failures = (row?.failures ?? 0) + 1;
  const openUntil = failures >= BREAKER_THRESHOLD ? now + BREAKER_COOLDOWN_MS : null;
  await db
    .insert(aiBreakers)
    .values({ tenantId, provider, failures, openUntil, lastError: error.slice(0, 300), updatedAt: now })
    .onConflictDoUpdate({
      target: [aiBreakers.tenantId, aiBreakers.provider],
      set: { failures, openUntil, lastError: error.slice(0, 300), updatedAt: now },
    });
}

export async function recordSuccess(db: Db, tenantId: string, provider: AiProvider, now: number) {
  await db
    .update(aiBreakers)
    .set({ failures: 0, openUntil: null, updatedAt: now })
    .where(and(eq(aiBreakers.tenantId, tenantId), eq(aiBreakers.provider, provider)));
}

export async function breakerStates(db: Db, tenantId: string) {
  return db.select().from(aiBreakers).where(eq(aiBreakers.tenantId, tenantId)).all();
}
