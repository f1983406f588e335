import { and, eq } from "drizzle-orm";
import { publishableKeys } from "../../../schema/tenancy";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { PUBLISHABLE_KEY_PREFIX } from "../../platform/publishable-keys";
import { iso } from "../../platform/request";

export const MAX_ALLOWED_ORIGINS = 50;
type PublishableKeyRow = typeof publishableKeys.$inferSelect;

export const serializePublishableKey = (k: PublishableKeyRow) => ({
  id: k.id,
  name: k.name,
  key: k.key,
  allowed_origins: k.allowedOrigins,
  created_by: k.createdBy,
  revoked_at: iso(k.revokedAt),
  created_at: iso(k.createdAt)!,
  updated_at: iso(k.updatedAt)!,
});

const dedupe = (origins: string[]) => [...new Set(origins)];

export async function listPublishableKeys(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(publishableKeys.createdAt, publishableKeys.id, q.cursor);
  const rows = await db
    .select()
    .from(publishableKeys)
    .where(tenantScope(db, tenantId).where(publishableKeys, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializePublishableKey);
}

/** `allowedOrigins` must already be normalized (the route's schema does it). */
export async function createPublishableKey(
  db: Db,
  tenantId: string,
  input: { name: string; allowedOrigins: string[]; createdBy: string },
  actor: Actor,
) {
  const now = Date.now();
  const row: PublishableKeyRow = {
    tenantId,
    id: newId("pk"),
    name: input.name.trim(),
    key: PUBLISHABLE_KEY_PREFIX + randomToken(),
    allowedOrigins: dedupe(input.allowedOrigins),
    createdBy: input.createdBy,
    revokedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(publishableKeys).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "publishable_key.created",
      target: { type: "publishable_key", id: row.id },
      metadata: { name: row.name, allowed_origins: row.allowedOrigins },
    }),
  ]);
  return serializePublishableKey(row);
}

async function getKey(db: Db, tenantId: string, id: string): Promise<PublishableKeyRow> {
  const key = await db
    .select()
    .from(publishableKeys)
    .where(tenantScope(db, tenantId).where(publishableKeys, eq(publishableKeys.id, id)))
    .get();
  if (!key) throw notFound("Publishable key");
  return key;
}

export async function updatePublishableKey(
  db: Db,
  tenantId: string,
  id: string,
  patch: { name?: string; allowedOrigins?: string[] },
  actor: Actor,
) {
  const key = await getKey(db, tenantId, id);
  const now = Date.now();
  const next = {
    name: patch.name?.trim() ?? key.name,
    allowedOrigins: patch.allowedOrigins ? dedupe(patch.allowedOrigins) : key.allowedOrigins,
    updatedAt: now,
  };
  await db.batch([
    db
      .update(publishableKeys)
      .set(next)
      .where(and(eq(publishableKeys.tenantId, tenantId), eq(publishableKeys.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "publishable_key.updated",
      target: { type: "publishable_key", id },
      metadata: { name: next.name, allowed_origins: next.allowedOrigins, previous_allowed_origins: key.allowedOrigins },
    }),
  ]);
  return serializePublishableKey({ ...key, ...next });
}

export async function revokePublishableKey(db: Db, tenantId: string, id: string, actor: Actor) {
  const key = await getKey(db, tenantId, id);
  if (key.revokedAt) return serializePublishableKey(key);
  const now = Date.now();
  await db.batch([
    db
      .update(publishableKeys)
      .set({ revokedAt: now, updatedAt: now })
      .where(and(eq(publishableKeys.tenantId, tenantId), eq(publishableKeys.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "publishable_key.revoked",
      target: { type: "publishable_key", id },
      metadata: { name: key.name },
    }),
  ]);
  return serializePublishableKey({ ...key, revokedAt: now, updatedAt: now });
}
