import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageEvents, messageSuppressions } from "../../../../schema/messaging";
import { toBase64 } from "../../../platform/crypto";
import { getDb } from "../../../platform/db";
import { CREDS, FakeProviders } from "./fake-providers";
import { signUp } from "../../../../test/helpers";
import { pathOf, post, sentRow, statusOf, svix } from "./callback-fixtures";
import { addProvider, asOwner } from "./messaging-fixtures";

/** Resend's delivery callbacks, signed for real with Svix (HMAC-SHA256 over id, timestamp and body). */
const db = () => getDb(env.DB);
const fake = new FakeProviders();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());

const RESEND_SECRET = `whsec_${toBase64(new TextEncoder().encode("resend-callback-secret-0123456789"))}`;

describe("Resend (Svix-signed) callbacks", () => {
  it("moves sent → delivered; replay, tampering, wrong secret and out-of-order events change nothing", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "resend",
      from: "a@acme.test",
      credentials: { api_key: CREDS.resend, webhook_secret: RESEND_SECRET },
      enabled: false,
    });
    expect(acct.webhook_url).toContain(`/webhooks/messaging/resend/${acct.id}`);
    const path = pathOf(acct.webhook_url);
    const msg = await sentRow(u, "resend", "re-email-1");
    const delivered = await svix(RESEND_SECRET, {
      type: "email.delivered",
      created_at: new Date().toISOString(),
      data: { email_id: "re-email-1", to: [msg.recipient] },
    });

    // Tampered body: the signature no longer matches.
    const tampered = await post(path, delivered.body.replace("email.delivered", "email.bounced"), delivered.headers);
    expect(tampered.status).toBe(401);
    // Wrong secret.
    const wrong = await svix(`whsec_${toBase64(new TextEncoder().encode("another-secret-entirely-000"))}`, {
      type: "email.delivered",
      data: { email_id: "re-email-1" },
    });
    expect((await post(path, wrong.body, wrong.headers)).status).toBe(401);
    // Stale timestamp (outside the 5-minute tolerance).
    const stale = await svix(
      RESEND_SECRET,
      { type: "email.delivered", data: { email_id: "re-email-1" } },
      { ts: Math.floor(Date.now() / 1000) - 3600 },
    );
    expect((await post(path, stale.body, stale.headers)).status).toBe(401);
    expect((await statusOf(msg.id)).status).toBe("sent");

    const ok = await post(path, delivered.body, delivered.headers);
    expect(ok).toMatchObject({ status: 200, body: { received: 1, applied: 1, duplicates: 0 } });
    expect(await statusOf(msg.id)).toMatchObject({ status: "delivered" });
    expect((await statusOf(msg.id)).deliveredAt).toBeTypeOf("number");

    // Replay of the same svix-id: acknowledged, recorded once.
    const replay = await post(path, delivered.body, delivered.headers);
    expect(replay).toMatchObject({ status: 200, body: { duplicates: 1, applied: 0 } });
    expect(
      await db()
        .select()
        .from(messageEvents)
        .where(and(eq(messageEvents.account, acct.id), eq(messageEvents.messageId, msg.id))),
    ).toHaveLength(1);

    // Out of order: a late "sent" after "delivered" does not move it back.
    const late = await svix(RESEND_SECRET, { type: "email.sent", data: { email_id: "re-email-1" } });
    expect(await post(path, late.body, late.headers)).toMatchObject({ status: 200, body: { applied: 0, duplicates: 0 } });
    expect((await statusOf(msg.id)).status).toBe("delivered");

    // The delivery log shows what the provider reported, and which events changed nothing.
    const detail = await asOwner(u, `/api/v1/messages/${msg.id}`);
    expect(detail.body.provider_events).toEqual([
      expect.objectContaining({ type: "delivered", provider: "resend", applied: true }),
      expect.objectContaining({ type: "sent", provider: "resend", applied: false }),
    ]);
  });

  it("a hard bounce marks the message bounced and suppresses the address: the next send() is logged as suppressed", async () => {
    const u = await signUp();
    const acct = await addProvider(u, {
      provider: "resend",
      from: "a@acme.test",
      credentials: { api_key: CREDS.resend, webhook_secret: RESEND_SECRET },
      enabled: false,
    });
    const hookUrl = `https://hooks.example.org/failed/${Date.now()}`;
    const ep = await asOwner(u, "/api/v1/webhook-endpoints", { url: hookUrl, event_types: ["message.failed"] });
    const receiver = {
      secret: ep.body.secret as string,
      received: [] as { headers: Record<string, string>; body: string; verified: boolean }[],
      status: [] as number[],
    };
    fake.webhookReceivers.set(hookUrl, receiver);
    const msg = await sentRow(u, "resend", "re-email-bounce");
    const ev = await svix(RESEND_SECRET, {
      type: "email.bounced",
      data: {
        email_id: "re-email-bounce",
        to: [msg.recipient],
        bounce: { type: "Permanent", subType: "General", message: "mailbox does not exist" },
      },
    });
    expect(await post(pathOf(acct.webhook_url), ev.body, ev.headers)).toMatchObject({ status: 200, body: { applied: 1 } });
    expect(await statusOf(msg.id)).toMatchObject({ status: "bounced" });
    expect((await statusOf(msg.id)).lastError).toContain("mailbox does not exist");
    const sup = await db()
      .select()
      .from(messageSuppressions)
      .where(and(eq(messageSuppressions.tenantId, u.tenantId), eq(messageSuppressions.recipient, msg.recipient)))
      .get();
    expect(sup).toMatchObject({ reason: "hard_bounce", channel: "email" });
    // The workspace's endpoint hears about it: message.failed, signed, once.
    for (let i = 0; i < 200 && !receiver.received.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.verified).toBe(true);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      type: "message.failed",
      data: { message_id: msg.id, channel: "email", recipient: msg.recipient },
    });

    // A later "delivered" for the same message (out of order) does not undo the bounce.
    const lateDelivered = await svix(RESEND_SECRET, { type: "email.delivered", data: { email_id: "re-email-bounce" } });
    expect(await post(pathOf(acct.webhook_url), lateDelivered.body, lateDelivered.headers)).toMatchObject({
      status: 200,
      body: { applied: 0 },
    });
    expect((await statusOf(msg.id)).status).toBe("bounced");

    const r = await asOwner(u, "/api/v1/messages", {
      to: { email: msg.recipient },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "today" },
    });
    expect(r.status).toBe(202);
    const id = r.body.data[0].id as string;
    for (let i = 0; i < 300 && !["suppressed", "delivered", "sent", "failed"].includes((await statusOf(id)).status); i++)
      await new Promise((res) => setTimeout(res, 50));
    expect(await statusOf(id)).toMatchObject({ status: "suppressed" });
    expect((await statusOf(id)).lastError).toMatch(/suppressed/i);

    // The workspace sees the suppression and can lift it; sends resume.
    const list = await asOwner(u, `/api/v1/messaging/suppressions?recipient=${encodeURIComponent(msg.recipient)}`);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        recipient: msg.recipient,
        channel: "email",
        reason: "hard_bounce",
        provider: "resend",
        message_id: msg.id,
      }),
    ]);
    expect(
      (await asOwner(u, `/api/v1/messaging/suppressions/email/${encodeURIComponent(msg.recipient)}`, undefined, "DELETE")).status,
    ).toBe(204);
    expect(
      (await asOwner(u, `/api/v1/messaging/suppressions/email/${encodeURIComponent(msg.recipient)}`, undefined, "DELETE")).status,
    ).toBe(404);
    const again = await asOwner(u, "/api/v1/messages", {
      to: { email: msg.recipient },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "today" },
    });
    const id2 = again.body.data[0].id as string;
    for (let i = 0; i < 300 && !["suppressed", "delivered", "sent", "failed"].includes((await statusOf(id2)).status); i++)
      await new Promise((res) => setTimeout(res, 50));
    expect((await statusOf(id2)).status).toBe("delivered");
  });

  it("another workspace's account cannot report on this workspace's messages", async () => {
    const a = await signUp();
    const b = await signUp();
    const bAcct = await addProvider(b, {
      provider: "resend",
      from: "b@b.test",
      credentials: { api_key: CREDS.resend, webhook_secret: RESEND_SECRET },
      enabled: false,
    });
    const msg = await sentRow(a, "resend", "re-email-a-only");
    const ev = await svix(RESEND_SECRET, { type: "email.complained", data: { email_id: "re-email-a-only" } });
    expect(await post(pathOf(bAcct.webhook_url), ev.body, ev.headers)).toMatchObject({ status: 200, body: { unmatched: 1, applied: 0 } });
    expect((await statusOf(msg.id)).status).toBe("sent");
  });

  it("unknown accounts are 404 and accounts without a secret cannot be verified", async () => {
    const u = await signUp();
    const noSecret = await addProvider(u, {
      provider: "resend",
      from: "a@acme.test",
      credentials: { api_key: CREDS.resend },
      enabled: false,
    });
    const ev = await svix(RESEND_SECRET, { type: "email.delivered", data: { email_id: "x" } });
    expect((await post("/webhooks/messaging/resend/mpr_does_not_exist", ev.body, ev.headers)).status).toBe(404);
    expect((await post(pathOf(noSecret.webhook_url), ev.body, ev.headers)).status).toBe(401);
    // The platform's accounts: nothing configured in the test environment, so nothing is accepted.
    for (const provider of ["resend", "sendgrid", "postmark"]) {
      const r = await post(`/webhooks/messaging/${provider}/platform`, ev.body, {
        ...ev.headers,
        Authorization: `Basic ${toBase64(new TextEncoder().encode("weft:guess"))}`,
      });
      expect(r.status, provider).toBe(401);
      expect(r.body.type, provider).toContain("callback-not-configured");
    }
  });
});
