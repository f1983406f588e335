import { and, eq, isNull } from "drizzle-orm";
import { publishableKeys } from "../../../schema/tenancy";
import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { createPublishableKey, MAX_ALLOWED_ORIGINS, serializePublishableKey, updatePublishableKey } from "./publishable-keys.service";

/**
 * The analytics set-up wizard's publishable key (modules/wizards, kind `analytics`): the key it
 * created earlier or the one the person picked gets the chosen origins added (never removed: other
 * sites may use it); without either, a new key is created. Same service and audit rows as the
 * /publishable-keys routes. `origins` must already be normalized (normalizeAllowedOrigin).
 */
export async function ensureTrackerKey(
  db: Db,
  tenantId: string,
  input: { keyId: string | null; name: string; origins: string[]; createdBy: string },
  actor: Actor,
) {
  if (!input.keyId)
    return createPublishableKey(db, tenantId, { name: input.name, allowedOrigins: input.origins, createdBy: input.createdBy }, actor);
  const row = await db
    .select()
    .from(publishableKeys)
    .where(and(eq(publishableKeys.tenantId, tenantId), eq(publishableKeys.id, input.keyId), isNull(publishableKeys.revokedAt)))
    .get();
  if (!row) throw notFound("Publishable key");
  const merged = [...new Set([...row.allowedOrigins, ...input.origins])].slice(0, MAX_ALLOWED_ORIGINS);
  if (merged.length === row.allowedOrigins.length) return serializePublishableKey(row);
  return updatePublishableKey(db, tenantId, row.id, { allowedOrigins: merged }, actor);
}

/** The workspace's live (not revoked) publishable keys, newest first: what the wizard offers to pick. */
export async function liveTrackerKeys(db: Db, tenantId: string) {
  const rows = await db
    .select()
    .from(publishableKeys)
    .where(and(eq(publishableKeys.tenantId, tenantId), isNull(publishableKeys.revokedAt)))
    .limit(50);
  return rows.sort((a, b) => b.createdAt - a.createdAt).map(serializePublishableKey);
}
