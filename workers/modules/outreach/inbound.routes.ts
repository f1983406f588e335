import { validationFailed } from "../../platform/errors";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import { processInbound, verifyMailgun } from "./inbound";
import { inboundResult } from "./sequences.schemas";

/** Inbound replies: the email provider's signed inbound webhook (mounted at /webhooks; docs/sales.md). */
export const outreachInboundRoutes = createRouter();

// Mailgun's inbound "forward" fields (multipart/form-data): sender, from, recipient, subject, body-plain,
// stripped-text, Message-Id, In-Reply-To, References, timestamp, token, signature (+ attachments).
// Read by hand, not declared as a validated body: the signature is checked before anything else.
const FIELDS =
  "multipart/form-data (Mailgun's forward): `recipient`, `sender`/`from`, `subject`, `body-plain`, `stripped-text`, `Message-Id`, `In-Reply-To`, `References`, `timestamp`, `token`, `signature` = hex HMAC-SHA256(signing key, timestamp + token).";

outreachInboundRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/outreach/mailgun",
      tags: ["Outreach"],
      summary: "Mailgun inbound route (forward): a reply to an outreach email, signed with the webhook signing key",
      description: FIELDS,
      responses: {
        200: jsonResponse(inboundResult, "Stored (or a replay / an unmatched message: nothing changed)"),
        401: problemDoc("Bad signature"),
        406: problemDoc("Stale timestamp (Mailgun does not retry)"),
        503: problemDoc("MAILGUN_WEBHOOK_SIGNING_KEY is not set"),
      },
    },
  ),
  async (c) => {
    // Read the form ourselves: Mailgun's field names (body-plain, Message-Id…) and attachments pass through untouched.
    const raw = await c.req.formData().catch(() => null);
    const get = (k: string) => {
      const v = raw?.get(k);
      return typeof v === "string" ? v : undefined;
    };
    const timestamp = get("timestamp") ?? "";
    const token = get("token") ?? "";
    const signature = get("signature") ?? "";
    await verifyMailgun(c.env, { timestamp, token, signature });
    const recipient = get("recipient");
    const messageId = get("Message-Id") ?? get("message-id");
    const missing = [
      ...(recipient ? [] : [{ path: "recipient", message: "Required" }]),
      ...(messageId ? [] : [{ path: "Message-Id", message: "Required" }]),
    ];
    if (!recipient || !messageId) throw validationFailed(missing);
    const r = await processInbound(c.env, {
      provider: "mailgun",
      providerMessageId: messageId,
      from: get("from") ?? get("sender") ?? "",
      to: recipient,
      subject: get("subject") ?? "",
      text: get("stripped-text") || get("body-plain") || "",
      inReplyTo: get("In-Reply-To") ?? null,
      references: get("References") ?? null,
      receivedAt: Number(timestamp) * 1000 || Date.now(),
    });
    return c.json(r, 200);
  },
);
