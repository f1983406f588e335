// Email lists: list CRUD (create, read, update, delete) with per-status subscriber counts, and the list serializer.
import { and, eq, inArray, sql } from "drizzle-orm";
import { emailLists, listSubscribers } from "../../../schema/messaging";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";

type ListRow = typeof emailLists.$inferSelect;

export const serializeList = (l: ListRow, counts?: Record<string, number>) => ({
  id: l.id,
  name: l.name,
  description: l.description,
  double_opt_in: l.doubleOptIn,
  counts: { pending: counts?.pending ?? 0, subscribed: counts?.subscribed ?? 0, unsubscribed: counts?.unsubscribed ?? 0 },
  created_at: iso(l.createdAt)!,
  updated_at: iso(l.updatedAt)!,
});

async function countsFor(db: Db, tenantId: string, listIds: string[]) {
  if (!listIds.length) return new Map<string, Record<string, number>>();
  const rows = await db
    .select({ listId: listSubscribers.listId, status: listSubscribers.status, n: sql<number>`count(*)` })
    .from(listSubscribers)
    .where(and(eq(listSubscribers.tenantId, tenantId), inArray(listSubscribers.listId, listIds)))
    .groupBy(listSubscribers.listId, listSubscribers.status);
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) out.set(r.listId, { ...(out.get(r.listId) ?? {}), [r.status]: r.n });
  return out;
}

export async function listLists(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(emailLists.createdAt, emailLists.id, q.cursor);
  const rows = await db
    .select()
    .from(emailLists)
    .where(tenantScope(db, tenantId).where(emailLists, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  const counts = await countsFor(
    db,
    tenantId,
    rows.slice(0, q.limit).map((r) => r.id),
  );
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeList(r, counts.get(r.id)),
  );
}

export async function getListRow(db: Db, tenantId: string, id: string): Promise<ListRow> {
  const row = await db
    .select()
    .from(emailLists)
    .where(tenantScope(db, tenantId).where(emailLists, eq(emailLists.id, id)))
    .get();
  if (!row) throw notFound("Email list");
  return row;
}

export async function getList(db: Db, tenantId: string, id: string) {
  const row = await getListRow(db, tenantId, id);
  return serializeList(row, (await countsFor(db, tenantId, [id])).get(id));
}

export async function createList(
  db: Db,
  tenantId: string,
  input: { name: string; description?: string | null; double_opt_in?: boolean },
  actor: Actor,
) {
  const now = Date.now();
  const row: ListRow = {
    tenantId,
    id: newId("lst"),
    name: input.name,
    description: input.description ?? null,
    doubleOptIn: input.double_opt_in ?? true,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(emailLists).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "email_list.created",
      target: { type: "email_list", id: row.id },
      metadata: { name: row.name },
    }),
  ]);
  return serializeList(row);
}

export async function updateList(
  db: Db,
  tenantId: string,
  id: string,
  patch: { name?: string; description?: string | null; double_opt_in?: boolean },
  actor: Actor,
) {
  const row = await getListRow(db, tenantId, id);
  const next: Partial<ListRow> = { updatedAt: Date.now() };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.double_opt_in !== undefined) next.doubleOptIn = patch.double_opt_in;
  await db.batch([
    db
      .update(emailLists)
      .set(next)
      .where(and(eq(emailLists.tenantId, tenantId), eq(emailLists.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "email_list.updated",
      target: { type: "email_list", id },
      metadata: { fields: Object.keys(patch) },
    }),
  ]);
  return getList(db, tenantId, row.id);
}

export async function deleteList(db: Db, tenantId: string, id: string, actor: Actor) {
  const row = await getListRow(db, tenantId, id);
  await db.batch([
    db.delete(listSubscribers).where(and(eq(listSubscribers.tenantId, tenantId), eq(listSubscribers.listId, id))),
    db.delete(emailLists).where(and(eq(emailLists.tenantId, tenantId), eq(emailLists.id, id))),
    auditInsert(db, actor, { tenantId, action: "email_list.deleted", target: { type: "email_list", id }, metadata: { name: row.name } }),
  ]);
}
