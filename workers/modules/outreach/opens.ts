import { and, eq } from "drizzle-orm";
import { salesDrafts, salesSequences } from "../../../schema/sales-sequences";
import { fromBase64, timingSafeEqual, toBase64 } from "../../platform/crypto";
import { getDb } from "../../platform/db";
import { getConfig, type Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { recordActivity, recordEngagement, scoreLeadNow } from "../sales";

/**
 * Email open tracking for outreach (docs/sales.md): every sent email ends with a 1×1 image whose URL
 * carries a token naming the workspace and the draft, signed with HMAC-SHA256 (the platform's signing
 * secret under its own purpose, so an unsubscribe or preference token is never an open token). No row
 * is needed to check it, and a token minted for one workspace's draft names only that draft.
 *
 * Opens are a weak signal: Apple Mail Privacy Protection prefetches every image, and link scanners and
 * image proxies fetch them too, so an "open" means "the image was fetched". They add to the lead's
 * score and the timeline, and drive the `no_open` / `opened_no_reply` step conditions, but never stop
 * a sequence (only replies, bounces and unsubscribes do).
 */

const log = createLogger({ module: "outreach" });

const b64u = (s: string) => s.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64u = (s: string) => s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);

async function mac(env: Env, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`outreach-open:${getConfig(env).JWT_SECRET}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return b64u(toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload)))));
}

/** `<base64url(tenant id \n draft id)>.<base64url HMAC>`: URL-safe, no expiry (an email can be opened years later). */
export async function openToken(env: Env, tenantId: string, draftId: string): Promise<string> {
  const payload = b64u(toBase64(new TextEncoder().encode(`${tenantId}\n${draftId}`)));
  return `${payload}.${await mac(env, payload)}`;
}

export async function verifyOpenToken(env: Env, token: string): Promise<{ tenantId: string; draftId: string } | null> {
  if (token.length > 500) return null;
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined) return null;
  if (!timingSafeEqual(sig, await mac(env, payload))) return null;
  try {
    const [tenantId, draftId, rest] = new TextDecoder().decode(fromBase64(unb64u(payload))).split("\n");
    return tenantId && draftId && rest === undefined ? { tenantId, draftId } : null;
  } catch {
    return null;
  }
}

export const openPixelUrl = async (env: Env, tenantId: string, draftId: string) =>
  `${getConfig(env).APP_URL.replace(/\/$/, "")}/public/v1/outreach/o/${await openToken(env, tenantId, draftId)}.gif`;

/** The image tag the `outreach.email` template appends raw (`{{{tracking_pixel}}}`); the URL has only URL-safe characters and dots. */
export const openPixelHtml = (url: string) =>
  `<img src="${url}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;

/** A transparent 1×1 GIF (43 bytes). */
export const PIXEL_GIF = Uint8Array.from(atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"), (c) => c.charCodeAt(0));

/**
 * Records the first open of a draft's email: an `email_opened` activity (dedupe key per draft) and, only
 * when that insert added the row, the lead's open counter and a re-score. A second fetch, a forged token,
 * a draft that was never sent or a sequence with tracking off changes nothing. Returns whether this call recorded the open.
 */
export async function recordOpen(env: Env, token: string, at: number): Promise<boolean> {
  const claims = await verifyOpenToken(env, token);
  if (!claims) return false;
  const db = getDb(env.DB);
  const d = await db
    .select({
      leadId: salesDrafts.leadId,
      subject: salesDrafts.subject,
      sequenceId: salesDrafts.sequenceId,
      variantId: salesDrafts.variantId,
      status: salesDrafts.status,
      trackOpens: salesSequences.trackOpens,
    })
    .from(salesDrafts)
    .innerJoin(salesSequences, and(eq(salesSequences.tenantId, salesDrafts.tenantId), eq(salesSequences.id, salesDrafts.sequenceId)))
    .where(and(eq(salesDrafts.tenantId, claims.tenantId), eq(salesDrafts.id, claims.draftId)))
    .get();
  // A sequence whose tracking was turned off after sending records no more opens from its older emails.
  if (d?.status !== "sent" || !d.trackOpens) return false;
  // The activity's unique dedupe key is the claim: of two fetches at once only one inserts, and only
  // that one counts the open on the lead.
  // (Awaited alone, the statement is D1's run result: meta.changes is 0 when the key already existed.)
  const inserted = (await recordActivity(db, claims.tenantId, {
    leadId: d.leadId,
    kind: "email_opened",
    summary: `Email opened: ${d.subject}`,
    data: { draft_id: claims.draftId, sequence_id: d.sequenceId, variant_id: d.variantId },
    occurredAt: at,
    dedupeKey: `email_opened:${claims.draftId}`,
  })) as unknown as { meta?: { changes?: number } };
  if (!inserted.meta?.changes) return false;
  const [first, ...rest] = recordEngagement(db, claims.tenantId, d.leadId, "open", at);
  if (first) await db.batch([first, ...rest]);
  await scoreLeadNow(env, claims.tenantId, d.leadId).catch((err) =>
    log.warn("outreach_open_rescore_failed", { tenant_id: claims.tenantId, lead_id: d.leadId, error: String(err) }),
  );
  return true;
}
