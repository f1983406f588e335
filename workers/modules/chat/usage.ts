/**
 * Quota + metering for AI replies, behind a small interface so the ChatSession does not depend
 * on billing internals: the billing module's `checkQuota` (usage meter `ai_tokens`) before a
 * reply and `meter()` after it, with the reply id as event id (a retried reply counts once).
 */
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { checkQuota, meter } from "../billing";

export interface ChatUsage {
  /** Whether the tenant may spend more AI tokens now. */
  allowed(tenantId: string): Promise<boolean>;
  /** Records the tokens of one reply. */
  record(tenantId: string, tokens: number, eventId: string): Promise<void>;
}

export function chatUsage(env: Env): ChatUsage {
  return {
    allowed: async (tenantId) => (await checkQuota(getDb(env.DB), env.DB, tenantId, "ai_tokens", 1)).allowed,
    record: (tenantId, tokens, eventId) => meter(env, { tenantId, meter: "ai_tokens", quantity: tokens, eventId: `chat:${eventId}` }),
  };
}
