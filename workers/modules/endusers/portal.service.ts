import { and, desc, eq, inArray } from "drizzle-orm";
import { portalAssistantActions, portalFileShares } from "../../../schema/endusers";
import type { TicketAttachment } from "../../../schema/tickets";
import { getDb, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { deleteFile, getFileMeta, signedFileUrl, signedFiles, storeFile, type FileMeta } from "../files";
import { deleteNotificationsOf, send, unreadOverviewRead } from "../messaging";
import { activeTicketsOverviewRead, eraseTicketsOfEndUser, type TicketMessageRow, type TicketRow } from "../tickets";
import { getEndUser } from "./accounts.service";
import { orderSummary } from "./portal.orders";
import { latestOrdersOfEndUserRead } from "../commerce";

/**
 * What the portal shows an end user beyond their account: tickets (data in modules/tickets),
 * notifications (modules/messaging's in-app rows addressed to the end-user id), files shared with
 * them or uploaded by them (rows of Files, listed through portal_file_shares). Every function takes
 * the end user's id and matches it, so another end user's id is always a 404.
 */
const at = (ms: number) => new Date(ms).toISOString();
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;

export const serializeTicket = (t: TicketRow) => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  status: t.status,
  kind: t.kind,
  order_id: t.orderId,
  last_message: t.lastMessage,
  last_message_at: at(t.lastMessageAt),
  message_count: t.messageCount,
  unread: t.unreadEndUser,
  created_at: at(t.createdAt),
  closed_at: iso(t.closedAt),
});

/** Attachments with short-lived signed links (10 minutes), for whoever may read the ticket. */
export async function serializeMessages(env: Env, tenantId: string, rows: TicketMessageRow[], origin: string) {
  return Promise.all(
    rows.map(async (m) => ({
      id: m.id,
      author: m.author,
      author_name: m.authorName,
      body: m.body,
      created_at: at(m.createdAt),
      attachments: await Promise.all(
        m.attachments.map(async (a) => ({
          ...a,
          url: await signedFileUrl(env, { tenantId, fileId: a.file_id, expiresIn: 600, disposition: "attachment", origin }).then(
            (s) => s.url,
            () => null, // deleted since
          ),
        })),
      ),
    })),
  );
}

// ---- Files --------------------------------------------------------------------------------------

type ShareRow = typeof portalFileShares.$inferSelect;

/** An end user's upload: Files' checks (type sniffing, size, scanner) and the workspace's storage quota apply. */
export async function uploadForEndUser(
  env: Env,
  db: Db,
  tenantId: string,
  endUserId: string,
  f: { name: string; bytes: Uint8Array; origin: string },
): Promise<FileMeta> {
  if (!f.bytes.byteLength) throw badRequest("The file is empty.");
  const meta = await storeFile(env, {
    tenantId,
    name: f.name,
    bytes: f.bytes,
    module: "portal",
    maxSize: MAX_UPLOAD_BYTES,
    origin: f.origin,
  });
  await db.insert(portalFileShares).values({
    tenantId,
    id: newId("pfs"),
    endUserId,
    fileId: meta.id,
    origin: "enduser",
    sharedBy: null,
    note: null,
    createdAt: Date.now(),
  });
  return meta;
}

/** Staff share a file of the workspace with one end user (sharing it again changes nothing). */
export async function shareFileWith(
  env: Env,
  db: Db,
  tenantId: string,
  endUserId: string,
  fileId: string,
  by: string | null,
  note: string | null,
) {
  await getEndUser(db, tenantId, endUserId);
  await getFileMeta(env, tenantId, fileId); // 404 for another workspace's file
  await db
    .insert(portalFileShares)
    .values({ tenantId, id: newId("pfs"), endUserId, fileId, origin: "staff", sharedBy: by, note, createdAt: Date.now() })
    .onConflictDoNothing();
  return getShare(db, tenantId, endUserId, fileId);
}

async function getShare(db: Db, tenantId: string, endUserId: string, fileId: string): Promise<ShareRow> {
  const row = await db
    .select()
    .from(portalFileShares)
    .where(
      tenantScope(db, tenantId).where(portalFileShares, eq(portalFileShares.endUserId, endUserId), eq(portalFileShares.fileId, fileId)),
    )
    .get();
  if (!row) throw notFound("File");
  return row;
}

export async function unshareFile(db: Db, tenantId: string, endUserId: string, fileId: string) {
  const row = await getShare(db, tenantId, endUserId, fileId);
  await db.delete(portalFileShares).where(and(eq(portalFileShares.tenantId, tenantId), eq(portalFileShares.id, row.id)));
}

/** Shares as the portal and the staff API show them: file name, size, type and a 10-minute link (one files read for the whole list). */
export async function serializeShares(env: Env, rows: ShareRow[], origin: string) {
  if (!rows.length) return [];
  const tenantId = rows[0]?.tenantId ?? "";
  const found = await signedFiles(
    env,
    tenantId,
    rows.map((s) => s.fileId),
    { expiresIn: 600, disposition: "attachment", origin },
  );
  return rows.map((s) => {
    const f = found.get(s.fileId);
    return {
      file_id: s.fileId,
      name: f?.meta.name ?? "(deleted)",
      size: f?.meta.size ?? 0,
      content_type: f?.meta.contentType ?? "application/octet-stream",
      origin: s.origin,
      note: s.note,
      url: f?.url ?? null,
      shared_at: at(s.createdAt),
    };
  });
}
export const serializeShare = async (env: Env, s: ShareRow, origin: string) => (await serializeShares(env, [s], origin))[0];

