import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageSuppressions } from "../../../../schema/messaging";
import { twilioSignature } from "../callbacks/verify";
import { toBase64 } from "../../../platform/crypto";
import { getDb } from "../../../platform/db";
import { CREDS, FakeProviders } from "./fake-providers";
import { BASE, signUp } from "../../../../test/helpers";
import { pathOf, post, sendgridKeys, sentRow, statusOf } from "./callback-fixtures";
import { addProvider } from "./messaging-fixtures";

/**
 * Delivery callbacks with signatures computed for real: ECDSA P-256 (SendGrid, key generated here),
 * basic auth (Postmark), HMAC-SHA1 (Twilio). Resend's (Svix) are in messaging-callbacks-resend.test.ts.
 */
const db = () => getDb(env.DB);
const fake = new FakeProviders();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());

describe("SendGrid Event Webhook (ECDSA)", () => {
  it("verifies the signature, applies a batch of events and ignores tampered, wrong-key and replayed posts", async () => {
    const u = await signUp();
    const keys = await sendgridKeys();
    const other = await sendgridKeys();
    const acct = await addProvider(u, {
      provider: "sendgrid",
      from: "a@acme.test",
      credentials: { api_key: CREDS.sendgrid, webhook_public_key: keys.publicKey },
      enabled: false,
    });
    const path = pathOf(acct.webhook_url);
    const m1 = await sentRow(u, "sendgrid", "sgid-1");
    const m2 = await sentRow(u, "sendgrid", "sgid-2");
    const ts = String(Math.floor(Date.now() / 1000));
    const events = [
      { email: m1.recipient, event: "processed", sg_event_id: "sge-1", sg_message_id: "sgid-1.filter0001.1.2", timestamp: Number(ts) },
      { email: m1.recipient, event: "delivered", sg_event_id: "sge-2", sg_message_id: "sgid-1.filter0001.1.2", timestamp: Number(ts) },
      { email: m2.recipient, event: "spamreport", sg_event_id: "sge-3", sg_message_id: "sgid-2.filter0001.1.2", timestamp: Number(ts) },
    ];
    const body = JSON.stringify(events);
    const headers = (sig: string, t = ts) => ({
      "Content-Type": "application/json",
      "X-Twilio-Email-Event-Webhook-Signature": sig,
      "X-Twilio-Email-Event-Webhook-Timestamp": t,
    });
    const sig = await keys.sign(ts, body);

    expect((await post(path, body.replace("spamreport", "delivered"), headers(sig))).status).toBe(401); // tampered body
    expect((await post(path, body, headers(await other.sign(ts, body)))).status).toBe(401); // signed with another key
    expect((await post(path, body, headers(sig, String(Number(ts) + 1)))).status).toBe(401); // timestamp is part of the signed data
    expect((await statusOf(m1.id)).status).toBe("sent");

    expect(await post(path, body, headers(sig))).toMatchObject({ status: 200, body: { received: 3, applied: 2, duplicates: 0 } });
    expect((await statusOf(m1.id)).status).toBe("delivered");
    expect((await statusOf(m2.id)).status).toBe("complained");
    const sup = await db()
      .select()
      .from(messageSuppressions)
      .where(and(eq(messageSuppressions.tenantId, u.tenantId), eq(messageSuppressions.recipient, m2.recipient)))
      .get();
    expect(sup?.reason).toBe("complaint");

    expect(await post(path, body, headers(sig))).toMatchObject({ status: 200, body: { received: 3, applied: 0, duplicates: 3 } });
  });
});

