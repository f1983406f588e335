/**
 * GDPR erasure reaches the providers: when an address is erased from a workspace's lists
 * (list-subscribers.service `eraseSubscriber`), every connection that ever pushed it removes it from the
 * provider account (Mailchimp: permanent delete; SendGrid: contact deleted; Kit: unsubscribed
 * account-wide — its API has no delete) and then forgets it locally (the sync state row, and the
 * address in run error logs). Queued (`list_sync.erase`) so a provider outage is retried by the
 * Queue; the audit row per connection records what the provider could do, keyed by a hash.
 */
import { and, eq, like, sql } from "drizzle-orm";
import { listSyncConnections, listSyncContacts, listSyncRuns } from "../../../../schema/list-sync";
import { type Actor, auditInsert } from "../../../platform/audit";
import { sha256Hex } from "../../../platform/crypto";
import { getDb } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { createLogger } from "../../../platform/logger";
import { adapterFor } from "./adapters";
import { enqueueListSync } from "./messages";

const log = createLogger({ component: "list_sync" });
const SYSTEM: Actor = { type: "system", id: null, ip: null, userAgent: null };

/** Queues the provider-side erasure of an address (only when some connection of the workspace pushed it). */
export async function subscriberErased(env: Env, tenantId: string, email: string): Promise<boolean> {
  const db = getDb(env.DB);
  const addr = email.trim().toLowerCase();
  const pushed = await db
    .select({ c: listSyncContacts.connectionId })
    .from(listSyncContacts)
    .where(and(eq(listSyncContacts.tenantId, tenantId), eq(listSyncContacts.email, addr)))
    .limit(1)
    .get();
  if (!pushed) return false;
  await enqueueListSync(env.OUTBOX, { v: 1, kind: "list_sync.erase", tenantId, email: addr });
  return true;
}

/** Erases the address at every provider that has it; throws (the Queue retries) while any provider still has it. */
export async function processErase(env: Env, tenantId: string, email: string): Promise<{ erased: number; pending: number }> {
  const db = getDb(env.DB);
  const rows = await db
    .select({ conn: listSyncConnections, remoteId: listSyncContacts.remoteId })
    .from(listSyncContacts)
    .innerJoin(
      listSyncConnections,
      and(eq(listSyncConnections.tenantId, listSyncContacts.tenantId), eq(listSyncConnections.id, listSyncContacts.connectionId)),
    )
    .where(and(eq(listSyncContacts.tenantId, tenantId), eq(listSyncContacts.email, email)));
  const hash = await sha256Hex(email);
  let erased = 0;
  let pending = 0;
  for (const { conn, remoteId } of rows) {
    const [r] = await (await adapterFor(env, conn)).erase([{ email, remoteId }]);
    if (!r?.ok) {
      pending++;
      log.warn("list_sync_erase_failed", { tenant_id: tenantId, connection_id: conn.id, status: r?.status ?? null, error: r?.error });
      continue;
    }
    erased++;
    await db.batch([
      db
        .delete(listSyncContacts)
        .where(and(eq(listSyncContacts.tenantId, tenantId), eq(listSyncContacts.connectionId, conn.id), eq(listSyncContacts.email, email))),
      auditInsert(db, SYSTEM, {
        tenantId,
        action: "list_sync.contact_erased",
        target: { type: "list_sync_connection", id: conn.id },
        metadata: { provider: conn.provider, email_sha256: hash, at_provider: r.removed ?? "deleted" },
      }),
    ]);
  }
  // The address may also sit in the per-contact errors of past runs.
  await db
    .update(listSyncRuns)
    .set({
      errors: sql`(SELECT json_group_array(json(j.value)) FROM json_each(${listSyncRuns.errors}) j WHERE j.value ->> '$.email' <> ${email})`,
    })
    .where(and(eq(listSyncRuns.tenantId, tenantId), like(listSyncRuns.errors, `%${email.replace(/[%_]/g, "")}%`)));
  if (pending) throw new Error(`erasure pending at ${pending} provider connection(s)`);
  return { erased, pending };
}
