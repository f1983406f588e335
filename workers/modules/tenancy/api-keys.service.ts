import { and, eq } from "drizzle-orm";
import { apiKeys, type Role } from "../../../schema/tenancy";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { sha256Hex } from "../../platform/crypto";
import { forbidden, notFound } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { roleHas, type Permission } from "../../platform/rbac";

export const SECRET_KEY_PREFIX = "wk_live_";
const PREFIX_LENGTH = 12;
const DAY_MS = 24 * 60 * 60 * 1000;
type ApiKeyRow = typeof apiKeys.$inferSelect;

export const serializeApiKey = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  created_by: k.createdBy,
  last_used_at: iso(k.lastUsedAt),
  expires_at: iso(k.expiresAt),
  revoked_at: iso(k.revokedAt),
  created_at: iso(k.createdAt)!,
});

export async function listApiKeys(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(apiKeys.createdAt, apiKeys.id, q.cursor);
  const rows = await db
    .select()
    .from(apiKeys)
    .where(tenantScope(db, tenantId).where(apiKeys, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeApiKey);
}

/**
 * Creates a secret key. Its scopes may not exceed the creator's role. The secret is returned once;
 * only its SHA-256 and a short visible prefix are stored.
 */
export async function createApiKey(
  db: Db,
  tenantId: string,
  input: { name: string; scopes: Permission[]; expiresInDays?: number; creatorId: string; creatorRole: Role },
  actor: Actor,
) {
  const scopes = [...new Set(input.scopes)];
  const beyond = scopes.filter((s) => !roleHas(input.creatorRole, s));
  if (beyond.length) throw forbidden(`Your role (${input.creatorRole}) cannot grant these scopes: ${beyond.join(", ")}.`);
  const secret = SECRET_KEY_PREFIX + randomToken();
  const now = Date.now();
  const row: ApiKeyRow = {
    tenantId,
    id: newId("key"),
    name: input.name.trim(),
    prefix: secret.slice(0, PREFIX_LENGTH),
    keyHash: await sha256Hex(secret),
    scopes,
    createdBy: input.creatorId,
    lastUsedAt: null,
    expiresAt: input.expiresInDays ? now + input.expiresInDays * DAY_MS : null,
    revokedAt: null,
    createdAt: now,
  };
  await db.batch([
    db.insert(apiKeys).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "api_key.created",
      target: { type: "api_key", id: row.id },
      metadata: { name: row.name, scopes, prefix: row.prefix },
    }),
  ]);
  return { ...serializeApiKey(row), secret };
}

export async function revokeApiKey(db: Db, tenantId: string, id: string, actor: Actor) {
  const scope = tenantScope(db, tenantId);
  const key = await db
    .select()
    .from(apiKeys)
    .where(scope.where(apiKeys, eq(apiKeys.id, id)))
    .get();
  if (!key) throw notFound("API key");
  if (key.revokedAt) return serializeApiKey(key);
  const now = Date.now();
  await db.batch([
    db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "api_key.revoked",
      target: { type: "api_key", id },
      metadata: { name: key.name, prefix: key.prefix },
    }),
  ]);
  return serializeApiKey({ ...key, revokedAt: now });
}
