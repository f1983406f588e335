import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ga4BaseUrl, mixpanelBaseUrl } from "../forwarding/env";
import { deliverGa4, ga4EventName, planGa4, testGa4 } from "../forwarding/ga4";
import type { ForwardEvent } from "../forwarding/message";
import { chunkMixpanel, deliverMixpanel, mixpanelInsertId, toMixpanelEvent } from "../forwarding/mixpanel";
import { FakeForwardApis, GA4_HOST, MIXPANEL_HOST } from "./forwarding-fakes";
import { at } from "./forwarding-helpers";

/** Wire formats of the providers, against the local fakes (no queue here: the delivery functions directly). */
const fake = new FakeForwardApis();
beforeAll(() => void fake.install());
afterAll(() => fake.uninstall());

let n = 0;
const uid = () => `${Date.now().toString(36)}${++n}`;
function events(count: number, over: Partial<ForwardEvent> = {}, distinct = (i: number) => `user-${i % 3}`): ForwardEvent[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    id: `ev-${uid()}-${i}`,
    name: "Signed Up",
    distinct_id: distinct(i),
    ts: now - 60_000 + i,
    props: { plan: "pro", i },
    ...over,
  }));
}

describe("Mixpanel /import", () => {
  it("maps an event to { event, properties: { time (ms), distinct_id, $insert_id, …props } }", async () => {
    const e: ForwardEvent = {
      id: "evt_01JABCDEF_with_underscores_and.dots",
      name: "$pageview",
      distinct_id: "user-42",
      ts: 1_764_000_000_123,
      props: { $current_url: "https://shop.example/p", $anon_distinct_id: "anon-7", color: "red" },
      ctx: { country: "DE", browser: "Firefox", os: "Linux", device: "desktop", source: "web" },
    };
    const m = await toMixpanelEvent(e);
    expect(m.event).toBe("$mp_web_page_view");
    expect(m.properties).toMatchObject({
      time: 1_764_000_000_123,
      distinct_id: "user-42",
      $current_url: "https://shop.example/p",
      color: "red",
      $device_id: "anon-7",
      $user_id: "user-42",
      mp_country_code: "DE",
      $browser: "Firefox",
      $os: "Linux",
    });
    expect(m.properties.$insert_id).toMatch(/^[A-Za-z0-9-]{1,36}$/);
    expect(m.properties.$insert_id).toBe(await mixpanelInsertId(e.id)); // deterministic: retries deduplicate
    expect(await mixpanelInsertId("plain-id-123")).toBe("plain-id-123");
  });

  it("cuts at 2,000 events per request and sends each with Basic auth, strict=1 and project_id", async () => {
    const project = `${100000 + n++}`;
    fake.mixpanelProjects.set(project, { serviceAccounts: new Map([["weft.sa", "sa-secret-123456"]]), apiSecret: "unused" });
    const evs = events(4500);
    expect(chunkMixpanel(await Promise.all(evs.map(toMixpanelEvent))).map((c) => c.length)).toEqual([2000, 2000, 500]);
    const r = await deliverMixpanel(env, { projectId: project, serviceAccountUsername: "weft.sa" }, "sa-secret-123456", evs, 0);
    expect(r).toMatchObject({ outcome: "done", sent: 4500, failed: 0, requestsDone: 3 });
    const reqs = fake.mixpanelFor(project);
    expect(reqs.map((q) => q.body.length)).toEqual([2000, 2000, 500]);
    for (const q of reqs) {
      expect(q.url.origin + q.url.pathname).toBe("https://api.mixpanel.com/import");
      expect(q.url.searchParams.get("strict")).toBe("1");
      expect(q.headers.authorization).toBe(`Basic ${btoa("weft.sa:sa-secret-123456")}`);
      expect(q.headers["content-type"]).toBe("application/json");
    }
    expect(reqs[0]?.body[0]).toEqual({
      event: "Signed Up",
      properties: { plan: "pro", i: 0, time: evs[0]?.ts, distinct_id: "user-0", $insert_id: evs[0]?.id, mp_lib: "weft" },
    });
  });

  it("authenticates with a project API secret as the user name and an empty password", async () => {
    const project = `${200000 + n++}`;
    fake.mixpanelProjects.set(project, { serviceAccounts: new Map(), apiSecret: `api-secret-${project}` });
    const r = await deliverMixpanel(env, { projectId: project, serviceAccountUsername: null }, `api-secret-${project}`, events(3), 0);
    expect(r.outcome).toBe("done");
    expect(fake.mixpanelFor(project)[0]?.headers.authorization).toBe(`Basic ${btoa(`api-secret-${project}:`)}`);
  });

  it("strict 400 is a partial success: the rejected events are listed, the others imported, nothing retried", async () => {
    const project = `${300000 + n++}`;
    fake.mixpanelProjects.set(project, { serviceAccounts: new Map([["sa", "secret-abcdefgh"]]), apiSecret: "x" });
    const evs = events(5, {}, (i) => (i === 2 ? "anonymous" : `user-${i}`));
    const r = await deliverMixpanel(env, { projectId: project, serviceAccountUsername: "sa" }, "secret-abcdefgh", evs, 0);
    expect(r).toMatchObject({ outcome: "done", sent: 4, failed: 1, statusCode: 400 });
    expect(r.details.rejected).toEqual([
      expect.objectContaining({ event: "Signed Up", insert_id: evs[2]?.id, field: "properties.distinct_id" }),
    ]);
    expect(r.error).toContain("Mixpanel rejected 1 event");
  });

  it("wrong credentials (401) are permanent; 429 and 500 are retryable and resume after the requests already done", async () => {
    const project = `${400000 + n++}`;
    fake.mixpanelProjects.set(project, { serviceAccounts: new Map([["sa", "right-secret-1"]]), apiSecret: "x" });
    const cfg = { projectId: project, serviceAccountUsername: "sa" };
    const bad = await deliverMixpanel(env, cfg, "wrong-secret-1", events(3), 0);
    expect(bad).toMatchObject({ outcome: "permanent", failed: 3, statusCode: 401 });
    expect(bad.error).toContain("HTTP 401");

    const evs = events(2500);
    fake.script(MIXPANEL_HOST, "ok", "error");
    const first = await deliverMixpanel(env, cfg, "right-secret-1", evs, 0);
    expect(first).toMatchObject({ outcome: "retry", sent: 2000, requestsDone: 1, statusCode: 500 });
    fake.script(MIXPANEL_HOST, "rate_limit");
    const second = await deliverMixpanel(env, cfg, "right-secret-1", evs, first.requestsDone);
    expect(second).toMatchObject({ outcome: "retry", sent: 0, requestsDone: 1, statusCode: 429, retryAfterSeconds: 1 });
    const third = await deliverMixpanel(env, cfg, "right-secret-1", evs, second.requestsDone);
    expect(third).toMatchObject({ outcome: "done", sent: 500, requestsDone: 2 });
    // Only the second chunk was re-sent.
    expect(
      fake
        .mixpanelFor(project)
        .filter((q) => q.status === 200)
        .map((q) => q.body.length),
    ).toEqual([2000, 500]);
  });

  it("the base URL comes from MIXPANEL_API_URL / GA4_MP_URL when set, else the region's real host", () => {
    expect(mixpanelBaseUrl(env, "eu")).toBe("https://api-eu.mixpanel.com");
    expect(mixpanelBaseUrl({ ...env, MIXPANEL_API_URL: "http://127.0.0.1:9010/" } as never, "eu")).toBe("http://127.0.0.1:9010");
    expect(ga4BaseUrl(env)).toBe("https://www.google-analytics.com");
    expect(ga4BaseUrl({ ...env, GA4_MP_URL: "http://127.0.0.1:9011" } as never)).toBe("http://127.0.0.1:9011");
  });
});

