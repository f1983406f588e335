import { and, eq, inArray } from "drizzle-orm";
import { type CrmEntity, crmLinks } from "../../../schema/crm-sync";
import type { Db } from "../../platform/db";

/** The links table: which local row is which remote record on a connection, and what each side looked like when last synced. */
export type LinkRow = typeof crmLinks.$inferSelect;

export async function linksByRemote(db: Db, tenantId: string, connectionId: string, entity: CrmEntity, remoteIds: string[]) {
  if (!remoteIds.length) return new Map<string, LinkRow>();
  const rows = await db
    .select()
    .from(crmLinks)
    .where(
      and(
        eq(crmLinks.tenantId, tenantId),
        eq(crmLinks.connectionId, connectionId),
        eq(crmLinks.entity, entity),
        inArray(crmLinks.remoteId, remoteIds),
      ),
    );
  return new Map(rows.map((r) => [r.remoteId, r]));
}

export async function linksByLocal(db: Db, tenantId: string, connectionId: string, entity: CrmEntity, localIds: string[]) {
  if (!localIds.length) return new Map<string, LinkRow>();
  const rows = await db
    .select()
    .from(crmLinks)
    .where(
      and(
        eq(crmLinks.tenantId, tenantId),
        eq(crmLinks.connectionId, connectionId),
        eq(crmLinks.entity, entity),
        inArray(crmLinks.localId, localIds),
      ),
    );
  return new Map(rows.map((r) => [r.localId, r]));
}

/** Records (or moves) the pairing local ↔ remote with both sides' modified times as of now. */
export async function saveLink(db: Db, link: Omit<LinkRow, "syncedAt">) {
  const now = Date.now();
  await db.batch([
    // A remote record re-linked to another local row (or the reverse) replaces the old pairing.
    db
      .delete(crmLinks)
      .where(
        and(
          eq(crmLinks.tenantId, link.tenantId),
          eq(crmLinks.connectionId, link.connectionId),
          eq(crmLinks.entity, link.entity),
          eq(crmLinks.localId, link.localId),
        ),
      ),
    db
      .insert(crmLinks)
      .values({ ...link, syncedAt: now })
      .onConflictDoUpdate({
        target: [crmLinks.tenantId, crmLinks.connectionId, crmLinks.entity, crmLinks.remoteId],
        set: { localId: link.localId, remoteModifiedAt: link.remoteModifiedAt, localModifiedAt: link.localModifiedAt, syncedAt: now },
      }),
  ]);
}
