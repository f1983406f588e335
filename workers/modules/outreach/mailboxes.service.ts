import { and, eq, gte, inArray, ne, sql } from "drizzle-orm";
import { salesDrafts, salesMailboxes, salesSequences } from "../../../schema/sales-sequences";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { dayKey, startOfDay } from "./schedule";
import { fromMinutes, toMinutes, type MailboxInput, type MailboxPatch } from "./sequences.schemas";

/** Sending mailboxes: the from address, its daily limit and its sending window (docs/sales.md). */

export type MailboxRow = typeof salesMailboxes.$inferSelect;

export const serializeMailbox = (m: MailboxRow, sentToday = 0) => ({
  id: m.id,
  from_email: m.fromEmail,
  from_name: m.fromName,
  daily_limit: m.dailyLimit,
  window_start: fromMinutes(m.windowStart),
  window_end: fromMinutes(m.windowEnd),
  send_days: m.sendDays,
  timezone: m.timezone,
  signature: m.signature,
  sent_today: sentToday,
  created_at: iso(m.createdAt) as string,
  updated_at: iso(m.updatedAt) as string,
});

/**
 * Emails of a mailbox sent or scheduled per calendar day of its zone, from `from` on: what its daily
 * limit counts (a draft counts on its send day whether it went out already or waits to).
 */
export async function mailboxDayCounts(db: Db, tenantId: string, mailbox: MailboxRow, from: number): Promise<Map<string, number>> {
  const at = sql<number>`coalesce(${salesDrafts.sentAt}, ${salesDrafts.sendAt})`;
  const rows = await db
    .select({ at })
    .from(salesDrafts)
    .innerJoin(salesSequences, and(eq(salesSequences.tenantId, salesDrafts.tenantId), eq(salesSequences.id, salesDrafts.sequenceId)))
    .where(
      and(
        eq(salesDrafts.tenantId, tenantId),
        eq(salesSequences.mailboxId, mailbox.id),
        inArray(salesDrafts.status, ["scheduled", "sent"]),
        gte(at, startOfDay(from, mailbox.timezone)),
      ),
    );
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = dayKey(r.at, mailbox.timezone);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

async function sentToday(db: Db, tenantId: string, m: MailboxRow, now = Date.now()) {
  return (await mailboxDayCounts(db, tenantId, m, now)).get(dayKey(now, m.timezone)) ?? 0;
}

export async function listMailboxes(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(salesMailboxes.createdAt, salesMailboxes.id, q.cursor);
  const rows = await db
    .select()
    .from(salesMailboxes)
    .where(tenantScope(db, tenantId).where(salesMailboxes, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  const counts = await Promise.all(rows.slice(0, q.limit).map((m) => sentToday(db, tenantId, m)));
  const byId = new Map(rows.slice(0, q.limit).map((m, i) => [m.id, counts[i] ?? 0]));
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeMailbox(r, byId.get(r.id)),
  );
}

export async function getMailboxRow(db: Db, tenantId: string, id: string): Promise<MailboxRow> {
  const row = await db
    .select()
    .from(salesMailboxes)
    .where(tenantScope(db, tenantId).where(salesMailboxes, eq(salesMailboxes.id, id)))
    .get();
  if (!row) throw notFound("Mailbox");
  return row;
}

async function assertEmailFree(db: Db, tenantId: string, email: string, exceptId?: string) {
  const clash = await db
    .select({ id: salesMailboxes.id })
    .from(salesMailboxes)
    .where(
      tenantScope(db, tenantId).where(
        salesMailboxes,
        eq(salesMailboxes.fromEmail, email),
        exceptId ? ne(salesMailboxes.id, exceptId) : undefined,
      ),
    )
    .get();
  if (clash) throw conflict(`A mailbox already sends from ${email}.`, "mailbox-exists");
}

export async function createMailbox(db: Db, tenantId: string, input: MailboxInput, actor: Actor) {
  const now = Date.now();
  const email = input.from_email.trim().toLowerCase();
  await assertEmailFree(db, tenantId, email);
  const row: MailboxRow = {
    tenantId,
    id: newId("mbx"),
    fromEmail: email,
    fromName: input.from_name,
    dailyLimit: input.daily_limit ?? 50,
    windowStart: input.window_start ? toMinutes(input.window_start) : 9 * 60,
    windowEnd: input.window_end ? toMinutes(input.window_end) : 17 * 60,
    sendDays: input.send_days ?? [1, 2, 3, 4, 5],
    timezone: input.timezone ?? "UTC",
    signature: input.signature ?? "",
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(salesMailboxes).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "outreach.mailbox.created",
      target: { type: "sales_mailbox", id: row.id },
      metadata: { email },
    }),
  ]);
  return serializeMailbox(row);
}

export async function updateMailbox(db: Db, tenantId: string, id: string, patch: MailboxPatch, actor: Actor) {
  const cur = await getMailboxRow(db, tenantId, id);
  const email = patch.from_email?.trim().toLowerCase();
  if (email && email !== cur.fromEmail) await assertEmailFree(db, tenantId, email, id);
  const next: MailboxRow = {
    ...cur,
    fromEmail: email ?? cur.fromEmail,
    fromName: patch.from_name ?? cur.fromName,
    dailyLimit: patch.daily_limit ?? cur.dailyLimit,
    windowStart: patch.window_start ? toMinutes(patch.window_start) : cur.windowStart,
    windowEnd: patch.window_end ? toMinutes(patch.window_end) : cur.windowEnd,
    sendDays: patch.send_days ?? cur.sendDays,
    timezone: patch.timezone ?? cur.timezone,
    signature: patch.signature ?? cur.signature,
    updatedAt: Date.now(),
  };
  if (next.windowEnd <= next.windowStart)
    throw conflict("The window would end before it starts; send window_start and window_end together.", "bad-window");
  const { tenantId: _t, id: _i, createdAt: _c, ...set } = next;
  await db.batch([
    db
      .update(salesMailboxes)
      .set(set)
      .where(tenantScope(db, tenantId).where(salesMailboxes, eq(salesMailboxes.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "outreach.mailbox.updated",
      target: { type: "sales_mailbox", id },
      metadata: { fields: Object.keys(patch) },
    }),
  ]);
  return serializeMailbox(next, await sentToday(db, tenantId, next));
}

/** Refused while a sequence that is not archived sends from it. */
export async function deleteMailbox(db: Db, tenantId: string, id: string, actor: Actor) {
  await getMailboxRow(db, tenantId, id);
  const user = await db
    .select({ id: salesSequences.id, name: salesSequences.name })
    .from(salesSequences)
    .where(tenantScope(db, tenantId).where(salesSequences, eq(salesSequences.mailboxId, id), ne(salesSequences.status, "archived")))
    .get();
  if (user)
    throw conflict(`The sequence “${user.name}” sends from this mailbox; archive it or choose another mailbox first.`, "mailbox-in-use");
  await db.batch([
    db.delete(salesMailboxes).where(tenantScope(db, tenantId).where(salesMailboxes, eq(salesMailboxes.id, id))),
    auditInsert(db, actor, { tenantId, action: "outreach.mailbox.deleted", target: { type: "sales_mailbox", id } }),
  ]);
}

/** A mailbox of the workspace, or null (the engine's reads: no 404 there). */
export async function mailboxOf(db: Db, tenantId: string, id: string | null): Promise<MailboxRow | null> {
  if (!id) return null;
  return (
    (await db
      .select()
      .from(salesMailboxes)
      .where(tenantScope(db, tenantId).where(salesMailboxes, eq(salesMailboxes.id, id)))
      .get()) ?? null
  );
}
