/**
 * The published catalogue of outbound webhook event types. Modules publish events with
 * `publishEvent(db, queue, { tenantId, type, data })`; endpoints subscribe to types from here.
 */
export const EVENT_TYPES = {
  "member.invited": {
    group: "Team",
    description: "Someone was invited to the workspace",
    example: { invitation_id: "inv_01…", email: "ada@example.com", role: "member" },
  },
  "member.joined": { group: "Team", description: "An invitation was accepted", example: { user_id: "usr_01…", role: "member" } },
  "member.removed": { group: "Team", description: "A member left or was removed", example: { user_id: "usr_01…" } },
  "subscription.created": {
    group: "Billing",
    description: "The workspace started a subscription",
    example: { plan: "starter", status: "active" },
  },
  "subscription.updated": {
    group: "Billing",
    description: "Plan, seats or status changed",
    example: { plan: "professional", status: "active", seats: 5 },
  },
  "subscription.canceled": {
    group: "Billing",
    description: "The subscription was canceled",
    example: { plan: "starter", ends_at: "2026-12-01T00:00:00Z" },
  },
  "invoice.paid": {
    group: "Billing",
    description: "An invoice was paid",
    example: { invoice_id: "in_01…", amount_cents: 4900, currency: "usd" },
  },
  "conversation.created": {
    group: "Chat",
    description: "A visitor started a chat conversation",
    example: { conversation_id: "cnv_01…", page_url: "https://shop.example.com/" },
  },
  "conversation.closed": { group: "Chat", description: "A chat conversation was closed", example: { conversation_id: "cnv_01…", csat: 5 } },
  "order.paid": {
    group: "Commerce",
    description: "A customer's order was paid",
    example: { order_id: "ord_01…", total_cents: 2500, currency: "eur" },
  },
  "order.refunded": { group: "Commerce", description: "An order was refunded", example: { order_id: "ord_01…", amount_cents: 2500 } },
  "order.fulfilled": {
    group: "Commerce",
    description: "An order's items were shipped (a fulfilment with its tracking)",
    example: { order_id: "ord_01…", fulfilment_id: "ful_01…", tracking_number: "1Z999…" },
  },
  "order.cancelled": {
    group: "Commerce",
    description: "An order was cancelled",
    example: { order_id: "ord_01…", reason: "customer asked" },
  },
  "list.subscribed": {
    group: "Messaging",
    description: "Someone confirmed a newsletter subscription",
    example: { list_id: "lst_01…", email: "ada@example.com" },
  },
  "list.unsubscribed": {
    group: "Messaging",
    description: "Someone unsubscribed from a newsletter",
    example: { list_id: "lst_01…", email: "ada@example.com" },
  },
  "message.failed": {
    group: "Messaging",
    description: "An outbound message failed for good",
    example: { message_id: "msg_01…", channel: "email", error: "…" },
  },
  "analytics.events": {
    group: "Analytics",
    description: "A batch of product-analytics events, for endpoints chosen as an analytics destination (one delivery per ingested batch)",
    example: {
      destination_id: "dst_01…",
      batch_id: "fwb_…",
      count: 1,
      events: "[{ id, name, distinct_id, timestamp (ISO), properties, context }, …]",
    },
  },
  "file.uploaded": {
    group: "Files",
    description: "A file was uploaded to the workspace's file storage",
    example: { file_id: "fil_01…", name: "report.pdf", size: 48213, content_type: "application/pdf", sha256: "9f86d0…", folder_id: null },
  },
  "file.deleted": {
    group: "Files",
    description: "A file was deleted for good (from the trash, by hand or by the 30-day purge)",
    example: { file_id: "fil_01…", name: "report.pdf", size: 48213 },
  },
  "forum.topic.created": {
    group: "Community",
    description: "A topic was started in the community forum (visible: held topics publish when approved)",
    example: { topic_id: "ftop_01…", category_id: "fcat_01…", title: "How do I export?", kind: "question", author_id: "eu_01…" },
  },
  "forum.post.created": {
    group: "Community",
    description: "A reply was posted in a community topic (visible: held replies publish when approved)",
    example: { post_id: "fpost_01…", topic_id: "ftop_01…", number: 2, author_id: "usr_01…" },
  },
  "forum.answer.accepted": {
    group: "Community",
    description: "A reply was marked the accepted answer of a question topic",
    example: { topic_id: "ftop_01…", post_id: "fpost_01…", answerer_id: "usr_01…", accepted_by: "eu_01…" },
  },
  "lead.created": {
    group: "Sales",
    description: "A lead was added one at a time (dashboard or API; imports and CRM sync do not send it)",
    example: {
      lead_id: "lead_01…",
      email: "grace@compilers.example",
      name: "Grace Hopper",
      company: "Compilers Inc",
      source: "manual",
      owner_id: null,
      score: 72,
    },
  },
  "lead.replied": {
    group: "Sales",
    description: "A lead answered an outreach email (auto-replies excluded); the lead's sequences stop",
    example: {
      lead_id: "lead_01…",
      email: "grace@compilers.example",
      sentiment: "positive",
      subject: "Re: Quick question",
      sequence_id: "seq_01…",
      draft_id: "drf_01…",
      inbound_id: "inb_01…",
    },
  },
  "feedback.received": {
    group: "Surveys",
    description: "A visitor sent feedback from the widget, or answered the NPS survey",
    example: {
      kind: "feedback",
      feedback_id: "fb_01…",
      category: "bug",
      message: "The export button does nothing",
      email: "ada@example.com",
      page_url: "https://app.example.com/reports",
    },
  },
  "webhook.test": { group: "Webhooks", description: "Sent by the “Send test event” button", example: { message: "Hello from Weft" } },
} as const satisfies Record<string, { group: string; description: string; example: Record<string, unknown> }>;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
export const isEventType = (t: string): t is EventType => t in EVENT_TYPES;

/** Retry schedule after a failed attempt (seconds), as published in the API docs and README. */
export const WEBHOOK_RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_SCHEDULE_SECONDS.length + 1;
/** An endpoint is disabled after this many deliveries in a row exhausted their retries (or on HTTP 410). */
export const WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES = 5;
/** How long the previous secret keeps signing after a rotation. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