describe("Postmark (basic auth in the webhook URL)", () => {
  it("accepts the credentials from webhook_url only, and applies Delivery then a hard Bounce", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "postmark",
      from: "a@acme.test",
      credentials: { api_key: CREDS.postmark },
      enabled: false,
    });
    const url = new URL(acct.webhook_url);
    expect(url.username).toBe("weft");
    expect(url.password.length).toBeGreaterThanOrEqual(16);
    const auth = (user: string, pw: string) => `Basic ${toBase64(new TextEncoder().encode(`${user}:${pw}`))}`;
    const msg = await sentRow(u, "postmark", "pm-msg-1");
    const delivery = JSON.stringify({
      RecordType: "Delivery",
      MessageID: "pm-msg-1",
      Recipient: msg.recipient,
      DeliveredAt: new Date().toISOString(),
      Details: "Test delivery",
      Metadata: {},
    });
    expect((await post(url.pathname, delivery, { "Content-Type": "application/json" })).status).toBe(401);
    expect(
      (await post(url.pathname, delivery, { "Content-Type": "application/json", Authorization: auth("weft", `${url.password}x`) })).status,
    ).toBe(401);
    expect(
      await post(url.pathname, delivery, { "Content-Type": "application/json", Authorization: auth("weft", url.password) }),
    ).toMatchObject({ status: 200, body: { applied: 1 } });
    expect((await statusOf(msg.id)).status).toBe("delivered");
    const bounce = JSON.stringify({
      RecordType: "Bounce",
      ID: 4323372036854775807,
      Type: "HardBounce",
      TypeCode: 1,
      MessageID: "pm-msg-1",
      Email: msg.recipient,
      Description: "The server was unable to deliver your message",
      BouncedAt: new Date().toISOString(),
      Inactive: true,
    });
    expect(
      await post(url.pathname, bounce, { "Content-Type": "application/json", Authorization: auth("weft", url.password) }),
    ).toMatchObject({ status: 200, body: { applied: 1 } });
    expect((await statusOf(msg.id)).status).toBe("bounced");
    expect(
      await post(url.pathname, bounce, { "Content-Type": "application/json", Authorization: auth("weft", url.password) }),
    ).toMatchObject({ status: 200, body: { duplicates: 1 } });
  });
});

describe("Twilio SMS status callbacks (X-Twilio-Signature)", () => {
  it("checks the HMAC-SHA1 over URL + sorted params with the account's auth token", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "twilio",
      from: "+15550001111",
      credentials: { account_sid: CREDS.twilioSid, auth_token: CREDS.twilioToken },
      enabled: false,
    });
    const msg = await sentRow(u, "twilio", "SM0123456789abcdef0123456789abcdef", "sms", "+14155550123");
    const url = BASE + pathOf(acct.webhook_url);
    const params = new URLSearchParams({
      MessageSid: "SM0123456789abcdef0123456789abcdef",
      MessageStatus: "delivered",
      To: "+14155550123",
      AccountSid: CREDS.twilioSid,
      ApiVersion: "2010-04-01",
    });
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const good = await twilioSignature(CREDS.twilioToken, url, params);
    expect(
      (
        await post(pathOf(url), params.toString(), {
          ...form,
          "X-Twilio-Signature": await twilioSignature("wrong-token-000000", url, params),
        })
      ).status,
    ).toBe(401);
    const tampered = new URLSearchParams(params);
    tampered.set("MessageStatus", "failed");
    expect((await post(pathOf(url), tampered.toString(), { ...form, "X-Twilio-Signature": good })).status).toBe(401);
    expect(await post(pathOf(url), params.toString(), { ...form, "X-Twilio-Signature": good })).toMatchObject({
      status: 200,
      body: { applied: 1 },
    });
    expect((await statusOf(msg.id)).status).toBe("delivered");

    // Out of order: "sent" arrives after "delivered".
    const sent = new URLSearchParams({ ...Object.fromEntries(params), MessageStatus: "sent" });
    expect(
      await post(pathOf(url), sent.toString(), { ...form, "X-Twilio-Signature": await twilioSignature(CREDS.twilioToken, url, sent) }),
    ).toMatchObject({ status: 200, body: { applied: 0 } });
    expect((await statusOf(msg.id)).status).toBe("delivered");
    // Replay.
    expect(await post(pathOf(url), params.toString(), { ...form, "X-Twilio-Signature": good })).toMatchObject({
      status: 200,
      body: { duplicates: 1 },
    });
  });

  it("an unreachable number (error 30006, landline) is suppressed for SMS", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "twilio",
      from: "+15550001111",
      credentials: { account_sid: CREDS.twilioSid, auth_token: CREDS.twilioToken },
      enabled: false,
    });
    const msg = await sentRow(u, "twilio", "SMffff56789abcdef0123456789abcdef", "sms", "+14155550999");
    const url = BASE + pathOf(acct.webhook_url);
    const params = new URLSearchParams({
      MessageSid: "SMffff56789abcdef0123456789abcdef",
      MessageStatus: "undelivered",
      ErrorCode: "30006",
      To: "+14155550999",
    });
    expect(
      await post(pathOf(url), params.toString(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": await twilioSignature(CREDS.twilioToken, url, params),
      }),
    ).toMatchObject({ status: 200, body: { applied: 1 } });
    expect((await statusOf(msg.id)).status).toBe("bounced");
    const sup = await db()
      .select()
      .from(messageSuppressions)
      .where(and(eq(messageSuppressions.tenantId, u.tenantId), eq(messageSuppressions.recipient, "+14155550999")))
      .get();
    expect(sup).toMatchObject({ channel: "sms", reason: "unreachable" });
  });
});
