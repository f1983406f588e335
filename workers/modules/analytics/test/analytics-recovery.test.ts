import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { analyticsRecovery } from "../../../../schema/analytics";
import { outboxMessages } from "../../../../schema/messaging";
import { callJson, signUp } from "../../../../test/helpers";
import type { IngestMessage, QueuedEvent } from "../events";
import { consumeAnalytics } from "../ingest.consumer";
import { runRecovery } from "../recovery";
import { db, DAY, ev, store } from "./analytics-helpers";

const at = Date.UTC(2026, 11, 1, 12, 0, 0);
const back = (days: number, who: string, name = "opened_app", props: Record<string, unknown> = {}) => ({
  ...ev(who, name, 0, props),
  ts: at - days * DAY,
});
const sentTo = async (tenantId: string, email: string) =>
  (
    await db()
      .select({ template: outboxMessages.template })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, tenantId), eq(outboxMessages.recipient, email)))
  )
    .map((r) => r.template)
    .sort();

describe("churn-recovery email series", () => {
  it("emails people at risk three times over ten days, once each, and stops when they come back", async () => {
    const owner = await signUp({ workspace: "Recovering Co" });
    const t = owner.tenantId;
    const identify = (who: string) => back(27, who, "$identify", { $set: { email: `${who}@customers.example`, name: who } });
    await store(t, [identify("gone"), ...[26, 24, 22, 20, 18].map((d) => back(d, "gone"))]); // stopped coming: at risk
    await store(t, [identify("steady"), ...[20, 18, 16, 10, 5, 1].map((d) => back(d, "steady"))]); // fine
    await store(t, [...[26, 24, 22, 20].map((d) => back(d, "no-email"))]); // at risk but not identified: no email
    const cfg = { enabled: true, min_score: 60 };

    expect(await runRecovery(env, t, cfg, at)).toEqual({ started: 1, sent: 1, recovered: 0 });
    expect(await runRecovery(env, t, cfg, at + 3600_000)).toEqual({ started: 0, sent: 0, recovered: 0 }); // same day: nothing new
    expect(await sentTo(t, "gone@customers.example")).toEqual(["analytics.churn_recovery_1"]);

    expect((await runRecovery(env, t, cfg, at + 4 * DAY)).sent).toBe(1);
    expect(await sentTo(t, "gone@customers.example")).toEqual(["analytics.churn_recovery_1", "analytics.churn_recovery_2"]);

    // They come back before the last email: the series stops.
    await store(t, [
      { ...ev("gone", "opened_app", 0), ts: at + 8 * DAY },
      { ...ev("gone", "opened_app", 0), ts: at + 9 * DAY },
    ]);
    // (steady keeps coming meanwhile)
    await store(
      t,
      [3, 6, 9].map((d) => ({ ...ev("steady", "opened_app", 0), ts: at + d * DAY })),
    );
    expect(await runRecovery(env, t, cfg, at + 10 * DAY)).toEqual({ started: 0, sent: 0, recovered: 1 });
    expect(await sentTo(t, "gone@customers.example")).toHaveLength(2);
    expect(await sentTo(t, "steady@customers.example")).toEqual([]);
    const row = await db().select().from(analyticsRecovery).where(eq(analyticsRecovery.tenantId, t)).get();
    expect(row).toMatchObject({ personId: "gone", step: 2, recoveredAt: at + 10 * DAY });
  });
});

describe("upgrade prompts to a workspace's own customers", () => {
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
    await consumeAnalytics(
      { queue: "weft-analytics", messages: [msg], ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>,
      env,
    );
    expect(acks).toEqual(["ack"]);
  }
  const near = (who: string, percent: number, meter = "projects") => ({
    ...ev(who, "limit_approached", 0, { meter, used: percent, limit: 100, percent, plan: "Basic" }),
    ts: at,
  });

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
