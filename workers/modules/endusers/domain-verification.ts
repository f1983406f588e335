/**
 * DNS verification of the portal's custom domain (issue 18, the multi-tenant configuration wizard).
 * The workspace creates a TXT record `_weft-verify.<domain>` whose value is a per-workspace token;
 * "Check" resolves it through DNS-over-HTTPS (the JSON API of RFC 8484 resolvers, Cloudflare's by
 * default, `DOH_URL` to change it) and marks the domain verified when the value is there. Without
 * internet the check says it cannot reach DNS and the status stays pending — it never passes a
 * domain it could not look up. The outbound fetch goes through `dohTransport.current`, which tests
 * point at a fake resolver (workerd cannot listen on a port).
 */
import { eq } from "drizzle-orm";
import { portalDomainVerifications } from "../../../schema/endusers-domains";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { validationFailed } from "../../platform/errors";
import { randomToken } from "../../platform/ids";
import { iso } from "../../platform/request";
import { updatePortalSettings } from "./settings.service";

export const DEFAULT_DOH_URL = "https://cloudflare-dns.com/dns-query";
export const dohTransport: { current: typeof fetch } = { current: (input, init) => fetch(input, init) };

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const recordNameOf = (domain: string) => `_weft-verify.${domain}`;

export function normaliseDomain(raw: string): string {
  const d = raw
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "")
    .replace(/\.$/, "");
  if (!DOMAIN.test(d)) throw validationFailed([{ path: "domain", message: "Enter a domain name such as help.example.com" }]);
  return d;
}

type Row = typeof portalDomainVerifications.$inferSelect;
export const serializeDomainVerification = (r: Row) => ({
  domain: r.domain,
  status: r.status,
  record_type: "TXT",
  record_name: recordNameOf(r.domain),
  record_value: `weft-verify=${r.token}`,
  last_checked_at: r.lastCheckedAt ? iso(r.lastCheckedAt) : null,
  last_result: r.lastResult,
  verified_at: r.verifiedAt ? iso(r.verifiedAt) : null,
});
export type DomainVerification = ReturnType<typeof serializeDomainVerification>;

export async function getDomainVerification(db: Db, tenantId: string): Promise<Row | null> {
  return (await db.select().from(portalDomainVerifications).where(eq(portalDomainVerifications.tenantId, tenantId)).get()) ?? null;
}

/**
 * Sets the portal's custom domain and returns the TXT record to create. The same domain again keeps
 * its token and status (idempotent); another domain gets a new token and starts pending.
 */
export async function startDomainVerification(env: Env, db: Db, tenantId: string, rawDomain: string, actor: Actor): Promise<Row> {
  const domain = normaliseDomain(rawDomain);
  const current = await getDomainVerification(db, tenantId);
  if (current?.domain === domain) return current;
  await updatePortalSettings(env, db, tenantId, { customDomain: domain }, actor);
  const now = Date.now();
  const row: Row = {
    tenantId,
    domain,
    token: randomToken(16),
    status: "pending",
    lastCheckedAt: null,
    lastResult: null,
    verifiedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const { tenantId: _t, ...rest } = row;
  await db.insert(portalDomainVerifications).values(row).onConflictDoUpdate({ target: portalDomainVerifications.tenantId, set: rest });
  return row;
}

/** Removes the custom domain (portal settings and verification). */
export async function clearCustomDomain(env: Env, db: Db, tenantId: string, actor: Actor): Promise<void> {
  await updatePortalSettings(env, db, tenantId, { customDomain: null }, actor);
  await db.delete(portalDomainVerifications).where(eq(portalDomainVerifications.tenantId, tenantId));
}

/** TXT strings for a name, from a DoH JSON answer; quotes removed and split strings joined. */
export async function resolveTxt(env: Env, name: string): Promise<{ ok: true; values: string[] } | { ok: false; error: string }> {
  const base = (env as unknown as { DOH_URL?: string }).DOH_URL || DEFAULT_DOH_URL;
  const url = `${base}?name=${encodeURIComponent(name)}&type=TXT`;
  let res: Response;
  try {
    res = await dohTransport.current(url, { headers: { Accept: "application/dns-json" }, signal: AbortSignal.timeout(5_000) });
  } catch (e) {
    // workerd reports a failed connection as "internal error; reference = …": say what it means instead.
    const why = (e as Error).name === "TimeoutError" ? "the resolver did not answer within 5 s" : "could not connect to the resolver";
    return { ok: false, error: `cannot reach DNS (${why})` };
  }
  if (!res.ok) return { ok: false, error: `cannot reach DNS (the resolver answered HTTP ${res.status})` };
  const body = (await res.json().catch(() => null)) as { Status?: number; Answer?: { type?: number; data?: string }[] } | null;
  if (!body || typeof body.Status !== "number") return { ok: false, error: "cannot reach DNS (the resolver's answer was not DNS JSON)" };
  if (body.Status === 3) return { ok: true, values: [] }; // NXDOMAIN: no such name yet
  if (body.Status !== 0) return { ok: false, error: `DNS lookup failed (rcode ${body.Status})` };
  const values = (body.Answer ?? [])
    .filter((a) => a.type === 16 && typeof a.data === "string")
    .map((a) => (a.data as string).replace(/"\s*"/g, "").replace(/^"|"$/g, ""));
  return { ok: true, values };
}

/**
 * Looks the TXT record up and records the outcome. A verified domain stays verified when a later
 * check cannot reach DNS; a record that is gone (or wrong) turns it back to pending.
 */
export async function checkDomainVerification(env: Env, db: Db, tenantId: string, actor: Actor): Promise<Row | null> {
  const row = await getDomainVerification(db, tenantId);
  if (!row) return null;
  const expected = `weft-verify=${row.token}`;
  const answer = await resolveTxt(env, recordNameOf(row.domain));
  const now = Date.now();
  let next: Row;
  if (!answer.ok) next = { ...row, lastCheckedAt: now, lastResult: answer.error, updatedAt: now };
  else if (answer.values.includes(expected)) {
    next = {
      ...row,
      status: "verified",
      lastCheckedAt: now,
      lastResult: "TXT record found",
      verifiedAt: row.verifiedAt ?? now,
      updatedAt: now,
    };
  } else {
    const found = answer.values.length
      ? `found ${answer.values.length} other TXT value${answer.values.length === 1 ? "" : "s"}`
      : "no TXT record yet";
    next = {
      ...row,
      status: "pending",
      lastCheckedAt: now,
      lastResult: `${found} at ${recordNameOf(row.domain)}`,
      verifiedAt: null,
      updatedAt: now,
    };
  }
  const { tenantId: _t, ...rest } = next;
  const writes = [db.update(portalDomainVerifications).set(rest).where(eq(portalDomainVerifications.tenantId, tenantId))];
  if (next.status !== row.status) {
    await db.batch([
      writes[0],
      auditInsert(db, actor, {
        tenantId,
        action: next.status === "verified" ? "endusers.domain_verified" : "endusers.domain_unverified",
        target: { type: "custom_domain", id: row.domain },
        metadata: { result: next.lastResult },
      }),
    ]);
  } else await writes[0];
  return next;
}
