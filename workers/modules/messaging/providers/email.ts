import { call, parseAddress, ProviderError, type SendResult } from "./http";

/** One rendered email as every email adapter receives it. */
export interface EmailMessage {
  id: string; // outbox message id: idempotency key and tag
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  stream: "transactional" | "broadcast";
}

export interface EmailCredentials {
  apiKey: string;
}

/** Resend: POST https://api.resend.com/emails, Bearer key, JSON; answers {"id": "…"}. */
export async function sendViaResend(creds: EmailCredentials, m: EmailMessage): Promise<SendResult> {
  const req = new Request("https://api.resend.com/emails", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${creds.apiKey}`,
      "Content-Type": "application/json",
      "Idempotency-Key": m.id,
      "User-Agent": "weft-messaging/1",
    },
    body: JSON.stringify({
      from: m.from,
      to: [m.to],
      subject: m.subject,
      text: m.text,
      ...(m.html ? { html: m.html } : {}),
      headers: m.headers,
      tags: [{ name: "message_id", value: m.id }],
    }),
  });
  const { res, text } = await call("resend", req);
  const id = (JSON.parse(text || "{}") as { id?: string }).id;
  if (!id) throw new ProviderError("provider", "resend: answer without an id", res.status, text);
  return { providerMessageId: id, status: res.status, response: text };
}

/** SendGrid v3: POST /v3/mail/send, Bearer key, personalizations; answers 202 with X-Message-Id. */
export async function sendViaSendGrid(creds: EmailCredentials, m: EmailMessage): Promise<SendResult> {
  const content = [{ type: "text/plain", value: m.text }];
  if (m.html) content.push({ type: "text/html", value: m.html });
  const req = new Request("https://api.sendgrid.com/v3/mail/send", {
    method: "POST",
    headers: { Authorization: `Bearer ${creds.apiKey}`, "Content-Type": "application/json", "User-Agent": "weft-messaging/1" },
    body: JSON.stringify({
      personalizations: [{ to: [parseAddress(m.to)], custom_args: { message_id: m.id } }],
      from: parseAddress(m.from),
      subject: m.subject,
      content,
      headers: m.headers,
      categories: [m.stream],
    }),
  });
  const { res, text } = await call("sendgrid", req);
  return { providerMessageId: res.headers.get("X-Message-Id") ?? m.id, status: res.status, response: text };
}

/** Postmark: POST /email with X-Postmark-Server-Token; answers {"MessageID", "ErrorCode": 0}. */
export async function sendViaPostmark(creds: EmailCredentials, m: EmailMessage): Promise<SendResult> {
  const req = new Request("https://api.postmarkapp.com/email", {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-Postmark-Server-Token": creds.apiKey },
    body: JSON.stringify({
      From: m.from,
      To: m.to,
      Subject: m.subject,
      TextBody: m.text,
      ...(m.html ? { HtmlBody: m.html } : {}),
      Headers: Object.entries(m.headers).map(([Name, Value]) => ({ Name, Value })),
      Metadata: { message_id: m.id },
      MessageStream: m.stream === "broadcast" ? "broadcast" : "outbound",
    }),
  });
  try {
    const { res, text } = await call("postmark", req);
    const body = JSON.parse(text || "{}") as { MessageID?: string; ErrorCode?: number; Message?: string };
    if (body.ErrorCode && body.ErrorCode !== 0)
      throw new ProviderError("rejected", `postmark: ${body.ErrorCode} ${body.Message}`, res.status, text);
    if (!body.MessageID) throw new ProviderError("provider", "postmark: answer without a MessageID", res.status, text);
    return { providerMessageId: body.MessageID, status: res.status, response: text };
  } catch (e) {
    // Postmark answers 422 for both message problems and account problems; the ErrorCode tells them apart.
    if (e instanceof ProviderError && e.status === 422 && e.response) {
      const code = (JSON.parse(e.response) as { ErrorCode?: number }).ErrorCode ?? 0;
      const accountProblem = [10, 400, 401, 402, 403, 405, 412, 413].includes(code); // bad token, sender signature, account suspended…
      if (accountProblem) throw new ProviderError("provider", e.message, e.status, e.response);
    }
    throw e;
  }
}
