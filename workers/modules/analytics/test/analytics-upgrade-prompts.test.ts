import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outboxMessages } from "../../../../schema/messaging";
import { callJson, signUp } from "../../../../test/helpers";
import type { IngestMessage, QueuedEvent } from "../events";
import { consumeAnalytics } from "../ingest.consumer";
import { db, ev } from "./analytics-helpers";

const sent = async (tenantId: string) =>
  (
    await db()
      .select({ to: outboxMessages.recipient, template: outboxMessages.template, data: outboxMessages.data })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, tenantId), eq(outboxMessages.template, "analytics.upgrade_prompt")))
  ).sort((a, b) => a.to.localeCompare(b.to));

let at = Date.UTC(2026, 11, 3, 12, 0, 0);
/** One delivery of a queue message through the real consumer (as the Queue would call it). */
async function deliver(tenantId: string, events: QueuedEvent[]) {
  at += 1000;
  const body: IngestMessage = { v: 1, tenantId, source: "server", receivedAt: at, userAgent: null, country: null, sampleRate: 1, events };
  const acks: string[] = [];
  const msg = { id: `m${at}`, timestamp: new Date(), attempts: 1, body, ack: () => acks.push("ack"), retry: () => acks.push("retry") };
  await consumeAnalytics({ queue: "weft-analytics", messages: [msg], ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>, env);
  expect(acks).toEqual(["ack"]);
}
const near = (who: string, percent: number, meter = "projects") => ({
  ...ev(who, "limit_approached", 0, { meter, used: percent, limit: 100, percent, plan: "Basic" }),
  ts: at,
});

describe("upgrade prompts to a workspace's own customers", () => {
  it("emails an identified person once per meter, month and threshold when their limit_approached reaches the setting", async () => {
    const owner = await signUp({ workspace: "Prompting Co" });
    const t = owner.tenantId;
    const as = (method: string, body?: unknown) =>
      callJson("/api/v1/analytics/growth/upgrade-prompts", { method, token: owner.accessToken, tenant: t, ip: owner.ip, body });
    expect((await as("GET")).body).toEqual({ config: null, template: "analytics.upgrade_prompt" });
    const identify = (who: string) => ({ ...ev(who, "$identify", 0, { $set: { email: `${who}@customers.example`, name: who } }), ts: at });
    await deliver(t, [identify("ann"), identify("bob")]);

    await deliver(t, [near("ann", 85)]); // switched off: nothing
    expect(await sent(t)).toEqual([]);

    expect((await as("PUT", { enabled: true, min_percent: 80, upgrade_url: "javascript:alert(1)" })).status).toBe(400);
    const put = await as("PUT", { enabled: true, min_percent: 80, upgrade_url: "https://prompting.example/pricing" });
    expect(put.status).toBe(200);

    await deliver(t, [near("ann", 85), near("bob", 60), near("nobody-known", 95)]); // bob under the threshold; no address for the third
    await deliver(t, [near("ann", 92)]); // the same band this month: no second email
    await deliver(t, [near("ann", 100), near("ann", 81, "storage")]); // the 100% band, and another meter
    const mails = await sent(t);
    expect(mails.map((m) => [m.to, (m.data as { meter: string; percent: number }).meter, (m.data as { percent: number }).percent])).toEqual(
      [
        ["ann@customers.example", "projects", 80],
        ["ann@customers.example", "projects", 100],
        ["ann@customers.example", "storage", 80],
      ],
    );
    expect(mails[0]?.data).toMatchObject({
      name: "ann",
      workspace: "Prompting Co",
      link: "https://prompting.example/pricing",
      used: 85,
      limit: 100,
    });
  });
});
