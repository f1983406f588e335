import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devMailbox, outboxMessages } from "../../../../schema/messaging";
import { processOutboxMessage } from "../../messaging/consumer";
import { WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES, WEBHOOK_MAX_ATTEMPTS } from "../catalogue";
import { publishEvent } from "../publish";
import { verifySignature } from "../../../platform/standard-webhooks";
import { getDb } from "../../../platform/db";
import { FakeProviders } from "../../messaging/test/fake-providers";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const fake = new FakeProviders();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());
beforeEach(() => fake.clearScripts());

const as = (u: TestUser, path: string, body?: unknown, method?: string) =>
  callJson(path, { token: u.accessToken, tenant: u.tenantId, body, method, ip: u.ip });
let n = 0;
async function endpoint(u: TestUser, eventTypes: string[] = [], status: number[] = []) {
  const url = `https://hooks.example.org/weft/${++n}-${Date.now()}`;
  const r = await as(u, "/api/v1/webhook-endpoints", { url, event_types: eventTypes, description: "test" });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
  const receiver = {
    secret: r.body.secret as string,
    received: [] as { headers: Record<string, string>; body: string; verified: boolean }[],
    status,
  };
  fake.webhookReceivers.set(url, receiver);
  return { id: r.body.id as string, url, receiver };
}
async function waitFor(id: string, statuses: string[]) {
  for (let i = 0; i < 300; i++) {
    const row = await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get();
    if (row && statuses.includes(row.status)) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`message ${id} never reached ${statuses}`);
}

