import { and, eq, isNull } from "drizzle-orm";
import { publishableKeys } from "../../schema/tenancy";
import type { Db } from "./db";

/**
 * Publishable keys as a credential: how a tenant's site visitors (chat widget, newsletter forms…)
 * prove which workspace they talk to — the key plus the browser's Origin on the key's allow-list.
 * Resolving one is read-only and every public endpoint needs it, so it sits in platform next to
 * auth.ts; creating, editing and revoking keys is modules/tenancy's.
 */
export const PUBLISHABLE_KEY_PREFIX = "pk_live_";

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

/** A workspace's first live publishable key allowed on `origin` (null if none): for pages Weft serves itself. */
export async function publishableKeyForOrigin(db: Db, tenantId: string, origin: string): Promise<string | null> {
  const rows = await db
    .select({ key: publishableKeys.key, allowedOrigins: publishableKeys.allowedOrigins })
    .from(publishableKeys)
    .where(and(eq(publishableKeys.tenantId, tenantId), isNull(publishableKeys.revokedAt)));
  return rows.find((r) => originAllowed(r.allowedOrigins, origin))?.key ?? null;
}
