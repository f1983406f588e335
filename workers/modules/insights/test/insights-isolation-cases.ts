import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { insightAlerts, insightSnapshots } from "../../../../schema/insights";
import { getDb } from "../../../platform/db";
import { callJson, type TestUser } from "../../../../test/helpers";
import { dayKey, DAY_MS } from "../days";

/**
 * Tenant-isolation cases for the insights routes, spread into CASES in tenant-isolation.test.ts.
 * A gets an open alert and a snapshot (written once, lazily); B tries them through B's own workspace
 * and must get 404 or only B's data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = 987654;

let fixture: Promise<{ alertId: string }> | null = null;
function aInsights(w: AB) {
  fixture ??= (async () => {
    const db = getDb(env.DB);
    const day = dayKey(Date.now() - DAY_MS);
    const alertId = `ina_iso_${w.a.tenantId.slice(-10)}`;
    await db
      .insert(insightSnapshots)
      .values({ tenantId: w.a.tenantId, metric: "tickets_opened", day, value: MARK, computedAt: Date.now() });
    await db.insert(insightAlerts).values({
      tenantId: w.a.tenantId,
      id: alertId,
      metric: "tickets_opened",
      day,
      direction: "up",
      value: MARK,
      median: 2,
      mad: 1,
      low: 0,
      high: 7,
      historyDays: 28,
      createdAt: Date.now(),
    });
    return { alertId };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const { alertId } = await aInsights(w);
  const text = JSON.stringify(payload);
  for (const s of [alertId, String(MARK)]) expect(text, `leaked ${s}`).not.toContain(s);
};

export const INSIGHTS_CASES: Record<string, Case> = {
  "GET /api/v1/insights/alerts": async (w) => {
    const r = await asB(w, "GET", "/api/v1/insights/alerts?limit=100");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "POST /api/v1/insights/alerts/{id}/acknowledge": async (w) => {
    const { alertId } = await aInsights(w);
    expect((await asB(w, "POST", `/api/v1/insights/alerts/${alertId}/acknowledge`)).status).toBe(404);
  },
  "GET /api/v1/insights/metrics": async (w) => {
    expect((await asB(w, "GET", "/api/v1/insights/metrics")).status).toBe(200);
  },
  "GET /api/v1/insights/metrics/{metric}/series": async (w) => {
    await aInsights(w);
    const r = await asB(w, "GET", "/api/v1/insights/metrics/tickets_opened/series?days=7");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "GET /api/v1/insights/suggestions": async (w) => {
    const r = await asB(w, "GET", "/api/v1/insights/suggestions");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
    // A's open alert must not count in B's "metrics are outside the usual range".
    expect(r.body.data.find((s: { id: string }) => s.id === "open_alerts")).toBeUndefined();
  },
  "POST /api/v1/insights/suggestions/{id}/dismiss": async (w) => {
    expect((await asB(w, "POST", "/api/v1/insights/suggestions/open_alerts/dismiss", { days: 1 })).status).toBe(200);
  },
  "GET /api/v1/insights/settings": async (w) => {
    const r = await asB(w, "GET", "/api/v1/insights/settings");
    expect(r.status).toBe(200);
  },
  "PATCH /api/v1/insights/settings": async (w) => {
    expect((await asB(w, "PATCH", "/api/v1/insights/settings", { hour: 9 })).status).toBe(200);
  },
  "PUT /api/v1/insights/digest/subscription": async (w) => {
    expect((await asB(w, "PUT", "/api/v1/insights/digest/subscription", { subscribed: true })).status).toBe(200);
  },
  "POST /api/v1/insights/digest/preview": async (w) => {
    const r = await asB(w, "POST", "/api/v1/insights/digest/preview");
    expect(r.status).toBe(200);
    expect(r.body.sent_to).toBe(w.b.email);
  },
};