describe("outbound webhooks", () => {
  it("publishes the catalogue with the retry schedule", async () => {
    const r = await callJson("/api/v1/webhook-event-types");
    expect(r.status).toBe(200);
    expect(r.body.data.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        "member.invited",
        "subscription.updated",
        "conversation.created",
        "order.paid",
        "lead.created",
        "lead.replied",
        "feedback.received",
      ]),
    );
    expect(r.body.retry_schedule_seconds).toHaveLength(WEBHOOK_MAX_ATTEMPTS - 1);
  });

  it("delivers subscribed events signed per Standard Webhooks; other endpoints and types get nothing", async () => {
    const u = await signUp();
    const orders = await endpoint(u, ["order.paid"]);
    const all = await endpoint(u, []);
    const members = await endpoint(u, ["member.invited"]);
    const { eventId, messageIds } = await publishEvent(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      type: "order.paid",
      data: { order_id: "ord_1", total_cents: 2500 },
    });
    expect(messageIds).toHaveLength(2);
    for (const id of messageIds)
      expect(await waitFor(id, ["delivered"])).toMatchObject({ provider: "webhook", providerMessageId: eventId });
    expect(members.receiver.received).toHaveLength(0);
    for (const ep of [orders, all]) {
      const got = ep.receiver.received[0]!;
      expect(got.verified).toBe(true);
      expect(got.headers["webhook-id"]).toBe(eventId);
      expect(got.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(got.body)).toMatchObject({ type: "order.paid", data: { order_id: "ord_1", total_cents: 2500 } });
      expect(Math.abs(Number(got.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
    }
    // The delivery log shows the response code and body.
    const log = await as(u, `/api/v1/webhook-endpoints/${orders.id}/deliveries`);
    expect(log.body.data[0]).toMatchObject({ status: "delivered", channel: "webhook" });
    const detail = await as(u, `/api/v1/messages/${log.body.data[0].id}`);
    expect(detail.body.attempt_log[0]).toMatchObject({ status_code: 200, response: "ok", outcome: "success" });
  });

  it("retries on the published schedule with the same webhook-id and fresh signatures; replay resends", async () => {
    const u = await signUp();
    const ep = await endpoint(u, ["webhook.test"], [503, 500]);
    const t = await as(u, `/api/v1/webhook-endpoints/${ep.id}/test`, {});
    expect(t.status).toBe(202);
    const id = t.body.message_id as string;
    const row = await waitFor(id, ["retrying"]);
    expect(row.attempts).toBe(1);
    expect(row.nextAttemptAt! - Date.now()).toBeGreaterThan(2_000); // 5 s before attempt 2
    expect(await processOutboxMessage(env, { v: 1, outboxId: id, attempt: 2 })).toBe("retrying");
    const row2 = (await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get())!;
    expect(row2.nextAttemptAt! - Date.now()).toBeGreaterThan(250_000); // then 5 minutes
    expect(await processOutboxMessage(env, { v: 1, outboxId: id, attempt: 3 })).toBe("delivered");
    const ids = ep.receiver.received.map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(1);
    expect(ep.receiver.received.every((r) => r.verified)).toBe(true);
    const detail = await as(u, `/api/v1/messages/${id}`);
    expect(detail.body.attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([503, 500, 200]);

    const replay = await as(u, `/api/v1/webhook-endpoints/${ep.id}/deliveries/${id}/replay`, {});
    expect(replay.status).toBe(202);
    await waitFor(replay.body.id, ["delivered"]);
    expect(ep.receiver.received.at(-1)!.headers["webhook-id"]).toBe(ids[0]);
  });

  it("rotates secrets with an overlap: both signatures during it, each verifiable", async () => {
    const u = await signUp();
    const ep = await endpoint(u, ["webhook.test"]);
    const old = ep.receiver.secret;
    const rot = await as(u, `/api/v1/webhook-endpoints/${ep.id}/rotate-secret`, {});
    expect(rot.status).toBe(200);
    expect(rot.body.secret).not.toBe(old);
    expect(rot.body.previous_secret_expires_at).not.toBeNull();
    expect((await as(u, `/api/v1/webhook-endpoints/${ep.id}/secret`)).body.secret).toBe(rot.body.secret);
    const t = await as(u, `/api/v1/webhook-endpoints/${ep.id}/test`, {});
    await waitFor(t.body.message_id, ["delivered"]);
    const got = ep.receiver.received.at(-1)!;
    expect(got.headers["webhook-signature"].split(" ")).toHaveLength(2);
    const h = {
      "webhook-id": got.headers["webhook-id"]!,
      "webhook-timestamp": got.headers["webhook-timestamp"]!,
      "webhook-signature": got.headers["webhook-signature"]!,
    };
    expect(await verifySignature(old, h, got.body)).toBe(true);
    expect(await verifySignature(rot.body.secret, h, got.body)).toBe(true);
  });

  it("disables an endpoint after sustained failure and emails the owner; 410 disables at once", async () => {
    const u = await signUp();
    const ep = await endpoint(u, ["order.paid"], Array(100).fill(500));
    for (let d = 0; d < WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES; d++) {
      const { messageIds } = await publishEvent(db(), env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: { n: d } });
      const id = messageIds[0]!;
      await waitFor(id, ["retrying"]);
      for (let a = 2; a <= WEBHOOK_MAX_ATTEMPTS; a++) await processOutboxMessage(env, { v: 1, outboxId: id, attempt: a });
      expect((await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get())!.status).toBe("failed");
    }
    const after = await as(u, `/api/v1/webhook-endpoints/${ep.id}`);
    expect(after.body).toMatchObject({ status: "disabled", consecutive_failures: WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES });
    let mail;
    for (let i = 0; i < 200 && !mail; i++) {
      mail = (await db().select().from(devMailbox).where(eq(devMailbox.toAddress, u.email.toLowerCase()))).find((m) =>
        m.subject.startsWith("Webhook endpoint disabled"),
      );
      if (!mail) await new Promise((r) => setTimeout(r, 50));
    }
    expect(mail?.text).toContain(ep.url);
    // Disabled endpoints receive nothing new until re-enabled.
    expect((await publishEvent(db(), env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: {} })).messageIds).toEqual([]);
    expect((await as(u, `/api/v1/webhook-endpoints/${ep.id}`, { status: "enabled" }, "PATCH")).body).toMatchObject({
      status: "enabled",
      consecutive_failures: 0,
    });

    const gone = await endpoint(u, ["order.paid"], [410]);
    const { messageIds } = await publishEvent(db(), env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: {} });
    for (const id of messageIds) await waitFor(id, ["failed", "delivered", "retrying"]);
    expect((await as(u, `/api/v1/webhook-endpoints/${gone.id}`)).body).toMatchObject({
      status: "disabled",
      disabled_reason: "The endpoint answered 410 Gone",
    });
  });

  it("refuses unknown event types and non-URLs", async () => {
    const u = await signUp();
    expect((await as(u, "/api/v1/webhook-endpoints", { url: "https://x.example/h", event_types: ["nope.nope"] })).status).toBe(400);
    expect((await as(u, "/api/v1/webhook-endpoints", { url: "not a url", event_types: [] })).status).toBe(400);
  });
});
