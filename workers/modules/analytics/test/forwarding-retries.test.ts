import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticsForwardBatches } from "../../../../schema/analytics-forwarding";
import { getDb } from "../../../platform/db";
import { FORWARD_MAX_ATTEMPTS, FORWARD_RETRY_SCHEDULE_SECONDS, processForwardMessage } from "../forwarding/forward.consumer";
import type { ForwardMessage } from "../forwarding/message";
import { FakeForwardApis, MIXPANEL_HOST } from "./forwarding-fakes";
import { addDestination, as, deliveries, owner, uniq } from "./forwarding-helpers";

/**
 * The consumer's retry policy, driven one attempt at a time (no Queue, so no waiting on delays):
 * the backoff schedule, Retry-After, giving up after FORWARD_MAX_ATTEMPTS, and redelivery of a
 * finished batch changing nothing.
 */
const fake = new FakeForwardApis();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());

async function setup() {
  const u = await owner();
  const project = String(800000 + Math.floor(Math.random() * 99999));
  fake.mixpanelProjects.set(project, { serviceAccounts: new Map([["sa", "retry-secret-1234"]]), apiSecret: "x" });
  const d = await addDestination(u, {
    provider: "mixpanel",
    name: "MP",
    project_id: project,
    service_account_username: "sa",
    secret: "retry-secret-1234",
  });
  const batchId = `fwb_test_${uniq()}`;
  const now = Date.now();
  await getDb(env.DB)
    .insert(analyticsForwardBatches)
    .values({ tenantId: u.tenantId, id: batchId, destinationId: d.id, status: "queued", eventCount: 2, createdAt: now, updatedAt: now });
  const m: ForwardMessage = {
    v: 1,
    tenantId: u.tenantId,
    destinationId: d.id,
    batchId,
    events: [
      { id: `r1-${uniq()}`, name: "Signed Up", distinct_id: "u-1", ts: now - 1000, props: {} },
      { id: `r2-${uniq()}`, name: "Signed Up", distinct_id: "u-2", ts: now - 500, props: {} },
    ],
  };
  return { u, d, m, project };
}

describe("forwarding retries", () => {
  it("backs off on the schedule, then gives up after the last attempt and records the batch as failed", async () => {
    const { u, d, m, project } = await setup();
    fake.script(MIXPANEL_HOST, ...Array.from({ length: FORWARD_MAX_ATTEMPTS }, () => "error" as const));
    const delays: (number | null)[] = [];
    for (let i = 0; i < FORWARD_MAX_ATTEMPTS; i++) delays.push(await processForwardMessage(env, m));
    expect(delays).toEqual([...FORWARD_RETRY_SCHEDULE_SECONDS, null]);
    expect(fake.mixpanelFor(project)).toHaveLength(FORWARD_MAX_ATTEMPTS);
    const [b] = await deliveries(u, d.id);
    expect(b).toMatchObject({ status: "failed", attempts: FORWARD_MAX_ATTEMPTS, sent_count: 0, failed_count: 2 });
    expect(b?.error).toMatch(/^Gave up after 8 attempts: Mixpanel answered HTTP 500/);
    const dest = await as(u, "GET", `/api/v1/analytics/destinations/${d.id}`);
    expect(dest.body).toMatchObject({ status: "failing", failed_today: 2 });
    // A redelivered message for the finished batch sends nothing.
    expect(await processForwardMessage(env, m)).toBeNull();
    expect(fake.mixpanelFor(project)).toHaveLength(FORWARD_MAX_ATTEMPTS);
  });

  it("a 429 waits at least its Retry-After; the retry then delivers, and the destination recovers", async () => {
    const { u, d, m } = await setup();
    fake.script(MIXPANEL_HOST, "rate_limit");
    expect(await processForwardMessage(env, m)).toBe(Math.max(1, FORWARD_RETRY_SCHEDULE_SECONDS[0] ?? 0));
    let [b] = await deliveries(u, d.id);
    expect(b).toMatchObject({ status: "retrying", attempts: 1 });
    expect(b?.error).toContain("HTTP 429");
    expect((await as(u, "GET", `/api/v1/analytics/destinations/${d.id}`)).body.status).toBe("failing");
    expect(await processForwardMessage(env, m)).toBeNull();
    [b] = await deliveries(u, d.id);
    expect(b).toMatchObject({ status: "delivered", attempts: 2, sent_count: 2 });
    expect((await as(u, "GET", `/api/v1/analytics/destinations/${d.id}`)).body).toMatchObject({ status: "ok", sent_today: 2 });
    const row = await getDb(env.DB)
      .select()
      .from(analyticsForwardBatches)
      .where(and(eq(analyticsForwardBatches.tenantId, m.tenantId), eq(analyticsForwardBatches.id, m.batchId)))
      .get();
    expect(row?.nextAttemptAt).toBeNull();
  });
});