export async function listShares(db: Db, tenantId: string, endUserId: string, q: PageQuery & { origin?: "staff" | "enduser" }) {
  const page = keyset(portalFileShares.createdAt, portalFileShares.id, q.cursor);
  const rows = await db
    .select()
    .from(portalFileShares)
    .where(
      tenantScope(db, tenantId).where(
        portalFileShares,
        eq(portalFileShares.endUserId, endUserId),
        q.origin ? eq(portalFileShares.origin, q.origin) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => r,
  );
}

/** Ticket attachments must be the end user's own files (uploaded by them or shared with them). */
export async function attachmentsOf(env: Env, db: Db, tenantId: string, endUserId: string, fileIds: string[]): Promise<TicketAttachment[]> {
  const ids = [...new Set(fileIds)];
  if (ids.length > MAX_ATTACHMENTS) throw badRequest(`Attach at most ${MAX_ATTACHMENTS} files.`);
  if (!ids.length) return [];
  const mine = await db
    .select({ fileId: portalFileShares.fileId })
    .from(portalFileShares)
    .where(
      tenantScope(db, tenantId).where(portalFileShares, eq(portalFileShares.endUserId, endUserId), inArray(portalFileShares.fileId, ids)),
    );
  const known = new Set(mine.map((r) => r.fileId));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw notFound("File");
  return Promise.all(
    ids.map(async (id) => {
      const m = await getFileMeta(env, tenantId, id);
      return { file_id: m.id, name: m.name, size: m.size, content_type: m.contentType };
    }),
  );
}

// ---- Notifications of a staff reply ------------------------------------------------------------

/** A staff reply reaches the end user by email and as an in-app notification (template `tickets.reply`, editable). */
export async function notifyTicketReply(
  env: Env,
  db: Db,
  o: { tenantId: string; ticket: TicketRow; agentName: string; body: string; site: string; portalUrl: string; messageId: string },
) {
  const user = await getEndUser(db, o.tenantId, o.ticket.endUserId);
  const excerpt = o.body.length > 280 ? `${o.body.slice(0, 279)}…` : o.body;
  await send(db, env.OUTBOX, {
    tenantId: o.tenantId,
    to: { email: user.email, userId: user.id },
    channels: ["email", "in_app"],
    template: "tickets.reply",
    data: {
      site: o.site,
      agent: o.agentName,
      number: o.ticket.number,
      subject: o.ticket.subject,
      excerpt,
      link: `${o.portalUrl}/tickets/${o.ticket.id}`,
    },
    category: "transactional",
    idempotencyKey: `tickets.reply:${o.messageId}`,
  });
}

// ---- Home ---------------------------------------------------------------------------------------

export async function portalHome(env: Env, db: Db, tenantId: string, endUserId: string, origin: string) {
  // One D1 round trip for the four modules' reads (each module hands over its query and mapper);
  // tickets and notifications bring their counts in the same rows (window aggregates).
  const tickets = activeTicketsOverviewRead(db, tenantId, endUserId, 3);
  const notes = unreadOverviewRead(db, tenantId, endUserId, 5);
  const orders = latestOrdersOfEndUserRead(db, tenantId, endUserId, 3);
  const sharesQuery = db
    .select()
    .from(portalFileShares)
    .where(
      tenantScope(db, tenantId).where(portalFileShares, eq(portalFileShares.endUserId, endUserId), eq(portalFileShares.origin, "staff")),
    )
    .orderBy(desc(portalFileShares.createdAt), desc(portalFileShares.id))
    .limit(5);
  const [t, n, o, shares] = await db.batch([tickets.query, notes.query, orders.query, sharesQuery]);
  const ticketView = tickets.map(t);
  return {
    tickets: { active: ticketView.active, with_unread_replies: ticketView.unread, recent: ticketView.recent.map(serializeTicket) },
    notifications: notes.map(n),
    files: { recent: await serializeShares(env, shares, origin) },
    orders: { available: true, recent: orders.map(o).map(orderSummary) },
  };
}

// ---- GDPR erase ---------------------------------------------------------------------------------

/** Registered in workers/compose.ts: tickets, notifications, uploads (bytes too), shares, assistant log. */
export async function erasePortalData(env: Env, u: { tenantId: string; endUserId: string }): Promise<number> {
  const db = getDb(env.DB);
  let n = await eraseTicketsOfEndUser(db, u.tenantId, u.endUserId);
  n += await deleteNotificationsOf(db, u.tenantId, u.endUserId);
  const shares = await db
    .select()
    .from(portalFileShares)
    .where(tenantScope(db, u.tenantId).where(portalFileShares, eq(portalFileShares.endUserId, u.endUserId)));
  for (const s of shares.filter((r) => r.origin === "enduser")) await deleteFile(env, u.tenantId, s.fileId);
  const [a, b] = await db.batch([
    db
      .delete(portalFileShares)
      .where(and(eq(portalFileShares.tenantId, u.tenantId), eq(portalFileShares.endUserId, u.endUserId)))
      .returning({ id: portalFileShares.id }),
    db
      .delete(portalAssistantActions)
      .where(and(eq(portalAssistantActions.tenantId, u.tenantId), eq(portalAssistantActions.endUserId, u.endUserId)))
      .returning({ id: portalAssistantActions.id }),
  ]);
  return n + a.length + b.length;
}