describe("GA4 Measurement Protocol", () => {
  it("maps names: $pageview → page_view, other $ names → snake_case, invalid names repaired, reserved ones dropped", () => {
    expect(ga4EventName("$pageview")).toEqual({ name: "page_view", renamed: true });
    expect(ga4EventName("$outbound_click")).toEqual({ name: "outbound_click", renamed: true });
    expect(ga4EventName("$formSubmit")).toEqual({ name: "form_submit", renamed: true });
    expect(ga4EventName("add_to_cart")).toEqual({ name: "add_to_cart", renamed: false });
    expect(ga4EventName("Signed Up")).toEqual({ name: "signed_up", renamed: true });
    expect(ga4EventName("checkout.completed")).toEqual({ name: "checkout_completed", renamed: true });
    expect(ga4EventName("3d-view")).toEqual({ name: "e_3d_view", renamed: true });
    expect(ga4EventName("x".repeat(60))).toMatchObject({ name: "x".repeat(40) });
    expect(ga4EventName("session_start")).toMatchObject({ name: null, reason: expect.stringContaining("reserved") });
    expect(ga4EventName("$session_start")).toMatchObject({ name: null });
    expect(ga4EventName("ga_custom")).toMatchObject({ name: null, reason: expect.stringContaining("ga_") });
    expect(ga4EventName("!!!")).toMatchObject({ name: null });
  });

  it("groups per client, cuts at 25 events, and builds { client_id, user_id?, timestamp_micros, events: [{ name, params }] }", () => {
    const now = Date.now();
    const evs: ForwardEvent[] = [
      ...Array.from({ length: 30 }, (_, i) => ({
        id: `a${i}`,
        name: "$pageview",
        distinct_id: "anon-1",
        ts: now - 1000 + i,
        props: { $current_url: `https://shop.example/p/${i}`, $referrer: "https://google.com/", $session_id: "s1", $title: "Shop" },
      })),
      {
        id: "b1",
        name: "Signed Up",
        distinct_id: "user-9",
        ts: now,
        props: { $anon_distinct_id: "anon-2", plan: "pro", "bad key!": true, nested: { a: 1 } },
      },
      { id: "b2", name: "session_start", distinct_id: "user-9", ts: now, props: {} },
      { id: "b3", name: "old", distinct_id: "user-9", ts: now - 73 * 3600_000, props: {} },
    ];
    const plan = planGa4(evs, now);
    expect(plan.requests.map((r) => [r.client_id, r.user_id, r.events.length])).toEqual([
      ["anon-1", undefined, 25],
      ["anon-1", undefined, 5],
      ["anon-2", "user-9", 1],
    ]);
    const first = at(plan.requests, 0);
    expect(first.timestamp_micros).toBe((now - 1000) * 1000);
    expect(first.events[0]).toEqual({
      name: "page_view",
      params: { page_location: "https://shop.example/p/0", page_referrer: "https://google.com/", page_title: "Shop", session_id: "s1" },
      timestamp_micros: (now - 1000) * 1000,
    });
    expect(plan.requests[2]?.events[0]).toEqual({
      name: "signed_up",
      params: { plan: "pro", bad_key: "true", nested: '{"a":1}' },
      timestamp_micros: now * 1000,
    });
    expect(plan.renamed).toEqual([{ from: "Signed Up", to: "signed_up" }]);
    expect(plan.dropped).toEqual([
      { name: "session_start", reason: expect.stringContaining("reserved"), count: 1 },
      { name: "old", reason: expect.stringContaining("72 hours"), count: 1 },
    ]);
    expect(plan.skipped).toBe(2);
  });

  it("sends each request to /mp/collect with measurement_id and api_secret; the fake finds nothing GA4 would drop", async () => {
    const mid = `G-TEST${uid()
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")}`.slice(0, 20);
    fake.ga4Streams.set(mid, "ga-secret-0001");
    const evs = events(60, {}, () => "one-client");
    const r = await deliverGa4(env, { measurementId: mid }, "ga-secret-0001", evs, 0);
    expect(r).toMatchObject({ outcome: "done", sent: 60, requestsDone: 3 });
    const hits = fake.ga4For(mid);
    expect(hits.map((h) => h.body?.events?.length)).toEqual([25, 25, 10]);
    for (const h of hits) {
      expect(h.url.origin + h.url.pathname).toBe("https://www.google-analytics.com/mp/collect");
      expect(h.url.searchParams.get("api_secret")).toBe("ga-secret-0001");
      expect(h.problems).toEqual([]);
      expect(h.body?.client_id).toBe("one-client");
    }
  });

  it("a 5xx is retried from where it stopped; a 4xx is permanent", async () => {
    const mid = `G-RETRY${String(n++).padStart(4, "0")}`;
    fake.ga4Streams.set(mid, "ga-secret-0002");
    const evs = events(30, {}, () => "c");
    fake.script(GA4_HOST, "ok", "error");
    const a = await deliverGa4(env, { measurementId: mid }, "ga-secret-0002", evs, 0);
    expect(a).toMatchObject({ outcome: "retry", sent: 25, requestsDone: 1, statusCode: 500 });
    const b = await deliverGa4(env, { measurementId: mid }, "ga-secret-0002", evs, a.requestsDone);
    expect(b).toMatchObject({ outcome: "done", sent: 5, requestsDone: 2 });
    fake.script(GA4_HOST, "bad_request");
    const c = await deliverGa4(env, { measurementId: mid }, "ga-secret-0002", evs, 0);
    expect(c).toMatchObject({ outcome: "permanent", sent: 0, failed: 30, statusCode: 400 });
  });

  it("Test connection posts a sample to /debug/mp/collect and reports validationMessages", async () => {
    const ok = await testGa4(env, { measurementId: "G-DEBUG0001" }, "ga-secret-0003");
    expect(ok).toMatchObject({ ok: true, status: 200, validation_messages: [] });
    const hit = at(fake.ga4For("G-DEBUG0001", true), 0);
    expect(hit.url.pathname).toBe("/debug/mp/collect");
    expect(hit.body?.events?.[0]?.name).toBe("page_view");
  });
});
