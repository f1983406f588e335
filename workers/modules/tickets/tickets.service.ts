import { and, count, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import {
  supportTicketMessages,
  supportTickets,
  type TicketAttachment,
  type TicketAuthor,
  type TicketKind,
  type TicketStatus,
} from "../../../schema/tickets";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";

/**
 * Support tickets: the data. Who may see what is decided by the caller's scope — an end user's
 * functions always take their id and match it (another end user's ticket is a 404), staff functions
 * take only the workspace. Every write is one D1 batch (ticket counters + message).
 */
export type TicketRow = typeof supportTickets.$inferSelect;
export type TicketMessageRow = typeof supportTicketMessages.$inferSelect;
export const EXCERPT = 200;
const excerpt = (s: string) => (s.length > EXCERPT ? `${s.slice(0, EXCERPT - 1)}…` : s);

export interface NewTicket {
  endUserId: string;
  authorName: string;
  subject: string;
  body: string;
  attachments: TicketAttachment[];
  kind?: TicketKind;
  orderId?: string | null;
}

/** Opens a ticket; its number is the workspace's next (one statement: concurrent opens cannot share one). */
export async function createTicket(db: Db, tenantId: string, t: NewTicket): Promise<TicketRow> {
  const id = newId("tkt");
  const now = Date.now();
  const preview = excerpt(t.body);
  await db.batch([
    db.insert(supportTickets).values({
      tenantId,
      id,
      number: sql`(SELECT coalesce(max(number), 0) + 1 FROM support_tickets WHERE tenant_id = ${tenantId})`,
      endUserId: t.endUserId,
      kind: t.kind ?? "support",
      orderId: t.orderId ?? null,
      subject: t.subject,
      status: "open",
      lastMessage: preview,
      lastMessageAt: now,
      messageCount: 1,
      unreadAgent: 1,
      unreadEndUser: 0,
      createdAt: now,
      updatedAt: now,
    }),
    db.insert(supportTicketMessages).values({
      tenantId,
      id: newId("tkm"),
      ticketId: id,
      author: "enduser",
      authorId: t.endUserId,
      authorName: t.authorName,
      body: t.body,
      attachments: t.attachments,
      createdAt: now,
    }),
  ]);
  return getTicket(db, tenantId, id);
}

export async function getTicket(db: Db, tenantId: string, id: string, endUserId?: string): Promise<TicketRow> {
  const row = await db
    .select()
    .from(supportTickets)
    .where(
      tenantScope(db, tenantId).where(
        supportTickets,
        eq(supportTickets.id, id),
        endUserId === undefined ? undefined : eq(supportTickets.endUserId, endUserId),
      ),
    )
    .get();
  if (!row) throw notFound("Ticket");
  return row;
}

export async function ticketMessages(db: Db, tenantId: string, ticketId: string): Promise<TicketMessageRow[]> {
  return db
    .select()
    .from(supportTicketMessages)
    .where(tenantScope(db, tenantId).where(supportTicketMessages, eq(supportTicketMessages.ticketId, ticketId)))
    .orderBy(supportTicketMessages.createdAt, supportTicketMessages.id)
    .limit(500);
}

/** Newest activity first; for one end user (their portal) or the whole workspace (the agent inbox). */
export async function listTickets(
  db: Db,
  tenantId: string,
  q: PageQuery & { endUserId?: string; status?: TicketStatus | "active" },
): Promise<{ data: TicketRow[]; next_cursor: string | null }> {
  const page = keyset(supportTickets.lastMessageAt, supportTickets.id, q.cursor);
  const status =
    q.status === "active"
      ? inArray(supportTickets.status, ["open", "answered"])
      : q.status
        ? eq(supportTickets.status, q.status)
        : undefined;
  const rows = await db
    .select()
    .from(supportTickets)
    .where(
      tenantScope(db, tenantId).where(
        supportTickets,
        q.endUserId === undefined ? undefined : eq(supportTickets.endUserId, q.endUserId),
        status,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(
    rows,
    q.limit,
    (r) => ({ createdAt: r.lastMessageAt, id: r.id }),
    (r) => r,
  );
}

/**
 * The portal home's tickets in one query: the latest `limit` open/answered tickets of an end user,
 * how many are open/answered in all and how many carry replies they have not read (window aggregates
 * over the same rows, computed before the limit). An unexecuted query and its mapper, so the home
 * can run it in one `db.batch()` with the other modules' reads.
 */
export function activeTicketsOverviewRead(db: Db, tenantId: string, endUserId: string, limit: number) {
  const query = db
    .select({
      ...getTableColumns(supportTickets),
      activeCount: sql<number>`count(*) over ()`,
      unreadCount: sql<number>`sum(case when ${supportTickets.unreadEndUser} > 0 then 1 else 0 end) over ()`,
    })
    .from(supportTickets)
    .where(
      tenantScope(db, tenantId).where(
        supportTickets,
        eq(supportTickets.endUserId, endUserId),
        inArray(supportTickets.status, ["open", "answered"]),
      ),
    )
    .orderBy(desc(supportTickets.lastMessageAt), desc(supportTickets.id))
    .limit(limit);
  type Row = Awaited<typeof query>[number];
  const map = (rows: Row[]) => ({
    active: Number(rows[0]?.activeCount ?? 0),
    unread: Number(rows[0]?.unreadCount ?? 0),
    recent: rows.map(({ activeCount: _a, unreadCount: _u, ...t }): TicketRow => t),
  });
  return { query, map };
}

/** Open/answered tickets of an end user and how many carry replies they have not read (the portal home). */
export async function ticketCounts(db: Db, tenantId: string, endUserId: string): Promise<{ active: number; unread: number }> {
  const row = await db
    .select({
      active: count(),
      unread: sql<number>`coalesce(sum(case when ${supportTickets.unreadEndUser} > 0 then 1 else 0 end), 0)`,
    })
    .from(supportTickets)
    .where(
      tenantScope(db, tenantId).where(
        supportTickets,
        eq(supportTickets.endUserId, endUserId),
        inArray(supportTickets.status, ["open", "answered"]),
      ),
    )
    .get();
  return { active: row?.active ?? 0, unread: Number(row?.unread ?? 0) };
}

export interface NewReply {
  author: Exclude<TicketAuthor, "system">;
  authorId: string;
  authorName: string;
  body: string;
  attachments: TicketAttachment[];
}

/**
 * Adds a message. An end user's message (re)opens the ticket for staff; a staff reply marks it
 * `answered` and counts as unread for the end user. Returns the ticket after the change.
 */
export async function addReply(
  db: Db,
  tenantId: string,
  ticket: TicketRow,
  r: NewReply,
): Promise<{ ticket: TicketRow; message: TicketMessageRow }> {
  const now = Date.now();
  const message: TicketMessageRow = {
    tenantId,
    id: newId("tkm"),
    ticketId: ticket.id,
    author: r.author,
    authorId: r.authorId,
    authorName: r.authorName,
    body: r.body,
    attachments: r.attachments,
    createdAt: now,
  };
  const fromStaff = r.author === "agent";
  await db.batch([
    db.insert(supportTicketMessages).values(message),
    db
      .update(supportTickets)
      .set({
        status: fromStaff ? "answered" : "open",
        closedAt: null,
        lastMessage: excerpt(r.body),
        lastMessageAt: now,
        messageCount: sql`${supportTickets.messageCount} + 1`,
        unreadAgent: fromStaff ? 0 : sql`${supportTickets.unreadAgent} + 1`,
        unreadEndUser: fromStaff ? sql`${supportTickets.unreadEndUser} + 1` : 0,
        assigneeId: fromStaff ? sql`coalesce(${supportTickets.assigneeId}, ${r.authorId})` : supportTickets.assigneeId,
        updatedAt: now,
      })
      .where(and(eq(supportTickets.tenantId, tenantId), eq(supportTickets.id, ticket.id))),
  ]);
  return { ticket: await getTicket(db, tenantId, ticket.id), message };
}

export async function setTicketStatus(db: Db, tenantId: string, ticket: TicketRow, status: TicketStatus): Promise<TicketRow> {
  const now = Date.now();
  await db
    .update(supportTickets)
    .set({ status, closedAt: status === "closed" ? now : null, updatedAt: now })
    .where(and(eq(supportTickets.tenantId, tenantId), eq(supportTickets.id, ticket.id)));
  return { ...ticket, status, closedAt: status === "closed" ? now : null, updatedAt: now };
}

/** The side that opened the ticket has now read it. */
export async function markTicketRead(db: Db, tenantId: string, ticket: TicketRow, side: "agent" | "enduser") {
  if ((side === "agent" ? ticket.unreadAgent : ticket.unreadEndUser) === 0) return;
  await db
    .update(supportTickets)
    .set(side === "agent" ? { unreadAgent: 0 } : { unreadEndUser: 0 })
    .where(and(eq(supportTickets.tenantId, tenantId), eq(supportTickets.id, ticket.id)));
}

/** GDPR erase: the end user's tickets and their messages (idempotent). Returns rows deleted. */
export async function eraseTicketsOfEndUser(db: Db, tenantId: string, endUserId: string): Promise<number> {
  const ids = (
    await db
      .select({ id: supportTickets.id })
      .from(supportTickets)
      .where(tenantScope(db, tenantId).where(supportTickets, eq(supportTickets.endUserId, endUserId)))
  ).map((r) => r.id);
  let n = 0;
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const [m, t] = await db.batch([
      db
        .delete(supportTicketMessages)
        .where(and(eq(supportTicketMessages.tenantId, tenantId), inArray(supportTicketMessages.ticketId, chunk)))
        .returning({ id: supportTicketMessages.id }),
      db
        .delete(supportTickets)
        .where(and(eq(supportTickets.tenantId, tenantId), inArray(supportTickets.id, chunk)))
        .returning({ id: supportTickets.id }),
    ]);
    n += m.length + t.length;
  }
  return n;
}
