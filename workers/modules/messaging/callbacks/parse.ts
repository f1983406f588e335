import { z } from "zod";
import { badRequest } from "../../../platform/errors";

/**
 * Providers' delivery events, normalised. `type` drives the delivery log:
 * sent → delivered → (bounced | failed | complained); `deferred` and `other` are recorded only.
 * `hard` marks a permanent failure of the address itself: it is suppressed for later sends.
 */
export type EventType = "sent" | "delivered" | "deferred" | "bounced" | "failed" | "complained" | "other";
export interface ProviderEvent {
  eventId: string;
  providerMessageId: string | null;
  outboxId: string | null; // our message id, when the provider echoes it (tags, custom args, metadata)
  type: EventType;
  hard: boolean;
  recipient: string | null;
  detail: string | null;
  occurredAt: number | null;
}

const time = (v: unknown): number | null => {
  if (typeof v === "number") return v < 1e12 ? v * 1000 : v;
  if (typeof v === "string") {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
};
const str = (v: unknown) => (typeof v === "string" && v ? v : null);
const first = (v: unknown) => (Array.isArray(v) ? str(v[0]) : str(v));

// ---- Resend (Svix): {"type": "email.delivered", "created_at", "data": {"email_id", "to": [..], "bounce": {...}, "tags": {...}}}
const resendSchema = z.object({
  type: z.string(),
  created_at: z.string().optional(),
  data: z.looseObject({
    email_id: z.string().optional(),
    to: z.union([z.array(z.string()), z.string()]).optional(),
    tags: z.unknown().optional(),
    bounce: z.looseObject({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() }).optional(),
  }),
});

function resendTag(tags: unknown, name: string): string | null {
  if (Array.isArray(tags)) return str((tags as { name?: string; value?: string }[]).find((t) => t?.name === name)?.value);
  if (tags && typeof tags === "object") return str((tags as Record<string, unknown>)[name]);
  return null;
}

export function parseResend(svixId: string, body: unknown): ProviderEvent[] {
  const e = resendSchema.parse(body);
  const bounce = e.data.bounce;
  let type: EventType = "other";
  let hard = false;
  switch (e.type) {
    case "email.sent":
      type = "sent";
      break;
    case "email.delivered":
      type = "delivered";
      break;
    case "email.delivery_delayed":
      type = "deferred";
      break;
    case "email.complained":
      type = "complained";
      hard = true;
      break;
    case "email.bounced":
      hard = (bounce?.type ?? "Permanent") === "Permanent";
      type = hard ? "bounced" : "deferred";
      break;
    case "email.failed":
      type = "failed";
      break;
  }
  const detail = bounce ? [bounce.type, bounce.subType, bounce.message].filter(Boolean).join(": ") : e.type;
  return [
    {
      eventId: svixId,
      providerMessageId: e.data.email_id ?? null,
      outboxId: resendTag(e.data.tags, "message_id"),
      type,
      hard,
      recipient: first(e.data.to),
      detail,
      occurredAt: time(e.created_at),
    },
  ];
}

// ---- SendGrid Event Webhook: a JSON array of events.
const sendgridSchema = z
  .array(
    z.looseObject({
      event: z.string(),
      sg_event_id: z.string(),
      sg_message_id: z.string().optional(),
      email: z.string().optional(),
      timestamp: z.number().optional(),
      type: z.string().optional(), // bounce | blocked (on "bounce" events)
      reason: z.string().optional(),
      response: z.string().optional(),
      message_id: z.string().optional(), // our custom_args.message_id, flattened into the event
    }),
  )
  .max(1000);

export function parseSendGrid(body: unknown): ProviderEvent[] {
  return sendgridSchema.parse(body).map((e) => {
    let type: EventType = "other";
    let hard = false;
    switch (e.event) {
      case "processed":
        type = "sent";
        break;
      case "delivered":
        type = "delivered";
        break;
      case "deferred":
        type = "deferred";
        break;
      case "bounce":
        hard = (e.type ?? "bounce") === "bounce";
        type = hard ? "bounced" : "failed"; // "blocked": the receiving server refused this time
        break;
      case "dropped":
        type = "failed";
        break;
      case "spamreport":
        type = "complained";
        hard = true;
        break;
    }
    // sg_message_id = "<X-Message-Id>.filter…": the part before the first dot is what the send answered.
    return {
      eventId: e.sg_event_id,
      providerMessageId: e.sg_message_id ? e.sg_message_id.split(".")[0]! : null,
      outboxId: e.message_id ?? null,
      type,
      hard,
      recipient: e.email ?? null,
      detail: e.reason ?? e.response ?? e.event,
      occurredAt: time(e.timestamp),
    };
  });
}

// ---- Postmark: one record per call; RecordType Delivery | Bounce | SpamComplaint | Open | Click | SubscriptionChange.
const postmarkSchema = z.looseObject({
  RecordType: z.string(),
  ID: z.union([z.number(), z.string()]).optional(),
  MessageID: z.string().optional(),
  Recipient: z.string().optional(),
  Email: z.string().optional(),
  Type: z.string().optional(),
  Inactive: z.boolean().optional(),
  Description: z.string().optional(),
  Details: z.string().optional(),
  DeliveredAt: z.string().optional(),
  BouncedAt: z.string().optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
});
/** Bounce types that mean the address itself is bad (Postmark deactivates these too). */
const POSTMARK_HARD = new Set(["HardBounce", "BadEmailAddress", "ManuallyDeactivated", "Unsubscribe", "SpamNotification"]);

export function parsePostmark(body: unknown): ProviderEvent[] {
  const e = postmarkSchema.parse(body);
  const base = { providerMessageId: e.MessageID ?? null, outboxId: str(e.Metadata?.message_id), recipient: e.Recipient ?? e.Email ?? null };
  switch (e.RecordType) {
    case "Delivery":
      return [
        {
          ...base,
          eventId: `Delivery:${e.MessageID}:${e.Recipient}`,
          type: "delivered",
          hard: false,
          detail: e.Details ?? "Delivered",
          occurredAt: time(e.DeliveredAt),
        },
      ];
    case "Bounce": {
      const hard = POSTMARK_HARD.has(e.Type ?? "") || e.Inactive === true;
      return [
        {
          ...base,
          eventId: `Bounce:${e.ID}`,
          type: hard ? "bounced" : "deferred",
          hard,
          detail: [e.Type, e.Description].filter(Boolean).join(": "),
          occurredAt: time(e.BouncedAt),
        },
      ];
    }
    case "SpamComplaint":
      return [
        {
          ...base,
          eventId: `SpamComplaint:${e.ID}`,
          type: "complained",
          hard: true,
          detail: "Spam complaint",
          occurredAt: time(e.BouncedAt),
        },
      ];
    default:
      return [
        {
          ...base,
          eventId: `${e.RecordType}:${e.ID ?? e.MessageID}:${e.Recipient ?? ""}`,
          type: "other",
          hard: false,
          detail: e.RecordType,
          occurredAt: null,
        },
      ];
  }
}

// ---- Twilio SMS status callback (form-encoded): MessageSid, MessageStatus, ErrorCode, To.
/** Error codes that mean the number cannot receive SMS at all (unknown, landline, unsubscribed via STOP). */
const TWILIO_UNREACHABLE = new Set(["30005", "30006", "21610", "21614"]);

export function parseTwilio(params: URLSearchParams): ProviderEvent[] {
  const sid = params.get("MessageSid") ?? params.get("SmsSid");
  const status = params.get("MessageStatus") ?? params.get("SmsStatus");
  if (!sid || !status) throw badRequest("A Twilio status callback carries MessageSid and MessageStatus.");
  const code = params.get("ErrorCode");
  const hard = !!code && TWILIO_UNREACHABLE.has(code);
  const type: EventType =
    status === "sent"
      ? "sent"
      : status === "delivered"
        ? "delivered"
        : status === "undelivered" || status === "failed"
          ? hard
            ? "bounced"
            : "failed"
          : "other";
  return [
    {
      eventId: `${sid}:${status}`,
      providerMessageId: sid,
      outboxId: null,
      type,
      hard,
      recipient: params.get("To"),
      detail: code ? `${status} (error ${code})` : status,
      occurredAt: null,
    },
  ];
}
