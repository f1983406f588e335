import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devSms, notifications } from "../../../../schema/messaging";
import { processOutboxMessage } from "../consumer";
import { sendMessages } from "../send";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { CREDS, FakeProviders } from "./fake-providers";
import { newSubscriberKeys } from "./fake-providers/push-decrypt";
import { addProvider, asOwner, waitForStatus } from "./messaging-fixtures";
import { signUp } from "../../../../test/helpers";

/** SMS through Twilio (and the dev SMS inbox), web push to a fake push service, and the in-app bell. */
const db = () => getDb(env.DB);
const fake = new FakeProviders();

beforeAll(() => {
  fake.install();
});
afterAll(() => fake.uninstall());
beforeEach(() => fake.clearScripts());

describe("SMS, push and in-app", () => {
  it("sends SMS through Twilio (Basic auth, form body) and falls back to the dev SMS inbox locally", async () => {
    const u = await signUp();
    const local = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { phone: "+15550001111" },
      channels: ["sms"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "d" },
      category: "transactional",
    });
    expect(await waitForStatus(local[0]!.id)).toMatchObject({ status: "delivered", provider: "dev-sms" });
    expect(await db().select().from(devSms).where(eq(devSms.messageId, local[0]!.id))).toHaveLength(1);

    await addProvider(u, {
      provider: "twilio",
      from: "+15550009999",
      credentials: { account_sid: CREDS.twilioSid, auth_token: CREDS.twilioToken },
      rate_per_second: 100,
    });
    const [m] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { phone: "+15550002222" },
      channels: ["sms"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "d" },
      category: "transactional",
    });
    const row = await waitForStatus(m!.id);
    expect(row).toMatchObject({ status: "sent", provider: "twilio" });
    expect(row.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const req = fake.to("api.twilio.com").find((x) => x.body.includes("%2B15550002222"))!;
    const form = new URLSearchParams(req.body);
    expect(form.get("From")).toBe("+15550009999");
    expect(form.get("Body")).toContain("This is a test message");
  });

  it("delivers web push encrypted to the subscription with a VAPID token the push service verifies; 410 drops the subscription", async () => {
    const u = await signUp();
    const keys = await newSubscriberKeys();
    const endpoint = `https://push.example.net/sub/${newId("ep")}`;
    fake.pushSubscribers.set(endpoint, { ...keys, received: [] });
    expect((await asOwner(u, "/api/v1/push/subscriptions", { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } })).status).toBe(201);
    const [m] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { userId: u.userId },
      channels: ["push"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "now", link: "/messages" },
      category: "transactional",
    });
    expect(await waitForStatus(m!.id)).toMatchObject({ status: "sent", provider: "webpush" });
    const got = JSON.parse(fake.pushSubscribers.get(endpoint)!.received[0]!);
    expect(got).toMatchObject({ title: "Test message from Acme", url: "/messages" });
    expect(got.body).toContain("sent from the Acme dashboard");

    fake.script("push.example.net", "gone");
    const [m2] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { userId: u.userId },
      channels: ["push"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "now" },
      category: "transactional",
    });
    expect(await waitForStatus(m2!.id)).toMatchObject({ status: "failed" });
    const [m3] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { userId: u.userId },
      channels: ["push"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "now" },
      category: "transactional",
    });
    expect(await waitForStatus(m3!.id)).toMatchObject({ status: "suppressed", lastError: "The recipient has no push subscription" });
  });

  it("puts in-app notifications in the member's bell: unread count, mark read, mark all read", async () => {
    const u = await signUp();
    const other = await signUp();
    const sends = [];
    for (let i = 0; i < 3; i++) {
      sends.push(
        ...(await sendMessages(db(), env.OUTBOX, {
          tenantId: u.tenantId,
          to: { userId: u.userId },
          channels: ["in_app"],
          template: "notifications.generic",
          data: { title: `Hello ${i}`, body: "<b>body</b>", link: "/x" },
          category: "product",
        })),
      );
    }
    for (const s of sends) await waitForStatus(s.id);
    expect((await asOwner(u, "/api/v1/notifications/unread-count")).body.unread).toBe(3);
    expect((await asOwner(other, "/api/v1/notifications/unread-count")).body.unread).toBe(0);
    const list = await asOwner(u, "/api/v1/notifications?limit=2");
    expect(list.body.data).toHaveLength(2);
    expect(list.body.next_cursor).toBeTruthy();
    // The consumer delivers a batch concurrently, so which of the three is newest is not fixed.
    expect(["Hello 0", "Hello 1", "Hello 2"]).toContain(list.body.data[0].title);
    expect(list.body.data[0]).toMatchObject({ body: "<b>body</b>", link: "/x", read_at: null });
    expect((await asOwner(u, `/api/v1/notifications/${list.body.data[0].id}/read`, {})).body.read_at).not.toBeNull();
    expect((await asOwner(u, "/api/v1/notifications/unread-count")).body.unread).toBe(2);
    // Another member cannot mark it.
    expect((await asOwner(other, `/api/v1/notifications/${list.body.data[1].id}/read`, {})).status).toBe(404);
    expect((await asOwner(u, "/api/v1/notifications/read-all", {})).body.updated).toBe(2);
    expect((await asOwner(u, "/api/v1/notifications/unread-count")).body.unread).toBe(0);
    // A redelivered in-app message adds nothing.
    expect(await processOutboxMessage(env, { v: 1, outboxId: sends[0]!.id, attempt: 1 })).toBe("skipped");
    expect(
      await db()
        .select()
        .from(notifications)
        .where(and(eq(notifications.tenantId, u.tenantId), eq(notifications.userId, u.userId))),
    ).toHaveLength(3);
  });
});
