import { toBase64 } from "../../../platform/crypto";
import { call, ProviderError, type SendResult } from "./http";

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}
export interface SmsMessage {
  id: string;
  from: string;
  to: string;
  body: string;
  statusCallback?: string;
}

/**
 * Twilio Programmable Messaging: POST /2010-04-01/Accounts/{Sid}/Messages.json, HTTP Basic
 * (Account SID : Auth Token), form-encoded To/From/Body; answers 201 {"sid": "SM…"}.
 * A sender starting with "MG" is a Messaging Service SID.
 */
export async function sendViaTwilio(creds: TwilioCredentials, m: SmsMessage): Promise<SendResult> {
  const form = new URLSearchParams({ To: m.to, Body: m.body });
  if (m.from.startsWith("MG")) form.set("MessagingServiceSid", m.from);
  else form.set("From", m.from);
  if (m.statusCallback) form.set("StatusCallback", m.statusCallback);
  const req = new Request(`https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(creds.accountSid)}/Messages.json`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${toBase64(new TextEncoder().encode(`${creds.accountSid}:${creds.authToken}`))}`,
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
    },
    body: form.toString(),
  });
  const { res, text } = await call("twilio", req);
  const sid = (JSON.parse(text || "{}") as { sid?: string }).sid;
  if (!sid) throw new ProviderError("provider", "twilio: answer without a sid", res.status, text);
  return { providerMessageId: sid, status: res.status, response: text };
}

/** E.164: "+" and 8–15 digits. */
export const E164 = /^\+[1-9]\d{7,14}$/;
