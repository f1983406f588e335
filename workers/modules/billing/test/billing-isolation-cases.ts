import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE, callJson, type TestUser } from "../../../../test/helpers";

/**
 * Tenant-isolation cases for the billing routes, spread into CASES in tenant-isolation.test.ts.
 * A subscribes to Starter through the payment simulator and uses some quota (once, lazily); B
 * tries every billing route from its own workspace and must never see or change A's billing.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;

let fixture: Promise<{ invoice: string }> | null = null;
export function aBilling(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, body, ip: w.a.ip });
    const start = await asA("POST", "/api/v1/billing/checkout", { plan: "starter", interval: "month", seats: 4, provider: "stripe" });
    expect(start.status).toBe(200);
    const approve = await exports.default.fetch(`${BASE}${new URL(start.body.url).pathname}/approve`, {
      method: "POST",
      redirect: "manual",
    });
    expect(approve.status).toBe(303);
    const inv = await asA("GET", "/api/v1/billing/invoices");
    expect(inv.body.data).toHaveLength(1);
    return { invoice: inv.body.data[0].id as string };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const aState = async (w: AB) => (await callJson("/api/v1/billing", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip })).body;
async function aUnchanged(w: AB, run: () => Promise<void>) {
  await aBilling(w);
  const before = await aState(w);
  await run();
  expect(await aState(w)).toEqual(before);
}

export const BILLING_CASES: Record<string, Case> = {
  "GET /api/v1/billing": async (w) => {
    await aBilling(w);
    const r = await asB(w, "GET", "/api/v1/billing");
    expect(r.status).toBe(200);
    expect(r.body.subscription.plan).toBe("free");
    expect(JSON.stringify(r.body)).not.toContain(w.a.tenantId);
  },
  "GET /api/v1/billing/usage/daily": async (w) => {
    await aBilling(w);
    const r = await asB(w, "GET", "/api/v1/billing/usage/daily?meter=emails&days=7");
    expect(r.status).toBe(200);
    expect(r.body.data.every((d: { quantity: number }) => d.quantity === 0)).toBe(true);
  },
  "GET /api/v1/billing/usage/seats": async (w) => {
    await aBilling(w);
    const r = await asB(w, "GET", "/api/v1/billing/usage/seats");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(w.a.userId);
  },
  "GET /api/v1/billing/preview": async (w) => {
    const r = await asB(w, "GET", "/api/v1/billing/preview?plan=professional&interval=month&seats=10");
    expect(r.status).toBe(200);
    expect(r.body.lines.every((l: { amountCents: number }) => l.amountCents > 0)).toBe(true); // B is on Free: no credit from A's Starter
  },
  "POST /api/v1/billing/checkout": (w) =>
    aUnchanged(w, async () => {
      expect((await asB(w, "POST", "/api/v1/billing/checkout", { plan: "starter", seats: 2 })).status).toBe(200);
    }),
  "POST /api/v1/billing/subscription/change": (w) =>
    aUnchanged(w, async () => {
      expect((await asB(w, "POST", "/api/v1/billing/subscription/change", { plan: "enterprise", seats: 30 })).status).toBe(409);
    }),
  "POST /api/v1/billing/subscription/cancel": (w) =>
    aUnchanged(w, async () => {
      expect((await asB(w, "POST", "/api/v1/billing/subscription/cancel", {})).status).toBe(409);
    }),
  "POST /api/v1/billing/portal": (w) =>
    aUnchanged(w, async () => {
      expect((await asB(w, "POST", "/api/v1/billing/portal")).status).toBe(409);
    }),
  "PATCH /api/v1/billing/settings": (w) =>
    aUnchanged(w, async () => {
      expect((await asB(w, "PATCH", "/api/v1/billing/settings", { allow_overage: true })).status).toBe(402);
    }),
  "GET /api/v1/billing/invoices": async (w) => {
    const { invoice } = await aBilling(w);
    const r = await asB(w, "GET", "/api/v1/billing/invoices?limit=100");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(invoice);
  },
  "GET /api/v1/billing/invoices/{id}": async (w) => {
    const { invoice } = await aBilling(w);
    expect((await asB(w, "GET", `/api/v1/billing/invoices/${invoice}`)).status).toBe(404);
  },
  "POST /api/v1/billing/simulator/payment": (w) =>
    aUnchanged(w, async () => {
      expect((await asB(w, "POST", "/api/v1/billing/simulator/payment", { outcome: "failed" })).status).toBe(400);
    }),
  // The test clock acts on the caller's workspace only: B (on Free) has none, and A's clock does not move.
  "GET /api/v1/billing/simulator/clock": async (w) => {
    await aBilling(w);
    const r = await asB(w, "GET", "/api/v1/billing/simulator/clock");
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.body)).not.toContain(w.a.tenantId);
  },
  "POST /api/v1/billing/simulator/clock/advance": (w) =>
    aUnchanged(w, async () => {
      const aClock = async () =>
        (await callJson("/api/v1/billing/simulator/clock", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip })).body.offset_ms;
      const before = await aClock();
      expect((await asB(w, "POST", "/api/v1/billing/simulator/clock/advance", { to: "renewal" })).status).toBe(409);
      expect((await asB(w, "POST", "/api/v1/billing/simulator/clock/advance", { to: "days", days: 40 })).status).toBe(409);
      expect(await aClock()).toBe(before);
    }),
};
