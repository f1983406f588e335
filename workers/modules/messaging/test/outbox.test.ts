import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deadLetters, devMailbox, outboxMessages } from "../../../../schema/messaging";
import worker from "../../../index";
import { releaseScheduled, retryDelaySeconds } from "../consumer";
import { send } from "../send";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { uniqueEmail, waitForMail } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const mail = (to: string, key?: string) =>
  send(db(), env.OUTBOX, {
    tenantId: null,
    to: { email: to },
    channels: ["email"],
    template: "auth.password_changed",
    data: { name: "Ada <b>" },
    category: "security",
    idempotencyKey: key,
  });

async function runBatch(queue: string, bodies: unknown[]) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `m-${i}-${newId("t")}`, timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe("outbox", () => {
  it("delivers through the real queue to the dev mailbox, escaping variables in HTML and keeping a text part", async () => {
    const to = uniqueEmail("outbox");
    const [id] = await mail(to);
    const m = await waitForMail(to, "password was changed");
    expect(m.text).toContain("Hi Ada <b>,");
    expect(m.html).toContain("Ada &lt;b&gt;");
    const row = await db().select().from(outboxMessages).where(eq(outboxMessages.id, id!)).get();
    expect(row).toMatchObject({ status: "delivered", provider: "dev-mailbox", attempts: 1 });
  });

  it("sends once per idempotency key", async () => {
    const to = uniqueEmail("idem");
    const first = await mail(to, `k-${to}`);
    const second = await mail(to, `k-${to}`);
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
    await waitForMail(to, "password was changed");
    expect(await db().select().from(outboxMessages).where(eq(outboxMessages.recipient, to))).toHaveLength(1);
  });

  it("changes nothing when the same queue message is delivered again", async () => {
    const to = uniqueEmail("replay");
    const [id] = await mail(to);
    await waitForMail(to, "password was changed");
    const result = await runBatch("weft-outbox", [
      { v: 1, outboxId: id },
      { v: 1, outboxId: id },
    ]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await db().select().from(devMailbox).where(eq(devMailbox.toAddress, to))).toHaveLength(1);
  });

  it("keeps what the dead-letter queue receives and marks the message failed", async () => {
    const id = newId("msg");
    await db()
      .insert(outboxMessages)
      .values({
        id,
        tenantId: null,
        channel: "email",
        recipient: uniqueEmail("dlq"),
        template: "auth.password_changed",
        data: {},
        category: "security",
        status: "retrying",
        attempts: 3,
        createdAt: Date.now(),
      });
    expect([1, 2, 3, 4, 10].map(retryDelaySeconds)).toEqual([5, 10, 20, 40, 600]);
    await runBatch("weft-outbox-dlq", [{ v: 1, outboxId: id }]);
    await runBatch("weft-outbox-dlq", [{ v: 1, outboxId: id }]);
    expect((await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get())!.status).toBe("failed");
    const dead = await db().select().from(deadLetters).where(eq(deadLetters.outboxId, id));
    expect(dead.length).toBeGreaterThanOrEqual(1);
    expect(dead[0]!.queue).toBe("weft-outbox-dlq");
    // A late copy of the message on the main queue no longer sends anything.
    const result = await runBatch("weft-outbox", [{ v: 1, outboxId: id, attempt: 4 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await db().select().from(devMailbox).where(eq(devMailbox.messageId, id))).toHaveLength(0);
  });

  it("holds sends beyond the queue's 12-hour delay as scheduled, and the cron releases them when due", async () => {
    const to = uniqueEmail("sched");
    const sendAt = Date.now() + 2 * 24 * 3600 * 1000;
    const [id] = await send(db(), env.OUTBOX, {
      tenantId: null,
      to: { email: to },
      channels: ["email"],
      template: "auth.password_changed",
      data: { name: "S" },
      category: "security",
      sendAt,
    });
    expect((await db().select().from(outboxMessages).where(eq(outboxMessages.id, id!)).get())!.status).toBe("scheduled");
    expect(await releaseScheduled(env, Date.now())).toMatchObject({ released: 0 });
    // Two days later the cron finds it due and puts it on the queue.
    const r = await releaseScheduled(env, sendAt - 60_000);
    expect(r.released).toBeGreaterThanOrEqual(1);
    expect((await db().select().from(outboxMessages).where(eq(outboxMessages.id, id!)).get())!.status).toBe("queued");
    expect(await releaseScheduled(env, sendAt - 60_000)).toMatchObject({ released: 0 });
  });

  it("acknowledges malformed messages instead of retrying them forever", async () => {
    const result = await runBatch("weft-outbox", [{ nope: true }]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
  });
});
