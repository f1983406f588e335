// Email list subscribers: listing, (double opt-in) subscribe, confirm, unsubscribe, removal, GDPR erasure, CSV export, broadcast.
import { and, eq, inArray } from "drizzle-orm";
import { listSubscribers, messagePreferences, outboxMessages } from "../../../schema/messaging";
import { auditInsert, type Actor } from "../../platform/audit";
import { sha256Hex } from "../../platform/crypto";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { getTenant } from "../../platform/directory";
import { messagingConfig } from "./config";
import { messagingHooks } from "./hooks";
import { getListRow } from "./lists.service";
import { sendMany, sendMessages } from "./send";
import { subscriberChanged } from "./list-sync/changes";
import { subscriberErased } from "./list-sync/erase";

type SubRow = typeof listSubscribers.$inferSelect;

export const serializeSubscriber = (s: SubRow) => ({
  id: s.id,
  email: s.email,
  name: s.name,
  status: s.status,
  source: s.source,
  confirmed_at: iso(s.confirmedAt),
  unsubscribed_at: iso(s.unsubscribedAt),
  created_at: iso(s.createdAt)!,
});

export async function listSubscribersOf(db: Db, tenantId: string, listId: string, q: PageQuery & { status?: SubRow["status"] }) {
  await getListRow(db, tenantId, listId);
  const page = keyset(listSubscribers.createdAt, listSubscribers.id, q.cursor);
  const rows = await db
    .select()
    .from(listSubscribers)
    .where(
      tenantScope(db, tenantId).where(
        listSubscribers,
        eq(listSubscribers.listId, listId),
        q.status ? eq(listSubscribers.status, q.status) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeSubscriber);
}

/**
 * Subscribes an address. With double opt-in the subscriber stays `pending` until they follow the
 * emailed link. The answer is the same whatever the address's state, so the public form cannot be
 * used to learn who is subscribed.
 */
export async function subscribe(
  db: Db,
  env: Env,
  tenantId: string,
  listId: string,
  input: { email: string; name?: string | null; source: string; ip?: string | null; skipConfirmation?: boolean },
) {
  const list = await getListRow(db, tenantId, listId);
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) throw badRequest("Enter a valid email address.");
  const existing = await db
    .select()
    .from(listSubscribers)
    .where(tenantScope(db, tenantId).where(listSubscribers, eq(listSubscribers.listId, listId), eq(listSubscribers.email, email)))
    .get();
  if (existing?.status === "subscribed") return serializeSubscriber(existing);
  const now = Date.now();
  const confirmNow = !list.doubleOptIn || !!input.skipConfirmation;
  const token = randomToken();
  const values: SubRow = {
    tenantId,
    id: existing?.id ?? newId("sub"),
    listId,
    email,
    name: input.name ?? existing?.name ?? null,
    status: confirmNow ? "subscribed" : "pending",
    confirmTokenHash: confirmNow ? null : await sha256Hex(token),
    source: input.source,
    consentIp: input.ip ?? null,
    confirmedAt: confirmNow ? now : null,
    unsubscribedAt: null,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await db
    .insert(listSubscribers)
    .values(values)
    .onConflictDoUpdate({
      target: [listSubscribers.tenantId, listSubscribers.listId, listSubscribers.email],
      set: { ...values, id: undefined, createdAt: undefined },
    });
  if (!confirmNow) {
    const tenant = await getTenant(db, tenantId);
    const link = `${messagingConfig(env).appUrl}/public/v1/lists/confirm?token=${token}`;
    await sendMessages(db, env.OUTBOX, {
      tenantId,
      to: { email },
      channels: ["email"],
      template: "lists.confirm_subscription",
      data: { list: list.name, workspace: tenant.name, link },
      category: "transactional",
    });
  } else {
    await messagingHooks().publishEvent(db, env.OUTBOX, { tenantId, type: "list.subscribed", data: { list_id: listId, email } });
    await subscriberChanged(db, env, tenantId, listId, email);
  }
  return serializeSubscriber(values);
}

/** Double opt-in confirmation (public link). */
export async function confirmSubscription(db: Db, env: Env, token: string): Promise<{ list: string } | null> {
  if (!token || token.length > 200) return null;
  const sub = await db
    .select()
    .from(listSubscribers)
    .where(eq(listSubscribers.confirmTokenHash, await sha256Hex(token)))
    .get();
  if (sub?.status !== "pending") return null;
  const now = Date.now();
  await db
    .update(listSubscribers)
    .set({ status: "subscribed", confirmTokenHash: null, confirmedAt: now, updatedAt: now })
    .where(and(eq(listSubscribers.tenantId, sub.tenantId), eq(listSubscribers.id, sub.id)));
  const list = await getListRow(db, sub.tenantId, sub.listId);
  await messagingHooks().publishEvent(db, env.OUTBOX, {
    tenantId: sub.tenantId,
    type: "list.subscribed",
    data: { list_id: sub.listId, email: sub.email },
  });
  await subscriberChanged(db, env, sub.tenantId, sub.listId, sub.email);
  return { list: list.name };
}

export async function unsubscribeFromList(db: Db, env: Env, tenantId: string, listId: string, email: string): Promise<boolean> {
  const now = Date.now();
  const res = await db
    .update(listSubscribers)
    .set({ status: "unsubscribed", unsubscribedAt: now, confirmTokenHash: null, updatedAt: now })
    .where(
      and(
        eq(listSubscribers.tenantId, tenantId),
        eq(listSubscribers.listId, listId),
        eq(listSubscribers.email, email.toLowerCase()),
        inArray(listSubscribers.status, ["pending", "subscribed"]),
      ),
    )
    .returning({ id: listSubscribers.id });
  if (res.length) {
    await messagingHooks().publishEvent(db, env.OUTBOX, {
      tenantId,
      type: "list.unsubscribed",
      data: { list_id: listId, email: email.toLowerCase() },
    });
    await subscriberChanged(db, env, tenantId, listId, email);
  }
  return res.length > 0;
}

export async function removeSubscriber(db: Db, tenantId: string, listId: string, subscriberId: string, actor: Actor) {
  const res = await db
    .delete(listSubscribers)
    .where(and(eq(listSubscribers.tenantId, tenantId), eq(listSubscribers.listId, listId), eq(listSubscribers.id, subscriberId)))
    .returning({ id: listSubscribers.id });
  if (!res.length) throw notFound("Subscriber");
  await auditInsert(db, actor, {
    tenantId,
    action: "email_list.subscriber_removed",
    target: { type: "list_subscriber", id: subscriberId },
    metadata: { list_id: listId },
  });
}

/** GDPR erasure: every trace of the address in this workspace's lists, preferences and message log. */
export async function eraseSubscriber(db: Db, env: Env, tenantId: string, email: string, actor: Actor) {
  const addr = email.trim().toLowerCase();
  const [subs, prefs, msgs] = await db.batch([
    db
      .delete(listSubscribers)
      .where(and(eq(listSubscribers.tenantId, tenantId), eq(listSubscribers.email, addr)))
      .returning({ id: listSubscribers.id }),
    db
      .delete(messagePreferences)
      .where(and(eq(messagePreferences.tenantId, tenantId), eq(messagePreferences.recipient, addr)))
      .returning({ r: messagePreferences.recipient }),
    db
      .update(outboxMessages)
      .set({ recipient: "erased", data: {}, subject: null, updatedAt: Date.now() })
      .where(and(eq(outboxMessages.tenantId, tenantId), eq(outboxMessages.recipient, addr)))
      .returning({ id: outboxMessages.id }),
  ]);
  // The audit row records that an erasure happened, not whose (a hash lets a repeat request be recognised).
  await auditInsert(db, actor, {
    tenantId,
    action: "email_list.subscriber_erased",
    metadata: { email_sha256: await sha256Hex(addr), subscriptions: subs.length, preferences: prefs.length, messages: msgs.length },
  });
  // Providers the lists were synced to (Mailchimp, SendGrid, Kit) erase it too, through the Queue.
  const providers = await subscriberErased(env, tenantId, addr);
  return { subscriptions: subs.length, preferences: prefs.length, messages: msgs.length, providers_queued: providers };
}

const csvCell = (v: string | null) => {
  const s = v ?? "";
  // Quote, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export async function exportSubscribers(db: Db, tenantId: string, listId: string): Promise<string> {
  await getListRow(db, tenantId, listId);
  const lines = ["email,name,status,source,confirmed_at,unsubscribed_at,created_at"];
  let cursor: string | undefined;
  do {
    const page = await listSubscribersOf(db, tenantId, listId, { limit: 100, cursor });
    for (const s of page.data)
      lines.push([s.email, s.name, s.status, s.source, s.confirmed_at, s.unsubscribed_at, s.created_at].map(csvCell).join(","));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return `${lines.join("\r\n")}\r\n`;
}

/** Sends a template to every confirmed subscriber (marketing: preferences and one-click unsubscribe apply). */
export async function broadcast(
  db: Db,
  env: Env,
  tenantId: string,
  listId: string,
  input: { template: string; data: Record<string, unknown>; send_at?: number },
  actor: Actor,
) {
  const list = await getListRow(db, tenantId, listId);
  const batchId = newId("bat");
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await listSubscribersOf(db, tenantId, listId, { limit: 100, cursor, status: "subscribed" });
    if (page.data.length) {
      total += await sendMany(
        db,
        env.OUTBOX,
        {
          tenantId,
          channels: ["email"],
          template: input.template,
          data: { ...input.data, list: list.name, list_id: listId },
          category: "marketing",
          sendAt: input.send_at,
          batchId,
          idempotencyKey: batchId,
        },
        page.data.map((s) => ({ email: s.email })),
      );
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  await auditInsert(db, actor, {
    tenantId,
    action: "email_list.broadcast",
    target: { type: "email_list", id: listId },
    metadata: { batch_id: batchId, template: input.template, recipients: total },
  });
  return { batch_id: batchId, recipients: total };
}
