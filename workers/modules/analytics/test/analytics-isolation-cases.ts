import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { ev, store } from "./analytics-helpers";

/**
 * Tenant-isolation cases for the analytics routes, spread into CASES in tenant-isolation.test.ts.
 * A has events (a distinctive event name and person) and a saved funnel; B asks through its own
 * workspace and must get 404 or only B's data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "a_secret_event_zebra";
const PERSON = "a-person-okapi";

let fixture: Promise<{ funnel: string }> | null = null;
export function aAnalytics(w: AB) {
  fixture ??= (async () => {
    const now = Date.now();
    await store(w.a.tenantId, [
      { ...ev(PERSON, MARK, 0), ts: now - 60_000 },
      { ...ev(PERSON, "$pageview", 0, { $current_url: "https://a.example/a-only-page" }), ts: now - 30_000 },
    ]);
    const f = await callJson("/api/v1/analytics/funnels", {
      token: w.a.accessToken,
      tenant: w.a.tenantId,
      ip: w.a.ip,
      body: {
        name: "A funnel",
        definition: { steps: [{ event: MARK }, { event: "$pageview" }], window_seconds: 3600, order: "sequential" },
      },
    });
    expect(f.status).toBe(201);
    return { funnel: f.body.id as string };
  })();
  return fixture;
}
/** A's upgrade-prompt settings (B must neither see nor change them). */
async function aUpgradePrompts(w: AB) {
  const a = await callJson("/api/v1/analytics/growth/upgrade-prompts", {
    method: "PUT",
    token: w.a.accessToken,
    tenant: w.a.tenantId,
    ip: w.a.ip,
    body: { enabled: true, min_percent: 90, upgrade_url: "https://a-only.example/pricing" },
  });
  expect(a.status).toBe(200);
}
let destinationFixture: Promise<string> | null = null;
/** A's GA4 destination (its secret must never reach B). */
export function aDestination(w: AB) {
  destinationFixture ??= (async () => {
    const r = await callJson("/api/v1/analytics/destinations", {
      token: w.a.accessToken,
      tenant: w.a.tenantId,
      ip: w.a.ip,
      body: { provider: "ga4", name: "A destination", measurement_id: "G-AONLY0001", api_secret: "a-only-ga4-secret" },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  })();
  return destinationFixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const range = () => ({ from: new Date(Date.now() - 7 * 86_400_000).toISOString(), to: new Date(Date.now() + 3600_000).toISOString() });
const qs = () => new URLSearchParams(range()).toString();
const noLeak = (payload: unknown) => expect(JSON.stringify(payload)).not.toMatch(new RegExp(`${MARK}|${PERSON}|a-only-page`));

export const ANALYTICS_CASES: Record<string, Case> = {
  "POST /api/v1/analytics/events": async (w) => {
    const r = await asB(w, "POST", "/api/v1/analytics/events", { events: [{ name: "b_event", distinct_id: "b-person" }] });
    expect(r.status).toBe(202); // lands in B's workspace (the key/token decides, never the body)
  },
  "GET /api/v1/analytics/overview": async (w) => {
    await aAnalytics(w);
    const r = await asB(w, "GET", `/api/v1/analytics/overview?${qs()}`);
    expect(r.status).toBe(200);
    expect(r.body.current.pageviews).toBe(0);
  },
  "GET /api/v1/analytics/top": async (w) => {
    const r = await asB(w, "GET", `/api/v1/analytics/top?dimension=page&${qs()}`);
    expect(r.body.data).toEqual([]);
  },
  "GET /api/v1/analytics/event-names": async (w) => {
    const r = await asB(w, "GET", "/api/v1/analytics/event-names");
    expect(r.status).toBe(200);
    noLeak(r.body);
  },
  "GET /api/v1/analytics/events": async (w) => {
    const r = await asB(w, "GET", `/api/v1/analytics/events?person=${PERSON}`);
    expect(r.body.data).toEqual([]);
  },
  "POST /api/v1/analytics/trends/query": async (w) => {
    const r = await asB(w, "POST", "/api/v1/analytics/trends/query", { event: MARK, interval: "day", ...range() });
    expect(r.status).toBe(200);
    expect(r.body.series[0].total_count).toBe(0);
  },
  "POST /api/v1/analytics/funnels/query": async (w) => {
    const r = await asB(w, "POST", "/api/v1/analytics/funnels/query", { steps: [{ event: MARK }, { event: "$pageview" }], ...range() });
    expect(r.status).toBe(200);
    expect(r.body.steps[0].count).toBe(0);
  },
  "POST /api/v1/analytics/retention/query": async (w) => {
    const r = await asB(w, "POST", "/api/v1/analytics/retention/query", {
      start_event: MARK,
      return_event: "$pageview",
      period: "day",
      ...range(),
    });
    expect(r.status).toBe(200);
    expect(r.body.cohorts.every((c: { size: number }) => c.size === 0)).toBe(true);
  },
  "GET /api/v1/analytics/funnel-templates": async (w) => {
    expect((await asB(w, "GET", "/api/v1/analytics/funnel-templates")).status).toBe(200);
  },
  "GET /api/v1/analytics/funnels": async (w) => {
    const { funnel } = await aAnalytics(w);
    const r = await asB(w, "GET", "/api/v1/analytics/funnels?limit=100");
    expect(JSON.stringify(r.body)).not.toContain(funnel);
  },
  "POST /api/v1/analytics/funnels": async (w) => {
    const r = await asB(w, "POST", "/api/v1/analytics/funnels", { name: "B", definition: { steps: [{ event: "x" }, { event: "y" }] } });
    expect(r.status).toBe(201);
  },
  "GET /api/v1/analytics/funnels/{id}": async (w) => {
    const { funnel } = await aAnalytics(w);
    expect((await asB(w, "GET", `/api/v1/analytics/funnels/${funnel}`)).status).toBe(404);
  },
  "PATCH /api/v1/analytics/funnels/{id}": async (w) => {
    const { funnel } = await aAnalytics(w);
    expect((await asB(w, "PATCH", `/api/v1/analytics/funnels/${funnel}`, { name: "hijacked" })).status).toBe(404);
  },
  "DELETE /api/v1/analytics/funnels/{id}": async (w) => {
    const { funnel } = await aAnalytics(w);
    expect((await asB(w, "DELETE", `/api/v1/analytics/funnels/${funnel}`)).status).toBe(404);
    const still = await callJson(`/api/v1/analytics/funnels/${funnel}`, { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(still.body.name).toBe("A funnel");
  },
  "GET /api/v1/analytics/growth/active": async (w) => {
    const r = await asB(w, "GET", "/api/v1/analytics/growth/active");
    expect(r.status).toBe(200);
    expect(r.body.mau).toBe(0);
  },
  "GET /api/v1/analytics/growth/activation-config": async (w) => {
    expect((await asB(w, "GET", "/api/v1/analytics/growth/activation-config")).body.config).toBeNull();
  },
  "PUT /api/v1/analytics/growth/activation-config": async (w) => {
    const r = await asB(w, "PUT", "/api/v1/analytics/growth/activation-config", { signup_event: "b_signup", milestones: [] });
    expect(r.status).toBe(200);
    const a = await callJson("/api/v1/analytics/growth/activation-config", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.config).toBeNull();
  },
  "GET /api/v1/analytics/growth/activation": async (w) => {
    const r = await asB(w, "GET", `/api/v1/analytics/growth/activation?${qs()}`);
    expect(r.body.cohort_size).toBe(0);
  },
  "GET /api/v1/analytics/growth/churn-risk": async (w) => {
    const r = await asB(w, "GET", "/api/v1/analytics/growth/churn-risk");
    expect(r.status).toBe(200);
    noLeak(r.body);
  },
  "GET /api/v1/analytics/growth/expansion": async (w) => {
    const now = Date.now();
    await store(w.a.tenantId, [
      { ...ev(PERSON, "subscription_started", 0, { mrr_cents: 5000, seats: 3 }), ts: now - 50_000 },
      { ...ev(PERSON, "limit_approached", 0, { meter: "projects", percent: 90 }), ts: now - 40_000 },
    ]);
    const r = await asB(w, "GET", `/api/v1/analytics/growth/expansion?${qs()}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ movements: { new: 0 }, mrr: { new_cents: 0 }, upsell_candidates: [], billing: null });
    noLeak(r.body);
  },
  "GET /api/v1/analytics/growth/upgrade-prompts": async (w) => {
    await aUpgradePrompts(w);
    const r = await asB(w, "GET", "/api/v1/analytics/growth/upgrade-prompts");
    expect(r.body.config).toBeNull();
  },
  "PUT /api/v1/analytics/growth/upgrade-prompts": async (w) => {
    await aUpgradePrompts(w);
    const r = await asB(w, "PUT", "/api/v1/analytics/growth/upgrade-prompts", {
      enabled: false,
      min_percent: 80,
      upgrade_url: "https://b.example/",
    });
    expect(r.status).toBe(200);
    const a = await callJson("/api/v1/analytics/growth/upgrade-prompts", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.config).toMatchObject({ enabled: true, min_percent: 90, upgrade_url: "https://a-only.example/pricing" });
  },
  "GET /api/v1/analytics/growth/recovery": async (w) => {
    const r = await asB(w, "GET", "/api/v1/analytics/growth/recovery");
    expect(r.body.data).toEqual([]);
    expect(r.body.config.enabled).toBe(false);
  },
  "PUT /api/v1/analytics/growth/recovery": async (w) => {
    expect((await asB(w, "PUT", "/api/v1/analytics/growth/recovery", { enabled: true, min_score: 50 })).status).toBe(200);
    const a = await callJson("/api/v1/analytics/growth/recovery", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.config.enabled).toBe(false);
  },
  "GET /api/v1/analytics/settings": async (w) => {
    expect((await asB(w, "GET", "/api/v1/analytics/settings")).status).toBe(200);
  },
  "PATCH /api/v1/analytics/settings": async (w) => {
    expect((await asB(w, "PATCH", "/api/v1/analytics/settings", { autocapture_forms: false })).status).toBe(200);
    const a = await callJson("/api/v1/analytics/settings", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.autocapture_forms).toBe(true);
  },
  "GET /api/v1/analytics/destinations": async (w) => {
    const id = await aDestination(w);
    const r = await asB(w, "GET", "/api/v1/analytics/destinations");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(id);
  },
  "POST /api/v1/analytics/destinations": async (w) => {
    const r = await asB(w, "POST", "/api/v1/analytics/destinations", {
      provider: "ga4",
      name: "B",
      measurement_id: "G-BONLY0001",
      api_secret: "b-ga4-secret",
    });
    expect(r.status).toBe(201);
  },
  "GET /api/v1/analytics/destinations/{id}": async (w) => {
    expect((await asB(w, "GET", `/api/v1/analytics/destinations/${await aDestination(w)}`)).status).toBe(404);
  },
  "PATCH /api/v1/analytics/destinations/{id}": async (w) => {
    const id = await aDestination(w);
    expect((await asB(w, "PATCH", `/api/v1/analytics/destinations/${id}`, { enabled: false })).status).toBe(404);
    const a = await callJson(`/api/v1/analytics/destinations/${id}`, { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.body.enabled).toBe(true);
  },
  "DELETE /api/v1/analytics/destinations/{id}": async (w) => {
    const id = await aDestination(w);
    expect((await asB(w, "DELETE", `/api/v1/analytics/destinations/${id}`)).status).toBe(404);
    const a = await callJson(`/api/v1/analytics/destinations/${id}`, { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
    expect(a.status).toBe(200);
  },
  "POST /api/v1/analytics/destinations/{id}/test": async (w) => {
    expect((await asB(w, "POST", `/api/v1/analytics/destinations/${await aDestination(w)}/test`)).status).toBe(404);
  },
  "GET /api/v1/analytics/destinations/{id}/deliveries": async (w) => {
    expect((await asB(w, "GET", `/api/v1/analytics/destinations/${await aDestination(w)}/deliveries`)).status).toBe(404);
  },
};
