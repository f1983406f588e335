import { and, asc, eq } from "drizzle-orm";
import { chatCannedResponses } from "../../../schema/chat";
import { tenantScope, type Db } from "../../platform/db";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";

type CannedRow = typeof chatCannedResponses.$inferSelect;
export const MAX_CANNED = 200;

export const serializeCanned = (r: CannedRow) => ({
  id: r.id,
  shortcut: r.shortcut,
  body: r.body,
  created_by: r.createdBy,
  created_at: iso(r.createdAt)!,
});

export async function listCanned(db: Db, tenantId: string) {
  const rows = await db
    .select()
    .from(chatCannedResponses)
    .where(tenantScope(db, tenantId).where(chatCannedResponses))
    .orderBy(asc(chatCannedResponses.shortcut))
    .limit(MAX_CANNED);
  return rows.map(serializeCanned);
}

export async function createCanned(db: Db, tenantId: string, input: { shortcut: string; body: string; createdBy: string }) {
  const row: CannedRow = {
    tenantId,
    id: newId("cr"),
    shortcut: input.shortcut,
    body: input.body,
    createdBy: input.createdBy,
    createdAt: Date.now(),
  };
  const inserted = await db.insert(chatCannedResponses).values(row).onConflictDoNothing().returning({ id: chatCannedResponses.id });
  if (!inserted.length) throw conflict(`A saved reply with the shortcut /${input.shortcut} already exists.`, "canned-shortcut-taken");
  return serializeCanned(row);
}

export async function deleteCanned(db: Db, tenantId: string, id: string) {
  const gone = await db
    .delete(chatCannedResponses)
    .where(and(eq(chatCannedResponses.tenantId, tenantId), eq(chatCannedResponses.id, id)))
    .returning({ id: chatCannedResponses.id });
  if (!gone.length) throw notFound("Saved reply");
}
