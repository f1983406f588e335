import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../../platform/standard-webhooks";
import { FakeForwardApis, GA4_HOST, MIXPANEL_HOST } from "./forwarding-fakes";
import { addDestination, as, at, deliveries, ingest, owner, uniq } from "./forwarding-helpers";
import { waitFor } from "./analytics-helpers";

/**
 * End to end through the real Queues and D1: events sent to the API → analytics Queue → ingest
 * consumer (new events only) → forwarding Queue → consumer → the provider's fake.
 */
const fake = new FakeForwardApis();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());

let projectSeq = 900000;
function mixpanelProject(secret = "sa-secret-for-tests") {
  const project = String(++projectSeq);
  fake.mixpanelProjects.set(project, { serviceAccounts: new Map([["weft.sa", secret]]), apiSecret: `api-${project}` });
  return { project, secret };
}
const mixpanelDest = (project: string, secret: string, extra: Record<string, unknown> = {}) => ({
  provider: "mixpanel",
  name: "Mixpanel",
  project_id: project,
  service_account_username: "weft.sa",
  secret,
  ...extra,
});
const settled = (rows: { status: string }[], n: number) =>
  rows.length >= n && rows.every((r) => !["queued", "retrying"].includes(r.status));

describe("forwarding through the queues", () => {
  it("Mixpanel: new events arrive once in /import's wire format; a replayed batch forwards nothing; filters and disabled destinations hold", async () => {
    const u = await owner();
    const { project, secret } = mixpanelProject();
    const dest = await addDestination(u, mixpanelDest(project, secret));
    const other = mixpanelProject();
    const onlyPurchases = await addDestination(
      u,
      mixpanelDest(other.project, other.secret, { name: "Purchases", event_names: ["Purchase"] }),
    );
    const off = mixpanelProject();
    const disabled = await addDestination(u, mixpanelDest(off.project, off.secret, { name: "Off", enabled: false }));

    const t = uniq();
    const batch = [
      {
        id: `pv-${t}`,
        name: "$pageview",
        distinct_id: "visitor-1",
        props: { $current_url: "https://shop.example/pricing", $referrer: "https://news.example/" },
      },
      { id: `su-${t}`, name: "Signed Up", distinct_id: "user-1", props: { plan: "pro" } },
      { id: `pu-${t}`, name: "Purchase", distinct_id: "user-1", props: { amount: 49 } },
    ];
    await ingest(u, batch);
    const rows = await waitFor(
      () => deliveries(u, dest.id),
      (r) => settled(r, 1),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "delivered", attempts: 1, sent_count: 3, failed_count: 0 });

    const reqs = fake.mixpanelFor(project);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]?.url.toString()).toBe(`https://api.mixpanel.com/import?strict=1&project_id=${project}`);
    const sent = reqs[0]?.body;
    expect(sent.map((e) => e.event)).toEqual(["$mp_web_page_view", "Signed Up", "Purchase"]);
    expect(sent[0].properties).toMatchObject({
      distinct_id: "visitor-1",
      $insert_id: `pv-${t}`,
      $current_url: "https://shop.example/pricing",
    });
    expect(typeof sent[0].properties.time).toBe("number");
    expect(sent[2].properties).toMatchObject({ amount: 49, distinct_id: "user-1" });

    // The filtered destination got only Purchase; the disabled one nothing.
    const filtered = await waitFor(
      () => deliveries(u, onlyPurchases.id),
      (r) => settled(r, 1),
    );
    expect(filtered[0]).toMatchObject({ status: "delivered", sent_count: 1 });
    expect(fake.mixpanelFor(other.project)[0]?.body.map((e) => e.event)).toEqual(["Purchase"]);
    expect(await deliveries(u, disabled.id)).toEqual([]);
    expect(fake.mixpanelFor(off.project)).toEqual([]);

    // Replay the same batch (a client retry), then a new event: only the new one is forwarded.
    await ingest(u, batch);
    await ingest(u, [{ id: `new-${t}`, name: "Signed Up", distinct_id: "user-2" }]);
    const after = await waitFor(
      () => deliveries(u, dest.id),
      (r) => settled(r, 2),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveries(u, dest.id)).toHaveLength(2);
    expect(after.map((b) => b.sent_count).sort()).toEqual([1, 3]);
    expect(fake.mixpanelFor(project).flatMap((q) => q.body.map((e) => e.properties.$insert_id))).toEqual([
      `pv-${t}`,
      `su-${t}`,
      `pu-${t}`,
      `new-${t}`,
    ]);

    const status = await as(u, "GET", `/api/v1/analytics/destinations/${dest.id}`);
    expect(status.body).toMatchObject({ status: "ok", sent_today: 4, failed_today: 0, last_error: null });
    expect(status.body.last_success_at).toBeTruthy();
    expect(status.body.daily).toEqual([{ day: new Date().toISOString().slice(0, 10), sent: 4, failed: 0 }]);
  });

  it("GA4: a 500 is retried with backoff and the events are delivered once", async () => {
    const u = await owner();
    const mid = `G-R${uniq()
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")}`.slice(0, 18);
    fake.ga4Streams.set(mid, "ga4-secret-retry");
    const dest = await addDestination(u, { provider: "ga4", name: "GA4", measurement_id: mid, api_secret: "ga4-secret-retry" });
    fake.script(GA4_HOST, "error");
    const t = uniq();
    await ingest(u, [
      { id: `a-${t}`, name: "$pageview", distinct_id: "c-1", props: { $current_url: "https://shop.example/", $session_id: "s-1" } },
      { id: `b-${t}`, name: "add to cart", distinct_id: "c-1", props: { sku: "SKU-1", price: 12.5 } },
      { id: `c-${t}`, name: "session_start", distinct_id: "c-1" },
    ]);
    const [b] = await waitFor(
      () => deliveries(u, dest.id),
      (r) => settled(r, 1),
      25_000,
    );
    // The reserved name is left out once (not once per attempt) and said so.
    expect(b).toMatchObject({ status: "delivered", attempts: 2, sent_count: 2, failed_count: 0, skipped_count: 1 });
    expect(b?.details.dropped).toEqual([{ name: "session_start", reason: expect.stringContaining("reserved"), count: 1 }]);
    expect(b?.details.renamed).toEqual([{ from: "add to cart", to: "add_to_cart" }]);
    const hits = fake.ga4For(mid);
    expect(hits.map((h) => h.status)).toEqual([500, 204]);
    const delivered = hits.filter((h) => h.status === 204);
    expect(delivered.flatMap((h) => (h.body?.events ?? []).map((e) => e.name))).toEqual(["page_view", "add_to_cart"]);
    expect(delivered[0]?.body).toMatchObject({ client_id: "c-1" });
    expect(delivered[0]?.body?.events?.[0]?.params).toMatchObject({ page_location: "https://shop.example/", session_id: "s-1" });
    expect(delivered[0]?.problems).toEqual([]);
    const d = await as(u, "GET", `/api/v1/analytics/destinations/${dest.id}`);
    expect(d.body).toMatchObject({ status: "ok", sent_today: 2 });
  });

  it("a 400 fails the batch for good, without retries, and shows in the destination's status", async () => {
    const u = await owner();
    const { project, secret } = mixpanelProject();
    const dest = await addDestination(u, mixpanelDest(project, secret));
    fake.script(MIXPANEL_HOST, "bad_request");
    const t = uniq();
    await ingest(u, [
      { id: `x-${t}`, name: "Signed Up", distinct_id: "u-1" },
      { id: `y-${t}`, name: "Signed Up", distinct_id: "u-2" },
    ]);
    const [b] = await waitFor(
      () => deliveries(u, dest.id),
      (r) => settled(r, 1),
    );
    expect(b).toMatchObject({ status: "failed", attempts: 1, sent_count: 0, failed_count: 2 });
    expect(b?.error).toContain("HTTP 400");
    await new Promise((r) => setTimeout(r, 3000)); // longer than the first retry delay: nothing is retried
    expect(fake.mixpanelFor(project)).toHaveLength(1);
    const d = await as(u, "GET", `/api/v1/analytics/destinations/${dest.id}`);
    expect(d.body).toMatchObject({ status: "failing", failed_today: 2, sent_today: 0 });
    expect(d.body.last_error).toContain("HTTP 400");
    const listed = await as(u, "GET", "/api/v1/analytics/destinations");
    expect(listed.body.data[0]).toMatchObject({ status: "failing", failed_today: 2 });
  });

  it("custom webhook: one signed analytics.events delivery per batch, through the webhooks outbox", async () => {
    const u = await owner();
    const url = `https://hooks.example.org/analytics/${uniq()}`;
    const ep = await as(u, "POST", "/api/v1/webhook-endpoints", { url, event_types: ["webhook.test"] });
    expect(ep.status, JSON.stringify(ep.body)).toBe(201);
    const receiver = {
      secret: ep.body.secret as string,
      received: [] as { headers: Record<string, string>; body: string; verified: boolean }[],
      status: [] as number[],
    };
    fake.providers.webhookReceivers.set(url, receiver);
    const dest = await addDestination(u, { provider: "webhook", name: "Warehouse", endpoint_ids: [ep.body.id] });
    expect(dest).toMatchObject({ settings: { endpoint_ids: [ep.body.id] }, credential_hint: null });

    const t = uniq();
    await ingest(u, [
      { id: `w1-${t}`, name: "$pageview", distinct_id: "v-1", props: { $current_url: "https://a.example/" } },
      { id: `w2-${t}`, name: "Signed Up", distinct_id: "v-1", props: { plan: "free" } },
      { id: `w3-${t}`, name: "Purchase", distinct_id: "v-1", props: { amount: 10 } },
    ]);
    const got = await waitFor(
      async () => receiver.received,
      (r) => r.length >= 1,
    );
    expect(got).toHaveLength(1);
    const hit = at(got, 0);
    expect(await verifySignature(receiver.secret, hit.headers as never, hit.body)).toBe(true);
    const payload = JSON.parse(hit.body);
    expect(payload.type).toBe("analytics.events");
    expect(payload.data).toMatchObject({ destination_id: dest.id, count: 3 });
    expect(payload.data.events.map((e: { id: string; name: string }) => [e.id, e.name])).toEqual([
      [`w1-${t}`, "$pageview"],
      [`w2-${t}`, "Signed Up"],
      [`w3-${t}`, "Purchase"],
    ]);
    expect(payload.data.events[2]).toMatchObject({ distinct_id: "v-1", properties: { amount: 10 } });
    const [b] = await waitFor(
      () => deliveries(u, dest.id),
      (r) => settled(r, 1),
    );
    expect(b).toMatchObject({ status: "delivered", sent_count: 3 });
    expect(b?.details.queued?.[0]).toMatchObject({ endpoint_id: ep.body.id });
    // The endpoint's own delivery log (webhooks module) has it too.
    const log = await waitFor(
      () => as(u, "GET", `/api/v1/webhook-endpoints/${ep.body.id}/deliveries`),
      (r) => r.status === 200 && JSON.stringify(r.body).includes("analytics.events"),
    );
    expect(log.body.data).toHaveLength(1);
  });
});
