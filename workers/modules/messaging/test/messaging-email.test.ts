import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { messageAttempts, outboxMessages } from "../../../../schema/messaging";
import { processOutboxMessage } from "../consumer";
import { sendMessages } from "../send";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { CREDS, FakeProviders } from "./fake-providers";
import { addProvider, asOwner, waitForStatus } from "./messaging-fixtures";
import { callJson, signUp, uniqueEmail, type TestUser } from "../../../../test/helpers";

/** Email through Resend, SendGrid and Postmark against fake servers: wire formats, failover, retries, pacing. */
const db = () => getDb(env.DB);
const fake = new FakeProviders();

/** A row inserted without enqueueing, so the test drives each attempt itself. */
async function rowFor(u: TestUser, channel: "email" | "sms", recipient: string, template = "messaging.test") {
  const id = newId("msg");
  await db()
    .insert(outboxMessages)
    .values({
      id,
      tenantId: u.tenantId,
      channel,
      recipient,
      template,
      data: { workspace: "Acme", date: "today" },
      category: "transactional",
      status: "queued",
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
  return id;
}

beforeAll(() => {
  fake.install();
});
afterAll(() => fake.uninstall());
beforeEach(() => fake.clearScripts());

describe("email providers: real wire formats against fake servers", () => {
  it("sends through Resend with the Bearer key, JSON body, idempotency key and text + html parts", async () => {
    const u = await signUp();
    await addProvider(u, {
      provider: "resend",
      from: "Acme <hello@acme.test>",
      credentials: { api_key: CREDS.resend },
      rate_per_second: 100,
    });
    const to = uniqueEmail("resend");
    const r = await asOwner(u, "/api/v1/messages", {
      to: { email: to },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Acme <b>", date: "today" },
    });
    expect(r.status).toBe(202);
    const row = await waitForStatus(r.body.data[0].id);
    expect(row).toMatchObject({ status: "sent", provider: "resend" });
    const req = fake.to("api.resend.com").find((x) => x.body.includes(to))!;
    expect(req.headers.authorization).toBe(`Bearer ${CREDS.resend}`);
    expect(req.headers["idempotency-key"]).toBe(row.id);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ from: "Acme <hello@acme.test>", to: [to], subject: "Test message from Acme <b>" });
    expect(body.text).toContain("Acme <b> dashboard");
    expect(body.html).toContain("Acme &lt;b&gt;");
    expect(row.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("adds RFC 8058 List-Unsubscribe headers to marketing email only, and sends it on the broadcast stream", async () => {
    const u = await signUp();
    await addProvider(u, { provider: "postmark", from: "a@acme.test", credentials: { api_key: CREDS.postmark }, rate_per_second: 100 });
    await callJson("/api/v1/message-templates/promo.one/email", {
      method: "PUT",
      token: u.accessToken,
      tenant: u.tenantId,
      body: { subject: "Promo", body: "Buy" },
    });
    const to = uniqueEmail("hdr");
    const [mk] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "promo.one",
      data: {},
      category: "marketing",
    });
    const [tx] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "messaging.test",
      data: {},
      category: "transactional",
    });
    await waitForStatus(mk!.id);
    await waitForStatus(tx!.id);
    const bodies = fake
      .to("api.postmarkapp.com")
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.To === to);
    const marketing = bodies.find((b) => b.Subject === "Promo")!;
    const headers = Object.fromEntries(marketing.Headers.map((h: { Name: string; Value: string }) => [h.Name, h.Value]));
    expect(headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:8787\/public\/v1\/unsubscribe\?token=[\w.%-]+>$/);
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(marketing.MessageStream).toBe("broadcast");
    expect(marketing.TextBody).toContain("Unsubscribe: http");
    const transactional = bodies.find((b) => b.Subject !== "Promo")!;
    expect(transactional.Headers.map((h: { Name: string }) => h.Name)).not.toContain("List-Unsubscribe");
    expect(transactional.MessageStream).toBe("outbound");
  });

  it("formats SendGrid (personalizations, content array) and Postmark (server token header, MessageStream) requests", async () => {
    const u = await signUp();
    const sg = await addProvider(u, {
      provider: "sendgrid",
      from: "Acme <hello@acme.test>",
      credentials: { api_key: CREDS.sendgrid },
      priority: 1,
      rate_per_second: 100,
    });
    const to = uniqueEmail("sg");
    const [m] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "d" },
      category: "transactional",
    });
    const row = await waitForStatus(m!.id);
    expect(row).toMatchObject({ status: "sent", provider: "sendgrid" });
    expect(row.providerMessageId).toMatch(/^sg-/);
    const sgBody = JSON.parse(fake.to("api.sendgrid.com").find((x) => x.body.includes(to))!.body);
    expect(sgBody.personalizations[0].to[0].email).toBe(to);
    expect(sgBody.from).toEqual({ email: "hello@acme.test", name: "Acme" });
    expect(sgBody.content.map((c: { type: string }) => c.type)).toEqual(["text/plain", "text/html"]);

    await asOwner(u, `/api/v1/messaging/providers/${sg.id}`, undefined, "DELETE");
    await addProvider(u, { provider: "postmark", from: "hello@acme.test", credentials: { api_key: CREDS.postmark }, rate_per_second: 100 });
    const to2 = uniqueEmail("pm");
    const [m2] = await sendMessages(db(), env.OUTBOX, {
      tenantId: u.tenantId,
      to: { email: to2 },
      channels: ["email"],
      template: "messaging.test",
      data: { workspace: "Acme", date: "d" },
      category: "transactional",
    });
    expect(await waitForStatus(m2!.id)).toMatchObject({ status: "sent", provider: "postmark" });
    const pm = fake.to("api.postmarkapp.com").find((x) => x.body.includes(to2))!;
    expect(pm.headers["x-postmark-server-token"]).toBe(CREDS.postmark);
    expect(JSON.parse(pm.body)).toMatchObject({ From: "hello@acme.test", To: to2, MessageStream: "outbound" });
  });

  it("fails over to the next provider on a provider error and on a rate limit, recording every attempt", async () => {
    const u = await signUp();
    await addProvider(u, {
      provider: "resend",
      from: "a@acme.test",
      credentials: { api_key: CREDS.resend },
      priority: 1,
      rate_per_second: 100,
    });
    await addProvider(u, {
      provider: "postmark",
      from: "a@acme.test",
      credentials: { api_key: CREDS.postmark },
      priority: 2,
      rate_per_second: 100,
    });
    fake.script("api.resend.com", "error", "rate_limit");
    const id1 = await rowFor(u, "email", uniqueEmail("fo"));
    expect(await processOutboxMessage(env, { v: 1, outboxId: id1 })).toBe("sent");
    const id2 = await rowFor(u, "email", uniqueEmail("fo"));
    expect(await processOutboxMessage(env, { v: 1, outboxId: id2 })).toBe("sent");
    for (const id of [id1, id2]) {
      expect((await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get())!.provider).toBe("postmark");
    }
    const a1 = await db().select().from(messageAttempts).where(eq(messageAttempts.messageId, id1));
    expect(a1.map((a) => [a.provider, a.outcome, a.statusCode])).toEqual([
      ["resend", "transient", 500],
      ["postmark", "success", 200],
    ]);
    const a2 = await db().select().from(messageAttempts).where(eq(messageAttempts.messageId, id2));
    expect(a2.map((a) => [a.provider, a.outcome, a.statusCode])).toEqual([
      ["resend", "rate_limited", 429],
      ["postmark", "success", 200],
    ]);
  });

  it("does not fail over when the provider rejects the message itself; bad credentials do fail over", async () => {
    const u = await signUp();
    await addProvider(u, {
      provider: "resend",
      from: "a@acme.test",
      credentials: { api_key: "re_wrong_key_123" },
      priority: 1,
      rate_per_second: 100,
    });
    await addProvider(u, {
      provider: "postmark",
      from: "a@acme.test",
      credentials: { api_key: CREDS.postmark },
      priority: 2,
      rate_per_second: 100,
    });
    const ok = await rowFor(u, "email", uniqueEmail("creds"));
    expect(await processOutboxMessage(env, { v: 1, outboxId: ok })).toBe("sent"); // 401 at Resend → Postmark
    fake.script("api.resend.com", "reject");
    fake.script("api.postmarkapp.com", "reject");
    const bad = await rowFor(u, "email", uniqueEmail("inactive"));
    expect(await processOutboxMessage(env, { v: 1, outboxId: bad })).toBe("bounced"); // Postmark 406 inactive recipient
    const attempts = await db().select().from(messageAttempts).where(eq(messageAttempts.messageId, bad));
    expect(attempts.at(-1)).toMatchObject({ provider: "postmark", outcome: "permanent", statusCode: 422 });
  });

  it("retries transient failures with backoff; a redelivered attempt changes nothing; gives up into the dead letters", async () => {
    const u = await signUp();
    await addProvider(u, { provider: "resend", from: "a@acme.test", credentials: { api_key: CREDS.resend }, rate_per_second: 100 });
    fake.script("api.resend.com", "error", "error");
    const id = await rowFor(u, "email", uniqueEmail("retry"));
    expect(await processOutboxMessage(env, { v: 1, outboxId: id })).toBe("retrying");
    let row = (await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get())!;
    expect(row).toMatchObject({ status: "retrying", attempts: 1 });
    expect(row.nextAttemptAt! - Date.now()).toBeGreaterThan(3_000); // 5 s backoff before attempt 2
    // The original queue message delivered again (attempt 1 already ran): ignored.
    expect(await processOutboxMessage(env, { v: 1, outboxId: id, attempt: 1 })).toBe("stale");
    expect(await processOutboxMessage(env, { v: 1, outboxId: id, attempt: 2 })).toBe("retrying");
    expect(await processOutboxMessage(env, { v: 1, outboxId: id, attempt: 3 })).toBe("sent");
    row = (await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get())!;
    expect(row).toMatchObject({ status: "sent", attempts: 3, lastError: null });
    // The delayed queue copies of attempts 2 and 3 arrive later and change nothing.
    expect(await processOutboxMessage(env, { v: 1, outboxId: id, attempt: 3 })).toBe("skipped");

    fake.script("api.resend.com", ...Array(6).fill("error"));
    const dead = await rowFor(u, "email", uniqueEmail("dead"));
    const outcomes = [];
    for (let a = 1; a <= 6; a++) outcomes.push(await processOutboxMessage(env, { v: 1, outboxId: dead, attempt: a }));
    expect(outcomes).toEqual(["retrying", "retrying", "retrying", "retrying", "retrying", "exhausted"]);
    const dl = await asOwner(u, "/api/v1/dead-letters");
    expect(dl.body.data.map((d: { message_id: string }) => d.message_id)).toContain(dead);
    // Replay from the dead-letter queue: a new message that goes out.
    const replay = await asOwner(u, `/api/v1/dead-letters/${dl.body.data[0].id}/replay`, {});
    expect(replay.status).toBe(202);
    expect(await waitForStatus(replay.body.id)).toMatchObject({ status: "sent", provider: "resend" });
    expect((await asOwner(u, `/api/v1/dead-letters/${dl.body.data[0].id}/replay`, {})).status).toBe(409);
  });

  it("paces a provider at its rate limit without spending attempts", async () => {
    const u = await signUp();
    await addProvider(u, { provider: "resend", from: "a@acme.test", credentials: { api_key: CREDS.resend }, rate_per_second: 1 });
    const ids = [
      await rowFor(u, "email", uniqueEmail("pace")),
      await rowFor(u, "email", uniqueEmail("pace")),
      await rowFor(u, "email", uniqueEmail("pace")),
      await rowFor(u, "email", uniqueEmail("pace")),
      await rowFor(u, "email", uniqueEmail("pace")),
    ];
    // A burst processed concurrently: 1/s with at most 2 s of waiting, so three go out (at 0, 1 and 2 s) and two are deferred.
    const results = await Promise.all(ids.map((id) => processOutboxMessage(env, { v: 1, outboxId: id })));
    expect(results.filter((r) => r === "sent")).toHaveLength(3);
    expect(results.filter((r) => r === "deferred")).toHaveLength(2);
    const sentAt = fake
      .to("api.resend.com")
      .filter((x) => ids.some((id) => x.headers["idempotency-key"] === id))
      .map((x) => x.at);
    // Unpaced, the burst would arrive within milliseconds; paced, ~1 s apart. The bound leaves room for
    // in-flight jitter on a loaded machine (a request may reach the fake a little after its slot).
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(500);
    const deferred = (await db()
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.id, ids[results.indexOf("deferred")]!))
      .get())!;
    expect(deferred).toMatchObject({ status: "retrying", attempts: 0 });
  });
});
