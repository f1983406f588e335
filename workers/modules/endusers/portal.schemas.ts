import { z } from "@hono/zod-openapi";
import { TICKET_AUTHORS, TICKET_KINDS, TICKET_STATUSES } from "../../../schema/tickets";
import { pageQuerySchema } from "../../platform/pagination";

/** Schemas of the portal's tickets, notifications, files and home (end-user and staff sides). */
const noControl = (s: string) => !Array.from(s).some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
export const subjectSchema = z.string().trim().min(1, "Enter a subject").max(150).refine(noControl, "must be one line");
export const messageBodySchema = z.string().trim().min(1, "Write a message").max(10_000);
const fileIds = z.array(z.string().min(1).max(64)).max(5).default([]).openapi({ description: "Ids of your files (upload them first)" });

export const ticketSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    subject: z.string(),
    status: z.enum(TICKET_STATUSES),
    kind: z.enum(TICKET_KINDS),
    order_id: z.string().nullable(),
    last_message: z.string(),
    last_message_at: z.string(),
    message_count: z.number().int(),
    unread: z.number().int(),
    created_at: z.string(),
    closed_at: z.string().nullable(),
  })
  .openapi("PortalTicket");
export const attachmentSchema = z.object({
  file_id: z.string(),
  name: z.string(),
  size: z.number().int(),
  content_type: z.string(),
  url: z.string().nullable(),
});
export const ticketMessageSchema = z.object({
  id: z.string(),
  author: z.enum(TICKET_AUTHORS),
  author_name: z.string().nullable(),
  body: z.string(),
  created_at: z.string(),
  attachments: z.array(attachmentSchema),
});
export const ticketDetailSchema = ticketSchema.extend({ messages: z.array(ticketMessageSchema) }).openapi("PortalTicketDetail");
export const staffTicketSchema = ticketSchema
  .omit({ unread: true })
  .extend({
    unread_agent: z.number().int(),
    assignee_id: z.string().nullable(),
    end_user: z.object({ id: z.string(), email: z.string().nullable(), name: z.string().nullable() }),
  })
  .openapi("SupportTicket");
export const staffTicketDetailSchema = staffTicketSchema.extend({ messages: z.array(ticketMessageSchema) }).openapi("SupportTicketDetail");

export const newTicketBody = z.object({ subject: subjectSchema, message: messageBodySchema, attachments: fileIds });
export const replyBody = z.object({ message: messageBodySchema, attachments: fileIds });
export const staffReplyBody = z.object({ message: messageBodySchema });
export const ticketPatch = z.object({ status: z.enum(TICKET_STATUSES) });
export const ticketListQuery = pageQuerySchema.extend({
  status: z
    .enum([...TICKET_STATUSES, "active"])
    .optional()
    .openapi({ description: "`active` = open or answered" }),
});

export const notificationSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    category: z.string(),
    read_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("PortalNotification");
export const notificationQuery = pageQuerySchema.extend({
  unread: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});
export const PREF_CHANNELS = ["email", "in_app"] as const;
export const preferencesSchema = z
  .object({
    channels: z.array(z.enum(PREF_CHANNELS)),
    categories: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        locked: z.boolean(),
        cells: z.array(z.object({ channel: z.enum(PREF_CHANNELS), on: z.boolean() })),
      }),
    ),
  })
  .openapi("PortalNotificationPreferences");
export const preferencesBody = z.object({
  on: z
    .array(z.string().regex(/^[a-z_]+\.(email|in_app)$/, "use category.channel, e.g. product.email"))
    .max(50)
    .openapi({ description: "The category.channel pairs that stay on; every other unlocked pair is turned off" }),
});

export const sharedFileSchema = z
  .object({
    file_id: z.string(),
    name: z.string(),
    size: z.number().int(),
    content_type: z.string(),
    origin: z.enum(["staff", "enduser"]),
    note: z.string().nullable(),
    url: z.string().nullable(),
    shared_at: z.string(),
  })
  .openapi("PortalFile");
export const fileListQuery = pageQuerySchema.extend({ origin: z.enum(["staff", "enduser"]).optional() });
export const uploadQuery = z.object({ name: z.string().trim().min(1).max(200).openapi({ description: "File name" }) });
export const shareBody = z.object({ file_id: z.string().min(1).max(64), note: z.string().trim().max(500).nullable().default(null) });

export const orderSummarySchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    status: z.string(),
    fulfilment_status: z.string(),
    currency: z.string(),
    total: z.number().int().openapi({ description: "Minor units" }),
    refunded: z.number().int(),
    item_count: z.number().int(),
    created_at: z.string(),
    paid_at: z.string().nullable(),
  })
  .openapi("PortalOrder");
export const portalOrderDetailSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    status: z.string(),
    fulfilment_status: z.string(),
    email: z.string(),
    currency: z.string(),
    totals: z.object({ subtotal: z.number(), discount: z.number(), shipping: z.number(), tax: z.number(), total: z.number() }),
    refunded: z.number(),
    lines: z.array(
      z.object({
        title: z.string(),
        variant_title: z.string().nullable(),
        quantity: z.number().int(),
        unit_amount: z.number(),
        total: z.number(),
        type: z.string(),
        download_url: z.string().nullable().openapi({ description: "Signed link to a digital product's file, once paid" }),
      }),
    ),
    tracking: z.array(
      z.object({ carrier: z.string().nullable(), tracking_number: z.string().nullable(), tracking_url: z.string().nullable() }),
    ),
    created_at: z.string(),
    paid_at: z.string().nullable(),
  })
  .openapi("PortalOrderDetail");
export const refundRequestBody = z.object({ message: messageBodySchema });
export const reorderSchema = z
  .object({
    checkout_id: z.string(),
    checkout_url: z.string().url().openapi({ description: "The workspace's hosted checkout for it" }),
    total: z.number().int().openapi({ description: "Minor units, today's prices" }),
    currency: z.string(),
    expires_at: z.string().openapi({ description: "When the held stock is released" }),
  })
  .openapi("PortalReorder");

export const homeSchema = z
  .object({
    tickets: z.object({ active: z.number().int(), with_unread_replies: z.number().int(), recent: z.array(ticketSchema) }),
    notifications: z.object({ unread: z.number().int(), recent: z.array(notificationSchema) }),
    files: z.object({ recent: z.array(sharedFileSchema) }),
    orders: z.object({ available: z.boolean(), recent: z.array(orderSummarySchema) }),
  })
  .openapi("PortalHome");

export const assistantActionSchema = z
  .object({
    id: z.string(),
    tool: z.enum(["find_order", "resend_receipt", "open_ticket"]),
    status: z.enum(["proposed", "done", "failed", "cancelled"]),
    args: z.record(z.string(), z.unknown()),
    result: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
    decided_at: z.string().nullable(),
  })
  .openapi("PortalAssistantAction");
export const assistantReplySchema = z
  .object({
    answer: z.string(),
    citations: z.array(z.object({ n: z.number().int(), title: z.string(), url: z.string().nullable() })),
    action: assistantActionSchema
      .nullable()
      .openapi({ description: "A write tool's proposal (confirm it by id) or the read tool that ran" }),
  })
  .openapi("PortalAssistantReply");
export const assistantBody = z.object({ message: z.string().trim().min(1, "Write a question").max(2000) });
