import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

/**
 * Support tickets (modules/tickets): an end user of a workspace's portal writes to its staff; the
 * ticket shows in the agent inbox beside chat conversations and agents answer from there. Tickets are
 * not chat conversations: they have no live session (no Durable Object), a subject, a status that
 * waits on one side or the other, and attachments from Files.
 *
 * status: `open` (waiting on staff), `answered` (staff replied, waiting on the customer), `closed`.
 * kind: `support`, or `refund` (opened from an order in the portal; `order_id` names it).
 */
export const TICKET_STATUSES = ["open", "answered", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_KINDS = ["support", "refund"] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];
export const TICKET_AUTHORS = ["enduser", "agent", "system"] as const;
export type TicketAuthor = (typeof TICKET_AUTHORS)[number];

export interface TicketAttachment {
  file_id: string;
  name: string;
  size: number;
  content_type: string;
}

export const supportTickets = sqliteTable(
  "support_tickets",
  {
    tenantId: tenantId(),
    id: id(),
    number: integer("number").notNull(), // per workspace, shown to people (#12)
    endUserId: text("end_user_id").notNull(),
    kind: text("kind", { enum: TICKET_KINDS }).notNull().default("support"),
    orderId: text("order_id"),
    subject: text("subject").notNull(),
    status: text("status", { enum: TICKET_STATUSES }).notNull().default("open"),
    assigneeId: text("assignee_id"),
    lastMessage: text("last_message").notNull(),
    lastMessageAt: integer("last_message_at").notNull(),
    messageCount: integer("message_count").notNull().default(1),
    unreadAgent: integer("unread_agent").notNull().default(1), // end-user messages staff have not opened
    unreadEndUser: integer("unread_end_user").notNull().default(0), // staff replies the end user has not opened
    closedAt: timestamp("closed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("support_tickets_tenant_user_idx").on(t.tenantId, t.endUserId, t.lastMessageAt),
    index("support_tickets_tenant_status_idx").on(t.tenantId, t.status, t.lastMessageAt),
    index("support_tickets_tenant_created_idx").on(t.tenantId, t.createdAt),
    uniqueIndex("support_tickets_tenant_number_uq").on(t.tenantId, t.number),
  ],
);

export const supportTicketMessages = sqliteTable(
  "support_ticket_messages",
  {
    tenantId: tenantId(),
    id: id(),
    ticketId: text("ticket_id").notNull(),
    author: text("author", { enum: TICKET_AUTHORS }).notNull(),
    authorId: text("author_id"), // end user id or staff user id
    authorName: text("author_name"),
    body: text("body").notNull(),
    attachments: text("attachments", { mode: "json" }).$type<TicketAttachment[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("support_ticket_messages_ticket_idx").on(t.tenantId, t.ticketId, t.createdAt)],
);
