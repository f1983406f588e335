import { and, eq, isNull } from "drizzle-orm";
import { publishableKeys } from "../../../schema/tenancy";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";

export const PUBLISHABLE_KEY_PREFIX = "pk_live_";
export const MAX_ALLOWED_ORIGINS = 50;
type PublishableKeyRow = typeof publishableKeys.$inferSelect;

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const ORIGIN_RE = new RegExp(`^(https?)://(\\*\\.)?(${LABEL}(?:\\.${LABEL})*)(?::(\\d{1,5}))?$`);
const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443" };

interface ParsedOrigin {
  scheme: string;
  wildcard: boolean;
  host: string;
  port: string; // "" for the scheme's default
}

function parseOrigin(value: string): ParsedOrigin | null {
  const m = ORIGIN_RE.exec(value.trim().toLowerCase());
  if (!m) return null;
  const [, scheme, star, host, rawPort] = m as unknown as [string, string, string | undefined, string, string | undefined];
  if (rawPort !== undefined && (Number(rawPort) < 1 || Number(rawPort) > 65535)) return null;
  const port = rawPort === undefined || rawPort === DEFAULT_PORT[scheme] ? "" : String(Number(rawPort));
  // A wildcard must sit above a registrable-looking domain: "*.example.com", not "*.com".
  if (star && !host.includes(".")) return null;
  return { scheme, wildcard: !!star, host, port };
}

const formatOrigin = (o: ParsedOrigin) => `${o.scheme}://${o.wildcard ? "*." : ""}${o.host}${o.port ? `:${o.port}` : ""}`;

/**
 * Validates and normalizes an allowed origin: scheme + host [+ port], no path, query or
 * credentials; the only wildcard is a leading `*.` (subdomains). Returns null when invalid.
 */
export function normalizeAllowedOrigin(value: string): string | null {
  const parsed = parseOrigin(value);
  return parsed ? formatOrigin(parsed) : null;
}

/** Whether a browser's Origin header matches the allow-list. A missing or opaque ("null") origin never does. */
export function originAllowed(allowed: readonly string[], origin: string | null | undefined): boolean {
  if (!origin) return false;
  const o = parseOrigin(origin);
  if (!o || o.wildcard) return false;
  return allowed.some((entry) => {
    const a = parseOrigin(entry);
    if (!a || a.scheme !== o.scheme || a.port !== o.port) return false;
    return a.wildcard ? o.host.endsWith(`.${a.host}`) : a.host === o.host;
  });
}

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

/**
 * Resolves a publishable key presented by a tenant's site visitor. Null when the key is unknown
 * or revoked, or when the request's Origin is missing or not on the key's allow-list.
 */
export async function resolvePublishableKey(
  db: Db,
  key: string,
  origin: string | null,
): Promise<{ tenantId: string; keyId: string } | null> {
  if (!key.startsWith(PUBLISHABLE_KEY_PREFIX) || key.length > 200 || !origin) return null;
  const row = await db
    .select({ id: publishableKeys.id, tenantId: publishableKeys.tenantId, allowedOrigins: publishableKeys.allowedOrigins })
    .from(publishableKeys)
    .where(and(eq(publishableKeys.key, key), isNull(publishableKeys.revokedAt)))
    .get();
  if (!row || !originAllowed(row.allowedOrigins, origin)) return null;
  return { tenantId: row.tenantId, keyId: row.id };
}
